"""Each key is declared once: the reader, the JSON Schema and the docs table all come from it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from kaskkiri_builder.definitions import ledger as ledger_keys
from kaskkiri_builder.definitions import model
from kaskkiri_builder.definitions import schema as keys
from kaskkiri_builder.definitions.export import KINDS, FileKind, json_schema, key_table
from kaskkiri_builder.definitions.keys import Key, Record, records
from kaskkiri_builder.definitions.load import YamlDoc
from kaskkiri_builder.definitions.shapes import TextShape
from kaskkiri_builder.errors import Problem

ALL_RECORDS = [(k, r) for k in KINDS for r in records(k.shape)]


def schema_of(k: FileKind, record: Record[Any]) -> dict[str, Any]:
    schema = json_schema(k)
    return schema if record is k.shape else schema["$defs"][record.id]


def table_keys(k: FileKind, record: Record[Any]) -> list[str]:
    """The keys listed in the docs table of one record."""
    table = key_table(k).split(f"**{record.title}**\n", 1)[1].split("\n\n**", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", table, re.M)


def allowed_by_reader(record: Record[Any]) -> list[str]:
    """The keys the reader lists when it meets an unknown one."""
    problems: list[Problem] = []
    doc = YamlDoc(Path("x.yaml"), "x.yaml", {"võõras_võti": 1})
    keys.read_file(record, doc, problems, "test")
    (unknown,) = [p.message for p in problems if "tundmatu võti" in p.message]
    return unknown.split("Lubatud võtmed: ")[1].rstrip(".").split(", ")


@pytest.mark.parametrize("k, record", ALL_RECORDS, ids=lambda x: getattr(x, "id", getattr(x, "name", "")))
def test_reader_schema_and_docs_list_the_declared_keys(k: FileKind, record: Record[Any]):
    declared = [key.yaml for key in record.keys]
    schema = schema_of(k, record)
    assert list(schema["properties"]) == declared
    assert schema["additionalProperties"] is False
    assert schema.get("required", []) == [key.yaml for key in record.keys if key.required]
    assert [schema["properties"][key.yaml]["description"] for key in record.keys] == [key.doc for key in record.keys]
    assert table_keys(k, record) == declared
    assert allowed_by_reader(record) == declared


def test_a_key_added_to_a_declaration_appears_everywhere(monkeypatch):
    extra = Key("markus", TextShape(), "märkus koostajale (dokumenti ei lähe)", None)
    post = dataclasses.replace(keys.POST, keys=(*keys.POST.keys, extra))
    kind = dataclasses.replace(next(k for k in KINDS if k.name == "ametikoht"), shape=post)

    assert json_schema(kind)["properties"]["markus"]["description"] == extra.doc
    assert "| `markus` | tekst | ei | märkus koostajale (dokumenti ei lähe) |" in key_table(kind)
    assert allowed_by_reader(post)[-1] == "markus"
    # read as declared: a text, so a control character in it is reported at its line
    problems: list[Problem] = []
    doc = YamlDoc(Path("p.yaml"), "p.yaml", {"teenistuskoht": "x", "struktuuriyksus": "y",
                                              "ametikoha_grupp": "ametnik", "markus": "a\x07b"})
    assert keys.read_file(post, doc, problems, "ametikoht p", "p") is not None
    assert [p.message[:16] for p in problems] == ['väljas "markus" ']
    # and the real declaration still refuses it
    problems = []
    keys.read_file(keys.POST, doc, problems, "ametikoht p", "p")
    assert any('tundmatu võti "markus"' in p.message for p in problems)


MODELS = {
    "agency": model.Agency, "head": model.Head, "unit": model.Unit, "style": model.Style,
    "organisation": model.Organisation, "post_ref": model.PostRef, "post_list_text": model.PostRefList,
    "clause_ref": model.ClauseRef, "duty": model.Duty, "post": model.Post, "signatory": model.Signatory,
    "directive": model.Directive, "revocation": model.Revocation, "ledger_directive": model.LedgerDirective,
}


@pytest.mark.parametrize("record_id", sorted(MODELS))
def test_declared_fields_are_model_fields(record_id: str):
    record = next(r for _, r in ALL_RECORDS if r.id == record_id)
    names = {f.name for f in dataclasses.fields(MODELS[record_id])}
    assert {key.field for key in record.keys if key.field} <= names


def test_defaults_in_the_docs_come_from_the_model():
    assert model.Style().revocation_range == "kuni"
    table = key_table(next(k for k in KINDS if k.name == "organisatsioon"))
    assert "| `lisade_vahemik_kehtetuks` | \"sidekriips\" (1-11) või \"kuni\" (1 kuni 11) | ei (vaikimisi `kuni`) |" in table
    schema = json_schema(next(k for k in KINDS if k.name == "organisatsioon"))
    assert schema["$defs"]["style"]["properties"]["lisade_vahemik_kinnitamisel"]["default"] == "sidekriips"


def test_every_record_has_a_unique_schema_name_and_title():
    unique = {id(r): r for _, r in ALL_RECORDS}.values()
    assert len({r.id for r in unique}) == len(unique)
    assert all(r.title and all(k.doc for k in r.keys) for r in unique)


def test_the_ledger_is_read_by_the_same_reader():
    problems: list[Problem] = []
    data = {"kaskkirjad": [{"number": 5, "kuupaev": "32.01.2025", "lisad": ["a"]}]}
    assert ledger_keys.read_ledger(YamlDoc(Path("a.yaml"), "a.yaml", data), problems) == ()
    (problem,) = problems
    assert problem.message.startswith("`kuupaev` (ajalugu, käskkiri 1) ei ole kuupäev")
    # the same date parser as the directives' dates: one-digit day and month accepted in both
    data["kaskkirjad"][0]["kuupaev"] = "7.1.2025"
    (entry,) = ledger_keys.read_ledger(YamlDoc(Path("a.yaml"), "a.yaml", data), [])
    assert str(entry.date) == "2025-01-07"

"""The JSON Schemas: the example validates, mistakes are caught by schema and reader alike,
and schemas/ and the docs' key tables are what the declarations make today."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.definitions.export import KINDS, json_schema, kind, schema_files, with_key_tables
from kaskkiri_builder.errors import DefinitionError
from minimal import DIRECTIVE, NOUSTAJA, write_project

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "definitions"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")


def jsonable(value: Any) -> Any:
    """YAML data as an editor's language server sees it: keys are strings, dates are text."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def schema_errors(kind_name: str, yaml_text: str) -> list[str]:
    data = jsonable(YAML(typ="safe").load(yaml_text))
    validator = jsonschema.Draft202012Validator(json_schema(kind(kind_name)))
    return [e.message for e in validator.iter_errors(data)]


EXAMPLE_FILES = [(k.name, p) for k in KINDS for p in sorted(DEFINITIONS.glob(k.files))]


def test_every_kind_of_file_is_in_the_example():
    assert {name for name, _ in EXAMPLE_FILES} == {k.name for k in KINDS}


@pytest.mark.parametrize("kind_name, path", EXAMPLE_FILES, ids=lambda x: getattr(x, "name", x))
def test_example_file_validates_against_its_schema(kind_name: str, path: Path):
    text = path.read_text(encoding="utf-8")
    assert schema_errors(kind_name, text) == []
    # the modeline names this kind's schema, by a path that exists from the file
    m = MODELINE.match(text)
    assert m, f"{path.name}: no yaml-language-server modeline on the first line"
    target = (path.parent / m.group(1)).resolve()
    assert target == (ROOT / "schemas" / f"{kind_name}.json").resolve() and target.is_file()


@pytest.mark.parametrize("k", KINDS, ids=lambda k: k.name)
def test_schemas_are_valid_draft_2020_12(k):
    schema = json_schema(k)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schemas_folder_is_up_to_date():
    """Stale? Run: .venv/bin/python tools/gen_docs.py"""
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "schemas").glob("*.json")}
    assert on_disk == schema_files()


def test_docs_key_tables_are_up_to_date():
    """Stale? Run: .venv/bin/python tools/gen_docs.py"""
    text = (ROOT / "docs" / "definitions.md").read_text(encoding="utf-8")
    assert set(re.findall(r"<!-- võtmed: (\w+) -->", text)) == {k.name for k in KINDS}
    assert with_key_tables(text) == text


def test_a_stale_table_is_noticed():
    stale = "x\n<!-- võtmed: kaskkiri -->\n| `vana` | tekst | ei | ... |\n<!-- /võtmed -->\ny\n"
    fresh = with_key_tables(stale)
    assert fresh != stale and "`vana`" not in fresh and "`allkirjastaja`" in fresh
    assert fresh.startswith("x\n") and fresh.endswith("<!-- /võtmed -->\ny\n")


def test_schema_command_writes_the_schemas(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "kaskkiri_builder", "schema", str(tmp_path / "skeemid")],
        capture_output=True, text=True,
    )
    assert r.returncode == 0, r.stderr
    written = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "skeemid").iterdir()}
    assert written == schema_files()
    assert json.loads(written["ametikoht.json"])["properties"]["teenistuskoht"]["description"]


def test_schema_command_help_is_estonian():
    r = subprocess.run([sys.executable, "-m", "kaskkiri_builder", "schema", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "Kirjuta definitsioonifailide JSON-skeemid" in r.stdout


# --- the same mistake, caught by the schema and by the reader ---------------------------------


def reader_problems(tmp_path: Path, **project: Any) -> str:
    root = write_project(tmp_path, **project)
    with pytest.raises(DefinitionError) as caught:
        load_definitions(root / "definitions")
    return "\n".join(str(p) for p in caught.value.problems)


def test_misspelt_key_in_a_post(tmp_path):
    post = NOUSTAJA.replace("eesmark:", "eesmrk:")
    assert any("eesmrk" in e for e in schema_errors("ametikoht", post))
    assert 'tundmatu võti "eesmrk" (ametikoht noustaja). Kas mõtlesid "eesmark"?' in reader_problems(
        tmp_path, posts={"noustaja": post}
    )


def test_wrong_type_in_a_post(tmp_path):
    post = NOUSTAJA.replace("eesmark: Nõustamine.", "eesmark: [Nõustamine.]")
    assert schema_errors("ametikoht", post)
    assert '"eesmark" (ametikoht noustaja) peab olema tekst, aga on loetelu' in reader_problems(
        tmp_path, posts={"noustaja": post}
    )


def test_wrong_group_in_a_post(tmp_path):
    post = NOUSTAJA.replace("ametikoha_grupp: töötaja", "ametikoha_grupp: juht")
    assert schema_errors("ametikoht", post)
    assert '"ametikoha_grupp" (ametikoht noustaja) peab olema "ametnik" või "töötaja", aga on "juht"' in (
        reader_problems(tmp_path, posts={"noustaja": post})
    )
    # the spellings the reader accepts, the schema accepts too
    for spelling in ("Töötaja", "tootaja", " AMETNIK "):
        ok = NOUSTAJA.replace("ametikoha_grupp: töötaja", f"ametikoha_grupp: '{spelling}'")
        assert schema_errors("ametikoht", ok) == []


def test_misspelt_key_and_bad_date_in_a_directive(tmp_path):
    directive = DIRECTIVE.replace("struktuuriyksus:", "kuupaev: 2026-13-45x\nstruktuuriyksu:")
    errors = schema_errors("kaskkiri", directive)
    assert any("struktuuriyksu'" in e for e in errors) and any("2026-13-45x" in e for e in errors)
    text = reader_problems(tmp_path, directive=directive)
    assert 'tundmatu võti "struktuuriyksu"' in text and 'ei ole kuupäev: "2026-13-45x"' in text
    assert 'puudub kohustuslik võti "struktuuriyksus"' in text


def test_wrong_type_in_the_ledger(tmp_path):
    ledger = "kaskkirjad:\n  - number: 1\n    kuupaev: 01.02.2025\n    lisad: noustaja\n    pealkri: X\n"
    errors = schema_errors("ajalugu", ledger)
    assert any("'noustaja'" in e for e in errors) and any("pealkri" in e for e in errors)
    text = reader_problems(tmp_path, ledger=ledger)
    assert "`lisad` (ajalugu, käskkiri 1) peab olema loetelu" in text
    assert "tundmatu võti `pealkri` (ajalugu, käskkiri 1). Kas mõtlesid `pealkiri`?" in text


def test_a_clause_of_two_kinds(tmp_path):
    from minimal import CLAUSES

    clauses = CLAUSES.replace("  tekst: Ametijuhend", "  ulesanne: Ülesanne.\n  tekst: Ametijuhend")
    assert schema_errors("klauslid", clauses)
    assert "klausel lopurida: klausel peab sisaldama täpselt ühte võtmetest" in reader_problems(
        tmp_path, clauses=clauses
    )

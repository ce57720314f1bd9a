"""The JSON Schemas and the docs' key tables, made from the same declarations as the reader.

One schema (JSON Schema draft 2020-12) per kind of definitions file, for editors that check YAML
while it is typed (yaml-language-server), and one markdown table per record for
docs/definitions.md. Pure: texts are returned, `kaskkiri schema` and tools/gen_docs.py write them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .keys import Key, ListOf, MapOf, Record, records
from .ledger import LEDGER
from .schema import CLAUSE_FILE, DIRECTIVE, ORGANISATION, POST
from .shapes import Json, JsonObject, Shape

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class FileKind:
    """One kind of definitions file: its top-level shape and where such files are."""

    name: str  # the schema's file name without .json, and the docs marker
    title: str  # Estonian
    shape: Shape[Any]
    files: str  # under definitions/


KINDS: tuple[FileKind, ...] = (
    FileKind("organisatsioon", "organisatsioon.yaml: asutus, juht, struktuuriüksused, vormistus",
             ORGANISATION, "organisatsioon.yaml"),
    FileKind("klauslid", "klauslid/*.yaml: ühised klauslid (klausli id -> klausel)", CLAUSE_FILE, "klauslid/*.yaml"),
    FileKind("ametikoht", "ametikohad/<id>.yaml: üks ametikoht", POST, "ametikohad/*.yaml"),
    FileKind("kaskkiri", "kaskkirjad/<id>.yaml: üks käskkiri", DIRECTIVE, "kaskkirjad/*.yaml"),
    FileKind("ajalugu", "ajalugu.yaml: varasemate käskkirjade ajalugu", LEDGER, "ajalugu.yaml"),
)


def kind(name: str) -> FileKind:
    for k in KINDS:
        if k.name == name:
            return k
    raise KeyError(f"no file kind {name!r}; known: {', '.join(k.name for k in KINDS)}")


# --- JSON Schema ----------------------------------------------------------------------------------


def json_schema(file_kind: FileKind) -> JsonObject:
    """The JSON Schema of one kind of file; nested records are under $defs."""
    defs: dict[str, JsonObject] = {}
    shape = file_kind.shape
    top = shape.body(defs) if isinstance(shape, Record) else shape.schema(defs)
    out: JsonObject = {"$schema": SCHEMA_DRAFT, **top, "title": file_kind.title}
    if defs:
        out["$defs"] = {name: defs[name] for name in sorted(defs)}
    return out


def schema_files() -> dict[str, str]:
    """File name -> text of every schema (what schemas/ holds)."""
    return {
        f"{k.name}.json": json.dumps(json_schema(k), ensure_ascii=False, indent=2) + "\n" for k in KINDS
    }


# --- docs tables ----------------------------------------------------------------------------------


def _value(shape: Shape[Any]) -> str:
    """The "väärtus" column: what the value is; a record is named by its table's title."""
    if isinstance(shape, Record):
        return f"sõnastik ({shape.title})"
    if isinstance(shape, ListOf) and isinstance(shape.item, Record):
        return f"loetelu ({shape.item.title})"
    if isinstance(shape, MapOf) and isinstance(shape.value, Record):
        return f"sõnastik: id -> {shape.value.title}"
    return shape.noun


def _required(record: Record[Any], key: Key) -> str:
    if key.required:
        return "jah"
    default: Json = record.default(key)
    return f"ei (vaikimisi `{default}`)" if default is not None else "ei"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def key_table(file_kind: FileKind) -> str:
    """Markdown: a table of keys for each record of the file kind, the file's own first."""
    blocks: list[str] = []
    for record in records(file_kind.shape):
        lines = [f"**{record.title}**", "", "| võti | väärtus | kohustuslik | tähendus |", "|---|---|---|---|"]
        for key in record.keys:
            cells = (f"`{key.yaml}`", _value(key.shape), _required(record, key), key.doc)
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        blocks.append("\n".join(lines + _rules(record)))
    return "\n\n".join(blocks)


def _rules(record: Record[Any]) -> list[str]:
    """The record's rules between keys, one sentence each, after its table."""
    out: list[str] = []
    if record.exactly_one:
        listed = ", ".join(f"`{k}`" for k in record.exactly_one.keys)
        out.append(f"Täpselt üks võtmetest {listed}.")
    out += [f"Kui on `{n.key}`, peavad olema ka `{n.needs}`." for n in record.needs]
    return ["", " ".join(out)] if out else []


REGION = re.compile(r"(<!-- võtmed: ([a-z]+) -->\n).*?(<!-- /võtmed -->)", re.S)


def with_key_tables(markdown: str) -> str:
    """`markdown` with each `<!-- võtmed: KIND -->` ... `<!-- /võtmed -->` region regenerated."""
    return REGION.sub(lambda m: f"{m.group(1)}{key_table(kind(m.group(2)))}\n{m.group(3)}", markdown)

"""Regenerate what is made from the key declarations: schemas/*.json and the docs' key tables.

The declarations (src/kaskkiri_builder/definitions/schema.py and ledger.py) are the one place a
key is described; run this after changing them:
    .venv/bin/python tools/gen_docs.py
It rewrites schemas/ and every `<!-- võtmed: KIND -->` region of docs/definitions.md.
tests/test_schema.py fails while either is stale.
"""

from __future__ import annotations

from pathlib import Path

from kaskkiri_builder.definitions.export import schema_files, with_key_tables

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "definitions.md"
SCHEMAS = ROOT / "schemas"


def main() -> None:
    SCHEMAS.mkdir(exist_ok=True)
    for name, text in schema_files().items():
        (SCHEMAS / name).write_text(text, encoding="utf-8")
        print(f"wrote schemas/{name}")
    DOCS.write_text(with_key_tables(DOCS.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"rewrote the key tables of {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

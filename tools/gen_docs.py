"""Regenerate what is made from declarations: schemas/*.json, the docs' key tables and the
template variable tables.

The key declarations (src/kaskkiri_builder/definitions/schema.py and ledger.py) are the one place
a key is described, the template variables' (render.py: DIRECTIVE_VARIABLES, ANNEX_VARIABLES) the
one place a variable is; run this after changing either:
    .venv/bin/python tools/gen_docs.py
It rewrites schemas/, every `<!-- võtmed: KIND -->` region of docs/definitions.md and every
`<!-- muutujad: TEMPLATE -->` region of docs/mallid.md. The variables are first compared with the
contexts the renderer builds for the bundled example; a difference stops it.
tests/test_schema.py and tests/test_templates.py fail while anything is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kaskkiri_builder.definitions.export import schema_files, with_key_tables
from kaskkiri_builder.template_reference import TEMPLATES, mismatches, project_contexts, with_variable_tables

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "definitions.md"
TEMPLATE_DOCS = ROOT / "docs" / "mallid.md"
SCHEMAS = ROOT / "schemas"


def example_contexts(root: Path = ROOT) -> dict[str, list[dict]]:
    """The contexts the renderer builds for every directive of the example, by template."""
    return project_contexts(root / "definitions")


def main() -> None:
    contexts = example_contexts()
    problems = [f"{name}: {m}" for name, declared in TEMPLATES.items() for m in mismatches(declared, contexts[name])]
    if problems:
        sys.exit("template variables and contexts differ:\n  " + "\n  ".join(problems))
    SCHEMAS.mkdir(exist_ok=True)
    for name, text in schema_files().items():
        (SCHEMAS / name).write_text(text, encoding="utf-8")
        print(f"wrote schemas/{name}")
    DOCS.write_text(with_key_tables(DOCS.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"rewrote the key tables of {DOCS.relative_to(ROOT)}")
    TEMPLATE_DOCS.write_text(with_variable_tables(TEMPLATE_DOCS.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"rewrote the variable tables of {TEMPLATE_DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""docs/mallid.md's tables of the variables a Word template may use.

The variables are declared in render.py (`Var`: path, kind, meaning) next to the functions that
build the contexts; `mismatches` compares the declarations with contexts the renderer really
built, so a variable added to a context without a line in the docs, or a documented one that is
gone, is noticed (tools/gen_docs.py refuses to write, tests/test_templates.py fails). Pure: texts
in, texts out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .render import ANNEX_VARIABLES, DIRECTIVE_VARIABLES, Var, annex_context, directive_context

#: The templates whose variables docs/mallid.md lists, by the name of the region's marker.
TEMPLATES: dict[str, tuple[Var, ...]] = {"kaskkiri": DIRECTIVE_VARIABLES, "ametijuhend": ANNEX_VARIABLES}

REGION = re.compile(r"(<!-- muutujad: (\w+) -->\n).*?(<!-- /muutujad -->)", re.DOTALL)


def kind_of(value: object) -> str:
    """A context value's kind as the docs name it."""
    if value is None or type(value).__name__ == "InlineImage":
        return "pilt"  # the logo: None until render_docx puts the image in
    for cls, name in ((bool, "tõeväärtus"), (int, "number"), (str, "tekst"), (dict, "kirje"), (list, "loend")):
        if isinstance(value, cls):
            return name
    return type(value).__name__


def context_paths(context: dict, prefix: str = "") -> dict[str, str]:
    """Every variable of a context by path ("punktid[].nr"), with its kind; a list's items are
    walked all, so a field that only some items have is found."""
    out: dict[str, str] = {}
    for key, value in context.items():
        path = f"{prefix}{key}"
        out[path] = kind_of(value)
        if isinstance(value, dict):
            out.update(context_paths(value, f"{path}."))
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    out.update(context_paths(item, f"{path}[]."))
    return out


def mismatches(declared: tuple[Var, ...], contexts: Iterable[dict]) -> list[str]:
    """What differs between the declarations and the contexts (English, for developers)."""
    seen: dict[str, str] = {}
    for context in contexts:
        seen.update(context_paths(context))
    want = {v.path: v.kind for v in declared}
    out = [f"{p}: in the context, not declared in render.py" for p in sorted(seen.keys() - want.keys())]
    out += [f"{p}: declared in render.py, in no context" for p in sorted(want.keys() - seen.keys())]
    out += [f"{p}: declared {want[p]}, the context has {seen[p]}"
            for p in sorted(want.keys() & seen.keys()) if want[p] != seen[p]]
    return out


def _loop_names(declared: tuple[Var, ...]) -> dict[str, str]:
    """List path -> how an item is named inside its loop ("punktid" -> "punkt")."""
    names: dict[str, str] = {}
    for var in declared:
        if var.loop:
            names[var.path] = var.loop
    return names


def _spelled(path: str, loops: dict[str, str]) -> str:
    """How a template writes the value at `path`: "punktid[].nr" -> "punkt.nr"."""
    head, sep, field = path.rpartition("[].")
    if not sep:
        return path
    return f"{loops[head]}.{field}"


def usage(var: Var, loops: dict[str, str]) -> str:
    spelled = _spelled(var.path, loops)
    if var.kind == "loend":
        return f"`for {var.loop} in {spelled}`"
    if var.kind == "kirje":
        return f"`{spelled}.…`"
    if var.kind == "tõeväärtus":
        return f"`{{% if {spelled} %}}`"
    return f"`{{{{ {spelled} }}}}`"


def variable_table(declared: tuple[Var, ...]) -> str:
    """A markdown table: how to write it, kind, meaning."""
    loops = _loop_names(declared)
    rows = ["| silt mallis | liik | tähendus |", "|---|---|---|"]
    for var in declared:
        doc = var.doc.replace("|", "\\|")
        rows.append(f"| {usage(var, loops)} | {var.kind} | {doc} |")
    return "\n".join(rows)


def with_variable_tables(markdown: str) -> str:
    """`markdown` with each `<!-- muutujad: NAME -->` ... `<!-- /muutujad -->` region regenerated."""
    return REGION.sub(lambda m: f"{m.group(1)}{variable_table(TEMPLATES[m.group(2)])}\n{m.group(3)}", markdown)


def project_contexts(definitions: Path) -> dict[str, list[dict[str, Any]]]:
    """The contexts the renderer builds for every directive of a project, by template: what the
    reference tables are checked against (tools/gen_docs.py, tests/test_templates.py)."""
    from .definitions import load_definitions
    from .resolve import resolve_directive

    defs = load_definitions(definitions)
    out: dict[str, list[dict[str, Any]]] = {"kaskkiri": [], "ametijuhend": []}
    for directive_id in sorted(defs.directives):
        rd = resolve_directive(defs, directive_id)
        out["kaskkiri"].append(directive_context(rd))
        out["ametijuhend"].extend(annex_context(rd, a) for a in rd.annexes)
    return out

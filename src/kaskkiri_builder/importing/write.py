"""The YAML files an import writes, as text with comments saying where each part came from (pure).

Long texts are folded block scalars (`>-`) wrapped at 100 columns like the example's files; the
imported texts are whitespace-folded first, so folding reads them back unchanged. A text that
looks like a template (`{{`, `{%`, `{#`) is wrapped in `{% raw %}` so that it prints as written.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..scaffold import yaml_scalar
from .match import ClauseMatch, ListMatch
from .parse import ImportedDuty, ImportedPost
from .source import Origin

WIDTH = 100


def literal(text: str) -> str:
    """A document's text as a definitions text: Jinja syntax in it is printed, not run."""
    if "{{" in text or "{%" in text or "{#" in text:
        return "{% raw %}" + text + "{% endraw %}"
    return text


def scalar(text: str, indent: str, lead: str) -> list[str]:
    """`lead` (e.g. "eesmark: " or "- ") followed by `text`, folded when it is long."""
    one = f"{indent}{lead}{yaml_scalar(text)}"
    if len(one) <= WIDTH or yaml_scalar(text) != text or text != " ".join(text.split()):
        return [one]
    inner = indent + ("    " if lead.startswith("- ") and lead != "- " else "  ")
    wrapped = textwrap.wrap(text, WIDTH - len(inner), break_on_hyphens=False, break_long_words=False)
    return [f"{indent}{lead}>-", *[inner + w for w in wrapped]]


def comment(text: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in textwrap.wrap(text, WIDTH - len(indent) - 2,
                                                                   break_on_hyphens=False,
                                                                   break_long_words=False)]


@dataclass
class DutyPlan:
    duty: ImportedDuty
    clause: ClauseMatch | None
    near: str | None


@dataclass
class PostPlan:
    """Every decision about one imported post (`run.py` makes them, `post_yaml` writes them)."""

    id: str
    post: ImportedPost
    title: str | None
    unit: str | None
    group: str | None  # "ametnik" / "töötaja"
    lists: dict[str, ListMatch]
    special_conditions: str | None  # None: the group's default
    duties: list[DutyPlan]
    rights: ClauseMatch | None
    closing: ClauseMatch | None  # None: the default closing clause
    notes: list[str] = field(default_factory=list)  # what the report says about this post


def _params(params: dict[str, Any]) -> str:
    items = []
    for k, v in params.items():
        if isinstance(v, bool):
            value = "true" if v else "false"
        else:
            value = yaml_scalar(v) if isinstance(v, str) else str(v)
        items.append(f"{k}: {value}")
    return "{" + ", ".join(items) + "}"


def _clause_ref(key: str, m: ClauseMatch) -> list[str]:
    if not m.params:
        return [f"{key}: {m.clause_id}"]
    return [f"{key}:", f"  klausel: {m.clause_id}", f"  parameetrid: {_params(m.params)}"]


def _list(key: str, m: ListMatch, origin: Origin) -> list[str]:
    out = [f"# {origin.short()}"]
    for note in m.notes:
        out += comment(f"SOBITAMATA {note}")
    if m.text is None and all(q is None for _, q in m.refs):
        ids = [r for r, _ in m.refs]
        if len(ids) == 1 and key == "vahetu_juht":
            return [*out, f"{key}: {ids[0]}"]
        return [*out, f"{key}: [{', '.join(ids)}]"] if ids else [*out, f"{key}: []"]
    out.append(f"{key}:")
    if m.text is not None:
        if m.refs and not m.notes:
            out += comment("avaldatud sõnastus, mida ametikohtade nimetustest täpselt ei tuletata", "  ")
        out.append("  ametikohad:" + ("" if m.refs else " []"))
    for pid, q in m.refs:
        pad = "    " if m.text is not None else "  "
        if q is None:
            out.append(f"{pad}- {pid}")
        else:
            out.append(f"{pad}- {{ametikoht: {pid}, piirang: {'true' if q else 'false'}}}")
    if m.text is not None:
        out += scalar(literal(m.text), "  ", "tekst: ")
    return out


def post_yaml(plan: PostPlan) -> str:
    p = plan.post
    g = p.general
    out = ["# yaml-language-server: $schema=../../schemas/ametikoht.json"]
    where = f"{p.source}" + (f", Lisa {p.annex}" if p.annex is not None else "")
    out += comment(f"Imporditud: {where}. Kommentaarid ütlevad, kust iga osa pärineb; "
                   '"SOBITAMATA" märgib, mida ei saanud organisatsiooni üksuste ja ametikohtadega siduda.')
    out.append("")
    if plan.title is not None:
        out += [f"# {g['teenistuskoht'].origin.short()}", *scalar(plan.title, "", "teenistuskoht: ")]
    out.append(f"# {g['struktuuriyksus'].origin.short()}: {g['struktuuriyksus'].text}")
    if plan.unit is None:
        out += comment(f'SOBITAMATA struktuuriüksus "{g["struktuuriyksus"].text}": lisa see faili '
                       "organisatsioon.yaml või kirjuta siia olemasoleva üksuse id.")
        out.append("struktuuriyksus:")
    else:
        out.append(f"struktuuriyksus: {plan.unit}")
    grp = g.get("ametikoha_grupp")
    if plan.group is None:
        out += comment(f'SOBITAMATA ametikoha grupp "{grp.text if grp else ""}": kirjuta ametnik või töötaja.')
        out.append("ametikoha_grupp:")
    else:
        out += [f"# {grp.origin.short()}" if grp else "", f"ametikoha_grupp: {plan.group}"]
    for key in ("vahetu_juht", "alluvad", "teenistuja_asendab", "teenistuja_asendaja"):
        if key in plan.lists:
            out += _list(key, plan.lists[key], g[key].origin)
    if "eesmark" in g and g["eesmark"].text:
        out += [f"# {g['eesmark'].origin.short()}", *scalar(literal(g["eesmark"].text), "", "eesmark: ")]
    if plan.special_conditions is not None:
        out += [f"# {g['eritingimused'].origin.short()}",
                *scalar(literal(plan.special_conditions), "", "eritingimused: ")]
    out += ["", "ulesanded:"]
    for i, d in enumerate(plan.duties, start=1):
        out.append(f"  # 2.{i}: {d.duty.origin.short()}")
        if d.clause is not None:
            out.append(f"  - klausel: {d.clause.clause_id}")
            if d.clause.params:
                out.append(f"    parameetrid: {_params(d.clause.params)}")
            results = d.clause.results
        else:
            if d.near:
                out += comment(f'lähedane klauslile "{d.near}", kuid mitte sama tekst: jäeti tekstiks', "  ")
            out += scalar(literal(d.duty.text), "  ", "- ulesanne: ")
            results = d.duty.results
        if results is not None:
            out.append("    tulemused:")
            for r in results:
                out += scalar(literal(r), "      ", "- ")
    if p.requirements:
        first = next(iter(p.requirements.values())).origin
        out += ["", f"# {first.short()}", "nouded:"]
        for key, value in p.requirements.items():
            out += scalar(literal(value.text), "  ", f"{key}: ")
    if plan.rights is not None:
        where = p.rights_origin.short() if p.rights_origin else ""
        out += ["", f"# {where}", *_clause_ref("oigused_ja_vastutus", plan.rights)]
    if plan.closing is not None:
        out += [f"# {p.closing.origin.short() if p.closing else ''}", *_clause_ref("lopurida", plan.closing)]
    return "\n".join(out) + "\n"


@dataclass
class NewClause:
    """A clause the import adds (the rights rows and the closing line have no inline form)."""

    id: str
    rows: Sequence[tuple[str, Sequence[str]]] | None
    text: str | None
    origin: Origin


def clauses_yaml(clauses: Sequence[NewClause]) -> str:
    out = ["# yaml-language-server: $schema=../../schemas/klauslid.json"]
    out += comment("Imporditud: ametijuhendite 4. osa (Õigused ja vastutus) ja lõpurida, "
                   "mida klauslite kogus veel polnud. Ametikoha failis on need ainult viitena.")
    for c in clauses:
        out += ["", f"# {c.origin}", f"{c.id}:"]
        if c.rows is not None:
            out.append("  read:")
            for label, items in c.rows:
                out.append(f"    - silt: {yaml_scalar(label)}")
                out.append("      punktid:")
                for item in items:
                    out += scalar(literal(item), "        ", "- ")
        else:
            assert c.text is not None
            out += scalar(literal(c.text), "  ", "tekst: ")
    return "\n".join(out) + "\n"

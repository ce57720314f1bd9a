"""Every text of a directive, with where it is written, for the text-level checks.

Texts are taken as the document shows them: a shared clause is rendered with the parameters of
the post that uses it (so "teostamine" is checked where a post sets `tegevus: teostamine`), a
post's own text with the post's context. Each spot names the file and line where the words are
written: a clause's text points at the clause, once, however many annexes use it; the
`ClauseUse` records which annexes and which parameter values went into it, so that `run` can
list the annexes and move a finding about a parameter's value to the post that set it.
Titles, unit names and list texts are taken raw (they have no parameters).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..definitions.load import Source
from ..definitions.model import REQUIREMENT_LABELS, Definitions, DutyClause, Post, RowsClause, Text, TextClause
from ..resolve import DEFAULT_CLOSING
from .common import Renderer, annex_posts, directive_of
from .findings import TextSpot
from .lists import LISTS


@dataclass
class ClauseUse:
    """Who shows one line of a clause: its annexes, and each use's parameters and place."""

    clause_id: str
    raw: str  # the clause's text as written (Jinja included)
    annexes: set[int] = field(default_factory=set)
    uses: list[tuple[int, Source, dict[str, Any]]] = field(default_factory=list)


@dataclass
class Collected:
    spots: list[TextSpot]  # document order, one per (place, text): what the checks read
    groups: list[list[TextSpot]]  # sibling texts that should end alike (full stops)
    clause_lines: dict[tuple[str, int | None], ClauseUse]  # (file, line) of a clause text


def _spot(text: str, source: Source | None, annex: int | None, field: str) -> TextSpot:
    return TextSpot(
        text=text,
        file=source.file if source else None,
        line=source.line if source else None,
        annex=annex,
        field=field,
    )


class _Collector:
    def __init__(self, defs: Definitions):
        self.defs = defs
        self.renderer = Renderer(defs)
        self.spots: list[TextSpot] = []
        self.seen: set[tuple[str | None, int | None, str]] = set()
        self.clause_lines: dict[tuple[str, int | None], ClauseUse] = {}

    def add(self, text: str, source: Source | None, annex: int | None, field: str) -> TextSpot:
        spot = _spot(text, source, annex, field)
        key = (spot.file, spot.line, text)
        if key not in self.seen and text.strip():
            self.seen.add(key)
            self.spots.append(spot)
        return spot

    def clause_text(
        self,
        clause_id: str,
        text: Text,
        params: dict[str, Any],
        post_params: dict[str, Any],
        where: Source,
        annex: int,
        field: str,
    ) -> TextSpot:
        rendered = self.renderer.text(text, None, params)
        use = self.clause_lines.setdefault(
            (text.source.file, text.source.line), ClauseUse(clause_id, text.value)
        )
        use.annexes.add(annex)
        use.uses.append((annex, where, post_params))
        return self.add(rendered, text.source, annex, f"{clause_id}.{field}")


def collect(defs: Definitions, directive_id: str) -> Collected:
    """Spots, sibling groups and clause uses of one directive."""
    directive = directive_of(defs, directive_id)
    c = _Collector(defs)
    r = c.renderer
    groups: list[list[TextSpot]] = []
    across: dict[str, list[TextSpot]] = defaultdict(list)

    if directive.title is not None:
        c.add(r.text(directive.title), directive.title.source, None, "pealkiri")
    for i, t in enumerate(directive.legal_basis):
        c.add(r.text(t), t.source, None, f"oigusalus[{i}]")
    if directive.signatory.basis:
        c.add(directive.signatory.basis, directive.source, None, "allkirjastaja.alus")
    units = defs.organisation.units
    shown_units: set[str] = set()

    def unit_chain(unit_id: str) -> None:
        while unit_id and unit_id in units and unit_id not in shown_units:
            shown_units.add(unit_id)
            u = units[unit_id]
            c.add(u.name, u.source, None, f"struktuuriyksused.{u.id}.nimetus")
            c.add(u.genitive, u.source, None, f"struktuuriyksused.{u.id}.omastav")
            unit_id = u.parent or ""

    unit_chain(directive.unit)
    for n, ref in enumerate(directive.annexes, start=1):
        if ref.name:
            c.add(ref.name, ref.source, n, f"lisad[{n - 1}].nimetus")

    annexes = annex_posts(defs, directive_id)
    for n, post, _ref in annexes:  # titles first: a post's title belongs to its own annex
        c.add(post.title, post.source, n, "teenistuskoht")
    for n, post, _ref in annexes:
        unit_chain(post.unit)
        for attr, key, _q in LISTS:
            lst = getattr(post, attr)
            if lst is None:
                continue
            if lst.text is not None:
                c.add(r.text(lst.text, post), lst.text.source, n, f"{key}.tekst")
                continue
            for ref in lst.refs:
                if ref.name:
                    c.add(ref.name, ref.source, n, f"{key}.nimetus")
                    continue
                other = defs.posts.get(ref.post_id)
                if other is not None:
                    shown = (other.title_plural or other.title) if ref.plural else other.title
                    c.add(shown, other.source, n, "teenistuskoht_mitmuses" if ref.plural else "teenistuskoht")
        if post.purpose is not None:
            across["eesmark"].append(c.add(r.text(post.purpose, post), post.purpose.source, n, "eesmark"))
        if post.special_conditions is not None:
            c.add(r.text(post.special_conditions, post), post.special_conditions.source, n, "eritingimused")
        duty_texts, results = _duties(c, post, n)
        groups += [duty_texts, results]
        for key in REQUIREMENT_LABELS:
            t = post.requirements.get(key)
            if t is not None:
                across[f"nouded.{key}"].append(c.add(r.text(t, post), t.source, n, f"nouded.{key}"))
        if post.rights is not None:
            clause = defs.clauses.get(post.rights.clause_id)
            if isinstance(clause, RowsClause):
                params = r.clause_params(post, clause.defaults, post.rights.params)
                for label, items in clause.rows:
                    for k, t in enumerate(items):
                        c.clause_text(clause.id, t, params, post.rights.params, post.rights.source, n, f"{label}[{k}]")
        closing_id = post.closing.clause_id if post.closing else DEFAULT_CLOSING
        clause = defs.clauses.get(closing_id)
        if isinstance(clause, TextClause):
            own = post.closing.params if post.closing else {}
            params = r.clause_params(post, clause.defaults, own)
            where = post.closing.source if post.closing else post.source
            c.clause_text(clause.id, clause.text, params, own, where, n, "tekst")
    groups += list(across.values())
    return Collected(c.spots, [g for g in groups if g], c.clause_lines)


def _duties(c: _Collector, post: Post, n: int) -> tuple[list[TextSpot], list[TextSpot]]:
    """The spots of section 2: the duty texts and all the results of one annex."""
    r = c.renderer
    texts: list[TextSpot] = []
    results: list[TextSpot] = []
    for i, duty in enumerate(post.duties):
        field = f"ulesanded[{i}]"
        if duty.clause_id is None:
            if duty.text is not None:
                texts.append(c.add(r.text(duty.text, post), duty.text.source, n, f"{field}.ulesanne"))
            for k, t in enumerate(duty.results or ()):
                results.append(c.add(r.text(t, post), t.source, n, f"{field}.tulemused[{k}]"))
            continue
        clause = c.defs.clauses.get(duty.clause_id)
        if not isinstance(clause, DutyClause):
            continue
        params = r.clause_params(post, clause.defaults, duty.params)
        texts.append(c.clause_text(clause.id, clause.text, params, duty.params, duty.source, n, "ulesanne"))
        if duty.results is not None:
            for k, t in enumerate(duty.results):
                results.append(c.add(r.text(t, None, params), t.source, n, f"{field}.tulemused[{k}]"))
        else:
            for k, t in enumerate(clause.results):
                results.append(
                    c.clause_text(clause.id, t, params, duty.params, duty.source, n, f"tulemused[{k}]")
                )
    return texts, results


def text_spots(defs: Definitions, directive_id: str) -> list[TextSpot]:
    """Every text of the directive and its annexes, once per place, in document order."""
    return collect(defs, directive_id).spots

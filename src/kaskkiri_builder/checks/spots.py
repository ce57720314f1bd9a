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
from ..definitions.model import HEAD_ID, REQUIREMENT_LABELS, Definitions, DutyClause, Post, RowsClause, Text, TextClause
from .common import Renderer, annex_posts, directive_of
from .findings import TextSpot
from .lists import LISTS


@dataclass(frozen=True)
class Use:
    """One post showing a clause: its annex, the post, where it picks the clause, its parameters."""

    annex: int
    post_id: str
    source: Source
    params: dict[str, Any]


@dataclass
class ClauseUse:
    """Who shows one line of a clause: its annexes, and each use's parameters and place."""

    clause_id: str
    raw: str  # the clause's text as written (Jinja included)
    annexes: set[int] = field(default_factory=set)
    uses: list[Use] = field(default_factory=list)


@dataclass
class Collected:
    spots: list[TextSpot]  # document order, one per (place, text): what the checks read
    groups: list[list[TextSpot]]  # sibling texts that should end alike (full stops)
    clause_lines: dict[tuple[str, int | None], ClauseUse]  # (file, line) of a clause text


def _spot(text: str, source: Source | None, annex: int | None, field: str, subject: str | None) -> TextSpot:
    return TextSpot(
        text=text,
        file=source.file if source else None,
        line=source.line if source else None,
        annex=annex,
        field=field,
        subject=subject,
    )


class _Collector:
    def __init__(self, defs: Definitions):
        self.defs = defs
        self.renderer = Renderer(defs)
        self.spots: list[TextSpot] = []
        self.seen: set[tuple[str | None, int | None, str]] = set()
        self.clause_lines: dict[tuple[str, int | None], ClauseUse] = {}

    def add(
        self, text: str, source: Source | None, annex: int | None, field: str, subject: str | None
    ) -> TextSpot:
        spot = _spot(text, source, annex, field, subject)
        key = (spot.file, spot.line, text)
        if key not in self.seen and text.strip():
            self.seen.add(key)
            self.spots.append(spot)
        return spot

    def clause_text(self, clause_id: str, text: Text, params: dict[str, Any], use: Use, field: str) -> TextSpot:
        """A clause's text as `use` shows it; the spot is at the clause, about the clause."""
        rendered = self.renderer.text(text, None, params)
        line = self.clause_lines.setdefault(
            (text.source.file, text.source.line), ClauseUse(clause_id, text.value)
        )
        line.annexes.add(use.annex)
        line.uses.append(use)
        return self.add(rendered, text.source, use.annex, f"{clause_id}.{field}", clause_id)


def collect(defs: Definitions, directive_id: str) -> Collected:
    """Spots, sibling groups and clause uses of one directive."""
    directive = directive_of(defs, directive_id)
    c = _Collector(defs)
    r = c.renderer
    groups: list[list[TextSpot]] = []
    across: dict[str, list[TextSpot]] = defaultdict(list)

    d = directive.id
    if directive.title is not None:
        c.add(r.text(directive.title), directive.title.source, None, "pealkiri", d)
    for i, t in enumerate(directive.legal_basis):
        c.add(r.text(t), t.source, None, f"oigusalus[{i}]", d)
    if directive.signatory.basis:
        c.add(directive.signatory.basis, directive.source, None, "allkirjastaja.alus", d)
    shown_units: set[str] = set()

    def unit_chain(unit_id: str) -> None:
        """The unit names a chain shows, innermost first, each unit once per directive."""
        for u in reversed(defs.organisation.unit_chain(unit_id)):
            if u.id in shown_units:
                continue
            shown_units.add(u.id)
            c.add(u.name, u.source, None, f"struktuuriyksused.{u.id}.nimetus", u.id)
            c.add(u.genitive, u.source, None, f"struktuuriyksused.{u.id}.omastav", u.id)

    unit_chain(directive.unit)
    for n, ref in enumerate(directive.annexes, start=1):
        if ref.name:
            c.add(ref.name, ref.source, n, f"lisad[{n - 1}].nimetus", d)

    annexes = annex_posts(defs, directive_id)
    for n, post, _ref in annexes:  # titles first: a post's title belongs to its own annex
        c.add(post.title, post.source, n, "teenistuskoht", post.id)
    for n, post, _ref in annexes:
        unit_chain(post.unit)
        _lists(c, post, n)
        if post.purpose is not None:
            across["eesmark"].append(c.add(r.text(post.purpose, post), post.purpose.source, n, "eesmark", post.id))
        if post.special_conditions is not None:
            text = r.text(post.special_conditions, post)
            c.add(text, post.special_conditions.source, n, "eritingimused", post.id)
        duty_texts, results = _duties(c, post, n)
        groups += [duty_texts, results]
        for key in REQUIREMENT_LABELS:
            req = post.requirements.get(key)
            if req is not None:
                across[f"nouded.{key}"].append(c.add(r.text(req, post), req.source, n, f"nouded.{key}", post.id))
        _rights_and_closing(c, post, n)
    groups += list(across.values())
    return Collected(c.spots, [g for g in groups if g], c.clause_lines)


def _lists(c: _Collector, post: Post, n: int) -> None:
    """The spots of the lists of posts: a published text, or the names the entries show."""
    for attr, key, _q in LISTS:
        lst = getattr(post, attr)
        if lst is None:
            continue
        if lst.text is not None:
            c.add(c.renderer.text(lst.text, post), lst.text.source, n, f"{key}.tekst", post.id)
            continue
        for ref in lst.refs:
            if ref.name:
                c.add(ref.name, ref.source, n, f"{key}.nimetus", post.id)
                continue
            other = c.defs.posts.get(ref.post_id)
            if ref.post_id == HEAD_ID:  # the head of the agency: its title in organisatsioon.yaml
                org = c.defs.organisation
                c.add(org.head.title, org.source, n, "juht.ametinimetus", HEAD_ID)
            elif other is not None:
                shown = (other.title_plural or other.title) if ref.plural else other.title
                field = "teenistuskoht_mitmuses" if ref.plural else "teenistuskoht"
                c.add(shown, other.source, n, field, other.id)


def _rights_and_closing(c: _Collector, post: Post, n: int) -> None:
    """The spots of section 4 and of the last line: shared clauses in the post's parameters."""
    r = c.renderer
    if post.rights is not None:
        clause = c.defs.clauses.get(post.rights.clause_id)
        if isinstance(clause, RowsClause):
            params = r.clause_params(post, clause, post.rights.params)
            use = Use(n, post.id, post.rights.source, post.rights.params)
            for label, items in clause.rows:
                for k, t in enumerate(items):
                    c.clause_text(clause.id, t, params, use, f"{label}[{k}]")
    closing = c.defs.clauses.get(post.closing_clause_id)
    if isinstance(closing, TextClause):
        params = r.clause_params(post, closing, post.closing_params)
        use = Use(n, post.id, post.closing_source, post.closing_params)
        c.clause_text(closing.id, closing.text, params, use, "tekst")


def _duties(c: _Collector, post: Post, n: int) -> tuple[list[TextSpot], list[TextSpot]]:
    """The spots of section 2: the duty texts and all the results of one annex."""
    r = c.renderer
    texts: list[TextSpot] = []
    results: list[TextSpot] = []
    for i, duty in enumerate(post.duties):
        field = f"ulesanded[{i}]"
        if duty.clause_id is None:
            if duty.text is not None:
                texts.append(c.add(r.text(duty.text, post), duty.text.source, n, f"{field}.ulesanne", post.id))
            for k, t in enumerate(duty.results or ()):
                results.append(c.add(r.text(t, post), t.source, n, f"{field}.tulemused[{k}]", post.id))
            continue
        clause = c.defs.clauses.get(duty.clause_id)
        if not isinstance(clause, DutyClause):
            continue
        params = r.clause_params(post, clause, duty.params)
        use = Use(n, post.id, duty.source, duty.params)
        texts.append(c.clause_text(clause.id, clause.text, params, use, "ulesanne"))
        if duty.results is not None:
            for k, t in enumerate(duty.results):
                results.append(c.add(r.text(t, None, params), t.source, n, f"{field}.tulemused[{k}]", post.id))
        else:
            for k, t in enumerate(clause.results):
                results.append(c.clause_text(clause.id, t, params, use, f"tulemused[{k}]"))
    return texts, results


def text_spots(defs: Definitions, directive_id: str) -> list[TextSpot]:
    """Every text of the directive and its annexes, once per place, in document order."""
    return collect(defs, directive_id).spots

"""Which shared clauses each annex uses, and where it departs from them.

A reviewer trusts a shared clause once; what needs reading is where an annex is different:
parameters that change the clause's words, the clause's results replaced by the post's own, and
the post's own duties that are nearly a clause (copied and then edited, or drifted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..checks.textdiff import NEAR_MISS_RATIO, similarity
from ..clause_text import TextRenderer
from ..definitions.model import Definitions, DutyClause, RowsClause, Text, TextClause
from ..resolve import ResolvedAnnex, ResolvedDirective, clause_params
from .redline import Segment, word_diff

NEAR = NEAR_MISS_RATIO  # an own duty this similar to a clause is reported as a departure from it


@dataclass(frozen=True)
class Departure:
    annex: int
    where: str  # "2.8." or "4."
    clause_id: str
    kind: str  # "parameetrid" | "tulemused" | "oma sõnastus"
    summary: str  # Estonian, one line
    diff: tuple[Segment, ...] = ()  # the clause's words → the annex's words


@dataclass
class Usage:
    """One cell: where an annex uses a clause, and whether it departs from it."""

    places: list[str] = field(default_factory=list)  # "2.3.", "4.", "lõpurida"
    departures: list[Departure] = field(default_factory=list)


@dataclass
class ClauseTable:
    clause_ids: list[str]  # columns, in the order the annexes first use them
    cells: dict[int, dict[str, Usage]]  # annex → clause → usage
    own_duties: dict[int, int]  # annex → number of duties written in the post itself
    departures: list[Departure]


def _changed_params(defaults: dict[str, Any], params: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(params):
        before = defaults.get(key, "—")
        if key not in defaults or params[key] != before:
            out.append(f"{key}: {_show(before)} → {_show(params[key])}")
    return out


def _show(value: Any) -> str:
    if value is True:
        return "jah"
    if value is False:
        return "ei"
    return str(value)


def _duty_text(text: str, results: tuple[str, ...] | list[str]) -> str:
    return "\n".join([text, *results])


def clause_table(defs: Definitions, rd: ResolvedDirective) -> ClauseTable:
    renderer = TextRenderer()  # problems were reported by the build; here only the words matter

    def render(text: Text, params: dict[str, Any]) -> str:
        return renderer.render(text, params) or ""

    columns: list[str] = []
    cells: dict[int, dict[str, Usage]] = {}
    own: dict[int, int] = {}
    departures: list[Departure] = []

    def use(annex: ResolvedAnnex, clause_id: str, place: str) -> Usage:
        if clause_id not in columns:
            columns.append(clause_id)
        usage = cells.setdefault(annex.number, {}).setdefault(clause_id, Usage())
        usage.places.append(place)
        return usage

    def depart(usage: Usage, d: Departure) -> None:
        usage.departures.append(d)
        departures.append(d)

    duty_clauses = {cid: c for cid, c in defs.clauses.items() if isinstance(c, DutyClause)}
    for annex in rd.annexes:
        post = annex.post
        cells.setdefault(annex.number, {})
        own[annex.number] = 0
        for duty, resolved in zip(post.duties, annex.duties, strict=True):
            if duty.clause_id is not None:
                clause = defs.clauses[duty.clause_id]
                usage = use(annex, duty.clause_id, resolved.number)
                if not isinstance(clause, DutyClause):
                    continue
                changed = _changed_params(clause.defaults, duty.params)
                if changed:
                    depart(usage, Departure(annex.number, resolved.number, clause.id, "parameetrid",
                                            "; ".join(changed)))
                if duty.results is not None:
                    params = clause_params(defs, post, clause, duty.params)
                    their_results = [render(t, params) for t in clause.results]
                    depart(usage, Departure(
                        annex.number, resolved.number, clause.id, "tulemused",
                        "klausli oodatavad tulemused on asendatud ametikoha omadega",
                        word_diff("\n".join(their_results), "\n".join(resolved.results)),
                    ))
                continue
            own[annex.number] += 1
            mine = _duty_text(resolved.text, resolved.results)
            best: tuple[float, str, str] | None = None
            for cid, candidate in sorted(duty_clauses.items()):
                params = clause_params(defs, post, candidate, {})
                theirs = _duty_text(render(candidate.text, params),
                                    [render(t, params) for t in candidate.results])
                score = similarity(theirs, mine)
                if score >= NEAR and (best is None or score > best[0]):
                    best = (score, cid, theirs)
            if best is not None:
                score, cid, theirs = best
                usage = use(annex, cid, f"≈{resolved.number}")
                depart(usage, Departure(
                    annex.number, resolved.number, cid, "oma sõnastus",
                    f"ametikoha oma tekst, {round(score * 100)}% ulatuses sama mis klausel",
                    word_diff(theirs, mine),
                ))
        if post.rights is not None:
            rows = defs.clauses.get(post.rights.clause_id)
            usage = use(annex, post.rights.clause_id, "4.")
            if isinstance(rows, RowsClause):
                changed = _changed_params(rows.defaults, post.rights.params)
                if changed:
                    depart(usage, Departure(annex.number, "4.", rows.id, "parameetrid", "; ".join(changed)))
        closing_id = post.closing_clause_id
        last = defs.clauses.get(closing_id)
        if isinstance(last, TextClause):
            usage = use(annex, closing_id, "lõpurida")
            if post.closing is not None:
                changed = _changed_params(last.defaults, post.closing.params)
                if changed:
                    depart(usage, Departure(annex.number, "lõpurida", last.id, "parameetrid",
                                            "; ".join(changed)))
    return ClauseTable(columns, cells, own, departures)

"""Where a shared clause is used: posts, draft directives, recorded directives.

Changing a clause changes every job description that uses it; before editing one, HR needs to
know which posts that is (and with which parameters, since parameters change the words), which
drafts will carry the change, and which signed directives approved the old wording.
Pure: the signed definitions arrive as values (recorded.py reads them).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .definitions.load import Source
from .definitions.model import Clause, Definitions, Directive, LedgerDirective, Post
from .errors import DefinitionError, Problem

CLOSING_PLACE = "lõpurida"
RIGHTS_PLACE = "4."


@dataclass(frozen=True)
class ClauseUse:
    """One reference of a post to the clause: where in the annex, with which parameters."""

    post_id: str
    place: str  # "2.3.", "4.", "lõpurida"
    params: Mapping[str, Any]  # the post's own parameters (empty: the clause's defaults)
    own_results: bool  # the post replaces the clause's expected results with its own
    source: Source  # the post's line of the reference


@dataclass(frozen=True)
class DirectiveUse:
    """A directive whose annexes use the clause: (annex number, post id) of each such annex."""

    directive_id: str
    label: str  # "eelnõu 2026-02" / "käskkiri 07.01.2026 nr 1"
    annexes: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class ClauseUsage:
    clause: Clause
    posts: tuple[ClauseUse, ...]
    drafts: tuple[DirectiveUse, ...]
    recorded: tuple[DirectiveUse, ...]
    unarchived: tuple[str, ...]  # labels of recorded directives whose signed wording is not kept


def clause_of(defs: Definitions, clause_id: str) -> Clause:
    """The clause with this id, or a DefinitionError suggesting the closest ids."""
    clause = defs.clauses.get(clause_id)
    if clause is not None:
        return clause
    close = difflib.get_close_matches(clause_id, sorted(defs.clauses), n=3, cutoff=0.6)
    if close:
        hint = f"Kas mõtlesid: {', '.join(close)}?"
    else:
        hint = f"Olemasolevad klauslid: {', '.join(sorted(defs.clauses)) or '(ühtegi pole)'}."
    raise DefinitionError(Problem(
        f'klauslit "{clause_id}" ei ole kaustas definitions/klauslid/. {hint} Klausli id on '
        "võti klauslifailis (näiteks ulesanne-kriisid: ...)."))


def post_uses(post: Post) -> Iterator[tuple[str, ClauseUse]]:
    """(clause id, use) for every reference of a post to a shared clause, in annex order; the
    default closing line of a full post too: it is a use although the post does not name it."""
    for i, duty in enumerate(post.duties, start=1):
        if duty.clause_id is not None:
            yield duty.clause_id, ClauseUse(post.id, f"2.{i}.", duty.params, duty.results is not None,
                                            duty.source)
    if post.rights is not None:
        yield post.rights.clause_id, ClauseUse(post.id, RIGHTS_PLACE, post.rights.params, False,
                                               post.rights.source)
    if post.closing is not None or post.is_full:
        yield post.closing_clause_id, ClauseUse(post.id, CLOSING_PLACE, post.closing_params, False,
                                                post.closing_source)


def uses_of(defs: Definitions, clause_id: str) -> tuple[ClauseUse, ...]:
    """The references to the clause, post by post (ids sorted)."""
    return tuple(
        use
        for post in sorted(defs.posts.values(), key=lambda p: p.id)
        for cid, use in post_uses(post)
        if cid == clause_id
    )


def clauses_of(post: Post) -> set[str]:
    """The ids of the clauses a post's annex is made of."""
    return {cid for cid, _use in post_uses(post)}


def _annexes_using(defs: Definitions, posts: Mapping[int, str], clause_id: str) -> tuple[tuple[int, str], ...]:
    return tuple(
        (n, post_id) for n, post_id in sorted(posts.items())
        if post_id in defs.posts and clause_id in clauses_of(defs.posts[post_id])
    )


def draft_uses(defs: Definitions, clause_id: str) -> tuple[DirectiveUse, ...]:
    """The drafts whose annexes will carry the clause as it is written now."""
    out: list[DirectiveUse] = []
    for directive in sorted(defs.directives.values(), key=lambda d: d.id):
        if directive.is_draft:
            annexes = _annexes_using(defs, _annex_posts(directive), clause_id)
            if annexes:
                out.append(DirectiveUse(directive.id, f"eelnõu {directive.id}", annexes))
    return tuple(out)


def _annex_posts(directive: Directive) -> dict[int, str]:
    return {n: ref.post_id for n, ref in enumerate(directive.annexes, start=1)}


def _ledger_posts(entry: LedgerDirective) -> dict[int, str]:
    return {jd.annex or 1: jd.post for jd in entry.job_descriptions()}


def recorded_uses(
    defs: Definitions, archives: Mapping[str, Definitions], clause_id: str
) -> tuple[tuple[DirectiveUse, ...], tuple[str, ...]]:
    """The recorded directives whose signed job descriptions used the clause, read in their own
    archive (the clause may have been used differently then); and the labels of those whose
    wording is not archived, so nothing can be said of them."""
    found: list[DirectiveUse] = []
    unknown: list[str] = []
    for entry in sorted(defs.ledger or (), key=lambda e: e.key):
        signed = archives.get(entry.id) if entry.id is not None else None
        if signed is None:
            unknown.append(entry.label)
            continue
        annexes = _annexes_using(signed, _ledger_posts(entry), clause_id)
        if annexes:
            found.append(DirectiveUse(entry.id or "", entry.label, annexes))
    return tuple(found), tuple(unknown)


def clause_usage(defs: Definitions, clause_id: str, archives: Mapping[str, Definitions]) -> ClauseUsage:
    """Everything `kaskkiri klauslid kasutus` reports of one clause."""
    clause = clause_of(defs, clause_id)
    recorded, unarchived = recorded_uses(defs, archives, clause_id)
    return ClauseUsage(clause, uses_of(defs, clause_id), draft_uses(defs, clause_id), recorded, unarchived)


def usage_json(usage: ClauseUsage) -> dict[str, Any]:
    """The usage as plain data (`--json`)."""
    def directive(d: DirectiveUse) -> dict[str, Any]:
        return {"id": d.directive_id, "nimetus": d.label,
                "lisad": [{"lisa": n, "ametikoht": p} for n, p in d.annexes]}

    return {
        "klausel": usage.clause.id,
        "fail": usage.clause.source.file,
        "rida": usage.clause.source.line,
        "ametikohad": [
            {"ametikoht": u.post_id, "koht": u.place, "parameetrid": dict(u.params),
             "oma_tulemused": u.own_results, "fail": u.source.file, "rida": u.source.line}
            for u in usage.posts
        ],
        "eelnoud": [directive(d) for d in usage.drafts],
        "registreeritud": [directive(d) for d in usage.recorded],
        "arhiivita": list(usage.unarchived),
    }


def shown(value: Any) -> str:
    """A parameter's value as the definitions' reader would type it (true/false as jah/ei)."""
    if isinstance(value, bool):
        return "jah" if value else "ei"
    return str(value)


def use_line(use: ClauseUse) -> str:
    """One post's use, for the plain-text report."""
    given = "; ".join(f"{k} = {shown(v)}" for k, v in sorted(use.params.items())) or "vaikeväärtused"
    results = "; oma tulemused" if use.own_results else ""
    return f"{use.post_id}  {use.place}  {given}{results}  ({use.source.file}:{use.source.line})"


def directive_line(d: DirectiveUse) -> str:
    annexes = ", ".join(f"lisa {n} ({post})" for n, post in d.annexes)
    name = d.label if d.directive_id in d.label else f"{d.label} ({d.directive_id})"
    return f"{name}: {annexes}"


def usage_lines(usage: ClauseUsage) -> list[str]:
    """`kaskkiri klauslid kasutus` as plain Estonian text."""
    c = usage.clause
    about = f": {c.description}" if c.description else ""
    lines = [f"Klausel {c.id}{about} ({c.source.file}:{c.source.line})", "",
             f"Ametikohad, mis klauslit kasutavad ({len(usage.posts)}):"]
    lines += [f"  {use_line(u)}" for u in usage.posts] or ["  (ükski)"]
    lines += ["", f"Eelnõud, mille lisad klauslit kasutavad ({len(usage.drafts)}):"]
    lines += [f"  {directive_line(d)}" for d in usage.drafts] or ["  (ükski)"]
    lines += ["", f"Registreeritud käskkirjad, mille kinnitatud ametijuhendid klauslit kasutasid "
                  f"({len(usage.recorded)}):"]
    lines += [f"  {directive_line(d)}" for d in usage.recorded] or ["  (ükski)"]
    return lines


def usage_note(usage: ClauseUsage) -> str | None:
    """What cannot be said: recorded directives whose signed definitions are not archived."""
    if not usage.unarchived:
        return None
    return ("nende registreeritud käskkirjade allkirjastamisaegseid definitsioone pole arhiivis "
            f"(arhiiv/<id>/definitions/), seega ei saa öelda, kas need klauslit kasutasid: "
            f"{', '.join(usage.unarchived)}.")

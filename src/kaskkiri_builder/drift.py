"""The job descriptions in force whose text today's definitions would change: the queue for the
next directive.

A job description stays in force with the words it was signed with; editing a shared clause or a
post changes only what the next directive would approve. This module compares, for every job
description in force whose signed definitions are archived, the annex as signed with the annex
the current definitions build (resolved texts, not Word bytes), and says why it differs: which
shared clause changed, or the post's own text. A clause is blamed by putting back its signed
version alone: if that changes today's annex, the clause's change reaches the post.
Pure: the signed definitions arrive as values (recorded.py reads them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .definitions.model import Clause, Definitions, JobDescriptionRef, PostRef
from .errors import Problem, TemplateError
from .history import in_force
from .resolve import DRAFT_DATE, DRAFT_NUMBER, ResolvedAnnex, Resolver
from .usage import CLOSING_PLACE, clauses_of

OWN_TEXT = "ametikoha oma tekst"
REMOVED = "kaotatud või eemaldatud ametikohad"

Parts = dict[str, str]  # place in the annex ("2.3.", "3. Haridus") -> its text


@dataclass(frozen=True)
class Change:
    """One cause of a difference and the places of the annex it changes."""

    cause: str  # a clause id, OWN_TEXT or REMOVED
    places: tuple[str, ...]  # "2.9.", "3. Keeleoskus" (none for REMOVED)


@dataclass(frozen=True)
class OutOfDate:
    """A job description in force that the next directive would approve in other words."""

    post_id: str
    title: str
    directive_id: str
    directive: str  # "käskkiri 07.01.2026 nr 1"
    annex: int | None
    changes: tuple[Change, ...]
    drafts: tuple[str, ...]  # drafts that already take the post up (approve or abolish it)

    @property
    def causes(self) -> tuple[str, ...]:
        return tuple(c.cause for c in self.changes)

    def places(self, cause: str) -> tuple[str, ...]:
        return next((c.places for c in self.changes if c.cause == cause), ())


@dataclass(frozen=True)
class Overview:
    items: tuple[OutOfDate, ...]
    unarchived: tuple[JobDescriptionRef, ...]  # in force, signed wording not kept: not compared

    def groups(self) -> list[tuple[str, tuple[OutOfDate, ...]]]:
        """Items by cause: the shared clauses (ids sorted), then own text, then removed posts;
        an item with several causes is in each of their groups."""
        causes = {c for item in self.items for c in item.causes}
        order = sorted(causes - {OWN_TEXT, REMOVED}) + [c for c in (OWN_TEXT, REMOVED) if c in causes]
        return [(c, tuple(i for i in self.items if c in i.causes)) for c in order]


def annex_parts(annex: ResolvedAnnex) -> Parts:
    """An annex's text by place, heading left out (it names the directive, not the job)."""
    parts: Parts = {f"1. {label}": value for label, value in annex.general}
    parts.update({d.number: "\n".join([d.text, *d.results]) for d in annex.duties})
    parts.update({f"3. {label}": value for label, value in annex.requirements})
    parts.update({f"4. {label}": "\n".join(items) for label, items in annex.rights})
    parts[CLOSING_PLACE] = annex.closing
    return parts


def resolve_parts(defs: Definitions, ref: PostRef, number: int) -> tuple[Parts, list[Problem]]:
    """The annex of `ref` in `defs` by place, and the problems of its texts."""
    resolver = Resolver(defs)
    annex = resolver.annex(number, ref, f"{DRAFT_DATE} käskkirjaga nr {DRAFT_NUMBER}")
    return annex_parts(annex), resolver.texts.problems


def changed_places(old: Parts, new: Parts) -> tuple[str, ...]:
    """The places whose text differs, in today's annex order (places gone last)."""
    order = [*new, *(k for k in old if k not in new)]
    return tuple(k for k in order if old.get(k) != new.get(k))


def signed_clauses(current: Definitions, signed: Definitions, ids: set[str]) -> dict[str, Clause]:
    """The signed version of each clause of `ids` that can stand in for today's (same kind)."""
    return {
        cid: signed.clauses[cid]
        for cid in sorted(ids)
        if cid in signed.clauses and cid in current.clauses
        and type(signed.clauses[cid]) is type(current.clauses[cid])
    }


def with_clauses(defs: Definitions, clauses: Mapping[str, Clause]) -> Definitions:
    return replace(defs, clauses={**defs.clauses, **clauses})


def causes_of(current: Definitions, signed: Definitions, ref: PostRef, number: int,
              old: Parts, new: Parts) -> tuple[Change, ...]:
    """Why today's annex differs from the signed one, and where (see the module docstring)."""
    swaps = signed_clauses(current, signed, clauses_of(current.posts[ref.post_id]))
    changes = []
    for cid, clause in swaps.items():
        places = changed_places(resolve_parts(with_clauses(current, {cid: clause}), ref, number)[0], new)
        if places:
            changes.append(Change(cid, places))
    own = changed_places(old, resolve_parts(with_clauses(current, swaps), ref, number)[0])
    if own or not changes:
        changes.append(Change(OWN_TEXT, own or changed_places(old, new)))
    return tuple(changes)


def signed_ref(signed: Definitions, jd: JobDescriptionRef) -> PostRef | None:
    """The annex entry the job description was signed with (a title given there counts too)."""
    directive = signed.directives.get(jd.directive.id or "")
    n = jd.annex or 1
    if directive is not None and n <= len(directive.annexes) and directive.annexes[n - 1].post_id == jd.post:
        return directive.annexes[n - 1]
    post = signed.posts.get(jd.post)
    return PostRef(jd.post, post.source) if post is not None else None


def drafts_taking_up(current: Definitions, post_id: str) -> tuple[str, ...]:
    return tuple(sorted(
        d.id for d in current.directives.values()
        if d.is_draft and any(r.post_id == post_id for r in (*d.annexes, *d.abolished))
    ))


def is_removed(current: Definitions, post_id: str) -> bool:
    """Gone, short (no job description any more), or abolished by a draft."""
    post = current.posts.get(post_id)
    abolished = any(r.post_id == post_id for d in current.directives.values() if d.is_draft for r in d.abolished)
    return post is None or not post.is_full or abolished


def drift_of(current: Definitions, signed: Definitions, jd: JobDescriptionRef, ref: PostRef) -> OutOfDate | None:
    """The job description's difference from today's definitions; None when there is none."""
    number = jd.annex or 1
    old, old_problems = resolve_parts(signed, ref, number)
    title = signed.posts[jd.post].title

    def item(changes: tuple[Change, ...]) -> OutOfDate:
        return OutOfDate(jd.post, title, jd.directive.id or "", jd.directive.label, jd.annex, changes,
                         drafts_taking_up(current, jd.post))

    if is_removed(current, jd.post):
        return item((Change(REMOVED, ()),))
    new, problems = resolve_parts(current, ref, number)
    if problems or old_problems:
        raise TemplateError(list(dict.fromkeys([*problems, *old_problems])))
    if new == old:
        return None
    return item(causes_of(current, signed, ref, number, old, new))


def overview(current: Definitions, archives: Mapping[str, Definitions]) -> Overview:
    """Every job description in force today that the current definitions would word otherwise."""
    items: list[OutOfDate] = []
    unarchived: list[JobDescriptionRef] = []
    for _post, jd in sorted(in_force(current.ledger or ()).items()):
        signed = archives.get(jd.directive.id or "")
        ref = signed_ref(signed, jd) if signed is not None else None
        if signed is None or ref is None:
            unarchived.append(jd)
            continue
        found = drift_of(current, signed, jd, ref)
        if found is not None:
            items.append(found)
    return Overview(tuple(items), tuple(unarchived))


def overview_json(view: Overview) -> dict[str, Any]:
    """The overview as plain data (`--json`)."""
    def entry(i: OutOfDate, cause: str) -> dict[str, Any]:
        return {"ametikoht": i.post_id, "nimetus": i.title, "kaskkiri": i.directive_id,
                "kaskkirja_nimetus": i.directive, "lisa": i.annex, "muutunud": list(i.places(cause)),
                "pohjused": list(i.causes), "eelnoudes": list(i.drafts)}

    return {
        "ryhmad": [{"ryhm": cause, "ametijuhendid": [entry(i, cause) for i in items]}
                   for cause, items in view.groups()],
        "arhiivita": [{"ametikoht": jd.post, "kaskkiri": jd.directive.label, "lisa": jd.annex}
                      for jd in view.unarchived],
    }


def _heading(cause: str, count: int) -> str:
    return f"{cause} ({count}):" if cause in (OWN_TEXT, REMOVED) else f"klausel {cause} ({count}):"


def _item_line(item: OutOfDate, cause: str) -> str:
    annex = f" lisa {item.annex}" if item.annex is not None else ""
    what = (f"muutunud {', '.join(item.places(cause))}" if cause != REMOVED
            else "ametikohta pole, see on lühike või eelnõu kaotab selle")
    drafts = f"; eelnõus {', '.join(item.drafts)}" if item.drafts else ""
    return f"  {item.post_id} ({item.title}), {item.directive}{annex}: {what}{drafts}"


def overview_lines(view: Overview) -> list[str]:
    """`kaskkiri ulevaade` as plain Estonian text: one block per cause."""
    if not view.items:
        return ["Kõik kehtivad ametijuhendid, mille allkirjastamisaegsed definitsioonid on arhiivis, "
                "vastavad praegustele definitsioonidele."]
    lines = [f"Kehtivad ametijuhendid, mille tekst erineb praegustest definitsioonidest: "
             f"{len(view.items)} (järgmise käskkirja järjekord)."]
    for cause, items in view.groups():
        lines += ["", _heading(cause, len(items)), *(_item_line(i, cause) for i in items)]
    return lines


def overview_note(view: Overview) -> str | None:
    """What was not compared: job descriptions signed before archives were kept."""
    if not view.unarchived:
        return None
    listed = ", ".join(f"{jd.post} ({jd.directive.label}{f' lisa {jd.annex}' if jd.annex else ''})"
                       for jd in view.unarchived)
    return (f"{len(view.unarchived)} kehtivat ametijuhendit kinnitati käskkirjaga, mille "
            f"allkirjastamisaegseid definitsioone pole arhiivis; neid ei saa võrrelda: {listed}.")

"""The ledger of directives that approved job descriptions, and point 2 (revocation) from it.

Point 2 of a directive is not written by hand: it follows from which job description of each
post is in force just before the directive. The ledger records every earlier directive (what it
approved, what it explicitly revoked), and replaying it in (date, number) order answers that.
History is always cut just before the directive being built, so rebuilding a recorded directive
gives the text that was signed, whatever was recorded after it.

Grouping rule for point 2 (reproduces the reference exactly):
  1. Collect the job descriptions in force for the approved and abolished posts, per earlier
     directive, and order the directives by (date, number).
  2. Each directive takes one form:
     - it approved a single job description with no annexes  -> by its title ("pealkiri"):
       `peadirektori 18.05.2025 käskkirja nr 77 "Ametijuhendi kinnitamine"`;
     - every annex it ever approved is revoked now            -> comitative ("kinnitatud"):
       `... 06.02.2025 käskkirjaga nr 19 ... kinnitatud ametijuhendid`;
     - otherwise (some annexes stay in force, or some were already revoked) -> by annex ("lisad"):
       `peadirektori 23.12.2024 käskkirja nr 192 lisad 1 kuni 2, 4 ja 7 kuni 10`.
     "Every annex it ever approved" (not "every annex still in force") because the comitative
     form cites the whole directive: an annex already revoked must not be revoked again.
  3. Consecutive directives of the same form make one group: its items are joined with commas
     and "ja" before the last ("... käskkirja nr 5 "…", 03.03.2023 käskkirja nr 9 "…" ja ...").
     Chronological order is never broken to merge groups.
  4. Groups are joined with " ning "; the head's genitive ("peadirektori") opens each group once;
     a comitative group ends in "kinnitatud ametijuhend" when it revokes one job description in
     all, else "kinnitatud ametijuhendid". `parse_revocation` reads a phrase back.

Pure: no I/O. User-facing messages are Estonian.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal

from .definitions.ledger import Message, read_ledger, validate_ledger
from .definitions.load import Source, YamlDoc
from .definitions.model import (
    DEFAULT_TITLE_MANY,
    DEFAULT_TITLE_ONE,
    Definitions,
    Directive,
    JobDescriptionRef,
    Ledger,
    LedgerDirective,
    Revocation,
    number_key,
    same_number,
)
from .definitions.numbering import sequence_warnings
from .errors import Problem, RecordError, RecordRefused
from .estonian import (
    QuoteStyle,
    annex_ranges,
    format_date,
    join_list,
    parse_annex_ranges,
    parse_date,
    plural,
    quoted,
    signing_time,
)

__all__ = [
    "Source",
    "Message",
    "Revocation",
    "LedgerDirective",
    "Ledger",
    "JobDescriptionRef",
    "RevokedPart",
    "RevocationGroup",
    "RecordRefused",
    "DEFAULT_TITLE_ONE",
    "DEFAULT_TITLE_MANY",
    "number_key",
    "same_number",
    "in_force",
    "revocations_for",
    "phrase_revocation",
    "revocations_of",
    "revocation_phrase_for",
    "validate_ledger",
    "sequence_warnings",
    "record_refusals",
    "record",
    "ledger_from_data",
]

Form = Literal["lisad", "kinnitatud", "pealkiri"]


@dataclass(frozen=True, kw_only=True)
class RevokedPart:
    """The job descriptions revoked now out of one earlier directive, and the form citing them."""

    directive: LedgerDirective
    job_descriptions: tuple[JobDescriptionRef, ...]
    form: Form

    @property
    def annexes(self) -> frozenset[int]:
        return frozenset(j.annex for j in self.job_descriptions if j.annex is not None)

    @property
    def posts(self) -> tuple[str, ...]:
        return tuple(j.post for j in self.job_descriptions)

    def as_revocation(self) -> Revocation:
        """For the ledger entry of the directive being recorded."""
        return Revocation(
            number=self.directive.number,
            date=self.directive.date,
            annexes=None if self.form != "lisad" else self.annexes,
        )


@dataclass(frozen=True, kw_only=True)
class RevocationGroup:
    """One group of point 2: one "lisad" or "pealkiri" directive, or a run of "kinnitatud" ones."""

    form: Form
    parts: tuple[RevokedPart, ...]

    @property
    def count(self) -> int:
        """How many job descriptions the group revokes (singular/plural of the noun)."""
        return sum(len(p.job_descriptions) for p in self.parts)

    @property
    def posts(self) -> tuple[str, ...]:
        return tuple(post for p in self.parts for post in p.posts)


# --- replaying history ------------------------------------------------------------------------


def _selected(
    ledger: Ledger, on: date | None, before: tuple[date, str] | None
) -> list[LedgerDirective]:
    cut = None if before is None else (before[0], number_key(before[1]))
    chosen = [
        d
        for d in ledger
        if (cut is None or d.key < cut) and (on is None or d.date <= on)
    ]
    return sorted(chosen, key=lambda d: d.key)


def _find(ledger: Iterable[LedgerDirective], number: str, on: date) -> LedgerDirective | None:
    for d in ledger:
        if d.is_same(number, on):
            return d
    return None


def in_force(
    ledger: Ledger, on: date | None = None, before: tuple[date, str] | None = None
) -> dict[str, JobDescriptionRef]:
    """The job description in force for each post, replaying the ledger in (date, number) order.

    `before=(date, number)` cuts history just before that directive (use it to build a signed
    directive: the result does not change when later directives are recorded); `on` keeps only
    directives dated on or before that day (a draft with a planned date). Within one directive
    its explicit revocations apply first, then its approvals (an approval replaces the post's
    earlier job description).
    """
    chosen = _selected(ledger, on, before)
    current: dict[str, JobDescriptionRef] = {}
    for d in chosen:
        for r in d.revokes:
            target = _find(chosen, r.number, r.date)
            if target is None:
                continue  # validate_ledger reports it
            for jd in target.job_descriptions():
                if r.annexes is not None and jd.annex not in r.annexes:
                    continue
                held = current.get(jd.post)
                if held is not None and held.key == jd.key:
                    del current[jd.post]
        for jd in d.job_descriptions():
            current[jd.post] = jd
    return current


def revocations_for(
    ledger: Ledger,
    approved_posts: Iterable[str],
    abolished_posts: Iterable[str] = (),
    on: date | None = None,
    before: tuple[date, str] | None = None,
) -> list[RevocationGroup]:
    """Point 2's groups: the job descriptions in force for the approved and abolished posts.

    A post with nothing in force (a new post) adds nothing. See the module docstring for the
    grouping rule.
    """
    current = in_force(ledger, on=on, before=before)
    wanted = list(dict.fromkeys([*approved_posts, *abolished_posts]))
    per_directive: dict[tuple[date, str], list[JobDescriptionRef]] = defaultdict(list)
    directives: dict[tuple[date, str], LedgerDirective] = {}
    for post in wanted:
        jd = current.get(post)
        if jd is None:
            continue
        k = (jd.directive.date, jd.directive.number)
        per_directive[k].append(jd)
        directives[k] = jd.directive

    parts: list[RevokedPart] = []
    for k in sorted(directives, key=lambda k: directives[k].key):
        d = directives[k]
        jds = tuple(sorted(per_directive[k], key=lambda j: (j.annex or 0, j.post)))
        if d.single_post is not None:
            form: Form = "pealkiri"
        elif {j.annex for j in jds} == set(d.annexes):
            form = "kinnitatud"
        else:
            form = "lisad"
        parts.append(RevokedPart(directive=d, job_descriptions=jds, form=form))

    groups: list[RevocationGroup] = []
    for part in parts:
        if groups and groups[-1].form == part.form:
            groups[-1] = RevocationGroup(form=part.form, parts=(*groups[-1].parts, part))
        else:
            groups.append(RevocationGroup(form=part.form, parts=(part,)))
    return groups


def _genitive(d: LedgerDirective) -> str:
    return f"{format_date(d.date)} käskkirja nr {d.number}"


def _comitative(d: LedgerDirective) -> str:
    return f"{format_date(d.date)} käskkirjaga nr {d.number}"


def phrase_revocation(
    groups: Sequence[RevocationGroup],
    *,
    head_genitive: str = "peadirektori",
    style: Literal["kuni", "sidekriips"] = "kuni",
    pairs: bool = True,
    quotes: QuoteStyle = "sirged",
) -> str | None:
    """The object of point 2 ("Tunnistan kehtetuks {phrase}."); None when nothing is revoked."""
    phrases: list[str] = []
    for g in groups:
        if not g.parts:
            continue
        if g.form == "kinnitatud":
            cited = join_list(_comitative(p.directive) for p in g.parts)
            noun = plural(g.count, "ametijuhend", "ametijuhendid")
            phrases.append(f"{head_genitive} {cited} kinnitatud {noun}")
            continue
        if g.form == "pealkiri":
            items = [f"{_genitive(p.directive)} {quoted(p.directive.display_title, quotes)}" for p in g.parts]
        else:
            items = [f"{_genitive(p.directive)} {plural(len(p.annexes), 'lisa', 'lisad')} "
                     f"{annex_ranges(p.annexes, style, pairs)}" for p in g.parts]
        phrases.append(f"{head_genitive} {join_list(items)}")
    return " ning ".join(phrases) if phrases else None


_CITED = re.compile(r"(\d{2}\.\d{2}\.\d{4}) (käskkirjaga|käskkirja) nr (\S+?)(?=[ ,]|$)")


def parse_revocation(phrase: str) -> list[tuple[date, str, frozenset[int] | None]]:
    """Point 2's phrase read back: each cited directive (date, number, its annexes, or None for
    the whole directive), in the order cited. The inverse of `phrase_revocation`, for the tests
    and for reading directives that were not written by kaskkiri."""
    cited = list(_CITED.finditer(phrase))
    out: list[tuple[date, str, frozenset[int] | None]] = []
    for i, m in enumerate(cited):
        day, case, number = m.groups()
        rest = phrase[m.end():cited[i + 1].start() if i + 1 < len(cited) else len(phrase)]
        body = re.sub(r"(,| ja)$", "", rest.split(" ning ")[0].rstrip())  # up to the next item
        listed = re.fullmatch(r" lisad? (.+)", body) if case == "käskkirja" else None
        annexes = frozenset(parse_annex_ranges(listed.group(1))) if listed else None
        out.append((parse_date(day), number, annexes))
    return out


def revocation_phrase_for(
    defs: Definitions, directive: Directive
) -> tuple[str | None, tuple[RevocationGroup, ...]]:
    """Point 2 for a directive of the model: (phrase or None, its groups, for review).

    A signed directive sees history just before itself; a draft sees all of it (up to its date).
    """
    ledger: Ledger = defs.ledger or ()
    if directive.number is not None and directive.date is not None:
        on, before = None, (directive.date, str(directive.number))
    else:
        on, before = directive.date, None
    groups = revocations_for(
        ledger,
        [ref.post_id for ref in directive.annexes],
        [ref.post_id for ref in directive.abolished],
        on=on,
        before=before,
    )
    org = defs.organisation
    style: Literal["kuni", "sidekriips"] = "sidekriips" if org.style.revocation_range == "sidekriips" else "kuni"
    phrase = phrase_revocation(groups, head_genitive=org.head.genitive, style=style,
                               pairs=org.style.pair_as_range, quotes=org.style.quotes)
    return phrase, tuple(groups)


def revocations_of(groups: Iterable[RevocationGroup]) -> tuple[Revocation, ...]:
    """The explicit revocations to store with a directive when it is recorded."""
    return tuple(p.as_revocation() for g in groups for p in g.parts)


# --- recording --------------------------------------------------------------------------------


def record_refusals(ledger: Ledger, directive: LedgerDirective) -> list[str]:
    """Why `directive` cannot be added to the ledger (empty: it can)."""
    reasons: list[str] = []
    if not str(directive.number).strip():
        return ["Käskkirjal pole numbrit: eelnõu saab registrisse kanda alles pärast registreerimist."]
    name = f"Käskkiri {directive.id} " if directive.id else "Käskkiri "
    for e in ledger:
        same_id = directive.id is not None and e.id == directive.id
        same_entry = e.is_same(directive.number, directive.date) and (
            directive.id is None or e.id is None or e.id == directive.id
        )
        if same_id or same_entry:
            return [
                f"{name}({format_date(e.date)} nr {e.number}) on juba ajalukku kantud: "
                "sama käskkirja ei saa kanda kaks korda."
            ]
    for e in ledger:
        if same_number(e.number, directive.number) and e.date.year == directive.date.year:
            reasons.append(
                f"Number {directive.number} on {directive.date.year}. aastal juba kasutatud "
                f"({e.label}{', ' + e.id if e.id else ''}): kontrolli käskkirja numbrit."
            )
    if ledger:
        latest = max(ledger, key=lambda e: e.key)
        if directive.date < latest.date:
            reasons.append(
                f"Käskkirja kuupäev {format_date(directive.date)} on varasem kui ajaloo viimase "
                f"käskkirja ({latest.label}) kuupäev: käskkirjad kantakse ajalukku "
                "allkirjastamise järjekorras."
            )
    return reasons


def signed(defs: Definitions, directive: Directive, number: str, on: date) -> Definitions:
    """The definitions with `directive` given its number and date (as signed); RecordError when
    its definition already names another number or date."""
    if (directive.number and directive.number != number) or (directive.date and directive.date != on):
        raise RecordError(Problem(
            f"käskkirja definitsioonis on juba number {directive.number} ja kuupäev "
            f"{format_date(directive.date) if directive.date else '-'}, mis ei klapi antud "
            "väärtustega. Kontrolli numbrit ja kuupäeva.",
            directive.source.file, directive.source.line))
    recorded = replace(directive, number=number, date=on)
    return replace(defs, directives={**defs.directives, directive.id: recorded})


def entry_for(defs: Definitions, directive: Directive, number: str, on: date, title: str,
              ledger_file: str | None = None) -> LedgerDirective:
    """The ledger entry of `directive` signed as `number` on `on`: what it approves and revokes.

    Raises RecordRefused, at `ledger_file`, when the ledger refuses it (a number used that year,
    a date before the newest recorded directive): the same rules for a final build as for
    `record`.
    """
    now = signed(defs, directive, number, on)
    _phrase, groups = revocation_phrase_for(now, now.directives[directive.id])
    entry = LedgerDirective(
        id=directive.id,
        number=number,
        date=on,
        title=title,
        annexes={n: ref.post_id for n, ref in enumerate(directive.annexes, start=1)},
        revokes=revocations_of(groups),
    )
    try:
        record(defs.ledger or (), entry)
    except RecordRefused as exc:
        raise RecordRefused(exc.reasons, ledger_file) from None
    return entry


def record(ledger: Ledger, directive: LedgerDirective) -> tuple[LedgerDirective, ...]:
    """A new ledger with `directive` added; raises RecordRefused with the reasons otherwise."""
    reasons = record_refusals(ledger, directive)
    if reasons:
        raise RecordRefused(reasons)
    return (*ledger, directive)


# --- from already parsed data ------------------------------------------------------------------


def ledger_from_data(
    data: object, file: str = "ajalugu.yaml"
) -> tuple[tuple[LedgerDirective, ...], list[Message]]:
    """The ledger from parsed ajalugu.yaml data (plain or ruamel; lines kept when known).

    Read by definitions.ledger, as the loader reads the file; for callers that hold the data.
    Returns what could be read and every problem found.
    """
    problems: list[Problem] = []
    ledger = read_ledger(YamlDoc(Path(file), file, {} if data is None else data), problems)
    return ledger, [(p.message, Source(str(p.file), p.line)) for p in problems]


def recorded_entry(defs: Definitions, directive_id: str) -> LedgerDirective | None:
    """The ledger entry of a recorded directive (by its file id); None while it is a draft."""
    return next((d for d in defs.ledger or () if d.id == directive_id), None)


def signing_note(defs: Definitions, directive_id: str) -> str | None:
    """Who signed a recorded directive and when (Estonian), as `check` and the review show it;
    None while the directive is not in the ledger."""
    entry = recorded_entry(defs, directive_id)
    if entry is None:
        return None
    if not entry.signatures:
        return (f"Registreeritud ({entry.label.removeprefix('käskkiri ')}) ilma allkirjastatud "
                "konteinerita: allkirju ei ole kontrollitud.")
    who = join_list([f"{s.name} ({signing_time(s.time)})" for s in entry.signatures])
    verb = "Allkirjastas" if len(entry.signatures) == 1 else "Allkirjastasid"
    return (f"{verb} {who}; registreeritud {entry.label.removeprefix('käskkiri ')}, "
            "allkirjastatud konteiner on kontrollitud ja arhiivis.")

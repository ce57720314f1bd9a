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
  3. Consecutive comitative directives form one group ("ja" before the last); every other
     directive is a group of its own. Chronological order is never broken to merge groups.
  4. Groups are joined with " ning "; the head's genitive ("peadirektori") opens each group once;
     a comitative group ends in "kinnitatud ametijuhend" when it revokes one job description in
     all, else "kinnitatud ametijuhendid".

Pure: no I/O. User-facing messages are Estonian.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from .estonian import (
    annex_ranges,
    capitalize_first,
    format_date,
    join_list,
    parse_annex_ranges,
    parse_date,
    plural,
)
from .definitions.model import Directive
from .errors import RecordRefused

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
    "number_key",
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

Source = tuple[str, int | None]  # (file, line)
Message = tuple[str, Source | None]  # (Estonian message, where)


def number_key(number: str) -> tuple[tuple[int, int, str], ...]:
    """Natural order of register numbers: "9" < "10", and "3-1/61-1" still sorts."""
    parts = re.findall(r"\d+|\D+", str(number))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


# --- the model --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Revocation:
    """What a directive explicitly revoked: some annexes of an earlier directive, or all of it."""

    number: str
    date: date
    annexes: frozenset[int] | None = None  # None: the whole directive
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class LedgerDirective:
    """One directive in the ledger: what it approved and what it explicitly revoked."""

    id: str | None = None  # the file in kaskkirjad/ ("2026-01"), when there is one
    number: str
    date: date
    title: str = ""  # empty: the default title from the number of job descriptions
    annexes: dict[int, str] = field(default_factory=dict)  # annex number -> post id
    single_post: str | None = None  # approved ONE job description with no annexes
    revokes: tuple[Revocation, ...] = ()
    source: Source | None = field(default=None, compare=False)
    annex_lines: dict[int, int] = field(default_factory=dict, compare=False)  # for messages

    def __hash__(self) -> int:  # the dict field would make the generated hash fail
        return hash((self.id, self.number, self.date))

    @property
    def key(self) -> tuple[date, tuple[tuple[int, int, str], ...]]:
        """The replay order: (date, number)."""
        return (self.date, number_key(self.number))

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return Directive.default_title_for(len(self.job_descriptions()))

    @property
    def label(self) -> str:
        """How messages name it: "käskkiri 23.12.2024 nr 192"."""
        return f"käskkiri {format_date(self.date)} nr {self.number}"

    def job_descriptions(self) -> list[JobDescriptionRef]:
        if self.single_post is not None:
            return [JobDescriptionRef(directive=self, annex=None, post=self.single_post)]
        return [
            JobDescriptionRef(directive=self, annex=n, post=p) for n, p in sorted(self.annexes.items())
        ]

    def is_same(self, number: str, on: date) -> bool:
        return str(self.number) == str(number) and self.date == on


Ledger = Sequence[LedgerDirective]


@dataclass(frozen=True, kw_only=True)
class JobDescriptionRef:
    """One job description: the directive that approved it and its annex (None: no annexes)."""

    directive: LedgerDirective
    annex: int | None
    post: str

    @property
    def key(self) -> tuple[date, str, int | None]:
        return (self.directive.date, self.directive.number, self.annex)

    def __hash__(self) -> int:
        return hash((*self.key, self.post))


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
        if part.form == "kinnitatud" and groups and groups[-1].form == "kinnitatud":
            groups[-1] = RevocationGroup(form="kinnitatud", parts=(*groups[-1].parts, part))
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
        (part,) = g.parts
        d = part.directive
        if g.form == "pealkiri":
            phrases.append(f'{head_genitive} {_genitive(d)} "{d.display_title}"')
        else:
            annexes = part.annexes
            noun = plural(len(annexes), "lisa", "lisad")
            phrases.append(f"{head_genitive} {_genitive(d)} {noun} {annex_ranges(annexes, style)}")
    return " ning ".join(phrases) if phrases else None


def revocation_phrase_for(
    defs: Any, directive: Any
) -> tuple[str | None, tuple[RevocationGroup, ...]]:
    """Point 2 for a directive of the model: (phrase or None, its groups, for review).

    Duck-typed on the definitions model (`defs.ledger`, `defs.organisation.head.genitive`,
    `defs.organisation.style.revocation_range`; `directive.annexes` / `.abolished` of post refs
    with `post_id`, `.number`, `.date`) so that this module needs nothing but `estonian`.
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
        [ref.post_id for ref in getattr(directive, "abolished", ())],
        on=on,
        before=before,
    )
    org = defs.organisation
    phrase = phrase_revocation(
        groups, head_genitive=org.head.genitive, style=org.style.revocation_range
    )
    return phrase, tuple(groups)


def revocations_of(groups: Iterable[RevocationGroup]) -> tuple[Revocation, ...]:
    """The explicit revocations to store with a directive when it is recorded."""
    return tuple(p.as_revocation() for g in groups for p in g.parts)


# --- checks -----------------------------------------------------------------------------------


def validate_ledger(ledger: Ledger, known_posts: Iterable[str]) -> list[Message]:
    """Errors in the ledger, each with an Estonian message and its place."""
    known = set(known_posts)
    out: list[Message] = []

    ids = Counter(d.id for d in ledger if d.id)
    for d in ledger:
        if d.id and ids[d.id] > 1:
            out.append((f"Käskkiri {d.id} on ajaloos mitu korda ({d.label}).", d.source))

    by_year: dict[tuple[int, str], list[LedgerDirective]] = defaultdict(list)
    for d in ledger:
        by_year[(d.date.year, str(d.number))].append(d)
    for (year, number), same in by_year.items():
        if len(same) > 1:
            dates = join_list([format_date(d.date) for d in same])
            for d in same:
                out.append(
                    (
                        f"Number {number} on {year}. aastal kasutusel mitu korda ({dates}): "
                        "ühel aastal saab ühte numbrit kasutada ühe korra.",
                        d.source,
                    )
                )

    for d in ledger:
        if d.single_post is not None and d.annexes:
            out.append(
                (
                    f"{capitalize_first(d.label)}: kas `ametijuhend` (üks ametijuhend ilma lisata) või "
                    "`lisad`, mitte mõlemad.",
                    d.source,
                )
            )
        if d.single_post is None and not d.annexes:
            out.append((f"{capitalize_first(d.label)} ei kinnita ühtegi ametijuhendit.", d.source))
        for n in d.annexes:
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                out.append(
                    (f"{capitalize_first(d.label)}: lisa number {n!r} ei ole positiivne täisarv.", d.source)
                )
        posts_by_annex: dict[str, list[int]] = defaultdict(list)
        for jd in d.job_descriptions():
            if jd.post not in known:
                where = f"lisa {jd.annex}" if jd.annex is not None else "ametijuhend"
                out.append(
                    (
                        f'{capitalize_first(d.label)}, {where}: tundmatu ametikoht "{jd.post}" '
                        f"(faili ametikohad/{jd.post}.yaml ei ole). Paranda id või lisa ametikoha fail.",
                        _annex_source(d, jd.annex),
                    )
                )
            if jd.annex is not None:
                posts_by_annex[jd.post].append(jd.annex)
        for post, annexes in posts_by_annex.items():
            if len(annexes) > 1:
                out.append(
                    (
                        f'{capitalize_first(d.label)} kinnitab ametikoha "{post}" ametijuhendi mitu korda '
                        f"(lisad {join_list(str(a) for a in sorted(annexes))}).",
                        d.source,
                    )
                )
        for r in d.revokes:
            out.extend(_check_revocation(ledger, d, r))
    return out


def _check_revocation(ledger: Ledger, d: LedgerDirective, r: Revocation) -> list[Message]:
    where = r.source or d.source
    cited = f"{format_date(r.date)} käskkirja nr {r.number}"  # genitive: the object revoked
    target = _find(ledger, r.number, r.date)
    if target is None:
        same_number = sorted(t.date for t in ledger if str(t.number) == str(r.number))
        hint = (
            f" Ajaloos on nr {r.number} kuupäevaga "
            f"{join_list([format_date(x) for x in same_number], last='ja')}: kas kuupäev on vale?"
            if same_number
            else " Kanna see käskkiri ajalukku (ajalugu.yaml)."
        )
        message = f"{capitalize_first(d.label)} tunnistab kehtetuks {cited}, mida ajaloos ei ole."
        return [(message + hint, where)]
    out: list[Message] = []
    if target.key >= d.key:
        out.append(
            (
                f"{capitalize_first(d.label)} tunnistab kehtetuks {cited}, mis ei ole varasem: "
                "kehtetuks saab tunnistada ainult varasema käskkirja.",
                where,
            )
        )
    if r.annexes is not None:
        if target.single_post is not None:
            out.append(
                (
                    f"{capitalize_first(d.label)} tunnistab kehtetuks {cited} lisad, kuid "
                    f"{target.label} kinnitas ühe ametijuhendi ilma lisadeta: jäta `lisad` ära.",
                    where,
                )
            )
        else:
            missing = sorted(r.annexes - set(target.annexes))
            if missing:
                out.append(
                    (
                        f"{capitalize_first(d.label)} tunnistab kehtetuks {cited} "
                        f"{plural(len(missing), 'lisa', 'lisad')} {annex_ranges(missing)}, "
                        f"mida sellel käskkirjal ei ole.",
                        where,
                    )
                )
    return out


SEQUENCE_TOLERANCE_DAYS = 45


def sequence_warnings(ledger: Ledger) -> list[Message]:
    """Dates that do not fit the year's numbering (a likely typo), for the checks to report.

    Two tests per year, on plain numeric numbers: a higher number dated before a lower one;
    and, with at least four directives that year, a date far (> SEQUENCE_TOLERANCE_DAYS) from
    what the year's numbering rate predicts (e.g. nr 80 dated 14.11.2025 between nr 68 of
    28.04.2025 and nr 182 of 26.11.2025). Warnings, not errors: the register may be right.
    """
    out: list[Message] = []
    years: dict[int, list[LedgerDirective]] = defaultdict(list)
    for d in ledger:
        if str(d.number).isdigit() and int(d.number) > 0:
            years[d.date.year].append(d)
    for year, ds in sorted(years.items()):
        ds.sort(key=lambda d: (int(d.number), d.date))
        for a, b in zip(ds, ds[1:]):
            if b.date < a.date:
                out.append(
                    (
                        f"Käskkiri nr {b.number} ({format_date(b.date)}) on dateeritud varem kui "
                        f"väiksema numbriga nr {a.number} ({format_date(a.date)}): "
                        "kontrolli kuupäeva ja numbrit.",
                        b.source,
                    )
                )
        if len(ds) < 4:
            continue
        start = date(year, 1, 1)
        day_of = {id(d): (d.date - start).days + 1 for d in ds}
        rate = statistics.median(int(d.number) / day_of[id(d)] for d in ds)
        for d in ds:
            expected_day = int(d.number) / rate
            if abs(expected_day - day_of[id(d)]) <= SEQUENCE_TOLERANCE_DAYS:
                continue
            expected = start + timedelta(days=round(expected_day) - 1)
            i = ds.index(d)
            low = ds[i - 1].date if i > 0 else start
            high = ds[i + 1].date if i + 1 < len(ds) else date(year, 12, 31)
            guess = _month_typo(d.date, expected_day, start, low, high)
            hint = f" (kas {format_date(guess)}?)" if guess else ""
            out.append(
                (
                    f"Käskkirja nr {d.number} kuupäev {format_date(d.date)} ei sobi {year}. aasta "
                    f"numbrite järjestusega: numbri järgi oleks oodatud umbes "
                    f"{format_date(expected)}{hint}. Kontrolli kuupäeva ja numbrit.",
                    d.source,
                )
            )
    return out


def _month_typo(
    actual: date, expected_day: float, start: date, low: date, high: date
) -> date | None:
    """The same day in another month that fits between the neighbouring numbers' dates and is
    closest to the expected day (a mistyped month is the commonest such error)."""
    best: tuple[float, date] | None = None
    for month in range(1, 13):
        if month == actual.month:
            continue
        try:
            candidate = actual.replace(month=month)
        except ValueError:
            continue
        if not low <= candidate <= high:
            continue
        off = abs((candidate - start).days + 1 - expected_day)
        if off <= SEQUENCE_TOLERANCE_DAYS and (best is None or off < best[0]):
            best = (off, candidate)
    return best[1] if best else None


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
        if str(e.number) == str(directive.number) and e.date.year == directive.date.year:
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


def record(ledger: Ledger, directive: LedgerDirective) -> tuple[LedgerDirective, ...]:
    """A new ledger with `directive` added; raises RecordRefused with the reasons otherwise."""
    reasons = record_refusals(ledger, directive)
    if reasons:
        raise RecordRefused(reasons)
    return (*ledger, directive)


# --- from the YAML data (ajalugu.yaml) --------------------------------------------------------

_DIRECTIVE_KEYS = {"id", "number", "kuupaev", "pealkiri", "lisad", "ametijuhend", "tunnistab_kehtetuks"}
_REVOCATION_KEYS = {"number", "kuupaev", "lisad"}


def _line(node: Any, key: Any = None) -> int | None:
    """1-based line of a ruamel node (or of one of its keys); None for plain data."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        return (lc.key(key)[0] if key is not None else lc.line) + 1
    except Exception:
        return None


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return None
    text = str(value).strip()
    return text or None


def ledger_from_data(
    data: Any, file: str = "ajalugu.yaml"
) -> tuple[tuple[LedgerDirective, ...], list[Message]]:
    """Build the ledger from parsed ajalugu.yaml (plain or ruamel data; lines kept when known).

    Returns what could be read and every problem found, so that a run reports all of them.
    """
    problems: list[Message] = []
    if data is None:
        return (), []
    if not isinstance(data, Mapping) or not isinstance(data.get("kaskkirjad", []), list):
        message = "Ajaloo fail peab olema kujul `kaskkirjad:` ja selle all käskkirjade loend."
        return (), [(message, (file, _line(data)))]
    extra = set(data) - {"kaskkirjad"}
    for k in sorted(map(str, extra)):
        problems.append((f"Tundmatu võti `{k}` (lubatud: kaskkirjad).", (file, _line(data, k))))
    ledger: list[LedgerDirective] = []
    for i, item in enumerate(data.get("kaskkirjad") or []):
        src: Source = (file, _line(item) or _line(data["kaskkirjad"], i))
        if not isinstance(item, Mapping):
            problems.append((f"Käskkiri nr {i + 1} loendis peab olema võtmete ja väärtuste kogum.", src))
            continue
        for k in sorted(map(str, set(item) - _DIRECTIVE_KEYS)):
            problems.append(
                (
                    f"Tundmatu võti `{k}` (lubatud: {', '.join(sorted(_DIRECTIVE_KEYS))}).",
                    (file, _line(item, k) or src[1]),
                )
            )
        number = _number(item.get("number"))
        if number is None:
            problems.append(("Käskkirja `number` puudub või on vale.", src))
        try:
            on = parse_date(item.get("kuupaev", ""))
        except ValueError as e:
            problems.append((f"`kuupaev`: {e}", (file, _line(item, "kuupaev") or src[1])))
            on = None
        annex_lines: dict[int, int] = {}
        annexes, single = _approved(item, file, src, problems, annex_lines)
        revokes = _revocations(item.get("tunnistab_kehtetuks"), item, file, src, problems)
        if number is None or on is None:
            continue
        ident = item.get("id")
        ledger.append(
            LedgerDirective(
                id=str(ident) if ident is not None else None,
                number=number,
                date=on,
                title=str(item.get("pealkiri") or ""),
                annexes=annexes,
                annex_lines=annex_lines,
                single_post=single,
                revokes=revokes,
                source=src,
            )
        )
    return tuple(ledger), problems


def _annex_source(d: LedgerDirective, annex: int | None) -> Source | None:
    """The line of one annex of a ledger entry, else the entry's own line."""
    if d.source is None or annex not in d.annex_lines:
        return d.source
    return (d.source[0], d.annex_lines[annex])


def _approved(
    item: Mapping, file: str, src: Source, problems: list[Message], lines: dict[int, int]
) -> tuple[dict[int, str], str | None]:
    raw = item.get("lisad")
    annexes: dict[int, str] = {}
    if isinstance(raw, list):  # Lisa 1, Lisa 2, ... in order
        annexes = {i + 1: str(p) for i, p in enumerate(raw)}
        for i in range(len(raw)):
            line = _line(raw, i)
            if line:
                lines[i + 1] = line
    elif isinstance(raw, Mapping):
        for k, post in raw.items():
            try:
                n = int(str(k))
            except ValueError:
                problems.append(
                    (f"`lisad`: võti {k!r} ei ole lisa number.", (file, _line(raw, k) or src[1]))
                )
                continue
            annexes[n] = str(post)
            line = _line(raw, k)
            if line:
                lines[n] = line
    elif raw is not None:
        problems.append(
            ("`lisad` peab olema loend (lisa 1, 2, ...) või lisa number → ametikoht.", src)
        )
    single = item.get("ametijuhend")
    return annexes, (str(single) if single is not None else None)


def _revocations(
    raw: Any, item: Mapping, file: str, src: Source, problems: list[Message]
) -> tuple[Revocation, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        where = (file, _line(item, "tunnistab_kehtetuks") or src[1])
        problems.append(("`tunnistab_kehtetuks` peab olema loend.", where))
        return ()
    out: list[Revocation] = []
    for j, r in enumerate(raw):
        rsrc: Source = (file, _line(r) or _line(raw, j) or src[1])
        if not isinstance(r, Mapping):
            problems.append(("`tunnistab_kehtetuks`: iga rida on kujul {number: ..., kuupaev: ...}.", rsrc))
            continue
        for k in sorted(map(str, set(r) - _REVOCATION_KEYS)):
            problems.append((f"Tundmatu võti `{k}` (lubatud: kuupaev, lisad, number).", rsrc))
        number = _number(r.get("number"))
        if number is None:
            problems.append(("`tunnistab_kehtetuks`: käskkirja `number` puudub.", rsrc))
            continue
        try:
            on = parse_date(r.get("kuupaev", ""))
        except ValueError as e:
            problems.append((f"`tunnistab_kehtetuks`, `kuupaev`: {e}", rsrc))
            continue
        annexes: frozenset[int] | None = None
        lisad = r.get("lisad")
        try:
            if isinstance(lisad, bool):
                raise ValueError(f"`lisad`: {lisad!r} ei ole lisade loetelu.")
            if isinstance(lisad, int):
                annexes = frozenset({lisad})
            elif isinstance(lisad, list):
                annexes = frozenset(int(x) for x in lisad)
            elif isinstance(lisad, str):
                annexes = frozenset(parse_annex_ranges(lisad))
            elif lisad is not None:
                raise ValueError(f"`lisad`: {lisad!r} ei ole lisade loetelu.")
        except (TypeError, ValueError) as e:
            problems.append((f"`tunnistab_kehtetuks`: {e}", rsrc))
            continue
        out.append(Revocation(number=number, date=on, annexes=annexes, source=rsrc))
    return tuple(out)

"""The typed model of the definitions.

What `schema.py` produces from the YAML files and everything after it consumes. Plain frozen
dataclasses: no I/O, no rendering. Every value that a message may point at keeps its `Source`.
Names are English; the glossary in docs/glossary.md maps them to the documents' Estonian terms.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from ..estonian import QuoteStyle, RangeStyle, capitalize_first, format_date
from .load import Source

DEFAULT_CLOSING = "lopurida"  # the shared clause of the annexes' last line
DEFAULT_TITLE_ONE = "Ametijuhendi kinnitamine"  # a directive's title when it has none
DEFAULT_TITLE_MANY = "Ametijuhendite kinnitamine"
QUALIFIER = "(ülesannete ulatuses, mis ei seisne avaliku võimu teostamises)"  # see PostGroup
#: The reserved id that names the head of the agency (organisatsioon.yaml `juht`) where a post id
#: goes (`vahetu_juht: asutuse-juht`): the head has no post file, so no post file may take it.
HEAD_ID = "asutuse-juht"


class PostGroup(StrEnum):
    """Ametikoha grupp: an ametnik exercises public authority, a töötaja does not (ATS § 7)."""

    AMETNIK = "ametnik"
    TOOTAJA = "töötaja"

    @property
    def label(self) -> str:
        """"Ametnik" / "Töötaja": the annex's "Ametikoha grupp"."""
        return self.value[:1].upper() + self.value[1:]

    @property
    def genitive(self) -> str:
        """"ametniku" / "töötaja", for messages ("ametniku sõnastus")."""
        return "ametniku" if self is PostGroup.AMETNIK else "töötaja"

    @property
    def code(self) -> str:
        """"ametnik" / "tootaja": the group in ASCII (HTML classes, file names)."""
        return "ametnik" if self is PostGroup.AMETNIK else "tootaja"

    @property
    def badge(self) -> str:
        """"A" / "T": the group's letter in the org chart."""
        return self.code[:1].upper()

    @property
    def other(self) -> PostGroup:
        return PostGroup.TOOTAJA if self is PostGroup.AMETNIK else PostGroup.AMETNIK

    @property
    def special_conditions(self) -> str:
        """The group's Eritingimused when a post does not write its own."""
        if self is PostGroup.AMETNIK:
            return "Eritingimused määratakse ametikohale nimetamise käskkirjas."
        return "Eritingimused määratakse töölepingus."

    def needs_qualifier_for(self, substituted: PostGroup) -> bool:
        """ATS § 7: only an ametnik exercises public authority, so a töötaja who stands in for
        an ametnik does so only as far as the tasks are not public authority (`QUALIFIER`)."""
        return self is PostGroup.TOOTAJA and substituted is PostGroup.AMETNIK


@dataclass(frozen=True)
class Agency:
    name: str  # nimetus: "Sotsiaalkindlustusamet"
    genitive: str  # omastav: "Sotsiaalkindlustusameti"
    allative: str  # kellele: "Sotsiaalkindlustusametile" (the appeal clause)
    abbreviation: str = ""  # lyhend


@dataclass(frozen=True)
class Head:
    """The head of the agency (juht): signs the directives, and a post may name it as its manager
    or in its substitution lists by the reserved id `HEAD_ID`."""

    title: str  # "peadirektor"
    genitive: str  # "peadirektori"

    #: The head's group for the substitution rule: an agency's head holds an ametnik post.
    group: ClassVar[PostGroup] = PostGroup.AMETNIK


@dataclass(frozen=True)
class Unit:
    id: str
    name: str  # lower case nominative
    genitive: str
    parent: str | None
    source: Source


@dataclass(frozen=True)
class NumberedLater:
    """The register gives the number only at registration, after signing: the documents to sign
    carry this wording where the date and number would stand, and `record` takes the number."""

    directive_text: str  # instead of "07.01.2026 nr 1" under the directive's title
    annex_text: str  # instead of "07.01.2026 käskkirjaga nr 1" in an annex's heading


@dataclass(frozen=True, kw_only=True)
class Acceptance:
    """A reviewer's decision that a finding is meant (`aktsepteeritud_leiud`): the finding is
    then listed as accepted, with the reason, and no longer counts (`check --strict`)."""

    kind: str  # the finding's kind ("asendamine")
    reason: str
    file: str | None = None  # relative to definitions/ ("ajalugu.yaml"); None: the file it is in
    line: int | None = None  # None: every such finding of the file
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Style:
    approval_range: RangeStyle = "sidekriips"  # point 1: "lisadele 1-11"
    revocation_range: RangeStyle = "kuni"  # point 2: "lisad 1 kuni 2"
    pair_as_range: bool = True  # two consecutive annexes: "1 kuni 2" (True) or "1 ja 2"
    quotes: QuoteStyle = "sirged"  # cited titles: "…" or „…“
    numbered_later: NumberedLater | None = None  # None: the final build carries number and date


@dataclass(frozen=True)
class Letterhead:
    """The directive's letterhead (kirjaplank): the agency's logo and the footer's contacts.

    The logo is a path relative to the project (a PNG or JPEG file); the renderer reads it, so
    this model stays free of I/O. Every field may be empty: a template shows what is given.
    """

    logo: Text | None = None  # "templates/logo.png", with its place for the renderer's messages
    logo_height: int = 15  # millimetres
    address: str = ""
    phone: str = ""
    email: str = ""
    web: str = ""
    registry_code: str = ""


@dataclass(frozen=True)
class Organisation:
    agency: Agency
    head: Head
    units: dict[str, Unit]
    style: Style
    source: Source
    letterhead: Letterhead = Letterhead()

    def unit_chain(self, unit_id: str) -> list[Unit]:
        """The unit and the units it belongs to, outermost first (a cycle is cut, an unknown id
        ends the chain)."""
        chain: list[Unit] = []
        seen: set[str] = set()
        while unit_id and unit_id not in seen and unit_id in self.units:
            seen.add(unit_id)
            unit = self.units[unit_id]
            chain.append(unit)
            unit_id = unit.parent or ""
        return list(reversed(chain))

    def unit_name(self, unit_id: str) -> str:
        """"Ohvriabi osakond, kriisitoe talitus": the annex's "Struktuuriüksus"."""
        return capitalize_first(", ".join(u.name for u in self.unit_chain(unit_id)))

    def unit_genitive(self, unit_id: str) -> str:
        """"ohvriabi osakonna kriisitoe talituse": whose job descriptions point 1 approves."""
        return " ".join(u.genitive for u in self.unit_chain(unit_id))

    def belongs_to(self, unit_id: str, ancestor: str) -> bool:
        """Whether `unit_id` is `ancestor` or one of its sub-units."""
        return any(u.id == ancestor for u in self.unit_chain(unit_id))

    def subunits(self, unit_id: str) -> set[str]:
        """`unit_id` and every unit that belongs to it, however deep."""
        return {uid for uid in self.units if self.belongs_to(uid, unit_id)} | {unit_id}


@dataclass(frozen=True)
class Text:
    """A text value of the definitions with its place (it may contain Jinja)."""

    value: str
    source: Source


@dataclass(frozen=True)
class PostRef:
    """One entry of a list of posts (manager, subordinates, substitutes)."""

    post_id: str
    source: Source
    qualifier: bool | None = None  # piirang: explicit override of the derived qualifier
    plural: bool = False  # mitmuses
    name: str | None = None  # nimetus: the words shown instead of the post's title


@dataclass(frozen=True)
class PostRefList:
    refs: tuple[PostRef, ...]
    source: Source
    text: Text | None = None  # tekst: the published wording, when it cannot be generated


@dataclass(frozen=True)
class Duty:
    """A duty of section 2: a shared clause (with parameters) or the post's own text."""

    source: Source
    clause_id: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    text: Text | None = None
    results: tuple[Text, ...] | None = None  # None: the clause's results


@dataclass(frozen=True)
class ClauseRef:
    clause_id: str
    source: Source
    params: dict[str, Any] = field(default_factory=dict)


REQUIREMENT_LABELS: dict[str, str] = {
    "haridus": "Haridus",
    "erialane_tookogemus": "Erialane töökogemus",
    "keeleoskus": "Keeleoskus",
    "teadmised_ja_oskused": "Teadmised ja oskused",
    "isikuomadused": "Isikuomadused",
}


@dataclass(frozen=True)
class Post:
    """Ametikoht. Its identity is its id (the file name): several posts may share a title."""

    id: str
    title: str  # teenistuskoht, lower case
    unit: str
    group: PostGroup
    source: Source
    title_plural: str | None = None
    manager: PostRefList | None = None
    subordinates: PostRefList | None = None
    substitutes_for: PostRefList | None = None  # teenistuja asendab
    substituted_by: PostRefList | None = None  # teenistuja asendaja
    purpose: Text | None = None  # teenistuskoha eesmärk
    special_conditions: Text | None = None  # eritingimused (None: the group's default)
    duties: tuple[Duty, ...] = ()
    requirements: dict[str, Text] = field(default_factory=dict)  # keys of REQUIREMENT_LABELS
    rights: ClauseRef | None = None  # õigused ja vastutus
    closing: ClauseRef | None = None  # lõpurida
    accepted: tuple[Acceptance, ...] = ()  # findings about this file a reviewer accepted

    @property
    def is_full(self) -> bool:
        """A full post has a job description; a short one is only named by others."""
        return bool(self.duties)

    @property
    def closing_clause_id(self) -> str:
        """The clause of the annex's last line: the post's `lopurida`, else the shared one."""
        return self.closing.clause_id if self.closing is not None else DEFAULT_CLOSING

    @property
    def closing_params(self) -> dict[str, Any]:
        return self.closing.params if self.closing is not None else {}

    @property
    def closing_source(self) -> Source:
        """Where the closing clause is chosen: the post's `lopurida`, else the post itself."""
        return self.closing.source if self.closing is not None else self.source


@dataclass(frozen=True, kw_only=True)
class _ClauseBase:
    """What every clause of the shared library has, whatever its kind."""

    id: str
    defaults: dict[str, Any]
    source: Source
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class DutyClause(_ClauseBase):
    text: Text
    results: tuple[Text, ...]


@dataclass(frozen=True, kw_only=True)
class RowsClause(_ClauseBase):
    rows: tuple[tuple[str, tuple[Text, ...]], ...]  # (label, items)


@dataclass(frozen=True, kw_only=True)
class TextClause(_ClauseBase):
    text: Text


Clause = DutyClause | RowsClause | TextClause


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str  # "peadirektor" or "osakonnajuhataja peadirektori ülesannetes"
    basis: str | None = None  # a deputy's appointment, cited in the legal basis


@dataclass(frozen=True)
class Directive:
    """Käskkiri. A draft has no number and no date yet."""

    id: str
    legal_basis: tuple[Text, ...]  # items, joined "A, B ning C"; a deputy's appointment last
    unit: str
    annexes: tuple[PostRef, ...]
    signatory: Signatory
    source: Source
    title: Text | None = None
    number: str | None = None
    date: dt.date | None = None
    abolished: tuple[PostRef, ...] = ()
    in_force_on: dt.date | None = None  # None: "jõustub allkirjastamisest"
    retroactive_from: dt.date | None = None
    register: dict[str, str] = field(default_factory=dict)
    final: bool = False  # the documents to sign, built before the register gave a number
    accepted: tuple[Acceptance, ...] = ()  # findings a reviewer accepted (any file: `file`)
    #: Point 2 as published, for an imported signed directive whose earlier directives are not
    #: in the ledger (kehtetuks_tekst): then it cannot be computed. None: computed (history.py).
    revocation_text: Text | None = None

    @property
    def is_draft(self) -> bool:
        return not self.final and (self.number is None or self.date is None)

    @staticmethod
    def default_title_for(job_descriptions: int) -> str:
        """The title when none is given: singular for one job description, else plural."""
        return DEFAULT_TITLE_ONE if job_descriptions == 1 else DEFAULT_TITLE_MANY

    @property
    def default_title(self) -> str:
        return Directive.default_title_for(len(self.annexes))


@dataclass(frozen=True)
class Definitions:
    """Everything under definitions/, validated."""

    root: str
    organisation: Organisation
    clauses: dict[str, Clause]
    posts: dict[str, Post]
    directives: dict[str, Directive]
    ledger: tuple[LedgerDirective, ...] | None = None  # when definitions/ajalugu.yaml exists

    def group_of(self, post_id: str) -> PostGroup:
        """The group of what a list of posts names: the head's (`HEAD_ID`) or the post's."""
        return self.organisation.head.group if post_id == HEAD_ID else self.posts[post_id].group


# --- the ledger (ajalugu.yaml) ------------------------------------------------------------------


def number_key(number: str) -> tuple[tuple[int, int, str], ...]:
    """Natural order of register numbers: "9" < "10", and "3-1/61-1" still sorts."""
    parts = re.findall(r"\d+|\D+", str(number))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def same_number(a: str, b: str) -> bool:
    """Whether two register numbers name the same number: "007" is 7, "1.10" is not "1.1"."""
    return number_key(a) == number_key(b)


def running_number(number: str) -> tuple[str, int] | None:
    """The series and the running part of a register number (its last digit group), for the
    checks that numbers rise with dates: "192" -> ("", 192), "3-1/61-2" -> ("3-1/61-", 2)."""
    m = re.fullmatch(r"(.*?)0*([0-9]+)", str(number))
    return (m.group(1), int(m.group(2))) if m and len(m.group(2)) <= 9 else None


@dataclass(frozen=True, kw_only=True)
class Revocation:
    """What a directive explicitly revoked: some annexes of an earlier directive, or all of it."""

    number: str
    date: dt.date
    annexes: frozenset[int] | None = None  # None: the whole directive
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class LedgerSignature:
    """Who signed a recorded directive and when, as its signed container says (record --konteiner)."""

    name: str  # "Mari Maasikas"
    time: str  # ISO 8601 UTC: "2026-01-07T10:15:03Z"
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class LedgerDirective:
    """One directive in the ledger: what it approved and what it explicitly revoked."""

    id: str | None = None  # the file in kaskkirjad/ ("2026-01"), when there is one
    number: str
    date: dt.date
    title: str = ""  # empty: the default title from the number of job descriptions
    annexes: dict[int, str] = field(default_factory=dict)  # annex number -> post id
    single_post: str | None = None  # approved ONE job description with no annexes
    revokes: tuple[Revocation, ...] = ()
    signatures: tuple[LedgerSignature, ...] = ()  # empty: recorded without a verified container
    source: Source | None = field(default=None, compare=False)
    annex_lines: dict[int, int] = field(default_factory=dict, compare=False)  # for messages

    def __hash__(self) -> int:  # the dict field would make the generated hash fail
        return hash((self.id, self.number, self.date))

    @property
    def key(self) -> tuple[dt.date, tuple[tuple[int, int, str], ...]]:
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

    def is_same(self, number: str, on: dt.date) -> bool:
        return same_number(self.number, number) and self.date == on


Ledger = Sequence[LedgerDirective]


@dataclass(frozen=True, kw_only=True)
class JobDescriptionRef:
    """One job description: the directive that approved it and its annex (None: no annexes)."""

    directive: LedgerDirective
    annex: int | None
    post: str

    @property
    def key(self) -> tuple[dt.date, str, int | None]:
        return (self.directive.date, self.directive.number, self.annex)

    def __hash__(self) -> int:
        return hash((*self.key, self.post))

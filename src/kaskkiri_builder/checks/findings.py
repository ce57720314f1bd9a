"""A finding: one thing a careful legal reviewer would point out in a draft.

A finding is structured, so that nothing downstream reads its Estonian message: where it is
(`source`, the same place type as the definitions'), what it is about (`subject`: the id of the
post, clause, directive or unit), and the words it quotes (`quotes`: as written and as they
should be). `run` merges and drops findings by these fields alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..definitions.load import Source
from ..errors import place


class Severity(StrEnum):
    """How serious a finding is; the values are the words the reviewers read."""

    VIGA = "viga"  # an error: the document is wrong
    HOIATUS = "hoiatus"  # a warning: probably wrong, a person decides
    INFO = "info"  # worth knowing (e.g. text that could become a shared clause)


@dataclass(frozen=True)
class Quote:
    """A fragment a finding quotes: as written, and as it should be when the finding says so.

    `missing` is the punctuation mark ("," or ".") whose absence is the whole slip, if it is.
    """

    written: str
    wanted: str | None = None
    missing: str | None = None

    def mentions(self, word: str) -> bool:
        return word in self.written or (self.wanted is not None and word in self.wanted)

    def as_json(self) -> dict[str, str | None]:
        return {"written": self.written, "wanted": self.wanted, "missing": self.missing}


@dataclass(frozen=True)
class Finding:
    severity: Severity
    kind: str  # a stable machine name, e.g. "oigekiri", "kirjavahemargid"
    message: str  # Estonian: what is wrong and what to write instead
    source: Source | None = None  # the file and line to change
    annex: int | None = None  # the annex (Lisa N) the text shows in, if any
    subject: str | None = None  # the id of the post, clause, directive or unit it is about
    quotes: tuple[Quote, ...] = ()  # the fragments the message quotes, first the main one
    accepted: str | None = None  # a reviewer's reason when the finding is meant (accepted.py)

    @property
    def file(self) -> str | None:
        return self.source.file if self.source is not None else None

    @property
    def line(self) -> int | None:
        return self.source.line if self.source is not None else None

    def where(self) -> str:
        """"definitions/ametikohad/x.yaml:12", as every message names a place."""
        return place(self.file, self.line)

    def missing(self, mark: str) -> bool:
        """Whether the finding reports that `mark` is missing somewhere it quotes."""
        return any(q.missing == mark for q in self.quotes)

    def as_json(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "kind": self.kind,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "annex": self.annex,
            "subject": self.subject,
            "quotes": [q.as_json() for q in self.quotes],
            "accepted": self.accepted,
        }


@dataclass(frozen=True)
class TextSpot:
    """A piece of text from the definitions, with where it came from, for text-level checks."""

    text: str
    file: str | None = None
    line: int | None = None
    annex: int | None = None
    field: str = ""  # which field it is, e.g. "ulesanded[3].tulemused[0]"
    subject: str | None = None  # the id of the post, clause, directive or unit it belongs to

    def source_at(self, offset: int) -> Source | None:
        """The place of the character at `offset` (a text may span several lines)."""
        if self.file is None:
            return None
        line = None if self.line is None else self.line + self.text.count("\n", 0, offset)
        return Source(self.file, line)

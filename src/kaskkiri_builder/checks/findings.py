"""A finding: one thing a careful legal reviewer would point out in a draft."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    """How serious a finding is; the values are the words the reviewers read."""

    VIGA = "viga"  # an error: the document is wrong
    HOIATUS = "hoiatus"  # a warning: probably wrong, a person decides
    INFO = "info"  # worth knowing (e.g. text that could become a shared clause)


@dataclass(frozen=True)
class Finding:
    severity: Severity
    kind: str  # a stable machine name, e.g. "oigekiri", "kirjavahemargid"
    message: str  # Estonian: what is wrong and what to write instead
    file: str | None = None
    line: int | None = None
    annex: int | None = None  # the annex (Lisa N) the text shows in, if any

    def as_json(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d


@dataclass(frozen=True)
class TextSpot:
    """A piece of text from the definitions, with where it came from, for text-level checks."""

    text: str
    file: str | None = None
    line: int | None = None
    annex: int | None = None
    field: str = ""  # which field it is, e.g. "ulesanded[3].tulemused[0]"

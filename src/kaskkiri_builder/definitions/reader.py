"""Reading one definitions file: where each value is, and the problems found (in Estonian).

The `Reader` is what every shape (shapes.py, keys.py) reads with: it names a value's file and
line, phrases the common messages once ("peab olema ..., aga on ...") and collects the problems
of a run instead of stopping at the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..errors import Problem
from .load import Source, YamlDoc, line_of_item, line_of_key
from .model import Text
from .strict import BOOLEAN_WORDS

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # use fullmatch: "$" also matches before a final "\n"
DATE_RE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$", re.ASCII)
ISO_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$", re.ASCII)  # 2026-01-07, as YAML users write it
# Characters an XML 1.0 document (and so Word) cannot hold.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def type_name(value: object) -> str:
    """What a YAML value is, in the words of the messages."""
    if isinstance(value, dict):
        return "sõnastik (võti: väärtus)"
    if isinstance(value, list):
        return "loetelu (- ...)"
    if isinstance(value, bool):
        return "tõeväärtus"
    if isinstance(value, (int, float)):
        return "arv"
    if value is None:
        return "tühi"
    return "tekst"


def parse_date(value: object) -> date:
    """PP.KK.AAAA (a one-digit day or month too), AAAA-KK-PP, or a date already read.

    The one date parser of the definitions; ValueError says briefly what is wrong.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = DATE_RE.match(str(value))
    iso = ISO_DATE_RE.match(str(value))
    if m:
        day, month, year = m.groups()
    elif iso:
        year, month, day = iso.groups()
    else:
        raise ValueError("kuju ei ole pp.kk.aaaa")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError("sellist päeva pole kalendris") from None


def plain_value(value: object) -> Any:
    """ruamel containers and scalars → plain Python (clause parameters go to Jinja)."""
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if type(value) is str and value in BOOLEAN_WORDS:  # unquoted true/false: {% if ... %}
        return BOOLEAN_WORDS[value]
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


@dataclass(frozen=True)
class Place:
    """Where a value is: its line, what it belongs to (for messages), its key, its id."""

    src: Source
    where: str  # "ametikoht noustaja-9", "käskkiri 2026-02, joustumine"
    key: str | None = None  # None: a whole file, a list item or a map entry
    name: str | None = None  # the id of the thing read: a file's stem or a map key

    def inside(self) -> str:
        """The `where` of the values inside this one."""
        return f"{self.where}, {self.key}" if self.key is not None else self.where


class Reader:
    """One document being read: where its values are, and the problems found so far."""

    def __init__(self, doc: YamlDoc, problems: list[Problem], quote: str = '"') -> None:
        self.doc = doc
        self.problems = problems
        self.quote = quote  # how messages quote a key

    def src(self, line0: int | None) -> Source:
        return self.doc.source(line0)

    def key_src(self, mapping: object, key: object) -> Source:
        return self.src(line_of_key(mapping, key))

    def item_src(self, seq: object, index: int) -> Source:
        return self.src(line_of_item(seq, index))

    def q(self, key: object) -> str:
        return f"{self.quote}{key}{self.quote}"

    def error(self, src: Source, message: str) -> None:
        self.problems.append(src.problem(message))

    def about(self, at: Place) -> str:
        """How a message names a value: '"eesmark" (ametikoht noustaja-9)'."""
        return f"{self.q(at.key)} ({at.where})" if at.key is not None else at.where

    def wrong(self, at: Place, noun: str, value: object) -> None:
        self.error(at.src, f"{self.about(at)} peab olema {noun}, aga on {type_name(value)}.")

    def text(self, value: str, at: Place) -> Text:
        """A text value: characters Word cannot hold are reported, tabs become spaces."""
        bad = _BAD_CHARS.search(value)
        if bad:
            self.error(
                at.src,
                f"väljas {self.q(at.key)} on juhtmärk U+{ord(bad.group()):04X}, mida Word ei talu "
                "(tavaliselt Wordist kopeeritud tekstiga kaasa tulnud). Kustuta see märk ja "
                "kirjuta tekst uuesti.",
            )
        return Text(value.replace("\t", " "), at.src)

"""The shapes of single values: text, id, choice, flag, date, texts, parameters.

A shape reads one YAML value with a `Reader` (reporting problems instead of raising) and
describes itself as JSON Schema; every shape has a `noun`, what the value is in Estonian, used by
both the messages and the docs. keys.py builds mappings and lists of them.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from .model import Text
from .reader import ID_RE, Place, Reader, parse_date, plain_value

T = TypeVar("T")

Json = None | bool | int | float | str | list["Json"] | dict[str, "Json"]
JsonObject = dict[str, Json]

ID_PATTERN = ID_RE.pattern


class Shape(ABC, Generic[T]):
    """What a value may be: how to read it, and how to describe it as JSON Schema.

    Every shape has a `noun`: what the value is, in Estonian, for messages and the docs
    ("tekst"). Subclasses declare it as a dataclass field or a property.
    """

    if TYPE_CHECKING:  # declared for the type checker only, so dataclass fields can fill it

        @property
        def noun(self) -> str: ...

    @abstractmethod
    def read(self, r: Reader, node: object, at: Place) -> T | None:
        """The value, or None after reporting why it cannot be read."""

    @abstractmethod
    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        """JSON Schema of the value; records add themselves to `defs`."""

    def placeholder(self) -> T | None:
        """Stands in for a missing required value, so the rest of a file can still be read."""
        return None

    def nested(self) -> tuple[Shape[Any], ...]:
        """The shapes inside this one (to find every record for the docs)."""
        return ()


def _string(pattern: str | None = None) -> JsonObject:
    out: JsonObject = {"type": "string"}
    if pattern is not None:
        out["pattern"] = pattern
    return out


class _Written(Shape[T]):
    """A value written as one string: its JSON Schema is a string, matching `pattern` if set."""

    pattern: ClassVar[str | None] = None

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return _string(self.pattern)

    def _scalar(self, r: Reader, node: object, at: Place) -> str | None:
        """The value as a string, or None after reporting a mapping or a list in its place."""
        if isinstance(node, (dict, list)):
            r.wrong(at, self.noun, node)
            return None
        return str(node)


@dataclass(frozen=True)
class TextShape(_Written[Text]):
    """A text of the documents (it keeps its line for the messages of later checks)."""

    noun: str = "tekst"

    def read(self, r: Reader, node: object, at: Place) -> Text | None:
        value = self._scalar(r, node, at)
        return None if value is None else r.text(value, at)


@dataclass(frozen=True)
class Plain(_Written[str]):
    """A text without its place: a name, a label."""

    noun: str = "tekst"

    def read(self, r: Reader, node: object, at: Place) -> str | None:
        text = TextShape(self.noun).read(r, node, at)
        return None if text is None else text.value

    def placeholder(self) -> str:
        return ""


@dataclass(frozen=True)
class Ident(Plain):
    """An id: a plain text of lower-case ASCII letters, digits and "-"."""

    noun: str = 'id (väikesed ladina tähed, numbrid ja "-")'
    pattern = ID_PATTERN

    def read(self, r: Reader, node: object, at: Place) -> str | None:
        value = super().read(r, node, at)
        if value is not None and not ID_RE.fullmatch(value):
            r.error(
                at.src,
                f'{r.about(at)} peab olema id: väikesed ladina tähed, numbrid ja "-" '
                f'(näiteks "kriisitoe-talitus"), aga on "{value}".',
            )
        return value


@dataclass(frozen=True)
class RefId(_Written[str]):
    """A reference to a post or clause by id; whether it exists is checked after all files."""

    noun: str = "id"
    pattern = ID_PATTERN

    def read(self, r: Reader, node: object, at: Place) -> str | None:
        value = self._scalar(r, node, at)
        return None if value is None else value.strip()


MAX_NUMBER_LENGTH = 30
NUMBER_PATTERN = r"^[0-9]+(?:[./-][0-9]+)*$"
NUMBER_RULE = (
    'numbrid 0–9, mille rühmi võivad eraldada ".", "-" ja "/" (näiteks 12, 1.10 või 1-2/22-015), '
    f"kokku kuni {MAX_NUMBER_LENGTH} märki"
)
_NUMBER_RE = re.compile(NUMBER_PATTERN)


def shown(text: str, limit: int = 40) -> str:
    """A value as a message may quote it: invisible characters named, a long one cut."""
    out = "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in text)
    return out if len(out) <= limit else out[: limit - 1] + "…"


def is_register_number(text: str) -> bool:
    """A directive's number as the register gives it: the one text used everywhere (documents,
    the ledger, the archive), so only what reads the same in all of them (`NUMBER_RULE`)."""
    return len(text) <= MAX_NUMBER_LENGTH and _NUMBER_RE.fullmatch(text) is not None


@dataclass(frozen=True)
class RegisterNumber(Shape[str]):
    """A register number, as typed: 12, 1.10 or "3-1/61-1"."""

    noun: str = "registri number (näiteks 12 või 3-1/61-1)"

    def read(self, r: Reader, node: object, at: Place) -> str | None:
        if isinstance(node, bool) or not isinstance(node, (int, str)):
            r.wrong(at, self.noun, node)
            return None
        text = str(node)
        if not is_register_number(text):
            size = f" ({len(text)} märki)" if len(text) > MAX_NUMBER_LENGTH else ""
            r.error(at.src, f'{r.about(at)} peab olema registri number: {NUMBER_RULE}; aga on "{shown(text)}"{size}.')
            return None
        return text

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        text: JsonObject = {"type": "string", "pattern": NUMBER_PATTERN, "maxLength": MAX_NUMBER_LENGTH}
        return {"anyOf": [{"type": "integer", "minimum": 0}, text]}


@dataclass(frozen=True)
class LineNumber(Shape[int]):
    """A line of a file: a whole number from 1."""

    noun: str = "rea number (näiteks 12)"

    def read(self, r: Reader, node: object, at: Place) -> int | None:
        text = str(node).strip() if isinstance(node, (int, str)) and not isinstance(node, bool) else ""
        if not (text.isascii() and text.isdigit() and 0 < int(text) < 10**6):
            r.wrong(at, self.noun, node)
            return None
        return int(text)

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return {"type": "integer", "minimum": 1}


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
IMAGE_PATTERN = r"^(?![/~])(?!.*(?:^|/)\.\.(?:/|$))[^\\:]+\.(?:[pP][nN][gG]|[jJ][pP][eE]?[gG])$"


@dataclass(frozen=True)
class ImagePath(_Written[Text]):
    """A PNG or JPEG file of the project, as a path relative to the project's folder.

    Only the spelling is checked here (relative, no "..", the suffix); the renderer reads the
    file and checks what is in it. The value keeps its line for the renderer's messages.
    """

    noun: str = 'pildifaili tee projekti kaustast (PNG või JPEG, näiteks "templates/logo.png")'
    pattern = IMAGE_PATTERN

    def read(self, r: Reader, node: object, at: Place) -> Text | None:
        value = self._scalar(r, node, at)
        if value is None:
            return None
        path = value.strip()
        parts = path.split("/")
        if not path or path.startswith(("/", "~")) or "\\" in path or ":" in path or ".." in parts:
            r.error(at.src, f'{r.about(at)} peab olema tee projekti kaustast, näiteks "templates/logo.png" '
                            f'(ilma "/"-ga alguse, kettatähe ja ".."-ta), aga on "{shown(path)}".')
            return None
        if not path.lower().endswith(IMAGE_SUFFIXES):
            r.error(at.src, f'{r.about(at)} peab olema PNG- või JPEG-pilt (.png, .jpg või .jpeg), aga on '
                            f'"{shown(path)}". Salvesta pilt PNG-vormingus.')
            return None
        return Text(path, at.src)


@dataclass(frozen=True)
class Millimetres(Shape[int]):
    """A length in whole millimetres within bounds (the logo's height)."""

    low: int
    high: int

    @property
    def noun(self) -> str:
        return f"täisarv millimeetreid ({self.low}–{self.high})"

    def read(self, r: Reader, node: object, at: Place) -> int | None:
        text = str(node).strip() if isinstance(node, (int, str)) and not isinstance(node, bool) else ""
        if not (text.isascii() and text.isdigit() and self.low <= int(text) <= self.high):
            r.error(at.src, f'{r.about(at)} peab olema {self.noun}, aga on "{shown(str(node))}".')
            return None
        return int(text)

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}


def _any_case(word: str) -> str:
    """A regular expression matching `word` in any letter case (JSON Schema has no flags)."""
    return "".join(
        f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else re.escape(c) for c in word
    )


@dataclass(frozen=True)
class Choice(Shape[T]):
    """One of a few words; `aliases` are other spellings read as one of them."""

    values: tuple[str, ...]
    convert: Callable[[str], T]
    glosses: tuple[str, ...] = ()  # shown after each value in messages: "sidekriips" (1-11)
    aliases: tuple[tuple[str, str], ...] = ()
    fold_case: bool = False

    @property
    def noun(self) -> str:
        shown = [
            f'"{v}" ({g})' if g else f'"{v}"'
            for v, g in zip(self.values, self.glosses or ("",) * len(self.values), strict=True)
        ]
        return ", ".join(shown[:-1]) + " või " + shown[-1] if len(shown) > 1 else shown[0]

    def read(self, r: Reader, node: object, at: Place) -> T | None:
        if isinstance(node, (dict, list)) or node is None:
            r.wrong(at, self.noun, node)
            return None
        raw = str(node)
        value = raw.strip().lower() if self.fold_case else raw.strip()
        value = dict(self.aliases).get(value, value)
        if value not in self.values:
            r.error(at.src, f'{r.about(at)} peab olema {self.noun}, aga on "{raw}".')
            return None
        return self.convert(value)

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        if not self.fold_case and not self.aliases:
            return {"enum": list(self.values)}
        words = [*self.values, *(a for a, _ in self.aliases)]
        alternatives = "|".join(_any_case(w) if self.fold_case else re.escape(w) for w in words)
        return _string(rf"^\s*(?:{alternatives})\s*$")


_TRUE = ("jah", "ja", "true")
_FALSE = ("ei", "false")


@dataclass(frozen=True)
class Flag(Shape[bool]):
    """Yes or no: true/false, or the Estonian jah/ei."""

    noun: str = "true või false (jah või ei)"

    def read(self, r: Reader, node: object, at: Place) -> bool | None:
        if isinstance(node, bool):
            return node
        word = str(node).lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        if isinstance(node, str):  # "yes", "on", "1": YAML 1.1 words are not read as yes or no
            r.error(at.src, f'{r.about(at)} peab olema {self.noun}, aga on "{shown(node)}".')
        else:
            r.wrong(at, self.noun, node)
        return None

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        words = "|".join(_any_case(w) for w in (*_TRUE, *_FALSE))
        return {"anyOf": [{"type": "boolean"}, _string(f"^(?:{words})$")]}


@dataclass(frozen=True)
class DateShape(_Written[date]):
    """A date, PP.KK.AAAA."""

    noun: str = "kuupäev PP.KK.AAAA"
    # what YAML reads as a date (2026-01-07) is accepted too
    pattern = r"^\s*(?:\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})\s*$"

    def read(self, r: Reader, node: object, at: Place) -> date | None:
        try:
            return parse_date(node)
        except ValueError as exc:
            r.error(
                at.src,
                f'{r.about(at)} ei ole kuupäev: "{node}" ({exc}). Kirjuta kuupäev kujul '
                "PP.KK.AAAA, näiteks 07.01.2026.",
            )
            return None


@dataclass(frozen=True)
class TextList(Shape[tuple[Text, ...]]):
    """Texts in order; a single text is a list of one."""

    noun: str = "tekst või tekstide loetelu"

    def read(self, r: Reader, node: object, at: Place) -> tuple[Text, ...] | None:
        if isinstance(node, str):
            return (r.text(node, at),)
        if not isinstance(node, list):
            r.wrong(at, self.noun, node)
            return None
        out: list[Text] = []
        for i, item in enumerate(node):
            src = r.item_src(node, i)
            if isinstance(item, (dict, list)) or item is None:
                r.error(src, f"{r.about(at)} {i + 1}. punkt peab olema tekst.")
                continue
            out.append(r.text(str(item), Place(src, at.where, at.key)))
        return tuple(out)

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}

    def placeholder(self) -> tuple[Text, ...]:
        return ()


@dataclass(frozen=True)
class Params(Shape[dict[str, Any]]):
    """Named values for a clause's Jinja text (any YAML value)."""

    noun: str = "sõnastik (parameeter: väärtus)"

    def read(self, r: Reader, node: object, at: Place) -> dict[str, Any] | None:
        if not isinstance(node, dict):
            r.wrong(at, self.noun, node)
            return None
        return {str(k): plain_value(v) for k, v in node.items()}

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return {"type": "object"}

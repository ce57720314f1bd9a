"""The vocabulary in which every definitions key is declared once, and the one reader of it.

A `Key` says what a YAML key holds (its `Shape`), whether it is required, what it means (one
Estonian line) and which model field it fills. Shapes nest: a `Record` is a mapping of keys,
`ListOf` and `MapOf` hold other shapes, `AnyOf` accepts alternative shapes (a post reference is an
id or a mapping). Like MkDocs' config_options, each shape reads a value and reports problems
(Estonian, file:line, all of a run collected) instead of raising; each also describes itself as
JSON Schema, so that the reader, the schemas and the docs tables (export.py) cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Union

from ..errors import Problem
from .load import Source, YamlDoc, line_of_item, line_of_key
from .model import Text

T = TypeVar("T")
U = TypeVar("U")

Json = Union[None, bool, int, float, str, list["Json"], dict[str, "Json"]]
JsonObject = dict[str, Json]

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ID_PATTERN = ID_RE.pattern
DATE_RE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
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
    """PP.KK.AAAA (a one-digit day or month too), or a date YAML has already read.

    The one date parser of the definitions; ValueError says briefly what is wrong.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = DATE_RE.match(str(value))
    if not m:
        raise ValueError("kuju ei ole pp.kk.aaaa")
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
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
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


# --- reading ------------------------------------------------------------------------------------


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


# --- shapes -------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class TextShape(Shape[Text]):
    """A text of the documents (it keeps its line for the messages of later checks)."""

    noun: str = "tekst"

    def read(self, r: Reader, node: object, at: Place) -> Text | None:
        if isinstance(node, (dict, list)):
            r.wrong(at, self.noun, node)
            return None
        return r.text(str(node), at)

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return _string()


@dataclass(frozen=True)
class Plain(Shape[str]):
    """A text without its place: a name, a label."""

    noun: str = "tekst"

    def read(self, r: Reader, node: object, at: Place) -> str | None:
        text = TextShape(self.noun).read(r, node, at)
        return None if text is None else text.value

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return _string()

    def placeholder(self) -> str:
        return ""


@dataclass(frozen=True)
class Ident(Shape[str]):
    """An id: lower-case ASCII letters, digits and "-"."""

    noun: str = 'id (väikesed ladina tähed, numbrid ja "-")'

    def read(self, r: Reader, node: object, at: Place) -> str | None:
        value = Plain(self.noun).read(r, node, at)
        if value is not None and not ID_RE.match(value):
            r.error(
                at.src,
                f'{r.about(at)} peab olema id: väikesed ladina tähed, numbrid ja "-" '
                f'(näiteks "kriisitoe-talitus"), aga on "{value}".',
            )
        return value

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return _string(ID_PATTERN)

    def placeholder(self) -> str:
        return ""


@dataclass(frozen=True)
class RefId(Shape[str]):
    """A reference to a post or clause by id; whether it exists is checked after all files."""

    noun: str = "id"

    def read(self, r: Reader, node: object, at: Place) -> str | None:
        if isinstance(node, (dict, list)):
            r.wrong(at, self.noun, node)
            return None
        return str(node).strip()

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return _string(ID_PATTERN)


@dataclass(frozen=True)
class RegisterNumber(Shape[str]):
    """A register number: 12 or "3-1/61-1"."""

    noun: str = "registri number (näiteks 12 või 3-1/61-1)"

    def read(self, r: Reader, node: object, at: Place) -> str | None:
        if isinstance(node, bool) or not isinstance(node, (int, str)) or not str(node).strip():
            r.wrong(at, self.noun, node)
            return None
        return str(node).strip()

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "minLength": 1}]}


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
            for v, g in zip(self.values, self.glosses or ("",) * len(self.values))
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
        r.wrong(at, self.noun, node)
        return None

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        words = "|".join(_any_case(w) for w in (*_TRUE, *_FALSE))
        return {"anyOf": [{"type": "boolean"}, _string(f"^(?:{words})$")]}


@dataclass(frozen=True)
class DateShape(Shape[date]):
    """A date, PP.KK.AAAA."""

    noun: str = "kuupäev PP.KK.AAAA"

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

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        # what YAML reads as a date (2026-01-07) is accepted too
        return _string(r"^\s*(?:\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})\s*$")


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


# --- containers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One YAML key, declared once: the reader, the JSON Schema and the docs all read this."""

    yaml: str  # the key in the YAML file
    shape: Shape[Any]
    doc: str  # what it is, one Estonian line
    field: str | None = None  # the model field it fills; None: a mapping whose fields join ours
    required: bool = False


@dataclass(frozen=True)
class ExactlyOne:
    """Exactly one of these keys is present (the kind of a clause, of a duty)."""

    keys: tuple[str, ...]
    message: str  # what to write, after "<where>: "


@dataclass(frozen=True)
class Needs:
    """When `key` is present, `needs` must hold something (an own duty needs its results)."""

    key: str
    needs: str
    message: str  # after "<where>: "


@dataclass(frozen=True)
class Found:
    """What a record read, for its `build`: model field -> value, and where it was."""

    fields: dict[str, Any]
    present: frozenset[str]  # the YAML keys given
    broken: frozenset[str]  # the YAML keys given whose value could not be read
    src: Source
    name: str | None


@dataclass(frozen=True)
class Record(Shape[T]):
    """A mapping with declared keys: unknown keys, missing required keys and values reported."""

    id: str  # the JSON Schema $defs name (English)
    title: str  # the Estonian name, heading its table in the docs
    keys: tuple[Key, ...]
    model: Callable[..., T] | None = None  # builds the value from the fields (and gives defaults)
    build: Callable[[Found], T | None] | None = None  # instead of `model`, when more is needed
    exactly_one: ExactlyOne | None = None
    needs: tuple[Needs, ...] = ()
    noun: str = "sõnastik (võti: väärtus)"

    def read(self, r: Reader, node: object, at: Place) -> T | None:
        if not isinstance(node, dict):
            r.wrong(at, self.noun, node)
            return None
        where = at.inside()
        self._unknown_keys(r, node, where)
        fields: dict[str, Any] = {}
        present: set[str] = set()
        broken: set[str] = set()
        for key in self.keys:
            value = node.get(key.yaml)
            if value is None or (key.required and value == ""):
                if key.required:
                    r.error(at.src, f"{where}: puudub kohustuslik võti {r.q(key.yaml)} ({key.doc}). Lisa see.")
                    self._put(fields, key, key.shape.placeholder())
                continue
            present.add(key.yaml)
            got = key.shape.read(r, value, Place(r.key_src(node, key.yaml), where, key.yaml))
            if got is None:
                broken.add(key.yaml)
                got = key.shape.placeholder() if key.required else None
            self._put(fields, key, got)
        if not self._rules_hold(r, node, fields, at.src, where):
            return None
        return self._make(Found(fields, frozenset(present), frozenset(broken), at.src, at.name))

    @staticmethod
    def _put(fields: dict[str, Any], key: Key, value: object) -> None:
        if value is None:
            return
        if key.field is None and isinstance(value, dict):
            fields.update(value)
        elif key.field is not None:
            fields[key.field] = value

    def _unknown_keys(self, r: Reader, node: dict[Any, Any], where: str) -> None:
        allowed = [k.yaml for k in self.keys]
        for key in node:
            if key in allowed:
                continue
            near = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f" Kas mõtlesid {r.q(near[0])}?" if near else ""
            r.error(
                r.key_src(node, key),
                f"tundmatu võti {r.q(key)} ({where}).{hint} Lubatud võtmed: {', '.join(allowed)}.",
            )

    def _rules_hold(
        self, r: Reader, node: dict[Any, Any], fields: dict[str, Any], src: Source, where: str
    ) -> bool:
        """Report a broken rule; False when the record cannot be built at all."""
        if self.exactly_one and sum(k in node for k in self.exactly_one.keys) != 1:
            r.error(src, f"{where}: {self.exactly_one.message}")
            return False
        for rule in self.needs:
            field = self.key(rule.needs).field
            if rule.key in node and not (field and fields.get(field)):
                r.error(src, f"{where}: {rule.message}")
        return True

    def _make(self, found: Found) -> T | None:
        if self.build is not None:
            return self.build(found)
        assert self.model is not None, f"record {self.id} has neither build nor model"
        return self.model(**found.fields)

    def key(self, yaml: str) -> Key:
        return next(k for k in self.keys if k.yaml == yaml)

    def default(self, key: Key) -> Json:
        """What an absent key means, from the model's own default (for the docs and schemas)."""
        model = self.model
        if key.field is None or model is None or not dataclasses.is_dataclass(model):
            return None
        for f in dataclasses.fields(model):
            if f.name == key.field and isinstance(f.default, (str, bool, int)) and f.default != "":
                return f.default
        return None

    def body(self, defs: dict[str, JsonObject]) -> JsonObject:
        """The record's own JSON Schema (the top of a file's schema, or one of its $defs)."""
        properties: JsonObject = {}
        for key in self.keys:
            prop = dict(key.shape.schema(defs))
            prop["description"] = key.doc
            default = self.default(key)
            if default is not None:
                prop["default"] = default
            properties[key.yaml] = prop
        out: JsonObject = {"title": self.title, "type": "object", "properties": properties}
        required: list[Json] = [k.yaml for k in self.keys if k.required]
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        if self.exactly_one:
            out["oneOf"] = [{"required": [k]} for k in self.exactly_one.keys]
        if self.needs:
            out["dependentRequired"] = {n.key: [n.needs] for n in self.needs}
        return out

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        if self.id not in defs:
            defs[self.id] = {}  # reserved first: a record may (indirectly) contain itself
            defs[self.id] = self.body(defs)
        return {"$ref": f"#/$defs/{self.id}"}

    def nested(self) -> tuple[Shape[Any], ...]:
        return tuple(k.shape for k in self.keys)


@dataclass(frozen=True)
class ListOf(Shape[tuple[T, ...]]):
    """A YAML list; items that cannot be read are reported and left out."""

    item: Shape[T]
    noun: str = "loetelu"
    item_noun: str | None = None  # an item's place: "<where>, <item_noun> <n>"; None: "<where>, <key>"
    empty: str | None = None  # the message when the list is empty (it must not be)

    def read(self, r: Reader, node: object, at: Place) -> tuple[T, ...] | None:
        if not isinstance(node, list):
            r.wrong(at, self.noun, node)
            return None
        if not node and self.empty:
            r.error(at.src, f"{at.where}: {self.empty}")
        out: list[T] = []
        for i, item in enumerate(node):
            where = f"{at.where}, {self.item_noun} {i + 1}" if self.item_noun else at.inside()
            got = self.item.read(r, item, Place(r.item_src(node, i), where))
            if got is not None:
                out.append(got)
        return tuple(out)

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        out: JsonObject = {"type": "array", "items": self.item.schema(defs)}
        if self.empty:
            out["minItems"] = 1
        return out

    def placeholder(self) -> tuple[T, ...]:
        return ()

    def nested(self) -> tuple[Shape[Any], ...]:
        return (self.item,)


@dataclass(frozen=True)
class MapOf(Shape[dict[str, T]]):
    """A mapping of id -> value (units, clauses); each id must be an id."""

    value: Shape[T]
    noun: str
    item_noun: str  # an entry's place: "<item_noun> <id>" ("struktuuriüksus ohvriabi-osakond")
    id_noun: str  # "struktuuriüksuse": whose id is not an id

    def read(self, r: Reader, node: object, at: Place) -> dict[str, T] | None:
        if not isinstance(node, dict):
            r.wrong(at, self.noun, node)
            return None
        out: dict[str, T] = {}
        for key, value in node.items():
            src = r.key_src(node, key)
            if not ID_RE.match(str(key)):
                r.error(
                    src,
                    f'{self.id_noun} id "{key}" peab koosnema väikestest ladina tähtedest, '
                    'numbritest ja "-" märgist.',
                )
            got = self.value.read(r, value, Place(src, f"{self.item_noun} {key}", name=str(key)))
            if got is not None:
                out[str(key)] = got
        return out

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": self.value.schema(defs),
        }

    def nested(self) -> tuple[Shape[Any], ...]:
        return (self.value,)


def is_text(node: object) -> bool:
    return isinstance(node, str)


def is_list(node: object) -> bool:
    return isinstance(node, list)


def is_mapping(node: object) -> bool:
    return isinstance(node, dict)


@dataclass(frozen=True)
class Alt(Generic[T]):
    """One alternative of an AnyOf: the shape read when `when` says the value looks like it."""

    when: Callable[[object], bool]
    shape: Shape[T]


@dataclass(frozen=True)
class AnyOf(Shape[T]):
    """Alternative shapes of one value, tried in order by what the value looks like."""

    alternatives: tuple[Alt[T], ...]
    noun: str
    id: str | None = None  # a JSON Schema $defs name, for a shape used by several keys

    def read(self, r: Reader, node: object, at: Place) -> T | None:
        for alt in self.alternatives:
            if alt.when(node):
                return alt.shape.read(r, node, at)
        r.wrong(at, self.noun, node)
        return None

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        body: JsonObject = {"anyOf": [alt.shape.schema(defs) for alt in self.alternatives]}
        if self.id is None:
            return body
        defs[self.id] = body
        return {"$ref": f"#/$defs/{self.id}"}

    def nested(self) -> tuple[Shape[Any], ...]:
        return tuple(alt.shape for alt in self.alternatives)


@dataclass(frozen=True)
class Mapped(Shape[U], Generic[T, U]):
    """Another shape's value, converted (a single post id becomes a list of one)."""

    inner: Shape[T]
    convert: Callable[[T, Place], U]

    @property
    def noun(self) -> str:
        return self.inner.noun

    def read(self, r: Reader, node: object, at: Place) -> U | None:
        value = self.inner.read(r, node, at)
        return None if value is None else self.convert(value, at)

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return self.inner.schema(defs)

    def nested(self) -> tuple[Shape[Any], ...]:
        return (self.inner,)


def records(shape: Shape[Any]) -> list[Record[Any]]:
    """Every record in a shape, each once, in the order they first appear (for the docs)."""
    out: list[Record[Any]] = []

    def walk(s: Shape[Any]) -> None:
        if isinstance(s, Record):
            if any(s is seen for seen in out):
                return
            out.append(s)
        for inner in s.nested():
            walk(inner)

    walk(shape)
    return out

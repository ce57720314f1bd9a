"""Declaring keys once: `Key`, and the shapes that hold other shapes.

A `Key` says what a YAML key holds (its shape), whether it is required, what it means (one
Estonian line) and which model field it fills. A `Record` is a mapping of keys; `ListOf` and
`MapOf` hold other shapes; `AnyOf` accepts alternative shapes (a post reference is an id or a
mapping); `Mapped` converts a value. Like MkDocs' config_options, the same declarations read the
YAML and describe it, so the reader, the JSON Schemas and the docs tables (export.py) cannot
drift apart.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .load import Source
from .reader import ID_RE, Place, Reader
from .shapes import ID_PATTERN, Choice, Json, JsonObject, Shape

T = TypeVar("T")
U = TypeVar("U")


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
        found = self._read_keys(r, node, at, where)
        if not self._rules_hold(r, node, found.fields, at.src, where):
            return None
        return self._make(found)

    def _read_keys(self, r: Reader, node: dict[Any, Any], at: Place, where: str) -> Found:
        """Each declared key's value; a missing required one is reported and stood in for."""
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
        return Found(fields, frozenset(present), frozenset(broken), at.src, at.name)

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
        if self.exactly_one and sum(node.get(k) is not None for k in self.exactly_one.keys) != 1:
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
                if isinstance(key.shape, Choice):  # the word the YAML would carry, not the value
                    words = [w for w in key.shape.values if key.shape.convert(w) == f.default]
                    return words[0] if words else None
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
            if not ID_RE.fullmatch(str(key)):
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

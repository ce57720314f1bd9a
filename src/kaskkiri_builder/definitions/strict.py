"""The YAML the definitions are written in: plain text values, no tricks, bounded.

HR staff type numbers, ids and titles; YAML would turn `1.10` into the float 1.1, `yes` into true
(with `%YAML 1.1`), `0o12` into 10 and `2026-02-30` into an error. Here every plain value is the
text as typed, except "no value" (empty, `~`, `null`); an unquoted `true`/`false` is told from a
quoted one, so that the clause parameters can still switch text on and off (reader.plain_value). Tags
other than str, map and seq, anchors and aliases (an "alias bomb" expands a few lines into
billions of nodes), non-text keys and deep nesting are refused with the line where they are.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import StreamMark
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

MAX_DEPTH = 50  # levels of lists and mappings; the definitions need fewer than ten
#: Keys and values in one file: the example's largest has about 250; ruamel needs some 60 µs and
#: 1 kB for each, so a 2 MB file of "[x, x, x, ...]" would take 40 s without this bound.
MAX_NODES = 20_000

_YAML = "tag:yaml.org,2002:"
_STR, _NULL = _YAML + "str", _YAML + "null"
_ALLOWED_TAGS = {_STR, _YAML + "map", _YAML + "seq"}
#: What a plain scalar says to mean "no value" (read as None).
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
#: YAML 1.2's words for true and false: text, except unquoted in a clause parameter (plain_value).
BOOLEAN_WORDS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class Refused(Exception):
    """Input the definitions do not accept (Estonian message) and where it is."""

    def __init__(self, message: str, mark: StreamMark | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = None if mark is None else mark.line + 1


class _TextResolver(VersionedResolver):
    """Every plain scalar is text, whatever it looks like; only "no value" is not."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0] and value in NULLS:
            return Tag(suffix=_NULL)
        if kind is ScalarNode:
            return Tag(suffix=_STR)
        return super().resolve(kind, value, implicit)


def _tag_text(tag: Any) -> str:
    """A tag as the user wrote it: "!!binary", "!mine"."""
    handle, suffix = getattr(tag, "handle", None), getattr(tag, "suffix", None)
    return f"{handle or ''}{suffix}" if suffix else str(tag)


class _StrictComposer(Composer):
    """Refuses anchors, aliases, tags and non-text keys; counts the nodes and the depth."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or event.anchor is not None:
            raise Refused(
                'ankur või viide ("&nimi", "*nimi") ei ole definitsioonides lubatud. Kirjuta väärtus '
                "välja igale poole, kus seda vaja on.",
                event.start_mark,
            )
        tag = getattr(event, "ctag", None)
        if tag is not None and str(tag) != "!":
            if str(tag) not in _ALLOWED_TAGS:
                shown = _tag_text(tag)
                raise Refused(
                    f"silt {shown} ei ole definitsioonides lubatud: eemalda silt {shown} (väärtus "
                    "loetakse tekstina, nii nagu see on kirjutatud).",
                    event.start_mark,
                )
            event.ctag = None  # !!str, !!map, !!seq: what the value is anyway
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise Refused(
                f"failis on üle {MAX_NODES} väärtuse: see ei ole definitsioonide fail või on liiga "
                "suur. Jaga sisu mitmeks failiks.",
                event.start_mark,
            )
        if self.depth >= MAX_DEPTH:
            raise Refused(
                f"andmed on liiga sügavalt pesastatud (üle {MAX_DEPTH} taseme). Kontrolli taandeid "
                "ning sulge [ ] ja { }: kas mõni sulg on jäänud sulgemata?",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def compose_mapping_node(self, anchor: Any) -> Any:
        node = super().compose_mapping_node(anchor)
        for key, _value in node.value:
            if not isinstance(key, ScalarNode):
                what = "sõnastik" if isinstance(key, MappingNode) else "loetelu"
                raise Refused(
                    f"võti peab olema tekst, aga on {what}. Kirjuta võtme nimi ja koolon, näiteks "
                    '"teenistuskoht: ...".',
                    key.start_mark,
                )
            if key.tag == _NULL:
                raise Refused(
                    'võti on tühi ("~", "null" või puudub). Kirjuta võtme nimi ja koolon, näiteks '
                    '"teenistuskoht: ...".',
                    key.start_mark,
                )
        return node


def strict_yaml() -> YAML:
    """A round-trip loader (values keep their lines) that reads every plain scalar as text."""
    y = YAML(typ="rt")
    y.Resolver = _TextResolver
    y.Composer = _StrictComposer
    y.allow_duplicate_keys = False
    y.preserve_quotes = True  # quoted "true" stays text in the clause parameters
    return y

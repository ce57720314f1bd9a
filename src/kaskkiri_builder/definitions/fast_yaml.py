"""Reading the definitions fast: libyaml's events (PyYAML's C binding) instead of ruamel's scanner.

ruamel.yaml's round-trip loader is pure Python: some 5 ms for a post's file, most of the time
spent on a thousand posts. libyaml reads the same file in a tenth of a millisecond, and its events
carry the positions, so the values can be put into the very containers the round trip makes
(CommentedMap, CommentedSeq, the quoted and block scalar strings), with the same lines and
columns: the rest of the code cannot tell which reader ran.

Only the plain case is read here. Anything the strict reader (strict.py) refuses or reports, and
anything where libyaml and ruamel might not agree, raises `Unsure`, and load.py reads the file
again with ruamel, which then gives the value or the very message it always gave: a syntax error,
an anchor, an alias, a tag, a directive, a duplicate or empty key, a key that is a list or a
mapping, the "<<" key, deep nesting, too many values, characters the reader refuses, unusual line
breaks. What is not kept: comments and the flow/block style of the containers, and the fold
positions of folded scalars. They only matter when YAML is written back, and kaskkiri never writes
what it read this way (recording.py reads the files it changes with ruamel's round trip).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq, LineCol
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from .strict import MAX_DEPTH, MAX_NODES, NULLS

try:  # PyYAML built without libyaml has no C parser: ruamel reads every file
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover
    _CParser = None

#: Text where ruamel (a YAML 1.2 reader with quirks of its own) and libyaml (1.1) part ways, or
#: that the strict reader refuses; found by comparing the two on random and mutated files
#: (tests/test_fast_yaml.py).
_UNSURE_TEXT = re.compile(
    r"""
      [^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]
                          # what ruamel's reader refuses (control characters), a tab (ruamel
                          # refuses one in plain text), a byte-order mark, YAML 1.1's line breaks
    | \r(?!\n)            # a carriage return alone: a line break to one, not to the other
    | [|>][-+0-9]*\#      # "|#": a comment right after a block scalar's indicator
    | [|>][-+0-9]*[ ]*(?:\#[^\n]*)?\r?\n[ ]+\r?\n
                          # a block scalar's first line blank but for spaces (ruamel: an error)
    | ["']:[^ \r\n]        # '"a":b': a quoted key glued to its value
    """,
    re.VERBOSE,
)
_STYLES: dict[str, Any] = {
    "|": LiteralScalarString,
    ">": FoldedScalarString,
    "'": SingleQuotedScalarString,
    '"': DoubleQuotedScalarString,
}
_LINE_COL = LineCol.attrib
_has = OrderedDict.__contains__  # CommentedMap's own looks for merged keys too: there are none
_MAX_DEPTH = MAX_DEPTH - 2  # below the strict reader's limit: ruamel decides near it


class Unsure(Exception):
    """This file is for ruamel to read: it says what is wrong, or reads it as it always did."""


def available() -> bool:
    """Whether PyYAML has its libyaml binding here (without it, ruamel reads every file)."""
    return _CParser is not None


def fast_load(text: str) -> Any:
    """The file's data as `strict_yaml().load(text)` gives it, or `Unsure`."""
    if _CParser is None or _UNSURE_TEXT.search(text):
        raise Unsure
    parser = _CParser(text)
    try:
        return _compose(parser.get_event)
    except yaml.YAMLError:
        raise Unsure from None
    finally:
        parser.dispose()


def _scalar(event: Any) -> Any:
    style = event.style
    if not style:  # plain: "" from the C parser
        value = event.value
        return None if event.implicit[0] and value in NULLS else value
    return _STYLES[style](event.value)


def _compose(next_event: Any) -> Any:
    """The one document of the stream; `Unsure` for anything but plain keys, values and lists.

    A stack of open containers: a mapping's frame holds its pending key (None between entries),
    a sequence's its items; each frame's line info is a dict filled as ruamel's constructor does.
    """
    if type(next_event()) is not yaml.StreamStartEvent:
        raise Unsure
    event = next_event()
    if type(event) is yaml.StreamEndEvent:
        return None
    if type(event) is not yaml.DocumentStartEvent or event.version or event.tags:
        raise Unsure
    stack: list[list[Any]] = []  # [container, line info, pending key, key's mark, items]
    nodes = 0
    root: Any = None
    while True:
        event = next_event()
        kind = type(event)
        if kind is yaml.ScalarEvent or kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            nodes += 1
            if event.anchor is not None or event.tag is not None or nodes >= MAX_NODES:
                raise Unsure
            top = stack[-1] if stack else None
            if top is not None and top[4] is None and top[2] is None:  # a mapping's key
                if kind is not yaml.ScalarEvent:
                    raise Unsure
                key = _scalar(event)
                if key is None or key == "<<" or _has(top[0], key):
                    raise Unsure
                top[2], top[3] = key, event.start_mark
                continue
            mark = event.start_mark
            if kind is yaml.ScalarEvent:
                value = _scalar(event)
            else:
                if len(stack) >= _MAX_DEPTH:
                    raise Unsure
                lc = LineCol()
                lc.line, lc.col = mark.line, mark.column
                if kind is yaml.MappingStartEvent:
                    value = CommentedMap()
                    setattr(value, _LINE_COL, lc)
                    stack.append([value, lc, None, None, None])
                else:
                    value = CommentedSeq()
                    setattr(value, _LINE_COL, lc)
                    stack.append([value, lc, None, None, []])
                if top is None:
                    root = value
                else:
                    _attach(top, value, mark)
                continue
            if top is None:  # a file that is one text: ruamel reads a block scalar's lines otherwise
                if value is not None:
                    raise Unsure
                continue
            _attach(top, value, mark)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = stack.pop()
            if frame[4]:
                frame[0].extend(frame[4])
        elif kind is yaml.DocumentEndEvent:
            break
        else:  # an alias, or an event libyaml should not give here
            raise Unsure
    if type(next_event()) is not yaml.StreamEndEvent:  # a second document
        raise Unsure
    return root


def _attach(frame: list[Any], value: Any, mark: Any) -> None:
    """Put a value into the open container, with its line as ruamel's constructor records it."""
    lc = frame[1]
    if lc.data is None:
        lc.data = {}
    items = frame[4]
    if items is None:
        key, key_mark = frame[2], frame[3]
        lc.data[key] = [key_mark.line, key_mark.column, mark.line, mark.column]
        frame[0][key] = value
        frame[2] = None
    else:
        lc.data[len(items)] = [mark.line, mark.column]
        items.append(value)

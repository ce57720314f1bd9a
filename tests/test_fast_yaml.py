"""libyaml's reader (definitions/fast_yaml.py) gives what ruamel's strict round trip gives.

The same containers and scalar types (a quoted "true" stays a quoted string), the same lines and
columns of every container, key and list item, on every bundled definitions file and on tricky
inputs; what it is not sure of (`Unsure`) it leaves to ruamel, so a bad file's message is the
same. The property tests feed both readers random and mutated files: whenever libyaml gives a
value, ruamel must give that very value, never an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kaskkiri_builder.definitions import fast_yaml, load_definitions
from kaskkiri_builder.definitions.fast_yaml import Unsure, fast_load
from kaskkiri_builder.definitions.load import read_yaml
from kaskkiri_builder.definitions.strict import MAX_DEPTH, MAX_NODES, strict_yaml
from toolkit import ROOT, copy_example

pytestmark = pytest.mark.skipif(not fast_yaml.available(), reason="PyYAML without libyaml")

BUNDLED = sorted([*ROOT.glob("definitions/**/*.yaml"), *ROOT.glob("arhiiv/*/definitions/**/*.yaml")])


def snapshot(data: Any) -> Any:
    """Everything the code reads of parsed data: types, values, order and positions.

    A mapping's entry keeps its key's position and, unless the value is empty, the value's: for
    an empty value ruamel records the position of whatever token comes next (a quirk of its
    parser), and nothing reads it (load.line_of_key reads the key's).
    """
    if isinstance(data, CommentedMap):
        where = data.lc.data or {}
        entries = [(type(k).__name__, str(k), where[k][:2] if v is None else where[k], snapshot(v))
                   for k, v in data.items()]
        return ("map", data.lc.line, data.lc.col, entries, sorted(map(str, where)) == sorted(map(str, data)))
    if isinstance(data, CommentedSeq):
        where = data.lc.data or {}
        return ("seq", data.lc.line, data.lc.col, [(where[i], snapshot(v)) for i, v in enumerate(data)])
    assert data is None or isinstance(data, str), type(data)
    return (type(data).__name__, data)


def ruamel(text: str) -> Any:
    """ruamel's reading of `text`, or the kind of error it raised."""
    try:
        return snapshot(strict_yaml().load(text))
    except (AssertionError, NotImplementedError):  # ruamel's own bugs on valid YAML
        return "crash"
    except Exception as exc:
        return ("error", type(exc).__name__)


def same_or_unsure(text: str) -> bool:
    """libyaml gives ruamel's reading (True), or leaves the text to ruamel (False)."""
    try:
        fast = snapshot(fast_load(text))
    except Unsure:
        return False
    slow = ruamel(text)
    assert slow in (fast, "crash"), f"{text!r}\nruamel: {slow}\nlibyaml: {fast}"
    return True


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(ROOT)))
def test_bundled_definitions_are_read_fast_and_the_same(path: Path):
    assert same_or_unsure(path.read_text(encoding="utf-8")), "fell back to ruamel"


def test_the_example_loads_to_the_same_model(tmp_path, monkeypatch):
    """The whole model, every Source's line included, with and without libyaml."""
    root = copy_example(tmp_path) / "definitions"
    fast = load_definitions(root)

    def never(text: str) -> Any:
        raise Unsure

    monkeypatch.setattr("kaskkiri_builder.definitions.load.fast_load", never)
    assert load_definitions(root) == fast


READ_FAST = {
    "crlf": "a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\nc: >-\r\n  one\r\n  two\r\n",
    "quoted booleans stay quoted": "a: true\nb: 'true'\nc: \"false\"\nd: True\ne: yes\n",
    "nulls": "a:\nb: ~\nc: null\nd: ''\ne: \"\"\nf: NULL\ng: Null\nh: nil\n",
    "numbers are text": "a: 1.10\nb: 007\nc: 0o12\nd: 2026-02-30\ne: 1e3\nf: .inf\ng: 0x1F\n",
    "block scalars": "a: |\n  one\n   two\n\n  three\nb: |-\n  x\nc: |+\n  y\n\nd: >\n  p\n  q\n\n  r\n"
                     "e: >-\n  s\n    indented\n  t\nf: |2\n    lead\ng: >+\n  z\n",
    "plain over lines": "a: one\n  two\n\n  three\nb: x # not text\n",
    "quoted over lines": "a: \"one\n  two \\\" three\\n\\t\\u00e4\"\nb: 'it''s\n\n  x'\n",
    "estonian and emoji": "õäöü: Šaržeeritud žürii 😀\n\"š\": 'Õ'\n",
    "comments everywhere": "# top\na: # after key\n  # before item\n  - x # after item\n\n  # between\n"
                           "  - y\n# end\n",
    "empty items": "a:\n  -\n  - \n  - ''\nb: [ ]\nc: { }\nd: []\n",
    "indentless sequence": "a:\n- x\n- y: 1\n  z: 2\n-\n  - nested\nb: 1\n",
    "nested lists": "- - a\n  - b\n- - - c\n-   d\n",
    "flow collections": "a: [x, 'y', \"z\", [1, 2], {k: v, m: }]\nb: {p: [q], r: s, t}\nc: [a: b, c]\n"
                        "d: [\n  one,\n  two\n]\n",
    "explicit keys": "? a\n: 1\n? |\n  block key\n: 2\n? 'q'\n",
    "document markers": "---\na: 1\n...\n",
    "keys with spaces and colons": "a b: 1\n'c: d': 2\ne:f: 3\n\"g\" : 4\nurl: http://x.ee/a#b\n",
    "colons and hashes in text": "a: 'Teenus: kvaliteet'\nb: '#1'\nc: a#b\nd: -x\ne: x:y\nf: x -y\n",
    "deep but allowed": "a:\n" + "".join("  " * i + "- \n" for i in range(1, 30)) + "  " * 30 + "- x\n",
    "mapping of mappings": "a:\n  b:\n    c:\n      d: 1\n    e: 2\n  f:\n    - g: 3\n      h: 4\n",
    "empty file": "",
    "comment only": "# nothing yet\n",
    "document start only": "---\n",
    "no newline at end": "a: 1\nb: x",
    "trailing spaces": "a: 1   \nb:    \n  - x   \n",
    "unicode line separators are text only when escaped": "a: \"x\\u2028y\"\n",
    "null-looking keys quoted": "'~': 1\n\"null\": 2\n'': 3\n",
}


@pytest.mark.parametrize("text", READ_FAST.values(), ids=READ_FAST.keys())
def test_tricky_inputs_are_read_fast_and_the_same(text: str):
    assert same_or_unsure(text), "fell back to ruamel"


UNSURE = {
    "anchor": "a: &x 1\n",
    "anchor on a mapping": "a: &x\n  b: 1\n",
    "alias": "a: &x 1\nb: *x\n",
    "tag": "a: !!str 1\n",
    "binary tag": "a: !!binary aGVsbG8=\n",
    "own tag": "a: !mine x\n",
    "non-specific tag": "a: ! null\n",
    "yaml directive": "%YAML 1.1\n---\na: yes\n",
    "tag directive": "%TAG !e! tag:example.com,2000:\n---\na: 1\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate key, one quoted": "a: 1\n'a': 2\n",
    "empty key": ": 1\n",
    "null key": "~: 1\n",
    "list as key": "? [a, b]\n: 1\n",
    "mapping as key": "? {a: b}\n: 1\n",
    "merge key": "a: 1\n<<: {b: 2}\n",
    "tab in text": "a: x\ty\n",
    "tab indentation": "a:\n\t- x\n",
    "control character": "a: x\x07y\n",
    "escape character": "a: x\x1by\n",
    "byte-order mark": "\ufeffa: 1\n",
    "next line": "a: x\x85y\n",
    "line separator": "a: x\u2028y\n",
    "lone carriage return": "a: 1\rb: 2\n",
    "a text, not a mapping": "just text\n",
    "a block scalar at the top": "|\n# not a comment\n",
    "comment glued to a block indicator": "a: |# c\n  x\n",
    "block scalar starting with a spaced line": "a: |\n   \n  x\n",
    "quoted key glued to its value": "a: [\"\":]\n",
    "too deep": "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n",
    "too many values": "a: [" + ", ".join(["x"] * MAX_NODES) + "]\n",
    "syntax error": "a: 'open\n",
    "bad indentation": "a:\n  - x\n - y\n",
    "colon in text": "a: Teenus: kvaliteet: x\nb: c: d\n",
    "unclosed bracket": "a: [x, y\nb: 1\n",
}


@pytest.mark.parametrize("text", UNSURE.values(), ids=UNSURE.keys())
def test_what_libyaml_leaves_to_ruamel(text: str):
    with pytest.raises(Unsure):
        fast_load(text)


BOTH = {**READ_FAST, **UNSURE}
del BOTH["too many values"]  # ruamel reads it both times, slowly


@pytest.mark.parametrize("text", BOTH.values(), ids=BOTH.keys())
def test_read_yaml_gives_the_same_data_or_message(text: str, tmp_path, monkeypatch):
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode("utf-8"))
    doc, problems = read_yaml(path, "ametikohad/x.yaml")

    def never(text: str) -> Any:
        raise Unsure

    monkeypatch.setattr("kaskkiri_builder.definitions.load.fast_load", never)
    slow_doc, slow_problems = read_yaml(path, "ametikohad/x.yaml")
    assert problems == slow_problems
    assert (doc is None) == (slow_doc is None)
    if doc is not None:
        assert snapshot(doc.data) == snapshot(slow_doc.data)


def test_a_placeholder_written_by_an_escape_is_still_found(tmp_path):
    """read_yaml looks for "<TÄIDA>" in the values only when the text has it or an escape."""
    path = tmp_path / "x.yaml"
    path.write_text('a: fine\nb:\n  - x\n  - "\\x3cTÄIDA>"\n', encoding="utf-8")
    doc, problems = read_yaml(path, "x.yaml")
    assert doc is None
    assert [(p.line, "TÄIDA" in p.message) for p in problems] == [(4, True)]


# --- properties: random and mutated files -------------------------------------------------------

FRAGMENTS = [
    "a", "key", "õ", "😀", "x y", ":", ": ", " ", "  ", "\n", "\n  ", "\n    ", "- ", "-", "[", "]", "{", "}",
    ", ", "'", '"', "# c", " #", "|", "|-", ">", ">-", "|+", "|2", "? ", "true", "~", "null", "''", '""',
    "\\", "\\n", "...", "---", "--- ", "%", "@", "`", "&", "*", "!", "<<", ":x", "a:b", "\r\n", "\t", "\n\n",
    " \n", "k: v\n", "k:\n  - x\n", "q: 'it''s'\n", "\xa0",
]
PREFIXES = ["", "k:\n  ", "k: ", "- ", "k:\n- ", "a:\n  b:\n    ", "- - ", "k: [", "k: {", "a: 1\nb: ", "# c\nk:\n\n  "]
SUFFIXES = ["", "\n", "\nz: 1\n", "\n  - y\n"]


@st.composite
def yamlish(draw: st.DrawFn) -> str:
    body = "".join(draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14)))
    indent = " " * draw(st.sampled_from([0, 1, 2, 4]))
    return draw(st.sampled_from(PREFIXES)) + body.replace("\n", "\n" + indent) + draw(st.sampled_from(SUFFIXES))


@settings(max_examples=250, deadline=None, derandomize=True)
@given(yamlish())
def test_random_texts(text: str):
    same_or_unsure(text)


EXAMPLE_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("definitions/**/*.yaml"))]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A bundled file with a few edits a person makes: text typed in, cut, a line copied,
    indented or dedented, deleted."""
    lines = draw(st.sampled_from(EXAMPLE_TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["type", "cut", "copy", "indent", "dedent", "delete"]))
        j = draw(st.integers(0, len(lines) - 1))
        line = lines[j]
        k = draw(st.integers(0, len(line)))
        if op == "type":
            lines[j] = line[:k] + draw(st.sampled_from(FRAGMENTS)) + line[k:]
        elif op == "cut":
            lines[j] = line[:k] + line[draw(st.integers(k, len(line))):]
        elif op == "copy":
            lines.insert(j, lines[draw(st.integers(0, len(lines) - 1))])
        elif op == "indent":
            lines[j] = " " * draw(st.sampled_from([1, 2, 4])) + line
        elif op == "dedent":
            lines[j] = line.lstrip(" ")
        elif len(lines) > 1:
            del lines[j]
    return "\n".join(lines)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(mutated())
def test_mutated_definitions(text: str):
    same_or_unsure(text)

"""Reading YAML files with positions.

The definitions are read with ruamel.yaml's round-trip loader so that every value keeps the line
it came from: each message the user reads names the file and line. Syntax errors become
`Problem`s in Estonian; nothing here raises a parser's own exception to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from ..errors import Problem


class Source(NamedTuple):
    """Where a value comes from: a definitions file (relative to the project) and a 1-based line.

    A named tuple, so that `file, line = source` works where a plain pair was used before.
    """

    file: str
    line: int | None = None

    def problem(self, message: str) -> Problem:
        return Problem(message, self.file, self.line)


@dataclass
class YamlDoc:
    """One parsed YAML file: its data (ruamel containers) and the name used in messages."""

    path: Path
    name: str
    data: Any

    def source(self, line0: int | None = None) -> Source:
        return Source(self.name, None if line0 is None else line0 + 1)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    return y


def _line_of_position(text: str, index: int) -> int:
    return text.count("\n", 0, max(index, 0)) + 1


def read_yaml(path: Path, name: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one file; on failure return no document and one Estonian problem with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_position(path.read_bytes().decode("utf-8", "replace"), exc.start)
        return None, [
            Problem(
                "fail ei ole UTF-8 kodeeringus. Salvesta see tekstiredaktoris UTF-8 kodeeringus.",
                name,
                line,
            )
        ]
    try:
        data = _yaml().load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key = (exc.problem or "").split('"')[1] if '"' in (exc.problem or "") else ""
        return None, [
            Problem(
                f'võti "{key}" on samas kohas kaks korda. Jäta alles üks neist.',
                name,
                mark.line + 1 if mark else None,
            )
        ]
    except ReaderError as exc:
        line = _line_of_position(text, exc.position)
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return None, [
            Problem(
                f"failis on juhtmärk {char}, mida Word ei talu (tavaliselt Wordist kopeeritud "
                "tekstiga kaasa tulnud). Kustuta see märk ja kirjuta tekst sellest kohast uuesti.",
                name,
                line,
            )
        ]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = (exc.problem or exc.context or "").strip()
        return None, [
            Problem(
                f"YAML-i süntaksiviga ({what}). Kontrolli taandeid, kooloneid ja jutumärke; "
                'koolonit ": " sisaldav tekst pane jutumärkidesse.',
                name,
                mark.line + 1 if mark else None,
            )
        ]
    except YAMLError as exc:  # anything else ruamel can raise while reading
        return None, [Problem(f"YAML-i viga: {exc}. Paranda fail.", name)]
    if data is None:
        data = CommentedMap()
    return YamlDoc(path, name, data), []


def line_of_key(mapping: object, key: object) -> int | None:
    """0-based line of a key in a ruamel mapping (None for plain dicts)."""
    if isinstance(mapping, CommentedMap):
        try:
            return int(mapping.lc.key(key)[0])
        except (KeyError, TypeError):
            return int(mapping.lc.line)
    return None


def line_of_item(seq: object, index: int) -> int | None:
    """0-based line of an item in a ruamel sequence."""
    if isinstance(seq, CommentedSeq):
        try:
            return int(seq.lc.item(index)[0])
        except (KeyError, TypeError, IndexError):
            return int(seq.lc.line)
    return None

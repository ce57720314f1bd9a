"""Reading YAML files with positions.

The definitions are read into ruamel.yaml's round-trip containers so that every value keeps the
line it came from: each message the user reads names the file and line. libyaml reads the plain
files (fast_yaml.py), ruamel's own loader the rest. Syntax errors become
`Problem`s in Estonian; nothing here raises a parser's own exception to the caller.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from ..errors import Problem
from .fast_yaml import Unsure, fast_load
from .strict import Refused, strict_yaml

#: What `kaskkiri uus` writes where a value is still to be given (scaffold.py). A file that
#: still holds it is not read: a half-filled file must not pass for a plausible document.
PLACEHOLDER = "<TÄIDA>"

#: A definitions file is a few kilobytes; ruamel's scanner is quadratic (8 MB took 26 s).
MAX_BYTES = 2 * 1024 * 1024


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


def _line_of_position(text: str, index: int) -> int:
    return text.count("\n", 0, max(index, 0)) + 1


_KINDS = (
    (stat.S_ISDIR, "kaust"),
    (stat.S_ISFIFO, "nimega toru (FIFO)"),
    (stat.S_ISCHR, "seadmefail"),
    (stat.S_ISBLK, "seadmefail"),
    (stat.S_ISSOCK, "sokkel"),
)


def not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as a definitions file (Estonian); None for a regular file.

    A broken link or a FIFO would otherwise be skipped (and a reference to it reported as
    missing) or, for a FIFO, block the run.
    """
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "on viide (symlink), mis viitab ringiga iseendale. Asenda see tavalise failiga."
        if path.is_symlink():
            return (f'on viide (symlink) failile "{os.readlink(path)}", mida pole olemas. Paranda '
                    "viide või asenda see tavalise failiga.")
        return f"faili ei saa lugeda ({exc.strerror or exc}). Kontrolli faili õigusi."
    if stat.S_ISREG(mode):
        return None
    kind = next((what for test, what in _KINDS if test(mode)), "eriline fail")
    return f"ei ole tavaline fail, vaid {kind}. Kustuta see või asenda tavalise YAML-failiga."


def _read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """The file's text, read only when it is a regular file of a sensible size."""
    why = not_a_file(path)
    if why is not None:
        return None, [Problem(why, name)]
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [Problem(f"faili ei saa lugeda ({exc.strerror or exc}). Kontrolli faili õigusi.", name)]
    if len(data) > MAX_BYTES:
        size = f"{max(len(data), path.stat().st_size) / 1024 / 1024:.1f}".replace(".", ",")
        return None, [
            Problem(
                f"fail on liiga suur ({size} MB): definitsioonide fail võib olla kuni "
                f"{MAX_BYTES // 1024 // 1024} MB. Kas see on õige fail? Jaga sisu mitmeks failiks.",
                name,
            )
        ]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = _line_of_position(data.decode("utf-8", "replace"), exc.start)
        return None, [
            Problem(
                "fail ei ole UTF-8 kodeeringus. Salvesta see tekstiredaktoris UTF-8 kodeeringus.",
                name,
                line,
            )
        ]


def parse(text: str) -> Any:
    """A file's data: read by libyaml when that is sure to give what ruamel gives (fast_yaml.py),
    else by ruamel's strict round trip, which also raises the errors read_yaml turns into messages."""
    try:
        return fast_load(text)
    except Unsure:
        return strict_yaml().load(text)


def read_yaml(path: Path, name: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one file; on failure return no document and one Estonian problem with its line."""
    text, problems = _read_text(path, name)
    if text is None:
        return None, problems
    try:
        data = parse(text)
    except Refused as exc:
        return None, [Problem(exc.message, name, exc.line)]
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
        return None, [syntax_problem(exc, name)]
    except YAMLError as exc:  # anything else ruamel can raise while reading
        return None, [Problem(f"YAML-i viga: {exc}. Paranda fail.", name)]
    except (AssertionError, NotImplementedError):  # ruamel's own slips on some valid files
        return None, [Problem(
            "YAML-i lugeja ei suutnud faili lugeda (see juhtub mõne kommentaari asukohaga, nt "
            "kommentaar tühja rea järel plokis). Tõsta kommentaarid eraldi ridadele või kustuta need "
            "ja proovi uuesti.", name)]
    except RecursionError:  # not expected below strict.MAX_DEPTH; a message all the same
        return None, [Problem("andmed on liiga sügavalt pesastatud. Lihtsusta faili ülesehitust.", name)]
    if data is None:
        data = CommentedMap()
    # a value can hold the placeholder only if the text does, or an escape ("\x3c") wrote it
    unfilled = placeholder_problems(data, name) if PLACEHOLDER in text or "\\" in text else []
    if unfilled:
        return None, unfilled
    return YamlDoc(path, name, data), []


def placeholder_problems(data: Any, name: str) -> list[Problem]:
    """One problem for each value that still holds `PLACEHOLDER`, with its line and key."""
    out: list[Problem] = []

    def walk(node: Any, key: object, line0: int | None) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k, line_of_key(node, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, key, line_of_item(node, i))
        elif isinstance(node, str) and PLACEHOLDER in node:
            where = f' (võti "{key}")' if key is not None else ""
            out.append(Problem(
                f"täitmata koht {PLACEHOLDER}{where}. Kirjuta selle asemel õige väärtus (rea kohal "
                "olev kommentaar ütleb, mis sinna käib) või kustuta rida, kui võti pole kohustuslik.",
                name, None if line0 is None else line0 + 1))

    walk(data, None, None)
    return out


def ids_in(path: Path) -> set[str]:
    """The top-level ids a file that YAML could not read seems to define (its clauses), so that
    references to them are not reported again as unknown; empty when not even that is known."""
    if not_a_file(path) is not None:
        return set()
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError:
        return set()
    if len(data) > MAX_BYTES:
        return set()
    return set(re.findall(r"(?m)^([a-z0-9][a-z0-9-]*)[ \t]*:", data.decode("utf-8", "replace")))


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


def syntax_problem(exc: MarkedYAMLError, name: str) -> Problem:
    """A YAML syntax error in Estonian: what the common mistakes look like and how to fix them.

    The parser's own words are English ("mapping values are not allowed here"); an HR
    specialist needs the mistake named: a tab, a colon in text, a quote or bracket left open, an
    indentation that does not line up. The line is where the mistake is, or where it began.
    """
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    at = exc.problem_mark or exc.context_mark
    line = at.line + 1 if at else None
    began = exc.context_mark.line + 1 if exc.context_mark else line
    if "'\\t'" in problem or "\t" in problem:
        message = ("real on tabulaator (Tab). YAML-is taandatakse ainult tühikutega: asenda "
                   "tabulaator tühikutega (tavaliselt kaks tühikut taande kohta).")
    elif problem.startswith("mapping values are not allowed"):
        message = ('tekstis on koolon ja tühik (": "), mida YAML loeb uue võtme algusena. Pane '
                   'kogu tekst jutumärkidesse, näiteks eesmark: "Teenuse eesmärk: kvaliteet".')
    elif "quoted scalar" in context:
        message = (f"real {began} algav jutumärk jäi sulgemata. Lisa teksti lõppu sama jutumärk "
                   '(" või \'), millega tekst algas.')
        line = began
    elif "flow sequence" in context:
        message = (f"real {began} avatud nurksulg [ jäi sulgemata. Lisa loetelu lõppu ] või "
                   "kirjuta loetelu ridadena (- ...).")
        line = began
    elif "flow mapping" in context:
        message = f"real {began} avatud looksulg {{ jäi sulgemata. Lisa lõppu }} või kirjuta võtmed ridadena."
        line = began
    elif problem.startswith("expected the node content") and "stream end" in problem:
        message = ("fail lõppes poolelioleva väärtusega: ilmselt jäi avatud nurksulg [ või "
                   "looksulg { sulgemata. Lisa ] või } või kirjuta loetelu ridadena (- ...).")
    elif problem.startswith(("expected <block end>", "did not find expected", "bad indentation")):
        message = (f"taane ei klapi: see rida on teistsuguse taandega kui sama taseme read "
                   f"(alates realt {began}). Joonda read, mis kuuluvad kokku, sama arvu tühikutega; "
                   "loetelu punktid (- ...) algavad kõik samast veerust.")
    else:
        message = (f"YAML-i süntaksiviga ({problem or context}). Kontrolli taandeid, kooloneid ja "
                   'jutumärke; koolonit ": " sisaldav tekst pane jutumärkidesse.')
    return Problem(message, name, line)


"""Applying proposed clauses: the clauses into definitions/klauslid/, the posts referring to them.

The user's YAML keeps its comments and layout (ruamel.yaml round trip, as recording.py): only the
duties that become references change (to a proposed clause, or to one the library already
has). Before anything is written, the changed definitions are loaded from a staging copy and every
job description is resolved both ways: if a single character of any annex would differ, nothing is
written (that would be a bug of the proposal). Then every file is written whole (a temporary
file renamed into place), and a failure part way puts back the files already replaced: all files
or none.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from .definitions import load_definitions
from .definitions.load import Source
from .definitions.model import Definitions, PostRef
from .drift import annex_parts
from .errors import DefinitionError, KaskkiriError, OutputError, Problem
from .suggest import LibraryUse, Suggestion
from .yaml_writer import WIDTH, dump, round_trip

CLAUSE_FILE = "soovitatud.yaml"  # in definitions/klauslid/
HEADER = (
    "# yaml-language-server: $schema=../../schemas/klauslid.json\n"
    "# Klauslid, mille soovitas `kaskkiri klauslid soovita --rakenda`: ülesanded, mis kordusid\n"
    "# mitmes ametikohas. Vaata üle, anna klauslitele selgemad id-d ja parameetritele nimed\n"
    "# (muutes ka ametikohtade viiteid) või tõsta need teistesse klauslifailidesse.\n\n"
)


def _scalar(text: str, indent: int) -> str | FoldedScalarString:
    """A long text folded (`>-`) at spaces into lines of at most WIDTH characters, as the
    example writes them; a short one on its key's line."""
    if indent + len(text) <= WIDTH - 12 or "  " in text or text != text.strip() or "\n" in text:
        return text
    folded = FoldedScalarString(text)
    folds: list[int] = []
    start = 0
    room = WIDTH - indent
    while len(text) - start > room:
        cut = text.rfind(" ", start, start + room + 1)
        if cut <= start:
            break  # one word longer than the line: left as it is
        folds.append(cut)
        start = cut + 1
    folded.fold_pos = folds
    return folded


# --- the clause file ------------------------------------------------------------------------------


def clause_node(s: Suggestion) -> CommentedMap:
    m = CommentedMap()
    m["kirjeldus"] = s.description
    m["ulesanne"] = _scalar(s.text, 4)
    m["tulemused"] = CommentedSeq(_scalar(r, 6) for r in s.results)
    if s.defaults:
        m["vaikimisi"] = CommentedMap(s.defaults)
    return m


def clause_file_text(existing: str | None, suggestions: tuple[Suggestion, ...], shown: str) -> str:
    """The clause file with the suggestions added at its end; an id it already has is refused."""
    if existing is None or not existing.strip():
        data = CommentedMap()
        head = HEADER
    else:
        data = round_trip().load(existing)
        head = ""
        if not isinstance(data, CommentedMap):
            raise DefinitionError(Problem("klauslifail ei ole sõnastik (klausli id -> klausel).", shown))
    for s in suggestions:
        if s.clause_id in data:
            raise DefinitionError(Problem(f'klausel "{s.clause_id}" on juba olemas; seda ei kirjutatud üle.',
                                          shown))
        data[s.clause_id] = clause_node(s)
        if len(data) > 1:
            data.yaml_set_comment_before_after_key(s.clause_id, before="\n")
    return head + dump(data)


# --- the posts ------------------------------------------------------------------------------------


def _last(node: Any) -> tuple[Any, Any] | None:
    """(container, key) of the innermost last entry of `node`: where ruamel keeps the comment
    lines that follow it (the comment above the next duty)."""
    inner: tuple[Any, Any] | None = None
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        key = list(node.keys())[-1] if isinstance(node, CommentedMap) else len(node) - 1
        inner = (node, key)
        node = node[key]
    return inner


def _trailing(node: Any) -> Any:
    place = _last(node)
    if place is None:
        return None
    container, key = place
    entry = container.ca.items.get(key)
    if not entry:
        return None
    index = 2 if isinstance(container, CommentedMap) else 0
    return entry[index] if len(entry) > index else None


def _reference(duty: CommentedMap, clause_id: str, params: Mapping[str, Any],
               own_results: bool) -> None:
    """Turn the post's own duty into a reference to the clause, in place; the comment lines
    that follow it (kept on its last entry) move to the new last entry."""
    tail = _trailing(duty)
    if tail is not None:
        container, key = _last(duty) or (None, None)
        if container is not None:
            entry = container.ca.items[key]
            entry[2 if isinstance(container, CommentedMap) else 0] = None
    duty.insert(0, "klausel", clause_id)
    del duty["ulesanne"]
    if params:
        duty.insert(1, "parameetrid", CommentedMap(params))
    if not own_results and "tulemused" in duty:
        del duty["tulemused"]
    if tail is not None:
        place = _last(duty)
        assert place is not None
        container, key = place
        if isinstance(container, CommentedMap):
            container.ca.items.setdefault(key, [None, None, None, None])[2] = tail
        else:
            container.ca.items.setdefault(key, [None, None, None, None])[0] = tail


Change = tuple[int, str, Mapping[str, Any], bool]  # duty index, clause id, params, own results


def post_text(text: str, changes: list[Change], shown: str) -> str:
    """The post file with the listed duties (index, clause, params, own results) as references."""
    data = round_trip().load(text)
    duties = data.get("ulesanded") if isinstance(data, CommentedMap) else None
    for index, clause_id, params, own in changes:
        duty = duties[index] if isinstance(duties, CommentedSeq) and index < len(duties) else None
        if not isinstance(duty, CommentedMap) or "ulesanne" not in duty:
            raise DefinitionError(Problem(f"ülesanne {index + 1} ei ole enam ametikoha oma tekst; "
                                          "käivita kaskkiri klauslid soovita uuesti.", shown))
        _reference(duty, clause_id, params, own)
    return dump(data)


# --- all of it ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    clause_file: str | None  # relative to the project; None: no new clause
    posts: tuple[str, ...]  # post files changed, relative to the project


def new_texts(root: Path, suggestions: tuple[Suggestion, ...],
              library: tuple[LibraryUse, ...] = ()) -> dict[str, str]:
    """Relative path -> new text of every file the suggestions change (the clause file only
    when there are new clauses)."""
    by_file: dict[str, list[Change]] = {}
    for s in suggestions:
        for u in s.uses:
            by_file.setdefault(u.source.file, []).append((u.index, s.clause_id, u.params, u.own_results is not None))
    for lu in library:
        by_file.setdefault(lu.source.file, []).append((lu.index, lu.clause_id, lu.params, lu.own_results is not None))
    texts: dict[str, str] = {}
    for rel in sorted(by_file):
        texts[rel] = post_text((root / rel).read_text(encoding="utf-8"), by_file[rel], rel)
    if suggestions:
        clause_rel = f"definitions/klauslid/{CLAUSE_FILE}"
        path = root / clause_rel
        texts[clause_rel] = clause_file_text(path.read_text(encoding="utf-8") if path.exists() else None,
                                             suggestions, clause_rel)
    return texts


def _annexes(defs: Definitions) -> dict[str, dict[str, str]]:
    """Every full post's annex text by place (the heading names no directive here)."""
    from .resolve import Resolver

    resolver = Resolver(defs)
    out = {pid: annex_parts(resolver.annex(1, PostRef(pid, Source("")), ""))
           for pid in sorted(defs.posts) if defs.posts[pid].is_full}
    return out


def verify(root: Path, before: Definitions, texts: Mapping[str, str]) -> None:
    """Load the changed definitions from a staging copy and compare every annex's text with
    today's; a difference or a problem is an error and nothing is written."""
    with tempfile.TemporaryDirectory(prefix=".soovita.", dir=root) as tmp:
        stage = Path(tmp)
        shutil.copytree(root / "definitions", stage / "definitions")
        for rel, text in texts.items():
            (stage / rel).write_text(text, encoding="utf-8")
        try:
            after = load_definitions(stage / "definitions", stage)
            new, old = _annexes(after), _annexes(before)
        except KaskkiriError as exc:
            raise DefinitionError([Problem(f"soovitatud klauslitega definitsioone ei saa lugeda: {p}")
                                   for p in exc.problems]) from None
    differ = sorted(pid for pid in old if new.get(pid) != old[pid])
    if differ:
        raise DefinitionError(Problem(
            "soovitatud klauslitega muutuks nende ametijuhendite tekst: " + ", ".join(differ)
            + ". Midagi ei kirjutatud; see on kaskkiri viga, teata sellest arendajatele."))


def write_all(root: Path, texts: Mapping[str, str]) -> None:
    """Write every file or none: temporary files first, then the renames; a failed rename puts
    back the files already replaced."""
    staged: list[tuple[Path, Path, str | None]] = []
    try:
        for rel, text in texts.items():
            path = root / rel
            old = path.read_text(encoding="utf-8") if path.exists() else None
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            staged.append((Path(tmp), path, old))
        done: list[tuple[Path, str | None]] = []
        try:
            for tmp_path, path, old in staged:
                os.replace(tmp_path, path)
                done.append((path, old))
        except OSError:
            for path, old in reversed(done):
                if old is None:
                    path.unlink(missing_ok=True)
                else:
                    path.write_text(old, encoding="utf-8")
            raise
    except OSError as exc:
        raise OutputError(Problem(f"definitsioone ei saanud kirjutada ({exc.strerror or exc}). Kontrolli "
                                  "kausta õigusi ja vaba ruumi; ühtegi faili ei muudetud.")) from None
    finally:
        for tmp_path, _path, _old in staged:
            tmp_path.unlink(missing_ok=True)


def apply(root: Path, defs: Definitions, suggestions: tuple[Suggestion, ...],
          library: tuple[LibraryUse, ...] = ()) -> Applied:
    """Write the suggested clauses and rewrite the posts to refer to them and to the library's
    clauses they repeat (see the module doc)."""
    texts = new_texts(root, suggestions, library)
    verify(root, defs, texts)
    write_all(root, texts)
    clause_rel = f"definitions/klauslid/{CLAUSE_FILE}"
    return Applied(clause_rel if clause_rel in texts else None, tuple(r for r in texts if r != clause_rel))

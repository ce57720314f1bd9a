"""Writing many files all or nothing, durably, with one flush to disk (an import's hundreds of files).

`scaffold.write_new` makes one file durable with its own fsync; for 500 post files those fsyncs
are most of an import's wall time. Here every file is written into a staging folder beside the
targets (same file system, so a rename is atomic), the staging folder's file system is flushed
once, and the files are renamed into place. A file that would be replaced is first moved into the
staging folder, so a failure part way puts everything back: all files or none.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import DefinitionError, OutputError, Problem


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str
    shown: str  # the path as messages name it
    replace: bool = False  # an existing file may be replaced (--asenda, the ledger)


def _refusals(files: Sequence[NewFile]) -> list[Problem]:
    """The same refusals as `scaffold.write_new`, for every file before any is written."""
    problems = []
    for f in files:
        twin = f.path.with_suffix(".yml")
        if f.path.suffix == ".yaml" and (twin.exists() or twin.is_symlink()):
            problems.append(Problem(f"samal id-l on juba fail {twin.name}: kaks faili sama id-ga ei loeta. "
                                    "Vali teine id või kustuta see fail.", f.shown))
        elif (f.path.exists() or f.path.is_symlink()) and not f.replace:
            problems.append(Problem("fail on juba olemas; seda ei muudetud. Vali teine id või lisa --asenda, "
                                    "kui tahad faili uuega asendada (senine sisu kaob).", f.shown))
    return problems


def _flush(folder: Path, written: Sequence[Path]) -> None:
    """Everything written under `folder` on disk: one syncfs(2) where the C library has it (the
    folder's file system only), else an fsync per file."""
    libc_name = ctypes.util.find_library("c") if os.name == "posix" else None
    syncfs = getattr(ctypes.CDLL(libc_name, use_errno=True), "syncfs", None) if libc_name else None
    if syncfs is not None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for path in written:
        with open(path, "rb+") as f:
            os.fsync(f.fileno())


def _fsync_dirs(dirs: set[Path]) -> None:
    """The renames on disk: a folder's entries are made durable by fsyncing the folder (POSIX)."""
    if os.name != "posix":
        return
    for d in sorted(dirs):
        fd = os.open(d, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_all_new(files: Sequence[NewFile], staging_parent: Path) -> None:
    """Write `files` all or none. `staging_parent`: a folder on the targets' file system (the
    project's definitions/), where a hidden staging folder lives while the files are written."""
    if not files:
        return
    problems = _refusals(files)
    if problems:
        raise DefinitionError(problems)
    shown = files[0].shown
    try:
        staging_parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".kaskkiri-kirjutamine-", dir=staging_parent))
    except OSError as exc:
        raise OutputError(Problem(f"faile ei saanud kirjutada ({exc.strerror or exc}). Kontrolli kausta "
                                  "õigusi ja vaba ruumi.", str(staging_parent))) from None
    moved: list[tuple[NewFile, Path | None]] = []  # placed files and where the file they replaced waits
    try:
        staged = []
        for i, f in enumerate(files):
            shown = f.shown
            tmp = staging / f"{i}.new"
            with open(tmp, "w", encoding="utf-8", newline="\n") as out:
                out.write(f.text)
            staged.append(tmp)
        _flush(staging, staged)
        for i, (f, tmp) in enumerate(zip(files, staged, strict=True)):
            shown = f.shown
            f.path.parent.mkdir(parents=True, exist_ok=True)
            old = None
            if f.path.exists() or f.path.is_symlink():
                old = staging / f"{i}.old"
                os.replace(f.path, old)
            moved.append((f, old))
            os.replace(tmp, f.path)
        _fsync_dirs({f.path.parent for f in files})
    except OSError as exc:
        for f, old in reversed(moved):  # put back what was there
            try:
                if old is not None:
                    os.replace(old, f.path)
                else:
                    f.path.unlink(missing_ok=True)
            except OSError:
                pass
        raise OutputError(Problem(f"faili ei saanud kirjutada ({exc.strerror or exc}); ühtegi faili ei "
                                  "muudetud. Kontrolli kausta õigusi ja vaba ruumi.", shown)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)

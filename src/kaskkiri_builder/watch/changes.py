"""Which watched files changed: snapshots of names, sizes and modification times, compared.

Polling the watched files every 50 ms costs next to nothing (see session.POLL) and needs no new
dependency; it sees every editor's way of saving (in place, or a new file renamed over the old).
`snapshot` reads the folders; `changed` and `watched` decide, without I/O.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

#: relative path ("definitions/ametikohad/noustaja-9.yaml") → (mtime in ns, size in bytes)
Snapshot = Mapping[str, tuple[int, int]]

# Editors' scratch files beside the one being edited: saving them is not saving a definition.
_SCRATCH_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".bak", "~")


def watched(name: str) -> bool:
    """Whether a file of this name is part of the project's input (not an editor's scratch file,
    a lock file or a hidden file)."""
    return not (name.startswith((".", "~$", "#")) or name.endswith(_SCRATCH_SUFFIXES))


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """The paths added, removed or rewritten between two snapshots, sorted."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def snapshot(root: Path, folders: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Every watched file under `root/<folder>` for each folder, by its path relative to `root`.

    A file that disappears while the folder is read (an editor's rename) is simply left out:
    the next snapshot sees the new one. os.scandir, not Path.rglob: a look at 1000 files takes
    about 5 ms instead of 24 ms (a save is seen sooner, and the loop costs less).
    """
    out: dict[str, tuple[int, int]] = {}
    for folder in folders:
        if watched(folder):
            _scan(root / folder, folder, out)
    return out


def _scan(folder: Path | str, relative: str, out: dict[str, tuple[int, int]]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # not there (any more), or not a folder
        return
    for entry in entries:
        if not watched(entry.name):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):  # a linked folder is not entered (no loops)
                _scan(entry.path, f"{relative}/{entry.name}", out)
                continue
            st = entry.stat()  # a linked file is read where it points
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            out[f"{relative}/{entry.name}"] = (st.st_mtime_ns, st.st_size)

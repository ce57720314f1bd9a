"""Which watched files changed: snapshots of names, sizes and modification times, compared.

Polling a few dozen files every few tenths of a second costs next to nothing and needs no new
dependency; it sees every editor's way of saving (in place, or a new file renamed over the old).
`snapshot` reads the folders; `changed` and `watched` decide, without I/O.
"""

from __future__ import annotations

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
    the next snapshot sees the new one.
    """
    out: dict[str, tuple[int, int]] = {}
    for folder in folders:
        base = root / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            if not watched(path.name) or any(not watched(p) for p in path.relative_to(root).parts[:-1]):
                continue
            try:
                st = path.stat()
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                out[path.relative_to(root).as_posix()] = (st.st_mtime_ns, st.st_size)
    return out

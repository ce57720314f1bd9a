"""The user's cache folder: results kaskkiri may forget and compute again.

Everything kept here is keyed by what it was computed from, so a stale entry is never used; a
missing, unreadable or half-written entry is simply computed again. `KASKKIRI_CACHE` moves the
folder (tests give each run its own) or, set to "0" or "", turns caching off.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ENV_VAR = "KASKKIRI_CACHE"
_OFF = {"", "0", "ei", "off"}


def cache_root() -> Path | None:
    """`$KASKKIRI_CACHE`, else `$XDG_CACHE_HOME/kaskkiri`, else `~/.cache/kaskkiri`; None when off."""
    value = os.environ.get(ENV_VAR)
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "kaskkiri"


def write_atomically(path: Path, data: bytes) -> None:
    """`data` at `path`, whole or not at all: two runs writing the same entry at once both win."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prune(folder: Path, keep: int) -> None:
    """Leave the `keep` most recently used entries of `folder`; others may be removing them too."""
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in entries[keep:]:
        old.unlink(missing_ok=True)

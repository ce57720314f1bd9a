"""The user's cache folder: results kaskkiri may forget and compute again.

Everything kept here is keyed by what it was computed from, so a stale entry is never used; a
missing, unreadable or half-written entry is simply computed again. `KASKKIRI_CACHE` moves the
folder or, set to "", turns caching off (the tests' default: tests/conftest.py).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

ENV_VAR = "KASKKIRI_CACHE"


def cache_root(environ: Mapping[str, str] = os.environ) -> Path | None:
    """`$KASKKIRI_CACHE` (empty: no cache), else `$XDG_CACHE_HOME/kaskkiri` (if absolute),
    else `~/.cache/kaskkiri`."""
    if ENV_VAR in environ:
        value = environ[ENV_VAR].strip()
        return Path(value).expanduser() if value else None
    xdg = environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else home(environ) / ".cache") / "kaskkiri"


def home(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(environ.get("HOME") or Path.home())


def cache_file(folder: str, name: str) -> Path | None:
    """`name` in the cache's `folder`, or None when caching is off."""
    root = cache_root()
    return None if root is None else root / folder / name


def write_atomically(path: Path, data: bytes, prefix: str = ".tmp-") -> None:
    """`data` at `path`, whole or not at all: two runs writing the same entry at once both win.
    The temporary file is `prefix…` beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix)
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

"""Which process a working folder belongs to, so that a later run can tell the leftover of a
killed run from a folder still in use.

A run writes its pid (and, on Linux, the process's start time, so that a reused pid does not
pass for the owner) into every working folder it makes. A later run removes a folder only when
that owner is gone; a folder without the file is never touched.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PID_FILE = ".kaskkiri-pid"


def _stat_fields(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name (which may hold spaces), or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2 :].split()


def _start_time(pid: int) -> str | None:
    fields = _stat_fields(pid)
    return fields[19] if fields and len(fields) > 19 else None  # field 22: starttime


def start_time(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot: another process with the same pid
    has another), or None where /proc does not say."""
    return _start_time(pid)


def mark(folder: Path) -> None:
    """Write this process's pid into `folder`."""
    pid = os.getpid()
    (folder / PID_FILE).write_text(f"{pid} {_start_time(pid) or ''}".strip() + "\n")


def unmark(folder: Path) -> None:
    (folder / PID_FILE).unlink(missing_ok=True)


def process_alive(pid: int, start: str | None = None) -> bool:
    """True while process `pid` runs (a zombie has ended; another start time is another process)."""
    if pid <= 0:
        return False
    fields = _stat_fields(pid)
    if fields is not None:
        if fields[0] in ("Z", "X"):
            return False
        if start is not None and len(fields) > 19 and fields[19] != start:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner_gone(folder: Path) -> bool:
    """True only when `folder` names its owner and that process has ended."""
    try:
        parts = (folder / PID_FILE).read_text().split()
        pid = int(parts[0])
    except (OSError, ValueError, IndexError):
        return False
    return not process_alive(pid, parts[1] if len(parts) > 1 else None)


def remove_stale(parent: Path, prefix: str) -> list[Path]:
    """Remove the folders `parent/<prefix>*` whose owner has ended; the ones removed.

    Best effort: a folder that cannot be listed or removed stays (the run goes on).
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        try:
            # A symbolic link is never followed; another user's folder is not ours to remove.
            if not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
        except OSError:
            continue
        folder = Path(entry.path)
        if owner_gone(folder):
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                removed.append(folder)
    return removed

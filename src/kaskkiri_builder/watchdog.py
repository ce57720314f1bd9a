"""The watchdog beside a LibreOffice process group, and whether a group still runs.

`convert.start_watchdog` runs this file as a script of its own (`python -I -S watchdog.py parent
pgid grace poll`), so it imports nothing but the standard library. When the parent is gone (its
parent pid changed: it was re-parented), the group gets SIGTERM, then SIGKILL; when the group has
ended, the watchdog ends too. While the parent lives, a cheap killpg(0) tells whether the group
is there; once it is gone, zombies nobody reaps must not count as alive, so /proc is read.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path


def group_exists(pgid: int) -> bool:
    """True while group `pgid` has any process, a zombie included (the cheap look)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def group_alive(pgid: int) -> bool:
    """True while a process of group `pgid` runs (a zombie waiting to be reaped does not count)."""
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        return group_exists(pgid)
    for entry in proc_dir.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the command name, which is in parentheses and may hold spaces.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            return True
    return False


def watch(parent: int, pgid: int, grace: float, poll: float) -> None:
    """Wait while group `pgid` exists; once process `parent` is gone, end the group and return."""
    while group_exists(pgid):
        if os.getppid() != parent:
            for sig, limit in ((signal.SIGTERM, grace), (signal.SIGKILL, 0.0)):
                try:
                    os.killpg(pgid, sig)
                except (ProcessLookupError, PermissionError):
                    break
                end = time.monotonic() + limit
                while time.monotonic() < end and group_alive(pgid):
                    time.sleep(0.05)
                if not group_alive(pgid):
                    break
            return
        time.sleep(poll)


if __name__ == "__main__":
    watch(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]))

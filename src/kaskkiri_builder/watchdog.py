"""The watchdog of a LibreOffice process group, and whether a group still runs.

`convert` runs this file as a script of its own, so it imports nothing but the standard library:
`python -I -S watchdog.py parent launch grace poll -- soffice ...` starts LibreOffice in the
watchdog's own group (see `launch`); `python -I -S watchdog.py parent pgid grace poll` watches a
group started otherwise (`watch`). When the parent is gone (its
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


#: The LD_PRELOAD meant for the launched command. The watchdog itself must not run under
#: libfaketime: its frozen clock makes time.sleep fail (EINVAL), and the watchdog would be gone.
CHILD_PRELOAD = "KASKKIRI_CHILD_LD_PRELOAD"


def launch(parent: int, grace: float, poll: float, argv: list[str]) -> int:
    """Run `argv` in this process's own group and wait for it; if `parent` dies first, end the
    whole group (LibreOffice and its children) and this process with it.

    Launched this way, the watchdog exists before LibreOffice does: there is no moment in which a
    killed kaskkiri could leave a LibreOffice behind that no watchdog knows of. Returns the
    command's exit status (128 + the signal's number when a signal ended it).
    """
    import subprocess

    env = dict(os.environ)
    preload = env.pop(CHILD_PRELOAD, None)  # libfaketime: for LibreOffice, not for this loop
    if preload:
        env["LD_PRELOAD"] = preload
    try:
        child = subprocess.Popen(argv, env=env)  # same group, same stdin/stdout/stderr
    except OSError as exc:
        print(f"kaskkiri watchdog: {argv[0]}: {exc}", file=sys.stderr)
        return 127
    while True:
        code = child.poll()
        if code is not None:
            return code if code >= 0 else 128 - code
        if os.getppid() != parent:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the group's SIGTERM is not for us
            os.killpg(0, signal.SIGTERM)
            end = time.monotonic() + grace
            while time.monotonic() < end and child.poll() is None:
                time.sleep(0.05)
            os.killpg(0, signal.SIGKILL)  # whatever is left, and this process too
        time.sleep(poll)


if __name__ == "__main__":
    if len(sys.argv) > 6 and sys.argv[2] == "launch" and sys.argv[5] == "--":
        sys.exit(launch(int(sys.argv[1]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[6:]))
    watch(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]))

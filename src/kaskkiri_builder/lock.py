"""One command at a time per project: `build`, `record` and `review` take the project's lock.

Two `record` runs at once lost a ledger entry, and a `build` that read the definitions while a
`record` rewrote them could mix old and new. The lock is an advisory `flock` on
`.kaskkiri.lock` in the project's folder: the kernel releases it when its holder ends, however it
ends, so a killed command never leaves the project locked. A second command waits a little,
then says who holds the lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from .errors import LockError, Problem

LOCK_FILE = ".kaskkiri.lock"
#: How long a second command waits for the first before it gives up (seconds).
WAIT_SECONDS = 10.0


@contextmanager
def project_lock(root: Path, command: str, *, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the project's lock for the block; LockError if another command keeps it."""
    path = Path(root) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise LockError(Problem(f"projekti lukku ei saa luua ({exc.strerror}). Kontrolli, et "
                                "projekti kaust oleks kirjutatav.", LOCK_FILE)) from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockError(Problem(_held_message(fd, wait), LOCK_FILE)) from None
                time.sleep(0.1)
        _write_holder(fd, command)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _write_holder(fd: int, command: str) -> None:
    holder = {"kask": command, "pid": os.getpid(), "alates": datetime.now().strftime("%H:%M:%S")}
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(holder, ensure_ascii=False) + "\n").encode("utf-8"), 0)


def _held_message(fd: int, waited: float) -> str:
    try:
        holder = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        who = f'"kaskkiri {holder["kask"]}" (protsess {holder["pid"]}, alates {holder["alates"]})'
    except (ValueError, KeyError, OSError, UnicodeDecodeError):
        who = "teine kaskkiri käsk"
    return (f"projektiga töötab praegu {who}; ootasin {waited:g} sekundit. Oota, kuni see lõpeb, "
            "ja proovi uuesti.")

"""The checks of one save, in a forked child at low priority, cancelled by the next save.

On a thread they held the interpreter's lock against the rebuild (Word files twice as slow); in
a child they use the other core, yield to the build and LibreOffice (nice), and a newer save
kills them instead of waiting for them. The parent imports the spelling lexicon's library once
(`warm`), so that each child starts with it (a child then needs a few tenths of a second, not
seconds). The children are started and warmed from the loop's thread only: a fork while another
thread imports could leave the child waiting on an import lock for ever.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from ..checks.findings import Finding
from ..definitions import Definitions
from ..errors import KaskkiriError, Problem

Outcome = list[Finding] | KaskkiriError
#: How much lower the children's priority is than the build's (see nice(2)).
NICE = 10


def warm() -> None:
    """Import the spelling check's library here, once, for every child forked afterwards."""
    from ..checks.spelling import load_vabamorf

    load_vabamorf()


def _run(defs: Definitions, directive_id: str, out: Connection) -> None:
    from ..checks.run import run_checks

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which ends this
    try:
        os.nice(NICE)
        result: Outcome = run_checks(defs, directive_id)
    except KaskkiriError as exc:
        result = exc
    except Exception as exc:  # noqa: BLE001 - a bug of ours: shown on the page, the session goes on
        result = KaskkiriError(Problem(f"Sisemine viga kontrollis: {type(exc).__name__}: {exc}"))
    out.send(result)
    out.close()


class ForkedChecks:
    """`run_checks(defs, directive_id)` in a child; `done(outcome)` on a waiting thread unless
    cancelled first."""

    def __init__(self, defs: Definitions, directive_id: str, done: Callable[[Outcome], None]) -> None:
        ctx = multiprocessing.get_context("fork")
        self._conn, child = ctx.Pipe(duplex=False)
        self._proc: Any = ctx.Process(target=_run, args=(defs, directive_id, child), daemon=True)
        self._cancelled = threading.Event()
        self._proc.start()
        child.close()
        self._waiter = threading.Thread(target=self._wait, args=(done,), name="kaskkiri-kontroll",
                                        daemon=True)
        self._waiter.start()

    def _wait(self, done: Callable[[Outcome], None]) -> None:
        try:
            outcome: Outcome | None = self._conn.recv()
        except (EOFError, OSError):  # killed: cancelled, or from outside
            outcome = None
        finally:
            self._conn.close()
            self._proc.join()
        if self._cancelled.is_set():
            return
        done(outcome if outcome is not None
             else KaskkiriError(Problem("kontrolli alamprotsess lõppes ootamatult.")))

    def cancel(self) -> None:
        """Kill the child (the waiting thread then ends without reporting) and wait for it."""
        self._cancelled.set()
        if self._proc.is_alive():
            self._proc.kill()
        self._waiter.join()

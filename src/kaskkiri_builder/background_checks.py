"""The checks of a build, run in a forked process beside rendering and conversion.

A full build counts its findings as `kaskkiri check` does, spelling and grammar included; their
lexicon takes about two seconds to load. Run in the build's own process it would add those
seconds to every build; forked at the start, it runs while the Word files are rendered and
LibreOffice converts them (2 cores: both are busy anyway), and the build waits only for what
is left. The child only computes and sends the findings back; an error in it is sent back and
raised in the build, as if the checks had run here.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from typing import Any

from .checks.findings import Finding
from .definitions import Definitions


def _run(defs: Definitions, directive_id: str, spelling: bool, out: Connection) -> None:
    from .checks.run import run_checks

    try:
        out.send(("ok", run_checks(defs, directive_id, spelling=spelling)))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        out.send(("error", exc))
    finally:
        out.close()


class BackgroundChecks:
    """`run_checks(defs, directive_id)` started now; `result()` waits for it."""

    def __init__(self, defs: Definitions, directive_id: str, *, spelling: bool = True) -> None:
        ctx = multiprocessing.get_context("fork")
        self._conn, child = ctx.Pipe(duplex=False)
        self._proc: Any = ctx.Process(target=_run, args=(defs, directive_id, spelling, child), daemon=True)
        self._proc.start()
        child.close()

    def result(self) -> list[Finding]:
        try:
            status, value = self._conn.recv()
        except EOFError:  # the child died without a word (killed from outside)
            raise RuntimeError("kontrolli alamprotsess lõppes ootamatult") from None
        finally:
            self._conn.close()
            self._proc.join()
        if status == "error":
            raise value
        return list(value)

    def cancel(self) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._conn.close()

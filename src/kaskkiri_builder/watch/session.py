"""The rebuild loop of `kaskkiri watch`: a saved definition or template → a new build.

Each rebuild runs in three steps, each published to the preview state as soon as it is done:

1. the definitions are read and resolved: the page shows the new text (well under a second),
   or the error `build` would print, with its file and line;
2. the checks start in a forked child (checks.py: what `kaskkiri check` finds, spelling
   included), which the next save cancels;
3. the normal build pipeline writes output/<id>/ (staged and atomic, as `kaskkiri build`),
   PDFs included unless Word-only: the page links the new files.

The converter is held for the whole session (`converter`): the resident LibreOffice that
watch/__init__.py starts (resident.py; None without python3-uno, or Word-only) is handed to every
build instead of starting one per save. Its PDFs, in canonical form, are the batch conversion's
bytes and go into the conversion cache, so a `kaskkiri build` after the session converts nothing
the session converted.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from functools import partial
from typing import Any

from ..build import Project, build, load_and_resolve, source_project
from ..definitions import Definitions
from ..errors import KaskkiriError, Problem
from ..resident import ResidentConverter
from ..text_guard import check_resolved
from .changes import changed, snapshot
from .checks import ForkedChecks, Outcome, warm
from .preview import documents, error_json, findings_json
from .state import PreviewState

#: The folders whose files are the build's input.
WATCHED = ("definitions", "templates")
#: Seconds between two looks at the watched files (a look at the example's 27 files takes under
#: 1 ms, at 1000 files about 5 ms), and before the second look that tells a save is whole.
POLL = 0.05
SETTLE = 0.05


def _clock() -> str:
    return datetime.now().strftime("%H:%M:%S")


def _seconds(value: float) -> str:
    return f"{value:.1f} s".replace(".", ",")  # Estonian decimal comma


class WatchSession:
    """Rebuilds `directive_id` of `project` into output/<id>/ and publishes each step to `state`."""

    def __init__(
        self,
        project: Project,
        directive_id: str,
        state: PreviewState,
        *,
        word_only: bool = False,
        timeout: float = 180.0,
        exclusive: Callable[[], AbstractContextManager[Any]] = nullcontext,
        say: Callable[[str], None] = lambda _line: None,
        converter: ResidentConverter | None = None,
    ) -> None:
        self.project = project
        self.directive_id = directive_id
        self.state = state
        self.word_only = word_only
        self.timeout = timeout
        self.exclusive = exclusive  # the project's lock, held for each build (not in between)
        self.say = say  # one line per rebuild for the terminal
        self.converter = converter  # a resident LibreOffice kept for the session (see the module's doc)
        self.generation = 0
        self.checks: ForkedChecks | None = None  # those of the latest save, while they run
        self.warm = False  # whether the spelling library is imported (see run)
        self.unchecked: tuple[int, Definitions] | None = None  # checks left until it is

    def close(self) -> None:
        self._cancel_checks()

    def _start_checks(self, generation: int, defs: Definitions) -> None:
        self.unchecked = None
        self.checks = ForkedChecks(defs, self.directive_id, partial(self._publish_findings, generation))

    def _cancel_checks(self) -> None:
        if self.checks is not None:
            self.checks.cancel()
            self.checks = None

    # --- the loop ---------------------------------------------------------------------------

    def run(self, stop: threading.Event, *, poll: float = POLL) -> None:
        """Build once, then again after every save, until `stop` is set."""
        seen = snapshot(self.project.root, WATCHED)
        self.rebuild([])
        # Once the first build is on the page: every child forked from now on starts with the
        # spelling library imported; the first build's checks were left to this moment, so that
        # it is not imported twice at once.
        warm()
        self.warm = True
        if self.unchecked is not None:
            self._start_checks(*self.unchecked)
        while not stop.wait(poll):
            now = snapshot(self.project.root, WATCHED)
            if not changed(seen, now):
                continue
            # An editor may write a file in steps: build when two looks in a row agree.
            while not stop.wait(min(poll, SETTLE)):
                later = snapshot(self.project.root, WATCHED)
                if later == now:
                    break
                now = later
            if stop.is_set():
                return
            files = changed(seen, now)
            seen = now
            self.rebuild(files)

    # --- one rebuild ------------------------------------------------------------------------

    def rebuild(self, files: list[str]) -> None:
        self.generation += 1
        generation = self.generation
        self._cancel_checks()  # an older version's findings are of no use any more
        started = time.perf_counter()
        if files:
            self.say(f"• Muudetud: {', '.join(files)}; koostan uuesti")
        self.state.update(phase="loen", status="Loen definitsioone", changed=files,
                          started=_clock(), timings={})
        try:
            # Reading needs no lock (as `check`); the children are forked before the lock is
            # taken, so that none inherits it.
            source = source_project(self.project, self.directive_id, lambda _m: None)
            defs, rd = load_and_resolve(source, self.directive_id, self.project.root)
            check_resolved(rd)
            text_at = time.perf_counter() - started
            self.state.update(
                phase="koostan", title=rd.title, draft=rd.draft, documents=documents(rd),
                text_stale=False, error=None, findings_pending=True,
                status="Tekst on uuendatud; koostan Wordi faile" + ("" if self.word_only else " ja PDF-e"),
                timings={"tekst": round(text_at, 3)},
            )
            if self.warm:
                self._start_checks(generation, defs)
            else:
                self.unchecked = (generation, defs)
            with self.exclusive():
                result = build(self.project, self.directive_id, word_only=self.word_only,
                               timeout=self.timeout, checks=False, progress=self._progress,
                               converter=self.converter, loaded=(defs, rd))
        except KaskkiriError as exc:
            self._failed(error_json(exc), started)
            shown = "\n  ".join(str(p) for p in exc.problems)
            self.say(f"Viga:\n  {shown}")
            return
        except Exception as exc:  # a bug of ours: one line on the page and here, the session goes on
            if os.environ.get("KASKKIRI_DEBUG"):
                raise
            line = f"Sisemine viga: {type(exc).__name__}: {exc}"
            self._failed(error_json(KaskkiriError(Problem(line))), started)
            self.say(line)
            return
        files_at = time.perf_counter() - started
        entries = [{"name": e["path"], "role": e["role"], "sha256": e["sha256"]}
                   for e in result.manifest["files"]]
        self.state.update(
            phase="valmis", files=entries, notes=list(result.notes), built=_clock(),
            status=f"Valmis ({_clock()})",
            timings={**(self.state.get("timings") or {}), "failid": round(files_at, 3)},
        )
        pdfs = sum(1 for e in entries if e["name"].endswith(".pdf"))
        self.say(f"Valmis: tekst {_seconds(text_at)}, failid {_seconds(files_at)} ({len(entries)} faili, "
                 f"neist PDF-e {pdfs})")
        for note in result.notes:
            self.say(f"Märkus: {note}")

    def _progress(self, message: str) -> None:
        self.state.update(status=message)

    def _failed(self, error: dict[str, Any], started: float) -> None:
        self.state.update(phase="viga", error=error, text_stale=True, status=f"Viga ({_clock()})",
                          findings_pending=False,
                          timings={"viga": round(time.perf_counter() - started, 3)})

    def _publish_findings(self, generation: int, result: Outcome) -> None:
        if generation != self.generation:
            return  # a newer save is being checked
        if isinstance(result, KaskkiriError):
            self.state.update(findings_pending=False, findings=None, findings_error=error_json(result))
        else:
            self.state.update(findings_pending=False, findings=findings_json(result), findings_error=None)

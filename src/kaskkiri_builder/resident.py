"""A LibreOffice kept running between conversions: the warm converter.

Starting LibreOffice costs about 0.75 s; once it runs, a document takes about 0.14 s. `watch`
keeps a `ResidentConverter` across rebuilds (reusable, a context manager), so a save converts
without the start. A build without one uses the batch conversion (convert.py): a single build
gained only about 1.2x from the resident office. Both number the embedded fonts' objects in
either order (an office started through UNO was seen to do so under load, and so was the batch
conversion in CI); a build writes every PDF in canonical form (canonical_pdf.py), where the two
offices' PDFs are the same bytes (12 of 12 annexes, twice), so both go into the conversion
cache. Each office is driven through UNO by `uno_worker.py` under the system Python, because
python3-uno exists for that Python only; kaskkiri talks to the worker in JSON lines over its
stdin and stdout.

Nothing is left behind. The watchdog (watchdog.py, launch mode) leads each office's process group
and starts the worker in it, and the worker starts LibreOffice in it: a time-out or `stop()` ends
the whole group, and a kaskkiri killed even by SIGKILL takes the group with it (the worker also
ends LibreOffice when its stdin closes). The profiles live in one throw-away folder
(convert.WORK_PREFIX, removed by the next run once its owner is gone). LibreOffice makes two pipes
in /tmp: the UNO pipe, named after its owner process, and its single-instance pipe, named after
the profile; both are removed when an office ends, and the next run removes a killed run's.

The PDFs are the batch conversion's documents (usually its very bytes): the same load and store arguments, and with
libfaketime the same frozen clock, set per request through FAKETIME_TIMESTAMP_FILE (re-read on
every call with FAKETIME_NO_CACHE), so one office serves directives of any date.

When python3-uno or the resident office is missing, will not start, fails on a document or
crashes twice in a row (a crash restarts it once), `ResidentFailed` says so and the caller falls
back to the batch conversion (`ResidentConversion` does so itself). A document that makes it hang
is killed at the time limit with the batch conversion's message; the previous output is untouched
(a PDF is written under another name and renamed once whole).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from . import pidfile, watchdog
from .convert import (
    PDF,
    TERM_GRACE,
    WATCHDOG_POLL,
    WORK_PREFIX,
    Conversion,
    Target,
    _check_names,
    _child_env,
    _looks_like_pdf,
    _watchdog_env,
    convert_to_pdf,
    default_workers,
    find_faketime,
    find_soffice,
    kill_process_groups,
    timeout_message,
)
from .errors import ConversionError, Problem

#: The Python that has python3-uno (Debian's); an empty value turns the resident office off.
SYSTEM_PYTHON_VAR = "KASKKIRI_SYSTEM_PYTHON"
SYSTEM_PYTHON = "/usr/bin/python3"
#: Where Debian's python3-uno puts the module SYSTEM_PYTHON imports.
UNO_MODULE = Path("/usr/lib/python3/dist-packages/uno.py")
WORKER = Path(__file__).with_name("uno_worker.py")
#: uno_worker.PRELOAD_VAR (the worker is not imported here: it runs under another Python).
PRELOAD_VAR = "KASKKIRI_UNO_PRELOAD"
#: LibreOffice's UNO pipes: /tmp/OSL_PIPE_<uid>_<name> whenever /tmp is writable, whatever
#: TMPDIR says (sal/osl/unx/pipe.cxx). Ours are named kaskkiri-uno-<pid>-<start time>-<random>.
PIPE_DIR = Path("/tmp")
PIPE_PREFIX = "kaskkiri-uno-"
#: Requests sent ahead of the replies: LibreOffice opens the next file while kaskkiri handles
#: the last PDF, and a hung document never leaves a write to the worker blocked.
WINDOW = 2

INSTALL_UNO = "Paigalda python3-uno (sudo apt-get install python3-uno), siis käib PDF-ide tegemine kiiremini."


class ResidentFailed(ConversionError):
    """The resident LibreOffice cannot do it (missing, will not start, failed, crashed twice):
    the batch conversion should."""


class _Crashed(Exception):
    """The worker or LibreOffice ended, or said something that is not an answer."""


class _TimedOut(Exception):
    def __init__(self, current: int | None) -> None:
        super().__init__(current)
        self.current = current  # the file being converted; None while the office starts


def find_system_python() -> str | None:
    """The system Python that runs uno_worker.py, or None (then only the batch conversion runs).

    KASKKIRI_SYSTEM_PYTHON overrides /usr/bin/python3 (a path or a command name); set it to an
    empty value to do without the resident office.
    """
    if SYSTEM_PYTHON_VAR in os.environ:
        value = os.environ[SYSTEM_PYTHON_VAR].strip()
        return shutil.which(value) if value else None
    # Without python3-uno the worker would only say so once started, and the batch conversion
    # would start late, after the Word files are written: a look at the disk is enough here.
    if os.access(SYSTEM_PYTHON, os.X_OK) and UNO_MODULE.is_file():
        return SYSTEM_PYTHON
    return None


def _clock_text(clock: datetime | None) -> str:
    """What libfaketime's timestamp file says: a frozen moment, or no offset at all."""
    return clock.strftime("%Y-%m-%d %H:%M:%S") if clock is not None else "+0"


def office_ipc_pipe(profile: Path) -> Path:
    """The pipe LibreOffice makes for its single-instance IPC, which a killed office leaves:
    /tmp/OSL_PIPE_<uid>_SingleOfficeIPC_<the MD5 of the profile's URL in UTF-16LE, each byte in
    hex without a leading zero> (desktop/source/app/officeipcthread.cxx)."""
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    return PIPE_DIR / f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_{''.join(format(b, 'x') for b in digest)}"


def remove_stale() -> None:
    """Remove what killed runs left: their work folders and the IPC pipes of the offices whose
    profiles were there (the batch conversion's too), and our UNO pipes whose owner has ended."""
    temp = Path(tempfile.gettempdir())
    for folder in temp.glob(f"{WORK_PREFIX}*"):
        if folder.is_dir() and not folder.is_symlink() and pidfile.owner_gone(folder):
            for profile in folder.glob("*/profile"):
                office_ipc_pipe(profile).unlink(missing_ok=True)
    pidfile.remove_stale(temp, WORK_PREFIX)
    remove_stale_pipes()


def remove_stale_pipes(folder: Path = PIPE_DIR) -> list[Path]:
    """Remove the UNO pipes of ours whose owner process has ended; the ones removed."""
    removed: list[Path] = []
    uid = os.getuid()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        head, _, tail = entry.name.partition(PIPE_PREFIX)
        if not tail or not head.startswith("OSL_PIPE_"):
            continue
        parts = tail.split("-")
        try:
            if entry.stat(follow_symlinks=False).st_uid != uid or entry.is_dir(follow_symlinks=False):
                continue
            pid = int(parts[0])
        except (OSError, ValueError):
            continue
        if not pidfile.process_alive(pid, parts[1] if len(parts) > 2 and parts[1] != "0" else None):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


class _Office:
    """One worker and its LibreOffice: a process group led by a watchdog, a folder (in the
    converter's work folder: the profile, the logs, the clock file), a UNO pipe."""

    def __init__(self, work: Path, python: str, soffice: str, faketime: Path | None,
                 clock: datetime | None, warm_up: bool) -> None:
        self.work = work
        work.mkdir()
        me = os.getpid()
        self.pipe = f"{PIPE_PREFIX}{me}-{pidfile.start_time(me) or 0}-{secrets.token_hex(4)}"
        env = _child_env(work)  # HOME and TMPDIR in the work folder
        args = [python, "-I", str(WORKER), soffice, str(work), self.pipe]
        if faketime is not None:
            clock_file = work / "clock"
            clock_file.write_text(_clock_text(clock) + "\n", encoding="ascii")
            env.update({PRELOAD_VAR: str(faketime), "FAKETIME_TIMESTAMP_FILE": str(clock_file),
                        "FAKETIME_NO_CACHE": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1", "TZ": "UTC"})
            args.append(str(clock_file))
        if warm_up:
            args.append("--warm-up")
        self.log = open(work / "worker.log", "wb")
        self.buffer = b""
        self.ready = False
        self.sent: list[int] = []  # the requests (file indices) it has not answered yet
        self.since = time.monotonic()  # when it last answered (or started)
        try:
            # The watchdog leads a new group and starts the worker in it (see watchdog.launch).
            self.proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-I", "-S", watchdog.__file__, str(me), "launch",
                 str(TERM_GRACE), str(WATCHDOG_POLL), "--", *args],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                start_new_session=True, env=_watchdog_env(env),
            )
        except OSError as exc:
            self.proc = None
            self.discard()
            raise ResidentFailed(f"Püsiva LibreOffice'i käivitamine ebaõnnestus: {exc}") from exc

    @property
    def group(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def send(self, request: dict[str, Any]) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except (OSError, ValueError) as exc:
            raise _Crashed(f"kirjutamine ebaõnnestus: {exc}") from None

    def messages(self) -> list[dict[str, Any]]:
        """Read what is there (select said so); the complete messages. _Crashed at its end."""
        assert self.proc is not None and self.proc.stdout is not None
        chunk = os.read(self.proc.stdout.fileno(), 65536)
        if not chunk:
            raise _Crashed(f"töötaja lõpetas koodiga {self.proc.wait()}")
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        out = []
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                message = None
            if not isinstance(message, dict):
                raise _Crashed(f"arusaamatu vastus {line[:200]!r}")
            if "fatal" in message:
                raise ResidentFailed(
                    f"Püsivat LibreOffice'i ei saanud käivitada ({message.get('detail', '')}). {INSTALL_UNO}"
                )
            out.append(message)
        return out

    def discard(self) -> None:
        """Kill the group, close the pipes, delete its folder and LibreOffice's pipes."""
        proc, self.proc = self.proc, None
        if proc is not None:
            kill_process_groups([(proc.pid, proc)])
            for stream in (proc.stdin, proc.stdout):
                try:
                    if stream is not None:
                        stream.close()
                except OSError:
                    pass
        self.log.close()
        office_ipc_pipe(self.work / "profile").unlink(missing_ok=True)
        shutil.rmtree(self.work, ignore_errors=True)
        for pipe in PIPE_DIR.glob(f"OSL_PIPE_*{self.pipe}"):
            pipe.unlink(missing_ok=True)


class ResidentConverter:
    """LibreOffice started once and kept for many conversions, until `stop()`: `offices` of
    them side by side (two convert a directive faster on two cores, as the batch conversion's
    two processes do; `watch`, converting a file or two at a time, needs one).

    `start()` returns at once (LibreOffice starts while the caller goes on); `convert_all`
    waits for it. With `warm_up`, each office converts a tiny Word file as soon as it runs, so
    that the first real one does not wait for the import filter, Writer and the fonts to load.
    After a time-out the offices are gone, after a crash the one that crashed, and the next call
    starts them again.
    """

    def __init__(self, *, offices: int = 1, soffice: str | None = None, python: str | None = None,
                 warm_up: bool = True) -> None:
        self.size = max(1, offices)
        self.warm_up = warm_up
        self.soffice = soffice or find_soffice()
        self.python = python or find_system_python()
        self.faketime = find_faketime()
        self.restarts = 0  # offices started again after a crash or a time-out
        self._made: OrderedDict[str, bytes] = OrderedDict()  # see convert_all
        self._started = 0
        self._offices: list[_Office] = []
        #: One work folder (convert.WORK_PREFIX) for all offices, as the batch conversion has.
        self._work: tempfile.TemporaryDirectory[str] | None = None

    # --- life cycle -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return any(o.proc is not None and o.proc.poll() is None for o in self._offices)

    @property
    def groups(self) -> list[int]:
        """The process groups of the offices (for tests: each must be gone after `stop()`)."""
        return [g for g in (o.group for o in self._offices) if g is not None]

    @property
    def work_folders(self) -> list[Path]:
        return [o.work for o in self._offices]

    def start(self, clock: datetime | None = None) -> None:
        """Start the workers and their LibreOffice, unless they run already."""
        if self.python is None:
            raise ResidentFailed(f"Süsteemset Pythonit python3-uno jaoks ei leitud. {INSTALL_UNO}")
        if self.soffice is None:
            raise ResidentFailed("LibreOffice'i (soffice) ei leitud.")
        if self._work is None:
            remove_stale()  # what killed runs left
            self._work = tempfile.TemporaryDirectory(prefix=WORK_PREFIX)
            pidfile.mark(Path(self._work.name))
        while len(self._offices) < self.size:
            work = Path(self._work.name) / f"o{self._started}"
            self._offices.append(_Office(work, self.python, self.soffice, self.faketime, clock,
                                         self.warm_up))
            if self._started >= self.size:
                self.restarts += 1
            self._started += 1

    def stop(self) -> None:
        """End LibreOffice and remove its folders and pipes.

        By SIGTERM to the group: asking LibreOffice to quit through UNO takes ~0.9 s, SIGTERM
        ~0.1 s, and the profile is thrown away anyway (what SIGTERM leaves, the IPC pipe, is
        removed here)."""
        self._discard()

    kill = stop

    def __enter__(self) -> ResidentConverter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _discard(self, office: _Office | None = None) -> None:
        """End one office, or all of them and remove the work folder."""
        ending = [office] if office is not None else list(self._offices)
        # All groups at once: SIGTERM to each, one grace for all.
        kill_process_groups([(o.proc.pid, o.proc) for o in ending if o.proc is not None])
        for o in ending:
            o.discard()
            self._offices.remove(o)
        if office is None and self._work is not None:
            self._work.cleanup()
            self._work = None

    # --- conversion -----------------------------------------------------------------------

    def convert(self, src: Path, out: Path, *, clock: datetime | None = None,
                timeout: float = 180.0, target: Target = PDF) -> Path:
        """Convert one file into `out` (any name); see `convert_all`."""
        out = Path(out)
        self.convert_all([Path(src)], out.parent, clock=clock, timeout=timeout, target=target,
                         names=[out.name])
        return out

    #: PDFs a converter remembers (about 90 KB each).
    REMEMBER = 256

    @staticmethod
    def _made_key(docx: Path, clock: datetime | None, target: Target) -> str:
        h = hashlib.sha256(docx.read_bytes())
        h.update(f"\0{_clock_text(clock) if clock is not None else ''}\0{target.filter}".encode())
        return h.hexdigest()

    def _remember(self, key: str, data: bytes) -> None:
        self._made[key] = data
        if len(self._made) > self.REMEMBER:
            self._made.popitem(last=False)

    def convert_all(
        self,
        docx_files: Sequence[Path],
        outdir: Path,
        *,
        clock: datetime | None = None,
        timeout: float = 180.0,
        deadline: float | None = None,
        on_ready: Callable[[int, Path], None] | None = None,
        target: Target = PDF,
        names: Sequence[str] | None = None,
    ) -> list[Path]:
        """Convert every file into `outdir` (`<stem>.pdf`, or `names`), starting the offices if
        needed; `on_ready(i, path)` as each is done (in the order they finish). The paths in
        input order.

        Each document gets `timeout` seconds (the first also the office's start), all of them
        together at most until `deadline` (time.monotonic()). With `clock` (UTC) and libfaketime,
        LibreOffice's wall clock is `clock` while it converts them.
        Raises ConversionError on a time-out, ResidentFailed when the batch conversion should
        do the files `on_ready` has not had.
        """
        files = [Path(p) for p in docx_files]
        if not files:
            return []
        outdir = Path(outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        outs = [outdir / (names[i] if names else p.stem + target.suffix) for i, p in enumerate(files)]
        _suffix, _, rest = target.filter.partition(":")
        filter_name, _, options = rest.partition(":")
        requests = [
            {"op": "convert", "src": str(p.resolve()), "out": str(o.resolve()), "filter": filter_name,
             "options": options, "clock": _clock_text(clock) if clock is not None else None}
            for p, o in zip(files, outs, strict=True)
        ]
        # What this converter made before from the same Word bytes at the same clock: `watch`
        # converts only the annex a save changed (such PDFs never leave the session: resident.py).
        keys = [self._made_key(p, clock, target) for p in files]
        todo = [i for i, key in enumerate(keys) if key not in self._made]  # not yet sent to an office
        for i in sorted(set(range(len(files))) - set(todo)):
            part = Path(str(outs[i]) + ".part")
            part.write_bytes(self._made[keys[i]])
            part.replace(outs[i])
            if on_ready is not None:
                on_ready(i, outs[i])
        if not todo:
            return outs
        left = len(todo)
        crashes = 0
        for office in list(self._offices):  # one that ended while idle is started again
            if office.proc is None or office.proc.poll() is not None:
                self._discard(office)
        self.start(clock)
        started = time.monotonic()
        for office in self._offices:
            office.sent, office.since = [], started

        def crashed(office: _Office, why: _Crashed) -> None:
            nonlocal crashes
            crashes += 1
            todo[:0] = office.sent  # its unanswered files go first, to whichever office is free
            self._discard(office)
            if crashes > 1:
                raise ResidentFailed(f"Püsiv LibreOffice lõpetas ootamatult kaks korda ({why}).")
            self.start(clock)  # once only: a crash that one document causes comes again

        def until(o: _Office) -> float:
            if not o.ready and deadline is not None:
                return deadline  # the start counts against the whole conversion
            end = o.since + timeout
            return min(end, deadline) if deadline is not None else end

        try:
            while left:
                for office in list(self._offices):  # each office WINDOW requests ahead
                    try:
                        while office.ready and todo and len(office.sent) < WINDOW:
                            office.sent.append(todo.pop(0))
                            office.send(requests[office.sent[-1]])
                    except _Crashed as exc:
                        crashed(office, exc)
                busy = [o for o in self._offices if o.sent or not o.ready]
                first = min(busy, key=until)
                remaining = until(first) - time.monotonic()
                if remaining <= 0:
                    raise _TimedOut(first.sent[0] if first.sent else None)
                fds = {o.proc.stdout.fileno(): o for o in busy if o.proc and o.proc.stdout}
                readable, _, _ = select.select(list(fds), [], [], remaining)
                for fd in readable:
                    office = fds[fd]
                    try:
                        for message in office.messages():
                            office.since = time.monotonic()
                            if message.get("ready"):
                                office.ready = True
                                continue
                            i = office.sent[0]
                            if not message.get("ok"):
                                if message.get("crashed"):
                                    raise _Crashed(str(message.get("error", "")))
                                raise ResidentFailed([Problem(
                                    f"Püsiv LibreOffice ei teinud sellest failist PDF-i "
                                    f"({message.get('error', '')}).", file=files[i])])
                            office.sent.pop(0)
                            if not _looks_like_pdf(outs[i], target.magic):
                                raise ResidentFailed([Problem("Püsiva LibreOffice'i PDF on vigane.",
                                                              file=files[i])])
                            left -= 1
                            self._remember(keys[i], outs[i].read_bytes())
                            if on_ready is not None:
                                on_ready(i, outs[i])
                    except _Crashed as exc:
                        crashed(office, exc)
                        break  # the offices changed: select again
        except _TimedOut as exc:
            self._discard()
            for o in outs:
                Path(str(o) + ".part").unlink(missing_ok=True)
            problems = [Problem(timeout_message(timeout))]
            if exc.current is not None:
                problems.append(Problem("LibreOffice jäi selle faili teisendamisel seisma.",
                                        file=files[exc.current]))
            raise ConversionError(problems) from None
        except BaseException:
            # ResidentFailed, or an error in on_ready: replies unread, the offices out of step
            self._discard()
            raise
        return outs


class ResidentConversion:
    """A conversion through a resident LibreOffice, with `convert.Conversion`'s interface, so
    that the build's signing stage takes either: started now, waited for once the Word files
    are written. Falls back to the batch conversion for what the resident office did not do.

    With `converter` (kept by `watch`) that office is used and left running; otherwise one is
    started here and stopped when done.
    """

    def __init__(self, docx_files: list[Path], outdir: Path, *, timeout: float = 180.0,
                 clock: datetime | None = None, converter: ResidentConverter | None = None) -> None:
        self.docx_files = [Path(p) for p in docx_files]
        _check_names(self.docx_files)
        self.outdir, self.timeout, self.clock = Path(outdir), timeout, clock
        self.deadline = time.monotonic() + timeout
        self.missing: list[int] = []  # all files are there when wait() runs
        self.fell_back: ResidentFailed | None = None
        self.owned = converter is None
        self.converter = (converter if converter is not None
                          else ResidentConverter(offices=default_workers(len(self.docx_files))))
        self.converter.start(clock)

    def wait(self, on_ready: Callable[[int, Path], None] | None = None, *,
             missing_ok: bool = False) -> list[Path]:
        done: set[int] = set()

        def ready(i: int, pdf: Path) -> None:
            done.add(i)
            if on_ready is not None:
                on_ready(i, pdf)

        try:
            return self.converter.convert_all(self.docx_files, self.outdir, clock=self.clock,
                                              timeout=self.timeout, deadline=self.deadline,
                                              on_ready=ready)
        except ResidentFailed as exc:
            self.fell_back = exc
        finally:
            if self.owned:
                self.converter.stop()
        rest = [i for i in range(len(self.docx_files)) if i not in done]
        convert_to_pdf([self.docx_files[i] for i in rest], self.outdir, timeout=self.timeout,
                       clock=self.clock, on_ready=lambda j, pdf: ready(rest[j], pdf))
        return [self.outdir / (p.stem + PDF.suffix) for p in self.docx_files]

    def cancel(self) -> None:
        if self.owned:
            self.converter.kill()


def resident_converter() -> ResidentConverter | None:
    """A resident LibreOffice for a caller to keep (watch), or None where there is none to run
    (no LibreOffice, no python3-uno, or KASKKIRI_SOFFICE pointing at a batch-only stand-in)."""
    if find_soffice() is None or find_system_python() is None:
        return None
    return ResidentConverter(offices=1)


def start_conversion(docx_files: list[Path], outdir: Path, *, timeout: float = 180.0,
                     clock: datetime | None = None, converter: ResidentConverter | None = None
                     ) -> Conversion | ResidentConversion:
    """The conversion a build starts before it writes the Word files: through `converter` (the
    resident LibreOffice watch keeps) when given, else the batch one (reproducible bytes)."""
    if converter is not None:
        try:
            return ResidentConversion(docx_files, outdir, timeout=timeout, clock=clock, converter=converter)
        except ResidentFailed:
            pass
    return Conversion(docx_files, outdir, timeout=timeout, clock=clock, inputs_ready=False)

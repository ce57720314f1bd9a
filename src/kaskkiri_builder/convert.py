"""Word (.docx) → PDF/A-2b with LibreOffice, for the files the director signs.

One batch call converts all files (LibreOffice's start-up costs ~0.8 s, a batch of 12 files takes
~1.5 s). Each call gets its own throw-away profile, because calls that share a profile fail
silently. `soffice` is a shell script that starts `soffice.bin`, so the call runs in its own process
group and a time-out kills the whole group: nothing is left running. A watchdog process beside
each group kills it when kaskkiri itself is killed (even by SIGKILL, which no handler sees), and a
profile folder whose kaskkiri process is gone is removed by the next run. LibreOffice's exit code
is not trusted: every expected PDF must exist, be non-empty and start like a PDF.

The PDFs LibreOffice writes are not byte-for-byte reproducible (export time in /CreationDate, in the
XMP xmp:CreateDate and in the sRGB ICC profile header; /ID derived from the time): `package.py`
normalises those bytes in what it builds. See docs/signing-package.md.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from . import pidfile, watchdog
from .errors import ConversionError, ConverterMissing, Problem
from .watchdog import group_alive

ENV_VAR = "KASKKIRI_SOFFICE"
#: The throw-away profiles' folders in the temp folder: kaskkiri-lo-XXXX.
WORK_PREFIX = "kaskkiri-lo-"

#: writer_pdf_Export with SelectPdfVersion=2: PDF/A-2b.
PDF_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


@dataclass(frozen=True)
class Target:
    """What a conversion writes: LibreOffice's filter, the files' suffix and how they start."""

    filter: str
    suffix: str
    magic: bytes


PDF = Target(PDF_FILTER, ".pdf", b"%PDF-")
#: A Word file saved again by LibreOffice, as a user who edits a template there would save it.
DOCX = Target("docx:MS Word 2007 XML", ".docx", b"PK\x03\x04")

INSTALL_HINT = (
    "Paigalda LibreOffice ja dokumentide fondid: "
    "sudo apt-get install libreoffice-writer-nogui fonts-crosextra-carlito "
    "fonts-crosextra-caladea fonts-liberation2 (või käivita scripts/setup.sh)."
)

#: Seconds between SIGTERM and SIGKILL when the time limit is reached.
TERM_GRACE = 2.0
#: Seconds to wait for the killed group to disappear.
REAP_LIMIT = 5.0
#: How many lines of LibreOffice's output an error message quotes.
TAIL_LINES = 12
#: Lines LibreOffice prints on every run, which say nothing about a failure.
_NOISE = ("failed to launch javaldx",)


def find_soffice() -> str | None:
    """The LibreOffice command to run, or None when there is none.

    KASKKIRI_SOFFICE overrides the search (a path or a command name), so a user with LibreOffice in
    an odd place, or a test with a stand-in, can point at it.
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return shutil.which(override)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_pdf(
    docx_files: list[Path],
    outdir: Path,
    *,
    timeout: float = 180.0,
    soffice: str | None = None,
    on_ready: Callable[[int, Path], None] | None = None,
    workers: int | None = None,
    clock: datetime | None = None,
) -> list[Path]:
    """Convert every file to PDF/A-2b in `outdir`: one LibreOffice call per worker (default: one
    per core, at most two), each with its share of the files (dealt in turn) and its own profile.

    `on_ready(i, pdf)` is called once for every PDF as soon as it is complete (see `_wait`), so
    the caller's work on it overlaps with the conversion of the rest. With `clock` (UTC) and
    libfaketime installed, LibreOffice runs with its wall clock frozen at `clock`.

    Returns the PDF paths in the order of `docx_files`. Raises ConverterMissing when LibreOffice
    cannot be found, ConversionError when it fails, crashes, hangs past `timeout` seconds or leaves
    any PDF unwritten.
    """
    if not docx_files:
        return []
    conversion = Conversion(
        docx_files, outdir, timeout=timeout, soffice=soffice, workers=workers, clock=clock
    )
    return conversion.wait(on_ready)


def resave_docx(docx_files: list[Path], outdir: Path, *, timeout: float = 180.0) -> list[Path]:
    """Open every Word file in LibreOffice and save it again as .docx in `outdir` (as a user who
    edits a template in LibreOffice does), with the same profiles, time limit and clean-up as the
    PDF conversion. The saved files, in the order of `docx_files`."""
    if not docx_files:
        return []
    return Conversion(docx_files, outdir, timeout=timeout, workers=1, target=DOCX).wait()


class Conversion:
    """A LibreOffice conversion under way: started now, waited for later.

    With `inputs_ready=False` it may be started before the .docx files exist: LibreOffice needs
    about a second to start, and opens each file only when it gets to it, so the caller writes
    the files meanwhile (each atomically, so that a file is there whole or not at all). A file
    that was not there in time is reported by `wait(missing_ok=True)`, to be converted again.
    """

    def __init__(
        self,
        docx_files: list[Path],
        outdir: Path,
        *,
        timeout: float = 180.0,
        soffice: str | None = None,
        workers: int | None = None,
        clock: datetime | None = None,
        inputs_ready: bool = True,
        target: Target = PDF,
    ) -> None:
        self.docx_files = [Path(p) for p in docx_files]
        self.outdir = Path(outdir)
        self.timeout = timeout
        command = soffice or find_soffice()
        if command is None:
            raise ConverterMissing(_missing_message())
        if shutil.which(command) is None:
            raise ConverterMissing(
                f"LibreOffice'i käsku {command!r} ei leitud või see pole käivitatav. {INSTALL_HINT}"
            )
        if inputs_ready:
            _check_inputs(self.docx_files)
        else:
            _check_names(self.docx_files)
        self.outdir.mkdir(parents=True, exist_ok=True)
        self.target = target
        self.expected = [self.outdir / (p.stem + target.suffix) for p in self.docx_files]
        if any(out.resolve() == src.resolve() for out, src in zip(self.expected, self.docx_files, strict=True)):
            raise ConversionError("Teisendus kirjutaks algfaili üle: anna teine väljundkaust.")
        for pdf in self.expected:
            # A PDF left from an earlier run would pass the existence check.
            pdf.unlink(missing_ok=True)
        self.chunks = _chunks(len(self.docx_files), workers or default_workers(len(self.docx_files)))
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        pidfile.remove_stale(Path(tempfile.gettempdir()), WORK_PREFIX)  # of killed runs
        self._work = tempfile.TemporaryDirectory(prefix=WORK_PREFIX)
        pidfile.mark(Path(self._work.name))
        self.batches: list[_Batch] = []
        try:
            for k, idx in enumerate(self.chunks):
                self.batches.append(
                    _Batch.start(command, [self.docx_files[i] for i in idx], self.outdir,
                                 Path(self._work.name) / f"b{k}", clock, target)
                )
        except BaseException:
            self.cancel()
            raise

    def cancel(self) -> None:
        """Stop every LibreOffice process of this conversion and delete its profiles."""
        # Also after a normal exit: a soffice.bin that outlived the launcher script is killed
        # before its profile is deleted.
        kill_process_groups([(b.proc.pid, b.proc) for b in self.batches])
        for b in self.batches:
            b.close()
        self._work.cleanup()

    def wait(
        self, on_ready: Callable[[int, Path], None] | None = None, *, missing_ok: bool = False
    ) -> list[Path]:
        """Wait until done; the PDFs in input order. With `missing_ok`, the indices of files
        that gave no PDF are in `self.missing` instead of raising."""
        timed_out = False
        try:
            _wait(self.batches, self.chunks, self.expected, on_ready, self.deadline, self.target.magic)
        except subprocess.TimeoutExpired:
            timed_out = True
        except BaseException:
            self.cancel()
            raise
        kill_process_groups([(b.proc.pid, b.proc) for b in self.batches])
        for b in self.batches:
            b.close()
        elapsed = time.monotonic() - self.started
        stdout_tail = "\n".join(t for t in (_tail(b.out_log) for b in self.batches) if t)
        stderr_tail = "\n".join(t for t in (_tail(b.err_log) for b in self.batches) if t)
        returncodes = sorted({b.proc.returncode for b in self.batches}, key=str)
        self._work.cleanup()
        timeout, outdir, expected = self.timeout, self.outdir, self.expected
        if timed_out:
            raise ConversionError(_with_log(timeout_message(timeout), stderr_tail or stdout_tail))

        missing = [p for p in expected if not _looks_like_pdf(p, self.target.magic)]
        self.missing = [i for i, p in enumerate(expected) if p in missing]
        if missing and missing_ok:
            return expected
        if missing:
            problems = [
                Problem(
                    f"LibreOffice ei teinud sellest failist PDF-i ({_pdf_state(pdf)}).",
                    file=src,
                )
                for src, pdf in zip(self.docx_files, expected, strict=True)
                if pdf in missing
            ]
            summary = _with_log(
                f"LibreOffice lõpetas {elapsed:.1f} s järel koodiga {', '.join(map(str, returncodes))}, kuid "
                f"{len(missing)} PDF-i {len(expected)}-st jäi tegemata: "
                f"{', '.join(p.name for p in missing)}. Ava need .docx-failid LibreOffice'is või "
                f"Wordis ja kontrolli, kas need avanevad; kontrolli ka, et kaustas {outdir} oleks "
                f"kirjutamisõigus ja vaba ruumi.",
                stderr_tail or stdout_tail,
            )
            raise ConversionError([Problem(summary), *problems])
        return expected


def timeout_message(timeout: float) -> str:
    """What the user reads when LibreOffice ran out of time (the batch or the resident one)."""
    return (
        f"LibreOffice ei lõpetanud PDF-ide tegemist {timeout:g} sekundi jooksul ja peatati. Proovi "
        f"uuesti; kui see kordub, ava .docx-failid LibreOffice'is käsitsi ja vaata, kas mõni neist "
        f"on katki, või suurenda ajapiirangut."
    )


FAKETIME_VAR = "KASKKIRI_FAKETIME"


def find_faketime() -> Path | None:
    """libfaketime, which lets LibreOffice run with the directive's date as its clock.

    LibreOffice stamps the export time into four places of every PDF (see package.py); with the
    clock frozen at the directive's date its PDFs are byte-identical run after run and already
    carry the right dates, so the slower pypdf normalisation is not needed. Debian: `faketime`.
    KASKKIRI_FAKETIME overrides the search; set it to an empty value to do without.
    """
    if FAKETIME_VAR in os.environ:
        value = os.environ[FAKETIME_VAR].strip()
        return Path(value) if value and Path(value).is_file() else None
    for pattern in ("/usr/lib/*/faketime/libfaketime.so.1", "/usr/lib/faketime/libfaketime.so.1",
                    "/usr/local/lib/faketime/libfaketime.so.1"):
        for found in sorted(Path("/").glob(pattern.lstrip("/"))):
            return found
    return None


def default_workers(n_files: int) -> int:
    """Two LibreOffice processes on two cores convert 12 annexes in ~1.8 s instead of ~2.5 s
    (measured here); more processes than cores only compete."""
    return max(1, min(2, os.cpu_count() or 1, n_files))


def _chunks(n: int, workers: int) -> list[list[int]]:
    """Indices 0..n-1 dealt to `workers` shares in turn (no empty share): 0, 2, 4 … and 1, 3, 5 ….

    A build writes its Word files in order while LibreOffice starts, so each process must get
    the first files: with halves, the second process reached the middle file before it was
    written and that file needed another LibreOffice afterwards (about a second more)."""
    workers = max(1, min(workers, n))
    return [list(range(k, n, workers)) for k in range(workers)]


#: The watchdog's seconds between two looks at its parent and the group.
WATCHDOG_POLL = 0.2


def _watchdog_env(env: dict[str, str]) -> dict[str, str]:
    """LibreOffice's environment for the watchdog that launches it: the preload (libfaketime)
    handed on for LibreOffice alone (see watchdog.CHILD_PRELOAD)."""
    env = dict(env)
    preload = env.pop("LD_PRELOAD", None)
    if preload:
        env[watchdog.CHILD_PRELOAD] = preload
    return env


def start_watchdog(pgid: int) -> subprocess.Popen[bytes]:
    """A process that ends group `pgid` if this process dies first (see `watchdog.py`).

    In its own session, so that a Ctrl-C or a signal to kaskkiri's group does not end it too.
    """
    return subprocess.Popen(
        [sys.executable, "-I", "-S", watchdog.__file__, str(os.getpid()), str(pgid),
         str(TERM_GRACE), str(WATCHDOG_POLL)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


class _Batch:
    """One LibreOffice process converting a share of the files, with its own profile, logs and
    watchdog."""

    def __init__(self, proc: subprocess.Popen[bytes], out_log: Path, err_log: Path,
                 files: tuple[IO[bytes], IO[bytes]], watchdog: subprocess.Popen[bytes] | None = None
                 ) -> None:
        self.proc, self.out_log, self.err_log, self._files = proc, out_log, err_log, files
        self.watchdog = watchdog

    @classmethod
    def start(cls, command: str, docx_files: list[Path], outdir: Path, work_dir: Path,
              clock: datetime | None = None, target: Target = PDF) -> _Batch:
        work_dir.mkdir(parents=True)
        args = [
            command,
            f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--norestore",
            "--convert-to",
            target.filter,
            "--outdir",
            str(outdir.resolve()),
            *(str(p.resolve()) for p in docx_files),
        ]
        out_log, err_log = work_dir / "stdout.log", work_dir / "stderr.log"
        # Logs go to files, not pipes: a grandchild that kept a pipe open would block reading.
        out_f, err_f = open(out_log, "wb"), open(err_log, "wb")
        try:
            # The watchdog leads a new process group and starts LibreOffice in it (watchdog.launch):
            # it exists before LibreOffice does, so no kill of kaskkiri can leave LibreOffice
            # behind unwatched; a time-out ends the group, the watchdog with it.
            proc = subprocess.Popen(
                [sys.executable, "-I", "-S", watchdog.__file__, str(os.getpid()), "launch",
                 str(TERM_GRACE), str(WATCHDOG_POLL), "--", *args],
                stdin=subprocess.DEVNULL,
                stdout=out_f,
                stderr=err_f,
                start_new_session=True,
                env=_watchdog_env(_child_env(work_dir, clock)),
            )
        except OSError as exc:
            out_f.close()
            err_f.close()
            raise ConverterMissing(
                f"LibreOffice'i ({command}) ei saanud käivitada: {exc}. {INSTALL_HINT}"
            ) from exc
        return cls(proc, out_log, err_log, (out_f, err_f))

    def close(self) -> None:
        """Close the logs and end the watchdog (called once the group has been ended)."""
        for f in self._files:
            f.close()
        if self.watchdog is not None:
            self.watchdog.kill()
            self.watchdog.wait()


def _wait(
    batches: list[_Batch],
    chunks: list[list[int]],
    expected: list[Path],
    on_ready: Callable[[int, Path], None] | None,
    deadline: float,
    magic: bytes = PDF.magic,
) -> None:
    """Wait for every batch, handing over each PDF as soon as it is complete.

    A batch converts its files one after another, so a PDF is complete once the batch's next
    one has appeared (its last one, once the process has ended).
    """
    done = [0] * len(batches)
    while True:
        finished = True
        for k, (batch, idx) in enumerate(zip(batches, chunks, strict=True)):
            exited = batch.proc.poll() is not None
            while on_ready is not None and done[k] < len(idx):
                i = idx[done[k]]
                nxt = idx[done[k] + 1] if done[k] + 1 < len(idx) else None
                if not (exited or (nxt is not None and expected[nxt].exists())):
                    break
                if not _looks_like_pdf(expected[i], magic):
                    if exited:
                        done[k] = len(idx)  # the caller reports the missing PDFs
                    break
                on_ready(i, expected[i])
                done[k] += 1
            if not exited:
                finished = False
        if finished:
            return
        if time.monotonic() > deadline:
            raise subprocess.TimeoutExpired(batches[0].proc.args, 0)
        time.sleep(0.02)


def kill_process_group(pgid: int, proc: subprocess.Popen | None = None) -> None:
    """End every process of group `pgid`: SIGTERM, a short grace, then SIGKILL."""
    kill_process_groups([(pgid, proc)])


def kill_process_groups(groups: list[tuple[int, subprocess.Popen | None]]) -> None:
    """End every process of these groups: SIGTERM to all, one short grace, then SIGKILL.

    Waits until no live member is left, so the caller may delete the profiles at once.
    """

    def reap_all(timeout: float) -> None:
        for _pgid, proc in groups:
            if proc is not None:
                _reap(proc, timeout)

    def alive() -> list[int]:
        return [pgid for pgid, _ in groups if group_alive(pgid)]

    if not alive():
        reap_all(0.1)
        return
    for sig, limit in ((signal.SIGTERM, TERM_GRACE), (signal.SIGKILL, REAP_LIMIT)):
        for pgid in alive():
            _signal_group(pgid, sig)
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            reap_all(0.0)
            if not alive():
                break
            time.sleep(0.05)
        if not alive():
            break
    reap_all(0.5)


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _reap(proc: subprocess.Popen, timeout: float) -> None:
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass


#: glibc's allocator settings for LibreOffice (GLIBC_TUNABLES; glibc ignores what it does not
#: know). A LibreOffice that starts and converts one annex touches about 300,000 fresh pages:
#: memory it frees goes back to the system and is faulted in again, and in a virtual machine a
#: fault is dear (1.0 of its 1.6 s there was system time). Transparent huge pages for the heap
#: (hugetlb=1), freed memory kept (trim_threshold, top_pad) and large blocks taken from the heap
#: rather than mapped one by one (mmap_threshold): 12 annexes on two processes took 2.09 s and
#: 3.5 CPU-s instead of 2.69 s and 4.8 CPU-s, the same PDF bytes (benchmarks/office_memory.py).
LIBREOFFICE_MALLOC = ":".join([
    "glibc.malloc.hugetlb=1",
    "glibc.malloc.trim_threshold=1073741824",
    "glibc.malloc.top_pad=67108864",
    "glibc.malloc.mmap_threshold=33554432",
])


def _child_env(work_dir: Path, clock: datetime | None = None) -> dict[str, str]:
    """The environment LibreOffice runs in: ours, with HOME and TMPDIR in the throw-away folder
    and glibc's allocator tuned (LIBREOFFICE_MALLOC, unless GLIBC_TUNABLES is set already).

    LibreOffice writes caches under HOME and temp files under TMPDIR; keeping both in the work
    folder means a killed run leaves nothing behind.
    """
    env = dict(os.environ)
    env.setdefault("GLIBC_TUNABLES", LIBREOFFICE_MALLOC)
    env.pop(ENV_VAR, None)
    tmp = work_dir / "tmp"
    tmp.mkdir(exist_ok=True)
    env["TMPDIR"] = str(tmp)
    env.setdefault("HOME", str(work_dir))
    lib = find_faketime() if clock is not None else None
    if lib is not None and clock is not None:
        env.pop(FAKETIME_VAR, None)
        env["LD_PRELOAD"] = f"{lib} {env['LD_PRELOAD']}".strip() if env.get("LD_PRELOAD") else str(lib)
        env["FAKETIME"] = clock.strftime("%Y-%m-%d %H:%M:%S")  # frozen wall clock
        env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"  # time-outs and timers keep working
        env["TZ"] = "UTC"
    return env


def _check_inputs(docx_files: list[Path]) -> None:
    problems: list[Problem] = []
    for p in docx_files:
        if not p.is_file():
            problems.append(Problem("Teisendatavat Wordi faili ei ole.", file=p))
        elif p.stat().st_size == 0:
            problems.append(Problem("Teisendatav Wordi fail on tühi.", file=p))
    if problems:
        raise ConversionError(problems)
    _check_names(docx_files)


def _check_names(docx_files: list[Path]) -> None:
    problems: list[Problem] = []
    stems: dict[str, Path] = {}
    for p in docx_files:
        other = stems.setdefault(p.stem, p)
        if other is not p and other != p:
            problems.append(
                Problem(
                    f"Kahel failil on sama nimi ({p.stem}): nende PDF-id kirjutaksid teineteise "
                    f"üle. Anna failidele erinevad nimed.",
                    file=p,
                )
            )
    if problems:
        raise ConversionError(problems)


def check_override() -> None:
    """Raise ConverterMissing when KASKKIRI_SOFFICE is set but names nothing that runs.

    The user asked for that LibreOffice: doing without it (as when none is installed) would hide
    the mistake behind a build without PDFs.
    """
    if os.environ.get(ENV_VAR, "").strip() and find_soffice() is None:
        raise ConverterMissing(_missing_message())


def _override_problem(value: str) -> str:
    """Why KASKKIRI_SOFFICE's `value` cannot be run, in Estonian."""
    path = Path(value).expanduser()
    if os.sep not in value:
        return "sellise nimega käsku ei ole üheski PATH-i kaustas"
    if not path.exists():
        return "sellist faili ei ole"
    if path.is_dir():
        return "see on kaust, mitte programm"
    return "fail ei ole käivitatav (puudub käivitusõigus: chmod +x)"


def _missing_message() -> str:
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return (
            f"Keskkonnamuutuja {ENV_VAR} osutab LibreOffice'ile, mida ei saa käivitada: "
            f"{override!r} ({_override_problem(override)}). Paranda muutuja väärtus (näiteks "
            f"{ENV_VAR}=/usr/bin/soffice) või eemalda see. {INSTALL_HINT}"
        )
    return f"LibreOffice'i (soffice) ei leitud, seega PDF-e ei saa teha. {INSTALL_HINT}"


def _looks_like_pdf(path: Path, magic: bytes = PDF.magic) -> bool:
    """The file starts like what was asked for (a PDF unless told otherwise)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(magic)) == magic
    except OSError:
        return False


def _pdf_state(path: Path) -> str:
    if not path.exists():
        return f"{path.name} puudub"
    if path.stat().st_size == 0:
        return f"{path.name} on tühi"
    return f"{path.name} ei ole PDF"


def _tail(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    lines = [
        line.rstrip()
        for line in text.splitlines()
        if line.strip() and not any(noise in line for noise in _NOISE)
    ]
    return "\n".join(lines[-TAIL_LINES:])


def _with_log(message: str, tail: str) -> str:
    if not tail:
        return message
    indented = "\n".join("    " + line for line in tail.splitlines())
    return f"{message}\nLibreOffice'i viimased teated:\n{indented}"

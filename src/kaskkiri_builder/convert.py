"""Word (.docx) → PDF/A-2b with LibreOffice, for the files the director signs.

One batch call converts all files (LibreOffice's start-up costs ~0.8 s, a batch of 12 files takes
~1.5 s). Each call gets its own throw-away profile, because calls that share a profile fail
silently. `soffice` is a shell script that starts `soffice.bin`, so the call runs in its own process
group and a time-out kills the whole group: nothing is left running. LibreOffice's exit code is not
trusted: every expected PDF must exist, be non-empty and start like a PDF.

The PDFs LibreOffice writes are not byte-for-byte reproducible (export time in /CreationDate, in the
XMP xmp:CreateDate and in the sRGB ICC profile header; /ID derived from the time): `package.py`
normalises those bytes in what it builds. See docs/signing-package.md.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from .errors import ConversionError, ConverterMissing, Problem

ENV_VAR = "KASKKIRI_SOFFICE"

#: writer_pdf_Export with SelectPdfVersion=2: PDF/A-2b.
PDF_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'

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
) -> list[Path]:
    """Convert every file to PDF/A-2b in `outdir` with one LibreOffice call.

    Returns the PDF paths in the order of `docx_files`. Raises ConverterMissing when LibreOffice
    cannot be found, ConversionError when it fails, crashes, hangs past `timeout` seconds or leaves
    any PDF unwritten.
    """
    docx_files = [Path(p) for p in docx_files]
    outdir = Path(outdir)
    if not docx_files:
        return []
    command = soffice or find_soffice()
    if command is None:
        raise ConverterMissing(_missing_message())
    if shutil.which(command) is None:
        raise ConverterMissing(
            f"LibreOffice'i käsku {command!r} ei leitud või see pole käivitatav. {INSTALL_HINT}"
        )

    _check_inputs(docx_files)
    outdir.mkdir(parents=True, exist_ok=True)
    expected = [outdir / (p.stem + ".pdf") for p in docx_files]
    for pdf in expected:
        # A PDF left from an earlier run would pass the existence check below.
        pdf.unlink(missing_ok=True)

    with tempfile.TemporaryDirectory(prefix="kaskkiri-lo-") as work:
        work_dir = Path(work)
        profile = work_dir / "profile"
        args = [
            command,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--norestore",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(outdir.resolve()),
            *(str(p.resolve()) for p in docx_files),
        ]
        out_log = work_dir / "stdout.log"
        err_log = work_dir / "stderr.log"
        timed_out = False
        started = time.monotonic()
        # Logs go to files, not pipes: a grandchild that kept a pipe open would block reading.
        with open(out_log, "wb") as out_f, open(err_log, "wb") as err_f:
            try:
                proc = subprocess.Popen(
                    args,
                    stdin=subprocess.DEVNULL,
                    stdout=out_f,
                    stderr=err_f,
                    start_new_session=True,
                    env=_child_env(work_dir),
                )
            except OSError as exc:
                raise ConverterMissing(
                    f"LibreOffice'i ({command}) ei saanud käivitada: {exc}. {INSTALL_HINT}"
                ) from exc
            pgid = proc.pid  # start_new_session: the child leads its own group
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:
                # Also after a normal exit: a soffice.bin that outlived the launcher script is
                # killed before its profile is deleted.
                kill_process_group(pgid, proc)
        elapsed = time.monotonic() - started
        stdout_tail = _tail(out_log)
        stderr_tail = _tail(err_log)

    if timed_out:
        raise ConversionError(
            _with_log(
                f"LibreOffice ei lõpetanud PDF-ide tegemist {timeout:g} sekundi jooksul ja "
                f"peatati. Proovi uuesti; kui see kordub, ava .docx-failid LibreOffice'is käsitsi "
                f"ja vaata, kas mõni neist on katki, või suurenda ajapiirangut.",
                stderr_tail or stdout_tail,
            )
        )

    missing = [p for p in expected if not _looks_like_pdf(p)]
    if missing:
        problems = [
            Problem(
                f"LibreOffice ei teinud sellest failist PDF-i ({_pdf_state(pdf)}).",
                file=src,
            )
            for src, pdf in zip(docx_files, expected)
            if pdf in missing
        ]
        summary = _with_log(
            f"LibreOffice lõpetas {elapsed:.1f} s järel koodiga {proc.returncode}, kuid "
            f"{len(missing)} PDF-i {len(expected)}-st jäi tegemata: "
            f"{', '.join(p.name for p in missing)}. Ava need .docx-failid LibreOffice'is või "
            f"Wordis ja kontrolli, kas need avanevad; kontrolli ka, et kaustas {outdir} oleks "
            f"kirjutamisõigus ja vaba ruumi.",
            stderr_tail or stdout_tail,
        )
        raise ConversionError([Problem(summary), *problems])
    return expected


def kill_process_group(pgid: int, proc: subprocess.Popen | None = None) -> None:
    """End every process of group `pgid`: SIGTERM, a short grace, then SIGKILL.

    Waits until no live member is left, so the caller may delete the profile at once.
    """
    if not group_alive(pgid):
        if proc is not None:
            _reap(proc, 0.1)
        return
    _signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + TERM_GRACE
    while time.monotonic() < deadline:
        if proc is not None:
            _reap(proc, 0.0)
        if not group_alive(pgid):
            break
        time.sleep(0.05)
    _signal_group(pgid, signal.SIGKILL)
    deadline = time.monotonic() + REAP_LIMIT
    while time.monotonic() < deadline:
        if proc is not None:
            _reap(proc, 0.0)
        if not group_alive(pgid):
            break
        time.sleep(0.05)
    if proc is not None:
        _reap(proc, 0.5)


def group_alive(pgid: int) -> bool:
    """True while a process of group `pgid` runs (a zombie waiting to be reaped does not count)."""
    proc_dir = Path("/proc")
    if proc_dir.is_dir():
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
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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


def _child_env(work_dir: Path) -> dict[str, str]:
    """The environment LibreOffice runs in: ours, with HOME and TMPDIR in the throw-away folder.

    LibreOffice writes caches under HOME and temp files under TMPDIR; keeping both in the work
    folder means a killed run leaves nothing behind.
    """
    env = dict(os.environ)
    env.pop(ENV_VAR, None)
    tmp = work_dir / "tmp"
    tmp.mkdir(exist_ok=True)
    env["TMPDIR"] = str(tmp)
    env.setdefault("HOME", str(work_dir))
    return env


def _check_inputs(docx_files: list[Path]) -> None:
    problems: list[Problem] = []
    for p in docx_files:
        if not p.is_file():
            problems.append(Problem("Teisendatavat Wordi faili ei ole.", file=p))
        elif p.stat().st_size == 0:
            problems.append(Problem("Teisendatav Wordi fail on tühi.", file=p))
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


def _missing_message() -> str:
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return (
            f"Keskkonnamuutuja {ENV_VAR} osutab LibreOffice'ile, mida ei leitud: {override!r}. "
            f"Paranda muutuja väärtus või eemalda see. {INSTALL_HINT}"
        )
    return f"LibreOffice'i (soffice) ei leitud, seega PDF-e ei saa teha. {INSTALL_HINT}"


def _looks_like_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(5) == b"%PDF-"
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

"""resident.py: the resident LibreOffice against the batch conversion, and stand-in workers that
hang or crash (the worker's protocol is JSON lines, so a few lines of Python play it)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

import kaskkiri_builder
from kaskkiri_builder import pidfile, resident
from kaskkiri_builder.build import Project, build
from kaskkiri_builder.canonical_pdf import canonical_pdf
from kaskkiri_builder.convert import WORK_PREFIX, convert_to_pdf, find_faketime
from kaskkiri_builder.errors import ConversionError
from kaskkiri_builder.resident import (
    ResidentConversion,
    ResidentConverter,
    ResidentFailed,
    office_ipc_pipe,
)
from kaskkiri_builder.watchdog import group_alive
from toolkit import DRAFT, ROOT, copy_example, libreoffice_timeout, tree

CLOCK = datetime(2026, 1, 15, 12, 0)
OTHER_CLOCK = datetime(2026, 3, 2, 12, 0)
SRC = str(Path(kaskkiri_builder.__file__).resolve().parent.parent)


def example_word_files(dest: Path) -> list[Path]:
    """The example's Word files of 2026-01 (the archived build: what `build` renders)."""
    dest.mkdir(parents=True)
    return [Path(shutil.copy(p, dest)) for p in sorted((ROOT / "arhiiv/2026-01/kinnitatud").glob("*.docx"))]


def our_pipes(pid: int) -> list[Path]:
    return [p for p in resident.PIPE_DIR.glob(f"OSL_PIPE_*{resident.PIPE_PREFIX}{pid}-*")]


def wait_until(condition, limit: float = 10.0) -> bool:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


# --- the real LibreOffice ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict:
    """The example's Word files converted once by the batch conversion and once by one resident
    office, which then converts two of them again at another date and is stopped."""
    base = tmp_path_factory.mktemp("resident")
    files = example_word_files(base / "docx")
    batch = convert_to_pdf(files, base / "batch", clock=CLOCK)
    ready: list[int] = []
    converter = ResidentConverter(offices=2)  # as a build on two cores
    with converter:
        warm = converter.convert_all(files, base / "warm", clock=CLOCK, on_ready=lambda i, _: ready.append(i))
        other = converter.convert_all(files[:2], base / "other", clock=OTHER_CLOCK)
        again = converter.convert_all(files[:2], base / "again", clock=CLOCK)
        groups, work = converter.groups, converter.work_folders
    return {"files": files, "batch": batch, "warm": warm, "other": other, "again": again,
            "ready": ready, "groups": groups, "work": work, "restarts": converter.restarts}


def _fonts(pdf: Path) -> list[str]:
    """The fonts a PDF embeds (their subset tags removed)."""
    names = set()
    for page in PdfReader(pdf).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return sorted(names)


def _same_document(a: Path, b: Path) -> None:
    """The same pages, text, fonts and creation date, and with the clock frozen the same bytes in
    canonical form. Not always the same bytes as they come: an office started through UNO was
    seen to number the fonts' objects in the other order (resident.py, canonical_pdf.py)."""
    ra, rb = PdfReader(a), PdfReader(b)
    assert [p.extract_text() for p in ra.pages] == [p.extract_text() for p in rb.pages], a.name
    assert _fonts(a) == _fonts(b) and ra.metadata["/CreationDate"] == rb.metadata["/CreationDate"]
    if find_faketime():
        assert canonical_pdf(a.read_bytes()) == canonical_pdf(b.read_bytes()), a.name


@pytest.mark.libreoffice
def test_resident_pdfs_are_the_batch_conversions_documents(converted):
    assert sorted(converted["ready"]) == list(range(len(converted["files"])))
    assert [p.name for p in converted["warm"]] == [p.name for p in converted["batch"]]
    for warm, batch in zip(converted["warm"], converted["batch"], strict=True):
        _same_document(warm, batch)
    assert converted["restarts"] == 0


@pytest.mark.libreoffice
def test_one_office_serves_any_date(converted):
    if find_faketime() is None:
        pytest.skip("libfaketime puudub: LibreOffice'i kell pole määratav")
    for other, again, first in zip(converted["other"], converted["again"], converted["warm"][:2], strict=True):
        assert PdfReader(other).metadata["/CreationDate"].startswith("D:20260302")
        assert PdfReader(first).metadata["/CreationDate"].startswith(CLOCK.strftime("D:%Y%m%d"))
        _same_document(again, first)  # back at the first date


@pytest.mark.libreoffice
def test_nothing_is_left_after_stop(converted):
    assert len(converted["groups"]) == 2 and len(converted["work"]) == 2
    assert not [g for g in converted["groups"] if group_alive(g)]
    assert not [w for w in converted["work"] if w.exists()]
    assert not our_pipes(os.getpid())
    assert not [w for w in converted["work"] if office_ipc_pipe(w / "profile").exists()]


@pytest.mark.libreoffice
def test_killed_parent_takes_the_office_with_it(tmp_path, monkeypatch):
    temp = tmp_path / "temp"  # the work folders of this test only
    temp.mkdir()
    docx = example_word_files(tmp_path / "docx")[0]
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from kaskkiri_builder.resident import ResidentConverter
        c = ResidentConverter()
        c.convert(Path({str(docx)!r}), Path({str(tmp_path / 'out.pdf')!r}))
        print(c.groups[0], flush=True)
        time.sleep(1000)
    """)
    env = {**os.environ, "PYTHONPATH": SRC, "TMPDIR": str(temp)}
    parent = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    group = int(parent.stdout.readline())
    assert group_alive(group) and (tmp_path / "out.pdf").exists()
    [work] = list(temp.glob(f"{WORK_PREFIX}*"))
    assert our_pipes(parent.pid)

    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert wait_until(lambda: not group_alive(group)), "LibreOffice outlived the killed kaskkiri"
    # What SIGKILL leaves the next run removes: the folder (LibreOffice's pipes too, if the
    # worker, seeing its stdin closed, had no time to end LibreOffice cleanly).
    assert work.exists()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    resident.remove_stale()
    assert not work.exists()
    assert not our_pipes(parent.pid)
    assert not office_ipc_pipe(work / "o0" / "profile").exists()


@pytest.mark.libreoffice
def test_without_python3_uno_the_batch_conversion_does_it(converted, tmp_path, monkeypatch):
    # The venv's Python has no uno: what a machine without python3-uno gives.
    monkeypatch.setenv(resident.SYSTEM_PYTHON_VAR, sys.executable)
    files = converted["files"][:2]
    conversion = ResidentConversion(files, tmp_path / "out", clock=CLOCK)
    ready: list[int] = []
    pdfs = conversion.wait(lambda i, _: ready.append(i))
    assert isinstance(conversion.fell_back, ResidentFailed)
    assert "python3-uno" in str(conversion.fell_back)
    assert sorted(ready) == [0, 1]
    for pdf, batch in zip(pdfs, converted["batch"][:2], strict=True):
        assert pdf.read_bytes() == batch.read_bytes()
    assert not conversion.converter.running


@pytest.mark.libreoffice
def test_a_build_converts_through_a_given_office_and_keeps_its_pdfs(tmp_path, monkeypatch):
    """watch's office: its PDFs, in canonical form the batch conversion's, go into the cache, and
    a build after it converts nothing and writes the same files."""
    project = copy_example(tmp_path / "projekt")
    started = tmp_path / "started"
    python = tmp_path / "python3"  # the system Python, noting the scripts it runs
    python.write_text(f'#!/bin/sh\necho "$2" >> {started}\nexec {resident.SYSTEM_PYTHON} "$@"\n')
    python.chmod(0o755)
    monkeypatch.setenv("KASKKIRI_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("KASKKIRI_CACHE_PDF", raising=False)
    with ResidentConverter(python=str(python)) as office:
        build(Project(project), DRAFT, checks=False, converter=office)
    assert started.read_text().split() == [str(resident.WORKER)]
    out = project / "output" / DRAFT
    word = sorted(out.glob("*.docx"))
    assert len(list((tmp_path / "cache").glob("pdf/**/*.pdf"))) == len(word)
    resident_build = tree(out)
    progress: list[str] = []
    build(Project(project), DRAFT, checks=False, progress=progress.append)
    assert f"PDF-id vahemälust: {len(word)}; LibreOffice teisendab: 0" in "\n".join(progress)
    assert tree(out) == resident_build
    created = PdfReader(out / f"{word[0].stem}.pdf").metadata["/CreationDate"]
    clock = datetime.strptime(created[2:16], "%Y%m%d%H%M%S")
    for pdf in convert_to_pdf(word, tmp_path / "batch", clock=clock if find_faketime() else None):
        _same_document(out / pdf.name, pdf)


def test_a_build_without_one_converts_in_batch(monkeypatch):
    monkeypatch.setattr(resident, "ResidentConversion", lambda *a, **k: "resident")
    monkeypatch.setattr(resident, "Conversion", lambda *a, **k: "batch")
    assert resident.start_conversion([], Path("x")) == "batch"
    assert resident.start_conversion([], Path("x"), converter=ResidentConverter()) == "resident"


def test_an_empty_setting_turns_it_off(monkeypatch):
    monkeypatch.setenv(resident.SYSTEM_PYTHON_VAR, "")
    assert resident.find_system_python() is None
    with pytest.raises(ResidentFailed, match="python3-uno"):
        ResidentConverter().start()


def test_without_python3_uno_on_disk_the_build_does_not_try_it(monkeypatch, tmp_path):
    monkeypatch.delenv(resident.SYSTEM_PYTHON_VAR, raising=False)
    monkeypatch.setattr(resident, "UNO_MODULE", tmp_path / "uno.py")
    assert resident.find_system_python() is None
    (tmp_path / "uno.py").write_text("")
    assert resident.find_system_python() == resident.SYSTEM_PYTHON


# --- stand-in workers --------------------------------------------------------------------------


def stand_in(path: Path, body: str) -> str:
    """A worker stand-in run in place of the system Python (it ignores its arguments)."""
    path.write_text(f"#!{sys.executable}\nimport json, os, subprocess, sys, time\n"
                    + textwrap.dedent(body))
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def docx(tmp_path) -> Path:
    path = tmp_path / "lisa.docx"
    path.write_bytes(b"PK\x03\x04 not really")
    return path


def test_a_hanging_document_is_killed_at_the_limit(tmp_path, docx):
    pids = tmp_path / "pids"
    hangs = stand_in(tmp_path / "hangs", f"""
        print(json.dumps({{"ready": True}}), flush=True)
        request = json.loads(sys.stdin.readline())
        open(request["out"] + ".part", "wb").write(b"%PDF-half")
        child = subprocess.Popen(["sleep", "1000"])  # as LibreOffice runs beside the worker
        open({str(pids)!r}, "w").write(f"{{os.getpid()}} {{child.pid}}")
        time.sleep(1000)
    """)
    out = tmp_path / "out" / "lisa.pdf"
    out.parent.mkdir()
    out.write_bytes(b"%PDF- the previous build's")
    converter = ResidentConverter(python=hangs)
    with pytest.raises(ConversionError) as caught:
        converter.convert(docx, out, timeout=1.0)
    problems = caught.value.problems
    assert problems[0].message == libreoffice_timeout(1)
    assert problems[1].file == docx
    started = [int(p) for p in pids.read_text().split()]
    assert wait_until(lambda: not any(pidfile.process_alive(p) for p in started), 5)
    assert out.read_bytes() == b"%PDF- the previous build's"  # untouched
    assert sorted(p.name for p in out.parent.iterdir()) == ["lisa.pdf"]  # no half-written part
    assert not converter.running


def test_a_crash_restarts_the_office_once(tmp_path, docx):
    marker = tmp_path / "crashed-once"
    flaky = stand_in(tmp_path / "flaky", f"""
        print(json.dumps({{"ready": True}}), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            if request.get("op") != "convert":
                break
            if not os.path.exists({str(marker)!r}):
                open({str(marker)!r}, "w").close()
                print(json.dumps({{"ok": False, "error": "DisposedException", "crashed": True}}), flush=True)
                sys.exit(5)
            open(request["out"], "wb").write(b"%PDF-1.7 " + request["clock"].encode())
            print(json.dumps({{"ok": True}}), flush=True)
    """)
    with ResidentConverter(python=flaky) as converter:
        pdfs = converter.convert_all([docx], tmp_path / "out", clock=CLOCK)
        assert converter.restarts == 1
        assert pdfs[0].read_bytes() == b"%PDF-1.7 2026-01-15 12:00:00"


def test_crashing_twice_hands_over_to_the_batch_conversion(tmp_path, docx):
    crashes = stand_in(tmp_path / "crashes", """
        print(json.dumps({"ready": True}), flush=True)
        sys.stdin.readline()
        sys.exit(9)  # no answer at all
    """)
    converter = ResidentConverter(python=crashes)
    with pytest.raises(ResidentFailed, match="kaks korda"):
        converter.convert(docx, tmp_path / "lisa.pdf")
    assert converter.restarts == 1 and not converter.running


def test_a_worker_without_uno_is_reported_for_the_fallback(tmp_path, docx):
    no_uno = stand_in(tmp_path / "no-uno", """
        print(json.dumps({"fatal": "uno", "detail": "No module named 'uno'"}), flush=True)
        sys.exit(3)
    """)
    with pytest.raises(ResidentFailed) as caught:
        ResidentConverter(python=no_uno).convert(docx, tmp_path / "lisa.pdf")
    assert "python3-uno" in str(caught.value) and "No module named" in str(caught.value)


def test_a_document_it_cannot_convert_is_named_for_the_fallback(tmp_path, docx):
    refuses = stand_in(tmp_path / "refuses", """
        print(json.dumps({"ready": True}), flush=True)
        sys.stdin.readline()
        print(json.dumps({"ok": False, "error": "IOException: ", "crashed": False}), flush=True)
        time.sleep(1000)
    """)
    converter = ResidentConverter(python=refuses)
    with pytest.raises(ResidentFailed) as caught:
        converter.convert(docx, tmp_path / "lisa.pdf")
    assert caught.value.problems[0].file == docx and "IOException" in str(caught.value)
    assert converter.restarts == 0 and not converter.running


@pytest.mark.libreoffice
def test_a_file_converted_before_is_not_converted_again(converted, tmp_path):
    files = converted["files"][:2]
    with ResidentConverter(warm_up=False) as office:
        first = [p.read_bytes() for p in office.convert_all(files, tmp_path / "a", clock=CLOCK)]
        office.stop()
        ready: list[int] = []
        again = office.convert_all(files, tmp_path / "b", clock=CLOCK, on_ready=lambda i, _: ready.append(i))
        assert not office.running  # all remembered: no office was started for them
        assert [p.read_bytes() for p in again] == first and sorted(ready) == [0, 1]
        other = office.convert_all(files[:1], tmp_path / "c", clock=OTHER_CLOCK)  # another date
        assert office.running and PdfReader(other[0]).metadata["/CreationDate"].startswith("D:20260302")

"""convert.py against the real LibreOffice, and against stand-ins that hang, crash or lie."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from kaskkiri_builder import convert
from kaskkiri_builder.convert import convert_to_pdf, find_soffice
from kaskkiri_builder.errors import ConversionError, ConverterMissing
from toolkit import ESTONIAN, libreoffice_timeout, make_docx


def write_script(path: Path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(path)


def alive(pid: int) -> bool:
    """A process is alive if it exists and is not a zombie (a zombie has ended, only unreaped)."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    state = data[data.rfind(")") + 2 :].split()[0]
    return state not in ("Z", "X")


def wait_for(path: Path, limit: float = 5.0) -> None:
    deadline = time.monotonic() + limit
    while not path.exists() or not path.read_text().strip():
        assert time.monotonic() < deadline, f"{path} was never written"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def docx_files(tmp_path_factory) -> list[Path]:
    src = tmp_path_factory.mktemp("docx")
    return [
        make_docx(src / "kaskkiri.docx", "KÄSKKIRI"),
        make_docx(src / "lisa-01.docx", "Lisa 1", pages=2),
        make_docx(src / "lisa-02.docx", "Lisa 2"),
    ]


# --- the real LibreOffice ----------------------------------------------------------------------


@pytest.mark.libreoffice
def test_soffice_is_found():
    assert find_soffice() is not None


@pytest.mark.libreoffice
def test_converts_all_files_in_input_order(docx_files, tmp_path):
    order = [docx_files[2], docx_files[0], docx_files[1]]
    started = time.monotonic()
    pdfs = convert_to_pdf(order, tmp_path / "out")
    elapsed = time.monotonic() - started

    assert pdfs == [tmp_path / "out" / (p.stem + ".pdf") for p in order]
    assert elapsed < 60
    for pdf, src, heading, pages in zip(pdfs, order, ["Lisa 2", "KÄSKKIRI", "Lisa 1"], [1, 1, 2], strict=True):
        reader = PdfReader(pdf)
        assert len(reader.pages) == pages, src
        text = reader.pages[0].extract_text()
        assert heading in text
        assert ESTONIAN in text  # õäöüšž survive the fonts and the text layer
        assert reader.xmp_metadata.pdfaid_part == "2"
        assert reader.xmp_metadata.pdfaid_conformance == "B"
        assert "/OutputIntents" in reader.trailer["/Root"]


@pytest.mark.libreoffice
def test_stale_pdf_is_replaced(docx_files, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / "kaskkiri.pdf"
    stale.write_bytes(b"%PDF-1.4 stale")
    (pdf,) = convert_to_pdf([docx_files[0]], out)
    assert pdf == stale
    assert pdf.read_bytes() != b"%PDF-1.4 stale"
    assert len(PdfReader(pdf).pages) == 1


@pytest.mark.libreoffice
def test_broken_docx_is_reported_although_libreoffice_exits_0(docx_files, tmp_path):
    broken = tmp_path / "katki.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ConversionError) as caught:
        convert_to_pdf([docx_files[0], broken], tmp_path / "out")
    message = str(caught.value)
    assert "katki.pdf" in message
    assert "kaskkiri.pdf" not in message.split("jäi tegemata:")[1].splitlines()[0]
    assert "source file could not be loaded" in message  # LibreOffice's own words are quoted
    assert any(p.file == broken for p in caught.value.problems)


def test_empty_list_does_nothing(tmp_path):
    assert convert_to_pdf([], tmp_path / "out") == []


# --- inputs ------------------------------------------------------------------------------------


def never_run(tmp_path: Path) -> str:
    """A converter the inputs' checks must refuse to start."""
    return write_script(tmp_path / "never-run", f"touch {tmp_path}/was-run\nexit 99\n")


def test_missing_and_empty_inputs_are_refused(tmp_path):
    empty = tmp_path / "tuhi.docx"
    empty.write_bytes(b"")
    with pytest.raises(ConversionError) as caught:
        convert_to_pdf([tmp_path / "puudub.docx", empty], tmp_path / "out", soffice=never_run(tmp_path))
    assert not (tmp_path / "was-run").exists()
    files = {p.file for p in caught.value.problems}
    assert files == {tmp_path / "puudub.docx", empty}


def test_same_stem_twice_is_refused(docx_files, tmp_path):
    other = tmp_path / "teine"
    other.mkdir()
    twin = make_docx(other / "kaskkiri.docx", "KÄSKKIRI")
    with pytest.raises(ConversionError, match="sama nimi"):
        convert_to_pdf([docx_files[0], twin], tmp_path / "out", soffice=never_run(tmp_path))
    assert not (tmp_path / "was-run").exists()


# --- finding LibreOffice -----------------------------------------------------------------------


def test_env_var_overrides_the_search(tmp_path, monkeypatch):
    fake = write_script(tmp_path / "minu-soffice", "exit 0\n")
    monkeypatch.setenv("KASKKIRI_SOFFICE", fake)
    assert find_soffice() == fake


def test_missing_converter_says_how_to_install(docx_files, tmp_path, monkeypatch):
    monkeypatch.setenv("KASKKIRI_SOFFICE", str(tmp_path / "pole-olemas"))
    assert find_soffice() is None
    with pytest.raises(ConverterMissing) as caught:
        convert_to_pdf(docx_files, tmp_path / "out")
    message = str(caught.value)
    assert "KASKKIRI_SOFFICE" in message
    assert "sudo apt-get install libreoffice-writer-nogui" in message
    assert "fonts-crosextra-carlito" in message
    assert "scripts/setup.sh" in message


def test_explicit_converter_that_does_not_exist(docx_files, tmp_path):
    with pytest.raises(ConverterMissing, match="apt-get install"):
        convert_to_pdf(docx_files, tmp_path / "out", soffice=str(tmp_path / "pole-olemas"))


# --- stand-ins that hang, crash or lie ---------------------------------------------------------


@pytest.mark.parametrize("ignore_term", [False, True], ids=["obeys-sigterm", "ignores-sigterm"])
def test_hang_is_stopped_and_the_whole_group_killed(docx_files, tmp_path, ignore_term):
    """The stand-in starts a child like soffice starts soffice.bin; both must be gone after."""
    leader_pid = tmp_path / "leader.pid"
    child_pid = tmp_path / "child.pid"
    trap = "trap '' TERM\n" if ignore_term else ""
    fake = write_script(
        tmp_path / "hangs",
        f"{trap}echo $$ > {leader_pid}\nsleep 1000 &\necho $! > {child_pid}\nwait\nsleep 1000\n",
    )
    timeout = 1.5
    started = time.monotonic()
    with pytest.raises(ConversionError) as caught:
        convert_to_pdf(docx_files, tmp_path / "out", timeout=timeout, soffice=fake)
    elapsed = time.monotonic() - started

    assert str(caught.value) == libreoffice_timeout(1.5)
    # The limit, plus the SIGTERM grace when SIGTERM is ignored, plus a little.
    assert elapsed < timeout + convert.TERM_GRACE + 2.0
    wait_for(leader_pid)
    wait_for(child_pid)
    pgid = int(leader_pid.read_text())
    child = int(child_pid.read_text())
    assert not alive(pgid)
    assert not alive(child)
    # No live member of the group is left (a zombie waiting for init may still answer killpg).
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        pass
    else:
        members = [
            int(p.name)
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and _pgid_of(int(p.name)) == pgid
        ]
        assert not [pid for pid in members if alive(pid)]


def _pgid_of(pid: int) -> int | None:
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(data[data.rfind(")") + 2 :].split()[2])


def test_exit_0_without_pdfs_names_every_missing_file(docx_files, tmp_path):
    fake = write_script(tmp_path / "lies", "echo 'convert ok' \nexit 0\n")
    with pytest.raises(ConversionError) as caught:
        convert_to_pdf(docx_files, tmp_path / "out", soffice=fake)
    message = str(caught.value)
    for name in ("kaskkiri.pdf", "lisa-01.pdf", "lisa-02.pdf"):
        assert name in message
    assert "koodiga 0" in message
    assert {p.file for p in caught.value.problems if p.file} == set(docx_files)


def test_crash_quotes_the_last_lines_of_stderr(docx_files, tmp_path):
    fake = write_script(
        tmp_path / "crashes",
        'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do echo "rida $i" >&2; done\n'
        "echo 'Fatal exception: Signal 6' >&2\nexit 134\n",
    )
    with pytest.raises(ConversionError) as caught:
        convert_to_pdf(docx_files, tmp_path / "out", soffice=fake)
    message = str(caught.value)
    assert "Fatal exception: Signal 6" in message
    assert "koodiga 134" in message
    assert "rida 15" in message and "rida 1\n" not in message  # only the tail


def test_empty_or_partial_output_is_not_accepted(docx_files, tmp_path):
    """A stand-in writes a good PDF for the first file, an empty one and a non-PDF for the rest."""
    out = tmp_path / "out"
    fake = write_script(
        tmp_path / "partial",
        f"printf '%%PDF-1.7 fake' > {out}/kaskkiri.pdf\n"
        f": > {out}/lisa-01.pdf\n"
        f"echo hello > {out}/lisa-02.pdf\n"
        "exit 0\n",
    )
    with pytest.raises(ConversionError) as caught:
        convert_to_pdf(docx_files, out, soffice=fake)
    message = str(caught.value)
    assert "lisa-01.pdf on tühi" in message
    assert "lisa-02.pdf ei ole PDF" in message
    assert {p.file for p in caught.value.problems if p.file} == set(docx_files[1:])


@pytest.mark.libreoffice
def test_started_before_the_files_exist(tmp_path):
    """The build starts LibreOffice before it writes the Word files; a file that was not there
    when LibreOffice reached it is reported, not lost, and converts on a second call."""
    from kaskkiri_builder.convert import Conversion

    first = make_docx(tmp_path / "a.docx", "KÄSKKIRI")
    late = tmp_path / "b.docx"
    conversion = Conversion([first, late], tmp_path / "pdf", workers=1, inputs_ready=False)
    seen = []
    pdfs = conversion.wait(lambda i, pdf: seen.append(i), missing_ok=True)
    assert conversion.missing == [1] and seen == [0]
    assert pdfs[0].read_bytes().startswith(b"%PDF-")
    make_docx(late, "Lisa 1")
    [again] = convert_to_pdf([late], tmp_path / "pdf")
    assert again == pdfs[1] and again.read_bytes().startswith(b"%PDF-")


@pytest.mark.libreoffice
def test_written_while_libreoffice_starts(tmp_path):
    from kaskkiri_builder.convert import Conversion

    files = [tmp_path / f"d{i}.docx" for i in range(4)]
    conversion = Conversion(files, tmp_path / "pdf", inputs_ready=False)
    for i, f in enumerate(files):  # written after the start, each whole at once
        make_docx(f, f"Lisa {i}")
    pdfs = conversion.wait(missing_ok=True)
    assert conversion.missing == []
    assert all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)


def test_libreoffice_gets_the_allocator_settings_unless_the_user_set_their_own(tmp_path, monkeypatch):
    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    env = convert._child_env(tmp_path / "a")
    assert env["GLIBC_TUNABLES"] == convert.LIBREOFFICE_MALLOC
    assert "glibc.malloc.hugetlb=1" in env["GLIBC_TUNABLES"].split(":")
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.check=0")
    assert convert._child_env(tmp_path / "b")["GLIBC_TUNABLES"] == "glibc.malloc.check=0"
    assert os.environ["GLIBC_TUNABLES"] == "glibc.malloc.check=0"  # ours is for LibreOffice alone


@pytest.mark.parametrize(("n", "workers"), [(12, 2), (13, 2), (1, 2), (5, 1), (3, 8)])
def test_the_files_are_dealt_to_the_processes_in_turn(n: int, workers: int) -> None:
    """Each process gets its first file among the first written (a build writes them in order
    while LibreOffice starts); every file once, no process without files."""
    shares = convert._chunks(n, workers)
    assert sorted(i for share in shares for i in share) == list(range(n))
    assert all(share for share in shares) and len(shares) == min(n, workers)
    assert [share[0] for share in shares] == list(range(len(shares)))
    assert all(b - a == len(shares) for share in shares for a, b in zip(share, share[1:], strict=False))

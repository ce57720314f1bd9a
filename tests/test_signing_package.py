"""The signing package of the example, made by a real LibreOffice and read back from the files.

One full build of 2026-01 (Word, PDF, signing PDF, container); then the PDF is opened with pypdf
and the container with libdigidocpp (the pydigidoc wheel), as the director's client would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import copy_example


def kaskkiri(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaskkiri_builder", *args], cwd=project,
                          capture_output=True, text=True, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def full_build(tmp_path_factory):
    project = copy_example(tmp_path_factory.mktemp("signing"))
    r = kaskkiri(project, "build", "2026-01")
    assert r.returncode == 0, r.stderr
    folder = project / "output/2026-01"
    return folder, json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def by_role(manifest, role):
    return [f for f in manifest["files"] if f["role"] == role]


def test_signing_pdf_is_the_directive_then_every_annex(full_build):
    folder, manifest = full_build
    [package] = by_role(manifest, "package")
    parts = by_role(manifest, "pdf")
    assert [p.get("annex") for p in parts] == [None, *range(1, 12)]
    reader = PdfReader(folder / package["path"])
    # page count: the sum of the parts, each counted from its own file
    part_pages = [len(PdfReader(folder / p["path"]).pages) for p in parts]
    assert [p["pages"] for p in parts] == part_pages
    assert len(reader.pages) == sum(part_pages) == package["pages"]
    # one bookmark per part, pointing at the part's first page
    titles = [o.title for o in reader.outline]
    assert titles[0] == "Käskkiri"
    assert titles[1] == "Lisa 1. Talituse juhataja"
    assert titles[10] == "Lisa 10. Nõustaja"
    assert len(titles) == 12
    starts = [sum(part_pages[:i]) for i in range(len(part_pages))]
    assert [reader.get_destination_page_number(o) for o in reader.outline] == starts
    assert reader.root_object["/PageMode"] == "/UseOutlines"
    # each part's first page carries its heading
    first = reader.pages[0].extract_text()
    assert "KÄSKKIRI" in first and "07.01.2026 nr 1" in first
    for n, start in enumerate(starts[1:], start=1):
        text = " ".join(reader.pages[start].extract_text().split())
        assert f"käskkirjaga nr 1 Lisa {n} AMETIJUHEND" in text, text[:200]
    # page labels restart per part
    assert reader.page_labels[0] == "K-1" and reader.page_labels[starts[1]] == "L1-1"


def test_signing_pdf_metadata_and_pdfa(full_build):
    folder, manifest = full_build
    [package] = by_role(manifest, "package")
    reader = PdfReader(folder / package["path"])
    meta = reader.metadata
    assert meta.title == "Ametijuhendite kinnitamine (07.01.2026 nr 1)"
    assert meta.author == "Sotsiaalkindlustusamet"
    assert meta.subject
    assert meta.creation_date.date().isoformat() == "2026-01-07"
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = reader.root_object["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="2"' in raw or "<pdfaid:part>2</pdfaid:part>" in raw
    assert "/OutputIntents" in reader.root_object
    # identical objects shared: much smaller than the parts together
    parts = sum((folder / p["path"]).stat().st_size for p in by_role(manifest, "pdf"))
    assert (folder / package["path"]).stat().st_size < parts * 0.6


def test_container_opens_in_libdigidocpp(full_build, digidoc):
    folder, manifest = full_build
    [container] = by_role(manifest, "container")
    path = folder / container["path"]
    with zipfile.ZipFile(path) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/vnd.etsi.asic-e+zip"
    doc = digidoc.Container.open(str(path))
    names = sorted(f.file_name() for f in doc.data_files())
    expected = sorted(p["path"] for p in by_role(manifest, "pdf"))
    assert names == expected == sorted(container["files"])
    assert len(doc.signatures()) == 0
    for f in doc.data_files():
        assert f.file_size() > 0


def test_every_file_in_the_manifest_with_its_hash(full_build):
    import hashlib

    folder, manifest = full_build
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {p.name for p in folder.iterdir()} - {"manifest.json"}
    assert listed == on_disk
    for f in manifest["files"]:
        assert hashlib.sha256((folder / f["path"]).read_bytes()).hexdigest() == f["sha256"]
    assert {f["role"] for f in manifest["files"]} == {"directive", "annex", "pdf", "package", "container"}
    # what the records manager registers, from the directive's definition
    assert (manifest["title"], manifest["number"], manifest["date"]) == ("Ametijuhendite kinnitamine", "1", "07.01.2026")
    assert manifest["register"]["toimik"] == "1-1/2026"
    assert manifest["register"]["vastutaja"] == "Triinu Rumm (SKA, Üldosakond, Personalitalitus)"


def test_without_libreoffice_word_files_and_a_clear_note(example, tmp_path):
    # No LibreOffice on PATH (a KASKKIRI_SOFFICE that points nowhere is an error: test_faults.py).
    r = kaskkiri(example, "build", "2026-02", env={"PATH": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    assert "LibreOffice" in r.stderr and "apt-get install libreoffice-writer-nogui" in r.stderr
    roles = {f["role"] for f in json.loads((example / "output/2026-02/manifest.json").read_text())["files"]}
    assert roles == {"directive", "annex"}


def test_hanging_libreoffice_times_out_and_leaves_nothing(example, tmp_path):
    r = kaskkiri(example, "build", "2026-02", "--ainult-word")
    assert r.returncode == 0
    before = {p.name: p.read_bytes() for p in (example / "output/2026-02").iterdir()}
    pidfile = tmp_path / "pids"
    stand_in = tmp_path / "soffice"
    stand_in.write_text(
        "#!/bin/sh\n"
        f"sleep 1000 & echo $! >> {pidfile}\n"
        f"echo $$ >> {pidfile}\n"
        "wait\n"
    )
    stand_in.chmod(0o755)
    start = time.monotonic()
    r = kaskkiri(example, "build", "2026-02", "--aegumine", "3", env={"KASKKIRI_SOFFICE": str(stand_in)})
    elapsed = time.monotonic() - start
    assert r.returncode == 4 and "Traceback" not in r.stderr
    assert "LibreOffice" in r.stderr and "3" in r.stderr
    assert elapsed < 20
    pids = list(map(int, pidfile.read_text().split()))
    assert len(pids) >= 2  # a shell and its sleep per LibreOffice process
    deadline = time.monotonic() + 5
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(p) for p in pids), "a process of the stand-in survived"
    after = {p.name: p.read_bytes() for p in (example / "output/2026-02").iterdir()}
    assert after == before

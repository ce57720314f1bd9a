"""The signing package of the example, made by a real LibreOffice and read back from the files.

One full build of 2026-01 (Word, PDF, signing PDF, container; shared with other test modules);
then the PDF is opened with pypdf and the container with libdigidocpp (the pydigidoc wheel), as
the director's client would.
"""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from toolkit import libreoffice_timeout, tree


def alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def by_role(manifest, role):
    return [f for f in manifest["files"] if f["role"] == role]


@pytest.mark.libreoffice
def test_signing_pdf_is_the_directive_then_every_annex(example_2026_01_full):
    folder, manifest = example_2026_01_full
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


@pytest.mark.libreoffice
def test_signing_pdf_metadata_and_pdfa(example_2026_01_full):
    folder, manifest = example_2026_01_full
    [package] = by_role(manifest, "package")
    reader = PdfReader(folder / package["path"])
    meta = reader.metadata
    assert meta.title == "Ametijuhendite kinnitamine (07.01.2026 nr 1)"
    assert meta.author == "Sotsiaalkindlustusamet"
    assert meta.subject == "Ametijuhendite kinnitamine"  # the directive's title
    assert meta.creation_date.date().isoformat() == "2026-01-07"
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = reader.root_object["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="2"' in raw or "<pdfaid:part>2</pdfaid:part>" in raw
    assert "/OutputIntents" in reader.root_object
    # identical objects shared: much smaller than the parts together
    parts = sum((folder / p["path"]).stat().st_size for p in by_role(manifest, "pdf"))
    assert (folder / package["path"]).stat().st_size < parts * 0.6


@pytest.mark.libreoffice
def test_container_opens_in_libdigidocpp(example_2026_01_full, digidoc):
    folder, manifest = example_2026_01_full
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


@pytest.mark.libreoffice
def test_every_file_in_the_manifest_with_its_hash(example_2026_01_full):
    folder, manifest = example_2026_01_full
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


def test_without_libreoffice_word_files_and_a_clear_note(cli, example, tmp_path):
    # No LibreOffice on PATH (a KASKKIRI_SOFFICE that points nowhere is an error: test_faults.py).
    r = cli(example, "build", "2026-02", env={"PATH": str(tmp_path), "KASKKIRI_SOFFICE": ""})
    assert "LibreOffice" in r.stderr and "apt-get install libreoffice-writer-nogui" in r.stderr
    roles = {f["role"] for f in json.loads((example / "output/2026-02/manifest.json").read_text())["files"]}
    assert roles == {"directive", "annex"}


def test_hanging_libreoffice_times_out_and_leaves_nothing(cli, example, tmp_path):
    cli(example, "build", "2026-02", "--ainult-word")
    before = tree(example / "output")
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
    r = cli(example, "build", "2026-02", "--aegumine", "3", env={"KASKKIRI_SOFFICE": str(stand_in)}, code=4)
    elapsed = time.monotonic() - start
    assert f"Viga:\n  {libreoffice_timeout(3)}\nVäljundit ega definitsioone ei muudetud.\n" in r.stderr
    assert elapsed < 20
    pids = list(map(int, pidfile.read_text().split()))
    assert len(pids) >= 2  # a shell and its sleep per LibreOffice process
    deadline = time.monotonic() + 5
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(p) for p in pids), "a process of the stand-in survived"
    assert tree(example / "output") == before

"""package.py on real LibreOffice output, read back with pypdf and with libdigidocpp (pydigidoc)."""

from __future__ import annotations

import dataclasses
import datetime
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from kaskkiri_builder.convert import convert_to_pdf
from kaskkiri_builder.errors import PackageError
from kaskkiri_builder.package import (
    ASICE_MIMETYPE,
    Part,
    PdfMetadata,
    SigningPdf,
    make_asice,
    make_signing_pdf,
    normalize_pdf,
    pdf_page_count,
)
from toolkit import ESTONIAN, make_docx

# Every test here reads PDFs that a real LibreOffice made from small Word files.
pytestmark = pytest.mark.libreoffice

META = PdfMetadata(
    title="Käskkiri 07.01.2026 nr 1 „Ametijuhendite kinnitamine“",
    author="Sotsiaalkindlustusamet",
    subject="Ohvriabi osakonna kriisitoe talituse ametijuhendid",
    created=datetime.date(2026, 1, 7),
)
MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

# (file stem, heading on its first page, pages, bookmark, label prefix)
DOCS = [
    ("kaskkiri", "KÄSKKIRI", 1, "Käskkiri", "K-"),
    ("lisa-01", "Lisa 1", 2, "Lisa 1. Talituse juhataja", "L1-"),
    ("lisa-02", "Lisa 2", 1, "Lisa 2. Nõustaja", "L2-"),
]


def convert_all(src: Path, outdir: Path) -> list[Path]:
    files = [make_docx(src / f"{stem}.docx", heading, pages) for stem, heading, pages, *_ in DOCS]
    return convert_to_pdf(files, outdir)


def parts_of(pdfs: list[Path]) -> list[Part]:
    return [Part(pdf, bookmark, label) for pdf, (*_, bookmark, label) in zip(pdfs, DOCS, strict=True)]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> list[Path]:
    src = tmp_path_factory.mktemp("docx")
    return convert_all(src, tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="module")
def signing_pdf(pdfs, tmp_path_factory) -> tuple[Path, dict[Path, int]]:
    out = tmp_path_factory.mktemp("signing") / "kaskkiri-allkirjastamiseks.pdf"
    counts = make_signing_pdf(parts_of(pdfs), out, META)
    return out, counts


# --- the signing PDF ---------------------------------------------------------------------------


def test_page_counts(pdfs, signing_pdf):
    out, counts = signing_pdf
    assert [pdf_page_count(p) for p in pdfs] == [1, 2, 1]
    assert counts == {pdfs[0]: 1, pdfs[1]: 2, pdfs[2]: 1, out: 4}
    assert len(PdfReader(out).pages) == 4 == pdf_page_count(out)


def test_outline_one_bookmark_per_part_and_opened(signing_pdf):
    out, _ = signing_pdf
    reader = PdfReader(out)
    outline = reader.outline
    assert [item.title for item in outline] == [d[3] for d in DOCS]
    assert [reader.get_destination_page_number(item) for item in outline] == [0, 1, 3]
    assert reader.page_mode == "/UseOutlines"
    assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])


def test_each_part_starts_with_its_heading(signing_pdf):
    out, _ = signing_pdf
    reader = PdfReader(out)
    first_pages = {0: "KÄSKKIRI", 1: "Lisa 1", 3: "Lisa 2"}
    for page, heading in first_pages.items():
        text = reader.pages[page].extract_text()
        assert text.lstrip().startswith(heading), (page, text[:80])
        assert ESTONIAN in text
    assert "lk 2" in reader.pages[2].extract_text()


def test_page_labels_restart_per_part(signing_pdf):
    out, _ = signing_pdf
    assert PdfReader(out).page_labels == ["K-1", "L1-1", "L1-2", "L2-1"]


def test_metadata_from_the_directive_in_info_and_xmp(signing_pdf):
    out, _ = signing_pdf
    reader = PdfReader(out)
    info = reader.metadata
    assert info.title == META.title
    assert info.author == META.author
    assert info.subject == META.subject
    assert info.creator == "kaskkiri"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20260107120000Z"
    assert info.creation_date.date() == META.created

    xmp = reader.xmp_metadata
    assert xmp.dc_title == {"x-default": META.title}
    assert xmp.dc_creator == [META.author]
    assert xmp.dc_description == {"x-default": META.subject}
    assert xmp.pdf_producer == info.producer
    assert xmp.xmp_creator_tool == info.creator
    for date in (xmp.xmp_create_date, xmp.xmp_modify_date, xmp.xmp_metadata_date):
        assert date.strftime("%Y-%m-%dT%H:%M:%S") == "2026-01-07T12:00:00"
    stream = reader.trailer["/Root"]["/Metadata"].get_object()
    assert "/Filter" not in stream  # PDF/A: the XMP stays plain text
    assert stream["/Subtype"] == "/XML"


def test_pdfa_markers_kept(signing_pdf):
    out, _ = signing_pdf
    reader = PdfReader(out)
    assert reader.xmp_metadata.pdfaid_part == "2"
    assert reader.xmp_metadata.pdfaid_conformance == "B"
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert len(intents) == 1
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    icc = intent["/DestOutputProfile"].get_object().get_data()
    assert icc[36:40] == b"acsp"
    # The profile's creation time is the directive's date, not LibreOffice's export time.
    stamp = [int.from_bytes(icc[i : i + 2], "big") for i in range(24, 36, 2)]
    assert stamp == [2026, 1, 7, 12, 0, 0]


def test_no_half_merged_tags(signing_pdf):
    out, _ = signing_pdf
    reader = PdfReader(out)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" not in root
    assert all("/StructParents" not in page for page in reader.pages)


def test_file_id_is_derived_from_content(signing_pdf, pdfs, tmp_path):
    out, _ = signing_pdf
    first, second = PdfReader(out).trailer["/ID"]
    assert first == second and len(first) == 16 and any(first)
    other = tmp_path / "other.pdf"
    make_signing_pdf(parts_of(pdfs), other, dataclasses.replace(META, title="Muu"))
    assert PdfReader(other).trailer["/ID"][0] != first


def test_signing_pdf_bytes_are_reproducible_across_conversions(pdfs, signing_pdf, tmp_path):
    """LibreOffice stamps the export time into every PDF: a later conversion gives other bytes,
    but the signing PDF built from it must be identical."""
    out, _ = signing_pdf
    time.sleep(1.1)  # the export time has one-second resolution
    src = tmp_path / "docx"
    src.mkdir()
    again = convert_all(src, tmp_path / "pdf")
    rebuilt = tmp_path / "again.pdf"
    make_signing_pdf(parts_of(again), rebuilt, META)
    assert rebuilt.read_bytes() == out.read_bytes()

    for first, second in zip(pdfs, again, strict=False):
        a, b = tmp_path / f"{first.stem}-1.pdf", tmp_path / f"{first.stem}-2.pdf"
        normalize_pdf(first, a, META)
        normalize_pdf(second, b, META)
        assert a.read_bytes() == b.read_bytes()


def test_normalized_part_keeps_pdfa_and_content(pdfs, tmp_path):
    out = tmp_path / "lisa-01.pdf"
    assert normalize_pdf(pdfs[1], out, META) == 2
    reader = PdfReader(out)
    assert reader.xmp_metadata.pdfaid_part == "2"
    assert reader.metadata.title == META.title
    assert "Lisa 1" in reader.pages[0].extract_text()


def test_signing_pdf_from_normalized_parts(container_files, signing_pdf, tmp_path):
    """The build joins the normalised parts: same pages and labels, PDF/A kept, pypdf named once."""
    out = tmp_path / "from-normalized.pdf"
    make_signing_pdf(parts_of(container_files), out, META)
    reader = PdfReader(out)
    assert reader.metadata.producer.count("pypdf") == 1
    assert reader.xmp_metadata.pdfaid_part == "2"
    assert reader.page_labels == PdfReader(signing_pdf[0]).page_labels


def test_signing_pdf_refuses_bad_parts(pdfs, tmp_path):
    with pytest.raises(PackageError):
        make_signing_pdf([], tmp_path / "x.pdf", META)
    with pytest.raises(PackageError, match="tähis"):
        make_signing_pdf(
            [Part(pdfs[0], "Käskkiri", "K-"), Part(pdfs[1], "Lisa 1", "K-")],
            tmp_path / "x.pdf",
            META,
        )
    broken = tmp_path / "katki.pdf"
    broken.write_bytes(b"not a pdf at all")
    with pytest.raises(PackageError) as caught:
        make_signing_pdf(
            [Part(pdfs[0], "Käskkiri", "K-"), Part(broken, "Lisa 1", "L1-")],
            tmp_path / "x.pdf",
            META,
        )
    assert caught.value.problems[0].file == broken
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(PackageError):
        pdf_page_count(tmp_path / "puudub.pdf")


def test_joined_part_by_part_the_signing_pdf_is_the_same_bytes(pdfs, signing_pdf, tmp_path):
    """A build joins each part as LibreOffice hands it over (SigningPdf.join), in order; the
    rest at finish(). Every split gives make_signing_pdf's bytes and counts."""
    parts = parts_of(pdfs)
    for early in range(len(parts) + 1):
        steps = SigningPdf()
        for part in parts[:early]:
            steps.join(part)
        assert steps.joined == early and not steps.failed
        out = tmp_path / f"osade-kaupa-{early}.pdf"
        counts = steps.finish(parts, out, META)
        assert out.read_bytes() == signing_pdf[0].read_bytes()
        expected = {pdf: n for pdf, n in signing_pdf[1].items() if pdf != signing_pdf[0]}
        assert counts == {**expected, out: 4}


def test_a_part_that_cannot_be_joined_is_reported_as_make_signing_pdf_reports_it(pdfs, tmp_path):
    broken = tmp_path / "katki.pdf"
    broken.write_bytes(b"not a pdf at all")
    parts = [Part(pdfs[0], "Käskkiri", "K-"), Part(broken, "Lisa 1", "L1-"), Part(pdfs[2], "Lisa 2", "L2-")]
    steps = SigningPdf()
    for part in parts:
        steps.join(part)
    assert steps.failed and steps.joined == 1
    with pytest.raises(PackageError) as caught:
        steps.finish(parts, tmp_path / "x.pdf", META)
    with pytest.raises(PackageError) as direct:
        make_signing_pdf(parts, tmp_path / "x.pdf", META)
    assert caught.value.problems == direct.value.problems and caught.value.problems[0].file == broken
    assert not (tmp_path / "x.pdf").exists()


# --- the container -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def container_files(pdfs, tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("normalized")
    files = []
    for pdf in pdfs:
        files.append(out / pdf.name)
        normalize_pdf(pdf, files[-1], META)
    return files


@pytest.fixture(scope="module")
def asice(container_files, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("asice") / "kaskkiri-2026-01-07-nr-1.asice"
    make_asice(container_files, out)
    return out


def test_zip_layout(asice, container_files):
    with zipfile.ZipFile(asice) as zf:
        infos = zf.infolist()
        first = infos[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert first.extra == b""
        assert zf.read("mimetype") == ASICE_MIMETYPE.encode("ascii")
        assert [i.filename for i in infos] == [
            "mimetype",
            *(f.name for f in container_files),
            "META-INF/manifest.xml",
        ]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        for f in container_files:
            assert zf.read(f.name) == f.read_bytes()
        manifest = ET.fromstring(zf.read("META-INF/manifest.xml"))
    # The mimetype's bytes sit at a fixed offset, where `file` and DigiDoc look for them.
    assert asice.read_bytes()[30:38] == b"mimetype"
    assert asice.read_bytes()[38 : 38 + len(ASICE_MIMETYPE)] == ASICE_MIMETYPE.encode()

    entries = [
        (e.get(f"{{{MANIFEST_NS}}}full-path"), e.get(f"{{{MANIFEST_NS}}}media-type"))
        for e in manifest.findall(f"{{{MANIFEST_NS}}}file-entry")
    ]
    assert manifest.get(f"{{{MANIFEST_NS}}}version") == "1.2"
    expected = [(f.name, "application/pdf") for f in container_files]
    assert entries == [("/", ASICE_MIMETYPE), *expected]


def test_libdigidocpp_opens_it_unsigned(digidoc, asice, container_files):
    container = digidoc.Container.open(str(asice))
    assert container.media_type() == ASICE_MIMETYPE
    data_files = list(container.data_files())
    assert [d.file_name() for d in data_files] == [f.name for f in container_files]
    assert [d.media_type() for d in data_files] == ["application/pdf"] * len(container_files)
    assert [d.file_size() for d in data_files] == [f.stat().st_size for f in container_files]
    assert len(container.signatures()) == 0


def test_libdigidocpp_is_a_strict_judge(digidoc, asice, tmp_path):
    """Control: the same container with one manifest entry dropped is refused, so the test
    above proves something."""
    broken = tmp_path / "broken.asice"
    with zipfile.ZipFile(asice) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "META-INF/manifest.xml":
                text = data.decode()
                lines = [line for line in text.splitlines() if "lisa-02.pdf" not in line]
                data = "\n".join(lines).encode()
            dst.writestr(info, data)
    with pytest.raises(RuntimeError, match="manifest"):
        digidoc.Container.open(str(broken))


def test_container_bytes_are_reproducible(container_files, asice, tmp_path):
    again = tmp_path / "again.asice"
    time.sleep(1.1)
    make_asice(container_files, again)
    assert again.read_bytes() == asice.read_bytes()


def test_container_refuses_empty_and_non_ascii_files(container_files, tmp_path):
    empty = tmp_path / "lisa-03.pdf"
    empty.write_bytes(b"")
    with pytest.raises(PackageError, match="tühi") as caught:
        make_asice([*container_files, empty], tmp_path / "x.asice")
    assert caught.value.problems[0].file == empty

    accented = tmp_path / "käskkiri.pdf"
    accented.write_bytes(container_files[0].read_bytes())
    with pytest.raises(PackageError, match="ASCII"):
        make_asice([accented], tmp_path / "x.asice")

    with pytest.raises(PackageError, match="sama nimi"):
        make_asice([container_files[0], container_files[0]], tmp_path / "x.asice")
    with pytest.raises(PackageError):
        make_asice([], tmp_path / "x.asice")
    assert not (tmp_path / "x.asice").exists()


def test_a_pdf_cut_short_by_a_full_disk_says_so(tmp_path, monkeypatch):
    """LibreOffice writing on a full disk leaves a PDF cut short: the message says the disk is
    full, not pypdf's "EOF marker not found"."""
    import shutil
    from collections import namedtuple

    from kaskkiri_builder import package
    from kaskkiri_builder.errors import PackageError

    pdf = tmp_path / "kaskkiri.pdf"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")  # cut short
    with pytest.raises(PackageError) as err:
        package.pdf_page_count(pdf)
    assert "LibreOffice jättis selle pooleli" in err.value.problems[0].message
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage(10**9, 10**9 - 4096, 4096))
    with pytest.raises(PackageError) as err:
        package.pdf_page_count(pdf)
    assert err.value.problems[0].message.startswith("PDF-fail jäi poolikuks, sest ketas on täis (vaba 0 MiB)")
    assert "EOF" not in err.value.problems[0].message

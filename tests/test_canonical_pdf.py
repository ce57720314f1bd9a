"""canonical_pdf: LibreOffice's PDFs whose only difference is the order of their objects become
the same bytes; nothing else about them changes, and a damaged one is refused, not repaired."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from kaskkiri_builder.canonical_pdf import canonical_pdf, canonicalize, form_files, same_pdf
from kaskkiri_builder.errors import PackageError
from toolkit import XMP, lo_like_pdf


def test_the_two_orders_of_the_fonts_give_the_same_bytes() -> None:
    a = lo_like_pdf(bold_first=True, checksum="AAAA")
    b = lo_like_pdf(bold_first=False, checksum="BBBB")
    assert a != b
    assert canonical_pdf(a) == canonical_pdf(b)


def test_the_canonical_form_of_a_canonical_file_is_itself() -> None:
    once = canonical_pdf(lo_like_pdf(bold_first=True))
    assert canonical_pdf(once) == once


def test_the_document_is_unchanged() -> None:
    original = lo_like_pdf(bold_first=True)
    canonical = canonical_pdf(original)
    assert b"DocChecksum" not in canonical
    before, after = PdfReader(io.BytesIO(original)), PdfReader(io.BytesIO(canonical))
    assert after.trailer["/ID"][0] == before.trailer["/ID"][0]  # the document's identifier kept
    assert len(after.pages) == 1
    assert after.pages[0].extract_text() == before.pages[0].extract_text() == "Kaskkiri!"
    fonts = after.pages[0]["/Resources"]["/Font"]
    assert fonts["/F1"]["/BaseFont"] == "/BAAAAA+Carlito-Bold"
    assert fonts["/F2"]["/BaseFont"] == "/CAAAAA+Carlito"
    metadata = after.trailer["/Root"]["/Metadata"].get_object()
    assert "/Filter" not in metadata  # PDF/A: the XMP stream stays unfiltered
    assert metadata.get_data() == XMP
    assert after.metadata is not None and after.metadata["/Producer"] == "LibreOffice 7.4"


def test_a_different_text_is_a_different_document() -> None:
    a = lo_like_pdf(bold_first=True)
    b = lo_like_pdf(bold_first=False, text=b"Kaskkira")
    assert canonical_pdf(a) != canonical_pdf(b)
    assert not same_pdf(a, b)
    assert same_pdf(a, lo_like_pdf(bold_first=False))


def test_same_pdf_sets_the_identifier_aside() -> None:
    a = lo_like_pdf(bold_first=True)
    b = a.replace(b"<00112233445566778899AABBCCDDEEFF><", b"<FF112233445566778899AABBCCDDEEFF><")
    assert canonical_pdf(a) != canonical_pdf(b)
    assert same_pdf(a, b)
    assert not same_pdf(a, b"not a PDF")


@pytest.mark.parametrize("cut", [30, 400])
def test_a_pdf_cut_short_is_refused_not_repaired(tmp_path: Path, cut: int) -> None:
    pdf = tmp_path / "lisa-01.pdf"
    whole = canonical_pdf(lo_like_pdf(bold_first=True))
    pdf.write_bytes(whole[:-cut])
    with pytest.raises(PackageError) as err:
        canonicalize(pdf)
    (problem,) = err.value.problems
    assert problem.file == pdf
    assert problem.message.startswith("PDF-faili ei saa lugeda (")
    assert "LibreOffice jättis selle pooleli" in problem.message
    assert "BytesIO" not in problem.message
    assert pdf.read_bytes() == whole[:-cut]  # left as it was
    assert [p.name for p in tmp_path.iterdir()] == ["lisa-01.pdf"]


def test_canonicalize_rewrites_the_file(tmp_path: Path) -> None:
    pdf = tmp_path / "kaskkiri.pdf"
    pdf.write_bytes(lo_like_pdf(bold_first=False))
    canonicalize(pdf)
    assert pdf.read_bytes() == canonical_pdf(lo_like_pdf(bold_first=True))
    assert [p.name for p in tmp_path.iterdir()] == ["kaskkiri.pdf"]


def test_the_archived_example_pdfs_are_read() -> None:
    """The bundled archive's PDFs (LibreOffice's, as approved) have a canonical form, and it is
    a fixed point: what a build writes now."""
    archive = Path(__file__).parents[1] / "arhiiv/2026-01/kinnitatud"
    pdfs = sorted(archive.glob("*.pdf"))
    assert len(pdfs) == 13
    for pdf in pdfs:
        data = pdf.read_bytes()
        canonical = canonical_pdf(data, pdf)
        assert canonical != data and canonical_pdf(canonical) == canonical
        assert len(PdfReader(io.BytesIO(canonical)).pages) == len(PdfReader(pdf).pages)
    with zipfile.ZipFile(archive / "kaskkiri-2026-01.asice") as z:
        assert same_pdf(z.read("kaskkiri.pdf"), canonical_pdf((archive / "kaskkiri.pdf").read_bytes()))


def test_the_cache_key_sees_the_qpdf_that_writes() -> None:
    """form_files: the files whose change changes the canonical bytes, for the conversion cache's
    key, are pikepdf's compiled core and the qpdf library it loads."""
    import pikepdf

    files = form_files()
    core = Path(pikepdf._core.__file__).resolve()
    assert core in [f.resolve() for f in files]
    (libs,) = [f for f in files if f.is_dir()]
    assert any(p.name.startswith("libqpdf") for p in libs.iterdir())

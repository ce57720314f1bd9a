"""What the templates put on the page, read from real PDFs, and what a re-save in LibreOffice
keeps: the letterhead on the directive's first page, "1 (N)" page numbers in every document, the
duties table's header row on every page it spans, and a re-saved template that changes no text
and no comparison of `kaskkiri review`.

The PDFs come from one full build of the draft (one LibreOffice conversion), shared by the tests
that read them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from kaskkiri_builder.build import Project, build
from kaskkiri_builder.convert import resave_docx
from kaskkiri_builder.docx_text import docx_paragraphs
from kaskkiri_builder.review import write_review
from toolkit import DRAFT, cli, copy_example

pytestmark = pytest.mark.libreoffice

PAGE_NUMBER = re.compile(r"(?m)^(\d+) \((\d+)\)$")
DUTY_ROW = re.compile(r"(?m)^2\.\d+\. ")
DUTIES_HEADER = "2. Peamised teenistusülesanded Oodatavad tulemused"


@pytest.fixture(scope="module")
def draft_pdfs(tmp_path_factory) -> tuple[Path, dict]:
    """One full build of the draft: (output folder, manifest)."""
    project = copy_example(tmp_path_factory.mktemp("pages"))
    cli(project, "build", DRAFT)
    folder = project / "output" / DRAFT
    return folder, json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def document_pdfs(folder: Path, manifest: dict) -> list[Path]:
    """The directive's and the annexes' PDFs, in the signing PDF's order."""
    words = [f["path"] for f in manifest["files"] if f["path"].endswith(".docx")]
    return [folder / Path(w).with_suffix(".pdf").name for w in words]


def test_every_page_of_every_document_carries_its_number(draft_pdfs):
    folder, manifest = draft_pdfs
    pdfs = document_pdfs(folder, manifest)
    assert len(pdfs) == 4
    for pdf in pdfs:
        texts = page_texts(pdf)
        for i, text in enumerate(texts, start=1):
            assert PAGE_NUMBER.findall(text) == [(str(i), str(len(texts)))], (pdf.name, i)


def test_the_signing_pdf_numbers_each_document_from_one(draft_pdfs):
    folder, manifest = draft_pdfs
    expected = []
    for pdf in document_pdfs(folder, manifest):
        n = len(PdfReader(pdf).pages)
        expected += [(str(i), str(n)) for i in range(1, n + 1)]
    signing = next(folder.glob("allkirjastamiseks-*.pdf"))
    found = [PAGE_NUMBER.findall(text) for text in page_texts(signing)]
    assert found == [[pair] for pair in expected]
    assert expected[0] == ("1", "1") and ("4", "4") in expected  # the directive, a four-page annex


def test_the_directive_s_first_page_has_the_letterhead(draft_pdfs):
    folder, _ = draft_pdfs
    reader = PdfReader(next(folder.glob("allkirjastamiseks-*.pdf")))
    first, second = reader.pages[0], reader.pages[1]
    text = first.extract_text()
    assert text.startswith("Sotsiaalkindlustusamet\nEELNÕU\nKÄSKKIRI [kuupäev] nr [number]")
    for contact in ("Paldiski mnt 80, 15092 Tallinn", "Tel 612 1360", "info@sotsiaalkindlustusamet.ee",
                    "www.sotsiaalkindlustusamet.ee", "Registrikood 70001975"):
        assert contact in text
    assert len(first.images) == 1  # the logo
    assert len(second.images) == 0 and "Registrikood" not in second.extract_text()  # an annex: no letterhead


def test_the_duties_header_row_is_on_every_page_the_table_spans(draft_pdfs):
    folder, manifest = draft_pdfs
    spanning = 0
    for pdf in document_pdfs(folder, manifest)[1:]:
        pages = [t for t in page_texts(pdf) if DUTY_ROW.search(t)]
        spanning += len(pages) > 1
        for text in pages:
            assert DUTIES_HEADER in text, pdf.name
    assert spanning >= 2  # the table goes over a page break in more than one annex


# -- a template saved again in LibreOffice ---------------------------------------------------------


@pytest.fixture(scope="module")
def resaved(tmp_path_factory) -> tuple[Path, Path]:
    """The example twice: as it is, and with both templates opened and saved in LibreOffice."""
    root = tmp_path_factory.mktemp("resave")
    original = copy_example(root / "original")
    again = copy_example(root / "resaved")
    templates = sorted((again / "templates").glob("*.docx"))
    saved = resave_docx(templates, root / "saved", timeout=120)
    for template, new in zip(templates, saved, strict=True):
        assert new.read_bytes() != template.read_bytes()
        shutil.copyfile(new, template)
    return original, again


def test_a_resaved_template_changes_no_text(resaved):
    original, again = resaved
    one = build(Project(original), DRAFT, word_only=True).folder
    two = build(Project(again), DRAFT, word_only=True).folder
    names = sorted(p.name for p in one.glob("*.docx"))
    assert names == sorted(p.name for p in two.glob("*.docx")) and len(names) == 4
    for name in names:
        assert docx_paragraphs(two / name) == docx_paragraphs(one / name), name
        # headers in any order: LibreOffice numbers the header parts its own way
        assert sorted(docx_paragraphs(two / name, headers=True)) == sorted(docx_paragraphs(one / name, headers=True))


def test_review_of_a_resaved_template_shows_only_changes_of_text(resaved):
    """The bug this answers: after a re-save, every compared annex showed "Alluvad - -" (the "-"
    deleted and inserted again)."""
    _, again = resaved
    result = write_review(Project(again), DRAFT)
    from kaskkiri_builder.review.redline import tracked_paragraphs

    assert len(result.redlines) == 2
    for path in result.redlines.values():
        changed = [p for p in tracked_paragraphs(path.read_bytes()) if p.changed]
        assert changed and all(p.old_text != p.new_text for p in changed), path.name
        assert "-" not in [p.new_text.strip() for p in changed]

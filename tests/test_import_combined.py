"""`kaskkiri import kaskkiri` on the forms a signed set comes in that the other import tests do
not make: the one combined signing PDF (split by its bookmarks, or by the annexes' headings
when it has none), a directive that approves one job description, and duty tables with a
number column."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from docx import Document
from pypdf.generic import Fit

from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.docx_text import docx_text
from kaskkiri_builder.importing.readers import _clean, read_sources
from test_import import built_texts
from test_import_layouts import GENERAL, SIGNED, _row, as_written, imported, project_with
from toolkit import REFERENCE, cli, fold, reference_annex, text_diff

COMBINED = SIGNED / "allkirjastamiseks-2026-01.pdf"


def without_bookmarks(source: Path, dest: Path) -> Path:
    writer = pypdf.PdfWriter(clone_from=source)
    del writer.root_object["/Outlines"]
    writer.write(dest)
    return dest


def assert_builds_the_signed_set(project: Path) -> None:
    cli(project, "build", "2026-01", "--ainult-word")
    built = project / "output/2026-01"
    originals = [SIGNED / "kaskkiri.docx", *sorted(SIGNED.glob("lisa-*.docx"))]
    assert len(originals) == 12
    for original in originals:
        (ours,) = built.glob(original.name[:7] + "*.docx") if original.name.startswith("lisa") \
            else [built / original.name]
        want, got = fold(docx_text(original)), fold(docx_text(ours))
        assert got == want, f"{original.name}: {text_diff(want, got)}"


@pytest.mark.parametrize("split", ["bookmarks", "headings"])
def test_the_combined_signing_pdf_imports_to_a_text_identical_build(split, tmp_path):
    source = COMBINED if split == "bookmarks" else without_bookmarks(COMBINED, tmp_path / COMBINED.name)
    assert bool(pypdf.PdfReader(source).outline) == (split == "bookmarks")
    project = project_with(tmp_path / "p", clauses=True)
    cli(project, "import", "kaskkiri", str(source))
    ledger = (project / "definitions/ajalugu.yaml").read_text(encoding="utf-8")
    assert ledger.count("talituse-juhataja") == 1 and "noustaja-11" in ledger
    assert len(list((project / "definitions/ametikohad").glob("*.yaml"))) == 11
    assert_builds_the_signed_set(project)


def test_a_pdf_is_split_at_its_bookmarks_and_tables_are_not_joined_over_a_documents_end(tmp_path):
    """The directive and lisa 1 of the combined PDF, bookmarked; a bookmark in mid-page cuts there."""
    reader = pypdf.PdfReader(COMBINED)
    writer = pypdf.PdfWriter()
    for page in reader.pages[:5]:
        writer.add_page(page)
    writer.add_outline_item(title="Käskkiri", page_number=0)
    writer.add_outline_item(title="Lisa 1. Talituse juhataja", page_number=1)
    small = tmp_path / "kaks.pdf"
    writer.write(small)
    directive, annex = read_sources(small)
    assert (directive.title, annex.title) == ("Käskkiri", "Lisa 1. Talituse juhataja")
    assert {ln.origin.page for ln in directive.lines} == {1}
    assert annex.lines[0].text.startswith("KINNITATUD") and annex.lines[0].origin.page == 2
    # without bookmarks the same file is one document
    (whole,) = read_sources(without_bookmarks(small, tmp_path / "yks.pdf"))
    assert [ln.text for ln in whole.lines] == [ln.text for ln in directive.lines + annex.lines]
    # a bookmark that points into the middle of a page (/XYZ with a top) cuts the page there
    with pdfplumber.open(small) as pdf:
        page = pdf.pages[0]
        text_lines = page.extract_text_lines()
        cut = text_lines[len(text_lines) // 2]
        y = float(page.height) - cut["top"] + 1
    writer = pypdf.PdfWriter(clone_from=small)
    del writer.root_object["/Outlines"]
    writer.add_outline_item(title="Käskkiri", page_number=0)
    writer.add_outline_item(title="Teine pool", page_number=0, fit=Fit.xyz(top=y))
    writer.write(tmp_path / "pool.pdf")
    first, second = read_sources(tmp_path / "pool.pdf")
    assert second.title == "Teine pool" and second.lines[0].text == _clean(cut["text"])
    assert [ln.text for ln in first.lines + second.lines] == [ln.text for ln in whole.lines]


# --- a duties table with a number column ------------------------------------------------------------

THREE_COLUMN_DUTIES = [("Valdkonna andmete koondamine ja analüüsimine.", ["Andmed on koondatud.", "Analüüs on tehtud."]),
                       ("Aruannete koostamine.", ["Aruanded on esitatud tähtaegselt."]),
                       ("Partnerite nõustamine.", ["Partnerid on nõustatud."])]


def three_column_job_description(path: Path) -> Path:
    """Each table with a leading number column: Üldosa as 1.1 | label | value, the duties as
    "Nr" | duty | results with duties numbered 1., 2., 3. (not 2.1.)."""
    doc = Document()
    doc.add_paragraph("AMETIJUHEND")
    doc.add_paragraph("1. Üldosa")
    general = doc.add_table(rows=0, cols=3)
    for n, (label, value) in enumerate(GENERAL, start=1):
        _row(general, (f"1.{n}", label, value))
    table = doc.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    _row(table, ("Nr", "Peamised teenistusülesanded", "Oodatavad tulemused"))
    for n, (text, results) in enumerate(THREE_COLUMN_DUTIES, start=1):
        _row(table, (f"{n}.", text, "\n".join(results)))
    doc.add_paragraph("4. Õigused ja vastutus")
    rights = doc.add_table(rows=0, cols=3)
    _row(rights, ("4.1", "Õigused", "saada tööks vajalikku infot;\nosaleda töörühmades."))
    _row(rights, ("4.2", "Vastutus", "tööülesannete täitmise eest."))
    doc.save(path)
    return path


def test_a_duties_table_with_a_number_column_reads_duty_and_results_apart(tmp_path):
    source = three_column_job_description(tmp_path / "analyytik.docx")
    posts, _ = imported(project_with(tmp_path / "p"), source)
    post = posts["analuutik"]
    assert as_written(post) == THREE_COLUMN_DUTIES
    assert post.title == "analüütik" and post.unit == "kriisitoe-talitus"
    assert post.rights is not None


@pytest.mark.libreoffice
def test_a_pdf_of_a_duties_table_with_a_number_column_reads_the_same(tmp_path):
    from kaskkiri_builder.convert import convert_to_pdf

    source = three_column_job_description(tmp_path / "analyytik.docx")
    (pdf,) = convert_to_pdf([source], tmp_path / "pdf")
    posts, _ = imported(project_with(tmp_path / "p"), pdf)
    assert as_written(posts["analuutik"]) == THREE_COLUMN_DUTIES


# --- a directive that approves one job description -------------------------------------------------

ELEVEN = ("ametijuhendid vastavalt lisadele 1-11 järgmiselt:\n1.1. talituse juhataja (lisa 1); ")


def one_job_description(form: str) -> str:
    """The register text of 07.01.2026 nr 1 cut to its directive and lisa 1, point 2 dropped, in
    `form`: "lisa 1" (how kaskkiri writes one annex) or "(lisa)" (one unnumbered annex)."""
    text = REFERENCE.read_text(encoding="utf-8")
    lisa1 = text.rindex("KINNITATUD", 0, text.index("käskkirjaga nr 1 Lisa 1\n"))
    text = text[: text.index("KINNITATUD")] + text[lisa1: text.index("KINNITATUD", lisa1 + 1)]
    items = text[text.index(ELEVEN): text.index("(lisa 11).") + len("(lisa 11).")]
    point2 = text[text.index("2. Tunnistan kehtetuks"): text.index("3. Käskkiri jõustub")]
    if form == "lisa 1":
        text = text.replace(items, "ametijuhendi vastavalt lisale 1 järgmiselt:\n1.1. talituse juhataja (lisa 1).")
    else:
        text = text.replace(" " + items, " talituse juhataja ametijuhendi (lisa).")
        text = text.replace("käskkirjaga nr 1 Lisa 1", "käskkirjaga nr 1 Lisa")
    text = text.replace(point2, "").replace("3. Käskkiri jõustub", "2. Käskkiri jõustub")
    text = text.replace("Ametijuhendite kinnitamine", "Ametijuhendi kinnitamine")
    return text.replace("kinnitatud ametijuhendeid rakendatakse", "kinnitatud ametijuhendit rakendatakse")


def test_a_directive_with_one_annex_imports_to_a_text_identical_build(tmp_path):
    source = tmp_path / "yks-lisa.txt"
    source.write_text(one_job_description("lisa 1"), encoding="utf-8")
    project = project_with(tmp_path / "p", clauses=True)
    cli(project, "import", "kaskkiri", str(source))
    cli(project, "build", "2026-01", "--ainult-word")
    directive, annexes = built_texts(project, "2026-01")
    body = "\n".join(row for row in source.read_text(encoding="utf-8").splitlines() if not row.startswith("|"))
    expected = fold(body[body.index("KÄSKKIRI"): body.index("KINNITATUD")])
    assert "Kinnitan ohvriabi osakonna kriisitoe talituse ametijuhendi vastavalt lisale 1" in expected
    assert directive == expected, text_diff(expected, directive)
    assert list(annexes) == [1] and annexes[1] == reference_annex(1), text_diff(reference_annex(1), annexes[1])


def test_a_directive_approving_one_unnumbered_job_description_goes_into_the_ledger_alone(tmp_path):
    """kaskkiri has no form for it (its directives number their annexes): the ledger holds it as
    `ametijuhend:`, and the next directive for that post revokes it by its title."""
    source = tmp_path / "lisa.txt"
    source.write_text(one_job_description("(lisa)"), encoding="utf-8")
    project = project_with(tmp_path / "p", clauses=True)
    run = cli(project, "import", "kaskkiri", str(source))
    assert "nummerdamata" in run.stdout
    defs = load_definitions(project / "definitions", project)
    (entry,) = defs.ledger
    assert (entry.id, entry.single_post, entry.annexes, entry.number) == (None, "talituse-juhataja", {}, "1")
    assert defs.directives == {} and defs.posts["talituse-juhataja"].unit == "kriisitoe-talitus"
    (project / "definitions/kaskkirjad").mkdir()
    (project / "definitions/kaskkirjad/2026-02.yaml").write_text(
        "oigusalus:\n  - Avaliku teenistuse seaduse § 52 lõigete 1 ja 2\nstruktuuriyksus: kriisitoe-talitus\n"
        "lisad:\n  - talituse-juhataja\nallkirjastaja:\n  nimi: Maret Maripuu\n  ametinimetus: peadirektor\n",
        encoding="utf-8")
    cli(project, "build", "2026-02", "--ainult-word")
    directive, _ = built_texts(project, "2026-02")
    assert re.search(r'2\. Tunnistan kehtetuks peadirektori 07\.01\.2026 käskkirja nr 1 '
                     r'["„]Ametijuhendi kinnitamine["“]\.', directive), directive

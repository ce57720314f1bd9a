"""`kaskkiri import ametijuhend` on layouts the other import tests do not make: a table split over
pages (in Word: two tables with a repeated header row; in PDF: a table the page break cut, with
rows cut in two), vertically merged cells, and the signed PDFs of the example read back whole.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml

from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.docx_text import docx_text
from toolkit import ROOT, cli, empty_project, fold, text_diff

SIGNED = ROOT / "arhiiv/2026-01/kinnitatud"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
GENERAL = [("Struktuuriüksus", "Ohvriabi osakond, kriisitoe talitus"), ("Teenistuskoht", "Analüütik"),
           ("Vahetu juht", "Peadirektor"), ("Ametikoha grupp", "Ametnik")]
HEADER = ("2. Peamised teenistusülesanded", "Oodatavad tulemused")


project_with = empty_project  # the start of an agency before `kaskkiri import`


def duties(n: int, start: int = 1) -> list[tuple[str, list[str]]]:
    """Duties long enough to wrap in a cell, with hyphenated words at varying places."""
    out = []
    for i in range(start, start + n):
        text = (f"Valdkonna {i} avalik-õiguslike ja eraõiguslike partnerite nõustamine, sotsiaal- ja "
                f"tervishoiuteenuste info koondamine ning {'pikema kirjeldusega ' * (i % 4)}ettepanekute tegemine.")
        results = [f"Partnerid {i} on nõustatud õigeaegselt ja {'põhjalikult ' * (i % 3)}asjatundlikult.",
                   f"Ettepanekud {i} on tehtud."]
        out.append((text, results))
    return out


def _row(table, cells: tuple[str, ...] | list[str]) -> None:
    row = table.add_row()
    for cell, text in zip(row.cells, cells, strict=True):
        paragraphs = text.split("\n")
        cell.text = paragraphs[0]
        for more in paragraphs[1:]:
            cell.add_paragraph(more)


def _repeat_header(table) -> None:
    """Mark the first row a header row (Word and LibreOffice repeat it on every page)."""
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {W_NS}/>"))


def job_description(path: Path, parts: list[list[tuple[str, list[str]]]], rights: bool = True) -> Path:
    """A job description whose duties table is in `parts`: one table each, a page break between,
    each opening with the header row (the way a table is split by hand)."""
    doc = Document()
    doc.add_paragraph("AMETIJUHEND")
    doc.add_paragraph("1. Üldosa")
    general = doc.add_table(rows=0, cols=2)
    general.style = "Table Grid"
    for label, value in GENERAL:
        _row(general, (label, value))
    for k, part in enumerate(parts, start=1):
        if k > 1:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        _row(table, HEADER)
        _repeat_header(table)
        for n, (text, results) in enumerate(part, start=sum(len(p) for p in parts[:k - 1]) + 1):
            _row(table, (f"2.{n}. {text}", "\n".join(results)))
    doc.add_paragraph("3. Teenistuskoha täitjale esitatavad nõuded")
    req = doc.add_table(rows=0, cols=2)
    req.style = "Table Grid"
    _row(req, ("Haridus", "Kõrgharidus."))
    if rights:
        doc.add_paragraph("4. Õigused ja vastutus")
        r = doc.add_table(rows=0, cols=2)
        r.style = "Table Grid"
        _row(r, ("Õigused", "saada tööks vajalikku infot;\nosaleda töörühmades."))
        _row(r, ("Vastutus", "tööülesannete täitmise eest."))
    doc.save(path)
    return path


def imported(project: Path, *sources: Path) -> tuple[dict, str]:
    run = cli(project, "import", "ametijuhend", *map(str, sources))
    return load_definitions(project / "definitions", project).posts, run.stdout


def as_written(post) -> list[tuple[str, list[str]]]:
    return [(d.text.value, [r.value for r in d.results]) for d in post.duties]


# --- Word -----------------------------------------------------------------------------------------


def test_word_table_split_by_hand_over_pages_with_a_repeated_header_row(tmp_path):
    first, second = duties(3), duties(2, start=4)
    source = job_description(tmp_path / "analyytik.docx", [first, second])
    posts, _ = imported(project_with(tmp_path / "p"), source)
    post = posts["analuutik"]
    assert as_written(post) == first + second  # the header row again is neither a duty nor a result
    assert post.rights is not None


def _merge_vertically(cell, how: str) -> None:
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:vMerge {W_NS} w:val="{how}"/>' if how == "restart"
                                                else f"<w:vMerge {W_NS}/>"))


def test_word_vertically_merged_cells(tmp_path):
    doc = Document()
    doc.add_paragraph("AMETIJUHEND")
    doc.add_paragraph("1. Üldosa")
    general = doc.add_table(rows=0, cols=2)
    for label, value in GENERAL:
        _row(general, (label, value))
    table = doc.add_table(rows=0, cols=2)
    _row(table, HEADER)
    # 2.1 over two rows, one result in each; 2.2 and 2.3 share one results cell
    rows = [("2.1. Andmete koondamine.", "Andmed on koondatud."), ("", "Andmed on kontrollitud."),
            ("2.2. Aruannete koostamine.", "Tööd on tehtud tähtaegselt."), ("2.3. Kirjade koostamine.", "")]
    for cells in rows:
        _row(table, cells)
    _merge_vertically(table.rows[1].cells[0], "restart")
    _merge_vertically(table.rows[2].cells[0], "continue")
    _merge_vertically(table.rows[3].cells[1], "restart")
    _merge_vertically(table.rows[4].cells[1], "continue")
    doc.add_paragraph("4. Õigused ja vastutus")
    rights = doc.add_table(rows=0, cols=2)
    for cells in [("Õigused", "saada infot;"), ("", "osaleda töörühmades."), ("Vastutus", "töö eest.")]:
        _row(rights, cells)
    _merge_vertically(rights.rows[0].cells[0], "restart")
    _merge_vertically(rights.rows[1].cells[0], "continue")
    doc.save(tmp_path / "analyytik.docx")

    posts, stdout = imported(project_with(tmp_path / "p"), tmp_path / "analyytik.docx")
    post = posts["analuutik"]
    assert as_written(post) == [
        ("Andmete koondamine.", ["Andmed on koondatud.", "Andmed on kontrollitud."]),
        ("Aruannete koostamine.", ["Tööd on tehtud tähtaegselt."]),
        ("Kirjade koostamine.", ["Tööd on tehtud tähtaegselt."]),  # the shared cell, repeated
    ]
    assert "tabel 2, rida 5" in stdout and "ühendatud" in stdout  # and said so
    written = (tmp_path / "p/definitions/klauslid").glob("*.yaml")
    assert any("osaleda töörühmades." in f.read_text(encoding="utf-8") for f in written)


# --- PDF ------------------------------------------------------------------------------------------


def test_the_signed_pdfs_of_the_example_import_to_a_text_identical_build(tmp_path):
    """The published set (kinnitatud/*.pdf): tables the page breaks cut (lisa 1's rights, lisa
    10's requirements), cell lines wrapped, words hyphenated at line ends."""
    project = project_with(tmp_path / "p", clauses=True)
    pdfs = [SIGNED / "kaskkiri.pdf", *sorted(SIGNED.glob("lisa-*.pdf"))]
    cli(project, "import", "kaskkiri", *map(str, pdfs))
    cli(project, "build", "2026-01", "--ainult-word")
    built = project / "output/2026-01"
    for original in [SIGNED / "kaskkiri.docx", *sorted(SIGNED.glob("lisa-*.docx"))]:
        (ours,) = built.glob(original.name[:7] + "*.docx") if original.name.startswith("lisa") \
            else [built / original.name]
        want, got = fold(docx_text(original)), fold(docx_text(ours))
        assert got == want, f"{original.name}: {text_diff(want, got)}"


@pytest.fixture(scope="module")
def long_table_pdf(tmp_path_factory) -> tuple[Path, Path, list[tuple[str, list[str]]]]:
    """A Word file whose one duties table (header row repeated) runs over pages, and its PDF by
    the project's own conversion."""
    from kaskkiri_builder.convert import convert_to_pdf

    folder = tmp_path_factory.mktemp("long")
    expected = duties(24)
    source = job_description(folder / "analyytik.docx", [expected])
    (pdf,) = convert_to_pdf([source], folder / "pdf")
    return source, pdf, expected


@pytest.mark.libreoffice
def test_pdf_table_over_pages_imports_like_its_word_file(long_table_pdf, tmp_path):
    import pdfplumber

    source, pdf, expected = long_table_pdf
    with pdfplumber.open(pdf) as doc:
        tops = [p.find_tables() for p in doc.pages]
    assert len(tops) >= 2 and all(tops[:2])  # the duties table does go on over the page break
    from_pdf, _ = imported(project_with(tmp_path / "pdf"), pdf)
    from_word, _ = imported(project_with(tmp_path / "word"), source)
    assert as_written(from_pdf["analuutik"]) == expected
    assert as_written(from_word["analuutik"]) == expected
    assert from_pdf["analuutik"].rights is not None


# --- a directive a deputy signed ------------------------------------------------------------------

DEPUTY_BASIS = 'peadirektori 01.02.2025 käskkirja nr 1-1/7 "Peadirektori asendaja määramine"'


def test_a_deputy_signer_and_the_appointment_in_the_legal_basis_are_parsed(tmp_path):
    from toolkit import REFERENCE, reference_parts

    def as_deputy(text: str) -> str:
        signed = text.replace("(allkirjastatud digitaalselt) Maret Maripuu peadirektor",
                              "(allkirjastatud digitaalselt) Leila Siiroja osakonnajuhataja peadirektori ülesannetes")
        return signed.replace("punkti 9 alusel 1. Kinnitan", f"punkti 9 ning {DEPUTY_BASIS} alusel 1. Kinnitan")

    source = tmp_path / "asendaja.txt"
    source.write_text(as_deputy(REFERENCE.read_text(encoding="utf-8")), encoding="utf-8")
    project = project_with(tmp_path / "p", clauses=True)
    run = cli(project, "import", "kaskkiri", str(source))
    assert "oletades" not in run.stdout  # nothing guessed
    directive = load_definitions(project / "definitions", project).directives["2026-01"]
    s = directive.signatory
    assert (s.name, s.title, s.basis) == ("Leila Siiroja", "osakonnajuhataja peadirektori ülesannetes", DEPUTY_BASIS)
    assert DEPUTY_BASIS not in " ".join(t.value for t in directive.legal_basis)
    cli(project, "build", "2026-01", "--ainult-word")
    built = fold(docx_text(project / "output/2026-01/kaskkiri.docx"))
    expected = as_deputy(reference_parts()[0])
    assert built == expected, text_diff(expected, built)

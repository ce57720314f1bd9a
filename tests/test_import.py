"""`kaskkiri import`: register text, Word and PDF in, post files out; the build gives the text back.

The round trips compare the built documents' text (whitespace folded) with what was imported:
the published reference (as test_fidelity.py reads it) and the example's own built annexes.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml

from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.docx_text import docx_text
from toolkit import (
    REFERENCE,
    built_texts,
    cli,
    copy_example,
    empty_project,
    fold,
    reference_annex,
    reference_parts,
    text_diff,
    tree,
)

# --- (a) the register text ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def from_register(tmp_path_factory) -> tuple[Path, str]:
    project = empty_project(tmp_path_factory.mktemp("register"))
    run = cli(project, "import", "kaskkiri", str(REFERENCE))
    cli(project, "build", "2026-01", "--ainult-word")
    return project, run.stdout


def test_register_text_round_trip_reproduces_the_directive(from_register):
    project, _ = from_register
    directive, _ = built_texts(project, "2026-01")
    expected, _ = reference_parts()
    assert directive == expected, text_diff(expected, directive)


@pytest.mark.parametrize("annex", range(1, 12))
def test_register_text_round_trip_reproduces_each_annex(from_register, annex):
    project, _ = from_register
    _, annexes = built_texts(project, "2026-01")
    assert annexes[annex] == reference_annex(annex), text_diff(reference_annex(annex), annexes[annex])


def test_register_import_writes_ledger_posts_and_reports_what_it_could_not_match(from_register):
    project, stdout = from_register
    defs = load_definitions(project / "definitions", project)
    assert len(defs.posts) == 11
    assert {"noustaja-9", "noustaja-10", "noustaja-11"} <= set(defs.posts)
    entry = defs.ledger[-1]
    assert (entry.number, entry.date.isoformat(), len(entry.annexes)) == ("1", "2026-01-07", 11)
    assert entry.annexes[10] == "noustaja-10" and defs.posts["noustaja-10"].group.value == "ametnik"
    post = defs.posts["talituse-juhataja"]
    assert post.manager.text.value == "Ohvriabi osakonna juhataja"  # no such post: published words kept
    text = (project / "definitions/ametikohad/talituse-juhataja.yaml").read_text(encoding="utf-8")
    assert '# SOBITAMATA "Ohvriabi osakonna juhataja"' in text
    assert "rida 224" in stdout and "veerud segamini" in stdout  # the interleaved columns, put back
    assert "23.12.2024 nr 192" in stdout  # point 2 cites directives the ledger does not hold
    # a list whose names all match is written as ids
    assert [r.post_id for r in defs.posts["noustaja-10"].manager.refs] == ["juhtivspetsialist-oa-kriisitelefon"]
    assert defs.posts["noustaja-10"].manager.text is None


def test_importing_again_writes_nothing(from_register, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(from_register[0], project)
    before = tree(project / "definitions")
    run = cli(project, "import", "kaskkiri", str(REFERENCE), code=2)
    assert "ska-2026-01-nr1.txt" in run.stderr or "ajalugu.yaml" in run.stderr
    assert tree(project / "definitions") == before
    run = cli(project, "import", "ametijuhend", str(REFERENCE), code=2)
    assert "--asenda" in run.stderr and "definitions/ametikohad/" in run.stderr
    assert tree(project / "definitions") == before


def test_duties_equal_to_a_library_clause_become_references(tmp_path):
    project = empty_project(tmp_path / "p", clauses=True)
    cli(project, "import", "ametijuhend", str(REFERENCE))
    defs = load_definitions(project / "definitions", project)
    duty_ids = [d.clause_id for d in defs.posts["noustaja-10"].duties]
    assert "ulesanne-uhekordsed" in duty_ids and "ulesanne-kirjad" in duty_ids
    assert defs.posts["noustaja-10"].rights.clause_id == "oigused-ja-vastutus"
    # Lisa 11's 2.1 is a variant of a clause: kept as text, reported
    assert defs.posts["noustaja-11"].duties[0].clause_id is None


# --- (b) Word -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_word(tmp_path_factory) -> Path:
    project = copy_example(tmp_path_factory.mktemp("example"))
    cli(project, "build", "2026-01", "--ainult-word")
    return project / "output/2026-01"


def test_each_built_word_annex_imports_to_a_text_identical_build(example_word, tmp_path):
    project = empty_project(tmp_path / "p", clauses=True)
    annexes = sorted(example_word.glob("lisa-*.docx"))
    cli(project, "import", "kaskkiri", str(example_word / "kaskkiri.docx"), *map(str, annexes))
    cli(project, "build", "2026-01", "--ainult-word")
    directive, built = built_texts(project, "2026-01")
    assert directive == fold(docx_text(example_word / "kaskkiri.docx"))
    for n, path in enumerate(annexes, start=1):
        original = fold(docx_text(path))
        assert built[n] == original, text_diff(original, built[n])
    defs = load_definitions(project / "definitions", project)
    assert sum(d.clause_id is not None for p in defs.posts.values() for d in p.duties) > 50


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _numbered(doc, text: str) -> None:
    """A paragraph Word numbers itself ("List Number 2": its number comes from numbering.xml)."""
    doc.add_paragraph(text, style="List Number")


def _headings_layout(path: Path) -> Path:
    """Headings with automatically numbered duties, a merged cell, a line break in a cell, a soft
    hyphen and a tracked change (a deletion and an insertion)."""
    doc = Document()
    doc.add_paragraph("AMETIJUHEND")
    doc.add_heading("1. Üldosa", level=1)
    table = doc.add_table(rows=5, cols=3)
    rows = [("Struktuuriüksus", "Ohvriabi osakond, kriisitoe talitus"), ("Teenistuskoht", "Analüütik"),
            ("Vahetu juht", "Peadirektor"), ("Ametikoha grupp", "Ametnik"), ("Teenistuskoha eesmärk", "")]
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text = label
        merged = row.cells[1].merge(row.cells[2])  # a value over two columns
        merged.text = value
    purpose = table.rows[4].cells[1].paragraphs[0]
    purpose.add_run("Andmete koondamine ja ana\u00adlüüsimine.")
    purpose.add_run().add_break()
    purpose.add_run("Teine rida.")
    doc.add_heading("2. Peamised teenistusülesanded", level=1)
    _numbered(doc, "Statistika koondamine.")
    doc.add_paragraph("Statistika on koondatud.")
    _numbered(doc, "Aruannete koostamine.")
    p = doc.add_paragraph("Aruanded on ")
    p._p.append(parse_xml(f'<w:del {W_NS} w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">'
                          '<w:r><w:delText>hilinenud</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {W_NS} w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z">'
                          '<w:r><w:t>koostatud</w:t></w:r></w:ins>'))
    p.add_run(".")
    doc.add_heading("3. Teenistuskoha täitjale esitatavad nõuded", level=1)
    doc.add_paragraph("Haridus: Kõrgharidus.")
    doc.save(path)
    return path


def _number_lists_as_duties(path: Path) -> None:
    """python-docx's "List Number" counts 1, 2, ...: make its level print "2.%1." as a duty list does."""
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    numbering = files["word/numbering.xml"].decode()
    numbering = numbering.replace('w:val="%1."', 'w:val="2.%1."')
    files["word/numbering.xml"] = numbering.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)


def test_word_with_headings_numbering_merged_cells_and_tracked_changes(tmp_path):
    project = empty_project(tmp_path / "p")
    source = _headings_layout(tmp_path / "analyytik.docx")
    _number_lists_as_duties(source)
    run = cli(project, "import", "ametijuhend", str(source))
    assert "jälgitud muudatusi" in run.stdout
    text = (project / "definitions/ametikohad/analuutik.yaml").read_text(encoding="utf-8")
    assert "vahetu_juht: asutuse-juht" in text
    assert "analüüsimine" in text and "\u00ad" not in text  # soft hyphen gone
    defs = load_definitions(project / "definitions", project)  # the file reads back
    post = defs.posts["analuutik"]
    assert post.purpose.value == "Andmete koondamine ja analüüsimine. Teine rida."
    assert [d.text.value for d in post.duties] == ["Statistika koondamine.", "Aruannete koostamine."]
    assert post.duties[1].results[0].value == "Aruanded on koostatud."  # accepted, not "hilinenud"
    assert post.requirements["haridus"].value == "Kõrgharidus."


# --- (c) PDF --------------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_pdf_of_a_built_annex_imports_to_the_same_text(example_word, tmp_path):
    from kaskkiri_builder.convert import convert_to_pdf

    annex = example_word / "lisa-10-noustaja-10.docx"
    (pdf,) = convert_to_pdf([annex], tmp_path / "pdf")
    project = empty_project(tmp_path / "p", clauses=True)
    cli(project, "import", "ametijuhend", str(pdf))
    defs = load_definitions(project / "definitions", project)
    post = defs.posts["noustaja"]
    assert post.group.value == "ametnik" and len(post.duties) == 12
    assert post.duties[-1].clause_id == "ulesanne-uhekordsed"
    assert post.requirements["isikuomadused"].value == "Hoolivus, asjatundlikkus, koostöövõime, uuendusmeelsus"


# --- (d) bad input --------------------------------------------------------------------------------


def _scanned_pdf(path: Path) -> Path:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    with path.open("wb") as f:
        w.write(f)
    return path


@pytest.mark.parametrize("name, content, expect", [
    ("kiri.txt", "Lugupeetud adressaat\nTänan kirja eest.\n", "Üldosa"),
    ("katki.docx", "see ei ole zip", "katki"),
    ("parool.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "parooliga"),
    ("skann.pdf", None, "tekstikihti"),
    ("tabel.xlsx", "x", "failitüüpi"),
])
def test_bad_input_is_refused_naming_the_file_and_nothing_is_written(tmp_path, name, content, expect):
    project = empty_project(tmp_path / "p")
    path = tmp_path / name
    if content is None:
        _scanned_pdf(path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    good = tmp_path / "hea.txt"
    good.write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    before = tree(project)
    run = cli(project, "import", "ametijuhend", str(good), str(path), code=2)
    assert name in run.stderr and expect in run.stderr, run.stderr
    assert tree(project) == before

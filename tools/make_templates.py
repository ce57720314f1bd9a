"""Writes templates/kaskkiri.docx and templates/ametijuhend.docx.

The templates are ordinary Word files with docxtpl (Jinja) tags: an HR specialist may open and
restyle them in Word or LibreOffice. This script made the first version; after that the .docx
files are the source, edited by hand. Run it only to start over:
    .venv/bin/python tools/make_templates.py
Font: Calibri (LibreOffice substitutes the metric-compatible Carlito, so page breaks hold).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Calibri"
ROOT = Path(__file__).resolve().parent.parent / "templates"


def base_document(letterhead: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    # The draft mark: on every page of a draft, absent in a recorded directive.
    header = section.header.paragraphs[0]
    if letterhead:
        name = header.add_run("{{ asutus }}")
        name.bold = True
        name.font.size = Pt(12)
        header = section.header.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = header.add_run("{% if eelnou %}EELNÕU{% endif %}")
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    return doc


def para(doc_or_cell, text: str = "", *, bold=False, size=None, align=None, space_after=None):
    p = doc_or_cell.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    return p


def cell_text(cell, text: str, *, bold=False):
    """Put `text` as the cell's only paragraph (python-docx cells start with one empty one)."""
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.bold = bold
    return p


def shade(cell, fill="D9D9D9"):
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def widths(table, *cms):
    """Column widths in the grid (what LibreOffice reads) and in every cell (what Word reads)."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), cms, strict=True):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, cms, strict=True):
            cell.width = Cm(w)


def loop_table(doc, header: tuple[str, str] | None, loop: str, left: str, right_lines: list[str],
               end="{%tr endfor %}", left_bold=False, right_loop=None, cols=(4.5, 12.0)):
    """A two-column table whose body row repeats: header row, {%tr for %}, body, {%tr endfor %}."""
    rows = (1 if header else 0) + 3
    table = doc.add_table(rows=rows, cols=2)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    i = 0
    if header:
        for c, text in zip(table.rows[0].cells, header, strict=True):
            cell_text(c, text, bold=True)
            shade(c)
        i = 1
    cell_text(table.rows[i].cells[0], loop)
    body = table.rows[i + 1].cells
    cell_text(body[0], left, bold=left_bold)
    if right_loop:
        cell_text(body[1], right_loop[0])
        for line in right_lines:
            body[1].add_paragraph(line)
        body[1].add_paragraph(right_loop[1])
    else:
        cell_text(body[1], right_lines[0])
    cell_text(table.rows[i + 2].cells[0], end)
    widths(table, *cols)
    return table


def directive_template() -> Document:
    doc = base_document(letterhead=True)
    para(doc, "{{ liik }}", bold=True, size=12)
    para(doc, "{{ kuupaev_nr }}", space_after=18)
    para(doc, "{{ pealkiri }}", bold=True, space_after=12)
    para(doc, "{{ preambul }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6)
    para(doc, "{%p for punkt in punktid %}")
    para(doc, "{{ punkt.nr }} {{ punkt.tekst }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=3)
    para(doc, "{%p for alampunkt in punkt.alampunktid %}")
    para(doc, "{{ alampunkt }}").paragraph_format.left_indent = Cm(0.6)
    para(doc, "{%p endfor %}")
    para(doc, "{%p for loik in punkt.loigud %}")
    para(doc, "{{ loik }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=3)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")
    para(doc, "", space_after=18)
    para(doc, "{%p for rida in allkiri %}")
    para(doc, "{{ rida }}")
    para(doc, "{%p endfor %}")
    return doc


def annex_template() -> Document:
    doc = base_document()
    para(doc, "{%p for rida in pealdis %}")
    para(doc, "{{ rida }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "{%p endfor %}")
    title = para(doc, "AMETIJUHEND", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    title.paragraph_format.space_before = Pt(12)
    para(doc, "1. Üldosa", bold=True, space_after=4)
    loop_table(doc, None, "{%tr for rida in uldosa %}", "{{ rida.silt }}", ["{{ rida.vaartus }}"], left_bold=True)
    para(doc, "", space_after=6)
    loop_table(
        doc,
        ("2. Peamised teenistusülesanded", "Oodatavad tulemused"),
        "{%tr for ylesanne in ulesanded %}",
        "{{ ylesanne.nr }} {{ ylesanne.tekst }}",
        ["{{ tulemus }}"],
        right_loop=("{%p for tulemus in ylesanne.tulemused %}", "{%p endfor %}"),
        cols=(8.25, 8.25),
    )
    para(doc, "", space_after=6)
    para(doc, "3. Teenistuskoha täitjale esitatavad nõuded", bold=True, space_after=4)
    loop_table(doc, None, "{%tr for rida in nouded %}", "{{ rida.silt }}", ["{{ rida.vaartus }}"], left_bold=True)
    para(doc, "", space_after=6)
    para(doc, "4. Õigused ja vastutus", bold=True, space_after=4)
    loop_table(
        doc,
        None,
        "{%tr for rida in oigused_ja_vastutus %}",
        "{{ rida.silt }}",
        ["{{ punkt }}"],
        left_bold=True,
        right_loop=("{%p for punkt in rida.punktid %}", "{%p endfor %}"),
    )
    para(doc, "", space_after=6)
    para(doc, "{{ lopurida }}")
    return doc


def main() -> None:
    ROOT.mkdir(exist_ok=True)
    directive_template().save(ROOT / "kaskkiri.docx")
    annex_template().save(ROOT / "ametijuhend.docx")
    print(f"wrote {ROOT / 'kaskkiri.docx'} and {ROOT / 'ametijuhend.docx'}")


if __name__ == "__main__":
    main()

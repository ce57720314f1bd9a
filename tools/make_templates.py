"""Writes templates/kaskkiri.docx, templates/ametijuhend.docx and the placeholder templates/logo.png.

The templates are ordinary Word files with docxtpl (Jinja) tags: an HR specialist may open and
restyle them in Word or LibreOffice (docs/mallid.md). The committed .docx files are the source;
this script wrote them and writes them again when its layout changes:
    .venv/bin/python tools/make_templates.py
The layout is an Estonian agency's: the letterhead (logo, name) and the contacts footer on the
directive's first page, the kind and the date and number on one line, text left-aligned, page
numbers "1 (3)" in the footer of every page, the annexes' tables with rows that are never split
and the duties table's header row repeated on each page.
Font: Calibri (LibreOffice substitutes the metric-compatible Carlito, so page breaks hold).
"""

from __future__ import annotations

import struct
import zlib
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
GREY = RGBColor(0x59, 0x59, 0x59)
TEXT_WIDTH = 16.5  # cm: A4 less the 3.0 cm and 1.5 cm margins


def base_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
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
    return doc


def draft_mark(paragraph) -> None:
    """The draft mark: on every page of a draft, absent in a recorded directive."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run("{% if eelnou %}EELNÕU{% endif %}")
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def field(paragraph, instruction: str, shown: str, size: float) -> None:
    """A Word field (PAGE, NUMPAGES) with the value shown until the document is laid out."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    rpr.append(sz)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def page_number(paragraph, size: float = 10) -> None:
    """"1 (3)": this page's number and, in brackets, the document's page count."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    field(paragraph, "PAGE", "1", size)
    paragraph.add_run(" (").font.size = Pt(size)
    field(paragraph, "NUMPAGES", "1", size)
    paragraph.add_run(")").font.size = Pt(size)


def styled(run, *, bold=False, size=None, color=None):
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return run


def para(doc_or_cell, text: str = "", *, bold=False, size=None, align=None, space_after=None,
         keep_with_next=False, color=None):
    p = doc_or_cell.add_paragraph()
    if text:
        styled(p.add_run(text), bold=bold, size=size, color=color)
    if align is not None:
        p.alignment = align
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    if keep_with_next:
        p.paragraph_format.keep_with_next = True
    return p


def cell_text(cell, text: str, *, bold=False, size=None, align=None, color=None):
    """Put `text` as the cell's first paragraph (python-docx cells start with one empty one)."""
    p = cell.paragraphs[0]
    styled(p.add_run(text), bold=bold, size=size, color=color)
    if align is not None:
        p.alignment = align
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


def row_flags(row, *, header: bool = False) -> None:
    """A row is never split over two pages; a header row is repeated at the top of each page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def flush(table) -> None:
    """A layout table without borders: no cell margins left and right, so that its text lines up
    with the page's margins like the paragraphs around it."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        el = OxmlElement(side)
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


def top_border(table, color="808080") -> None:
    """Only a thin line above the table (the footer's contacts)."""
    borders = OxmlElement("w:tblBorders")
    top = OxmlElement("w:top")
    for attr, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", color)):
        top.set(qn(attr), value)
    borders.append(top)
    table._tbl.tblPr.append(borders)


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
        row_flags(table.rows[0], header=True)
        i = 1
    cell_text(table.rows[i].cells[0], loop)
    body = table.rows[i + 1].cells
    row_flags(table.rows[i + 1])
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


# --- the directive --------------------------------------------------------------------------------


def last_paragraph(part, paragraph) -> None:
    """A header or footer ends with a paragraph after its table (Word's rule): a 1 pt one."""
    part._element.append(paragraph._p)  # moved to the end
    paragraph.paragraph_format.line_spacing = Pt(1)
    mark = paragraph._p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "2")
    rpr.append(sz)
    mark.append(rpr)


def letterhead(header) -> None:
    """First page: the logo and the agency's name on the left, the draft mark on the right."""
    table = header.add_table(rows=1, cols=2, width=Cm(TEXT_WIDTH))
    left, right = table.rows[0].cells
    cell_text(left, "{%p if logo %}")
    left.add_paragraph("{{ logo }}")
    left.add_paragraph("{%p endif %}")
    para(left, "{{ asutus }}", bold=True, size=12, space_after=12)
    draft_mark(right.paragraphs[0])
    widths(table, 11.0, TEXT_WIDTH - 11.0)
    flush(table)
    last_paragraph(header, header.paragraphs[0])


def contacts_footer(footer) -> None:
    """First page: the page number, then the agency's contacts in three columns under a line."""
    page_number(footer.paragraphs[0])
    table = footer.add_table(rows=1, cols=3, width=Cm(TEXT_WIDTH))
    top_border(table)
    flush(table)
    small = {"size": 8, "color": GREY}
    name, phone, web = table.rows[0].cells
    cell_text(name, "{{ asutus }}", bold=True, **small)
    para(name, "{{ kirjaplank.aadress }}", **small)
    cell_text(phone, "{% if kirjaplank.telefon %}Tel {{ kirjaplank.telefon }}{% endif %}", **small)
    para(phone, "{{ kirjaplank.e_post }}", **small)
    cell_text(web, "{{ kirjaplank.koduleht }}", align=WD_ALIGN_PARAGRAPH.RIGHT, **small)
    para(web, "{% if kirjaplank.registrikood %}Registrikood {{ kirjaplank.registrikood }}{% endif %}",
         align=WD_ALIGN_PARAGRAPH.RIGHT, **small)
    widths(table, 6.5, 5.0, TEXT_WIDTH - 11.5)
    last_paragraph(footer, footer.add_paragraph())


def kind_and_number(doc) -> None:
    """"KÄSKKIRI" on the left and the date and number on the right, on one line."""
    table = doc.add_table(rows=1, cols=2)
    kind, number = table.rows[0].cells
    cell_text(kind, "{{ liik }}", bold=True, size=12)
    cell_text(number, "{{ kuupaev_nr }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    widths(table, 8.0, TEXT_WIDTH - 8.0)
    flush(table)


def directive_template() -> Document:
    doc = base_document()
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    letterhead(section.first_page_header)
    contacts_footer(section.first_page_footer)
    draft_mark(section.header.paragraphs[0])
    page_number(section.footer.paragraphs[0])
    kind_and_number(doc)
    para(doc, "", space_after=18)
    para(doc, "{{ pealkiri }}", bold=True, space_after=12)
    para(doc, "{{ preambul }}", space_after=6)
    para(doc, "{%p for punkt in punktid %}")
    para(doc, "{{ punkt.nr }} {{ punkt.tekst }}", space_after=3)
    para(doc, "{%p for alampunkt in punkt.alampunktid %}")
    para(doc, "{{ alampunkt }}").paragraph_format.left_indent = Cm(0.6)
    para(doc, "{%p endfor %}")
    para(doc, "{%p for loik in punkt.loigud %}")
    para(doc, "{{ loik }}", space_after=3)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")
    para(doc, "", space_after=18)
    para(doc, "{%p for rida in allkiri %}")
    para(doc, "{{ rida }}")
    para(doc, "{%p endfor %}")
    return doc


# --- the annex ------------------------------------------------------------------------------------


def annex_template() -> Document:
    doc = base_document()
    section = doc.sections[0]
    draft_mark(section.header.paragraphs[0])
    page_number(section.footer.paragraphs[0])
    para(doc, "{%p for rida in pealdis %}")
    para(doc, "{{ rida }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "{%p endfor %}")
    title = para(doc, "AMETIJUHEND", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    title.paragraph_format.space_before = Pt(12)
    para(doc, "1. Üldosa", bold=True, space_after=4, keep_with_next=True)
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
    para(doc, "3. Teenistuskoha täitjale esitatavad nõuded", bold=True, space_after=4, keep_with_next=True)
    loop_table(doc, None, "{%tr for rida in nouded %}", "{{ rida.silt }}", ["{{ rida.vaartus }}"], left_bold=True)
    para(doc, "", space_after=6)
    para(doc, "4. Õigused ja vastutus", bold=True, space_after=4, keep_with_next=True)
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


# --- the placeholder logo -------------------------------------------------------------------------


def placeholder_logo(width: int = 300, height: int = 120) -> bytes:
    """A neutral stand-in for the agency's logo: a grey frame with a cross, as a PNG (no Pillow)."""
    rows = []
    for y in range(height):
        row = bytearray()
        for x in range(width):
            frame = x < 4 or y < 4 or x >= width - 4 or y >= height - 4
            on_cross = abs(x * height - y * width) < 2 * width or abs(x * height - (height - 1 - y) * width) < 2 * width
            row.append(0x80 if frame or on_cross else 0xEE)
        rows.append(b"\x00" + bytes(row))  # filter type 0 per row

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def main() -> None:
    ROOT.mkdir(exist_ok=True)
    directive_template().save(ROOT / "kaskkiri.docx")
    annex_template().save(ROOT / "ametijuhend.docx")
    (ROOT / "logo.png").write_bytes(placeholder_logo())
    print(f"wrote {ROOT / 'kaskkiri.docx'}, {ROOT / 'ametijuhend.docx'} and {ROOT / 'logo.png'}")


if __name__ == "__main__":
    main()

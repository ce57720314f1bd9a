"""Reading a file into `source.Line`s: register text, Word (.docx), PDF with a text layer.

Word: paragraphs and table cells in document order, each cell paragraph with its column; the
numbers of automatically numbered paragraphs are computed from numbering.xml (Word shows them,
the XML holds only the list and level); tracked changes are taken as accepted (insertions kept,
deletions dropped) and the report says so; soft hyphens are removed; a merged cell is read once;
a line break inside a cell starts a new line. PDF: pdfplumber's tables (rows and columns) and
the text outside them, page by page. A file that cannot be read raises `NotAJobDescription`
with the file (and page) named.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import Problem
from .parse import NotAJobDescription
from .source import Line, Origin, Source

SOFT_HYPHEN = "\u00ad"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _attr(el: Any, name: str = "val", default: str = "") -> str:
    """A w: attribute of an element that may be missing."""
    value = el.get(f"{W}{name}") if el is not None else None
    return value if value is not None else default


def _clean(text: str) -> str:
    return text.replace(SOFT_HYPHEN, "").replace("\u00a0", " ").replace("\u200b", "")


def read_source(path: Path) -> Source:
    if not path.is_file():
        raise NotAJobDescription(Problem("faili ei ole.", str(path)))
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix in (".txt", ".text", ""):
        return read_text(path)
    raise NotAJobDescription(Problem(
        f"failitüüpi {suffix} ei saa importida: anna Wordi fail (.docx), tekstikihiga PDF või "
        "registri tekst (.txt). Vana .doc-faili salvesta Wordis või LibreOffice'is .docx-ina.", str(path)))


def read_sources(path: Path) -> list[Source]:
    """The documents a file holds: a PDF's bookmarks split it (a combined signing PDF), any
    other file is one."""
    if path.is_file() and path.suffix.lower() == ".pdf":
        return read_pdf_documents(path)
    return [read_source(path)]


def read_text(path: Path) -> Source:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise NotAJobDescription(Problem("fail ei ole UTF-8 tekst: salvesta see UTF-8 kodeeringus.",
                                         str(path))) from None
    name = path.name
    lines = tuple(Line(_clean(t), Origin(name, line=i)) for i, t in enumerate(text.splitlines(), start=1) if t.strip())
    return Source(name, lines)


# --- Word ---------------------------------------------------------------------------------------


class _Numbering:
    """Word's automatic numbering: numId + level -> the number shown ("2.3.")."""

    def __init__(self, xml: bytes | None):
        from lxml import etree

        self.formats: dict[str, dict[int, tuple[str, int, str]]] = {}  # numId -> ilvl -> (lvlText, start, fmt)
        self.counters: dict[str, list[int]] = {}
        if not xml:
            return
        root = etree.fromstring(xml)
        abstract: dict[str, dict[int, tuple[str, int, str]]] = {}
        for a in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in a.iter(f"{W}lvl"):
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                fmt = lvl.find(f"{W}numFmt")
                levels[int(_attr(lvl, "ilvl", "0"))] = (
                    _attr(text), int(_attr(start, default="1")), _attr(fmt, default="decimal"))
            abstract[_attr(a, "abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.formats[_attr(num, "numId")] = abstract.get(_attr(ref), {})

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.formats.get(num_id)
        if not levels or num_id == "0":
            return ""
        counts = self.counters.setdefault(num_id, [levels.get(i, ("", 1, ""))[1] - 1 for i in range(9)])
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = levels.get(deeper, ("", 1, ""))[1] - 1
        text, _, fmt = levels.get(ilvl, ("", 1, "decimal"))
        if fmt == "bullet":
            return ""
        return re.sub(r"%(\d)", lambda m: str(counts[int(m.group(1)) - 1]), text)


def _para_text(p: Any, notes: set[str]) -> list[str]:
    """A paragraph's text with tracked changes accepted; a line break starts a new line."""
    parts: list[str] = [""]
    deleted = False  # the paragraph has deleted text: look up each text's ancestors
    for el in p.iter():
        tag = el.tag
        if tag in (f"{W}del", f"{W}moveFrom"):
            notes.add("del")
            deleted = True
        elif tag in (f"{W}ins", f"{W}moveTo"):
            notes.add("ins")
        if tag == f"{W}t":
            if deleted and any(a.tag in (f"{W}del", f"{W}moveFrom") for a in el.iterancestors()):
                continue
            parts[-1] += el.text or ""
        elif tag == f"{W}tab":
            parts[-1] += " "
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("")
        elif tag == f"{W}softHyphen":
            continue
        elif tag == f"{W}noBreakHyphen":
            parts[-1] += "-"
    return [_clean(t) for t in parts]


def _num(p: Any, numbering: _Numbering, styles: Mapping[str, tuple[str, int]]) -> str:
    ppr = p.find(f"{W}pPr")
    num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
    num_id, ilvl = None, 0
    if num_pr is not None:
        nid = num_pr.find(f"{W}numId")
        lvl = num_pr.find(f"{W}ilvl")
        num_id = _attr(nid) or None
        ilvl = int(_attr(lvl, default="0"))
    elif ppr is not None and ppr.find(f"{W}pStyle") is not None:
        style = _attr(ppr.find(f"{W}pStyle"))
        if style in styles:
            num_id, ilvl = styles[style]
    return numbering.label(num_id, ilvl) if num_id else ""


@lru_cache(maxsize=8)
def _numbered_styles(xml: bytes) -> Mapping[str, tuple[str, int]]:
    """Paragraph styles that number their paragraphs: style id -> (numId, level). A template's
    styles.xml is large (300 KB) and the same in all of an agency's files: read once."""
    from lxml import etree

    styles: dict[str, tuple[str, int]] = {}
    for st in etree.fromstring(xml).iter(f"{W}style"):
        np_ = st.find(f"{W}pPr/{W}numPr")
        if np_ is not None and np_.find(f"{W}numId") is not None:
            styles[_attr(st, "styleId")] = (_attr(np_.find(f"{W}numId")),
                                            int(_attr(np_.find(f"{W}ilvl"), default="0")))
    return styles


def read_docx(path: Path) -> Source:
    from lxml import etree

    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise NotAJobDescription(Problem("see ei ole Wordi dokument (.docx): word/document.xml puudub.", name))
            document = z.read("word/document.xml")
            numbering_xml = z.read("word/numbering.xml") if "word/numbering.xml" in names else None
            # paragraph styles matter only to paragraphs that name one: skip a large part unread
            styles_xml = z.read("word/styles.xml") if "word/styles.xml" in names and b"pStyle" in document \
                else None
    except zipfile.BadZipFile:
        head = path.read_bytes()[:8]
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise NotAJobDescription(Problem(
                "fail on parooliga kaitstud (krüpteeritud) või vana .doc-vormingus Wordi fail: ava see "
                "Wordis, eemalda parool (Fail > Teave > Kaitse dokumenti) ja salvesta .docx-ina.", name)) from None
        raise NotAJobDescription(Problem("fail on katki: see ei ole loetav .docx (zip) fail.", name)) from None
    part = "word/document.xml"
    try:
        body = etree.fromstring(document).find(f"{W}body")
        part = "word/numbering.xml"
        numbering = _Numbering(numbering_xml)
        part = "word/styles.xml"
        styles = _numbered_styles(styles_xml) if styles_xml else {}
    except etree.XMLSyntaxError as exc:
        raise NotAJobDescription(Problem(f"fail on katki: {part} ei ole loetav ({exc}).", name)) from None
    notes: set[str] = set()
    lines: list[Line] = []
    table_no = 0
    for el in (body if body is not None else []):
        if el.tag == f"{W}p":
            number = _num(el, numbering, styles)
            texts = _para_text(el, notes)
            if number and texts and texts[0].strip():
                texts[0] = f"{number} {texts[0].lstrip()}"
            lines += [Line(t, Origin(name, line=None)) for t in texts if t.strip()]
        elif el.tag == f"{W}tbl":
            table_no += 1
            lines += _table(el, name, table_no, numbering, styles, notes)
    found = []
    for note in sorted(n for n in notes if n.startswith("vmerge\x00")):
        found.append(f"{name}, {note.split(chr(0))[1]}: üle mitme rea ühendatud lahtri tekst võeti ka sellele "
                     "reale, sest rida alustab oma punkti (näiteks ühised oodatavad tulemused). Kontrolli.")
    if notes & {"del", "ins"}:
        found.append(f"{name}: failis on jälgitud muudatusi; võeti vastuvõetud tekst (lisatud tekst jäi, "
                     "kustutatud tekst jäi välja).")
    return Source(name, tuple(lines), tuple(found))


def _table(tbl: Any, name: str, table_no: int, numbering: _Numbering, styles: Mapping[str, tuple[str, int]],
           notes: set[str]) -> list[Line]:
    """A table's cells row by row. A vertically merged cell (w:vMerge) is read once where it
    starts, except a value cell merged over rows that each open their own item (one "Oodatavad
    tulemused" cell for two duties): its text belongs to each, so it is repeated, and reported."""
    rows: list[tuple[Origin, list[tuple[int, list[str]]]]] = []  # each row's cells: (grid column, lines)
    merged: dict[int, list[str]] = {}  # grid column -> the text of the merged cell that starts there
    for r, tr in enumerate(tbl.findall(f"{W}tr"), start=1):
        column = 0
        opens = False  # the row's first cell has its own text: the row opens an item
        origin = Origin(name, table=table_no, row=r)
        cells: list[tuple[int, list[str]]] = []
        for tc in tr.findall(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span = 1
            vmerge = None
            if tcpr is not None:
                gs = tcpr.find(f"{W}gridSpan")
                span = int(_attr(gs, default="1"))
                vm = tcpr.find(f"{W}vMerge")
                vmerge = (_attr(vm) or "continue") if vm is not None else None
            if vmerge == "continue":  # the cell above holds the text
                repeated = column > 0 and opens and bool(merged.get(column))
                cells.append((column, list(merged[column]) if repeated else []))
                if repeated:
                    notes.add(f"vmerge\x00{origin.short()}")
                column += span
                continue
            texts_of_cell: list[str] = []
            for p in tc.iter(f"{W}p"):
                number = _num(p, numbering, styles)
                texts = _para_text(p, notes)
                if number and texts and texts[0].strip():
                    texts[0] = f"{number} {texts[0].lstrip()}"
                elif number and not any(t.strip() for t in texts):
                    texts = [number]  # an automatically numbered empty paragraph: a number column
                texts_of_cell += [t for t in texts if t.strip()]
            cells.append((column, texts_of_cell))
            if column == 0:
                opens = bool(texts_of_cell)
            if vmerge == "restart":
                merged[column] = texts_of_cell
            column += span
        rows.append((origin, cells))
    numbered = _numbered([[" ".join(texts) for _, texts in cells] for _, cells in rows])
    out: list[Line] = []
    for origin, cells in rows:
        row_no = _row_number([" ".join(texts) for _, texts in cells]) if numbered else None
        if row_no is not None:
            (_, first), *rest = cells[1:]
            out += [Line(t, origin, 0, (row_no or None) if i == 0 else None) for i, t in enumerate(first)]
            out += [Line(t, origin, 1) for _, texts in rest for t in texts]
            continue
        out += [Line(t, origin, min(column, 1)) for column, texts in cells for t in texts]
    return out


_NUMBER_CELL = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?$")  # "2.1.", "2.1", "1.", "12"
_NUMBER_HEADER = re.compile(r"^(?:nr\.?|jrk\.?(?:\s*nr\.?)?|)$", re.IGNORECASE)  # "Nr", "Jrk nr" or empty


def _numbered(rows: Sequence[Sequence[str]]) -> bool:
    """A table with a leading number column (number | duty | results): rows of three or more
    cells whose first holds only a number. Its other columns are then read as if it had none."""
    return any(len(r) >= 3 and _NUMBER_CELL.match(r[0].strip()) for r in rows)


def _row_number(cells: Sequence[str]) -> str | None:
    """In a numbered table: the row's number ("" for a header or a row the number does not
    open), or None when the row is not of the numbered layout (fewer than three cells, or its
    first cell holds text: read as usual)."""
    if len(cells) < 3:
        return None
    first = cells[0].strip()
    if _NUMBER_CELL.match(first):
        return first
    return "" if _NUMBER_HEADER.match(first) else None


# --- PDF ------------------------------------------------------------------------------------------


@dataclass
class _PdfTable:
    """A table as pdfplumber found it on one page; a continuation on the next page is joined to it."""

    number: int
    page: int
    columns: tuple[float, ...]  # the left edge of each column
    rows: list[list[str]]  # each row's cells' text ("" for an empty or merged cell)
    pages: list[int]  # each row's page


def _columns(table: Any) -> tuple[float, ...]:
    edges = sorted({round(c[0]) for row in table.rows for c in row.cells if c is not None})
    return tuple(float(e) for e in edges)


def read_pdf(path: Path) -> Source:
    """A PDF as one document (its bookmarks are not looked at)."""
    return _read_pdf(path, split=False)[0]


def read_pdf_documents(path: Path) -> list[Source]:
    """A PDF as the documents its bookmarks (outline) mark: a combined signing PDF (the directive
    and each annex, one bookmark each) gives one `Source` per bookmark, a table never joined over
    a document's end. A PDF with fewer than two top-level bookmarks is one document."""
    return _read_pdf(path, split=True)


def _outline(path: Path) -> list[tuple[str, int, float | None]]:
    """The top-level bookmarks in page order: (title, 1-based page, top in pdfplumber's terms
    or None for the page's top). A damaged outline is ignored: the headings split then."""
    import pypdf

    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            return []
        out = []
        for item in reader.outline:
            if isinstance(item, list):  # a bookmark's children: parts of that document
                continue
            page = reader.get_destination_page_number(item)
            if page is None or page < 0:
                continue
            top = None
            y = item.get("/Top")
            if y is not None and not isinstance(y, pypdf.generic.NullObject):
                top = float(reader.pages[page].mediabox.top) - float(y)
            out.append((str(item.title or "").strip(), page + 1, top))
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on a damaged outline
        return []
    return sorted(out, key=lambda b: (b[1], b[2] or 0.0))


def _read_pdf(path: Path, split: bool) -> list[Source]:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - a dependency
        raise NotAJobDescription(Problem("PDF-i lugemiseks on vaja paketti pdfplumber (pip install pdfplumber).",
                                         path.name)) from None
    name = path.name
    bookmarks = _outline(path) if split else []
    if len(bookmarks) < 2:
        bookmarks = []
    items: list[tuple[tuple[int, float], Line | _PdfTable]] = []  # text lines and tables in reading order
    table_no = 0
    try:
        with pdfplumber.open(path) as pdf:
            empty_pages = 0
            for page_no, page in enumerate(pdf.pages, start=1):
                tables = page.find_tables()
                boxes = [t.bbox for t in tables]

                def outside(obj: dict[str, Any], boxes: list[Any] = boxes) -> bool:
                    x = (obj["x0"] + obj["x1"]) / 2
                    y = (obj["top"] + obj["bottom"]) / 2
                    return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

                on_page: list[tuple[float, Line | _PdfTable]] = []
                rest = page.filter(outside)
                for tl in rest.extract_text_lines():
                    if _clean(tl["text"]).strip():
                        on_page.append((tl["top"], Line(_clean(tl["text"]), Origin(name, page=page_no))))
                for t in tables:
                    table_no += 1
                    rows = [[_clean(c or "") for c in row] for row in t.extract()]
                    rows = [r for r in rows if any(c.strip() for c in r)]
                    if rows:
                        on_page.append((t.bbox[1], _PdfTable(table_no, page_no, _columns(t), rows,
                                                             [page_no] * len(rows))))
                if not on_page:
                    empty_pages += 1
                items += [((page_no, top), it) for top, it in sorted(on_page, key=lambda it: it[0])]
            if pdf.pages and empty_pages == len(pdf.pages):
                raise NotAJobDescription(Problem(
                    "PDF-is pole tekstikihti (skannitud pilt?): teksti ei saa lugeda. Anna algne Wordi fail "
                    "või tekstikihiga PDF (tekstituvastusega, OCR).", f"{name}, lk 1"))
    except NotAJobDescription:
        raise
    except PDFPasswordIncorrect:
        raise NotAJobDescription(Problem("PDF on parooliga kaitstud: eemalda parool ja proovi uuesti.", name)) from None
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise NotAJobDescription(Problem(f"PDF on katki või loetamatu ({type(exc).__name__}).", name)) from None
    if not bookmarks:
        return [Source(name, tuple(_pdf_lines(name, _join_continued([it for _, it in items]))))]
    # each bookmark's document: the items from its place up to the next bookmark's
    starts = [(page, top if top is not None else float("-inf")) for _, page, top in bookmarks]
    groups: list[list[Line | _PdfTable]] = [[] for _ in bookmarks]
    ahead: list[Line | _PdfTable] = []  # before the first bookmark: part of the first document
    for place, it in items:
        k = sum(1 for s in starts if s <= (place[0], place[1] + 0.5)) - 1
        (groups[k] if k >= 0 else ahead).append(it)
    groups[0][:0] = ahead
    out: list[Source] = []
    first_table = 1  # the tables are numbered through the file, as the report names them
    for (title, _, _), group in zip(bookmarks, groups, strict=True):
        joined = _join_continued(group)
        if joined:
            out.append(Source(name, tuple(_pdf_lines(name, joined, first_table)), title=title or None))
            first_table += sum(1 for it in joined if isinstance(it, _PdfTable))
    return out


_END = (".", "!", "?", ";", ":")
_ELIDED = re.compile(r"^(ja|või|ning|ega|kui|,)\b")  # "sotsiaal- ja": the hyphen ends a word part


def _paragraphs(lines: list[str]) -> list[str]:
    """A PDF cell's visual lines as the paragraphs they were: a line that does not end a sentence
    (or a list item, ";") wraps into the next. A word hyphenated at the line end ("avalik-" +
    "õiguslike") is joined without a space, unless the next word shows an elided compound
    ("sotsiaal-" + "ja vaimse")."""
    out: list[str] = []
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and not out[-1].endswith(_END):
            joiner = "" if out[-1].endswith("-") and not _ELIDED.match(line) else " "
            out[-1] = out[-1] + joiner + line
        else:
            out.append(line)
    return out


def _continues(prev: _PdfTable, table: _PdfTable) -> bool:
    """`table` goes on with `prev`: it opens its page, `prev` closed the page before, and they
    have the same columns (a table the page break cut, as Word and LibreOffice break them)."""
    return (table.page == prev.pages[-1] + 1 and len(table.columns) == len(prev.columns)
            and all(abs(a - b) <= 3 for a, b in zip(table.columns, prev.columns, strict=True)))


def _join_continued(items: list[Line | _PdfTable]) -> list[Line | _PdfTable]:
    """Tables cut by a page break, put back together: a repeated header row (the first row
    again) is dropped; a row the break cut (its first cell empty on the new page, or going on
    in lower case mid-sentence) is joined to the row above, cell by cell; the other rows follow."""
    out: list[Line | _PdfTable] = []
    for item in items:
        prev = out[-1] if out else None
        if not (isinstance(item, _PdfTable) and isinstance(prev, _PdfTable) and _continues(prev, item)):
            out.append(item)
            continue
        rows, pages = list(item.rows), list(item.pages)
        if rows and [c.strip() for c in rows[0]] == [c.strip() for c in prev.rows[0]]:
            rows, pages = rows[1:], pages[1:]
        if rows and len(rows[0]) == len(prev.rows[-1]):
            first, last = rows[0], prev.rows[-1]
            opening = first[0].strip()
            cut = not opening or opening[0].islower()  # a label or a numbered item opens upper case
            if cut:
                prev.rows[-1] = [f"{a}\n{b}" if a.strip() and b.strip() else a + b
                                 for a, b in zip(last, first, strict=True)]
                rows, pages = rows[1:], pages[1:]
        prev.rows += rows
        prev.pages += pages
    return out


def _pdf_lines(name: str, items: list[Line | _PdfTable], first_table: int = 1) -> list[Line]:
    lines: list[Line] = []
    tables = [it for it in items if isinstance(it, _PdfTable)]
    for n, table in enumerate(tables, start=first_table):
        table.number = n  # tables joined over a page break are one table
    for item in items:
        if isinstance(item, Line):
            lines.append(item)
            continue
        numbered = _numbered(item.rows)
        for r, (row, page) in enumerate(zip(item.rows, item.pages, strict=True), start=1):
            origin = Origin(name, page=page, table=item.number, row=r)
            number = _row_number(row) if numbered else None
            if number is not None:  # number | duty | results: the number opens the duty
                texts = _paragraphs(row[1].splitlines())
                lines += [Line(t, origin, 0, (number or None) if i == 0 else None) for i, t in enumerate(texts)]
                lines += [Line(t, origin, 1) for cell in row[2:] for t in _paragraphs(cell.splitlines())]
                continue
            filled = [c for c in row if c.strip()]
            for col, cell in enumerate(row):
                if not cell.strip():
                    continue
                column = min(col, 1) if len(filled) > 1 or len(row) > 1 else None
                for text in _paragraphs(cell.splitlines()):
                    lines.append(Line(text, Origin(name, page=page, table=item.number, row=r), column))
    return lines

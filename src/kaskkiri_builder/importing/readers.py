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
from collections.abc import Mapping
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
    if notes:
        found.append(f"{name}: failis on jälgitud muudatusi; võeti vastuvõetud tekst (lisatud tekst jäi, "
                     "kustutatud tekst jäi välja).")
    return Source(name, tuple(lines), tuple(found))


def _table(tbl: Any, name: str, table_no: int, numbering: _Numbering, styles: Mapping[str, tuple[str, int]],
           notes: set[str]) -> list[Line]:
    out: list[Line] = []
    for r, tr in enumerate(tbl.findall(f"{W}tr"), start=1):
        column = 0
        for tc in tr.findall(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span = 1
            vmerge = None
            if tcpr is not None:
                gs = tcpr.find(f"{W}gridSpan")
                span = int(_attr(gs, default="1"))
                vm = tcpr.find(f"{W}vMerge")
                vmerge = (_attr(vm) or "continue") if vm is not None else None
            if vmerge == "continue":  # the cell above holds the text: read it once
                column += span
                continue
            origin = Origin(name, table=table_no, row=r)
            for p in tc.iter(f"{W}p"):
                number = _num(p, numbering, styles)
                texts = _para_text(p, notes)
                if number and texts and texts[0].strip():
                    texts[0] = f"{number} {texts[0].lstrip()}"
                out += [Line(t, origin, min(column, 1)) for t in texts if t.strip()]
            column += span
    return out


# --- PDF ------------------------------------------------------------------------------------------


def read_pdf(path: Path) -> Source:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - a dependency
        raise NotAJobDescription(Problem("PDF-i lugemiseks on vaja paketti pdfplumber (pip install pdfplumber).",
                                         path.name)) from None
    name = path.name
    lines: list[Line] = []
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

                items: list[tuple[float, list[Line]]] = []
                rest = page.filter(outside)
                for tl in rest.extract_text_lines():
                    items.append((tl["top"], [Line(_clean(tl["text"]), Origin(name, page=page_no))]))
                for t in tables:
                    table_no += 1
                    rows: list[Line] = []
                    for r, row in enumerate(t.extract(), start=1):
                        cells = [c for c in row if c is not None]
                        for col, cell in enumerate(cells):
                            for text in _clean(cell).splitlines():
                                if text.strip():
                                    rows.append(Line(text, Origin(name, page=page_no, table=table_no, row=r),
                                                     min(col, 1) if len(cells) > 1 else None))
                    items.append((t.bbox[1], rows))
                if not any(lns for _, lns in items):
                    empty_pages += 1
                for _, lns in sorted(items, key=lambda it: it[0]):
                    lines += lns
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
    return Source(name, tuple(_join_continued(lines)))


def _join_continued(lines: list[Line]) -> list[Line]:
    """A table row that continues on the next page starts without a label in its first column:
    its text is kept as the previous row's (the parser joins lines that carry no label)."""
    return lines

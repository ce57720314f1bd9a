"""Tracked changes between an approved annex and the one that replaces it.

The Word file is made by Docxodus (python-redlines): native w:ins/w:del that a reviewer accepts
or rejects in Word, computed offline by a comparer shipped inside the wheel. The review page
shows the same changes, read back from that file, so the page and the Word file cannot disagree.
When the comparer cannot run (no binary for this platform, a crash), the page still gets a
word-level difference computed here, and the reviewer is told why there is no Word file.

The heading lines that differ by nature (the approving directive's date and number, the annex
number) are made equal before comparing: the reviewer is after changes of substance.
"""

from __future__ import annotations

import difflib
import io
import re
import subprocess
import threading
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lxml import etree

from ..docx_text import docx_paragraphs

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
AUTHOR = "kaskkiri"
HEADING_SCAN = 15  # the heading is among the first paragraphs of the body

_INSERTED = {f"{W}ins", f"{W}moveTo"}
_DELETED = {f"{W}del", f"{W}moveFrom"}


@dataclass(frozen=True)
class Segment:
    kind: str  # "same" | "ins" | "del"
    text: str


@dataclass(frozen=True)
class DiffParagraph:
    segments: tuple[Segment, ...]

    @property
    def changed(self) -> bool:
        return any(s.kind != "same" and s.text.strip() for s in self.segments)

    @property
    def old_text(self) -> str:
        return "".join(s.text for s in self.segments if s.kind != "ins")

    @property
    def new_text(self) -> str:
        return "".join(s.text for s in self.segments if s.kind != "del")


@dataclass(frozen=True)
class Redline:
    """The difference of one annex: paragraphs in reading order, and the Word file if made."""

    paragraphs: tuple[DiffParagraph, ...]
    docx: bytes | None  # None: the comparer did not run (see `note`)
    note: str | None = None

    @property
    def changes(self) -> int:
        """Places that changed: a deletion next to an insertion counts once."""
        count = 0
        for p in self.paragraphs:
            inside = False
            for s in p.segments:
                if s.kind == "same":
                    if s.text.strip():
                        inside = False
                    continue
                if s.text.strip() and not inside:
                    count += 1
                    inside = True
        return count


# --- word-level difference (the fallback, and the clause departures) -------------------------

_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")  # a word with the space after it


def _merge(segments: Iterable[Segment]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for s in segments:
        if not s.text:
            continue
        if out and out[-1].kind == s.kind:
            out[-1] = Segment(s.kind, out[-1].text + s.text)
        else:
            out.append(s)
    return tuple(out)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Words deleted and inserted between two texts (a deletion before its insertion)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Segment("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(Segment("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(Segment("ins", "".join(b[j1:j2])))
    return _merge(out)


def paragraph_diff(old: list[str], new: list[str]) -> tuple[DiffParagraph, ...]:
    """Paragraph lists aligned, changed paragraphs diffed word by word."""
    out: list[DiffParagraph] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(DiffParagraph((Segment("same", t),)) for t in old[i1:i2])
            continue
        olds, news = old[i1:i2], new[j1:j2]
        paired = min(len(olds), len(news)) if op == "replace" else 0
        for k in range(paired):
            out.append(DiffParagraph(word_diff(olds[k], news[k])))
        out.extend(DiffParagraph(_merge([Segment("del", t)])) for t in olds[paired:])
        out.extend(DiffParagraph(_merge([Segment("ins", t)])) for t in news[paired:])
    return tuple(out)


# --- reading tracked changes back ---------------------------------------------------------------


def _kind(node, paragraph) -> str:
    while node is not None and node is not paragraph:
        if node.tag in _DELETED:
            return "del"
        if node.tag in _INSERTED:
            return "ins"
        node = node.getparent()
    return "same"


def _paragraph_segments(p) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for node in p.iter(f"{W}t", f"{W}delText", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag in (f"{W}t", f"{W}delText"):
            text = node.text or ""
        else:
            text = " " if node.tag == f"{W}tab" else "\n"
        kind = "del" if node.tag == f"{W}delText" else _kind(node, p)
        out.append(Segment(kind, text))
    return _deletion_first(_merge(out))


def _deletion_first(segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """An insertion directly followed by a deletion is shown as deletion, then insertion: it
    reads as "this was replaced by that" (Word's order in the file is not meaningful here)."""
    out = list(segments)
    for i in range(len(out) - 1):
        if out[i].kind == "ins" and out[i + 1].kind == "del":
            out[i], out[i + 1] = out[i + 1], out[i]
    return tuple(out)


def _blocks(parent) -> list[DiffParagraph]:
    out: list[DiffParagraph] = []
    for child in parent:
        if child.tag == f"{W}p":
            out.append(DiffParagraph(_paragraph_segments(child)))
        elif child.tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                for cell in row.findall(f"{W}tc"):
                    out.extend(_blocks(cell))
        elif child.tag in (f"{W}sdt", f"{W}customXml", *_INSERTED, *_DELETED):
            content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if content is not None:
                out.extend(_blocks(content))
    return out


def tracked_paragraphs(docx: bytes) -> tuple[DiffParagraph, ...]:
    """The body of a Word file with tracked changes, paragraph by paragraph in reading order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    return tuple(_blocks(body)) if body is not None else ()


# --- preparing the approved version ------------------------------------------------------------


def _set_text(p, text: str) -> None:
    ts = list(p.iter(f"{W}t"))
    ts[0].text = text
    ts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for t in ts[1:]:
        t.text = ""


def align_heading(docx: bytes, lines: Iterable[tuple[str, str]]) -> bytes:
    """The approved annex with its heading lines (old → new) rewritten, everything else kept.

    Only whole paragraphs among the first ones are rewritten, and only on an exact match: with an
    unexpected template nothing is touched and the heading simply shows as changed.
    """
    wanted = [(old, new) for old, new in lines if old != new]
    if not wanted:
        return docx
    src = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(src.read("word/document.xml"))
    paragraphs = []
    for p in root.iter(f"{W}p"):
        paragraphs.append(p)
        if len(paragraphs) >= HEADING_SCAN:
            break
    changed = False
    for old, new in wanted:
        for p in paragraphs:
            text = "".join(t.text or "" for t in p.iter(f"{W}t"))
            if text.strip() == old and any(True for _ in p.iter(f"{W}t")):
                _set_text(p, new)
                changed = True
                break
    if not changed:
        return docx
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    return out.getvalue()


# --- the comparer ---------------------------------------------------------------------------------

_engine = None
_engine_lock = threading.Lock()


def _get_engine():
    """The Docxodus engine, made once (its first use unpacks the comparer into the user cache;
    the lock keeps parallel comparisons from unpacking it twice at the same time)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from python_redlines import DocxodusEngine

            _engine = DocxodusEngine()
        return _engine


def compare(old: bytes, new: bytes, *, when: date | None = None, author: str = AUTHOR) -> Redline:
    """Tracked changes from `old` (approved) to `new`; falls back to a page-only difference."""
    try:
        engine = _get_engine()
        kwargs = {"date_time": f"{when.isoformat()}T00:00:00Z"} if when else {}
        result, _stdout, _stderr = engine.run_redline(author, old, new, **kwargs)
        return Redline(tracked_paragraphs(result), result)
    except (ImportError, OSError, subprocess.SubprocessError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        note = (
            "Jälgitud muudatustega Wordi faili ei saanud koostada (võrdlusprogramm python-redlines "
            f"ei töötanud: {reason}). Lehel on muudatused näidatud sõnade kaupa."
        )
        return Redline(paragraph_diff(docx_paragraphs(old), docx_paragraphs(new)), None, note)

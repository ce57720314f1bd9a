"""The text of a .docx file in reading order: body paragraphs, and tables row by row, cell by cell.

Used to compare what was built with the published text, and by the review to diff versions.
Headers and footers (the letterhead, the draft mark) are left out unless asked for.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        else:
            parts.append(" " if node.tag == f"{W}tab" else "\n")
    return "".join(parts)


def _block_texts(parent) -> list[str]:
    out: list[str] = []
    for child in parent:
        if child.tag == f"{W}p":
            out.append(_paragraph_text(child))
        elif child.tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                for cell in row.findall(f"{W}tc"):
                    out.extend(_block_texts(cell))
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                out.extend(_block_texts(content))
    return out


def docx_paragraphs(source: Path | bytes, *, headers: bool = False) -> list[str]:
    """Every paragraph's text in reading order (empty paragraphs included)."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        out: list[str] = []
        if headers:
            for name in sorted(n for n in z.namelist() if n.startswith("word/header")):
                out.extend(_block_texts(etree.fromstring(z.read(name))))
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
        out.extend(_block_texts(body))
    return out


def docx_text(source: Path | bytes, *, headers: bool = False) -> str:
    """All text, paragraphs joined by newlines."""
    return "\n".join(docx_paragraphs(source, headers=headers))

"""A Word template's XML as the renderer needs it, and the paragraphs where its tags stand.

LibreOffice writes the default paragraph style on every paragraph it saves (`<w:pStyle
w:val="Normal"/>`). That changes nothing on the page, but the comparer of `kaskkiri review`
(Docxodus) then matches no paragraph of an annex built from a re-saved template with the approved
one, and a paragraph that is only "-" (Alluvad: -) showed as deleted and inserted in every
compared annex. `repair_template` drops a paragraph style that names the default one, so a
re-saved template renders the paragraphs a Word-saved one does. A template that needs no repair
is returned byte for byte: the archived templates of a recorded directive must rebuild the
approved Word files exactly.

A tag that Word saved in pieces (runs) within one paragraph needs nothing here: docxtpl joins the
pieces, even an opening "{{" split in two. `tag_paragraphs` gives the messages the paragraph text
a tag stands in, as Word shows it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
#: A Jinja tag as the paragraph's text shows it: {{ … }}, {% … %} or {# … #}.
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_PART = re.compile(r"word/(document|header\d*|footer\d*)\.xml")


def template_parts(names: list[str]) -> list[str]:
    """The parts docxtpl renders: the body, every header and every footer."""
    return sorted(n for n in names if _PART.fullmatch(n))


def part_label(name: str) -> str:
    """How a message names a part: "põhitekst", "päis", "jalus"."""
    if "header" in name:
        return "päis"
    if "footer" in name:
        return "jalus"
    return "põhitekst"


def _own(p: etree._Element, tag: str) -> Iterator[etree._Element]:
    """The `tag` elements of paragraph `p`, not of a paragraph nested in it (a text box)."""
    for node in p.iter(tag):
        owner = node.getparent()
        while owner is not None and owner.tag != f"{W}p":
            owner = owner.getparent()
        if owner is p:
            yield node


def paragraph_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in _own(p, f"{W}t"))


def default_paragraph_style(styles_xml: bytes | None) -> str | None:
    """The style id of the document's default paragraph style ("Normal"), if it names one."""
    if not styles_xml:
        return None
    root = etree.fromstring(styles_xml)
    for style in root.iter(f"{W}style"):
        if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in ("1", "true", "on"):
            return style.get(f"{W}styleId")
    return None


def _drop_default_style(root: etree._Element, default: str | None) -> bool:
    if default is None:
        return False
    changed = False
    for style in list(root.iter(f"{W}pStyle")):
        parent = style.getparent()
        if style.get(f"{W}val") == default and parent is not None and parent.tag == f"{W}pPr":
            parent.remove(style)
            changed = True
    return changed


def repair_template(data: bytes) -> bytes:
    """The template without explicit default paragraph styles; `data` itself when it has none."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = src.namelist()
        default = default_paragraph_style(src.read("word/styles.xml") if "word/styles.xml" in names else None)
        repaired: dict[str, bytes] = {}
        for name in template_parts(names):
            root = etree.fromstring(src.read(name))
            if _drop_default_style(root, default):
                repaired[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if not repaired:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info, repaired.get(info.filename) or src.read(info.filename))
    return out.getvalue()


def tag_paragraphs(data: bytes) -> Iterator[tuple[str, str, list[str]]]:
    """(part, paragraph text, the paragraph's Jinja tags) for every paragraph that has a tag."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        for name in template_parts(src.namelist()):
            root = etree.fromstring(src.read(name))
            for p in root.iter(f"{W}p"):
                text = paragraph_text(p)
                tags = TAG.findall(text)
                if tags:
                    yield name, text, tags

"""A Word template's XML as the renderer needs it: each Jinja tag in one piece, no noise styles.

Word and LibreOffice save what the user typed in pieces ("runs") whenever formatting, spelling
marks or editing history differ inside it. docxtpl joins the pieces inside a tag, but not a tag
whose opening "{{" or "{%" itself is split ("{" in one run, "{ nimi }}" in the next): Jinja then
sees no tag, and the document would print "{{ nimi }}". `repair_template` moves every tag of a
paragraph into the run where it starts, so what looks like one tag in Word is one tag.

LibreOffice also writes the default paragraph style on every paragraph (`<w:pStyle
w:val="Normal"/>`). That changes nothing on the page, but the comparer of `kaskkiri review`
(Docxodus) then matches no paragraph of a re-saved template's annex with the approved one and
shows a paragraph that is only "-" (Alluvad: -) as deleted and inserted. `repair_template` drops
a paragraph style that names the default one, so a re-saved template renders the same paragraphs.

A template that needs neither repair is returned byte for byte: the archived templates of a
recorded directive must rebuild the approved Word files exactly.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
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


def _join_tags(p: etree._Element) -> bool:
    """Move each tag split over several w:t into the first of them. True when anything moved."""
    nodes = list(_own(p, f"{W}t"))
    texts = [t.text or "" for t in nodes]
    full = "".join(texts)
    if "{" not in full:
        return False
    ends, total = [], 0
    for text in texts:
        total += len(text)
        ends.append(total)

    def node_at(offset: int) -> int:
        return next(i for i, end in enumerate(ends) if offset < end)

    changed = False
    for m in reversed(list(TAG.finditer(full))):  # from the end: earlier offsets stay valid
        first, last = node_at(m.start()), node_at(m.end() - 1)
        if first == last:
            continue
        start_in_first = m.start() - (ends[first] - len(texts[first]))
        end_in_last = m.end() - (ends[last] - len(texts[last]))
        texts[last] = texts[last][end_in_last:]
        for i in range(first + 1, last):
            texts[i] = ""
        texts[first] = texts[first][:start_in_first] + m.group()
        changed = True
    if changed:
        for node, text in zip(nodes, texts, strict=True):
            if node.text != text:
                node.text = text
                node.set(XML_SPACE, "preserve")
    return changed


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
    """The template with its tags joined and its explicit default paragraph style dropped;
    `data` itself when neither was needed."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = src.namelist()
        default = default_paragraph_style(src.read("word/styles.xml") if "word/styles.xml" in names else None)
        repaired: dict[str, bytes] = {}
        for name in template_parts(names):
            root = etree.fromstring(src.read(name))
            joined = [_join_tags(p) for p in root.iter(f"{W}p")]
            dropped = _drop_default_style(root, default)
            if any(joined) or dropped:
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

"""The last guard before a document is packaged: what it says is what was resolved.

Two checks, whatever the cause of a fault (a character that slipped through, a template, a
library): every text of the resolved directive is free of characters a document must not carry,
and every one of them reads back, whole, from the Word file that was built. A document cut short
or changed can then never be converted, packaged or signed.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator

from lxml import etree

from .characters import first_unsafe
from .definitions.load import Source
from .docx_text import docx_text
from .errors import Problem, RenderError
from .resolve import ResolvedAnnex, ResolvedDirective

_SPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def directive_texts(rd: ResolvedDirective) -> Iterator[str]:
    """Every text the directive's document carries, in document order."""
    yield from (rd.kind, rd.date_number, rd.title, rd.preamble)
    for point in rd.points:
        yield point.text
        yield from point.items
        yield from point.extra
    yield from rd.signature


def annex_texts(annex: ResolvedAnnex) -> Iterator[str]:
    """Every text an annex's document carries, in document order."""
    yield from annex.heading
    for label, value in annex.general:
        yield from (label, value)
    for duty in annex.duties:
        yield f"{duty.number} {duty.text}"
        yield from duty.results
    for label, value in annex.requirements:
        yield from (label, value)
    for label, items in annex.rights:
        yield label
        yield from items
    yield annex.closing


def unsafe_text_problems(rd: ResolvedDirective) -> list[Problem]:
    """A problem for each resolved text that carries a character no document may carry."""
    problems: list[Problem] = []
    sources: list[tuple[Source, Iterator[str]]] = [(rd.directive.source, directive_texts(rd))]
    sources += [(a.post.source, annex_texts(a)) for a in rd.annexes]
    for source, texts in sources:
        for text in texts:
            bad = first_unsafe(text)
            if bad is not None:
                problems.append(source.problem(bad.describe(text)))
                break
    return problems


def check_resolved(rd: ResolvedDirective) -> None:
    """Raise RenderError when a resolved text carries a character no document may carry."""
    problems = unsafe_text_problems(rd)
    if problems:
        raise RenderError(problems)


def readback_problem(name: str, data: bytes, expected: Iterator[str]) -> Problem | None:
    """None when the built Word file `data` holds every expected text, whole and unchanged."""
    try:
        built = docx_text(data, headers=True)
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        return Problem(
            f"koostatud Wordi faili ei saa tagasi lugeda ({type(exc).__name__}). "
            "Dokumenti ei pakendatud. Kontrolli Wordi malli (templates/).",
            name,
        )
    bad = first_unsafe(built)
    if bad is not None:
        return Problem(
            f"koostatud dokumendis on märk, mida dokument kanda ei tohi: {bad.describe(built)} "
            "Märk tuli Wordi mallist (templates/): paranda mall.",
            name,
        )
    folded = _fold(built)
    for text in expected:
        piece = _fold(text)
        if piece and piece not in folded:
            shown = piece if len(piece) <= 80 else piece[:77] + "…"
            return Problem(
                f'koostatud dokumendist puudub tekst "{shown}": dokument jäi poolikuks või mall '
                "jättis selle välja. Dokumenti ei pakendatud. Kontrolli Wordi malli (templates/) "
                "ja teata veast arendajatele, kui mall on korras.",
                name,
            )
    return None


def verify_readback(name: str, data: bytes, expected: Iterator[str]) -> None:
    """Raise RenderError unless the built Word file says exactly what was resolved."""
    problem = readback_problem(name, data, expected)
    if problem is not None:
        raise RenderError(problem)

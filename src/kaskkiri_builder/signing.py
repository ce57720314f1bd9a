"""The signing stage of a build: Word files → PDFs → the reading PDF and the container.

Glue between the pipeline and the two edges that do the work (`convert`: LibreOffice,
`package`: pypdf and the ASiC-E zip). Without LibreOffice the build keeps its Word files and
says how to get the rest; any other failure stops the build (the previous output stays).
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, time
from pathlib import Path
from typing import Callable

from .convert import convert_to_pdf, find_faketime, find_soffice
from .convert import INSTALL_HINT
from .output import StagedOutput
from .package import Part, PdfMetadata, make_asice, make_signing_pdf, normalize_pdf, pdf_page_count
from .resolve import ResolvedDirective

#: The date a draft's PDFs carry: a draft has no date of its own, and the clock is not used.
DRAFT_DATE = date(2000, 1, 1)


def pdf_date(rd: ResolvedDirective) -> date:
    d = rd.directive
    return d.date or d.in_force_on or d.retroactive_from or DRAFT_DATE


def signing_pdf_name(directive_id: str) -> str:
    return f"allkirjastamiseks-{directive_id}.pdf"


def container_name(directive_id: str) -> str:
    return f"kaskkiri-{directive_id}.asice"


def make_signing_files(
    rd: ResolvedDirective,
    out: StagedOutput,
    word_files: list[Path],
    progress: Callable[[str], None],
    *,
    timeout: float = 180.0,
) -> list[str]:
    """Convert, normalise, combine and package; return notes for the user (e.g. no LibreOffice)."""
    if find_soffice() is None:
        return [
            "PDF-i ja allkirjastamise konteinerit ei koostatud, sest LibreOffice puudub. "
            + INSTALL_HINT
        ]
    progress("Teisendan PDF-iks (LibreOffice)")
    created = pdf_date(rd)
    doc_title = rd.document_title
    parts: list[Part | None] = [None] * len(word_files)
    entries: list[tuple | None] = [None] * len(word_files)  # manifest rows, in document order

    def describe(i: int):
        name = word_files[i].with_suffix(".pdf").name
        if i == 0:
            meta = PdfMetadata(doc_title, rd.agency, "Käskkiri", created)
            return name, None, "Käskkiri", "K-", meta
        a = rd.annexes[i - 1]
        meta = PdfMetadata(a.document_title, rd.agency, doc_title, created)
        return name, a.number, a.bookmark, f"L{a.number}-", meta

    def normalise(i: int, raw: Path) -> None:
        """Without libfaketime: runs while LibreOffice converts the next files, taking the export
        time out and putting the directive's metadata in."""
        name, annex, bookmark, label, meta = describe(i)
        pages = normalize_pdf(raw, out.dir / name, meta)
        parts[i] = Part(out.dir / name, bookmark, label)
        entries[i] = (name, annex, pages)

    clock = datetime.combine(created, time(12, 0))  # noon UTC: the same day in every zone
    if find_faketime() is not None:
        # LibreOffice runs at the directive's date: its PDFs are final as they come.
        def counted(i: int, pdf: Path) -> None:
            name, annex, bookmark, label, _meta = describe(i)
            parts[i] = Part(pdf, bookmark, label)
            entries[i] = (name, annex, pdf_page_count(pdf))

        convert_to_pdf(word_files, out.dir, timeout=timeout, on_ready=counted, clock=clock)
    else:
        raw_dir = out.dir / ".pdf-raw"
        convert_to_pdf(word_files, raw_dir, timeout=timeout, on_ready=normalise)
        shutil.rmtree(raw_dir)
    for name, annex, pages in entries:
        out.add(name, "pdf", annex, pages=pages)
    pdfs = [p.pdf for p in parts]
    progress("Koostan allkirjastamise PDF-i ja konteineri")
    signing = out.dir / signing_pdf_name(rd.id)
    meta = PdfMetadata(doc_title, rd.agency, rd.title, created)
    counts = make_signing_pdf(parts, signing, meta)
    out.add(signing.name, "package", pages=counts[signing])
    container = out.dir / container_name(rd.id)
    make_asice(pdfs, container)
    out.add(container.name, "container", files=[p.name for p in pdfs])
    return []

"""The signing stage of a build: Word files → PDFs → the reading PDF and the container.

Glue between the pipeline and the two edges that do the work (`convert`: LibreOffice,
`package`: pypdf and the ASiC-E zip). Without LibreOffice the build keeps its Word files and
says how to get the rest; any other failure stops the build (the previous output stays).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

from .convert import convert_to_pdf, find_soffice
from .convert import INSTALL_HINT
from .output import StagedOutput
from .package import Part, PdfMetadata, make_asice, make_signing_pdf, normalize_pdf
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
    raw_dir = out.dir / ".pdf-raw"
    raw = convert_to_pdf(word_files, raw_dir, timeout=timeout)
    created = pdf_date(rd)
    parts: list[Part] = []
    pdfs: list[Path] = []
    doc_title = f"{rd.title} ({rd.date_number})"
    for i, (docx, pdf) in enumerate(zip(word_files, raw)):
        name = docx.with_suffix(".pdf").name
        if i == 0:
            meta = PdfMetadata(doc_title, rd.agency, "Käskkiri", created)
            bookmark, label, annex = "Käskkiri", "K-", None
        else:
            a = rd.annexes[i - 1]
            meta = PdfMetadata(f"Lisa {a.number}. Ametijuhend: {a.title}", rd.agency, doc_title, created)
            bookmark, label, annex = a.bookmark, f"L{a.number}-", a.number
        pages = normalize_pdf(pdf, out.dir / name, meta)
        out.add(name, "pdf", annex, pages=pages)
        parts.append(Part(out.dir / name, bookmark, label))
        pdfs.append(out.dir / name)
    for p in raw_dir.iterdir():
        p.unlink()
    raw_dir.rmdir()
    progress("Koostan allkirjastamise PDF-i ja konteineri")
    signing = out.dir / signing_pdf_name(rd.id)
    counts = make_signing_pdf(parts, signing, PdfMetadata(doc_title, rd.agency, "Ametijuhendite kinnitamine", created))
    out.add(signing.name, "package", pages=counts[signing])
    container = out.dir / container_name(rd.id)
    make_asice(pdfs, container)
    out.add(container.name, "container", files=[p.name for p in pdfs])
    return []

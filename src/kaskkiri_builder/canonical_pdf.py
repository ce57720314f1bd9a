"""LibreOffice's PDFs in one canonical form, so that their bytes depend on the document alone.

LibreOffice writes the embedded font subsets in the order of its font objects' addresses in
memory (its PDF writer keeps them in a map keyed by pointer), and numbers their objects and
computes the trailer's /DocChecksum in that order. So the same Word file, converted twice on one
machine in two fresh LibreOffice processes, came out once with Carlito's objects before
Carlito-Bold's and once after (CI, 2026-12: a cached rebuild's kaskkiri.pdf differed from a clean
build's), and the archived 2026-01 PDFs differ from this machine's in that order alone.

The canonical form is qpdf's rewrite (pikepdf): objects numbered in the order they are reached
from the trailer, dictionaries written the same way whatever order they came in, streams kept as
they are (neither decoded nor compressed again, so PDF/A's unfiltered metadata stream stays
unfiltered), no object streams, LibreOffice's /DocChecksum dropped (it is LibreOffice's own key,
an MD5 of its order; nothing reads it), and the second /ID derived from the content. The two
orders give the same bytes, and the form of a canonical file is itself.

A file qpdf would have to repair is refused rather than repaired: a PDF LibreOffice left short
must not become a plausible shorter document.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

from .errors import PackageError, Problem
from .package import damaged_pdf, write_atomic

#: Part of the conversion cache's key: changing how `canonical_pdf` writes changes this.
FORM = "canonical_pdf 1"


def form_files() -> list[Path]:
    """The files the canonical bytes depend on besides the PDF: pikepdf's compiled core and the
    qpdf its wheel carries (the conversion cache's key; found without importing pikepdf, which
    would delay LibreOffice's start by about 50 ms)."""
    spec = importlib.util.find_spec("pikepdf")
    if spec is None or spec.origin is None:
        return []
    package = Path(spec.origin).parent
    return [*sorted(package.glob("_core*.so")), package.parent / "pikepdf.libs"]


def canonical_pdf(data: bytes, path: Path = Path("PDF"), *, keep_id: bool = True) -> bytes:
    """The canonical form of one PDF's bytes; PackageError naming `path` (where the bytes are
    from) when qpdf cannot read them without repairing them.

    `keep_id`: the first /ID (the document's permanent identifier, made by whoever wrote the
    file from their own layout) is kept; without it both are derived from the content."""
    import pikepdf  # about 50 ms beside pypdf: only builds that make PDFs pay it

    try:
        with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
            for key in ("/DocChecksum",) if keep_id else ("/DocChecksum", "/ID"):
                if key in pdf.trailer:
                    del pdf.trailer[key]
            out = io.BytesIO()
            pdf.save(
                out,
                deterministic_id=True,
                fix_metadata_version=False,
                compress_streams=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                object_stream_mode=pikepdf.ObjectStreamMode.disable,
            )
    except (pikepdf.PdfError, ValueError) as exc:
        reason = str(exc).rpartition(": ")[2]  # qpdf names the stream: "stream <...>: reason"
        raise PackageError([Problem(damaged_pdf(f"PDF-faili ei saa lugeda ({reason})", path),
                                    file=path)]) from exc
    return out.getvalue()


def canonicalize(path: Path) -> None:
    """Rewrite the PDF at `path` in its canonical form (a new file renamed over it)."""
    path = Path(path)
    write_atomic(path, canonical_pdf(path.read_bytes(), path))


def same_pdf(a: bytes, b: bytes) -> bool:
    """Whether two PDFs are the same document object for object (their canonical forms are
    equal, /ID aside: pypdf derives it from its own layout of the objects); a PDF that cannot be
    read is the same as nothing. `b` that is `a`'s canonical form (a build's PDF beside
    LibreOffice's) is found with one rewrite instead of two."""
    if a == b:
        return True
    try:
        return (canonical_pdf(a) == b
                or canonical_pdf(a, keep_id=False) == canonical_pdf(b, keep_id=False))
    except PackageError:
        return False

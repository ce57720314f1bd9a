"""The signing stage of a build: Word files → PDFs → the reading PDF and the container.

Glue between the pipeline and the two edges that do the work (`convert`: LibreOffice,
`package`: pypdf and the ASiC-E zip). LibreOffice is started before the Word files are written
(it needs about a second to start, and opens each file only when it gets to it), so rendering
and checking happen while it starts. `watch` passes its own resident LibreOffice (`converter`,
driven through UNO: no start-up per save); otherwise, or when that fails, the batch conversion. Without
LibreOffice the build keeps its Word files and says how to get the rest; any other failure stops
the build (the previous output stays).

With the conversion cache (conversion_cache.py) a Word file whose PDF is there is not converted.
When the last build of the directive left most of its PDFs there, LibreOffice starts at once only
for the files whose PDF the cache will lack, as far as the Word files an earlier build rendered
tell (`predicted`, render_pool.remembered_bytes: the annex whose post changed); once the Word
files are written (`written()`, while the checks run), a second LibreOffice takes any other file
the cache lacks. Otherwise it starts early for every file, as without the cache, and its PDFs are
stored.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path

from .canonical_pdf import FORM as CANONICAL_FORM
from .canonical_pdf import canonicalize
from .canonical_pdf import form_files as canonical_form_files
from .conversion_cache import BuildCache, ConversionCache, environment
from .convert import (
    INSTALL_HINT,
    PDF_FILTER,
    Conversion,
    check_override,
    convert_to_pdf,
    find_faketime,
    find_soffice,
)
from .document_date import document_date
from .errors import PackageError
from .output import StagedOutput
from .package import Part, PdfMetadata, SigningPdf, make_asice, normalize_pdf, open_pdf
from .resident import ResidentConversion, ResidentConverter, start_conversion
from .resolve import ResolvedDirective


def signing_pdf_name(directive_id: str) -> str:
    return f"allkirjastamiseks-{directive_id}.pdf"


def container_name(directive_id: str) -> str:
    return f"kaskkiri-{directive_id}.asice"


class SigningStage:
    """Started before the Word files are written; `written()` once they are all there, then
    `finish()`."""

    def __init__(
        self,
        rd: ResolvedDirective,
        out: StagedOutput,
        word_files: list[Path],
        progress: Callable[[str], None],
        *,
        timeout: float = 180.0,
        cache: ConversionCache | None = None,
        converter: ResidentConverter | None = None,
        predicted: Callable[[int], bytes | None] | None = None,
    ) -> None:
        self.rd, self.out, self.word_files, self.progress = rd, out, word_files, progress
        self.timeout = timeout
        self.converter = converter
        self.started = False  # every file is converting or taken from the cache
        #: The conversions under way, each with its files (indices into word_files).
        self.conversions: list[tuple[Conversion | ResidentConversion, list[int]]] = []
        self.notes: list[str] = []
        self.cache: BuildCache | None = None
        check_override()  # a KASKKIRI_SOFFICE that does not run is an error, not a note
        self.soffice = find_soffice()
        if self.soffice is None:
            self.notes.append(
                "PDF-i ja allkirjastamise konteinerit ei koostatud, sest LibreOffice puudub. "
                + INSTALL_HINT
            )
            return
        self.created = document_date(rd)
        # With libfaketime LibreOffice runs at the directive's date (noon UTC: the same day in
        # every time zone) and its PDFs are final once in canonical form (canonical_pdf.py:
        # LibreOffice's order of the font objects varies); without it they are normalised.
        faketime = find_faketime()
        self.frozen = faketime is not None
        self.pdf_dir = out.dir if self.frozen else out.dir / ".pdf-raw"
        self.clock = datetime.combine(self.created, time(12, 0))
        self.parts: list[Part | None] = [None] * len(word_files)
        self.signing = SigningPdf()  # joined part by part as they are ready (see _ready)
        self.entries: list[tuple[str, int | None, int] | None] = [None] * len(word_files)  # manifest rows
        if cache is not None:
            # With libfaketime its PDFs are kept in canonical form (canonical_pdf.py).
            clock = f"{self.clock.isoformat()} {CANONICAL_FORM}" if faketime else "normalised"
            files = [faketime, *canonical_form_files()] if faketime else []
            env = environment(self.soffice, f"{PDF_FILTER} {clock}", files)
            self.cache = BuildCache(cache, env, rd.id)
            if self.cache.expects_most(len(word_files)):
                if predicted is not None:  # the rest: written()
                    early = [i for i in range(len(word_files))
                             if not self.cache.would_have(predicted(i), word_files[i].name)]
                    # Most of them unknown (no earlier Word files to go by): wait for the files.
                    if early and 2 * len(early) <= len(word_files):
                        progress("Käivitan LibreOffice'i muutunud failide jaoks")
                        self._start(early)
                return
        progress("Käivitan LibreOffice'i")
        self._start(list(range(len(word_files))))
        self.started = True

    def _start(self, indices: list[int]) -> None:
        """Start converting these files (written or not yet): through the resident LibreOffice
        (python3-uno) when the caller keeps one, else the batch conversion."""
        conversion = start_conversion([self.word_files[i] for i in indices], self.pdf_dir,
                                      timeout=self.timeout, clock=self.clock, converter=self.converter)
        self.conversions.append((conversion, indices))

    def written(self) -> None:
        """Every Word file is written: unless LibreOffice has them all, take the PDFs the cache
        has and start converting the rest."""
        if self.soffice is None or self.started:
            return
        self.started = True
        self.pdf_dir.mkdir(exist_ok=True)
        early = {i for _conversion, indices in self.conversions for i in indices}
        late = [i for i in range(len(self.word_files)) if i not in early and not self._cached(i)]
        converting = len(early) + len(late)
        self.progress(f"Muutmata Wordi failide PDF-id vahemälust: "
                      f"{len(self.word_files) - converting}; LibreOffice teisendab: {converting}")
        if late:
            self._start(late)

    def cancel(self) -> None:
        for conversion, _indices in self.conversions:
            conversion.cancel()

    def _describe(self, i: int) -> tuple[str, int | None, str, str, PdfMetadata]:
        rd = self.rd
        name = self.word_files[i].with_suffix(".pdf").name
        if i == 0:
            meta = PdfMetadata(rd.document_title, rd.agency, "Käskkiri", self.created)
            return name, None, "Käskkiri", "K-", meta
        a = rd.annexes[i - 1]
        meta = PdfMetadata(a.document_title, rd.agency, rd.document_title, self.created)
        return name, a.number, a.bookmark, f"L{a.number}-", meta

    def _ready(self, i: int, pdf: Path, *, converted: bool) -> None:
        """Runs while LibreOffice converts the next files. `converted`: LibreOffice has just
        written `pdf` (else it is the cache's copy of a PDF made so)."""
        name, annex, bookmark, label, meta = self._describe(i)
        reader = None
        if self.frozen:
            if converted:  # LibreOffice's order of the font objects out (canonical_pdf.py)
                canonicalize(pdf)
            reader = open_pdf(pdf)  # kept for the signing PDF
            pages = len(reader.pages)
        else:  # take the export time out, put the directive's metadata in
            pages = normalize_pdf(pdf, self.out.dir / name, meta)
        self.parts[i] = Part(self.out.dir / name, bookmark, label, reader)
        self.entries[i] = (name, annex, pages)
        # Join the parts that are ready, in order, while LibreOffice converts the next ones.
        while self.signing.joined < len(self.parts) and not self.signing.failed:
            part = self.parts[self.signing.joined]
            if part is None:
                break
            self.signing.join(part)

    def _converted(self, i: int, pdf: Path) -> None:
        self._ready(i, pdf, converted=True)
        # In canonical form the resident office's PDFs are the batch conversion's (resident.py).
        if self.cache is not None:
            self.cache.store(self.word_files[i], pdf)

    def _cached(self, i: int) -> bool:
        """Take file i's PDF from the cache, if it is there."""
        docx = self.word_files[i]
        pdf = self.pdf_dir / docx.with_suffix(".pdf").name
        if self.cache is None or not self.cache.fetch(docx, pdf):
            return False
        try:
            self._ready(i, pdf, converted=False)
        except PackageError:
            self.cache.forget(docx)
            return False
        return True

    def _convert(self, indices: list[int]) -> None:
        convert_to_pdf(
            [self.word_files[i] for i in indices],
            self.pdf_dir,
            timeout=self.timeout,
            clock=self.clock,
            on_ready=lambda j, pdf: self._converted(indices[j], pdf),
        )

    def finish(self) -> list[str]:
        """Wait for the PDFs, then combine and package them; notes for the user."""
        if self.soffice is None:
            return self.notes
        self.written()
        if self.conversions:
            self.progress("Teisendan PDF-iks (LibreOffice)")
        for conversion, files in self.conversions:
            def ready(j: int, pdf: Path, files: list[int] = files) -> None:
                self._converted(files[j], pdf)

            conversion.wait(ready, missing_ok=True)
            if conversion.missing:
                # A Word file LibreOffice reached before it was written: convert those again.
                self._convert([files[j] for j in conversion.missing])
        if self.cache is not None:
            self.cache.close(self.word_files)
        if not self.frozen:
            shutil.rmtree(self.pdf_dir)
        out, rd = self.out, self.rd
        parts = [p for p in self.parts if p is not None]
        entries = [e for e in self.entries if e is not None]
        if len(parts) != len(self.parts) or len(entries) != len(self.entries):
            raise PackageError("mõni PDF jäi tegemata, kuigi LibreOffice lõpetas. Proovi uuesti.")
        for name, annex, pages in entries:
            out.add(name, "pdf", annex, pages=pages)
        self.progress("Koostan allkirjastamise PDF-i ja konteineri")
        signing = out.dir / signing_pdf_name(rd.id)
        meta = PdfMetadata(rd.document_title, rd.agency, rd.title, self.created)
        counts = self.signing.finish(parts, signing, meta)
        out.add(signing.name, "package", pages=counts[signing])
        container = out.dir / container_name(rd.id)
        pdfs = [p.pdf for p in parts]
        make_asice(pdfs, container)
        out.add(container.name, "container", files=[p.name for p in pdfs])
        return self.notes

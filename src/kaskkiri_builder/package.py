"""What the director signs: one combined PDF to read, and an unsigned ASiC-E container to sign.

Both are byte-for-byte reproducible from the same part PDFs' content: dates come from the directive,
never from the clock, and every byte LibreOffice stamps with the export time is overwritten (see
docs/signing-package.md for the list).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pypdf
from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)

from .errors import PackageError, Problem

ASICE_MIMETYPE = "application/vnd.etsi.asic-e+zip"

#: Media types by suffix. A fixed table, not `mimetypes`: that reads /etc/mime.types, which
#: differs between machines, and the manifest must not.
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".xml": "application/xml",
    ".json": "application/json",
    ".csv": "text/csv",
}

#: The time of day every date gets: noon UTC shows the same calendar date in every time zone
#: from UTC-11 to UTC+11, so a viewer in Tallinn (UTC+2/+3) shows the directive's date.
_NOON = datetime.time(12, 0, 0)

#: Zip timestamp for every entry (the earliest a zip can hold).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

CREATOR = "kaskkiri"


@dataclass(frozen=True)
class Part:
    """One document of the directive as a PDF: the directive itself or one annex."""

    pdf: Path
    bookmark: str  # "Käskkiri", "Lisa 1. Talituse juhataja"
    label: str  # page-label prefix: "K-" gives K-1, K-2 ...; "L1-" gives L1-1 ...
    #: `pdf` as the build already read it (open_pdf), so that it is not parsed twice.
    reader: PdfReader | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class PdfMetadata:
    """Document information of a built PDF. `created` is the directive's date, never the clock."""

    title: str
    author: str
    subject: str
    created: datetime.date


def pdf_page_count(path: Path) -> int:
    """Number of pages of a PDF; PackageError when it cannot be read."""
    return len(open_pdf(Path(path)).pages)


def make_signing_pdf(parts: list[Part], out: Path, meta: PdfMetadata) -> dict[Path, int]:
    """Join the parts into one PDF the director reads before signing.

    One bookmark per part (the outline opens with the document), page labels restarting at 1 for
    each part with its prefix, metadata from `meta`, and the first part's PDF/A markers (XMP
    pdfaid, OutputIntents) kept. Returns the page count of each part, keyed by its PDF, and the
    total keyed by `out`. The bytes depend only on the parts' content and `meta`.
    """
    return SigningPdf().finish(parts, out, meta)


class SigningPdf:
    """`make_signing_pdf` in steps, so that a build joins each part while LibreOffice converts
    the next ones: `join(part)` in the parts' order as they come (a part that cannot be joined
    stops the joining), then `finish(parts, …)`, which joins the rest, checks every part and
    writes the PDF. Joined early or late, the bytes are the same.
    """

    def __init__(self) -> None:
        self._writer: PdfWriter | None = None
        self._first: PdfReader | None = None
        self.joined = 0  # parts joined, the first ones of the list
        self.failed = False  # a part could not be joined: finish() starts again, to report it

    def join(self, part: Part) -> None:
        if self.failed:
            return
        try:
            reader = part.reader if part.reader is not None else open_pdf(part.pdf)
            if len(reader.pages) == 0:
                raise PackageError("no pages")  # reported by finish()
            self._join(part, reader)
        except (PackageError, PyPdfError, ValueError, KeyError, TypeError, IndexError):
            self.failed = True

    def _join(self, part: Part, reader: PdfReader) -> None:
        if self._writer is None:
            writer = PdfWriter(clone_from=reader)
            # The parts' own outlines (headings) would mix with ours: one bookmark per part only.
            writer.root_object.pop(NameObject("/Outlines"), None)
            writer.add_outline_item(title=part.bookmark, page_number=0)
            self._writer, self._first = writer, reader
        else:
            self._writer.append(reader, outline_item=part.bookmark, import_outline=False)
        self.joined += 1

    def finish(self, parts: list[Part], out: Path, meta: PdfMetadata) -> dict[Path, int]:
        out = Path(out)
        _check_parts(parts, out)
        readers = [p.reader if p.reader is not None else open_pdf(p.pdf) for p in parts]
        counts = {p.pdf: len(r.pages) for p, r in zip(parts, readers, strict=True)}
        empty = [p for p in parts if counts[p.pdf] == 0]
        if empty:
            raise PackageError(
                [Problem("PDF-is pole ühtegi lehekülge; tee see uuesti.", file=p.pdf) for p in empty]
            )
        while self.joined < len(parts) and not self.failed:
            self.join(parts[self.joined])
        try:
            if self.failed:  # joined again from the start, raising what a part's joining raises
                again = SigningPdf()
                for part, reader in zip(parts, readers, strict=True):
                    again._join(part, reader)
                return again._end(parts, counts, out, meta)
            return self._end(parts, counts, out, meta)
        except PackageError:
            raise
        except (PyPdfError, ValueError, KeyError, TypeError) as exc:
            raise PackageError(
                f"Allkirjastatava PDF-i koostamine ebaõnnestus ({type(exc).__name__}: {exc}). "
                f"Tee osade PDF-id uuesti; kui viga kordub, teata sellest arendajale."
            ) from exc

    def _end(self, parts: list[Part], counts: dict[Path, int], out: Path, meta: PdfMetadata) -> dict[Path, int]:
        writer, first = self._writer, self._first
        assert writer is not None and first is not None
        _drop_structure_tree(writer)
        start = 0
        for part in parts:
            n = counts[part.pdf]
            writer.set_page_label(start, start + n - 1, style=PageLabelStyle.DECIMAL, prefix=part.label, start=1)
            start += n
        writer.page_mode = "/UseOutlines"
        viewer = DictionaryObject()
        viewer[NameObject("/DisplayDocTitle")] = BooleanObject(True)
        writer.root_object[NameObject("/ViewerPreferences")] = viewer
        pdfa = _pdfa_id(first)
        _set_metadata(writer, meta, pdfa, producer=_producer(first))
        _fix_icc_dates(writer, meta.created)
        writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
        data = _write_with_stable_id(writer)
        write_atomic(out, data)
        counts = dict(counts)
        counts[out] = sum(counts[p.pdf] for p in parts)
        return counts


def normalize_pdf(src: Path, out: Path, meta: PdfMetadata) -> int:
    """Copy one PDF with reproducible bytes: `meta` in Info and XMP, no export time, fixed /ID.

    For the directive and annex PDFs that go into the container separately: LibreOffice stamps
    the export time into them. Returns the page count.
    """
    src, out = Path(src), Path(out)
    reader = open_pdf(src)
    try:
        writer = PdfWriter(clone_from=reader)
        _set_metadata(writer, meta, _pdfa_id(reader), producer=_producer(reader))
        _fix_icc_dates(writer, meta.created)
        data = _write_with_stable_id(writer)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise PackageError(
            [Problem(f"PDF-i ühtlustamine ebaõnnestus ({type(exc).__name__}: {exc}).", file=src)]
        ) from exc
    write_atomic(out, data)
    return len(reader.pages)


def make_asice(files: list[Path], out: Path) -> None:
    """Write an unsigned ASiC-E container of `files` for DigiDoc4 to sign.

    Layout: `mimetype` first and stored, the data files at the root, META-INF/manifest.xml with
    one entry per file. Every entry is stored (the PDFs are compressed already) with a fixed time,
    so the container's bytes depend only on the files' names and bytes, not on zlib's version.
    """
    out = Path(out)
    files = [Path(f) for f in files]
    _check_container_files(files)

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        _zip_write(zf, "mimetype", ASICE_MIMETYPE.encode("ascii"))
        for f in files:
            _zip_write(zf, f.name, f.read_bytes())
        _zip_write(zf, "META-INF/manifest.xml", _manifest(files).encode("utf-8"))
    write_atomic(out, buf.getvalue())


# --- the signing PDF ---------------------------------------------------------------------------


def _check_parts(parts: list[Part], out: Path) -> None:
    if not parts:
        raise PackageError("Allkirjastatava PDF-i jaoks pole ühtegi osa (käskkirja ega lisa).")
    problems: list[Problem] = []
    seen_labels: set[str] = set()
    seen_pdfs: set[Path] = set()
    for p in parts:
        if not p.bookmark.strip():
            problems.append(Problem("Osa järjehoidja nimi on tühi.", file=p.pdf))
        if p.label in seen_labels:
            problems.append(
                Problem(
                    f"Lehekülgede tähis {p.label!r} on kahel osal: lehekülgi ei saaks eristada.",
                    file=p.pdf,
                )
            )
        if Path(p.pdf).resolve() in seen_pdfs:
            problems.append(Problem("Sama PDF on osade seas kaks korda.", file=p.pdf))
        if Path(p.pdf).resolve() == out.resolve():
            problems.append(Problem("Väljundfail ei saa olla ühtlasi üks osadest.", file=p.pdf))
        seen_labels.add(p.label)
        seen_pdfs.add(Path(p.pdf).resolve())
    if problems:
        raise PackageError(problems)


#: Below this much free space a PDF that cannot be read was most likely cut short by a full disk.
LOW_DISK_BYTES = 64 * 1024 * 1024


def open_pdf(path: Path) -> PdfReader:
    """The PDF read with pypdf; PackageError naming the file when it cannot be.

    Strictly first: the lenient reader also checks every object's place against the table of
    contents, twice the time on LibreOffice's well-formed files (a watch rebuild opened 24 of them);
    a file the strict reader refuses is read leniently, as before."""
    path = Path(path)
    if not path.is_file():
        raise PackageError([Problem("PDF-faili ei ole; tee PDF-id uuesti.", file=path)])
    if path.stat().st_size == 0:
        raise PackageError([Problem(damaged_pdf("PDF-fail on tühi", path), file=path)])
    try:
        try:
            reader = PdfReader(path, strict=True)
            _ = len(reader.pages)
        except (PyPdfError, ValueError, KeyError, TypeError):
            reader = PdfReader(path, strict=False)
            _ = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise PackageError([Problem(damaged_pdf(f"PDF-faili ei saa lugeda ({exc})", path), file=path)]) from exc
    return reader


def damaged_pdf(what: str, path: Path) -> str:
    """Why a PDF LibreOffice wrote is empty or unreadable: a full disk says so, not pypdf."""
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        free = None
    if free is not None and free < LOW_DISK_BYTES:
        return (f"PDF-fail jäi poolikuks, sest ketas on täis (vaba {free // (1024 * 1024)} MiB). "
                "Vabasta kettaruumi ja koosta uuesti; eelmine väljund jäi alles.")
    return (f"{what}; LibreOffice jättis selle pooleli. Koosta uuesti; kui see kordub, ava Wordi "
            "fail LibreOffice'is käsitsi.")


def _drop_structure_tree(writer: PdfWriter) -> None:
    """Remove the tags (structure tree) the parts came with.

    pypdf keeps the first part's structure tree but cannot merge the others' into it, and every
    part numbers its /StructParents from 0: the joined file's tags would point later parts' text
    at the first part's structure. PDF/A-2b does not require tags; wrong tags are worse than none.
    """
    root = writer.root_object
    for key in ("/StructTreeRoot", "/MarkInfo"):
        root.pop(NameObject(key), None)
    for page in writer.pages:
        page.pop(NameObject("/StructParents"), None)


def _pdfa_id(reader: PdfReader) -> tuple[str, str] | None:
    """The PDF/A part and conformance the PDF claims in its XMP, if any."""
    try:
        xmp = reader.xmp_metadata
    except (PyPdfError, ValueError, KeyError):
        return None
    if xmp is None or not xmp.pdfaid_part:
        return None
    return str(xmp.pdfaid_part), str(xmp.pdfaid_conformance or "B")


def _producer(reader: PdfReader) -> str:
    original = ""
    if reader.metadata is not None:
        original = str(reader.metadata.get("/Producer") or "")
    ours = f"pypdf {pypdf.__version__}"
    if not original or original == ours:
        return ours
    if original.endswith(f"; {ours}"):  # a part that normalize_pdf wrote already
        return original
    return f"{original}; {ours}"


def _set_metadata(
    writer: PdfWriter, meta: PdfMetadata, pdfa: tuple[str, str] | None, producer: str
) -> None:
    """Info dictionary and XMP with the same values, as PDF/A requires them to agree."""
    when = datetime.datetime.combine(meta.created, _NOON)
    pdf_date = when.strftime("D:%Y%m%d%H%M%SZ")
    xmp_date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    writer.metadata = {
        "/Title": meta.title,
        "/Author": meta.author,
        "/Subject": meta.subject,
        "/Creator": CREATOR,
        "/Producer": producer,
        "/CreationDate": pdf_date,
        "/ModDate": pdf_date,
    }
    writer.xmp_metadata = _xmp_packet(meta, pdfa, producer, xmp_date).encode("utf-8")
    stream = writer.root_object["/Metadata"].get_object()
    assert isinstance(stream, DictionaryObject)  # pypdf just wrote it from xmp_metadata
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    stream.pop(NameObject("/Filter"), None)  # PDF/A: the metadata stream stays readable


def _xmp_packet(meta: PdfMetadata, pdfa: tuple[str, str] | None, producer: str, date: str) -> str:
    """A complete XMP packet written from scratch, so no value LibreOffice put there survives."""
    pdfaid = ""
    if pdfa is not None:
        pdfaid = (
            f"   <pdfaid:part>{escape(pdfa[0])}</pdfaid:part>\n"
            f"   <pdfaid:conformance>{escape(pdfa[1])}</pdfaid:conformance>\n"
        )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        f"{pdfaid}"
        "   <dc:format>application/pdf</dc:format>\n"
        '   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{escape(meta.title)}</rdf:li></rdf:Alt></dc:title>\n"
        f"   <dc:creator><rdf:Seq><rdf:li>{escape(meta.author)}</rdf:li></rdf:Seq></dc:creator>\n"
        '   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{escape(meta.subject)}</rdf:li></rdf:Alt></dc:description>\n"
        f"   <pdf:Producer>{escape(producer)}</pdf:Producer>\n"
        f"   <xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>\n"
        f"   <xmp:CreateDate>{date}</xmp:CreateDate>\n"
        f"   <xmp:ModifyDate>{date}</xmp:ModifyDate>\n"
        f"   <xmp:MetadataDate>{date}</xmp:MetadataDate>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )


def _fix_icc_dates(writer: PdfWriter, created: datetime.date) -> None:
    """Put `created` into the header of every embedded ICC profile.

    LibreOffice builds its sRGB output profile with lcms at export time, and lcms stamps the
    current date and time into bytes 24-35 of the profile header. When the profile carries an ID
    (an MD5 over the profile), it is recomputed as ICC.1:2010 7.2.18 says.
    """
    stamp = b"".join(
        v.to_bytes(2, "big") for v in (created.year, created.month, created.day, 12, 0, 0)
    )
    for obj in writer._objects:  # every object, wherever it is referenced from
        if not isinstance(obj, StreamObject):
            continue
        try:
            data = obj.get_data()
        except (PyPdfError, ValueError, NotImplementedError):
            continue
        if len(data) < 128 or data[36:40] != b"acsp" or data[24:36] == stamp:
            continue
        profile = bytearray(data)
        profile[24:36] = stamp
        if any(profile[84:100]):
            masked = bytearray(profile)
            masked[44:48] = bytes(4)
            masked[64:68] = bytes(4)
            masked[84:100] = bytes(16)
            profile[84:100] = hashlib.md5(masked).digest()
        obj.set_data(bytes(profile))


def _write_with_stable_id(writer: PdfWriter) -> bytes:
    """Serialise with a file /ID that is a hash of the content instead of random or time-based.

    First written with an all-zero /ID, hashed, then written again with the hash as /ID; the two
    writes differ only in those 32 bytes.
    """
    placeholder = ByteStringObject(bytes(16))
    writer._ID = ArrayObject([placeholder, placeholder])
    first = io.BytesIO()
    writer.write(first)
    digest = hashlib.sha256(first.getvalue()).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    second = io.BytesIO()
    writer.write(second)
    data = second.getvalue()
    if len(data) != len(first.getvalue()):
        raise PackageError(
            "PDF-i teistkordne kirjutamine andis erineva tulemuse; teata sellest arendajale."
        )
    return data


# --- the container -----------------------------------------------------------------------------


def _check_container_files(files: list[Path]) -> None:
    if not files:
        raise PackageError("Konteinerisse pole ühtegi faili panna.")
    problems: list[Problem] = []
    names: set[str] = set()
    for f in files:
        name = f.name
        if not f.is_file():
            problems.append(Problem("Konteinerisse pandavat faili ei ole.", file=f))
            continue
        if f.stat().st_size == 0:
            problems.append(
                Problem(
                    "Fail on tühi; DigiDoc4 ei allkirjasta tühja faili. Tee see uuesti.", file=f
                )
            )
        if not name.isascii() or not name.isprintable() or name != name.strip():
            problems.append(
                Problem(
                    "Faili nimes on täpitähti, tühikuid ääres või muid erimärke; "
                    "anna failile nimi ainult ASCII-tähtedest (nt lisa-01.pdf).",
                    file=f,
                )
            )
        if name.lower() == "mimetype" or name.upper().startswith("META-INF"):
            problems.append(Problem(f"Nimi {name!r} on konteineris reserveeritud.", file=f))
        if name.lower() in names:
            problems.append(Problem(f"Kahel failil on sama nimi {name!r}.", file=f))
        names.add(name.lower())
    if problems:
        raise PackageError(problems)


def _media_type(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")


def _manifest(files: list[Path]) -> str:
    """ODF manifest 1.2: the container itself at "/" and exactly one entry per data file."""
    entries = [
        f'  <manifest:file-entry manifest:full-path="/" manifest:media-type="{ASICE_MIMETYPE}"/>'
    ]
    for f in files:
        entries.append(
            f"  <manifest:file-entry manifest:full-path={quoteattr(f.name)} "
            f"manifest:media-type={quoteattr(_media_type(f))}/>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">\n' + "\n".join(entries) + "\n</manifest:manifest>\n"
    )


def _zip_write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3  # the same on every OS
    info.external_attr = 0o100644 << 16
    zf.writestr(info, data)


# --- output ------------------------------------------------------------------------------------


def write_atomic(out: Path, data: bytes) -> None:
    """Write through a temp file and rename, so a reader never sees half a file."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + out.name + ".", dir=out.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise PackageError(
            [
                Problem(
                    f"Faili ei saa kirjutada ({exc.strerror}); "
                    "kontrolli kausta õigusi ja vaba ruumi.",
                    file=out,
                )
            ]
        ) from exc

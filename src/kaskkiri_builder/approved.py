"""A recorded directive's output is its archive: the approved files, byte for byte.

Once a directive is recorded, `arhiiv/<id>/kinnitatud/` holds what was approved (and, once
there is one, what was signed). Building it again must not produce a look-alike: PDFs embed font
subsets and carry the converter's fingerprints, so another machine with other fonts or another
LibreOffice makes other bytes from the same Word files. So `build` of a recorded directive
delivers the archived files themselves, and uses a rebuild only to verify them:

- every archived file must still have the SHA-256 its manifest gives (the archive is intact);
- the rebuilt Word files must equal the archived ones (the archived definitions and templates
  still make what was approved): otherwise the build fails and changes nothing;
- a rebuilt PDF or container that differs as a document (canonical_pdf.same_pdf: LibreOffice's
  order of the font objects, and the canonical form itself, are no difference) is reported as a
  note, not an error: the archived one is delivered, and the note says why the bytes differ.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ArchiveError, Problem
from .output import MANIFEST

#: The roles whose bytes a rebuild must reproduce exactly on any machine.
WORD_ROLES = frozenset({"directive", "annex"})
#: The roles whose documents (not bytes) a rebuild must reproduce, else a note: PDFs, containers.
PDF_ROLES = frozenset({"pdf", "package"})
CONTAINER_ROLES = frozenset({"container"})


@dataclass(frozen=True)
class ApprovedBuild:
    """The approved files of a recorded directive, as its archive lists them."""

    folder: Path
    manifest: dict[str, Any]
    manifest_bytes: bytes

    @property
    def files(self) -> list[dict[str, Any]]:
        return list(self.manifest.get("files", []))

    def path(self, entry: dict[str, Any]) -> Path:
        return self.folder / str(entry["path"])


def approved_build(folder: Path) -> ApprovedBuild | None:
    """The approved build in `folder` (arhiiv/<id>/kinnitatud/), or None when there is none."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return None
    raw = manifest_path.read_bytes()
    try:
        manifest = json.loads(raw.decode("utf-8"))
        files = manifest["files"]
        assert isinstance(files, list) and all("path" in f and "sha256" in f for f in files)
    except (ValueError, KeyError, TypeError, AssertionError):
        raise ArchiveError(
            Problem("kinnitatud koosseisu manifest on loetamatu. Taasta arhiiv varukoopiast või "
                    "git-ist (git checkout -- arhiiv/).", _shown(manifest_path))
        ) from None
    return ApprovedBuild(folder, manifest, raw)


def intact_files(approved: ApprovedBuild) -> dict[str, bytes]:
    """Every archived file's bytes, once each exists and has the SHA-256 its manifest gives."""
    problems = []
    files: dict[str, bytes] = {}
    for entry in approved.files:
        path = approved.path(entry)
        if not path.is_file():
            problems.append(Problem("kinnitatud fail puudub arhiivist. Taasta see varukoopiast või "
                                    "git-ist (git checkout -- arhiiv/).", _shown(path)))
            continue
        data = path.read_bytes()
        if _sha256(data) != entry["sha256"]:
            problems.append(Problem("kinnitatud fail on arhiivis muutunud (SHA-256 ei vasta "
                                    "manifestile). Taasta see varukoopiast või git-ist "
                                    "(git checkout -- arhiiv/).", _shown(path)))
        files[str(entry["path"])] = data
    if problems:
        raise ArchiveError(problems)
    return files


def compare_rebuild(approved: ApprovedBuild, rebuilt: Path) -> list[str]:
    """Compare a rebuild with the approved files: Word files must match (else ArchiveError);
    the notes (Estonian) name the PDFs and containers whose bytes differ, and why."""
    problems: list[Problem] = []
    differing: list[str] = []
    same = _SameDocument()
    for entry in approved.files:
        name = str(entry["path"])
        made = rebuilt / name
        if not made.is_file():
            if entry.get("role") in WORD_ROLES:
                problems.append(Problem("arhiivi definitsioonidest ei koostatud seda Wordi faili. "
                                        "Arhiiv on muudetud: taasta see (git checkout -- arhiiv/).",
                                        _shown(approved.path(entry))))
            continue
        data = made.read_bytes()
        if _sha256(data) == entry["sha256"]:
            continue
        if same(entry.get("role"), approved.path(entry).read_bytes(), data):
            continue
        if entry.get("role") in WORD_ROLES:
            problems.append(Problem(
                "arhiivi definitsioonidest ja mallidest koostatud Wordi fail erineb kinnitatust: "
                "arhiivi definitsioone või malle on muudetud, või see kaskkiri koostab teksti "
                "teisiti. Väljundit ei muudetud. Taasta arhiiv (git checkout -- arhiiv/) või "
                "kasuta kaskkirja versiooni, millega käskkiri kinnitati.", _shown(approved.path(entry))))
        else:
            differing.append(name)
    if problems:
        raise ArchiveError(problems)
    if not differing:
        return []
    shown = ", ".join(differing[:3]) + (f" ja veel {len(differing) - 3}" if len(differing) > 3 else "")
    return [
        f"uuesti koostatud failidest {len(differing)} ({shown}) erinevad baitide poolest "
        "kinnitatutest: selle masina LibreOffice või fondid ei ole need, millega käskkiri kinnitati "
        "(Wordi failid on samad). Väljundis on kinnitatud failid arhiivist."
    ]


class _SameDocument:
    """Whether a rebuilt PDF or container holds the approved documents object for object
    (canonical_pdf.py: LibreOffice's order of the font objects, or the canonical form a newer
    kaskkiri writes, is no difference). Each pair of PDFs is compared once: a container's
    members are the PDFs compared before it."""

    def __init__(self) -> None:
        self._pdfs: dict[tuple[str, str], bool] = {}

    def __call__(self, role: object, approved: bytes, rebuilt: bytes) -> bool:
        if role in PDF_ROLES:
            return self._pdf(approved, rebuilt)
        if role in CONTAINER_ROLES:
            try:
                with zipfile.ZipFile(io.BytesIO(approved)) as a, zipfile.ZipFile(io.BytesIO(rebuilt)) as b:
                    names = a.namelist()
                    return names == b.namelist() and all(
                        self._member(n, a.read(n), b.read(n)) for n in names)
            except (zipfile.BadZipFile, OSError, ValueError):
                return False
        return False

    def _member(self, name: str, approved: bytes, rebuilt: bytes) -> bool:
        return approved == rebuilt or (name.endswith(".pdf") and self._pdf(approved, rebuilt))

    def _pdf(self, approved: bytes, rebuilt: bytes) -> bool:
        from .canonical_pdf import same_pdf  # qpdf: only a rebuild that differs in bytes needs it

        key = (_sha256(approved), _sha256(rebuilt))
        if key not in self._pdfs:
            self._pdfs[key] = same_pdf(approved, rebuilt)
        return self._pdfs[key]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _shown(path: Path) -> str:
    """A path as messages show it: from arhiiv/ on."""
    parts = path.parts
    return str(Path(*parts[parts.index("arhiiv"):])) if "arhiiv" in parts else str(path)

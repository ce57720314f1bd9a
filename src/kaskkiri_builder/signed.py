"""What was signed: the final build in output/<id>/ and the container signed from it.

`record --konteiner` reads both here (the edges: the files, libdigidocpp) and lets
`container_check` decide whether the container is the final build, signed. What it returns is
what the recording keeps: the final build's files as they are (they become the approved build)
and the signed container's bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .container_check import TRUST_NOT_CHECKED, Signer, container_problems, expected_files, signers
from .errors import ContainerRefused, Problem, RecordError
from .output import MANIFEST


@dataclass(frozen=True)
class FinalBuild:
    """The final build of a directive (`build --nr --kuupaev`), every file checked against its
    manifest."""

    folder: Path
    manifest: dict[str, Any]
    manifest_bytes: bytes
    files: dict[str, bytes]

    @property
    def number(self) -> str | None:
        n = self.manifest.get("number")
        return None if n is None else str(n)

    @property
    def date(self) -> str | None:
        d = self.manifest.get("date")
        return None if d is None else str(d)

    def word_files(self) -> dict[str, str]:
        """The Word files' names and SHA-256: what the definitions must still make."""
        return {str(f["path"]): str(f["sha256"]) for f in self.manifest["files"]
                if f.get("role") in ("directive", "annex")}


@dataclass(frozen=True)
class SignedFinal:
    final: FinalBuild
    container: bytes
    signers: list[Signer]
    notes: list[str]


def signed_in_output(output: Path, directive_id: str) -> Path | None:
    """The container in output/<id>/, when it has been signed there (DigiDoc4 signs in place)."""
    import zipfile

    path = output / directive_id / f"kaskkiri-{directive_id}.asice"
    try:
        with zipfile.ZipFile(path) as zf:
            signed = any(n.startswith("META-INF/") and "signature" in n.lower() for n in zf.namelist())
    except (OSError, zipfile.BadZipFile):
        return None
    return path if signed else None


def final_build(output: Path, directive_id: str) -> FinalBuild:
    """output/<id>/ as the final build left it; RecordError when it is a draft, missing or
    changed since (the container is checked against these very files)."""
    folder = output / directive_id
    shown = f"output/{directive_id}/{MANIFEST}"
    again = (f"Koosta lõplik käskkiri uuesti samade väärtustega (kaskkiri build {directive_id} "
             "--nr NUMBER --kuupaev PP.KK.AAAA): see annab samad failid, mis allkirjastati.")
    try:
        raw = (folder / MANIFEST).read_bytes()
        manifest = json.loads(raw.decode("utf-8"))
        entries = list(manifest["files"])
    except FileNotFoundError:
        raise RecordError(Problem(
            f"lõplikku koostamist pole. Koosta lõplik käskkiri (kaskkiri build {directive_id} --nr "
            "NUMBER --kuupaev PP.KK.AAAA), allkirjasta selle konteiner ja anna see --konteiner "
            "võtmega; kui see oli juba tehtud, korda lõplikku koostamist samade väärtustega.",
            shown)) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise RecordError(Problem(f"manifest on loetamatu. {again}", shown)) from None
    if manifest.get("final") is not True or manifest.get("directive") != directive_id:
        raise RecordError(Problem(f"output/{directive_id}/ on eelnõu, mitte lõplik koostamine. {again}", shown))
    files: dict[str, bytes] = {}
    containers = [e for e in entries if e.get("role") == "container"]
    for entry in [e for e in entries if e.get("role") != "container"]:
        files[str(entry["path"])] = _intact(folder, entry, directive_id, again)
    for entry in containers:
        files[str(entry["path"])] = _unsigned_container(folder, entry, files, directive_id, again)
    return FinalBuild(folder, manifest, raw, files)


def _intact(folder: Path, entry: dict[str, Any], directive_id: str, again: str) -> bytes:
    shown = f"output/{directive_id}/{entry['path']}"
    try:
        data = (folder / str(entry["path"])).read_bytes()
    except OSError:
        raise RecordError(Problem(f"lõpliku koostamise fail puudub. {again}", shown)) from None
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise RecordError(Problem(f"faili on pärast lõplikku koostamist muudetud. {again}", shown))
    return data


def _unsigned_container(folder: Path, entry: dict[str, Any], files: dict[str, bytes],
                        directive_id: str, again: str) -> bytes:
    """The final build's unsigned container. DigiDoc4 signs the file it opened, so the one in
    output/ may be the signed one now: the unsigned container is made again from the PDFs it
    holds (its bytes depend on theirs alone) and must have the manifest's SHA-256."""
    path = folder / str(entry["path"])
    on_disk = path.read_bytes() if path.is_file() else b""
    if hashlib.sha256(on_disk).hexdigest() == entry.get("sha256"):
        return on_disk
    from .package import make_asice

    with tempfile.TemporaryDirectory(prefix="kaskkiri-konteiner-") as tmp:
        pdfs = []
        for name in entry.get("files", []):
            if str(name) not in files:
                raise RecordError(Problem(f"lõpliku koostamise manifest on vigane. {again}",
                                          f"output/{directive_id}/{MANIFEST}"))
            (Path(tmp) / str(name)).write_bytes(files[str(name)])
            pdfs.append(Path(tmp) / str(name))
        make_asice(pdfs, Path(tmp) / "uuesti.asice")
        data = (Path(tmp) / "uuesti.asice").read_bytes()
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise RecordError(Problem(f"konteinerit ei saa lõplikust koostamisest taastada. {again}",
                                  f"output/{directive_id}/{entry['path']}"))
    return data


def signed_final(output: Path, directive_id: str, container: Path) -> SignedFinal:
    """The final build and the signed container, once the container is the final build signed;
    ContainerRefused with every reason otherwise. Nothing is written."""
    from .digidoc import read_container

    final = final_build(output, directive_id)
    expected = expected_files(final.manifest)
    if not expected:
        raise RecordError(Problem(
            "lõplikus koostamises pole konteinerit (see koostati ilma PDF-ita?). Koosta lõplik "
            f"käskkiri koos PDF-iga (kaskkiri build {directive_id} --nr … --kuupaev …) ja "
            "allkirjasta selle konteiner.", f"output/{directive_id}/{MANIFEST}"))
    read = read_container(container)
    problems = container_problems(read, expected, directive_id, _is_draft)
    if problems:
        raise ContainerRefused(problems)
    people = signers(read)
    notes = [TRUST_NOT_CHECKED]
    for s in people:
        if s.said:
            notes.append(f"libdigidocpp allkirja kohta ({s.name}): " + "; ".join(s.said))
    return SignedFinal(final, container.read_bytes(), people, notes)


def _is_draft(data: bytes) -> bool:
    """A PDF whose first page carries the draft mark."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        return bool(reader.pages) and "EELNÕU" in (reader.pages[0].extract_text() or "")
    except (PyPdfError, ValueError, OSError):
        return False

"""Is this signed container the final build? The rules, without I/O.

`record --konteiner` accepts a container only when its data files are exactly the final build's
documents (names and SHA-256 from the final build's manifest), it holds at least one signature,
and every signature is whole (each signed reference's digest and the signature value check out).
Each way of being wrong gets its own message, naming the file and what to do. The trust chain of
the signer's certificate needs the EU trusted list and cannot be checked offline: that is said,
with what libdigidocpp reported, but does not refuse the container.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem

#: libdigidocpp's validation lines that say a signature itself is broken (a signed file or the
#: signed properties changed after signing, a bad signature value). Every other line is about
#: trust (certificate chain, key usage, missing OCSP or time-stamp), which needs the network.
BROKEN = ("failed to validate", "do not match", "is not signed", "signature value")

TRUST_NOT_CHECKED = (
    "Allkirjastaja sertifikaadi usaldusahelat ei saa ilma võrguta kontrollida (selleks on vaja "
    "ELi usaldusnimekirja): kontrolli seda DigiDoc4-s. Kontrollitud on failide vastavus ja "
    "allkirjade terviklikkus."
)


@dataclass(frozen=True)
class ContainedFile:
    name: str
    sha256: str
    data: bytes


@dataclass(frozen=True)
class ContainedSignature:
    id: str
    signed_by: str  # the certificate's name as libdigidocpp gives it ("MAASIKAS,MARI,4800…")
    time: str  # ISO 8601 UTC: the time-stamp's time, else the signer's claimed time
    validation: tuple[str, ...]  # what libdigidocpp's validation said, line by line; () = valid


@dataclass(frozen=True)
class SignedContainer:
    path: Path
    files: tuple[ContainedFile, ...]
    signatures: tuple[ContainedSignature, ...]


@dataclass(frozen=True)
class Signer:
    name: str  # "Mari Maasikas": the certificate's name without the personal code
    time: str  # ISO 8601 UTC
    said: tuple[str, ...]  # what libdigidocpp said about trust (lines), for the user


def signer_name(signed_by: str) -> str:
    """An Estonian ID card's "SURNAME,GIVEN NAMES,CODE" as "Given Names Surname", without the
    personal code (it does not belong in a ledger kept in version control); other names as given."""
    parts = [p.strip() for p in signed_by.split(",")]
    if len(parts) == 3 and parts[2].isdigit():
        return " ".join(_capitalised(w) for w in f"{parts[1]} {parts[0]}".split())
    return signed_by.strip()


def _capitalised(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def is_broken(signature: ContainedSignature) -> bool:
    return any(marker in line.lower() for line in signature.validation for marker in BROKEN)


def container_problems(
    container: SignedContainer,
    expected: dict[str, str],
    directive_id: str,
    is_draft: Callable[[bytes], bool],
) -> list[Problem]:
    """Every reason to refuse `container` as the signed form of the final build whose documents
    are `expected` (name -> SHA-256); [] when it is the one."""
    where = container.path
    signed = f"output/{directive_id}/kaskkiri-{directive_id}.asice"
    problems: list[Problem] = []
    got = {f.name: f for f in container.files}
    for name in sorted(set(expected) - set(got)):
        problems.append(Problem(
            f"konteineris puudub fail {name}, mis kuulub lõplikku koostamisse. Allkirjasta "
            f"{signed} tervikuna (DigiDoc4-s faile eemaldamata).", where))
    for name in sorted(set(got) - set(expected)):
        problems.append(Problem(
            f"konteineris on fail {name}, mida lõplikus koostamises pole. Allkirjasta {signed} "
            "nii, nagu kaskkiri build selle koostas, ilma faile lisamata.", where))
    differing = [n for n in sorted(set(got) & set(expected)) if got[n].sha256 != expected[n]]
    drafts = [n for n in differing if is_draft(got[n].data)]
    if drafts:  # one message: a draft signed by mistake is one mistake, however many files
        shown = ", ".join(drafts)
        problems.append(Problem(
            f"konteineri {'fail' if len(drafts) == 1 else 'failid'} {shown} "
            f"on eelnõu (märge EELNÕU): allkirjastati eelnõu. "
            f"Koosta lõplik käskkiri (kaskkiri build {directive_id} --nr NUMBER --kuupaev "
            f"PP.KK.AAAA) ja allkirjasta selle konteiner {signed}.", where))
    for name in differing:
        if name not in drafts:
            problems.append(Problem(
                f"konteineri fail {name} erineb lõplikust koostamisest (SHA-256 erineb): seda on "
                f"pärast koostamist muudetud või see on pärit teisest koostamisest. Allkirjasta "
                f"{signed} uuesti.", where))
    if not container.signatures:
        problems.append(Problem(
            "konteineris pole ühtegi allkirja: see on allkirjastamata konteiner. Allkirjasta see "
            "DigiDoc4-s ja anna allkirjastatud fail.", where))
    for s in container.signatures:
        if is_broken(s):
            said = "; ".join(s.validation)
            problems.append(Problem(
                f"allkiri {s.id} ({signer_name(s.signed_by)}) ei ole terviklik: konteinerit on "
                f"pärast allkirjastamist muudetud (libdigidocpp: {said}). Allkirjasta {signed} "
                "uuesti.", where))
    return problems


def signers(container: SignedContainer) -> list[Signer]:
    return [Signer(signer_name(s.signed_by), s.time, s.validation) for s in container.signatures]


def expected_files(manifest: dict[str, Any]) -> dict[str, str]:
    """The documents the final build put into its container: name -> SHA-256."""
    by_path = {str(f.get("path")): str(f.get("sha256")) for f in manifest.get("files", [])}
    for entry in manifest.get("files", []):
        if entry.get("role") == "container":
            return {str(n): by_path.get(str(n), "") for n in entry.get("files", [])}
    return {}

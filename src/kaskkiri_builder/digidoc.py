"""Reading a signed ASiC-E container with libdigidocpp (the `pydigidoc` wheel), offline.

An edge of the pipeline: `record --konteiner` hands the container here and gets back what it
holds (data files with their SHA-256, signatures with signer, time and what libdigidocpp's
validation said). Whether that is the final build is decided by `container_check`, which does
no I/O.

libdigidocpp is kept offline: by default it downloads the EU trusted list on start-up (10 s
time-out without network) and sends PDFs to a web service (SiVa). Its configuration points at a
private folder with the bundled schemas and at a trusted list that fails at once, and a file
that is not an ASiC-E zip never reaches it. So the trust chain of a signer's certificate cannot
be checked here; the structure of each signature (every signed reference's digest, the
signature value) can, and is.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .container_check import ContainedFile, ContainedSignature, SignedContainer
from .errors import ContainerRefused, Problem
from .package import ASICE_MIMETYPE


def read_container(path: Path) -> SignedContainer:
    """What the container at `path` holds; ContainerRefused when it is not an ASiC-E container."""
    _check_asice(path)
    lib = library()
    with _quiet_stderr():
        try:
            container = lib.Container.open(str(path))
        except RuntimeError as exc:
            raise ContainerRefused(Problem(
                f"libdigidocpp ei saanud konteinerit avada: {_one_line(exc)}. Kontrolli, et see "
                "on DigiDoc4-s allkirjastatud .asice fail.", path)) from None
        files = tuple(_file(f) for f in container.data_files())
        signatures = tuple(_signature(s) for s in container.signatures())
    return SignedContainer(path, files, signatures)


def _check_asice(path: Path) -> None:
    """A zip whose first entry `mimetype` says ASiC-E; a .ddoc, a PDF or a plain zip is refused
    here, with a message, before libdigidocpp would send it to a web service."""
    what = ("ei ole ASiC-E konteiner (.asice). Anna DigiDoc4-s allkirjastatud fail "
            "kaskkiri-<id>.asice, mille kaskkiri build koostas, mitte PDF-i ega muud faili.")
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            mimetype = zf.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
    except FileNotFoundError:
        raise ContainerRefused(Problem("faili pole. Kontrolli --konteiner teed.", path)) from None
    except IsADirectoryError:
        raise ContainerRefused(Problem("see on kaust, mitte fail. Anna --konteiner "
                                       "allkirjastatud .asice failiga.", path)) from None
    except (zipfile.BadZipFile, OSError):
        raise ContainerRefused(Problem(f"fail {what}", path)) from None
    if not names or names[0] != "mimetype" or mimetype != ASICE_MIMETYPE:
        raise ContainerRefused(Problem(f"ZIP-fail {what}", path))


def _file(f: Any) -> ContainedFile:
    with tempfile.TemporaryDirectory(prefix="kaskkiri-asice-") as tmp:
        out = Path(tmp) / "data"
        f.save_as(str(out))
        data = out.read_bytes()
    return ContainedFile(str(f.file_name()), hashlib.sha256(data).hexdigest(), data)


def _signature(s: Any) -> ContainedSignature:
    try:
        s.validate()
        said: tuple[str, ...] = ()
    except RuntimeError as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        said = tuple(line for line in lines if line != "Signature validation")  # a heading
    when = str(s.trusted_signing_time() or s.claimed_signing_time())
    return ContainedSignature(str(s.id()), str(s.signed_by()), when, said)


def _one_line(exc: BaseException) -> str:
    return " / ".join(line.strip() for line in str(exc).splitlines() if line.strip()) or type(exc).__name__


# --- libdigidocpp, set up once per process, offline -------------------------------------------

_STATE: dict[str, object] = {}


def library() -> Any:
    """pydigidoc, initialised offline (once: libdigidocpp's configuration is process-wide)."""
    if "lib" in _STATE:
        return _STATE["lib"]
    import pydigidoc

    conf_dir = Path(tempfile.mkdtemp(prefix="kaskkiri-digidocpp-"))
    atexit.register(shutil.rmtree, conf_dir, True)
    for xsd in (Path(pydigidoc.__file__).parent / "schema").glob("*.xsd"):
        (conf_dir / xsd.name).write_bytes(xsd.read_bytes())
    conf = pydigidoc.DigiDocConf(str(conf_dir))
    conf.set_tslurl((conf_dir / "usaldusnimekirja-pole.xml").as_uri())  # fails at once: offline
    conf.thisown = False  # Conf::init takes ownership
    pydigidoc.Conf.init(conf)
    with _quiet_stderr():
        pydigidoc.initialize_lib("kaskkiri", str(conf_dir))
    _STATE["lib"] = pydigidoc
    return pydigidoc


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """libxml2 inside libdigidocpp writes warnings (the missing trusted list) straight to file
    descriptor 2; they say nothing the user can act on, so they are kept off the terminal."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)

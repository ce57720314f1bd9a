"""Writing a build's files: staged in a temporary folder, moved into place only at the end.

A failed build leaves the previous output as it was: files are written into a hidden folder next
to the target, and the target is replaced by two renames once everything succeeded. The manifest
lists every file with its role and SHA-256, so that a reviewer or a records manager can verify
that what was signed is what was built.

Every path this module replaces or deletes lies strictly inside the output folder and is no
symbolic link (`check_inside`); the output folder itself lies inside the project. A hidden
folder left by a killed build names its owner process (`pidfile`) and is removed by the next
build once that process is gone. An OSError a user can cause (no write permission, a full disk,
a file where a folder belongs) becomes an OutputError that names the path.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import pidfile
from .errors import OutputError, Problem

MANIFEST = "manifest.json"

#: `.<name>.old-<pid>`: the previous output, moved aside by build <pid> during `commit()`.
_OLD_RE = re.compile(r"^\.(?P<name>.+)\.old-(?P<pid>\d+)$")


@dataclass
class OutputFile:
    path: str  # relative to the build folder, ASCII
    role: str  # "directive" | "annex" | "pdf" | "package" | "container" | ...
    annex: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. {"pages": 3}


def _reason(exc: OSError) -> str:
    """What the user can do about `exc`, in Estonian."""
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ("kirjutamisõigus puudub (kaust või ketas on ainult lugemiseks). Anna kasutajale "
                "kirjutamisõigus või käivita kaskkiri projektis, kuhu tohib kirjutada.")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "kettal pole vaba ruumi (või kvoot on täis). Vabasta ruumi ja käivita uuesti."
    if code in (errno.EEXIST, errno.ENOTDIR, errno.EISDIR, errno.ENOTEMPTY):
        return ("selles kohas on fail, kus peaks olema kaust (või kaust, kus peaks olema fail). "
                "Nimeta see ümber või kustuta ja käivita uuesti.")
    return f"kirjutamine ebaõnnestus ({exc.strerror or exc}). Kontrolli kausta ja ketast."


@contextmanager
def writing(path: Path, *, name_os_path: bool = True) -> Iterator[None]:
    """Turn an OSError while writing `path` into an OutputError naming the path the system
    names (with `name_os_path=False`: always `path`, the folder the user can fix)."""
    try:
        yield
    except OSError as exc:
        where = exc.filename if exc.filename is not None and name_os_path else path
        raise OutputError(Problem(f"väljundit ei saanud kirjutada: {_reason(exc)}",
                                  file=str(where))) from exc


def check_inside(path: Path, root: Path) -> Path:
    """`path` made absolute, after checking that it lies strictly inside `root` and is no
    symbolic link: the only kind of path kaskkiri may replace or delete. Else an OutputError."""
    path = Path(path)
    real_root = Path(root).resolve()
    if path.name in ("", ".", ".."):
        real = path.resolve()
    else:
        real = path.parent.resolve() / path.name
    if real_root not in real.parents:
        raise OutputError(Problem(
            f"kaskkiri ei kirjuta ega kustuta väljaspool kausta {real_root}: tee viib kohta "
            f"{real}. Kontrolli käskkirja id-d ja nimeviiteid (symbolic link).", file=str(path)))
    if real.is_symlink():
        raise OutputError(Problem(
            f"see on nimeviide (symbolic link) kohta {os.readlink(real)}; kaskkiri ei asenda ega "
            f"kustuta midagi nimeviite kaudu. Eemalda nimeviide (rm {path}) ja käivita uuesti.",
            file=str(path)))
    return real


def check_output_root(root: Path, project: Path) -> Path:
    """`root` (output/ or arhiiv/) resolved, after checking that it lies inside `project`."""
    real = Path(root).resolve()
    if Path(project).resolve() not in real.parents:
        raise OutputError(Problem(
            f"väljundi kaust viib projektist välja (kohta {real}), ilmselt nimeviite (symbolic "
            f"link) kaudu; kaskkiri ei kirjuta ega kustuta väljaspool projekti. Asenda see "
            f"tavalise kaustaga.", file=str(root)))
    return real


def make_staging_dir(parent: Path, prefix: str) -> Path:
    """A new hidden folder `parent/<prefix><random>` that honours the umask (like mkdir, unlike
    tempfile.mkdtemp's 0700) and names its owner, so that a later run can remove it if this one
    is killed."""
    with writing(parent, name_os_path=False):
        while True:
            folder = parent / f"{prefix}{secrets.token_hex(4)}"
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            try:
                pidfile.mark(folder)
            except OSError:
                folder.rmdir()  # a folder naming no owner would stay for ever
                raise
            return folder


def remove_leftovers(root: Path) -> None:
    """Remove what killed builds left in `root`: staging folders and moved-aside old outputs.

    An old output whose target is missing (killed between `commit()`'s two renames) is put back.
    """
    pidfile.remove_stale(root, ".")
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        m = _OLD_RE.match(entry.name)
        if m is None or not entry.is_dir(follow_symlinks=False):
            continue
        if pidfile.process_alive(int(m["pid"])):
            continue
        old, target = Path(entry.path), root / m["name"]
        try:
            if m["name"] not in (".", "..") and not os.path.lexists(target):
                os.replace(old, target)
            else:
                shutil.rmtree(old)
        except OSError:
            pass  # best effort: the build itself goes on


class StagedOutput:
    """A build folder under construction; `commit()` puts it in place of `target`.

    `root` (default: the folder above `target`) is the folder `target` must lie in; with
    `project`, `root` itself must lie inside the project (a symlinked output/ pointing elsewhere
    is refused before anything is written or deleted).
    """

    def __init__(self, target: Path, *, root: Path | None = None, project: Path | None = None):
        root = Path(root) if root is not None else Path(target).parent
        if project is not None:
            check_output_root(root, project)
        with writing(root):
            root.mkdir(parents=True, exist_ok=True)
        self.root = root.resolve()
        self.target = check_inside(target, self.root)
        if self.target.exists() and not self.target.is_dir():
            raise OutputError(Problem(
                "siin on fail, kuhu kaskkiri kirjutab käskkirja kausta. Nimeta fail ümber või "
                "kustuta see ja käivita uuesti.", file=str(target)))
        remove_leftovers(self.target.parent)
        self.dir = make_staging_dir(self.target.parent, f".{self.target.name}.")
        self.files: list[OutputFile] = []

    def write(self, name: str, data: bytes, role: str, annex: int | None = None, **extra: Any) -> Path:
        path = self.dir / name
        # Whole or not at all: LibreOffice may already be waiting to open it.
        tmp = path.with_name(f".{path.name}.part")
        with writing(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, path)
        self.files.append(OutputFile(name, role, annex, dict(extra)))
        return path

    def add(self, name: str, role: str, annex: int | None = None, **extra: Any) -> Path:
        """Register a file something else already wrote into the staging folder."""
        self.files.append(OutputFile(name, role, annex, dict(extra)))
        return self.dir / name

    def manifest(self, directive_id: str, **extra: Any) -> dict[str, Any]:
        files = []
        for f in self.files:
            entry: dict[str, Any] = {"path": f.path, "role": f.role}
            if f.annex is not None:
                entry["annex"] = f.annex
            entry.update(f.extra)
            with writing(self.dir / f.path):
                entry["sha256"] = hashlib.sha256((self.dir / f.path).read_bytes()).hexdigest()
            files.append(entry)
        return {"directive": directive_id, **extra, "files": files}

    def commit(self, directive_id: str, **extra: Any) -> dict[str, Any]:
        """Write manifest.json (with `extra` top-level entries) and put the folder in place."""
        manifest = self.manifest(directive_id, **extra)
        raw = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        self.commit_manifest(raw)
        return manifest

    def commit_manifest(self, raw: bytes) -> None:
        """Write `raw` as manifest.json (an archived one, byte for byte) and put the folder in place."""
        with writing(self.dir / MANIFEST):
            (self.dir / MANIFEST).write_bytes(raw)
        self._put_in_place()

    def _put_in_place(self) -> None:
        target = check_inside(self.target, self.root)  # again: it may have changed meanwhile
        old = None
        with writing(target):
            if target.exists():
                old = check_inside(target.with_name(f".{target.name}.old-{os.getpid()}"), self.root)
                if old.exists():
                    shutil.rmtree(old)
                os.replace(target, old)
            try:
                os.replace(self.dir, target)
            except OSError:
                if old is not None:
                    os.replace(old, target)  # the previous output stays
                raise
        with suppress(OSError):
            pidfile.unmark(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(check_inside(self.dir, self.root), ignore_errors=True)

    def __enter__(self) -> StagedOutput:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self.dir.exists():
            self.discard()

"""Writing a build's files: staged in a temporary folder, moved into place only at the end.

A failed build leaves the previous output as it was: files are written into a hidden folder next
to the target, and the target is replaced by two renames once everything succeeded. The manifest
lists every file with its role and SHA-256, so that a reviewer or a records manager can verify
that what was signed is what was built.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"


@dataclass
class OutputFile:
    path: str  # relative to the build folder, ASCII
    role: str  # "directive" | "annex" | "pdf" | "package" | "container" | ...
    annex: int | None = None
    extra: dict = field(default_factory=dict)  # e.g. {"pages": 3}


class StagedOutput:
    """A build folder under construction; `commit()` puts it in place of `target`."""

    def __init__(self, target: Path):
        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", dir=self.target.parent))
        self.files: list[OutputFile] = []

    def write(self, name: str, data: bytes, role: str, annex: int | None = None, **extra) -> Path:
        path = self.dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # Whole or not at all: LibreOffice may already be waiting to open it.
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        self.files.append(OutputFile(name, role, annex, dict(extra)))
        return path

    def add(self, name: str, role: str, annex: int | None = None, **extra) -> Path:
        """Register a file something else already wrote into the staging folder."""
        self.files.append(OutputFile(name, role, annex, dict(extra)))
        return self.dir / name

    def manifest(self, directive_id: str, **extra) -> dict:
        files = []
        for f in self.files:
            entry = {"path": f.path, "role": f.role}
            if f.annex is not None:
                entry["annex"] = f.annex
            entry.update(f.extra)
            entry["sha256"] = hashlib.sha256((self.dir / f.path).read_bytes()).hexdigest()
            files.append(entry)
        return {"directive": directive_id, **extra, "files": files}

    def commit(self, directive_id: str, **extra) -> dict:
        """Write manifest.json (with `extra` top-level entries) and put the folder in place."""
        manifest = self.manifest(directive_id, **extra)
        (self.dir / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        old = None
        if self.target.exists():
            old = self.target.with_name(f".{self.target.name}.old-{os.getpid()}")
            if old.exists():
                shutil.rmtree(old)
            os.replace(self.target, old)
        os.replace(self.dir, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return manifest

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "StagedOutput":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.dir.exists():
            self.discard()

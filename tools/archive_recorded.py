"""Archive a directive that was recorded by hand (already in definitions/ajalugu.yaml).

`kaskkiri record` archives a directive when it records it. A directive that entered the ledger
another way (the bundled example's 2026-01, or history typed in from the register) gets its
archive with this script, run once:
    .venv/bin/python tools/archive_recorded.py 2026-01
With --refresh it rebuilds an existing archive's approved build from the archive's own
definitions and templates (for the bundled example, after a change to kaskkiri's rendering).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from kaskkiri_builder.build import APPROVED, Project, archive_root, build
from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.recording import stage_archive


def refresh(directive_id: str) -> None:
    root = archive_root(Project(Path.cwd()), directive_id)
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        build(Project(root, output_root=Path(tmp)), directive_id)
        shutil.rmtree(root / APPROVED)
        os.replace(Path(tmp) / directive_id, root / APPROVED)
    print(f"rebuilt {root / APPROVED}")


def main(directive_id: str) -> None:
    project = Project(Path.cwd())
    defs = load_definitions(project.definitions)
    d = defs.directives[directive_id]
    if d.is_draft or not any(e.id == directive_id for e in defs.ledger or ()):
        raise SystemExit(f"{directive_id} is not recorded (number, date and a ledger entry needed)")
    final = archive_root(project, directive_id)
    if final.exists():
        raise SystemExit(f"{final} exists already")
    staging, _ = stage_archive(project, directive_id, {}, progress=lambda m: print(m, file=sys.stderr))
    os.replace(staging, final)
    print(f"archived {directive_id} in {final}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--refresh"]:
        refresh(sys.argv[2])
    else:
        main(sys.argv[1])

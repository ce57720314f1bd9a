"""The definitions each recorded directive was signed with (`arhiiv/<id>/definitions/`).

Clause usage and the out-of-date list compare today's definitions with what was signed; the
signed wording lives in the archive, not in the ledger. Reading it is the only I/O here, and it
goes through `load_definitions` like every other read of definitions.
"""

from __future__ import annotations

from pathlib import Path

from .definitions import load_definitions
from .definitions.model import Definitions, LedgerDirective
from .ids import check_directive_id

ARCHIVE = "arhiiv"  # the same folder as build.ARCHIVE (the core does not import build)


def archive_definitions(project_root: Path, directive_id: str) -> Path:
    """Where the definitions of recorded `directive_id` are kept."""
    return project_root / ARCHIVE / check_directive_id(directive_id) / "definitions"


def has_archive(project_root: Path, entry: LedgerDirective) -> bool:
    """Whether the ledger entry's signed definitions can be read (older entries have none)."""
    return entry.id is not None and archive_definitions(project_root, entry.id).is_dir()


def recorded_definitions(project_root: Path, defs: Definitions) -> dict[str, Definitions]:
    """The signed definitions of every ledger entry that has an archive, by directive id.

    File names in messages stay relative to the project (`arhiiv/<id>/definitions/...`).
    """
    out: dict[str, Definitions] = {}
    for entry in defs.ledger or ():
        if entry.id is not None and has_archive(project_root, entry):
            out[entry.id] = load_definitions(archive_definitions(project_root, entry.id), project_root)
    return out


def current_and_signed(project_root: Path) -> tuple[Definitions, dict[str, Definitions]]:
    """Today's definitions (`definitions/`) and the signed ones of every archived directive."""
    defs = load_definitions(project_root / "definitions", project_root)
    return defs, recorded_definitions(project_root, defs)

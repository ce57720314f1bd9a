"""The benchmark's agency generator writes definitions that load and resolve (a small agency, in-process)."""

from __future__ import annotations

import sys
from pathlib import Path

from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.resolve import resolve_directive

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from generate_agency import generate  # noqa: E402


def test_small_agency_loads_and_resolves(tmp_path: Path) -> None:
    generate(tmp_path, posts=60, units=6, ledger_size=10, annexes=20, seed=3)
    defs = load_definitions(tmp_path / "definitions")
    assert len(defs.posts) == 60
    assert len(defs.organisation.units) == 6
    assert defs.ledger is not None and len(defs.ledger) == 10
    approved = [pid for d in defs.ledger for pid in d.annexes.values()]
    assert sorted(approved) == sorted(defs.posts)  # the ledger approved every post once
    rd = resolve_directive(defs, "suur")
    assert len(rd.annexes) == 20
    unit = rd.directive.unit
    assert all(defs.organisation.belongs_to(defs.posts[a.post.id].unit, unit) for a in rd.annexes)
    assert rd.revoked  # point 2: the earlier directives of these posts
    assert (tmp_path / "templates" / "ametijuhend.docx").is_file()

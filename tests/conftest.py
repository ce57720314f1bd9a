"""Shared fixtures: a private copy of the bundled example project, and the reference text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE = FIXTURES / "ska-2026-01-nr1.txt"


def copy_example(dest: Path) -> Path:
    """A copy of the example (definitions, templates, archive) that a test may change freely."""
    shutil.copytree(ROOT / "definitions", dest / "definitions")
    shutil.copytree(ROOT / "templates", dest / "templates")
    shutil.copytree(ROOT / "arhiiv", dest / "arhiiv")
    return dest


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "projekt")


def fold(text: str) -> str:
    """Whitespace folded: every run of white space becomes one space."""
    return re.sub(r"\s+", " ", text).strip()


_HEADING = re.compile(
    r"KINNITATUD\s+Sotsiaalkindlustusameti\s+peadirektori\s+07\.01\.2026\s+käskkirjaga\s+nr\s+1\s+Lisa\s+(\d+)"
)


def reference_parts() -> tuple[str, dict[int, str]]:
    """The reference split into the directive's text and each annex's text (heading included)."""
    text = REFERENCE.read_text(encoding="utf-8")
    lines = [l for l in text.splitlines() if not l.startswith("|")]  # the register's tables
    body = "\n".join(lines)
    start = body.index("KÄSKKIRI")
    matches = list(_HEADING.finditer(body))
    directive = body[start : matches[0].start()]
    annexes = {}
    for m, nxt in zip(matches, matches[1:] + [None]):
        annexes[int(m.group(1))] = body[m.start() : nxt.start() if nxt else len(body)]
    return fold(directive), {n: fold(t) for n, t in annexes.items()}

"""Shared fixtures: a private copy of the bundled example project, and the reference text."""

from __future__ import annotations

import re
import shutil
import time
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


def reference_spots():
    """The whole reference, one text-check spot per line, with the annex each line belongs to."""
    from kaskkiri_builder.checks.findings import TextSpot

    spots, annex = [], None
    for number, line in enumerate(REFERENCE.read_text(encoding="utf-8").splitlines(), start=1):
        m = re.search(r"\bLisa (\d+)\s*$", line)
        if m:
            annex = int(m.group(1))
        spots.append(TextSpot(line, file=REFERENCE.name, line=number, annex=annex))
    return spots


ESTONIAN = "Õunapuu äärel öösel üritas šokolaadi žürii"  # õäöüšž must survive fonts and text layer


def make_docx(path: Path, heading: str, pages: int = 1) -> Path:
    """A small Word file: a heading, then `pages` pages of Estonian text ("lk N")."""
    from docx import Document

    doc = Document()
    doc.add_heading(heading, level=0)
    for i in range(pages):
        if i:
            doc.add_page_break()
        doc.add_paragraph(f"{heading}: {ESTONIAN} (lk {i + 1}).")
    doc.save(path)
    return path


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


@pytest.fixture(scope="session")
def digidoc(tmp_path_factory):
    """libdigidocpp set up to stay offline.

    By default `initialize` downloads the EU trusted list (10 s time-out without network) and
    logs into site-packages. Opening an unsigned container needs no trusted list: the conf points
    at a private folder (schemas, log, TSL cache) and at a file:// list that fails at once.
    """
    import pydigidoc

    conf_dir = tmp_path_factory.mktemp("digidocpp")
    schema_dir = Path(pydigidoc.__file__).parent / "schema"
    for xsd in schema_dir.glob("*.xsd"):
        (conf_dir / xsd.name).write_bytes(xsd.read_bytes())
    conf = pydigidoc.DigiDocConf(str(conf_dir))
    conf.set_tslurl((conf_dir / "no-trusted-list.xml").as_uri())
    conf.thisown = False  # Conf::init takes ownership
    pydigidoc.Conf.init(conf)
    started = time.monotonic()
    pydigidoc.initialize_lib("kaskkiri-test", str(conf_dir))
    assert time.monotonic() - started < 5, "libdigidocpp tried to reach the network"
    yield pydigidoc
    pydigidoc.terminate()

"""Fixtures over the toolkit (tests/toolkit.py): the example project, the CLI, shared builds."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from toolkit import DRAFT, copy_example
from toolkit import cli as run_cli

# Fixtures that run LibreOffice: a test that uses one must be marked `libreoffice`.
LIBREOFFICE_FIXTURES = {"example_2026_01_full"}


def pytest_collection_modifyitems(items):
    unmarked = [item.nodeid for item in items
                if LIBREOFFICE_FIXTURES & set(getattr(item, "fixturenames", ()))
                and item.get_closest_marker("libreoffice") is None]
    if unmarked:
        raise pytest.UsageError(f"mark these tests @pytest.mark.libreoffice: {unmarked}")


@pytest.fixture(scope="session")
def _unmarked_soffice(tmp_path_factory) -> str:
    """A LibreOffice stand-in that fails loudly: what a test not marked `libreoffice` gets."""
    script = tmp_path_factory.mktemp("unmarked") / "soffice"
    script.write_text("#!/bin/sh\necho 'LibreOffice started by a test not marked libreoffice' >&2\n"
                      "exit 3\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


@pytest.fixture(scope="session", autouse=True)
def _no_conversion_cache(tmp_path_factory):
    """No test uses the user's cache folder (~/.cache/kaskkiri), nor the PDF cache unless it sets
    one up (test_conversion_cache.py): a PDF from an earlier test would hide a conversion. The
    run has its own folder for the caches that only save time (spelling results, Word files:
    exact keys, and a remembered Word file is still read back and verified)."""
    run = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run = run.parent  # the run's folder, which every worker's own folder is in
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KASKKIRI_CACHE", str(run / "vahemalu"))
        mp.setenv("KASKKIRI_CACHE_PDF", "")
        yield


@pytest.fixture(autouse=True)
def _no_libreoffice_unless_marked(request, monkeypatch, _unmarked_soffice):
    """A test not marked `libreoffice` gets a LibreOffice that fails, so one that needs it without
    the marker fails instead of passing wherever LibreOffice happens to be installed."""
    if request.node.get_closest_marker("libreoffice") is None:
        monkeypatch.setenv("KASKKIRI_SOFFICE", _unmarked_soffice)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the bundled example project."""
    return copy_example(tmp_path / "projekt")


@pytest.fixture
def built_example(example: Path) -> Path:
    """The example project with a good Word build of the draft (2026-02) in output/."""
    run_cli(example, "build", DRAFT, "--ainult-word")
    return example


@pytest.fixture(scope="session")
def cli():
    """Runs `kaskkiri` in a project folder: `cli(project, "build", "2026-02", code=0)`."""
    return run_cli


@pytest.fixture(scope="session")
def example_2026_01_full(tmp_path_factory) -> tuple[Path, dict]:
    """One full build of 2026-01 (Word, PDF, signing PDF, container), shared by every test that
    reads it and none that changes it: (output folder, manifest)."""
    project = copy_example(tmp_path_factory.mktemp("example-full"))
    run_cli(project, "build", "2026-01")
    folder = project / "output/2026-01"
    return folder, json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def digidoc():
    """libdigidocpp set up to stay offline, as `record --konteiner` uses it (digidoc.library):
    no trusted list is downloaded, so it answers at once."""
    from kaskkiri_builder.digidoc import library

    started = time.monotonic()
    lib = library()
    assert time.monotonic() - started < 5, "libdigidocpp tried to reach the network"
    return lib


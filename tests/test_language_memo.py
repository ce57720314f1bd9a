"""Spelling and grammar results kept between runs (checks/language_memo.py): the same findings as
a fresh check, Vabamorf not loaded when every text is as before, and nothing stale ever used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kaskkiri_builder.checks import language_memo
from kaskkiri_builder.checks.findings import Finding, Severity, TextSpot
from kaskkiri_builder.checks.language_memo import memo_key, remembered
from kaskkiri_builder.definitions import load_definitions

SPOTS = [TextSpot("Kriisitoe teenuste analüüsimne.", "definitions/ametikohad/a.yaml", 15, 1, "x", "a"),
         TextSpot("Teine tekst.", "definitions/ametikohad/b.yaml", 3, 2, "y", "b")]


def _finding(text: str) -> Finding:
    return Finding(Severity.HOIATUS, "oigekiri", text, None)


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KASKKIRI_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / language_memo.FOLDER


def test_the_second_run_takes_the_remembered_findings(cache):
    calls = []

    def compute(spots):
        calls.append(list(spots))
        return [_finding(f"leid {len(calls)}")]

    first = remembered(SPOTS, compute)
    assert remembered(SPOTS, compute) == first == [_finding("leid 1")]
    assert len(calls) == 1 and len(list(cache.iterdir())) == 1


@pytest.mark.parametrize("change", [
    lambda s: TextSpot(s.text + " ", s.file, s.line, s.annex, s.field, s.subject),
    lambda s: TextSpot(s.text, s.file, s.line + 1, s.annex, s.field, s.subject),
    lambda s: TextSpot(s.text, "definitions/ametikohad/c.yaml", s.line, s.annex, s.field, s.subject),
    lambda s: TextSpot(s.text, s.file, s.line, s.annex + 1, s.field, s.subject),
])
def test_any_change_of_a_text_or_its_place_is_another_key(change):
    assert memo_key([change(SPOTS[0]), SPOTS[1]]) != memo_key(SPOTS)
    assert memo_key(SPOTS[::-1]) != memo_key(SPOTS)


def test_a_change_of_the_checker_is_another_key(monkeypatch):
    before = memo_key(SPOTS)
    monkeypatch.setattr(language_memo, "_checker_fingerprint", lambda: b"another word list")
    assert memo_key(SPOTS) != before


@pytest.mark.parametrize("garbage", [b"", b"\x80\x05not a pickle", b"\x80\x04\x95\x05\x00"])
def test_a_broken_entry_is_computed_again(cache, garbage):
    remembered(SPOTS, lambda spots: [_finding("vana")])
    [entry] = cache.iterdir()
    entry.write_bytes(garbage)
    assert remembered(SPOTS, lambda spots: [_finding("uus")]) == [_finding("uus")]
    assert remembered(SPOTS, lambda spots: [_finding("kolmas")]) == [_finding("uus")]


def test_turned_off_it_always_computes(monkeypatch, tmp_path):
    monkeypatch.setenv("KASKKIRI_CACHE", "")
    n = iter(range(10))
    assert remembered(SPOTS, lambda s: [_finding(str(next(n)))]) == [_finding("0")]
    assert remembered(SPOTS, lambda s: [_finding(str(next(n)))]) == [_finding("1")]


def test_the_folder_keeps_only_the_recent_entries(cache, monkeypatch):
    monkeypatch.setattr(language_memo, "KEEP", 3)
    for i in range(6):
        remembered([TextSpot(f"tekst {i}")], lambda s: [])
    assert len(list(cache.iterdir())) == 3


def test_remembered_findings_equal_a_fresh_check_of_the_example(example, monkeypatch, tmp_path):
    from kaskkiri_builder.checks.run import run_checks

    defs = load_definitions(example / "definitions")
    monkeypatch.setenv("KASKKIRI_CACHE", "")
    fresh = run_checks(defs, "2026-02")
    monkeypatch.setenv("KASKKIRI_CACHE", str(tmp_path / "cache"))
    assert run_checks(defs, "2026-02") == fresh  # computed and stored
    assert run_checks(defs, "2026-02") == fresh  # taken from the cache


_CHECK = """
import sys
from kaskkiri_builder.checks.run import run_checks
from kaskkiri_builder.definitions import load_definitions
found = run_checks(load_definitions(sys.argv[1]), "2026-02")
from kaskkiri_builder.checks.vabamorf_loader import PRIVATE
print(len(found), any(n in sys.modules for n in ("estnltk", PRIVATE)))
"""


def test_vabamorf_is_not_loaded_when_every_text_is_as_before(example, tmp_path):
    env = {**os.environ, "KASKKIRI_CACHE": str(tmp_path / "cache")}
    run = [sys.executable, "-c", _CHECK, str(example / "definitions")]
    first = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout.split()
    second = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert first[1] == "True" and second == [first[0], "False"]

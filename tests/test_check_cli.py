"""`kaskkiri check` as a reviewer runs it: the report, --json, --strict, and build's summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader


def kaskkiri(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaskkiri_builder", *args], cwd=project,
                          capture_output=True, text=True)


def test_check_reports_the_published_defects_as_json(example):
    r = kaskkiri(example, "check", "2026-01", "--json")
    assert r.returncode == 1  # the published text has errors (e.g. "Telefoni-ja")
    findings = json.loads(r.stdout)["findings"]
    keys = {"severity", "kind", "file", "line", "annex", "message", "subject", "quotes"}
    assert all(set(f) == keys for f in findings)
    kinds = {(f["kind"], f["annex"]) for f in findings}
    assert ("oigekiri", 11) in kinds  # "Veebinõustamse"
    assert ("kirjavahemargid", 8) in kinds  # "Telefoni-ja"
    assert ("eritingimused", 4) in kinds
    assert ("loetelu_tekst", 1) in kinds  # the missing comma
    assert ("numbrijarjestus", None) in kinds  # nr 80 of 14.11.2025
    spelled = [f for f in findings if f["kind"] == "oigekiri" and "püsitatud" in f["message"]]
    assert spelled and all(f["file"].startswith("arhiiv/2026-01/definitions/") for f in spelled)
    # structured: what it is about and the words, without reading the message
    (typo,) = [f for f in findings if f["kind"] == "oigekiri" and f["annex"] == 11]
    assert typo["subject"] == "noustaja-11"
    assert typo["quotes"] == [{"written": "Veebinõustamse", "wanted": "Veebinõustamise", "missing": None}]


def test_strict_fails_on_warnings_only_when_asked(example):
    # the draft has warnings but no errors
    r = kaskkiri(example, "check", "2026-02")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "hoiatus" in r.stdout and "Leide" in r.stdout
    r = kaskkiri(example, "check", "2026-02", "--strict")
    assert r.returncode == 1


def test_build_prints_a_one_line_summary(example):
    r = kaskkiri(example, "build", "2026-02", "--ainult-word")
    assert r.returncode == 0
    [line] = [l for l in r.stdout.splitlines() if l.startswith("Kontroll:")]
    assert "vigu 0" in line and "kaskkiri check 2026-02" in line


def test_unknown_directive(example):
    r = kaskkiri(example, "check", "2099-01")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_draft_marks_on_every_page_and_none_when_recorded(example):
    r = kaskkiri(example, "build", "2026-02")
    assert r.returncode == 0, r.stderr
    folder = example / "output/2026-02"
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 5  # the directive, 3 annexes, the signing PDF
    for pdf in pdfs:
        for page in PdfReader(pdf).pages:
            assert "EELNÕU" in page.extract_text(), pdf.name
    first = PdfReader(folder / "kaskkiri.pdf").pages[0].extract_text()
    assert "[kuupäev] nr [number]" in first
    annex = PdfReader(folder / "lisa-01-peaspetsialist-kriisitugi.pdf").pages[0].extract_text()
    assert "[kuupäev] käskkirjaga nr [number]" in annex
    # the recorded directive: none of it
    r = kaskkiri(example, "build", "2026-01")
    assert r.returncode == 0, r.stderr
    for pdf in sorted((example / "output/2026-01").glob("*.pdf")):
        for page in PdfReader(pdf).pages:
            text = page.extract_text()
            assert "EELNÕU" not in text and "[kuupäev]" not in text, pdf.name

"""`kaskkiri check` as a reviewer runs it: the report, --json, --strict, and build's summary."""

from __future__ import annotations

import json
import re

import pytest
from pypdf import PdfReader


def test_check_reports_the_published_defects_as_json(cli, example):
    r = cli(example, "check", "2026-01", "--json", code=1)  # the published text has errors (e.g. "Telefoni-ja")
    findings = json.loads(r.stdout)["findings"]
    keys = {"severity", "kind", "file", "line", "annex", "message", "subject", "quotes", "accepted"}
    assert all(set(f) == keys for f in findings)
    kinds = {(f["kind"], f["annex"]) for f in findings}
    assert ("oigekiri", 11) in kinds  # "Veebinõustamse"
    assert ("kirjavahemargid", 8) in kinds  # "Telefoni-ja"
    assert ("eritingimused", 4) in kinds
    assert ("loetelu_tekst", 1) in kinds  # the missing comma
    # grammar: the two published slips of Lisa 2, and nothing else in the example
    grammar = sorted((f["annex"], f["quotes"][0]["written"]) for f in findings if f["kind"] == "grammatika")
    assert grammar == [(2, "Valdab eesti keele oskus"), (2, "psühholoogilisest esmaabis")]
    spelled = [f for f in findings if f["kind"] == "oigekiri" and "püsitatud" in f["message"]]
    assert spelled and all(f["file"].startswith("arhiiv/2026-01/definitions/") for f in spelled)
    # structured: what it is about and the words, without reading the message
    (typo,) = [f for f in findings if f["kind"] == "oigekiri" and f["annex"] == 11]
    assert typo["subject"] == "noustaja-11"
    assert typo["quotes"] == [{"written": "Veebinõustamse", "wanted": "Veebinõustamise", "missing": None}]


def test_strict_fails_on_warnings_only_when_asked(cli, example):
    # the draft has warnings but no errors
    r = cli(example, "check", "2026-02", code=0)
    assert "hoiatus" in r.stdout and "Leide" in r.stdout
    cli(example, "check", "2026-02", "--strict", code=1)


def _counts(line: str) -> list[str]:
    return re.findall(r"(vigu|hoiatusi|teateid|aktsepteeritud) (\d+)", line)


def test_build_prints_a_one_line_summary_that_counts_as_check_does(cli, example):
    # a slip only the spelling check sees: the Word-only build must count it as `check` does
    post = example / "definitions/ametikohad/analuutik-kriisitugi.yaml"
    text = post.read_text(encoding="utf-8")
    assert "analüüsimine" in text
    post.write_text(text.replace("analüüsimine", "analüüsimne", 1), encoding="utf-8")
    r = cli(example, "build", "2026-02", "--ainult-word")
    [line] = [row for row in r.stdout.splitlines() if row.startswith("Kontroll")]
    assert line.startswith("Kontroll: vigu 0, ")
    assert "kaskkiri check 2026-02" in line
    check = cli(example, "check", "2026-02", code=0)
    assert '"analüüsimne"' in check.stdout
    assert _counts(line) == _counts(check.stdout.splitlines()[-1])


def test_unknown_directive(cli, example):
    cli(example, "check", "2099-01", code=2)


@pytest.mark.libreoffice
def test_draft_marks_on_every_page(cli, example):
    cli(example, "build", "2026-02")
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


@pytest.mark.libreoffice
def test_no_draft_marks_when_recorded(example_2026_01_full):
    folder, _ = example_2026_01_full
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 13  # the directive, 11 annexes, the signing PDF
    for pdf in pdfs:
        for page in PdfReader(pdf).pages:
            text = page.extract_text()
            assert "EELNÕU" not in text and "[kuupäev]" not in text, pdf.name

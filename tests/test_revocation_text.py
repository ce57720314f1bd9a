"""Point 2 in published wording (`kehtetuks_tekst`) is never silently wrong: where the ledger holds
every directive it cites, `check` compares it with the phrase the ledger gives and warns, saying
which of the two to trust."""

from __future__ import annotations

from kaskkiri_builder.checks.findings import Severity
from kaskkiri_builder.checks.history_checks import check_history
from toolkit import cli, line_of, load_project, small_project

EARLIER = {"number": 5, "kuupaev": "01.06.2025", "lisad": {1: "juht", 2: "spets", 3: "osakonna-juhataja"}}
# d1 approves juht and spets again (and noustaja, new): the ledger says nr 5's lisad 1 and 2 go
RIGHT = "peadirektori 01.06.2025 käskkirja nr 5 lisad 1 kuni 2"
WRONG = "peadirektori 01.06.2025 käskkirja nr 5 lisad 1 kuni 3"


def _project(tmp_path, text: str, signed: bool = False):
    p = small_project()
    p["ledger"] = {"kaskkirjad": [EARLIER]}
    p["directives"]["d1"]["kehtetuks_tekst"] = text
    if signed:
        p["directives"]["d1"].update(number=9, kuupaev="01.09.2025")
    return load_project(tmp_path, p)


def _published(findings):
    return [f for f in findings if f.kind == "kehtetuks_tekst"]


def test_published_words_equal_to_the_ledger_are_quiet(tmp_path):
    assert _published(check_history(_project(tmp_path, RIGHT), "d1")) == []


def test_a_draft_whose_published_words_differ_is_warned_to_trust_the_ledger(tmp_path):
    [f] = _published(check_history(_project(tmp_path, WRONG), "d1"))
    assert f.severity == Severity.HOIATUS and f.subject == "d1"
    assert f.file == "definitions/kaskkirjad/d1.yaml" and f.line is not None
    assert f"definitions/kaskkirjad/d1.yaml:{f.line}" in f.message
    assert f'"{WRONG}"' in f.message and f'"{RIGHT}"' in f.message
    assert "Eelnõus kehtib ajaloost arvutatud sõnastus: kustuta kehtetuks_tekst" in f.message


def test_a_signed_directive_whose_published_words_differ_is_told_to_fix_the_ledger(tmp_path):
    [f] = _published(check_history(_project(tmp_path, WRONG, signed=True), "d1"))
    assert "Allkirjastatud käskkirjas kehtib avaldatud sõnastus" in f.message
    assert "paranda ajalugu" in f.message


def test_a_text_citing_what_the_ledger_does_not_hold_cannot_be_compared(tmp_path):
    other = "peadirektori 01.06.2025 käskkirja nr 5 lisad 1 kuni 3 ning peadirektori 02.02.2024 käskkirjaga nr 7 kinnitatud ametijuhend"
    assert _published(check_history(_project(tmp_path, other), "d1")) == []


def test_check_prints_the_warning_with_file_and_line(tmp_path):
    _project(tmp_path, WRONG)
    run = cli(tmp_path, "check", "d1", code=None)
    line = line_of(tmp_path / "definitions/kaskkirjad/d1.yaml", "kehtetuks_tekst")
    assert f"definitions/kaskkirjad/d1.yaml:{line}" in run.stdout
    assert "kehtetuks_tekst" in run.stdout and "hoiatus" in run.stdout.lower()

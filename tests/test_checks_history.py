"""History: numbers rise with dates, revocations are in the ledger, the directive agrees with it."""

from __future__ import annotations

import dataclasses

from kaskkiri_builder import history
from kaskkiri_builder.checks.findings import Severity
from kaskkiri_builder.checks.history_checks import check_history
from toolkit import kinds, load_project, small_project

EARLIER = {"number": 5, "kuupaev": "01.06.2025", "lisad": {1: "juht", 2: "spets", 3: "osakonna-juhataja"}}


def _ledger(*entries):
    return {"kaskkirjad": list(entries)}


def test_no_ledger_no_findings(tmp_path):
    assert check_history(load_project(tmp_path, small_project()), "d1") == []


def test_clean_ledger_no_findings(tmp_path):
    p = small_project()
    p["ledger"] = _ledger(EARLIER, {"number": 9, "kuupaev": "01.09.2025", "ametijuhend": "noustaja"})
    assert check_history(load_project(tmp_path, p), "d1") == []


def test_number_dated_before_a_lower_number(tmp_path):
    p = small_project()
    p["ledger"] = _ledger(EARLIER, {"number": 9, "kuupaev": "01.03.2025", "ametijuhend": "noustaja"})
    [f] = check_history(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity, f.annex) == ("numbrijarjestus", Severity.HOIATUS, None)
    assert f.file.endswith("ajalugu.yaml") and f.line is not None
    assert "nr 9 (01.03.2025) on dateeritud varem kui väiksema numbriga nr 5 (01.06.2025, " in f.message
    assert f.message.split(", ")[1].startswith("definitions/ajalugu.yaml:")  # where nr 5 is


def test_new_directive_after_a_busy_january_is_no_alarm(tmp_path):
    """Numbers in step with dates are fine however unevenly they are spread over the year."""
    p = small_project()
    p["ledger"] = _ledger(
        {"number": 2, "kuupaev": "03.01.2025", "ametijuhend": "juht"},
        {"number": 5, "kuupaev": "08.01.2025", "ametijuhend": "spets"},
        {"number": 9, "kuupaev": "14.01.2025", "ametijuhend": "noustaja"},
    )
    p["directives"]["d1"].update(number=150, kuupaev="10.12.2025")
    assert check_history(load_project(tmp_path, p), "d1") == []
    p["directives"]["d1"].update(number=7)  # between nr 5 and nr 9, dated after both
    [f] = check_history(load_project(tmp_path, p), "d1")
    assert f.kind == "numbrijarjestus" and f.file.endswith("kaskkirjad/d1.yaml")
    assert "nr 7 (10.12.2025) on dateeritud hiljem kui suurema numbriga nr 9 (14.01.2025, " in f.message


def test_new_directive_whose_number_does_not_fit(tmp_path):
    """A signed directive not yet recorded: its number and date join the year's sequence, and
    of the two it is the one reported (it comes after everything recorded)."""
    p = small_project()
    p["ledger"] = _ledger(EARLIER)
    p["directives"]["d1"].update(number=3, kuupaev="01.07.2025")
    [f] = check_history(load_project(tmp_path, p), "d1")
    assert f.kind == "numbrijarjestus" and f.file.endswith("kaskkirjad/d1.yaml")
    assert "nr 3 (01.07.2025) on dateeritud hiljem kui suurema numbriga nr 5 (01.06.2025, " in f.message


def test_new_directive_reusing_a_number(tmp_path):
    p = small_project()
    p["ledger"] = _ledger(EARLIER)
    p["directives"]["d1"].update(number=5, kuupaev="01.07.2025")
    findings = check_history(load_project(tmp_path, p), "d1")
    assert "ajalugu" in kinds(findings)
    [f] = [f for f in findings if f.kind == "ajalugu"]
    assert "number 5 on 2025. aastal juba kasutatud" in f.message


def test_revocation_of_a_directive_missing_from_the_ledger(tmp_path):
    """The loader refuses such a ledger; the check reports it too when given one."""
    defs = load_project(tmp_path, small_project())
    ledger, problems = history.ledger_from_data(
        _ledger(dict(EARLIER, tunnistab_kehtetuks=[{"number": 2, "kuupaev": "01.02.2025"}])),
        "definitions/ajalugu.yaml",
    )
    assert problems == []
    findings = check_history(dataclasses.replace(defs, ledger=ledger), "d1")
    [f] = [f for f in findings if f.kind == "ajalugu"]
    assert f.severity == Severity.VIGA
    assert "tunnistab kehtetuks 01.02.2025 käskkirja nr 2, mida ajaloos ei ole" in f.message


def test_recorded_directive_with_other_annexes(tmp_path):
    p = small_project()
    p["directives"]["d1"].update(number=1, kuupaev="07.01.2026")
    p["ledger"] = _ledger(
        EARLIER,
        {"id": "d1", "number": 1, "kuupaev": "07.01.2026", "lisad": ["juht", "noustaja", "spets"],
         "tunnistab_kehtetuks": [{"number": 5, "kuupaev": "01.06.2025", "lisad": "1 kuni 2"}]},
    )
    findings = check_history(load_project(tmp_path, p), "d1")
    assert [(f.kind, f.annex) for f in findings] == [("ajalugu", 2), ("ajalugu", 3)]
    assert 'Lisa 2: käskkirja failis "spets", ajaloos' in findings[0].message
    assert findings[0].file.endswith("kaskkirjad/d1.yaml")


def test_recorded_point_2_that_differs_from_the_computed_one(tmp_path):
    p = small_project()
    p["directives"]["d1"].update(number=1, kuupaev="07.01.2026")
    p["ledger"] = _ledger(
        EARLIER,
        {"id": "d1", "number": 1, "kuupaev": "07.01.2026", "lisad": ["juht", "spets", "noustaja"],
         "tunnistab_kehtetuks": [{"number": 5, "kuupaev": "01.06.2025", "lisad": 1}]},
    )
    [f] = check_history(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity) == ("ajalugu", Severity.HOIATUS)
    assert "ainult arvutatud 01.06.2025 nr 5 (lisad 1 ja 2); ainult ajaloos 01.06.2025 nr 5 (lisa 1)" in f.message


def test_recorded_directive_that_agrees(tmp_path):
    p = small_project()
    p["directives"]["d1"].update(number=1, kuupaev="07.01.2026")
    p["ledger"] = _ledger(
        EARLIER,
        {"id": "d1", "number": 1, "kuupaev": "07.01.2026", "lisad": ["juht", "spets", "noustaja"],
         "tunnistab_kehtetuks": [{"number": 5, "kuupaev": "01.06.2025", "lisad": "1 kuni 2"}]},
    )
    assert check_history(load_project(tmp_path, p), "d1") == []


def test_recorded_title_that_differs(tmp_path):
    p = small_project()
    p["directives"]["d1"].update(number=1, kuupaev="07.01.2026")
    p["ledger"] = _ledger(
        EARLIER,
        {"id": "d1", "number": 1, "kuupaev": "07.01.2026", "pealkiri": "Ametijuhendi kinnitamine",
         "lisad": ["juht", "spets", "noustaja"],
         "tunnistab_kehtetuks": [{"number": 5, "kuupaev": "01.06.2025", "lisad": "1 kuni 2"}]},
    )
    [f] = check_history(load_project(tmp_path, p), "d1")
    assert f.kind == "ajalugu"
    assert 'pealkiri on "Ametijuhendite kinnitamine", ajaloos' in f.message

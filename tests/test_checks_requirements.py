"""Section 2 and 3 contents: CEFR levels, empty duties or results, results that echo the duty."""

from __future__ import annotations

import pytest

from kaskkiri_builder.checks.findings import Severity
from kaskkiri_builder.checks.requirements import _bad_levels, check_requirements
from toolkit import load_project, small_project


def test_clean_requirements_have_no_findings(tmp_path):
    assert check_requirements(load_project(tmp_path, small_project()), "d1") == []


@pytest.mark.parametrize(
    "text",
    [
        "Eesti keele oskus vähemalt tasemel C1. Vene ja inglise keele oskus tasemel B2.",
        "Inglise keele oskus tasemel B1-B2, C1-tasemel eesti keel.",
        "B-kategooria juhiluba; A- ja B-osa eksam.",
    ],
)
def test_valid_or_unrelated_tokens_pass(text):
    assert _bad_levels(text) == []


@pytest.mark.parametrize(
    "text, token, suggestion",
    [
        ("Eesti keele oskus tasemel C3.", "C3", "C1 või C2"),
        ("Vene keele oskus tasemel B.", "B", "B1 või B2"),
        ("Eesti keele oskus vähemalt tasemel c1.", "c1", "C1"),
        ("Soome keel D2-tasemel.", "D2", "A1, A2, B1, B2, C1 või C2"),
    ],
)
def test_levels_outside_cefr(text, token, suggestion):
    assert _bad_levels(text) == [(token, suggestion)]


def test_level_finding_has_place_and_fix(tmp_path):
    p = small_project()
    p["posts"]["spets"]["nouded"]["keeleoskus"] = "Eesti keele oskus tasemel C3. Vene keele oskus tasemel B."
    findings = check_requirements(load_project(tmp_path, p), "d1")
    assert [(f.kind, f.severity, f.annex) for f in findings] == [("keeletase", Severity.VIGA, 2)] * 2
    assert findings[0].file.endswith("ametikohad/spets.yaml")
    assert 'Keeleoskuse tase "C3"' in findings[0].message and "kirjuta C1 või C2" in findings[0].message
    assert "kirjuta B1 või B2" in findings[1].message


def test_empty_duty_text(tmp_path):
    p = small_project()
    p["posts"]["spets"]["ulesanded"][0]["ulesanne"] = " "
    [f] = check_requirements(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity, f.annex) == ("tuhi_tekst", Severity.VIGA, 2)
    assert "Ülesande 2.1 tekst on tühi" in f.message


def test_empty_results_override(tmp_path):
    p = small_project()
    p["posts"]["spets"]["ulesanded"][2] = {"klausel": "uhekordsed", "tulemused": []}
    [f] = check_requirements(load_project(tmp_path, p), "d1")
    assert f.kind == "tuhi_tekst" and "Ülesandel 2.3 pole ühtegi oodatavat tulemust" in f.message


def test_empty_result(tmp_path):
    p = small_project()
    p["posts"]["spets"]["ulesanded"][0]["tulemused"] = ["Teenus on korraldatud.", ""]
    [f] = check_requirements(load_project(tmp_path, p), "d1")
    assert f.kind == "tuhi_tekst" and "Ülesande 2.1 2. tulemus on tühi" in f.message


def test_result_that_repeats_the_duty(tmp_path):
    p = small_project()
    duty = p["posts"]["spets"]["ulesanded"][0]
    duty["tulemused"] = [duty["ulesanne"]]
    [f] = check_requirements(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity, f.annex) == ("tulemus_kordab_ulesannet", Severity.HOIATUS, 2)
    assert "Ülesande 2.1 tulemus kordab sõna-sõnalt ülesande teksti" in f.message


def test_clause_result_that_repeats_the_duty_is_reported_once(tmp_path):
    p = small_project()
    p["clauses"]["kirjad"]["tulemused"] = [p["clauses"]["kirjad"]["ulesanne"]]
    [f] = check_requirements(load_project(tmp_path, p), "d1")
    assert f.file.endswith("klauslid/klauslid.yaml") and f.annex == 1
    assert "Klauslit kasutavad lisad 1, 2 ja 3" in f.message

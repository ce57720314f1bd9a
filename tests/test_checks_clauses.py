"""Shared clauses: drift of own texts, reworded copies, candidates for new clauses."""

from __future__ import annotations

from kaskkiri_builder.checks.clauses import check_clauses
from kaskkiri_builder.checks.findings import Severity
from toolkit import kinds, load_project, small_project

KIRJAD = (
    "Kirjade ja dokumentide kavandite koostamine isikutele, ministeeriumidele, teistele ametitele, "
    "ettevõtetele ja institutsioonidele."
)
KIRJAD_RESULT = "Kavandid on koostatud korrektselt ja tähtaegselt vastavalt kehtestatud nõuetele."


def _own(p, post, i, text, results):
    p["posts"][post]["ulesanded"][i] = {"ulesanne": text, "tulemused": results}
    return p


def test_clean_project_has_no_clause_findings(tmp_path):
    assert check_clauses(load_project(tmp_path, small_project()), "d1") == []


def test_own_duty_with_a_typo_of_a_clause_is_drift(tmp_path):
    p = _own(small_project(), "spets", 1, KIRJAD.replace("ministeeriumidele", "ministeerimidele"), [KIRJAD_RESULT])
    [f] = check_clauses(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity, f.annex) == ("klausli_triiv", Severity.HOIATUS, 2)
    assert f.file.endswith("ametikohad/spets.yaml")
    assert 'Ülesanne 2.2 erineb veidi ühisest klauslist "kirjad"' in f.message
    assert 'siin "isikutele, ministeerimidele, teistele", klauslis "isikutele, ministeeriumidele, teistele"' in f.message
    assert '"klausel: kirjad"' in f.message


def test_own_duty_that_rewords_a_clause_is_info(tmp_path):
    p = _own(
        small_project(),
        "spets",
        1,
        KIRJAD.replace("teistele ametitele", "teistele asutustele"),
        ["Kavandid on koostatud."],
    )
    [f] = check_clauses(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity) == ("klausli_variant", Severity.INFO)
    assert 'siin "teistele asutustele, ettevõtetele", klauslis "teistele ametitele, ettevõtetele"' in f.message


def test_a_different_duty_is_not_drift(tmp_path):
    p = _own(small_project(), "spets", 1, "Kirjade registreerimine dokumendihaldussüsteemis.", ["Kirjad on registreeritud."])
    assert check_clauses(load_project(tmp_path, p), "d1") == []


def test_own_result_with_a_typo_of_the_clause_result(tmp_path):
    p = _own(small_project(), "spets", 1, KIRJAD, [KIRJAD_RESULT.replace("tähtaegselt", "tähtaegslt")])
    [f] = check_clauses(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity) == ("klausli_triiv", Severity.HOIATUS)
    assert f.message.startswith('Ülesande 2.2 tulemus erineb veidi ühisest klauslist "kirjad"')
    assert 'siin "ja tähtaegslt vastavalt", klauslis "ja tähtaegselt vastavalt"' in f.message


def test_own_duty_equal_to_a_clause_is_a_candidate(tmp_path):
    p = _own(small_project(), "spets", 1, KIRJAD, [KIRJAD_RESULT])
    [f] = check_clauses(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity) == ("klausli_kandidaat", Severity.INFO)
    assert 'kirjuta selle asemel "klausel: kirjad"' in f.message


def test_own_duty_equal_to_a_clause_with_parameters_names_them(tmp_path):
    p = small_project()
    p["posts"]["juht"]["ulesanded"][2] = {"klausel": "uhekordsed", "parameetrid": {"tegevus": "teostamine"}}
    p = _own(p, "spets", 2, "Vahetu juhi antud muude ühekordsete ülesannete teostamine.",
             ["Ülesanded on täidetud nõuetekohaselt ja tähtaegselt."])
    [f] = check_clauses(load_project(tmp_path, p), "d1")
    assert '"klausel: uhekordsed" (parameetrid: {tegevus: teostamine})' in f.message


def test_result_override_with_a_slip(tmp_path):
    p = small_project()
    p["posts"]["spets"]["ulesanded"][1] = {
        "klausel": "kirjad",
        "tulemused": [KIRJAD_RESULT.replace("korrektselt", "korektselt")],
    }
    [f] = check_clauses(load_project(tmp_path, p), "d1")
    assert f.kind == "klausli_triiv" and 'kustuta oma "tulemused"' in f.message


def test_result_override_with_other_words_is_not_reported(tmp_path):
    p = small_project()
    p["posts"]["spets"]["ulesanded"][1] = {"klausel": "kirjad", "tulemused": ["Kirjad on saadetud õigel ajal."]}
    assert check_clauses(load_project(tmp_path, p), "d1") == []


def test_duty_repeated_in_two_posts_is_a_candidate(tmp_path):
    p = small_project()
    text = "Ennetus- ja teavitustegevuste korraldamine."
    p = _own(p, "spets", 0, text, ["Teavitustegevused on korraldatud."])
    p = _own(p, "noustaja", 0, text, ["Teavitustegevused on ellu viidud."])
    [f] = check_clauses(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity, f.annex) == ("klausli_kandidaat", Severity.INFO, 2)
    assert "sama ka: lisa 3, ülesanne 2.1" in f.message
    assert "Tulemused erinevad" in f.message


def test_clause_that_is_a_near_copy_of_another(tmp_path):
    p = small_project()
    p["clauses"]["oigused-2"] = {
        "read": [
            {"silt": "Õigused", "punktid": ["teha kaugtööd kokkuleppel vahetu juhiga;", "vastu võtta otsuseid oma pädevuse piires."]},
            {"silt": "Vastutus", "punktid": ["ameti maine hoidmise eest enda poolt vahendatavas teabes ja oma tegevuses."]},
        ]
    }
    p["posts"]["noustaja"]["oigused_ja_vastutus"] = "oigused-2"
    [f] = check_clauses(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity, f.annex) == ("klausli_triiv", Severity.HOIATUS, 3)
    assert f.message.startswith('Klausel "oigused-2" erineb veidi klauslist "oigused"')
    assert 'siin "oma tegevuses.", seal "oma tegevustes."' in f.message
    assert "kasutab lisa 3" in f.message


def test_different_clauses_are_not_compared_as_copies(tmp_path):
    p = small_project()
    p["clauses"]["oigused-2"] = {
        "read": [{"silt": "Õigused", "punktid": ["osaleda töörühmades;"]}],
    }
    p["posts"]["noustaja"]["oigused_ja_vastutus"] = "oigused-2"
    assert "klausli_triiv" not in kinds(check_clauses(load_project(tmp_path, p), "d1"))

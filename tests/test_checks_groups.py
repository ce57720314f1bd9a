"""Group rules: the public-authority qualifier and the Eritingimused wording."""

from __future__ import annotations

from kaskkiri_builder.checks.findings import Severity
from kaskkiri_builder.checks.groups import check_groups
from toolkit import QUALIFIER, kinds, load_project, small_project


def test_clean_groups_have_no_findings(tmp_path):
    assert check_groups(load_project(tmp_path, small_project()), "d1") == []


def _tootaja_substitutes_spets(p, entry="spets"):
    """noustaja (töötaja) substitutes spets (ametnik), and spets lists it back."""
    p["posts"]["noustaja"]["teenistuja_asendab"] = [entry]
    p["posts"]["spets"]["teenistuja_asendaja"] = ["juht", "noustaja"]
    return p


def test_derived_qualifier_needs_no_override(tmp_path):
    assert check_groups(load_project(tmp_path, _tootaja_substitutes_spets(small_project())), "d1") == []


def test_override_that_drops_a_required_qualifier(tmp_path):
    p = _tootaja_substitutes_spets(small_project(), {"ametikoht": "spets", "piirang": False})
    [f] = check_groups(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity, f.annex) == ("avaliku_voimu_marge", Severity.HOIATUS, 3)
    assert '"piirang: false"' in f.message and "töötaja asendab ametniku ametikohta" in f.message


def test_override_that_adds_a_qualifier_between_ametnikud(tmp_path):
    p = small_project()
    p["posts"]["spets"]["teenistuja_asendab"] = [{"ametikoht": "juht", "piirang": True}]
    [f] = check_groups(load_project(tmp_path, p), "d1")
    assert (f.kind, f.annex) == ("avaliku_voimu_marge", 2)
    assert 'kustuta "piirang: true"' in f.message
    assert "ametnik asendab ametikohta, mille grupp on ametnik" in f.message


def test_override_that_agrees_with_the_rule_is_fine(tmp_path):
    p = _tootaja_substitutes_spets(small_project(), {"ametikoht": "spets", "piirang": True})
    assert check_groups(load_project(tmp_path, p), "d1") == []


def test_published_text_without_the_required_qualifier(tmp_path):
    p = _tootaja_substitutes_spets(small_project())
    p["posts"]["noustaja"]["teenistuja_asendab"] = {"ametikohad": ["spets"], "tekst": "Spetsialist"}
    [f] = check_groups(load_project(tmp_path, p), "d1")
    assert f.kind == "avaliku_voimu_marge" and f.annex == 3
    assert f'kirjuta "spetsialist {QUALIFIER}"' in f.message


def test_published_text_with_a_qualifier_the_rule_does_not_give(tmp_path):
    p = small_project()
    p["posts"]["spets"]["teenistuja_asendab"] = {
        "ametikohad": ["juht"],
        "tekst": f"Talituse juhataja {QUALIFIER}",
    }
    [f] = check_groups(load_project(tmp_path, p), "d1")
    assert f.kind == "avaliku_voimu_marge" and f.annex == 2
    assert 'kirjuta "talituse juhataja" ilma märkuseta' in f.message


def test_published_text_that_agrees_with_the_rule(tmp_path):
    p = _tootaja_substitutes_spets(small_project())
    p["posts"]["noustaja"]["teenistuja_asendab"] = {
        "ametikohad": ["spets"],
        "tekst": f"Spetsialist {QUALIFIER}",
    }
    assert check_groups(load_project(tmp_path, p), "d1") == []


def test_same_title_with_and_without_qualifier_in_two_annexes(tmp_path):
    """Two töötaja posts substitute "nõustaja": one means the töötaja post, one the ametnik post
    of that title. Each follows the rule; together they contradict each other."""
    p = small_project()
    p["posts"]["noustaja-a"] = dict(p["posts"]["noustaja"], ametikoha_grupp="ametnik", teenistuja_asendaja=["noustaja-b"])
    p["posts"]["noustaja-b"] = dict(p["posts"]["noustaja"], teenistuja_asendab=["noustaja-a"])
    p["posts"]["noustaja"]["teenistuja_asendab"] = ["noustaja"]
    p["directives"]["d1"]["lisad"] += ["noustaja-a", "noustaja-b"]
    p["posts"]["juht"]["alluvad"] = ["spets", "noustaja"]
    findings = [f for f in check_groups(load_project(tmp_path, p), "d1") if f.kind == "avaliku_voimu_marge"]
    [f] = findings
    assert f.annex == 3  # the entry without the qualifier (a tie: the safer wording is asked for)
    assert "lisas 5 on sama nimetus töötaja asendajal märkusega" in f.message
    assert "noustaja-a – ametnik" in f.message


def test_eritingimused_without_full_stop(tmp_path):
    p = small_project()
    p["posts"]["noustaja"]["eritingimused"] = "Eritingimused määratakse töölepingus"
    [f] = check_groups(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity, f.annex) == ("eritingimused", Severity.HOIATUS, 3)
    assert f.message.startswith('Eritingimuste lõpus puudub punkt: kirjuta "Eritingimused määratakse töölepingus."')


def test_eritingimused_of_the_other_group(tmp_path):
    p = small_project()
    p["posts"]["noustaja"]["eritingimused"] = "Eritingimused määratakse ametikohale nimetamise käskkirjas."
    [f] = check_groups(load_project(tmp_path, p), "d1")
    assert f.severity == Severity.VIGA
    assert "Ametikoha grupp on töötaja, kuid eritingimused on ametniku sõnastuses" in f.message
    assert '"Eritingimused määratakse töölepingus."' in f.message


def test_eritingimused_near_miss_shows_the_words(tmp_path):
    p = small_project()
    p["posts"]["spets"]["eritingimused"] = "Eritingimused määratakse ametikohale nimetamise kaskkirjas."
    [f] = check_groups(load_project(tmp_path, p), "d1")
    assert f.severity == Severity.HOIATUS
    assert 'siin "nimetamise kaskkirjas.", peaks olema "nimetamise käskkirjas."' in f.message


def test_eritingimused_of_its_own_is_only_info(tmp_path):
    p = small_project()
    p["posts"]["spets"]["eritingimused"] = "Töö toimub graafiku alusel, sh öösiti ja puhkepäevadel."
    [f] = check_groups(load_project(tmp_path, p), "d1")
    assert f.severity == Severity.INFO


def test_eritingimused_as_the_default(tmp_path):
    p = small_project()
    p["posts"]["spets"]["eritingimused"] = "Eritingimused määratakse ametikohale nimetamise käskkirjas."
    assert kinds(check_groups(load_project(tmp_path, p), "d1")) == ["eritingimused"]
    assert check_groups(load_project(tmp_path, p), "d1")[0].severity == Severity.INFO

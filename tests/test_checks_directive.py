"""The directive: the title's number, one range style, point 1 against the annexes and units."""

from __future__ import annotations

from kaskkiri_builder.checks.directive import check_directive
from kaskkiri_builder.checks.findings import Severity
from toolkit import kinds, load_project, small_project

# nr 5 approved juht, spets and a third post; d1 re-approves juht and spets: point 2 revokes
# "lisad 1 kuni 2" (or "1-2") of nr 5, and point 1 approves "lisadele 1 kuni 3" (or "1-3").
LEDGER = {
    "kaskkirjad": [
        {
            "number": 5,
            "kuupaev": "01.06.2025",
            "lisad": {1: "juht", 2: "spets", 3: "osakonna-juhataja"},
        }
    ]
}


def test_clean_directive_has_no_findings(tmp_path):
    assert check_directive(load_project(tmp_path, small_project()), "d1") == []


def test_plural_title_for_one_job_description(tmp_path):
    p = small_project()
    p["directives"]["d1"].update(pealkiri="Ametijuhendite kinnitamine", lisad=["juht"])
    [f] = check_directive(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity, f.annex) == ("pealkiri", Severity.VIGA, None)
    assert f.file.endswith("kaskkirjad/d1.yaml")
    assert 'kirjuta "Ametijuhendi kinnitamine"' in f.message


def test_singular_title_for_several(tmp_path):
    p = small_project()
    p["directives"]["d1"]["pealkiri"] = "Ametijuhendi kinnitamine"
    [f] = check_directive(load_project(tmp_path, p), "d1")
    assert "kinnitab 3 ametijuhendit" in f.message and '"Ametijuhendite kinnitamine"' in f.message


def test_matching_or_other_titles_pass(tmp_path):
    p = small_project()
    p["directives"]["d1"]["pealkiri"] = "Ametijuhendite kinnitamine"
    assert check_directive(load_project(tmp_path, p), "d1") == []
    p["directives"]["d1"]["pealkiri"] = "Kriisitoe talituse töökorralduse muutmine"
    assert check_directive(load_project(tmp_path / "b", p), "d1") == []


def test_mixed_range_styles(tmp_path):
    p = small_project()
    p["ledger"] = LEDGER
    p["organisation"]["vormistus"] = {"lisade_vahemik_kinnitamisel": "sidekriips", "lisade_vahemik_kehtetuks": "kuni"}
    [f] = check_directive(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity, f.annex) == ("lisade_vahemik", Severity.HOIATUS, None)
    assert f.file.endswith("organisatsioon.yaml")
    assert 'punktis 1 "lisadele 1-3" (sidekriips), punktis 2 "lisad 1 kuni 2" (kuni)' in f.message
    assert "lisade_vahemik_kinnitamisel" in f.message and "lisade_vahemik_kehtetuks" in f.message


def test_one_range_style_passes(tmp_path):
    p = small_project()
    p["ledger"] = LEDGER
    assert check_directive(load_project(tmp_path, p), "d1") == []


def test_different_settings_but_no_range_in_point_2(tmp_path):
    """The settings differ, but point 2 revokes a single annex: nothing is mixed in the text."""
    p = small_project()
    p["ledger"] = {"kaskkirjad": [{"number": 5, "kuupaev": "01.06.2025", "lisad": {1: "juht", 2: "osakonna-juhataja"}}]}
    p["organisation"]["vormistus"]["lisade_vahemik_kinnitamisel"] = "sidekriips"
    assert check_directive(load_project(tmp_path, p), "d1") == []


def test_annex_from_another_unit(tmp_path):
    p = small_project()
    p["posts"]["noustaja"]["struktuuriyksus"] = "muu"
    [f] = check_directive(load_project(tmp_path, p), "d1")
    assert (f.kind, f.annex) == ("struktuuriyksus", 3)
    assert 'kuulub üksusesse "personalitalitus"' in f.message
    assert 'punkt 1 kinnitab üksuse "kriisitoe talitus" ametijuhendid' in f.message


def test_annex_of_a_sub_unit_is_fine(tmp_path):
    p = small_project()
    p["directives"]["d1"]["struktuuriyksus"] = "osakond"  # talitus belongs to osakond
    assert "struktuuriyksus" not in kinds(check_directive(load_project(tmp_path, p), "d1"))

"""Lists given as published text (`tekst`) against the list kaskkiri would generate."""

from __future__ import annotations

from kaskkiri_builder.checks.findings import Severity
from kaskkiri_builder.checks.lists import check_lists
from kaskkiri_builder.definitions import load_definitions
from toolkit import line_of, load_project, small_project, write_project


def test_no_published_texts_no_findings(tmp_path):
    assert check_lists(load_project(tmp_path, small_project()), "d1") == []


def test_missing_comma_is_shown_in_words(tmp_path):
    p = small_project()
    p["posts"]["juht"]["alluvad"] = {
        "ametikohad": ["spets", "noustaja"],
        "tekst": "Spetsialist nõustaja",
    }
    root = write_project(tmp_path, p)
    [f] = check_lists(load_definitions(root), "d1")
    assert (f.kind, f.severity, f.annex) == ("loetelu_tekst", Severity.HOIATUS, 1)
    assert f.line == line_of(root / "ametikohad" / "juht.yaml", "tekst:")
    assert 'puudub koma: tekstis "Spetsialist nõustaja", koostatuna "Spetsialist, nõustaja"' in f.message
    assert 'kustuta "tekst"' in f.message


def test_text_equal_to_the_generated_list_is_info(tmp_path):
    p = small_project()
    p["posts"]["juht"]["alluvad"] = {"ametikohad": ["spets", "noustaja"], "tekst": "Spetsialist, nõustaja"}
    [f] = check_lists(load_project(tmp_path, p), "d1")
    assert f.severity == Severity.INFO and 'kustuta "tekst"' in f.message


def test_namesakes_written_as_one_plural_are_fine(tmp_path):
    p = small_project()
    p["posts"]["noustaja"]["teenistuskoht_mitmuses"] = "nõustajad"
    p["posts"]["noustaja2"] = dict(p["posts"]["noustaja"])
    p["posts"]["juht"]["alluvad"] = {
        "ametikohad": ["spets", "noustaja", "noustaja2"],
        "tekst": "Spetsialist, nõustajad",
    }
    assert check_lists(load_project(tmp_path, p), "d1") == []


def test_lower_case_start_is_reported(tmp_path):
    p = small_project()
    p["posts"]["juht"]["alluvad"] = {"ametikohad": ["spets", "noustaja"], "tekst": "spetsialist, nõustaja"}
    [f] = check_lists(load_project(tmp_path, p), "d1")
    assert 'erineb suur- ja väiketäht: tekstis "spetsialist, nõustaja", koostatuna "Spetsialist, nõustaja"' in f.message


def test_qualifiers_are_left_to_the_group_check(tmp_path):
    p = small_project()
    p["posts"]["spets"]["teenistuja_asendab"] = {
        "ametikohad": ["juht"],
        "tekst": "Talituse juhataja (ülesannete ulatuses, mis ei seisne avaliku võimu teostamises)",
    }
    assert check_lists(load_project(tmp_path, p), "d1") == []

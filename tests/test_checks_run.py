"""run_checks: all families together, text checks fed from text_spots, one finding per defect."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kaskkiri_builder.checks.findings import Finding, Quote, Severity
from kaskkiri_builder.checks.run import _covered, run_checks
from kaskkiri_builder.checks.spots import collect, text_spots
from kaskkiri_builder.definitions import Source, load_definitions
from kaskkiri_builder.errors import DefinitionError
from toolkit import line_of, load_project, small_project, write_project


def test_clean_project_has_no_findings_at_all(tmp_path):
    assert run_checks(load_project(tmp_path, small_project()), "d1") == []


def test_unknown_directive_is_an_error(tmp_path):
    with pytest.raises(DefinitionError):
        run_checks(load_project(tmp_path, small_project()), "puudub")


def test_findings_are_sorted_by_annex_file_line_kind(tmp_path):
    p = small_project()
    p["posts"]["noustaja"]["eritingimused"] = "Eritingimused määratakse töölepingus"
    p["posts"]["spets"]["nouded"]["keeleoskus"] = "Eesti keele oskus tasemel C3."
    p["directives"]["d1"]["pealkiri"] = "Ametijuhendi kinnitamine"
    findings = run_checks(load_project(tmp_path, p), "d1", text_checks=False)
    assert [(f.annex, f.kind) for f in findings] == [
        (None, "pealkiri"),
        (2, "keeletase"),
        (3, "eritingimused"),
    ]


def test_text_spots_render_clauses_with_the_post_parameters(tmp_path):
    p = small_project()
    p["posts"]["spets"]["ulesanded"][2] = {"klausel": "uhekordsed", "parameetrid": {"tegevus": "teostamine"}}
    spots = text_spots(load_project(tmp_path, p), "d1")
    duty = [s for s in spots if s.field == "uhekordsed.ulesanne"]
    assert [(s.text, s.annex) for s in duty] == [
        ("Vahetu juhi antud muude ühekordsete ülesannete täitmine.", 1),
        ("Vahetu juhi antud muude ühekordsete ülesannete teostamine.", 2),
    ]
    assert all(s.file.endswith("klauslid/klauslid.yaml") for s in duty)
    fields = {s.field for s in spots}
    assert {"teenistuskoht", "eesmark", "nouded.keeleoskus", "ulesanded[0].ulesanne",
            "ulesanded[0].tulemused[0]", "oigused.Õigused[0]", "lopurida.tekst", "oigusalus[0]"} <= fields


def test_sibling_groups(tmp_path):
    collected = collect(load_project(tmp_path, small_project()), "d1")
    sizes = sorted(len(g) for g in collected.groups)
    # per annex: 3 duty texts and 3 results; across annexes: eesmärk and the five requirements
    assert sizes == [3] * 6 + [3] * 6


def test_shared_clause_defect_is_reported_once_with_its_annexes(tmp_path):
    p = small_project()
    p["clauses"]["kirjad"]["tulemused"] = ["Kavandid on koostatud korrektselt ja tähtaegselt vastavalt kehtestatud nõuetele.."]
    root = write_project(tmp_path, p)
    findings = [f for f in run_checks(load_definitions(root), "d1") if f.kind == "kirjavahemargid"]
    [f] = findings
    assert f.file.endswith("klauslid/klauslid.yaml") and f.annex == 1
    assert f.message.endswith('Ühine klausel "kirjad": sama tekst on lisades 1, 2 ja 3.')


def test_parameter_slip_is_reported_where_the_parameter_is_set(tmp_path):
    p = small_project()
    p["posts"]["spets"]["ulesanded"][2] = {"klausel": "uhekordsed", "parameetrid": {"tegevus": "täitmne"}}
    root = write_project(tmp_path, p)
    # The slip also differs from the other two posts' "täitmine": an outlier at the same line.
    f, outlier = run_checks(load_definitions(root), "d1")
    assert outlier.kind == "parameetri_erand" and (outlier.file, outlier.line) == (f.file, f.line)
    assert f.kind == "oigekiri" and '"täitmne"' in f.message
    assert f.file.endswith("ametikohad/spets.yaml") and f.annex == 2
    assert f.line == line_of(root / "ametikohad" / "spets.yaml", "klausel: uhekordsed")
    assert f.message.endswith('(klausli "uhekordsed" parameeter "tegevus")')


def test_missing_list_comma_is_reported_once(tmp_path):
    p = small_project()
    p["posts"]["spets"]["teenistuskoht"] = "spetsialist (PSK)"
    p["posts"]["noustaja"]["teenistuskoht"] = "nõustaja (kriisitelefon)"
    p["posts"]["juht"]["alluvad"] = {
        "ametikohad": ["spets", "noustaja"],
        "tekst": "Spetsialist (PSK) nõustaja (kriisitelefon)",
    }
    root = write_project(tmp_path, p)
    line = line_of(root / "ametikohad" / "juht.yaml", "tekst:")
    at_line = [f for f in run_checks(load_definitions(root), "d1") if f.line == line and f.file.endswith("juht.yaml")]
    assert [f.kind for f in at_line] == ["loetelu_tekst"]
    assert "puudub koma" in at_line[0].message


def test_misspelling_quoted_by_a_drift_finding_is_not_repeated(tmp_path):
    p = small_project()
    p["posts"]["spets"]["ulesanded"][1] = {
        "ulesanne": p["clauses"]["kirjad"]["ulesanne"],
        "tulemused": ["Kavandid on koostatud korrektselt ja tähtaegslt vastavalt kehtestatud nõuetele."],
    }
    findings = run_checks(load_project(tmp_path, p), "d1")
    assert [f.kind for f in findings] == ["klausli_triiv"]
    assert '"ja tähtaegslt vastavalt"' in findings[0].message


def test_text_checks_can_be_left_out(tmp_path):
    p = small_project()
    p["posts"]["spets"]["eesmark"] = "Teenuse korraldamine.."
    defs = load_project(tmp_path, p)
    assert run_checks(defs, "d1", text_checks=False) == []
    assert [f.kind for f in run_checks(defs, "d1")] == ["kirjavahemargid"]


def test_repeats_are_decided_on_the_findings_fields_not_their_wording():
    at = Source("definitions/ametikohad/spets.yaml", 12)
    typo = Finding(Severity.HOIATUS, "oigekiri", "Sõna on valesti kirjutatud.", at, 1, "spets",
                   (Quote("tähtaegslt", "tähtaegselt"),))
    drift = Finding(Severity.HOIATUS, "klausli_triiv", "Tulemus erineb klauslist.", at, 1, "spets",
                    (Quote("ja tähtaegslt vastavalt", "ja tähtaegselt vastavalt"),))
    assert _covered(typo, [drift])
    # a message that happens to quote the word does not count; the quotes do
    assert not _covered(typo, [replace(drift, message='siin "tähtaegslt"', quotes=())])
    assert not _covered(typo, [replace(drift, source=Source(at.file, 13))])
    stop = Finding(Severity.HOIATUS, "lopupunkt", "Lõpus puudub punkt.", at, 1, "spets", (Quote("x", "x.", "."),))
    listed = Finding(Severity.HOIATUS, "loetelu_tekst", "Loetelu erineb.", at, 1, "spets", (Quote("a b", "a, b", ","),))
    assert not _covered(stop, [listed]) and _covered(stop, [replace(listed, quotes=(Quote("x", "x.", "."),))])

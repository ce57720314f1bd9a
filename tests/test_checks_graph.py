"""The organisation graph: manager ↔ subordinates, mutual substitution, no manager cycles."""

from __future__ import annotations

from kaskkiri_builder.checks.findings import Severity
from kaskkiri_builder.checks.graph import check_graph
from toolkit import kinds, load_project, small_project


def test_clean_graph_has_no_findings(tmp_path):
    assert check_graph(load_project(tmp_path, small_project()), "d1") == []


def test_manager_who_does_not_list_the_subordinate(tmp_path):
    p = small_project()
    p["posts"]["juht"]["alluvad"] = ["spets"]  # noustaja still names juht as its manager
    [f] = check_graph(load_project(tmp_path, p), "d1")
    assert (f.kind, f.severity, f.annex) == ("alluvus", Severity.HOIATUS, 3)
    assert f.file.endswith("ametikohad/noustaja.yaml")
    assert '"talituse juhataja" (juht)' in f.message and '"nõustaja"' in f.message
    assert 'Lisa "noustaja" ametikoha juht alluvate hulka' in f.message


def test_subordinate_whose_manager_is_someone_else(tmp_path):
    p = small_project()
    p["posts"]["noustaja"]["vahetu_juht"] = "spets"
    p["posts"]["spets"]["alluvad"] = ["noustaja"]
    findings = check_graph(load_project(tmp_path, p), "d1")
    [f] = [f for f in findings if f.annex == 1]
    assert f.kind == "alluvus" and f.file.endswith("ametikohad/juht.yaml")
    assert 'vahetu juht on "spetsialist"' in f.message
    assert kinds(findings) == ["alluvus"]  # the juht side only: spets lists noustaja, agreed


def test_short_posts_are_not_expected_to_list_anyone(tmp_path):
    # juht's manager is a short post without "alluvad": not a finding.
    assert "osakonna-juhataja" not in str(check_graph(load_project(tmp_path, small_project()), "d1"))


def test_substitution_must_be_mutual(tmp_path):
    p = small_project()
    p["posts"]["spets"]["teenistuja_asendaja"] = []  # juht still says: juht substitutes spets
    [f] = check_graph(load_project(tmp_path, p), "d1")
    assert (f.kind, f.annex) == ("asendamine", 1)
    assert f.file.endswith("juht.yaml")
    assert '"spetsialist" (spets)' in f.message and '"teenistuja_asendaja"' in f.message


def test_substitute_who_does_not_substitute_back(tmp_path):
    p = small_project()
    p["posts"]["spets"]["teenistuja_asendab"] = []  # juht still lists spets as its substitute
    [f] = check_graph(load_project(tmp_path, p), "d1")
    assert (f.kind, f.annex) == ("asendamine", 1)
    assert f.message.startswith('Asendajate hulgas on "spetsialist" (spets)')
    assert 'loetellu "teenistuja_asendab"' in f.message


def test_namesake_counts_as_naming_the_post(tmp_path):
    """Two posts share the title "nõustaja": naming either one names "nõustaja"."""
    p = small_project()
    p["posts"]["noustaja2"] = dict(p["posts"]["noustaja"], teenistuja_asendab=["spets"])
    p["posts"]["spets"]["teenistuja_asendaja"] = ["juht", "noustaja"]  # the other nõustaja
    p["directives"]["d1"]["lisad"].append("noustaja2")
    p["posts"]["juht"]["alluvad"] = ["spets", "noustaja"]
    assert [f for f in check_graph(load_project(tmp_path, p), "d1") if f.kind == "asendamine"] == []


def test_manager_cycle(tmp_path):
    p = small_project()
    p["posts"]["juht"]["vahetu_juht"] = "spets"
    p["posts"]["spets"]["alluvad"] = ["juht"]
    findings = [f for f in check_graph(load_project(tmp_path, p), "d1") if f.kind == "juhtimisahel"]
    [f] = findings
    assert f.severity == Severity.VIGA and f.annex == 1
    assert "juht → spets → juht" in f.message


def test_no_cycle_in_a_plain_chain(tmp_path):
    assert "juhtimisahel" not in kinds(check_graph(load_project(tmp_path, small_project()), "d1"))

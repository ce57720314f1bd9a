"""The bundled example (07.01.2026 nr 1, published defects kept): the model-level checks find the
defects a reviewer finds in the published text, and nothing that the text does not have."""

from __future__ import annotations

import pytest

from kaskkiri_builder.checks.findings import Finding, Severity
from kaskkiri_builder.checks.run import run_checks
from kaskkiri_builder.definitions import load_definitions
from toolkit import ROOT

# 2026-01 is recorded: its definitions as signed are in the archive (the draft 2026-02 has
# since changed two of its posts in definitions/).
DEFINITIONS = ROOT / "arhiiv" / "2026-01" / "definitions"


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return run_checks(load_definitions(DEFINITIONS), "2026-01", text_checks=False)


def _find(findings, kind, annex=None, file_part="", text=""):
    return [
        f
        for f in findings
        if f.kind == kind
        and (annex is None or f.annex == annex)
        and file_part in (f.file or "")
        and text in f.message
    ]


def test_missing_comma_in_the_published_substitution_lists(findings):
    """Lisa 1: "juhtivspetsialist (PSK) teenuseomanik (PSK)" in both substitution lists."""
    hits = _find(findings, "loetelu_tekst", 1, "talituse-juhataja.yaml", 'puudub koma: tekstis "juhtivspetsialist (PSK) teenuseomanik"')
    assert [h.message.split(":")[0] for h in hits] == ['"teenistuja_asendab"', '"teenistuja_asendaja"']


def test_eritingimused_without_full_stop(findings):
    """Lisad 4, 5 and 6: "Eritingimused määratakse töölepingus" with no full stop."""
    hits = _find(findings, "eritingimused", text="lõpus puudub punkt")
    assert sorted(h.annex for h in hits) == [4, 5, 6]
    assert all(h.severity == Severity.HOIATUS for h in hits)


def test_inconsistent_qualifier_between_the_nõustajad(findings):
    """Lisa 9 substitutes "Nõustaja" without the qualifier, Lisa 11 with it: both töötajad."""
    [hit] = _find(findings, "avaliku_voimu_marge")
    assert hit.annex == 9 and hit.file.endswith("noustaja-9.yaml")
    assert "lisas 11" in hit.message and "noustaja-10 – ametnik" in hit.message


def test_clause_drift(findings):
    # Lisa 2's rights clause: "tulemuslik täitmine eest" for "tulemusliku täitmise eest"
    [rights] = _find(findings, "klausli_triiv", 2, "oigused-ja-vastutus.yaml")
    assert 'siin "tööülesannete tulemuslik täitmine eest", seal "tööülesannete tulemusliku täitmise eest"' in rights.message
    # Lisad 9 and 10, 2.8: "supervisoonides" for the clause's "supervisioonides"
    for n in (9, 10):
        [hit] = _find(findings, "klausli_triiv", n, f"noustaja-{n}.yaml")
        assert 'siin "pakutud supervisoonides ja/või", klauslis "pakutud supervisioonides ja/või"' in hit.message
    # Lisad 4 and 5: "õieaegselt" for "õigeaegselt" in the letters duty's result
    assert sorted(f.annex for f in _find(findings, "klausli_triiv", text='siin "ja õieaegselt vastavalt"')) == [4, 5]


def test_reworded_copies_are_only_info(findings):
    """Lisa 8, 2.2 adds "kvaliteedi" to the clause's duty: a rewording, not a slip."""
    [hit] = _find(findings, "klausli_variant", 8)
    assert hit.severity == Severity.INFO
    assert 'siin "pühendumuse, motivatsiooni, kvaliteedi ning", klauslis "pühendumuse, motivatsiooni ning"' in hit.message
    assert all(f.severity == Severity.INFO for f in _find(findings, "klausli_variant"))


def test_result_that_repeats_the_crisis_duty(findings):
    """Lisad 2 and 8: the crisis duty's result column repeats the duty word for word."""
    assert sorted(f.annex for f in _find(findings, "tulemus_kordab_ulesannet")) == [2, 8]


def test_lower_case_list_value(findings):
    """Lisa 8: "Alluvad nõustajad" starts with a lower-case letter."""
    [hit] = _find(findings, "loetelu_tekst", 8)
    assert 'erineb suur- ja väiketäht: tekstis "nõustajad", koostatuna "Nõustajad"' in hit.message


def test_one_sided_substitutions(findings):
    """Published asymmetries, e.g. Lisa 2 substitutes the koordinaator, whose Lisa 6 does not
    list the juhtivspetsialist (PSK) among its substitutes."""
    hits = _find(findings, "asendamine")
    assert {(h.annex, h.file.rsplit("/", 1)[-1]) for h in hits} == {
        (2, "juhtivspetsialist-psk.yaml"),
        (3, "ekspert-vaimne-heaolu.yaml"),
        (5, "ekspert-pea-koolitused.yaml"),
        (7, "peaspetsialist-kriisitugi.yaml"),
        (8, "juhtivspetsialist-oa-kriisitelefon.yaml"),
    }
    [koordinaator] = _find(findings, "asendamine", 2)
    assert '"koordinaator (PEA koolitused)"' in koordinaator.message


def test_mixed_range_styles(findings):
    [hit] = _find(findings, "lisade_vahemik")
    assert '"lisadele 1-11" (sidekriips)' in hit.message and '"lisad 1 kuni 2, 4 ja 7 kuni 10" (kuni)' in hit.message


def test_no_alarms_where_the_published_text_is_consistent(findings):
    """Managers and subordinates agree, levels are CEFR, no empty texts, the title fits, every
    annex is of the unit, the ledger agrees with the directive and its numbers rise with the dates
    (nr 80 of 14.11.2025 lies between nr 68 of 28.04.2025 and nr 182 of 26.11.2025): none of these
    may be reported."""
    quiet = {"alluvus", "juhtimisahel", "keeletase", "tuhi_tekst", "pealkiri", "lisade_loetelu",
             "struktuuriyksus", "ajalugu", "numbrijarjestus"}
    assert [f for f in findings if f.kind in quiet] == []
    assert [f for f in findings if f.severity == Severity.VIGA] == []

"""Spelling check: Vabamorf plus the project's word lists, on small texts and on the reference."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from kaskkiri_builder.checks.findings import Severity, TextSpot
from kaskkiri_builder.checks.spelling import (
    SpellChecker,
    check_spelling,
    load_misspellings,
    load_vabamorf,
    load_word_list,
)
from toolkit import reference_spots


def messages(text: str) -> list[str]:
    return [f.message for f in check_spelling([TextSpot(text)])]


def test_unknown_word_is_reported_with_a_suggestion() -> None:
    findings = check_spelling([TextSpot("Teenistujatele on püsitatud selged ootused.")])
    assert len(findings) == 1
    f = findings[0]
    assert (f.kind, f.severity) == ("oigekiri", Severity.HOIATUS)
    assert f.message == 'Sõna "püsitatud" ei ole eesti keele sõnastikus; kas mõeldud "püstitatud"?'


def test_correct_text_gives_nothing() -> None:
    assert messages("Teenistujatele on püstitatud selged ootused ja/või motiveerivad eesmärgid.") == []


def test_known_misspelling_that_vabamorf_accepts() -> None:
    # Vabamorf reads "õieaegselt" as õie + aegselt, so only vaared.txt catches it.
    assert messages("Kavandid on koostatud õieaegselt.") == [
        'Sõna "õieaegselt" on valesti kirjutatud; õige on "õigeaegselt".'
    ]
    assert messages("Õieaegsed otsused.") == ['Sõna "Õieaegsed" on valesti kirjutatud; õige on "Õigeaegsed".']
    assert messages("Kavandid on koostatud õigeaegselt.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Regulaarne osalemine supervisioonides ja/või kovisioonides.",  # kovisioon: sonad.txt
        "Suurenenud PSK vajadus; PSK-d pakutakse; MHPSS-võrgustikuga koostöö; SKA-le; AvTS-i järgi.",
        "Eesti keele oskus vähemalt tasemel C1. Vene keele oskus tasemel B2.",
        "Vähemalt 2-aastane kogemus; kriisitelefon 116 006; toimik 1-1/2026.",
        "Vaata https://www.sotsiaalkindlustusamet.ee/et/ohvriabi või kirjuta info@sotsiaalkindlustusamet.ee.",
        "Microsoft Office'i kasutamine.",
        "kuulamis- ja suhtlemisoskus; tööjõudlus ja -motivatsioon; Saabumis/saatmisviis",
        "e-kirjad, avalik-õiguslike, üle-eestiliselt",
        "Δ tähistab vahet.",
    ],
)
def test_no_false_alarms(text: str) -> None:
    assert messages(text) == []


def test_hyphenated_word_with_a_misspelt_part() -> None:
    assert messages("MHPSS-võrgustkuga koostöö.") == [
        'Sõna "MHPSS-võrgustkuga" ei ole eesti keele sõnastikus; kontrolli õigekirja.'
    ]


def test_extra_words() -> None:
    spot = TextSpot("Kovisioonid ja intervisioonid ning Kõrvemaa talitus.")
    assert SpellChecker().check([spot]) == []
    spot = TextSpot("Töö käib blorvikus ja blorvikuga.")
    assert len(SpellChecker().check([spot])) == 2
    assert SpellChecker(extra_words=["Blorvik"]).check([spot]) == []


def test_where_the_finding_is() -> None:
    spot = TextSpot("Esimene rida.\nTeine rida: püsitatud.", file="lisa.yaml", line=10, annex=3)
    (f,) = check_spelling([spot])
    assert (f.file, f.line, f.annex) == ("lisa.yaml", 11, 3)


def test_word_lists_load() -> None:
    words = load_word_list()
    assert {"psk", "pea", "oa", "mhpss", "c1", "b2", "kovisioon"} <= words
    assert load_misspellings()["õieaegselt"] == "õigeaegselt"


def test_reference_defects_are_found_and_nothing_else() -> None:
    findings = check_spelling(reference_spots())
    flagged = Counter(re.match(r'Sõna "([^"]+)"', f.message).group(1) for f in findings)
    # Every finding on the reference is a real defect: no false alarms.
    assert flagged == Counter(
        {"supervisoonides": 5, "püsitatud": 3, "õieaegselt": 2, "Veebinõustamse": 1}
    )
    by_word = {re.match(r'Sõna "([^"]+)"', f.message).group(1): f for f in findings}
    assert by_word["supervisoonides"].message.endswith('kas mõeldud "supervisioonides"?')
    assert by_word["Veebinõustamse"].message.endswith('kas mõeldud "Veebinõustamise"?')
    assert by_word["Veebinõustamse"].annex == 11
    assert sorted(f.annex for f in findings if "õieaegselt" in f.message) == [4, 5]


def test_vabamorf_is_loaded_once_per_process() -> None:
    for _ in range(3):
        SpellChecker().check([TextSpot("Teenistujatele on püsitatud ootused.")])
        check_spelling([TextSpot("Kavandid on koostatud.")])
    info = load_vabamorf.cache_info()
    assert info.misses == 1
    assert info.hits >= 6


def test_the_whole_reference_asks_vabamorf_twice_each_word_at_most_once(monkeypatch) -> None:
    """Why checking the reference is fast (timings belong in benchmarks/): one batch of distinct
    words, then one batch of the wrong ones for suggestions."""
    from kaskkiri_builder.checks import spelling

    calls: list[list[str]] = []
    real = spelling._vabamorf_spellcheck

    def counting(words: list[str], suggestions: bool) -> list:
        calls.append(list(words))
        return real(words, suggestions)

    monkeypatch.setattr(spelling, "_vabamorf_spellcheck", counting)
    findings = SpellChecker().check(reference_spots())
    assert len(calls) == 2 and findings
    for batch in calls:
        assert len(batch) == len(set(batch))
    assert set(calls[1]) <= set(calls[0])

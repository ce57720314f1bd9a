"""Grammar check: case agreement, the object of partitive verbs, particle verbs written together.

Each rule is tried on the slip and on correct look-alikes that a looser rule would flag.
"""

from __future__ import annotations

import pytest

from kaskkiri_builder.checks.findings import Finding, Severity, TextSpot
from kaskkiri_builder.checks.grammar import check_grammar
from kaskkiri_builder.checks.run import run_checks
from kaskkiri_builder.checks.spelling import load_vabamorf
from toolkit import load_project, small_project


@pytest.fixture(scope="module", autouse=True)
def vabamorf() -> None:
    """Load the lexicon once for the module, as a check does once per process."""
    load_vabamorf()


def found(text: str) -> list[tuple[str, str | None]]:
    return [(f.quotes[0].written, f.quotes[0].wanted) for f in check_grammar([TextSpot(text)])]


# --- (a) attribute and noun ----------------------------------------------------------------------


def test_attribute_in_another_case_than_its_noun() -> None:
    [f] = check_grammar([TextSpot("Omab kogemust rahvusvahelisest koostöös.")])
    assert (f.kind, f.severity) == ("grammatika", Severity.HOIATUS)
    assert f.message == (
        'Täiend ja põhisõna on eri käändes: "rahvusvahelisest koostöös" — '
        'kas "rahvusvahelises koostöös" või "rahvusvahelisest koostööst"?'
    )


@pytest.mark.parametrize(
    ("text", "written", "wanted"),
    [
        ("Osaleb rahvusvahelistel konverentsidele.", "rahvusvahelistel konverentsidele", "rahvusvahelistele konverentsidele"),
        ("Head teadmised, sh psühholoogilisest esmaabis ja kriisidest.", "psühholoogilisest esmaabis", "psühholoogilises esmaabis"),
        ("Kohtub kolleegidega igapäevasest töös.", "igapäevasest töös", "igapäevases töös"),
    ],
)
def test_attribute_slips(text: str, written: str, wanted: str) -> None:
    assert found(text) == [(written, wanted)]


@pytest.mark.parametrize(
    "text",
    [
        "Suhtleb vahetu juhiga ja kolleegidega.",  # genitive attribute before a comitative noun
        "Koostööpartnerid on teadlikud teenustest ja võimalustest.",  # a predicative adjective
        "Osalemine erinevatel koostöö- ja võrgustikukohtumistel.",  # a suspended compound
        "Abivajajad on teadlikud traumajärgsetest abi võimalustest.",  # the attribute's head comes later
        "Peab oluliseks osalemist koostöös partneritega.",  # a translative predicative
        "Pakub tuge eakatele kodus.",  # adjectives used as nouns
        "Pakub tuge vabatahtlikele kriisides ja vabatahtlikega kriisides.",
        "Töö toimub kaasaegsetes ruumidega.",  # a slip, but too like the above to judge
        "Osaleb eri töörühmades ja kolmes maakonnas.",  # indeclinable adjective, numeral
        "Järjepidev enesehoiuga tegelemine.",  # nominative attribute of a later noun
        "Põhiliste töös kasutatavate programmide tundmine.",  # genitive attribute of a later noun
        "Töö toimub heas koostöös ja suurtes ruumides.",
    ],
)
def test_attribute_look_alikes(text: str) -> None:
    assert found(text) == []


# --- (b) the object of a partitive verb ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "wanted"),
    [
        ("Tunneb hästi asjaajamise kord.", "Tunneb hästi asjaajamise kord", "Tunneb hästi asjaajamise korda"),
        ("Valdab eesti keele oskus vähemalt tasemel C1.", "Valdab eesti keele oskus", "Valdab eesti keele oskust"),
        ("Jälgib tähtajad ja nõuab aruandeid.", "Jälgib tähtajad", "Jälgib tähtaegu"),
        ("Peab tundma avaliku teenistuse seadus.", "tundma avaliku teenistuse seadus", "tundma avaliku teenistuse seadust"),
        ("Abistab juhi.", "Abistab juhi", "Abistab juhti"),
        ("Omab ülevaade valdkonnast.", "Omab ülevaade", "Omab ülevaadet"),
    ],
)
def test_partitive_verb_objects(text: str, written: str, wanted: str) -> None:
    assert found(text) == [(written, wanted)]


def test_partitive_verb_message() -> None:
    [f] = check_grammar([TextSpot("Tunneb hästi asjaajamise kord.")])
    assert f.message == (
        'Verbi "tundma" sihitis peab olema osastavas käändes: "Tunneb hästi asjaajamise kord" — '
        'kas "Tunneb hästi asjaajamise korda"?'
    )


@pytest.mark.parametrize(
    "text",
    [
        "Tunneb hästi asjaajamise korda ja avaliku teenistuse seadust.",
        "Tunneb ära oma kolleegid.",  # "ära tundma" is resultative
        "Seadust peab tundma iga töötaja.",  # the nominative after the verb is its subject
        "Tunneb huvi valdkonna arengute vastu.",  # "huvi" may be partitive
        "Jälgib, et kord oleks tagatud.",
        "Tunneb muret laste pärast.",
        "Kasutab teksti- ja andmetöötluse põhifunktsioone.",
        "Jälgib kogu aja tähtaegu.",
        "Nõustab kliente telefoni teel.",
        "Nõustab kogu aeg ja terve öö.",  # adverbials of time
    ],
)
def test_partitive_verb_look_alikes(text: str) -> None:
    assert found(text) == []


# --- (c) particle verbs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "wanted"),
    [
        ("Oskab koolitusi läbiviia.", "läbiviia", "läbi viia"),
        ("Väljatöötab juhendid.", "Väljatöötab", "Välja töötab"),
        ("Aitab ettevalmistada kokkuvõtteid.", "ettevalmistada", "ette valmistada"),
        ("Peab tulemused kokkuvõtma.", "kokkuvõtma", "kokku võtma"),
        ("Allakirjutab lepingud.", "Allakirjutab", "Alla kirjutab"),
    ],
)
def test_particle_verbs_written_together(text: str, written: str, wanted: str) -> None:
    hits = check_grammar([TextSpot(text)])
    assert [(f.quotes[0].written, f.quotes[0].wanted) for f in hits] == [(written, wanted)]
    assert hits[0].message == f'Ühendverb kirjutatakse lahku: "{written}" — kas "{wanted}"?'


@pytest.mark.parametrize(
    "text",
    [
        "Läbiviidud koolitused ja nende ettevalmistamine.",  # a participle and a noun
        "Ettevalmistatud materjalid, kokkuvõte ja juhendi väljatöötamine.",
        "Osaleb töörühmades ja tagasisidestab tulemusi.",  # verbs that are one word
        "Läbiviimne",  # a misspelt noun: "viimne" is no verb form
    ],
)
def test_particle_verb_look_alikes(text: str) -> None:
    assert found(text) == []


# --- where, and in `kaskkiri check` --------------------------------------------------------------


def test_where_the_finding_is() -> None:
    spot = TextSpot("Esimene rida.\nTeine rida: tunneb asjaajamise kord.", file="lisa.yaml", line=10, annex=3,
                    subject="spets")
    [f] = check_grammar([spot])
    assert (f.file, f.line, f.annex, f.subject) == ("lisa.yaml", 11, 3, "spets")


def _with_duty(tmp_path, text: str) -> list[Finding]:
    p = small_project()
    p["posts"]["spets"]["ulesanded"][1] = {"ulesanne": text, "tulemused": ["Koolitused on korraldatud."]}
    return run_checks(load_project(tmp_path, p), "d1")


def test_check_says_write_apart_instead_of_unknown_word(tmp_path) -> None:
    """Vabamorf does not know "läbiviima": one finding, the grammar one, not a spelling one too."""
    findings = _with_duty(tmp_path, "Koolituste läbiviimine ja oskus koolitusi läbiviia.")
    assert [(f.kind, f.quotes[0].wanted) for f in findings] == [("grammatika", "läbi viia")]
    assert findings[0].file.endswith("spets.yaml") and findings[0].annex is not None


def test_grammar_runs_with_spelling_only(tmp_path) -> None:
    p = small_project()
    p["posts"]["spets"]["eesmark"] = "Tunneb hästi asjaajamise kord."
    defs = load_project(tmp_path, p)
    assert [f.kind for f in run_checks(defs, "d1")] == ["grammatika"]
    assert run_checks(defs, "d1", spelling=False) == []

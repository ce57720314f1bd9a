"""Punctuation checks, alone and across sibling texts, on small texts and on the reference."""

from __future__ import annotations

import pytest

from kaskkiri_builder.checks.findings import Severity, TextSpot
from kaskkiri_builder.checks.punctuation import check_punctuation, check_sibling_full_stops
from toolkit import reference_spots


def messages(text: str) -> list[str]:
    return [f.message for f in check_punctuation([TextSpot(text)])]


# --- single texts -------------------------------------------------------------------------------


def test_doubled_full_stop() -> None:
    (f,) = check_punctuation([TextSpot("Teave ja juhendid kriisiabi osutamiseks..")])
    assert (f.kind, f.severity) == ("kirjavahemargid", Severity.VIGA)
    assert f.message == 'Kaks punkti järjest: "osutamiseks.."; kirjuta "osutamiseks.".'
    assert messages("Koolitustel jne.") == []
    assert messages("Vt ... ja nii edasi...") == []  # an ellipsis is not a doubled full stop


def test_doubled_comma() -> None:
    assert messages("teenused,, mis") == ['Kaks koma järjest: "teenused,,"; kirjuta "teenused,".']


def test_missing_space_after_hyphen_before_conjunction() -> None:
    assert messages("Telefoni-ja veebinõustamise kvaliteet.") == [
        'Sidekriipsu järel puudub tühik: "Telefoni-ja"; kirjuta "Telefoni- ja".'
    ]
    assert messages("ennetus-või teavitustegevus") == [
        'Sidekriipsu järel puudub tühik: "ennetus-või"; kirjuta "ennetus- või".'
    ]
    assert messages("Telefoni- ja veebinõustamise ning kuulamis- või suhtlemisoskus.") == []
    assert messages("Kesk-Jaapan, ja/või, Ida-Virumaa") == []


def test_hyphen_and_space_inside_a_word() -> None:
    assert messages("Teenused on koostöö- partneritele tuntud.") == [
        'Sõna sees on sidekriips ja tühik: "koostöö- partneritele"; kirjuta kokku "koostööpartneritele".'
    ]
    assert messages("veebinõustamise e- kirjadele vastamine") == [
        'Sõna sees on sidekriips ja tühik: "e- kirjadele"; kirjuta "e-kirjadele".'
    ]
    assert messages("PEA- koolitused") == [
        'Sõna sees on sidekriips ja tühik: "PEA- koolitused"; kirjuta "PEA-koolitused".'
    ]


@pytest.mark.parametrize(
    "text",
    [
        "sotsiaal- ja õiguskaitsevaldkonna",
        "Teadmised trauma-, kriisi-, katastroofipsühholoogia valdkonnas",
        "nii telefoni- kui ka videonõustamine",
        "katseaja-, vahe-, aasta- ja üks ühele vestlused",
        "tööjõudlus ja -motivatsioon",
        "Alluvad -",
        "Kriisitelefon 116 006, toimik 1-1/2026, lisad 1-11.",
        "Rida lõpeb poolitatud sõnaga koostöö-\npartneritele",
    ],
)
def test_hyphens_that_are_right(text: str) -> None:
    assert messages(text) == []


def test_space_before_comma_or_full_stop() -> None:
    assert messages("Teenused , mis on tuntud .") == [
        'Koma ees on tühik: "Teenused ,"; kirjuta "Teenused,".',
        'Punkti ees on tühik: "tuntud ."; kirjuta "tuntud.".',
    ]
    assert messages("osaleda töörühmades ; vastu võtta") == [
        'Semikooloni ees on tühik: "töörühmades ;"; kirjuta "töörühmades;".'
    ]
    assert messages("Teenused, mis on tuntud. Vt ... ja 0,5 ning fail .docx") == []


def test_missing_comma_between_list_items() -> None:
    text = "Juhtivspetsialist (OA kriisitelefon), juhtivspetsialist (PSK) teenuseomanik (PSK), talituse juhataja"
    (f,) = check_punctuation([TextSpot(text)])
    assert f.severity == Severity.HOIATUS
    assert f.message == (
        'Loetelus puudub koma: "juhtivspetsialist (PSK) teenuseomanik (PSK)"; '
        'kirjuta "juhtivspetsialist (PSK), teenuseomanik (PSK)".'
    )
    assert messages("Talituse juhataja (PSK) teenuseomanik (PSK)") != []


@pytest.mark.parametrize(
    "text",
    [
        "Juhtivspetsialist (OA kriisitelefon), juhtivspetsialist (PSK), teenuseomanik (PSK)",
        "Nõustaja, peaspetsialist (kriisitugi) (ülesannete ulatuses, mis ei seisne avaliku võimu teostamises)",
        "Psühholoogilise esmaabi (PEA) koolituste ja koolitajate süsteemi arendamine.",
        "Muud tegevused (sh koolitused) ja projektid (vt lisa) on läbi viidud.",
        "Tehtud on ettepanekud, mis lähtuvad Sotsiaalkindlustusameti (edaspidi amet) eesmärkidest.",
    ],
)
def test_lists_and_brackets_that_are_right(text: str) -> None:
    assert messages(text) == []


def test_where_the_finding_is() -> None:
    spot = TextSpot("Esimene rida.\nTeine rida..", file="lisa.yaml", line=7, annex=2)
    (f,) = check_punctuation([spot])
    assert (f.file, f.line, f.annex) == ("lisa.yaml", 8, 2)


# --- sibling texts ------------------------------------------------------------------------------


def spots(*texts: str) -> list[TextSpot]:
    return [TextSpot(t, annex=i) for i, t in enumerate(texts, start=1)]


def test_one_sibling_without_a_full_stop() -> None:
    group = spots(
        "Eritingimused määratakse töölepingus.",
        "Eritingimused määratakse ametikohale nimetamise käskkirjas.",
        "Eritingimused määratakse töölepingus",
        "Eritingimused määratakse töölepingus.",
    )
    (f,) = check_sibling_full_stops([group])
    assert (f.kind, f.severity, f.annex) == ("lopupunkt", Severity.HOIATUS, 3)
    assert f.message == (
        'Lõpus puudub punkt: "Eritingimused määratakse töölepingus". 4 samalaadsest tekstist 3 lõpeb '
        'punktiga; kirjuta "Eritingimused määratakse töölepingus."'
    )


def test_one_sibling_with_a_full_stop_among_many_without() -> None:
    group = spots(
        "Hoolivus, asjatundlikkus, koostöövõime",
        "Hoolivus, ausus, asjatundlikkus, koostöövõime, vastutustunne, uuendusmeelsus.",
        "Hoolivus, koostöövõime",
    )
    (f,) = check_sibling_full_stops([group])
    assert f.annex == 2
    assert f.message == (
        'Lõpus on punkt: "…ausus, asjatundlikkus, koostöövõime, vastutustunne, uuendusmeelsus.", kuid 3 samalaadsest '
        'tekstist 2 lõpeb punktita; kirjuta "…ausus, asjatundlikkus, koostöövõime, vastutustunne, uuendusmeelsus".'
    )


@pytest.mark.parametrize(
    "group",
    [
        spots("Üks lause.", "Teine lause.", "Kolmas lause."),  # all alike
        spots("Üks lause.", "Teine lause", "Kolmas lause.", "Neljas lause"),  # no clear majority
        spots("Üks lause.", "Teine lause"),  # too few to judge
        spots("Kõrgharidus", "Kõrgharidus, soovitavalt psühholoogia.", "Kõrgharidus.", "Hea tase."),  # one word
        spots("teha kaugtööd;", "saada infot;", "osaleda töörühmades;", "vastu võtta otsuseid."),  # a list
    ],
)
def test_siblings_left_alone(group: list[TextSpot]) -> None:
    assert check_sibling_full_stops([group]) == []


# --- the reference ------------------------------------------------------------------------------


def test_reference_defects_are_found_and_nothing_else() -> None:
    found = [(f.annex, f.message) for f in check_punctuation(reference_spots())]
    # Every finding on the reference is a real defect (two lines carry the same missing comma).
    assert found == [
        (11, 'Sõna sees on sidekriips ja tühik: "e- kirjadele"; kirjuta "e-kirjadele".'),
        (1, 'Loetelus puudub koma: "juhtivspetsialist (PSK) teenuseomanik (PSK)"; '
            'kirjuta "juhtivspetsialist (PSK), teenuseomanik (PSK)".'),
        (1, 'Loetelus puudub koma: "juhtivspetsialist (PSK) teenuseomanik (PSK)"; '
            'kirjuta "juhtivspetsialist (PSK), teenuseomanik (PSK)".'),
        (1, 'Sõna sees on sidekriips ja tühik: "kasutaja- kogemuse"; kirjuta kokku "kasutajakogemuse".'),
        (4, 'Kaks punkti järjest: "osutamiseks.."; kirjuta "osutamiseks.".'),
        (7, 'Sõna sees on sidekriips ja tühik: "katastroofi- psühholoogia"; '
            'kirjuta kokku "katastroofipsühholoogia".'),
        (8, 'Sidekriipsu järel puudub tühik: "Telefoni-ja"; kirjuta "Telefoni- ja".'),
        (8, 'Sidekriipsu järel puudub tühik: "telefoni-ja"; kirjuta "telefoni- ja".'),
        (8, 'Sõna sees on sidekriips ja tühik: "koostöö- partneritele"; kirjuta kokku "koostööpartneritele".'),
    ]


LABELS = (
    "Struktuuriüksus", "Teenistuskoht", "Vahetu juht", "Alluvad", "Teenistuja asendab",
    "Teenistuja asendaja", "Teenistuskoha eesmärk", "Ametikoha grupp", "Eritingimused", "Haridus",
    "Erialane töökogemus", "Keeleoskus", "Teadmised ja oskused", "Isikuomadused",
)


def reference_field_groups() -> dict[str, list[TextSpot]]:
    """Each labelled field of the annexes, across all annexes (values on the label's line)."""
    groups: dict[str, list[TextSpot]] = {}
    for spot in reference_spots():
        for label in LABELS:
            if spot.text.startswith(label + " ") and spot.annex is not None:
                value = spot.text[len(label) + 1 :]
                groups.setdefault(label, []).append(
                    TextSpot(value, spot.file, spot.line, spot.annex, label)
                )
                break
    return groups


def test_reference_sibling_fields() -> None:
    groups = reference_field_groups()
    assert len(groups["Eritingimused"]) == 11
    findings = check_sibling_full_stops(groups.values())
    eritingimused = [f for f in findings if "töölepingus" in f.message]
    assert sorted(f.annex for f in eritingimused) == [4, 5, 6]
    assert eritingimused[0].message == (
        'Lõpus puudub punkt: "Eritingimused määratakse töölepingus". 11 samalaadsest tekstist 8 lõpeb '
        'punktiga; kirjuta "Eritingimused määratakse töölepingus."'
    )
    # The only other one: annex 1's education is the one sentence among its siblings without a stop.
    others = [(f.annex, f.message) for f in findings if f not in eritingimused]
    assert others == [
        (1, 'Lõpus puudub punkt: "Kõrgharidus, eelistatud sotsiaalvaldkonnas või psühholoogias". 7 '
            'samalaadsest tekstist 6 lõpeb punktiga; kirjuta "Kõrgharidus, eelistatud sotsiaalvaldkonnas '
            'või psühholoogias."')
    ]

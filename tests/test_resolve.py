"""The resolver: references followed, clauses rendered, qualifiers and phrases derived."""

from __future__ import annotations

import pytest

from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.errors import TemplateError
from kaskkiri_builder.resolve import QUALIFIER, resolve_directive
from minimal import DIRECTIVE, JUHT, NOUSTAJA, write_project


def resolve(tmp_path, **kw):
    root = write_project(tmp_path, **kw)
    return resolve_directive(load_definitions(root / "definitions"), "d1")


def general(annex) -> dict[str, str]:
    return dict(annex.general)


def test_a_tootaja_substituting_an_ametnik_gets_the_qualifier(tmp_path):
    annex = resolve(tmp_path).annexes[0]
    assert general(annex)["Teenistuja asendab"] == f"Talituse juhataja {QUALIFIER}"
    # the other lists never carry it
    assert general(annex)["Teenistuja asendaja"] == "Talituse juhataja"


def test_an_ametnik_substituting_gets_no_qualifier(tmp_path):
    annex = resolve(tmp_path, posts={"noustaja": NOUSTAJA.replace("ametikoha_grupp: töötaja", "ametikoha_grupp: ametnik")}).annexes[0]
    assert general(annex)["Teenistuja asendab"] == "Talituse juhataja"
    assert general(annex)["Eritingimused"] == "Eritingimused määratakse ametikohale nimetamise käskkirjas."
    assert general(annex)["Ametikoha grupp"] == "Ametnik"


def test_explicit_qualifier_override_wins(tmp_path):
    post = NOUSTAJA.replace("teenistuja_asendab: [juht]", "teenistuja_asendab: [{ametikoht: juht, piirang: false}]")
    annex = resolve(tmp_path, posts={"noustaja": post}).annexes[0]
    assert general(annex)["Teenistuja asendab"] == "Talituse juhataja"


def test_special_conditions_follow_the_group(tmp_path):
    annex = resolve(tmp_path).annexes[0]
    assert general(annex)["Eritingimused"] == "Eritingimused määratakse töölepingus."
    assert general(annex)["Ametikoha grupp"] == "Töötaja"


def test_lists_plural_names_and_published_text(tmp_path):
    juht = JUHT + "alluvad: [{ametikoht: noustaja, mitmuses: true}]\nvahetu_juht: {ametikoht: noustaja, nimetus: ohvriabi osakonna juhataja}\n"
    post = NOUSTAJA.replace("alluvad: []", "alluvad: {ametikohad: [juht], tekst: juhataja ise}")
    d = DIRECTIVE.replace("lisad: [noustaja]", "lisad: [noustaja, juht]")
    juht_full = juht + NOUSTAJA[NOUSTAJA.index("eesmark:"):]
    rd = resolve(tmp_path, posts={"juht": juht_full, "noustaja": post}, directive=d)
    assert general(rd.annexes[0])["Alluvad"] == "juhataja ise"  # published text kept as is
    assert general(rd.annexes[1])["Alluvad"] == "Nõustajad"
    assert general(rd.annexes[1])["Vahetu juht"] == "Ohvriabi osakonna juhataja"
    assert general(rd.annexes[0])["Struktuuriüksus"] == "Ohvriabi osakond, kriisitoe talitus"


def test_empty_list_is_a_dash(tmp_path):
    assert general(resolve(tmp_path).annexes[0])["Alluvad"] == "-"


def test_clause_parameters_defaults_and_overrides(tmp_path):
    rd = resolve(tmp_path)
    assert rd.annexes[0].duties[1].text == "Vahetu juhi antud muude ühekordsete ülesannete täitmine."
    post = NOUSTAJA.replace("  - klausel: uhekordsed", "  - klausel: uhekordsed\n    parameetrid: {tegevus: teostamine}")
    post = post.replace("oigused_ja_vastutus: oigused", "oigused_ja_vastutus: {klausel: oigused, parameetrid: {pohjendatud_juhul: false}}")
    annex = resolve(tmp_path / "b", posts={"noustaja": post}).annexes[0]
    assert annex.duties[1].text == "Vahetu juhi antud muude ühekordsete ülesannete teostamine."
    assert annex.duties[1].number == "2.2."
    assert annex.rights[0] == ("Õigused", ("saada tööalast juhendamist ja supervisiooni;",))


def test_clause_cannot_reach_python_internals(tmp_path):
    from minimal import CLAUSES

    bad = CLAUSES.replace(
        "  tekst: Ametijuhend vaadatakse üle kord aastas vahetu juhiga või töökorralduse muutumisel.",
        "  tekst: \"{{ ''.__class__.__mro__[1].__subclasses__() }}\"",
    )
    with pytest.raises(TemplateError) as exc:
        resolve(tmp_path, clauses=bad)
    assert "klauslid/yldised.yaml" in str(exc.value) and "Jinja" in str(exc.value)
    assert "subclasses" not in "".join(p.message for p in exc.value.problems if "<class" in p.message)


def test_directive_phrases_single_annex_draft(tmp_path):
    rd = resolve(tmp_path)
    assert rd.draft and rd.date_number == "[kuupäev] nr [number]"
    assert rd.title == "Ametijuhendi kinnitamine"
    assert rd.points[0].text == "Kinnitan ohvriabi osakonna kriisitoe talituse ametijuhendi vastavalt lisale 1 järgmiselt:"
    assert rd.points[0].items == ("1.1. nõustaja (lisa 1).",)
    # no ledger: no point 2, so entry into force is point 2
    assert [p.number for p in rd.points] == ["1.", "2."]
    assert rd.points[1].text == "Käskkiri jõustub allkirjastamisest."
    assert rd.annexes[0].heading == ("KINNITATUD", "Sotsiaalkindlustusameti peadirektori", "[kuupäev] käskkirjaga nr [number]", "Lisa 1")


def test_directive_phrases_recorded_many_annexes_deputy(tmp_path):
    juht_full = JUHT + NOUSTAJA[NOUSTAJA.index("eesmark:"):]
    d = (
        "number: 5\nkuupaev: 02.03.2026\n"
        "oigusalus: [Avaliku teenistuse seaduse § 52 lõigete 1 ja 2, sotsiaalkaitseministri määruse § 10]\n"
        "struktuuriyksus: talitus\nlisad: [juht, noustaja]\n"
        "joustumine: {kuupaev: 01.05.2026, tagasiulatuvalt: 01.03.2026}\n"
        "allkirjastaja:\n  nimi: Leila Siiroja\n  ametinimetus: osakonnajuhataja peadirektori ülesannetes\n"
        "  alus: peadirektori 09.12.2024 käskkirja nr 3-1/61-1 \"Peadirektori asendaja määramine\"\n"
    )
    rd = resolve(tmp_path, posts={"juht": juht_full}, directive=d)
    assert not rd.draft and rd.date_number == "02.03.2026 nr 5"
    assert rd.title == "Ametijuhendite kinnitamine"
    assert rd.preamble == (
        "Avaliku teenistuse seaduse § 52 lõigete 1 ja 2, sotsiaalkaitseministri määruse § 10 ning "
        "peadirektori 09.12.2024 käskkirja nr 3-1/61-1 \"Peadirektori asendaja määramine\" alusel"
    )
    assert "vastavalt lisadele 1-2 järgmiselt:" in rd.points[0].text
    assert rd.points[0].items == ("1.1. talituse juhataja (lisa 1);", "1.2. nõustaja (lisa 2).")
    assert rd.points[-1].text == (
        "Käskkiri jõustub 2026. aasta 1. mail ja käskkirja punktis 1 kinnitatud ametijuhendeid "
        "rakendatakse tagasiulatuvalt 2026. aasta 1. märtsist."
    )
    assert rd.signature[-1] == "osakonnajuhataja peadirektori ülesannetes"
    assert rd.annexes[1].heading[2] == "02.03.2026 käskkirjaga nr 5"

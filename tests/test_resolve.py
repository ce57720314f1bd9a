"""The resolver: references followed, clauses rendered, qualifiers and phrases derived."""

from __future__ import annotations

import pytest

from kaskkiri_builder.errors import TemplateError
from kaskkiri_builder.resolve import resolve_directive
from toolkit import QUALIFIER, REFERENCE, fold, line_of, load_project, small_project


def resolve(tmp_path, project=None):
    return resolve_directive(load_project(tmp_path, project or small_project()), "d1")


def general(annex) -> dict[str, str]:
    return dict(annex.general)


def noustaja_alone(**changes):
    """The small project approving only noustaja (a töötaja), with `changes` to its post."""
    p = small_project()
    p["posts"]["noustaja"].update(changes)
    p["directives"]["d1"]["lisad"] = ["noustaja"]
    return p


def test_the_qualifier_is_the_published_wording():
    """The literal the tests expect is the one the published directive uses (Lisa 11)."""
    assert f"Nõustaja {QUALIFIER}" in fold(REFERENCE.read_text(encoding="utf-8"))


def test_a_tootaja_substituting_an_ametnik_gets_the_qualifier(tmp_path):
    annex = resolve(tmp_path, noustaja_alone(teenistuja_asendab=["juht"], teenistuja_asendaja=["juht"])).annexes[0]
    assert general(annex)["Teenistuja asendab"] == (
        "Talituse juhataja (ülesannete ulatuses, mis ei seisne avaliku võimu teostamises)"
    )
    # the other lists never carry it
    assert general(annex)["Teenistuja asendaja"] == "Talituse juhataja"


def test_an_ametnik_substituting_gets_no_qualifier(tmp_path):
    p = noustaja_alone(ametikoha_grupp="ametnik", teenistuja_asendab=["juht"])
    annex = resolve(tmp_path, p).annexes[0]
    assert general(annex)["Teenistuja asendab"] == "Talituse juhataja"
    assert general(annex)["Eritingimused"] == "Eritingimused määratakse ametikohale nimetamise käskkirjas."
    assert general(annex)["Ametikoha grupp"] == "Ametnik"


def test_explicit_qualifier_override_wins(tmp_path):
    p = noustaja_alone(teenistuja_asendab=[{"ametikoht": "juht", "piirang": False}])
    assert general(resolve(tmp_path, p).annexes[0])["Teenistuja asendab"] == "Talituse juhataja"


def test_special_conditions_follow_the_group(tmp_path):
    annex = resolve(tmp_path, noustaja_alone()).annexes[0]
    assert general(annex)["Eritingimused"] == "Eritingimused määratakse töölepingus."
    assert general(annex)["Ametikoha grupp"] == "Töötaja"


def test_lists_plural_names_and_published_text(tmp_path):
    p = noustaja_alone(teenistuskoht_mitmuses="nõustajad",
                       alluvad={"ametikohad": ["juht"], "tekst": "juhataja ise"})
    p["posts"]["juht"].update(
        alluvad=[{"ametikoht": "noustaja", "mitmuses": True}],
        vahetu_juht={"ametikoht": "noustaja", "nimetus": "ohvriabi osakonna juhataja"},
    )
    p["directives"]["d1"]["lisad"] = ["noustaja", "juht"]
    rd = resolve(tmp_path, p)
    assert general(rd.annexes[0])["Alluvad"] == "juhataja ise"  # published text kept as is
    assert general(rd.annexes[1])["Alluvad"] == "Nõustajad"
    assert general(rd.annexes[1])["Vahetu juht"] == "Ohvriabi osakonna juhataja"
    assert general(rd.annexes[0])["Struktuuriüksus"] == "Ohvriabi osakond, kriisitoe talitus"


def test_empty_list_is_a_dash(tmp_path):
    assert general(resolve(tmp_path, noustaja_alone(alluvad=[])).annexes[0])["Alluvad"] == "-"


def test_clause_parameters_defaults_and_overrides(tmp_path):
    p = noustaja_alone()
    p["clauses"]["oigused"]["read"][0]["punktid"][0] = (
        "saada tööalast juhendamist ja {% if pohjendatud_juhul %}põhjendatud juhul {% endif %}supervisiooni;"
    )
    p["clauses"]["oigused"]["vaikimisi"] = {"pohjendatud_juhul": True}
    annex = resolve(tmp_path / "a", p).annexes[0]
    assert annex.duties[2].text == "Vahetu juhi antud muude ühekordsete ülesannete täitmine."
    assert annex.rights[0][1][0] == "saada tööalast juhendamist ja põhjendatud juhul supervisiooni;"

    p["posts"]["noustaja"]["ulesanded"][2]["parameetrid"] = {"tegevus": "teostamine"}
    p["posts"]["noustaja"]["oigused_ja_vastutus"] = {"klausel": "oigused", "parameetrid": {"pohjendatud_juhul": False}}
    annex = resolve(tmp_path / "b", p).annexes[0]
    assert annex.duties[2].text == "Vahetu juhi antud muude ühekordsete ülesannete teostamine."
    assert annex.duties[2].number == "2.3."
    assert annex.rights[0] == ("Õigused", ("saada tööalast juhendamist ja supervisiooni;",
                                           "vastu võtta otsuseid oma pädevuse piires."))


def test_clause_cannot_reach_python_internals(tmp_path):
    """The sandbox refuses the attribute: the exact refusal, nothing rendered into the text."""
    p = small_project()
    p["clauses"]["lopurida"]["tekst"] = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    with pytest.raises(TemplateError) as exc:
        resolve(tmp_path, p)
    line = line_of(tmp_path / "definitions/klauslid/klauslid.yaml", r"__subclasses__")
    expected = (
        f"definitions/klauslid/klauslid.yaml:{line}: Jinja viga (klausel lopurida): keelatud tehe "
        "(access to attribute '__class__' of 'str' object is unsafe.). Klausli tekstis võib "
        "kasutada ainult parameetreid, tingimusi ja filtreid."
    )
    # one problem, although the clause is in all three annexes
    assert [str(problem) for problem in exc.value.problems] == [expected]


def test_directive_phrases_single_annex_draft(tmp_path):
    rd = resolve(tmp_path, noustaja_alone())
    assert rd.draft and rd.date_number == "[kuupäev] nr [number]"
    assert rd.title == "Ametijuhendi kinnitamine"
    assert rd.points[0].text == "Kinnitan ohvriabi osakonna kriisitoe talituse ametijuhendi vastavalt lisale 1 järgmiselt:"
    assert rd.points[0].items == ("1.1. nõustaja (lisa 1).",)
    # no ledger: no point 2, so entry into force is point 2
    assert [p.number for p in rd.points] == ["1.", "2."]
    assert rd.points[1].text == "Käskkiri jõustub allkirjastamisest."
    assert rd.annexes[0].heading == ("KINNITATUD", "Sotsiaalkindlustusameti peadirektori", "[kuupäev] käskkirjaga nr [number]", "Lisa 1")


def test_directive_phrases_recorded_many_annexes_deputy(tmp_path):
    p = small_project()
    p["directives"]["d1"] = {
        "number": 5,
        "kuupaev": "02.03.2026",
        "oigusalus": ["Avaliku teenistuse seaduse § 52 lõigete 1 ja 2", "sotsiaalkaitseministri määruse § 10"],
        "struktuuriyksus": "talitus",
        "lisad": ["juht", "noustaja"],
        "joustumine": {"kuupaev": "01.05.2026", "tagasiulatuvalt": "01.03.2026"},
        "allkirjastaja": {
            "nimi": "Leila Siiroja",
            "ametinimetus": "osakonnajuhataja peadirektori ülesannetes",
            "alus": 'peadirektori 09.12.2024 käskkirja nr 3-1/61-1 "Peadirektori asendaja määramine"',
        },
    }
    del p["organisation"]["vormistus"]  # the default range style
    rd = resolve(tmp_path, p)
    assert not rd.draft and rd.date_number == "02.03.2026 nr 5"
    assert rd.title == "Ametijuhendite kinnitamine"
    assert rd.preamble == (
        "Avaliku teenistuse seaduse § 52 lõigete 1 ja 2, sotsiaalkaitseministri määruse § 10 ning "
        "peadirektori 09.12.2024 käskkirja nr 3-1/61-1 \"Peadirektori asendaja määramine\" alusel"
    )
    assert rd.points[0].text == (
        "Kinnitan ohvriabi osakonna kriisitoe talituse ametijuhendid vastavalt lisadele 1-2 järgmiselt:"
    )
    assert rd.points[0].items == ("1.1. talituse juhataja (lisa 1);", "1.2. nõustaja (lisa 2).")
    assert rd.points[-1].text == (
        "Käskkiri jõustub 2026. aasta 1. mail ja käskkirja punktis 1 kinnitatud ametijuhendeid "
        "rakendatakse tagasiulatuvalt 2026. aasta 1. märtsist."
    )
    assert rd.signature[-1] == "osakonnajuhataja peadirektori ülesannetes"
    assert rd.annexes[1].heading[2] == "02.03.2026 käskkirjaga nr 5"

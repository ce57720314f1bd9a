"""The resolver: references followed, clauses rendered, qualifiers and phrases derived."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kaskkiri_builder.definitions.model import Directive, LedgerDirective, PostGroup
from kaskkiri_builder.errors import TemplateError
from kaskkiri_builder.resolve import clause_params, resolve_directive
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


# --- the domain rules, each in one place ------------------------------------------------------


def test_unit_chain_is_outermost_first_and_cuts_a_cycle(tmp_path):
    org = load_project(tmp_path, small_project()).organisation
    assert [u.id for u in org.unit_chain("talitus")] == ["osakond", "talitus"]
    assert org.unit_name("talitus") == "Ohvriabi osakond, kriisitoe talitus"
    assert org.unit_genitive("talitus") == "ohvriabi osakonna kriisitoe talituse"
    assert org.belongs_to("talitus", "osakond") and not org.belongs_to("osakond", "talitus")
    assert org.unit_chain("puudub") == []
    looped = replace(org, units={
        "a": replace(org.units["osakond"], id="a", parent="b"),
        "b": replace(org.units["talitus"], id="b", parent="a"),
    })
    assert [u.id for u in looped.unit_chain("a")] == ["b", "a"]


def test_one_default_title_for_the_directive_and_the_ledger():
    assert Directive.default_title_for(1) == "Ametijuhendi kinnitamine"
    assert Directive.default_title_for(2) == "Ametijuhendite kinnitamine"
    entry = LedgerDirective(number="7", date=date(2025, 1, 2), annexes={1: "a", 2: "b"})
    assert entry.display_title == Directive.default_title_for(2)


def test_closing_clause_is_the_shared_one_unless_the_post_names_its_own(tmp_path):
    p = small_project()
    p["posts"]["noustaja"]["lopurida"] = {"klausel": "oma-lopp", "parameetrid": {"kord": "kaks korda"}}
    p["clauses"]["oma-lopp"] = {"tekst": "Ametijuhend vaadatakse üle {{ kord }} aastas."}
    defs = load_project(tmp_path, p)
    assert defs.posts["juht"].closing_clause_id == "lopurida" and defs.posts["juht"].closing_params == {}
    post = defs.posts["noustaja"]
    assert post.closing_clause_id == "oma-lopp" and post.closing_source == post.closing.source
    annex = next(a for a in resolve_directive(defs, "d1").annexes if a.post.id == "noustaja")
    assert annex.closing == "Ametijuhend vaadatakse üle kaks korda aastas."


def test_clause_params_context_then_defaults_then_the_posts_own(tmp_path):
    defs = load_project(tmp_path, small_project())
    post, clause = defs.posts["noustaja"], defs.clauses["uhekordsed"]
    assert clause_params(defs, post, clause, {})["tegevus"] == "täitmine"
    params = clause_params(defs, post, clause, {"tegevus": "teostamine", "ametikoht": "x"})
    assert params["tegevus"] == "teostamine" and params["ametikoht"] == "x"
    assert clause_params(defs, post, clause, {})["ametikoht"]["id"] == "noustaja"


def test_group_words():
    assert (PostGroup.AMETNIK.label, PostGroup.TOOTAJA.label) == ("Ametnik", "Töötaja")
    assert PostGroup.TOOTAJA.needs_qualifier_for(PostGroup.AMETNIK)
    assert not PostGroup.AMETNIK.needs_qualifier_for(PostGroup.TOOTAJA)
    assert not PostGroup.TOOTAJA.needs_qualifier_for(PostGroup.TOOTAJA)
    assert PostGroup.AMETNIK.other is PostGroup.TOOTAJA

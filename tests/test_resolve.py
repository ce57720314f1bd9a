"""The resolver: references followed, clauses rendered, qualifiers and phrases derived."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.definitions.model import Directive, PostGroup
from kaskkiri_builder.errors import TemplateError
from kaskkiri_builder.history import LedgerDirective
from kaskkiri_builder.resolve import QUALIFIER, clause_params, resolve_directive
from minimal import CLAUSES, DIRECTIVE, JUHT, NOUSTAJA, write_project


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


# --- the domain rules, each in one place ------------------------------------------------------


def test_unit_chain_is_outermost_first_and_cuts_a_cycle(tmp_path):
    org = load_definitions(write_project(tmp_path) / "definitions").organisation
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
    own = NOUSTAJA + "lopurida: {klausel: oma-lopp, parameetrid: {kord: kaks korda}}\n"
    clauses = CLAUSES + "oma-lopp:\n  tekst: Ametijuhend vaadatakse üle {{ kord }} aastas.\n"
    defs = load_definitions(write_project(tmp_path, posts={"noustaja": own}, clauses=clauses) / "definitions")
    assert defs.posts["juht"].closing_clause_id == "lopurida" and defs.posts["juht"].closing_params == {}
    post = defs.posts["noustaja"]
    assert post.closing_clause_id == "oma-lopp" and post.closing_source == post.closing.source
    assert resolve_directive(defs, "d1").annexes[0].closing == "Ametijuhend vaadatakse üle kaks korda aastas."


def test_clause_params_context_then_defaults_then_the_posts_own(tmp_path):
    defs = load_definitions(write_project(tmp_path) / "definitions")
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

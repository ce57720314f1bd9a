"""`kaskkiri klauslid soovita`: shared clauses proposed from duties that posts write out.

The main proof: the example with every clause reference written back out as plain text (what
an import gives) gets its shared duties back as clauses with `--rakenda`, and every job
description's text, and the Word text of a build, stays the same character for character.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.definitions.load import Source
from kaskkiri_builder.definitions.model import Definitions, DutyClause, PostRef
from kaskkiri_builder.docx_text import docx_text
from kaskkiri_builder.drift import annex_parts
from kaskkiri_builder.errors import DefinitionError, OutputError
from kaskkiri_builder.resolve import Resolver, resolve_directive
from kaskkiri_builder.suggest import Proposal, coverage, suggest
from kaskkiri_builder.suggest_apply import clause_file_text, write_all
from kaskkiri_builder.yaml_writer import dump as _dump
from kaskkiri_builder.yaml_writer import round_trip as _yaml
from toolkit import DRAFT, cli, copy_example, load_project, small_project, tree

NOTE = "# oma märkus: see kommentaar peab alles jääma"


# --- helpers ----------------------------------------------------------------------------------


def inline_clauses(root: Path) -> None:
    """Every duty that refers to a clause becomes the post's own text, as the build renders it
    (what importing the annexes would give). The comment lines after a duty stay."""
    defs = load_definitions(root / "definitions")
    resolver = Resolver(defs)
    for post in defs.posts.values():
        path = root / post.source.file
        data = _yaml().load(path.read_text(encoding="utf-8"))
        ctx = resolver.post_context(post)
        for i, duty in enumerate(post.duties):
            if duty.clause_id is None:
                continue
            resolved = resolver.duty(post, i + 1, ctx)
            node = data["ulesanded"][i]
            comment = node.ca.items.pop("klausel", None)
            own = CommentedMap()
            own["ulesanne"] = resolved.text
            own["tulemused"] = CommentedSeq(resolved.results)
            if comment is not None and comment[2] is not None:
                own["tulemused"].ca.items[len(resolved.results) - 1] = [comment[2], None, None, None]
            data["ulesanded"][i] = own
        path.write_text(_dump(data), encoding="utf-8")


def annexes(defs: Definitions) -> dict[str, dict[str, str]]:
    """Every full post's annex text by place."""
    r = Resolver(defs)
    out = {pid: annex_parts(r.annex(1, PostRef(pid, Source("")), "")) for pid in sorted(defs.posts)
           if defs.posts[pid].is_full}
    assert not r.texts.problems
    return out


def directives(defs: Definitions) -> dict[str, Any]:
    """Every directive's resolved text: points and every annex."""
    out: dict[str, Any] = {}
    for did in sorted(defs.directives):
        rd = resolve_directive(defs, did)
        out[did] = (rd.title, rd.points, [annex_parts(a) for a in rd.annexes])
    return out


def word_texts(project: Path) -> dict[str, str]:
    return {p.name: docx_text(p) for p in sorted((project / "output" / DRAFT).glob("*.docx"))}


def duty_clauses(defs: Definitions) -> list[str]:
    return [cid for cid, c in defs.clauses.items() if isinstance(c, DutyClause)]


def share(defs: Definitions) -> float:
    covered, total = coverage(defs)
    return covered / total


# --- (1) the example, written out as plain text, gets its clauses back --------------------------


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory) -> dict[str, Any]:
    """The example inlined, its build, `soovita --rakenda`, the build again (one run per module)."""
    root = copy_example(tmp_path_factory.mktemp("soovita") / "projekt")
    example = load_definitions(root / "definitions")
    inline_clauses(root)
    # no library of duty clauses either (else the duties become references to it: see (3) below)
    (root / "definitions/klauslid/ulesanded.yaml").unlink()
    # a comment line of the user's own above a duty, and one at the end of the duties
    post = root / "definitions/ametikohad/noustaja-10.yaml"
    text = post.read_text(encoding="utf-8")
    first = text.index("  - ulesanne:", text.index("ulesanded:"))
    second = text.index("  - ulesanne:", first + 1)
    post.write_text(text[:second] + f"  {NOTE}\n" + text[second:], encoding="utf-8")
    inlined = load_definitions(root / "definitions")
    cli(root, "build", DRAFT, "--ainult-word")
    before_word = word_texts(root)
    shutil.rmtree(root / "output")
    report = cli(root, "klauslid", "soovita")
    applied = cli(root, "klauslid", "soovita", "--rakenda")
    after = load_definitions(root / "definitions")
    cli(root, "build", DRAFT, "--ainult-word")
    return {"root": root, "example": example, "inlined": inlined, "after": after, "report": report,
            "applied": applied, "before_word": before_word, "after_word": word_texts(root)}


def test_inlining_keeps_the_text_and_leaves_no_duty_clause_used(round_trip):
    example, inlined = round_trip["example"], round_trip["inlined"]
    assert annexes(inlined) == annexes(example)
    assert all(d.clause_id is None for p in inlined.posts.values() for d in p.duties)
    assert share(inlined) == 0


def test_every_annex_text_stays_identical(round_trip):
    inlined, after = round_trip["inlined"], round_trip["after"]
    assert annexes(after) == annexes(inlined)
    assert directives(after) == directives(inlined)


def test_the_word_text_of_a_build_stays_identical(round_trip):
    before, after = round_trip["before_word"], round_trip["after_word"]
    assert before and set(before) == set(after)
    for name in before:
        assert after[name] == before[name], name


def test_duties_shared_word_for_word_become_references(round_trip):
    """Every duty the example's library gave to two or more posts in the same words is a clause
    reference again, and the proposal covers much more duty text than nothing."""
    example, after = round_trip["example"], round_trip["after"]
    r = Resolver(example)
    by_text: dict[str, set[str]] = {}
    for post in example.posts.values():
        ctx = r.post_context(post)
        for i, duty in enumerate(post.duties, start=1):
            if duty.clause_id is not None:
                by_text.setdefault(r.duty(post, i, ctx).text, set()).add(post.id)
    shared = {t for t, posts in by_text.items() if len(posts) > 1}
    assert shared
    ra = Resolver(after)
    for post in after.posts.values():
        ctx = ra.post_context(post)
        for i, duty in enumerate(post.duties, start=1):
            if ra.duty(post, i, ctx).text in shared:
                assert duty.clause_id is not None, (post.id, i)
    proposed = [cid for cid in duty_clauses(after) if cid not in example.clauses]
    print(f"\nclauses: proposed {len(proposed)}, the example's library {len(duty_clauses(example))} "
          f"duty clauses ({len(example.clauses)} in all); duty text covered: example "
          f"{share(example):.0%}, inlined {share(round_trip['inlined']):.0%}, after {share(after):.0%}")
    assert share(after) > 0.4


def test_the_report_names_posts_parameters_and_changes_nothing_itself(round_trip):
    out = round_trip["report"].stdout
    assert "Soovitatud ühised klauslid:" in out
    assert "{{ padevus }}" in out  # "pädevuse" / "pädevuste" became a parameter
    assert 'padevus = "pädevuse"' in out and 'padevus = "pädevuste"' in out
    assert "kaskkiri klauslid soovita --rakenda" in out
    assert "Kirjutatud: definitions/klauslid/soovitatud.yaml" in round_trip["applied"].stdout


def test_comments_and_layout_of_the_posts_are_kept(round_trip):
    root = round_trip["root"]
    text = (root / "definitions/ametikohad/noustaja-10.yaml").read_text(encoding="utf-8")
    assert NOTE in text
    assert text.startswith("# yaml-language-server: $schema=../../schemas/ametikoht.json\n# Ametijuhend:")
    assert "\nnouded:\n" in text and "klausel: ulesanne-" in text


def test_a_second_run_proposes_nothing(round_trip):
    run = cli(round_trip["root"], "klauslid", "soovita")
    assert "Ühiseid klausleid ei soovita" in run.stdout


# --- (2) the example itself, with its library -----------------------------------------------


def test_on_the_example_only_plain_text_duties_are_proposed(example):
    defs = load_definitions(example / "definitions")
    proposal = suggest(defs)
    assert proposal.suggestions
    for s in proposal.suggestions:
        assert len(s.posts) >= 2
        assert s.clause_id not in defs.clauses
        for u in s.uses:
            assert defs.posts[u.post_id].duties[u.index].clause_id is None
    assert proposal.covered_after > proposal.covered == coverage(defs)[0]
    before = tree(example)
    run = cli(example, "klauslid", "soovita", "--json")
    assert tree(example) == before
    data = json.loads(run.stdout)
    assert [c["klausel"] for c in data["klauslid"]] == [s.clause_id for s in proposal.suggestions]


# --- (3) duties the library already has become references to its clauses ---------------------


@pytest.fixture(scope="module")
def library_round_trip(tmp_path_factory) -> dict[str, Any]:
    """The example inlined with its clause library kept, then `soovita --rakenda`."""
    root = copy_example(tmp_path_factory.mktemp("soovita-kogu") / "projekt")
    example = load_definitions(root / "definitions")
    inline_clauses(root)
    inlined = load_definitions(root / "definitions")
    report = cli(root, "klauslid", "soovita", "--json")
    applied = cli(root, "klauslid", "soovita", "--rakenda")
    return {"root": root, "example": example, "inlined": inlined, "report": json.loads(report.stdout),
            "applied": applied, "after": load_definitions(root / "definitions")}


def test_duties_equal_to_a_library_clause_refer_to_it_again(library_round_trip):
    """Every duty that referred to a clause with its defaults, and whose text is now the post's
    own, refers to that same clause again; the text of every annex stays the same."""
    example, inlined, after = (library_round_trip[k] for k in ("example", "inlined", "after"))
    assert annexes(after) == annexes(inlined) == annexes(example)
    back = 0
    for post in example.posts.values():
        for i, duty in enumerate(post.duties):
            if duty.clause_id is not None and not duty.params and duty.results is None:
                assert after.posts[post.id].duties[i].clause_id == duty.clause_id, (post.id, i + 1)
                back += 1
    assert back > 20
    listed = {(u["ametikoht"], u["koht"]) for u in library_round_trip["report"]["klauslikogust"]}
    assert len(listed) >= back
    assert "olemasolevatele klauslitele" in library_round_trip["applied"].stdout


def test_no_new_clause_repeats_a_library_clause(library_round_trip):
    """A duty the library gives is not proposed as a new clause: no proposed clause's text is a
    library clause's text."""
    example, after = library_round_trip["example"], library_round_trip["after"]
    library = {c.text.value for c in example.clauses.values() if isinstance(c, DutyClause)}
    for cid in duty_clauses(after):
        if cid not in example.clauses:
            clause = after.clauses[cid]
            assert isinstance(clause, DutyClause) and clause.text.value not in library, cid
    assert share(after) > share(library_round_trip["inlined"])


def test_small_project_plain_duties_become_library_references(tmp_path):
    """Two posts write out the "kirjad" clause (one with results of its own) and one writes out
    "uhekordsed" with a value another post gives it: references, no new clause."""
    data = small_project()
    posts = data["posts"]
    kirjad = _CLAUSE_TEXT["kirjad"]
    for pid, own in (("juht", "Talituse töö korraldamine."), ("spets", "Eelarve koostamine."),
                     ("noustaja", "Klientide nõustamine telefonitsi.")):
        posts[pid]["ulesanded"][0]["ulesanne"] = own  # nothing else in common
    posts["juht"]["ulesanded"][1] = {"ulesanne": kirjad, "tulemused": [_CLAUSE_RESULT["kirjad"]]}
    posts["noustaja"]["ulesanded"][1] = {"ulesanne": kirjad, "tulemused": ["Kirjad on saadetud."]}
    posts["spets"]["ulesanded"][2] = {"klausel": "uhekordsed", "parameetrid": {"tegevus": "teostamine"}}
    posts["juht"]["ulesanded"][2] = {"ulesanne": "Vahetu juhi antud muude ühekordsete ülesannete teostamine.",
                                     "tulemused": ["Ülesanded on täidetud nõuetekohaselt ja tähtaegselt."]}
    before = load_project(tmp_path, data)
    proposal = suggest(before)
    assert proposal.suggestions == ()
    got = {(u.post_id, u.index): (u.clause_id, u.params, u.own_results) for u in proposal.library}
    assert got == {("juht", 1): ("kirjad", {}, None),
                   ("noustaja", 1): ("kirjad", {}, ("Kirjad on saadetud.",)),
                   ("juht", 2): ("uhekordsed", {"tegevus": "teostamine"}, None)}
    assert proposal.covered_after > proposal.covered
    run = cli(tmp_path, "klauslid", "soovita", "--rakenda")
    assert "Muudetud 2 ametikoha faili (3 viidet" in run.stdout
    after = load_definitions(tmp_path / "definitions")
    assert annexes(after) == annexes(before)
    assert not (tmp_path / "definitions/klauslid/soovitatud.yaml").exists()
    assert after.posts["juht"].duties[2].params == {"tegevus": "teostamine"}
    assert after.posts["noustaja"].duties[1].results is not None
    assert cli(tmp_path, "klauslid", "soovita").stdout.startswith("Ühiseid klausleid ei soovita")


_CLAUSE_TEXT = {"kirjad": ("Kirjade ja dokumentide kavandite koostamine isikutele, ministeeriumidele, teistele "
                           "ametitele, ettevõtetele ja institutsioonidele.")}
_CLAUSE_RESULT = {"kirjad": "Kavandid on koostatud korrektselt ja tähtaegselt vastavalt kehtestatud nõuetele."}


# --- the core on small projects ---------------------------------------------------------------


def _with_duties(tmp_path: Path, texts: dict[str, list[str]], results: dict[str, list[str]] | None = None):
    data = small_project()
    for pid, own in texts.items():
        data["posts"][pid]["ulesanded"] = [
            {"ulesanne": t, "tulemused": (results or {}).get(pid, ["Tehtud."])} for t in own
        ] + [{"klausel": "uhekordsed"}]
    return load_project(tmp_path, data)


def _only(proposal: Proposal):
    assert len(proposal.suggestions) == 1, [s.text for s in proposal.suggestions]
    return proposal.suggestions[0]


BASE = "Koostöö teiste osakondade, asutuste ja organisatsioonidega oma pädevusvaldkonnas."


def test_identical_duties_become_one_clause_without_parameters(tmp_path):
    s = _only(suggest(_with_duties(tmp_path, {"juht": [BASE], "spets": [BASE]})))
    assert s.text == BASE and not s.defaults and s.posts == ("juht", "spets")
    assert s.results == ("Tehtud.",)


def test_a_different_word_becomes_a_parameter_with_each_posts_value(tmp_path):
    other = BASE.replace("osakondade,", "talituste,")
    s = _only(suggest(_with_duties(tmp_path, {"juht": [BASE], "spets": [BASE], "noustaja": [other]})))
    [name] = s.defaults
    assert s.text == BASE.replace("osakondade,", f"{{{{ {name} }}}}")
    assert s.defaults[name] == "osakondade,"
    values = {u.post_id: u.values[name] for u in s.uses}
    assert values == {"juht": "osakondade,", "spets": "osakondade,", "noustaja": "talituste,"}
    assert {u.post_id: u.params for u in s.uses}["noustaja"] == {name: "talituste,"}


def test_a_missing_word_takes_its_neighbour_so_no_value_is_empty(tmp_path):
    shorter = BASE.replace("teiste ", "")
    s = _only(suggest(_with_duties(tmp_path, {"juht": [BASE], "spets": [shorter]})))
    assert all(v for u in s.uses for v in u.values.values())
    for u in s.uses:
        text = s.text
        for k, v in u.values.items():
            text = text.replace(f"{{{{ {k} }}}}", v)
        assert text == (BASE if u.post_id == "juht" else shorter)


def test_results_that_differ_stay_the_posts_own(tmp_path):
    s = _only(suggest(_with_duties(
        tmp_path, {"juht": [BASE], "spets": [BASE], "noustaja": [BASE]},
        {"juht": ["Tehtud."], "spets": ["Tehtud."], "noustaja": ["Hoopis midagi muud.", "Ja veel."]})))
    own = {u.post_id: u.own_results for u in s.uses}
    assert own == {"juht": None, "spets": None, "noustaja": ("Hoopis midagi muud.", "Ja veel.")}


def test_texts_that_differ_much_or_carry_jinja_are_not_cut(tmp_path):
    jinja = "Koostöö {{ yksus.omastav }} teiste teenistujatega oma pädevusvaldkonnas."
    proposal = suggest(_with_duties(tmp_path, {
        "juht": [BASE, jinja], "spets": ["Eelarve koostamine ja selle täitmise jälgimine osakonnas.",
                                         jinja.replace("teiste", "kõigi")],
    }))
    assert proposal.suggestions == ()


def test_an_existing_clause_id_is_never_taken(tmp_path):
    data = small_project()
    for pid in ("juht", "spets"):
        data["posts"][pid]["ulesanded"] = [{"ulesanne": BASE, "tulemused": ["Tehtud."]}]
    proposed = suggest(load_project(tmp_path / "a", data)).suggestions
    first = proposed[0].clause_id
    with pytest.raises(DefinitionError, match="on juba olemas"):
        clause_file_text(f"{first}:\n  tekst: Midagi.\n", proposed, "definitions/klauslid/soovitatud.yaml")
    data["clauses"][first] = {"tekst": "Midagi."}
    second = suggest(load_project(tmp_path / "b", data)).suggestions[0].clause_id
    assert second != first and second not in data["clauses"]


def test_writing_is_all_files_or_none(tmp_path, monkeypatch):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("vana a\n", encoding="utf-8")
    b.write_text("vana b\n", encoding="utf-8")
    calls = {"n": 0}
    real = os.replace

    def failing(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OutputError, match="ühtegi faili ei muudetud"):
        write_all(tmp_path, {"a.yaml": "uus a\n", "b.yaml": "uus b\n"})
    assert a.read_text(encoding="utf-8") == "vana a\n" and b.read_text(encoding="utf-8") == "vana b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"]


def test_rakenda_on_a_small_project_writes_clause_and_references(tmp_path):
    data = small_project()
    other = BASE.replace("osakondade,", "talituste,")
    data["posts"]["juht"]["ulesanded"].insert(0, {"ulesanne": BASE, "tulemused": ["Tehtud."]})
    data["posts"]["spets"]["ulesanded"].insert(0, {"ulesanne": other, "tulemused": ["Tehtud."]})
    before = load_project(tmp_path, data)
    cli(tmp_path, "klauslid", "soovita", "--rakenda")
    after = load_definitions(tmp_path / "definitions")
    assert annexes(after) == annexes(before)
    assert after.posts["juht"].duties[0].clause_id == after.posts["spets"].duties[0].clause_id
    assert after.posts["spets"].duties[0].params
    assert (tmp_path / "definitions/klauslid/soovitatud.yaml").exists()

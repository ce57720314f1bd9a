"""No silently wrong text: mistakes that would print a plausible but wrong document.

Each is an error (Estonian, file:line of the post or directive, a suggestion where one exists)
or, where it may be intended, a finding. Pure: the definitions are loaded and resolved in this
process, nothing is built.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kaskkiri_builder.checks.run import run_checks
from kaskkiri_builder.errors import KaskkiriError
from kaskkiri_builder.resolve import resolve_directive
from toolkit import line_of, load_project, small_project, write_project


def errors_of(root: Path, project: dict) -> list[str]:
    """Every problem the loading and resolving of directive d1 reports, as "file:line: message"."""
    with pytest.raises(KaskkiriError) as caught:
        resolve_directive(load_project(root, project), "d1")
    return [str(p) for p in caught.value.problems]


def uses(post: dict, clause: str, **params: str) -> None:
    post["ulesanded"].append({"klausel": clause, "parameetrid": params})


# --- clause parameters ----------------------------------------------------------------------


def test_a_misspelt_parameter_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    project = small_project()
    uses(project["posts"]["spets"], "uhekordsed", tegevs="korraldamine")
    problems = errors_of(tmp_path, project)
    post = tmp_path / "definitions/ametikohad/spets.yaml"
    (problem,) = problems
    lines = post.read_text(encoding="utf-8").splitlines()
    line = max(i for i, row in enumerate(lines, start=1) if "klausel: uhekordsed" in row)  # the one with it
    assert problem == (
        f"definitions/ametikohad/spets.yaml:{line}: ametikoht spets annab klauslile "
        '"uhekordsed" parameetri "tegevs", mida klausel ei kasuta. Kas mõtlesid "tegevus"? '
        'Klausel kasutab parameetreid: "tegevus".')


def test_a_missing_parameter_is_reported_once_per_post_at_the_post(tmp_path: Path) -> None:
    project = small_project()
    project["clauses"]["uhekordsed"]["vaikimisi"] = {}  # `tegevus` has no default now
    spets = project["posts"]["spets"]["ulesanded"]
    spets[[d.get("klausel") for d in spets].index("uhekordsed")]["parameetrid"] = {"tegevus": "täitmine"}
    problems = errors_of(tmp_path, project)
    assert len(problems) == 2, problems  # juht and noustaja lack it: once each, at the post
    for post in ("juht", "noustaja"):
        line = line_of(tmp_path / f"definitions/ametikohad/{post}.yaml", "klausel: uhekordsed")
        assert any(p.startswith(f"definitions/ametikohad/{post}.yaml:{line}: ") and
                   f'klausel "uhekordsed" vajab parameetrit "tegevus", aga ametikoht {post} ei anna' in p
                   for p in problems), problems


def test_a_parameter_no_post_gives_is_the_clauses_mistake(tmp_path: Path) -> None:
    project = small_project()
    project["clauses"]["uhekordsed"]["vaikimisi"] = {}
    (problem,) = errors_of(tmp_path, project)
    assert problem.startswith("definitions/klauslid/klauslid.yaml:")
    assert 'klausel "uhekordsed" kasutab parameetrit "tegevus", mida ei anna ükski ametikoht' in problem


# --- units a shared clause names ---------------------------------------------------------------


def _foreign(project: dict, default: str) -> dict:
    """The clause's default names a unit; `spets` moves to another unit and keeps using it."""
    project["clauses"]["koostoo"] = {
        "ulesanne": "Koostöö {{ kellega }} oma pädevusvaldkonnas.",
        "tulemused": ["Toimub infovahetus."],
        "vaikimisi": {"kellega": default},
    }
    for post in ("juht", "spets"):
        uses(project["posts"][post], "koostoo")
    return project


def test_a_clause_naming_another_unit_is_a_finding(tmp_path: Path) -> None:
    project = _foreign(small_project(), "kriisitoe talituse teiste teenistujatega")
    project["posts"]["spets"]["struktuuriyksus"] = "muu"
    project["directives"]["d1"]["struktuuriyksus"] = "muu"
    defs = load_project(tmp_path, project)
    found = [f for f in run_checks(defs, "d1", text_checks=False) if f.kind == "voora_yksus"]
    assert [(f.annex, f.subject) for f in found] == [(2, "koostoo")]  # spets only: juht belongs there
    assert 'nimetab üksust "kriisitoe talitus", kuhu ametikoht spets ei kuulu' in found[0].message
    # the post's own parameter was chosen: not reported
    project["posts"]["spets"]["ulesanded"][-1]["parameetrid"] = {"kellega": "kriisitoe talituse teenistujatega"}
    defs = load_project(tmp_path / "own", project)
    assert not [f for f in run_checks(defs, "d1", text_checks=False) if f.kind == "voora_yksus"]


def test_a_clause_can_name_the_posts_own_units(tmp_path: Path) -> None:
    project = _foreign(small_project(), "{{ yksus.omastav }} ja {{ ulemyksus.omastav }} teenistujatega")
    project["posts"]["spets"]["struktuuriyksus"] = "muu"
    rd = resolve_directive(load_project(tmp_path, project), "d1")
    texts = {a.post.id: a.duties[-1].text for a in rd.annexes}
    assert texts["juht"] == "Koostöö kriisitoe talituse ja ohvriabi osakonna teenistujatega oma pädevusvaldkonnas."
    assert texts["spets"] == "Koostöö personalitalituse ja personalitalituse teenistujatega oma pädevusvaldkonnas."


def test_the_example_clause_names_the_unit_above_the_post() -> None:
    from kaskkiri_builder.definitions import load_definitions
    from toolkit import ROOT

    text = (ROOT / "definitions/klauslid/ulesanded.yaml").read_text(encoding="utf-8")
    assert "{{ ulemyksus.omastav }} teiste teenistujatega" in text
    rd = resolve_directive(load_definitions(ROOT / "definitions"), "2026-02")
    assert any("ohvriabi osakonna teiste teenistujatega" in d.text for a in rd.annexes for d in a.duties)


# --- YAML that folds a list item into the one before -------------------------------------------


def test_a_folded_list_item_is_an_error(tmp_path: Path) -> None:
    defs_dir = write_project(tmp_path, small_project())
    post = defs_dir / "ametikohad/spets.yaml"
    text = post.read_text(encoding="utf-8")
    old = "  - Teenus on korraldatud.\n"
    assert old in text
    # the second item indented two spaces more than the first: YAML reads one item
    post.write_text(text.replace(old, "  - Teenus on korraldatud.\n    - Klient on nõustatud.\n", 1),
                    encoding="utf-8")
    from kaskkiri_builder.definitions import load_definitions

    with pytest.raises(KaskkiriError) as caught:
        resolve_directive(load_definitions(defs_dir), "d1")
    (problem,) = caught.value.problems
    assert problem.file and problem.file.endswith("ametikohad/spets.yaml")
    assert "tekstis on loetelu kriips lause keskel" in problem.message
    assert "korraldatud. - Klient" in problem.message


# --- approving and abolishing -------------------------------------------------------------------


def test_a_post_approved_and_abolished_is_an_error(tmp_path: Path) -> None:
    project = small_project()
    project["directives"]["d1"]["kehtetuks_kaotatud_ametikohad"] = ["noustaja"]
    problems = errors_of(tmp_path, project)
    assert any('ametikoht "noustaja" on käskkirjas nii kinnitatav (lisa 3) kui ka kaotatav' in p
               for p in problems), problems


def test_an_annex_naming_an_abolished_post_is_an_error(tmp_path: Path) -> None:
    project = small_project()
    project["directives"]["d1"]["lisad"] = ["juht", "spets"]
    project["directives"]["d1"]["kehtetuks_kaotatud_ametikohad"] = ["noustaja"]
    problems = errors_of(tmp_path, project)
    line = line_of(tmp_path / "definitions/ametikohad/juht.yaml", "- noustaja")
    assert f"definitions/ametikohad/juht.yaml:{line}: " in "\n".join(problems)
    assert any('"alluvad" nimetab ametikohta "noustaja", mille käskkiri d1 kaotab (lisa 1: juht)' in p
               for p in problems), problems


def test_abolishing_a_post_with_nothing_in_force_is_a_finding(tmp_path: Path) -> None:
    project = small_project()
    project["posts"]["vana"] = {"teenistuskoht": "vanemspetsialist", "struktuuriyksus": "talitus",
                                "ametikoha_grupp": "ametnik"}
    project["directives"]["d1"]["kehtetuks_kaotatud_ametikohad"] = ["vana"]
    defs = load_project(tmp_path, project)
    found = [f for f in run_checks(defs, "d1", text_checks=False) if f.kind == "kaotatav_ametikoht"]
    assert [f.subject for f in found] == ["vana"]
    assert "ametijuhendit ei ole ajaloo järgi kehtivana" in found[0].message


def test_a_unit_is_named_only_as_a_whole_word_in_any_case() -> None:
    from kaskkiri_builder.checks.foreign_units import _named

    @dataclasses.dataclass
    class U:
        name: str
        genitive: str

    units = [U("Kriisitalitus", "kriisitalituse"), U("IT (tugi) talitus", "IT (tugi) talituse"), U("Õppeosakond", "")]
    named = _named("KRIISITALITUSE juhi ülesanded; IT (tugi) talituse abi; õppeosakondadega koostöö", units)  # type: ignore[arg-type]
    assert [u.name for u in named] == ["Kriisitalitus", "IT (tugi) talitus"]
    assert _named("superkriisitalituse töö", units) == []  # type: ignore[arg-type]

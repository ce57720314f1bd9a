"""The head of the agency as a manager: `vahetu_juht: asutuse-juht` names organisatsioon.yaml's `juht`.

The head has no post file: the annex shows its title, the checks demand nothing of it, the org
chart draws it at the top, and no post file may take its id.
"""

from __future__ import annotations

import re

import pytest

from kaskkiri_builder.checks.graph import check_graph
from kaskkiri_builder.errors import DefinitionError
from kaskkiri_builder.resolve import resolve_directive
from kaskkiri_builder.review.orgchart import chart_posts, org_chart_svg
from toolkit import QUALIFIER, load_project, small_project, write_project

HEAD = "asutuse-juht"


def _reporting_to_head() -> dict:
    """The small project with juht reporting to the head instead of a short post."""
    p = small_project()
    p["posts"]["juht"]["vahetu_juht"] = HEAD
    del p["posts"]["osakonna-juhataja"]
    return p


def _general(rd, post_id: str) -> dict[str, str]:
    [annex] = [a for a in rd.annexes if a.post.id == post_id]
    return dict(annex.general)


def _problems(tmp_path, project) -> str:
    with pytest.raises(DefinitionError) as exc:
        load_project(tmp_path, project)
    return str(exc.value)


def test_annex_shows_the_heads_title_as_manager(tmp_path):
    p = _reporting_to_head()
    p["organisation"]["juht"] = {"ametinimetus": "peadirektor", "omastav": "peadirektori"}
    rd = resolve_directive(load_project(tmp_path, p), "d1")
    assert _general(rd, "juht")["Vahetu juht"] == "Peadirektor"  # capitalised like a post's title
    assert _general(rd, "spets")["Vahetu juht"] == "Talituse juhataja"  # the usual, for comparison


def test_the_title_comes_from_organisatsioon_yaml(tmp_path):
    p = _reporting_to_head()
    p["organisation"]["juht"] = {"ametinimetus": "direktor", "omastav": "direktori"}
    assert _general(resolve_directive(load_project(tmp_path, p), "d1"), "juht")["Vahetu juht"] == "Direktor"


def test_a_tootaja_standing_in_for_the_head_gets_the_qualifier(tmp_path):
    """The head holds an ametnik post: a töötaja who stands in for it does so within limits."""
    p = _reporting_to_head()
    p["posts"]["noustaja"]["teenistuja_asendab"] = [HEAD]
    p["posts"]["spets"]["teenistuja_asendab"] = ["juht", HEAD]
    rd = resolve_directive(load_project(tmp_path, p), "d1")
    assert _general(rd, "noustaja")["Teenistuja asendab"] == f"Peadirektor {QUALIFIER}"
    assert _general(rd, "spets")["Teenistuja asendab"] == "Talituse juhataja, peadirektor"


def test_no_graph_finding_about_the_head(tmp_path):
    p = _reporting_to_head()
    p["posts"]["spets"]["teenistuja_asendaja"] = ["juht", HEAD]  # the head has no list to answer in
    assert check_graph(load_project(tmp_path, p), "d1") == []


def test_a_subordinate_reporting_to_the_head_is_named_in_the_finding(tmp_path):
    """spets lists juht among its subordinates, but juht reports to the head: a true finding,
    and its message says who juht's manager is."""
    p = _reporting_to_head()
    p["posts"]["spets"]["alluvad"] = ["juht"]
    messages = [f.message for f in check_graph(load_project(tmp_path, p), "d1")]
    assert any('vahetu juht on "peadirektor"' in m for m in messages), messages


def test_org_chart_draws_the_head_at_the_top(tmp_path):
    defs = load_project(tmp_path, _reporting_to_head())
    directive = defs.directives["d1"]
    svg = org_chart_svg(defs, directive, {})

    def top(post_id: str) -> float:
        m = re.search(rf'data-post="{post_id}"[^>]*transform="translate\([\d.]+,([\d.]+)\)"', svg)
        assert m, f"{post_id} not drawn"
        return float(m.group(1))

    assert ">Peadirektor<" in svg
    assert top(HEAD) < top("juht") < top("spets")
    assert f'data-from="{HEAD}" data-to="juht"' in svg  # the manager edge
    assert HEAD not in chart_posts(defs, directive)  # counted as a post nowhere


def test_org_chart_without_the_head_has_no_head_box(tmp_path):
    defs = load_project(tmp_path, small_project())
    assert HEAD not in org_chart_svg(defs, defs.directives["d1"], {})


def test_a_post_file_may_not_take_the_reserved_id(tmp_path):
    p = small_project()
    p["posts"][HEAD] = {"teenistuskoht": "peadirektor", "struktuuriyksus": "muu", "ametikoha_grupp": "ametnik"}
    message = _problems(tmp_path, p)
    assert f'ametikohad/{HEAD}.yaml' in message
    assert f'faili nimi "{HEAD}.yaml" on reserveeritud' in message
    assert 'nimeta fail ümber' in message


@pytest.mark.parametrize("typo", ["asutuse-jüht", "asutusejuht", "asutuse-juh"])
def test_a_typo_of_the_reserved_id_gets_a_suggestion(tmp_path, typo):
    p = small_project()
    p["posts"]["juht"]["vahetu_juht"] = typo
    message = _problems(tmp_path, p)
    assert f'viide ametikohale "{typo}", mida pole olemas. Kas mõtlesid "{HEAD}"?' in message


def test_the_head_is_no_subordinate(tmp_path):
    p = small_project()
    p["posts"]["juht"]["alluvad"] = ["spets", "noustaja", HEAD]
    message = _problems(tmp_path, p)
    assert "asutuse juht ei saa olla alluv" in message and f'"vahetu_juht: {HEAD}"' in message


def test_the_head_is_no_annex(tmp_path):
    p = small_project()
    p["directives"]["d1"]["lisad"].append(HEAD)
    message = _problems(tmp_path, p)
    assert "seega ei saa seda lisana kinnitada" in message
    assert "Paranda viide või lisa puuduv definitsioon" not in message  # no invitation to add the file


def test_the_head_has_no_plural(tmp_path):
    p = _reporting_to_head()
    p["posts"]["juht"]["vahetu_juht"] = {"ametikoht": HEAD, "mitmuses": True}
    assert 'Kustuta "mitmuses"' in _problems(tmp_path, p)


def test_a_name_given_to_the_head_is_shown(tmp_path):
    p = _reporting_to_head()
    p["posts"]["juht"]["vahetu_juht"] = {"ametikoht": HEAD, "nimetus": "peadirektor (asutuse juht)"}
    rd = resolve_directive(load_project(tmp_path, p), "d1")
    assert _general(rd, "juht")["Vahetu juht"] == "Peadirektor (asutuse juht)"


def test_new_post_ids_may_not_take_the_reserved_id():
    from kaskkiri_builder.ids import check_post_id

    with pytest.raises(DefinitionError, match="on reserveeritud"):
        check_post_id(HEAD)
    assert check_post_id("asedirektor") == "asedirektor"


def test_a_new_post_may_report_to_the_head(tmp_path):
    """`kaskkiri uus ametikoht X --juht asutuse-juht`: the reserved id is a known manager."""
    from kaskkiri_builder.scaffold import pick_post, post_text, read_known

    known = read_known(write_project(tmp_path, small_project()))
    assert pick_post(known, HEAD) == HEAD
    assert f"vahetu_juht: {HEAD}" in post_text(known, "asedirektor", "muu", HEAD)
    assert f"kirjuta {HEAD}" in post_text(known, "asedirektor", "muu")  # the manager note says how

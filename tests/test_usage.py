"""Clause impact: where a shared clause is used (`klauslid kasutus`) and which job descriptions in
force today's definitions would word otherwise (`ulevaade`).

Expected posts are read from the YAML files here, with a plain YAML reader, never from the code
under test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from kaskkiri_builder import build
from kaskkiri_builder.drift import OWN_TEXT, REMOVED, overview
from kaskkiri_builder.errors import DefinitionError
from kaskkiri_builder.recorded import ARCHIVE, current_and_signed
from kaskkiri_builder.usage import clause_of, clause_usage
from toolkit import cli, copy_example, line_of

CLAUSE = "ulesanne-kriisid"
OLD_WORDS = "Kriiside ja kriisiõppuste ning"
NEW_WORDS = "Kriiside ja kriisiharjutuste ning"
RECORDED = "2026-01"


# --- the YAML, read independently ---------------------------------------------------------------


def read(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def clause_refs(post: dict[str, Any]) -> set[str]:
    """The clauses a post's YAML names: duties, rights, closing line (default for a full post)."""
    refs = {d["klausel"] for d in post.get("ulesanded") or [] if "klausel" in d}
    for key in ("oigused_ja_vastutus", "lopurida"):
        value = post.get(key)
        if value is not None:
            refs.add(value if isinstance(value, str) else value["klausel"])
    if post.get("ulesanded") and post.get("lopurida") is None:
        refs.add("lopurida")
    return refs


def posts_using(definitions: Path, clause: str) -> set[str]:
    return {p.stem for p in (definitions / "ametikohad").glob("*.yaml") if clause in clause_refs(read(p))}


def ledger_entry(project: Path, directive_id: str) -> dict[str, Any]:
    return next(e for e in read(project / "definitions/ajalugu.yaml")["kaskkirjad"] if e.get("id") == directive_id)


def recorded_annexes(project: Path) -> list[str]:
    return list(ledger_entry(project, RECORDED)["lisad"])


def drafts(project: Path) -> dict[str, dict[str, Any]]:
    folder = project / "definitions/kaskkirjad"
    return {p.stem: d for p in sorted(folder.glob("*.yaml")) if "number" not in (d := read(p))}


def load(project: Path):
    return current_and_signed(project)


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> Path:
    """The example with one shared clause's words changed (the recorded 2026-01 used it)."""
    project = copy_example(tmp_path_factory.mktemp("muudetud"))
    path = project / "definitions/klauslid/ulesanded.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(OLD_WORDS) == 1
    path.write_text(text.replace(OLD_WORDS, NEW_WORDS), encoding="utf-8")
    return project


# --- ulevaade ------------------------------------------------------------------------------------


def test_a_changed_clause_lists_exactly_the_posts_in_force_that_use_it(edited: Path) -> None:
    annexes = recorded_annexes(edited)
    expected = {p for p in annexes if CLAUSE in clause_refs(read(edited / f"definitions/ametikohad/{p}.yaml"))}
    assert expected and expected < set(annexes)  # the test tells users from non-users
    groups = dict(overview(*load(edited)).groups())
    assert {i.post_id for i in groups[CLAUSE]} == expected
    for item in groups[CLAUSE]:
        assert item.directive_id == RECORDED
        assert item.places(CLAUSE) and all(p.startswith("2.") for p in item.places(CLAUSE))


def test_the_example_lists_the_posts_whose_own_definition_changed(example: Path) -> None:
    annexes = recorded_annexes(example)
    expected = {p for p in annexes
                if read(example / f"definitions/ametikohad/{p}.yaml")
                != read(example / f"{ARCHIVE}/{RECORDED}/definitions/ametikohad/{p}.yaml")}
    assert expected, "the example's draft changes posts of 2026-01"
    view = overview(*load(example))
    assert [cause for cause, _ in view.groups()] == [OWN_TEXT]
    assert {i.post_id for i in view.items} == expected
    taken_up = {p: tuple(sorted(d for d, data in drafts(example).items() if p in data["lisad"])) for p in expected}
    assert {i.post_id: i.drafts for i in view.items} == taken_up


def test_job_descriptions_without_an_archive_are_named_not_compared(example: Path) -> None:
    entries = read(example / "definitions/ajalugu.yaml")["kaskkirjad"]

    def posts(e: dict[str, Any]) -> set[str]:
        return set(e["lisad"].values() if isinstance(e["lisad"], dict) else e["lisad"])

    archived = [e for e in entries if (example / ARCHIVE / str(e.get("id")) / "definitions").is_dir()]
    abolished = {p for e in archived
                 for p in read(example / f"definitions/kaskkirjad/{e['id']}.yaml").get("kehtetuks_kaotatud_ametikohad", [])}
    still = set().union(*(posts(e) for e in entries if e not in archived)) - set().union(*map(posts, archived)) - abolished
    assert still
    view = overview(*load(example))
    assert {jd.post for jd in view.unarchived} == still
    assert not still & {i.post_id for i in view.items}


def test_a_post_a_draft_abolishes_is_in_the_removed_group(example: Path) -> None:
    post = next(p for p in recorded_annexes(example) if p not in drafts(example)["2026-02"]["lisad"])
    path = example / "definitions/kaskkirjad/2026-02.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"kehtetuks_kaotatud_ametikohad:\n  - {post}\n",
                    encoding="utf-8")
    groups = dict(overview(*load(example)).groups())
    [item] = groups[REMOVED]
    assert (item.post_id, item.drafts, item.causes) == (post, ("2026-02",), (REMOVED,))


# --- klauslid kasutus ----------------------------------------------------------------------------


def test_clause_usage_names_each_post_with_its_line_and_parameters(example: Path) -> None:
    defs_dir = example / "definitions"
    defs, archives = load(example)
    usage = clause_usage(defs, CLAUSE, archives)
    users = posts_using(defs_dir, CLAUSE)
    assert {u.post_id for u in usage.posts} == users and len(usage.posts) == len(users)
    for use in usage.posts:
        path = defs_dir / f"ametikohad/{use.post_id}.yaml"
        [duty] = [d for d in read(path)["ulesanded"] if d.get("klausel") == CLAUSE]
        assert dict(use.params) == (duty.get("parameetrid") or {})
        assert use.own_results == ("tulemused" in duty)
        assert use.source.line == line_of(path, rf"klausel: {CLAUSE}\b")
    expected_drafts = {d: [(n, p) for n, p in enumerate(data["lisad"], start=1) if p in users]
                       for d, data in drafts(example).items()}
    assert {d.directive_id: list(d.annexes) for d in usage.drafts} == {d: a for d, a in expected_drafts.items() if a}
    archived = example / ARCHIVE / RECORDED / "definitions"
    signed_users = posts_using(archived, CLAUSE)
    [recorded] = usage.recorded
    assert recorded.directive_id == RECORDED
    assert list(recorded.annexes) == [(n, p) for n, p in enumerate(recorded_annexes(example), start=1)
                                      if p in signed_users]


def test_the_default_closing_line_counts_as_a_use(example: Path) -> None:
    defs, archives = load(example)
    usage = clause_usage(defs, "lopurida", archives)
    assert {u.post_id for u in usage.posts} == posts_using(example / "definitions", "lopurida")
    assert {u.place for u in usage.posts} == {"lõpurida"}


def test_an_unknown_clause_suggests_the_close_ids(example: Path) -> None:
    defs, _ = load(example)
    with pytest.raises(DefinitionError) as err:
        clause_of(defs, "ulesanne-kriis")
    assert err.value.exit_code == 2
    assert "Kas mõtlesid: ulesanne-kriisid" in str(err.value)
    with pytest.raises(DefinitionError) as err:
        clause_of(defs, "zzz")
    assert "Olemasolevad klauslid: " in str(err.value) and "ulesanne-kriisid" in str(err.value)


def test_the_archive_folder_is_the_builds(example: Path) -> None:
    assert ARCHIVE == build.ARCHIVE


# --- the command line (three runs) ---------------------------------------------------------------


def test_the_commands(edited: Path) -> None:
    users = posts_using(edited / "definitions", CLAUSE)
    data = json.loads(cli(edited, "klauslid", "kasutus", CLAUSE, "--json").stdout)
    assert {u["ametikoht"] for u in data["ametikohad"]} == users

    wrong = cli(edited, "klauslid", "kasutus", "ulesanne-kriis", code=2)
    assert "Kas mõtlesid: ulesanne-kriisid" in wrong.stderr and wrong.stdout == ""

    out = cli(edited, "ulevaade").stdout
    in_force = {p for p in recorded_annexes(edited) if p in users}
    block = out.split(f"klausel {CLAUSE} ({len(in_force)}):\n", 1)[1].split("\n\n", 1)[0]
    assert {line.split()[0] for line in block.splitlines()} == in_force

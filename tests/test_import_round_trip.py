"""Issue 12's round trip, through the CLI as an agency's first day goes: the published register
text of 07.01.2026 nr 1 is imported into a project that holds only organisatsioon.yaml and the
templates, `kaskkiri klauslid soovita --rakenda` turns the repeated duties into shared clauses,
and `kaskkiri build 2026-01 --ainult-word` gives back the directive and all 11 annexes as
test_fidelity.py reads the example's build (the reference, whitespace folded).

The proposed clause library is compared with the example's hand-made one (printed with `-s`).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from typing import Any

import pytest

from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.definitions.model import Definitions, DutyClause
from kaskkiri_builder.suggest import coverage
from toolkit import REFERENCE, ROOT, built_texts, cli, empty_project, reference_annex, reference_parts, text_diff

DIRECTIVE = "2026-01"


@pytest.fixture(scope="module")
def first_day(tmp_path_factory) -> dict[str, Any]:
    project = empty_project(tmp_path_factory.mktemp("esimene-paev") / "asutus")
    imported = cli(project, "import", "kaskkiri", str(REFERENCE))
    before = load_definitions(project / "definitions", project)
    proposed = cli(project, "klauslid", "soovita", "--rakenda")
    after = load_definitions(project / "definitions", project)
    cli(project, "build", DIRECTIVE, "--ainult-word")
    directive, annexes = built_texts(project, DIRECTIVE)
    return {"project": project, "imported": imported, "proposed": proposed, "before": before,
            "after": after, "directive": directive, "annexes": annexes}


def test_the_directive_equals_the_reference(first_day):
    expected, _ = reference_parts()
    assert first_day["directive"] == expected, text_diff(expected, first_day["directive"])


@pytest.mark.parametrize("annex", range(1, 12))
def test_each_annex_equals_the_reference(first_day, annex):
    expected = reference_annex(annex)
    actual = first_day["annexes"][annex]
    assert actual == expected, text_diff(expected, actual)


def test_all_eleven_annexes_are_built(first_day):
    _, reference = reference_parts()
    assert sorted(first_day["annexes"]) == sorted(reference) == list(range(1, 12))


def _used(defs: Definitions) -> set[str]:
    """The clauses the posts refer to (duties, rights, closing line)."""
    out: set[str] = set()
    for post in defs.posts.values():
        out |= {d.clause_id for d in post.duties if d.clause_id is not None}
        out |= {r.clause_id for r in (post.rights, post.closing) if r is not None}
    return out


def _share(defs: Definitions) -> float:
    covered, total = coverage(defs)
    return covered / total if total else 0.0


def test_the_build_went_through_shared_clauses_and_compares_with_the_hand_made_library(first_day):
    """The annexes above were built from references, not from the imported plain text: the
    proposal wrote clauses that two or more posts use, and they cover duty text. The figures
    set beside the example's hand-made library (the same 11 posts) are printed."""
    before, after = first_day["before"], first_day["after"]
    assert _share(before) == 0  # the register text matched no library: there was none
    proposed = [cid for cid in after.clauses if cid not in before.clauses]
    assert proposed and all(isinstance(after.clauses[c], DutyClause) for c in proposed)
    for cid in proposed:
        users = {p.id for p in after.posts.values() for d in p.duties if d.clause_id == cid}
        assert len(users) >= 2, cid
    assert _share(after) > _share(before)
    assert "Kirjutatud: definitions/klauslid/soovitatud.yaml" in first_day["proposed"].stdout

    example = load_definitions(ROOT / "definitions", ROOT)
    ids = [ref.post_id for ref in example.directives[DIRECTIVE].annexes]
    own = dataclasses.replace(example, posts={pid: example.posts[pid] for pid in ids})
    hand = _used(own)
    hand_duty = {c for c in hand if isinstance(example.clauses[c], DutyClause)}
    duty_after = [c for c in after.clauses if isinstance(after.clauses[c], DutyClause)]
    print(f"\nclause library for the 11 posts of {DIRECTIVE}: "
          f"hand-made {len(hand)} clauses used ({len(hand_duty)} duty clauses; "
          f"{len(example.clauses)} in the example's library), duty text covered {_share(own):.1%}; "
          f"import + soovita --rakenda {len(after.clauses)} clauses ({len(duty_after)} duty clauses, "
          f"{len(after.clauses) - len(duty_after)} rights/closing from the import), "
          f"duty text covered {_share(after):.1%}")



def test_the_next_draft_revokes_the_imported_directives_annexes(first_day, tmp_path):
    """Issue 12: "Import the latest directive of a unit and the next draft's point 2 is right".
    A new draft for two posts of the unit revokes exactly their annexes of the imported
    directive (Lisa 1 and Lisa 10 of 07.01.2026 nr 1), computed from the ledger the import wrote;
    the imported directive's own published point 2 raises no warning (the ledger cannot check
    it: it does not hold the directives it cites)."""
    project = tmp_path / "asutus"
    shutil.copytree(first_day["project"], project, ignore=shutil.ignore_patterns("output"))
    cli(project, "uus", "kaskkiri", "2026-02", "--yksus", "kriisitoe-talitus",
        "--lisad", "talituse-juhataja,noustaja-10")
    cli(project, "build", "2026-02", "--ainult-word")
    directive, annexes = built_texts(project, "2026-02")
    assert "Tunnistan kehtetuks peadirektori 07.01.2026 käskkirja nr 1 lisad 1 ja 10." in directive, directive
    assert sorted(annexes) == [1, 2]
    check = json.loads(cli(project, "check", "2026-01", "--json", code=None).stdout)
    assert check["findings"] and not [f for f in check["findings"] if f["kind"] == "kehtetuks_tekst"]

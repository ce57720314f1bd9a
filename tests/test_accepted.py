"""Accepted findings: a reviewer accepts a finding, with a reason, where it stands.

Accepted findings are listed as accepted in `check` and on the review page, do not count for
`--strict` or for the final build, and the summary lines count them apart.
"""

from __future__ import annotations

from pathlib import Path

from kaskkiri_builder.checks.accepted import counted
from kaskkiri_builder.checks.run import run_checks
from toolkit import DRAFT, cli, load_project, small_project


def substitution_finding(project: dict) -> dict:
    """spets no longer names juht among those it substitutes for: one "asendamine" warning."""
    project["posts"]["spets"]["teenistuja_asendab"] = []
    return project


def test_a_post_accepts_its_own_finding(tmp_path: Path) -> None:
    defs = load_project(tmp_path / "enne", substitution_finding(small_project()))
    before = [f for f in run_checks(defs, "d1") if f.kind == "asendamine"]
    assert before and all(f.accepted is None for f in before)
    project = substitution_finding(small_project())
    owner = next(f for f in before).file.rsplit("/", 1)[-1].removesuffix(".yaml")
    project["posts"][owner]["aktsepteeritud_leiud"] = [
        {"liik": "asendamine", "pohjus": "asendamine on ühepoolne, kokku lepitud personaliosakonnaga"}]
    after = run_checks(load_project(tmp_path / "parast", project), "d1")
    accepted = [f for f in after if f.kind == "asendamine"]
    assert accepted and all(f.accepted == "asendamine on ühepoolne, kokku lepitud personaliosakonnaga"
                            for f in accepted if f.file and f.file.endswith(f"{owner}.yaml"))
    assert len(counted(after)) == len(counted(run_checks(defs, "d1"))) - len(
        [f for f in before if f.file and f.file.endswith(f"{owner}.yaml")])


def test_the_directive_accepts_by_file_and_line_and_a_stale_acceptance_is_reported(tmp_path: Path) -> None:
    project = substitution_finding(small_project())
    defs = load_project(tmp_path / "enne", project)
    target = next(f for f in run_checks(defs, "d1") if f.kind == "asendamine")
    rel = target.file.split("definitions/", 1)[-1]
    project["directives"]["d1"]["aktsepteeritud_leiud"] = [
        {"liik": "asendamine", "fail": rel, "rida": target.line, "pohjus": "meelega"},
        {"liik": "oigekiri", "fail": "ametikohad/juht.yaml", "rida": 3, "pohjus": "vana"},
    ]
    after = run_checks(load_project(tmp_path / "parast", project), "d1")
    hit = [f for f in after if f.kind == "asendamine" and f.file == target.file and f.line == target.line]
    assert [f.accepted for f in hit] == ["meelega"]
    stale = [f for f in after if f.kind == "aktsepteerimine"]
    assert len(stale) == 1 and 'Aktsepteeritud leidu "oigekiri" (ametikohad/juht.yaml:3) enam ei ole' in stale[0].message


def test_check_strict_passes_once_the_warnings_are_accepted(example: Path) -> None:
    """The example's draft, every open finding accepted in its definition: check --strict
    passes, lists them as accepted, and the build's summary counts the same way."""
    import json

    report = json.loads(cli(example, "check", DRAFT, "--json", code=None).stdout)["findings"]
    assert report, "the draft has findings to accept"
    d_file = example / f"definitions/kaskkirjad/{DRAFT}.yaml"
    rules = "".join(
        f"  - {{liik: {f['kind']}, fail: {f['file'].split('definitions/', 1)[-1]}, rida: {f['line']}, "
        f"pohjus: ülevaatuse otsus}}\n" for f in report)
    d_file.write_text(d_file.read_text(encoding="utf-8") + "aktsepteeritud_leiud:\n" + rules, encoding="utf-8")
    strict = cli(example, "check", DRAFT, "--strict")
    assert strict.stdout.count("(aktsepteeritud: ülevaatuse otsus)") == len(report)
    assert f"Leide {len(report)}: vigu 0, hoiatusi 0, teateid 0, aktsepteeritud {len(report)}." in strict.stdout
    build = cli(example, "build", DRAFT, "--ainult-word")  # no spelling: it says so, and accepts alike
    assert "Kontroll: vigu 0, hoiatusi 0, teateid 0, aktsepteeritud" in build.stdout

"""`kaskkiri build --koik`: every unrecorded directive (the drafts), each all or nothing."""

from __future__ import annotations

from pathlib import Path

from toolkit import cli, tree


def test_build_all_drafts_and_report_the_one_that_fails(example: Path) -> None:
    drafts = example / "definitions/kaskkirjad"
    (drafts / "2026-03.yaml").write_text((drafts / "2026-02.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    r = cli(example, "build", "--koik", "--ainult-word")
    assert r.stdout.count("Valmis: ") == 2
    assert sorted(p.name for p in (example / "output").iterdir()) == ["2026-02", "2026-03"]  # not 2026-01
    # a mistake in one draft's own text: the other is still built, the failing one keeps its output
    before = tree(example / "output/2026-03")
    text = (drafts / "2026-03.yaml").read_text(encoding="utf-8")
    (drafts / "2026-03.yaml").write_text('pealkiri: "{{ olematu }}"\n' + text, encoding="utf-8")
    r = cli(example, "build", "--koik", "--ainult-word", code=2)
    assert r.stdout.count("Valmis: ") == 1 and "Käskkiri 2026-03:" in r.stderr
    assert "Koostamata jäi 1 käskkirja 2-st" in r.stderr
    assert tree(example / "output/2026-03") == before
    # --koik with an id is a mistake of the command line
    assert "--koik koostab kõik eelnõud" in cli(example, "build", "2026-02", "--koik", code=2).stderr

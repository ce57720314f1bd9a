"""YAML syntax errors explained in Estonian, at the line of the mistake: the common cases an HR
specialist makes (a tab, a colon in text, a quote or bracket left open, an indentation that does
not line up). The parser's own English never reaches the user."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaskkiri_builder.definitions.load import read_yaml

ENGLISH = ("expected", "found", "mapping values", "while scanning", "while parsing", "token")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("teenistuskoht: nõustaja\nalluvad:\n\t- x\n", 3, "real on tabulaator (Tab). YAML-is taandatakse ainult tühikutega"),
        ("eesmark: Teenuse eesmärk: kvaliteet\n", 1, 'tekstis on koolon ja tühik (": "), mida YAML loeb uue võtme algusena'),
        ('eesmark: "Teenuse kvaliteet\nalluvad: []\n', 1, "real 1 algav jutumärk jäi sulgemata"),
        ("eesmark: 'Teenuse kvaliteet\nalluvad: []\n", 1, "real 1 algav jutumärk jäi sulgemata"),
        ("alluvad: [juht, spets\neesmark: x\n", 1, "real 1 avatud nurksulg [ jäi sulgemata"),
        ("parameetrid: {kellega: x\neesmark: x\n", 1, "real 1 avatud looksulg { jäi sulgemata"),
        ("teenistuskoht: x\nalluvad: [\n", 3, "fail lõppes poolelioleva väärtusega: ilmselt jäi avatud nurksulg"),
        ("nouded:\n  haridus: x\n keeleoskus: y\n", 3, "taane ei klapi: see rida on teistsuguse taandega"),
        ("ulesanded:\n  - ulesanne: x\n    tulemused:\n      - a\n     - b\n", 5, "taane ei klapi"),
    ],
)
def test_a_syntax_error_is_explained(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    doc, problems = read_yaml(path, "definitions/ametikohad/x.yaml")
    assert doc is None and len(problems) == 1
    problem = problems[0]
    assert (problem.file, problem.line) == ("definitions/ametikohad/x.yaml", line)
    assert message in problem.message
    assert not any(word in problem.message for word in ENGLISH), problem.message


@pytest.mark.parametrize("slip", [AssertionError, NotImplementedError])
def test_a_slip_of_ruamel_itself_is_a_message_not_a_traceback(tmp_path, monkeypatch, slip):
    from kaskkiri_builder.definitions import load

    class Slipping:
        def load(self, text):
            raise slip("overlap in comment")

    monkeypatch.setattr(load, "strict_yaml", lambda: Slipping())
    path = tmp_path / "x.yaml"
    path.write_text("a: &ankur 1\nb: *ankur\n", encoding="utf-8")  # anchors: read by ruamel
    doc, problems = load.read_yaml(path, "definitions/x.yaml")
    assert doc is None and [p.file for p in problems] == ["definitions/x.yaml"]
    assert "Tõsta kommentaarid eraldi ridadele" in problems[0].message

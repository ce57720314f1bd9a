"""The bundled example reproduces the published directive 07.01.2026 nr 1, word for word.

The Word files of a real build are read back (directive and every annex, heading included) and
compared with the reference text, whitespace folded. The only exceptions are the spots where
the register's text extraction interleaved the two table columns: there the reference is put
back into column order before comparing (each spot is listed below with what it fixes).
"""

from __future__ import annotations

import difflib

import pytest

from conftest import fold, reference_parts
from kaskkiri_builder.build import Project, build
from kaskkiri_builder.docx_text import docx_text

# (annex, text as the register extracted it, the same text in column order). Each one is a
# place where a duty's text continues after the first line of its results in the extraction.
INTERLEAVED: list[tuple[int, str, str]] = [
    # Lisa 1, duty 2.10: the first result line sits inside the duty's text.
    (
        1,
        'oskuste ja pädevuste Kriiside korral on talituse töö korraldatud. piires vastavalt osakonna juhataja antud korraldustele ja oma talituse töö korraldamine kriisis.',
        'oskuste ja pädevuste piires vastavalt osakonna juhataja antud korraldustele ja oma talituse töö korraldamine kriisis. Kriiside korral on talituse töö korraldatud.',
    ),
    # Lisa 5, duty 2.3: the duty's last words follow its first two results.
    (
        5,
        'et tagada koolituste kvaliteet Koolitajad saavad vajalikku metoodilist ja praktilist tuge, et läbi viia kvaliteetseid psühholoogilise esmaabi koolitusi. Osalejate praktilised oskused ja teadmised psühholoogilise esmaabi pakkumisel on paranenud. ja sihtrühmade vajadustele vastav tulemus.',
        'et tagada koolituste kvaliteet ja sihtrühmade vajadustele vastav tulemus. Koolitajad saavad vajalikku metoodilist ja praktilist tuge, et läbi viia kvaliteetseid psühholoogilise esmaabi koolitusi. Osalejate praktilised oskused ja teadmised psühholoogilise esmaabi pakkumisel on paranenud.',
    ),
    # Lisa 6, duty 2.6: the duty's last words follow its results.
    (
        6,
        'psühholoogilise kriisivalmiduse Avalikkuse ja partnerite teadlikkust on tõstetud psühholoogilise esmaabi olulisusest. Koolituste kajastamiseks on sisend antud. Koolituste teavitustegevused ellu viidud. tõstmiseks teavitus- ja ennetustegevuste korraldamine.',
        'psühholoogilise kriisivalmiduse tõstmiseks teavitus- ja ennetustegevuste korraldamine. Avalikkuse ja partnerite teadlikkust on tõstetud psühholoogilise esmaabi olulisusest. Koolituste kajastamiseks on sisend antud. Koolituste teavitustegevused ellu viidud.',
    ),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import copy_example

    root = copy_example(tmp_path_factory.mktemp("fidelity"))
    return build(Project(root), "2026-01", word_only=True)


def _column_order(annex: int, text: str) -> str:
    for n, extracted, ordered in INTERLEAVED:
        if n == annex:
            assert fold(extracted) in text, f"exception for Lisa {annex} no longer applies"
            text = text.replace(fold(extracted), fold(ordered))
    return text


def _diff(expected: str, actual: str) -> str:
    e, a = expected.split(" "), actual.split(" ")
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, e, a, autojunk=False).get_opcodes():
        if tag != "equal":
            ctx = " ".join(e[max(0, i1 - 6) : i1])
            out.append(f"…{ctx} [reference: {' '.join(e[i1:i2])!r} | built: {' '.join(a[j1:j2])!r}]")
    return "\n".join(out[:10])


def test_directive_matches_reference(built):
    expected, _ = reference_parts()
    actual = fold(docx_text(built.folder / "kaskkiri.docx"))
    assert actual == expected, _diff(expected, actual)


@pytest.mark.parametrize("annex", range(1, 12))
def test_annex_matches_reference(built, annex):
    _, annexes = reference_parts()
    expected = _column_order(annex, annexes[annex])
    entry = next(f for f in built.manifest["files"] if f.get("annex") == annex and f["role"] == "annex")
    actual = fold(docx_text(built.folder / entry["path"]))
    assert actual == expected, _diff(expected, actual)


def test_every_annex_of_the_reference_is_built(built):
    _, annexes = reference_parts()
    built_annexes = sorted(f["annex"] for f in built.manifest["files"] if f["role"] == "annex")
    assert built_annexes == sorted(annexes) == list(range(1, 12))

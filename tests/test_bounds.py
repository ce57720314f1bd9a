"""Nothing unbounded: a clause text or a template cannot hang a build or exhaust its memory.

Each case was found by the reliability test (66 s and 14 GB, 4.1 GB for a 2 MB zip bomb, a
template linked to /dev/zero ...). Each is now a message naming the file, and a non-zero exit.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from kaskkiri_builder import sandbox
from kaskkiri_builder.clause_text import TextRenderer
from kaskkiri_builder.definitions.load import Source
from kaskkiri_builder.definitions.model import Text
from toolkit import DRAFT, cli, line_of, tree

CLAUSES = "definitions/klauslid/ulesanded.yaml"
COOPERATION = "Koostöö {{ kellega }} oma pädevusvaldkonnas."


def render(source: str, **params: object) -> tuple[str, list[str]]:
    r = TextRenderer()
    out = r.render(Text(source, Source("definitions/klauslid/x.yaml", 7)), dict(params), "klausel x")
    return out, [f"{p.file}:{p.line}: {p.message}" for p in r.problems]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ 'x' * 10**9 }}", "teksti või loetelu kordamine 1000000000 korda on liiga suur"),
        ("{{ [1] * 10**9 }}", "teksti või loetelu kordamine 1000000000 korda on liiga suur"),
        ("{{ 9**99999999 }}", "astendamine 9 ** 99999999 on liiga suur"),
        ("{{ 10**12 * 10**12 * 10**12 }}", "korrutis on liiga suur"),
        ("{{ '%0999999999d' % 1 }}", "vormingu laius on liiga suur"),
        ("{{ '{:>1000000000}'.format(1) }}", "vormingu laius on liiga suur"),
        ("{{ '{:>{w}}'.format(1, w=10**9) }}", "arv 1000000000 on funktsiooni või filtri argumendiks"),
        ("{{ 'x'|center(1000000000) }}", "arv 1000000000 on funktsiooni või filtri argumendiks"),
        ("{{ 'ab'.ljust(10**9) }}", "arv 1000000000 on funktsiooni või filtri argumendiks"),
        ("{% for i in range(99999) %}{{ 'x' * 99999 }}{% endfor %}", "kirjutaks üle 2 000 000 märgi"),
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "makro kutsub ennast liiga sügavalt"),
    ],
)
def test_a_huge_value_is_refused_before_it_is_made(source: str, expected: str) -> None:
    out, problems = render(source)
    assert len(problems) == 1, problems
    assert problems[0].startswith("definitions/klauslid/x.yaml:7: Jinja piirang (klausel x): ")
    assert expected in problems[0]
    assert out == source  # the raw text stands in; the build stops on the problem


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    ],
)
def test_a_text_that_runs_too_long_is_stopped(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.3)
    _out, problems = render(source)
    assert len(problems) == 1 and "töötab kauem kui 0.3 sekundit" in problems[0]


@pytest.mark.parametrize("name", ["lipsum", "namespace", "cycler", "joiner"])
def test_helpers_that_make_text_or_state_are_gone(name: str) -> None:
    _out, problems = render(f"{{{{ {name}() }}}}")
    assert len(problems) == 1 and f"'{name}' is undefined" in problems[0]


def test_ordinary_expressions_still_work() -> None:
    out, problems = render(
        "{{ 2**10 }} {{ 'ab' * 3 }} {{ '%5d' % 3 }} {{ '{} ja {}'.format(a, 'b') }} "
        "{% for i in range(3) %}{{ i }}{% endfor %} {{ a|upper|center(7) }}",
        a="õ",
    )
    assert problems == []
    assert out == "1024 ababab     3 õ ja b 012    Õ   "


def test_a_bounded_clause_fails_the_build_with_its_file_and_line(built_example: Path) -> None:
    clauses = built_example / CLAUSES
    text = clauses.read_text(encoding="utf-8")
    assert COOPERATION in text
    clauses.write_text(text.replace(COOPERATION, "Koostöö {{ kellega * 10**9 }}."), encoding="utf-8")
    line = line_of(clauses, r"Koostöö \{\{ kellega")
    before = tree(built_example / "output")
    r = cli(built_example, "build", DRAFT, "--ainult-word", code=None)
    assert r.code == 2 and "Traceback" not in r.stderr
    assert f"{CLAUSES}:{line}: Jinja piirang (klausel ulesanne-koostoo): teksti või loetelu kordamine" in r.stderr
    assert tree(built_example / "output") == before


# -- templates --------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def _break_template(project: Path, how: str) -> None:
    template = project / "templates/ametijuhend.docx"
    good = template.read_bytes()
    template.unlink()
    if how == "kaust":
        template.mkdir()
    elif how == "seade":
        template.symlink_to("/dev/zero")
    elif how == "tühi":
        template.write_bytes(b"")
    elif how == "poolik":
        template.write_bytes(good[: len(good) // 2])
    elif how == "pomm":
        template.write_bytes(_zip({"word/document.xml": b"\0" * (40 * 1024 * 1024)}))
    elif how == "tsükkel":
        src = zipfile.ZipFile(io.BytesIO(good))
        entries = {n: src.read(n) for n in src.namelist()}
        loop = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
        entries["word/document.xml"] = entries["word/document.xml"].replace(
            b"{{", loop.encode() + b"{{", 1)
        template.write_bytes(_zip(entries))


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("kaust", "Wordi mall ei ole tavaline fail"),
        ("seade", "Wordi mall ei ole tavaline fail"),
        ("tühi", "Wordi mall ei ole .docx-fail"),
        ("poolik", "Wordi mall ei ole .docx-fail"),
        ("pomm", "Wordi mall pakib lahti liiga suureks"),
    ],
)
def test_a_broken_template_is_a_message(built_example: Path, how: str, expected: str) -> None:
    _break_template(built_example, how)
    before = tree(built_example / "output")
    r = cli(built_example, "build", DRAFT, "--ainult-word", code=None)
    assert r.code == 2, r.stderr
    assert "Traceback" not in r.stderr and "Sisemine viga" not in r.stderr
    assert f"templates/ametijuhend.docx: {expected}" in r.stderr
    assert tree(built_example / "output") == before


def test_a_template_that_runs_too_long_is_stopped(built_example: Path) -> None:
    _break_template(built_example, "tsükkel")
    before = tree(built_example / "output")
    r = cli(built_example, "build", DRAFT, "--ainult-word", code=None)  # stopped after MAX_SECONDS
    assert r.code == 2 and "Traceback" not in r.stderr
    assert "templates/ametijuhend.docx: Wordi malli piirang: tekst või mall töötab kauem kui" in r.stderr
    assert tree(built_example / "output") == before

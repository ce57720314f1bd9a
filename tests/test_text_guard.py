"""No document is silently cut short or changed: every text that reaches a document is checked
after rendering, and every built Word file must read back the resolved text before packaging.

The reliability finding this answers: a lone surrogate in a clause parameter made `build` exit 0
while the annex stopped mid-sentence, and the container held the short PDF.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kaskkiri_builder.characters import first_unsafe, is_unsafe
from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.docx_text import docx_text
from kaskkiri_builder.errors import RenderError, TemplateError
from kaskkiri_builder.render import render_annex
from kaskkiri_builder.resolve import resolve_directive
from kaskkiri_builder.text_guard import (
    annex_texts,
    check_resolved,
    readback_problem,
    verify_readback,
)
from toolkit import DRAFT, ROOT, cli, line_of, tree

POST = "definitions/ametikohad/peaspetsialist-kriisitugi.yaml"  # Lisa 1 of the draft
PARAMS_LINE = "parameetrid: {valdkond: Vastutusvaldkonda, tahtaeg: õigeaegselt}"


# -- the character rule (pure) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "char",
    ["\ud800", "\udfff", "\x00", "\x07", "\x0b", "\x0c", "\r", "\x1b", "\x7f", "\x85",
     "\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u061c", "\u2028", "\u2029",
     "\ufffe", "\uffff", "\ufdd0", "\U0001fffe"],
)
def test_unsafe_characters_are_found_where_they_stand(char: str) -> None:
    text = f"pädevuse{char} piires"
    bad = first_unsafe(text)
    assert bad is not None and bad.index == len("pädevuse") and bad.char == char
    assert bad.code == f"U+{ord(char):04X}"
    assert bad.code in bad.describe(text) and "pädevuse[" in bad.describe(text)


@pytest.mark.parametrize(
    "text",
    ["Õunapuu äärel öösel šokolaadi žürii", "rida\nrida", "a\tb", "§ 52 lõigete 1 ja 2",
     "„jutumärgid“ – kriips", "poolitus\u00adkoht", "tühik\u00a0siin", "👍🏽", "ελληνικά", ""],
)
def test_ordinary_text_is_safe(text: str) -> None:
    assert first_unsafe(text) is None
    assert not any(is_unsafe(c) for c in text)


def test_the_search_finds_exactly_the_characters_the_rule_names() -> None:
    """first_unsafe searches with one character class; is_unsafe says it per character: they
    agree on every code point, the first of a run is the one found."""
    disagree = [hex(c) for c in range(0x110000)
                if (first_unsafe(chr(c)) is not None) != is_unsafe(chr(c))]
    assert disagree == []
    bad = first_unsafe("a\u2029b\x00")
    assert bad is not None and (bad.index, bad.char) == (1, "\u2029")


# -- the build refuses, at the post's line, naming what to do -------------------------------------


def _set_param(project: Path, value: str) -> tuple[Path, int]:
    post = project / POST
    text = post.read_text(encoding="utf-8")
    assert PARAMS_LINE in text
    post.write_text(text.replace(PARAMS_LINE, f"parameetrid: {{valdkond: {value}, tahtaeg: õigeaegselt}}"),
                    encoding="utf-8")
    return post, line_of(post, r"klausel: ulesanne-kirjad")


@pytest.mark.parametrize(
    ("yaml_value", "code"),
    [
        ('"Vastutus\\ud800valdkonda"', "U+D800"),  # a lone surrogate: the finding
        ('"Vastutus\\avaldkonda"', "U+0007"),  # docxtpl would start a new paragraph
        ('"Vastutus\\fvaldkonda"', "U+000C"),  # docxtpl would start a new page
        ('"Vastutus\\u202Evaldkonda"', "U+202E"),  # shown reversed in the PDF
        ('"Vastutus\\x85valdkonda"', "U+0085"),
    ],
)
def test_an_unsafe_parameter_fails_the_build_at_the_post(
    built_example: Path, yaml_value: str, code: str
) -> None:
    post, line = _set_param(built_example, yaml_value)
    before_out, before_defs = tree(built_example / "output"), tree(built_example / "definitions")
    r = cli(built_example, "build", DRAFT, code=None)
    assert r.code == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    expected = (f'{POST}:{line}: klausel ulesanne-kirjad (parameeter "valdkond"): tekstis on {code}')
    assert expected in r.stderr
    assert f"Vastutus[{code}]valdkonda" in r.stderr
    assert "Kustuta see märk" in r.stderr
    assert tree(built_example / "output") == before_out
    assert tree(built_example / "definitions") == before_defs


def test_a_character_made_by_jinja_fails_the_build(built_example: Path) -> None:
    clauses = built_example / "definitions/klauslid/ulesanded.yaml"
    text = clauses.read_text(encoding="utf-8")
    old = "Koostöö {{ kellega }} oma pädevusvaldkonnas."
    assert old in text
    clauses.write_text(text.replace(old, "Koostöö {{ kellega }}{{ '%c' % 55296 }} oma pädevusvaldkonnas."),
                       encoding="utf-8")
    before = tree(built_example / "output")
    r = cli(built_example, "build", DRAFT, "--ainult-word", code=None)
    assert r.code == 2 and "Traceback" not in r.stderr
    assert "klausel ulesanne-koostoo (Jinja avaldise tulemus): tekstis on U+D800" in r.stderr
    # reported where the clause is used: a post file of the draft, at its line
    assert re.search(r"definitions/ametikohad/[a-z0-9-]+\.yaml:\d+: klausel ulesanne-koostoo", r.stderr)
    assert tree(built_example / "output") == before


# -- the last guard: the Word file must read back what was resolved -------------------------------


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory):
    defs = load_definitions(ROOT / "definitions")
    return resolve_directive(defs, DRAFT)


def _annex_bytes(rd) -> bytes:  # type: ignore[no-untyped-def]
    return render_annex(rd, rd.annexes[0], ROOT / "templates")


def _rewrite(data: bytes, edit) -> bytes:  # type: ignore[no-untyped-def]
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            payload = src.read(name)
            if name == "word/document.xml":
                payload = edit(payload.decode("utf-8")).encode("utf-8")
            dst.writestr(name, payload)
    return out.getvalue()


def test_a_built_annex_reads_back_whole(draft) -> None:  # type: ignore[no-untyped-def]
    data = _annex_bytes(draft)
    assert readback_problem("lisa-01.docx", data, annex_texts(draft.annexes[0])) is None


def test_a_document_cut_short_is_refused(draft) -> None:  # type: ignore[no-untyped-def]
    annex = draft.annexes[0]
    data = _annex_bytes(draft)
    last_duty = annex.duties[-1].text
    # cut the document in the middle of the last duty's text, as the surrogate did
    cut = _rewrite(data, lambda xml: xml.replace(last_duty, last_duty[: len(last_duty) // 2]))
    assert docx_text(cut) != docx_text(data)
    problem = readback_problem("lisa-01.docx", cut, annex_texts(annex))
    assert problem is not None and problem.file == "lisa-01.docx"
    assert "koostatud dokumendist puudub tekst" in problem.message
    assert last_duty[:40] in problem.message
    with pytest.raises(RenderError):
        verify_readback("lisa-01.docx", cut, annex_texts(annex))


def test_one_changed_character_is_refused(draft) -> None:  # type: ignore[no-untyped-def]
    annex = draft.annexes[0]
    data = _annex_bytes(draft)
    closing = annex.closing
    changed = _rewrite(data, lambda xml: xml.replace(closing, closing.replace("aastas", "aasta")))
    problem = readback_problem("lisa-01.docx", changed, annex_texts(annex))
    assert problem is not None and closing[:40] in problem.message


def test_a_template_that_makes_a_bad_character_is_refused(built_example: Path) -> None:
    template = built_example / "templates/ametijuhend.docx"
    data = template.read_bytes()
    template.write_bytes(_rewrite(data, lambda xml: xml.replace("{{", "{{ '%c' % 8238 }}{{", 1)))
    before = tree(built_example / "output")
    r = cli(built_example, "build", DRAFT, "--ainult-word", code=None)
    assert r.code == 3 and "Traceback" not in r.stderr
    assert "lisa-01-peaspetsialist-kriisitugi.docx: koostatud dokumendis on märk" in r.stderr
    assert "U+202E" in r.stderr and "Wordi mallist" in r.stderr
    assert tree(built_example / "output") == before


def test_a_template_that_breaks_the_document_is_refused(built_example: Path) -> None:
    """The surrogate made by the template itself: docxtpl writes a document cut short."""
    template = built_example / "templates/ametijuhend.docx"
    template.write_bytes(_rewrite(template.read_bytes(),
                                  lambda xml: xml.replace("{{", "{{ '%c' % 55296 }}{{", 1)))
    before = tree(built_example / "output")
    r = cli(built_example, "build", DRAFT, "--ainult-word", code=None)
    assert r.code == 3 and "Traceback" not in r.stderr
    assert "lisa-01-peaspetsialist-kriisitugi.docx: koostatud dokumendist puudub tekst" in r.stderr
    assert tree(built_example / "output") == before


# -- the property: fail with a message, or say exactly what was resolved -------------------------


def _with_duties(draft, change) -> object:  # type: ignore[no-untyped-def]
    """The example's definitions with the first annex's duties changed by `change`."""
    defs = load_definitions(ROOT / "definitions")
    post = defs.posts[draft.annexes[0].post.id]
    duties = tuple(change(i, d) for i, d in enumerate(post.duties))
    assert duties != post.duties
    return dataclasses.replace(defs, posts={**defs.posts, post.id: dataclasses.replace(post, duties=duties)})


def _fails_with_a_message_or_reads_back(defs, typed: str, index: int) -> None:  # type: ignore[no-untyped-def]
    """Either the build stops with file:line messages naming the character, or annex 1 says
    `typed` in duty `index` and its Word file reads every resolved text back whole."""
    try:
        rd = resolve_directive(defs, DRAFT)
        check_resolved(rd)
    except (TemplateError, RenderError) as exc:
        assert first_unsafe(typed) is not None
        assert all(p.file and p.line and "U+" in p.message for p in exc.problems)
        return
    assert first_unsafe(typed) is None
    annex = rd.annexes[0]
    assert typed in annex.duties[index].text
    data = render_annex(rd, annex, ROOT / "templates")
    assert readback_problem("lisa-01.docx", data, annex_texts(annex)) is None
    assert " ".join(annex.duties[index].text.split()) in " ".join(docx_text(data).split())


PROPERTY = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(value=st.text(min_size=1, max_size=40))
def test_any_parameter_either_fails_with_a_message_or_reads_back(draft, value: str) -> None:  # type: ignore[no-untyped-def]
    post = draft.annexes[0].post
    index = next(i for i, d in enumerate(post.duties) if d.clause_id == "ulesanne-kirjad")
    defs = _with_duties(draft, lambda i, d: dataclasses.replace(d, params={**d.params, "valdkond": value})
                        if i == index else d)
    _fails_with_a_message_or_reads_back(defs, value, index)


@PROPERTY
@given(value=st.text(min_size=1, max_size=40))
def test_any_own_text_either_fails_with_a_message_or_reads_back(draft, value: str) -> None:  # type: ignore[no-untyped-def]
    """The same for a post's own duty text (what the YAML reader lets through is checked again
    after rendering; `raw` makes Jinja take the text literally)."""
    assume("endraw" not in value)
    post = draft.annexes[0].post
    index = next(i for i, d in enumerate(post.duties) if d.text is not None)

    def own(i, d):  # type: ignore[no-untyped-def]
        if i != index:
            return d
        return dataclasses.replace(d, text=dataclasses.replace(d.text, value="{% raw %}" + value + "{% endraw %}"))

    # A text's line endings are normalised, as YAML itself does: CR LF and CR are line breaks.
    typed = value.replace("\r\n", "\n").replace("\r", "\n")
    _fails_with_a_message_or_reads_back(_with_duties(draft, own), typed, index)

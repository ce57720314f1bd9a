"""The Word templates users own: their reference (docs/mallid.md), the check of an unknown
variable, tags that Word splits, the letterhead's logo and the layout a build keeps.

The page images (letterhead, page numbers, repeated header rows) are read from real PDFs in
test_template_pages.py, which needs LibreOffice.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from docxtpl import DocxTemplate
from lxml import etree

from kaskkiri_builder.build import Project, build
from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.docx_text import docx_text
from kaskkiri_builder.errors import DefinitionError, TemplateError
from kaskkiri_builder.sandbox import TEMPLATE_ENVIRONMENT
from kaskkiri_builder.template_reference import TEMPLATES, mismatches, project_contexts, with_variable_tables
from kaskkiri_builder.template_xml import repair_template
from toolkit import DRAFT, ROOT, cli, copy_example, line_of, tree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ORG = "definitions/organisatsioon.yaml"


def example_contexts(root: Path = ROOT) -> dict[str, list[dict]]:
    """The contexts the renderer builds for every directive of the example, by template."""
    return project_contexts(root / "definitions")


def edit_part(path: Path, part: str, old: str, new: str) -> None:
    """Replace `old` by `new` once in one XML part of a Word file."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                assert old.encode() in data, (part, old)
                data = data.replace(old.encode(), new.encode(), 1)
            dst.writestr(info, data)
    path.write_bytes(out.getvalue())


def part_names(path: Path, prefix: str) -> list[str]:
    return sorted(n for n in zipfile.ZipFile(path).namelist() if n.startswith(prefix))


def footer_with(path: Path, text: str) -> str:
    """The footer part of a Word file that holds `text`."""
    z = zipfile.ZipFile(path)
    return next(n for n in part_names(path, "word/footer") if text.encode() in z.read(n))


# -- the reference in docs/mallid.md -------------------------------------------------------------


def test_the_variable_tables_are_up_to_date():
    """Stale? Run: .venv/bin/python tools/gen_docs.py"""
    text = (ROOT / "docs" / "mallid.md").read_text(encoding="utf-8")
    assert set(re.findall(r"<!-- muutujad: (\w+) -->", text)) == set(TEMPLATES)
    assert with_variable_tables(text) == text


def test_a_stale_variable_table_is_noticed():
    stale = "x\n<!-- muutujad: kaskkiri -->\n| `{{ vana }}` | tekst | … |\n<!-- /muutujad -->\ny\n"
    fresh = with_variable_tables(stale)
    assert "vana" not in fresh and "| `{{ kuupaev_nr }}` | tekst |" in fresh
    assert "| `for punkt in punktid` | loend |" in fresh and "| `{{ punkt.nr }}` | tekst |" in fresh
    assert fresh.startswith("x\n") and fresh.endswith("<!-- /muutujad -->\ny\n")


def test_every_variable_of_the_contexts_is_declared_and_every_declared_one_is_there():
    contexts = example_contexts()
    for name, declared in TEMPLATES.items():
        assert mismatches(declared, contexts[name]) == [], name


def test_a_variable_added_to_a_context_is_noticed():
    contexts = example_contexts()["kaskkiri"]
    changed = [{**c, "uus": "x", "punktid": [{**p, "lisa": 1} for p in c["punktid"]]} for c in contexts]
    found = mismatches(TEMPLATES["kaskkiri"], changed)
    assert found == ["punktid[].lisa: in the context, not declared in render.py",
                     "uus: in the context, not declared in render.py"]
    assert mismatches(TEMPLATES["kaskkiri"], [{k: v for k, v in c.items() if k != "liik"} for c in contexts]) == [
        "liik: declared in render.py, in no context"]


@pytest.mark.parametrize("template", ["kaskkiri.docx", "ametijuhend.docx"])
def test_the_templates_use_only_declared_variables(template):
    context = example_contexts()["kaskkiri" if template == "kaskkiri.docx" else "ametijuhend"][0]
    tpl = DocxTemplate(io.BytesIO((ROOT / "templates" / template).read_bytes()))
    assert tpl.get_undeclared_template_variables(jinja_env=TEMPLATE_ENVIRONMENT, context=context) == set()


# -- a template that names what the context lacks ----------------------------------------------


def test_an_unknown_variable_quotes_its_paragraph(built_example):
    edit_part(built_example / "templates/kaskkiri.docx", "word/document.xml", "{{ pealkiri }}",
              "Teema: {{ pealkirii }}")
    before = tree(built_example / "output")
    r = cli(built_example, "build", DRAFT, "--ainult-word", code=2)
    assert ('templates/kaskkiri.docx: Wordi mall kasutab tundmatut muutujat "pealkirii" (põhitekst, lõik '
            '"Teema: {{ pealkirii }}")') in r.stderr
    assert "docs/mallid.md" in r.stderr and "pealkiri," in r.stderr  # the known ones are listed
    assert tree(built_example / "output") == before


def test_an_unknown_field_in_the_footer_quotes_its_paragraph(tmp_path):
    project = copy_example(tmp_path)
    template = project / "templates/kaskkiri.docx"
    edit_part(template, footer_with(template, "kirjaplank.aadress"), "{{ kirjaplank.aadress }}",
              "{{ kirjaplank.aadres }}")
    with pytest.raises(TemplateError) as err:
        build(Project(project), DRAFT, word_only=True)
    problem = err.value.problems[0]
    assert problem.file == "templates/kaskkiri.docx" and TemplateError.exit_code == 2
    assert problem.message.startswith(
        'Wordi mall kasutab tundmatut välja ".aadres" (jalus, lõik "{{ kirjaplank.aadres }}")')


def test_a_syntax_error_quotes_its_paragraph(tmp_path):
    project = copy_example(tmp_path)
    edit_part(project / "templates/ametijuhend.docx", "word/document.xml", "{{ lopurida }}", "{{ lopurida }")
    with pytest.raises(TemplateError) as err:
        build(Project(project), DRAFT, word_only=True)
    message = err.value.problems[0].message
    assert message.startswith("Jinja süntaksiviga Wordi mallis:") and 'lõik "{{ lopurida }"' in message


# -- tags that Word splits, styles that LibreOffice writes ----------------------------------------


def _split_title(xml: str) -> str:
    """"{{ pealkiri }}" as Word may save it: the opening braces in two runs, a spelling mark between."""
    run = re.search(r"<w:r>(?:(?!<w:r>).)*?<w:t>\{\{ pealkiri \}\}</w:t></w:r>", xml, re.DOTALL)
    assert run, "the template's title run"
    whole = run.group()
    first = whole.replace("{{ pealkiri }}", "{")
    second = whole.replace("<w:rPr>", "<w:rPr><w:i/>", 1).replace("{{ pealkiri }}", "{ peal")
    third = whole.replace("{{ pealkiri }}", "kiri }}")
    return xml.replace(whole, first + '<w:proofErr w:type="spellStart"/>' + second + third, 1)


def _rewrite(path: Path, part: str, change) -> None:
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, change(data.decode()).encode() if info.filename == part else data)
    path.write_bytes(out.getvalue())


def test_a_tag_split_across_runs_still_renders(tmp_path):
    """Word splits what looks like one tag (here even its opening braces): docs/mallid.md says a
    tag within one paragraph is joined (docxtpl does it), so it must stay so."""
    project = copy_example(tmp_path)
    template = project / "templates/kaskkiri.docx"
    _rewrite(template, "word/document.xml", _split_title)
    assert "{{ pealkiri }}" not in zipfile.ZipFile(template).read("word/document.xml").decode()
    result = build(Project(project), DRAFT, word_only=True)
    text = docx_text(result.folder / "kaskkiri.docx")
    assert result.directive.title in text.splitlines() and "{" not in text


def test_a_clean_template_is_used_byte_for_byte():
    """The archived templates of a recorded directive must rebuild the approved files exactly."""
    for folder in (ROOT / "templates", ROOT / "arhiiv/2026-01/templates"):
        for template in sorted(folder.glob("*.docx")):
            data = template.read_bytes()
            assert repair_template(data) is data, template


def test_the_default_paragraph_style_is_dropped_and_others_kept(tmp_path):
    """What LibreOffice writes on every paragraph (see template_xml): gone before rendering."""
    project = copy_example(tmp_path)
    template = project / "templates/ametijuhend.docx"

    def restyle(xml: str) -> str:
        xml = xml.replace("<w:pPr>", '<w:pPr><w:pStyle w:val="Normal"/>')
        title = re.search(r'<w:pStyle w:val="Normal"/>(?=(?:(?!<w:p>).)*AMETIJUHEND)', xml, re.DOTALL)
        return xml[:title.start()] + '<w:pStyle w:val="Heading1"/>' + xml[title.end():]

    _rewrite(template, "word/document.xml", restyle)
    repaired = zipfile.ZipFile(io.BytesIO(repair_template(template.read_bytes()))).read("word/document.xml")
    styles = [s.get(f"{W}val") for s in etree.fromstring(repaired).iter(f"{W}pStyle")]
    assert styles == ["Heading1"]
    folder = build(Project(project), DRAFT, word_only=True).folder
    built = zipfile.ZipFile(next(folder.glob("lisa-01-*.docx"))).read("word/document.xml")
    assert b'w:pStyle w:val="Normal"' not in built and b'w:pStyle w:val="Heading1"' in built


# -- the logo ------------------------------------------------------------------------------------


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_the_logo_is_in_the_directive_and_the_build_is_deterministic(tmp_path):
    project = copy_example(tmp_path)
    first = build(Project(project), DRAFT, word_only=True)
    once = tree(first.folder)
    again = tree(build(Project(project), DRAFT, word_only=True).folder)
    assert once == again
    z = zipfile.ZipFile(first.folder / "kaskkiri.docx")
    media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert [z.read(n) for n in media] == [(project / "templates/logo.png").read_bytes()]
    assert "Sotsiaalkindlustusamet" in docx_text(first.folder / "kaskkiri.docx", headers=True)


def test_without_a_logo_the_letterhead_has_the_name_only(tmp_path):
    project = copy_example(tmp_path)
    org = project / ORG
    org.write_text(re.sub(r"(?m)^  logo: .*\n", "", org.read_text(encoding="utf-8")), encoding="utf-8")
    folder = build(Project(project), DRAFT, word_only=True).folder
    assert not [n for n in zipfile.ZipFile(folder / "kaskkiri.docx").namelist() if n.startswith("word/media/")]
    assert "Sotsiaalkindlustusamet" in docx_text(folder / "kaskkiri.docx", headers=True)


def _set_logo(project: Path, value: str) -> int:
    org = project / ORG
    org.write_text(re.sub(r"(?m)^  logo: .*$", f"  logo: {value}", org.read_text(encoding="utf-8")),
                   encoding="utf-8")
    return line_of(org, r"^  logo: ")


@pytest.mark.parametrize(("how", "expected"), [
    ("puudub", "faili ei ole."),
    ("väljas", "fail on väljaspool projekti kausta"),
    ("kaust", "see ei ole tavaline fail"),
    ("suur", "fail on liiga suur"),
    ("tekst", "fail ei ole PNG- ega JPEG-pilt"),
    ("rikutud", "PNG-pilt on rikutud"),
    ("hiiglane", "pildi mõõdud 7000×10 pikslit ei sobi"),
])
def test_a_bad_logo_file_is_a_message_at_its_key(tmp_path, how, expected):
    project = copy_example(tmp_path / "projekt")
    logo = project / "templates/logo.png"
    if how == "puudub":
        logo.unlink()
    elif how == "väljas":
        outside = tmp_path / "logo.png"
        outside.write_bytes(logo.read_bytes())
        logo.unlink()
        logo.symlink_to(outside)
    elif how == "kaust":
        logo.unlink()
        logo.mkdir()
    elif how == "suur":
        logo.write_bytes(logo.read_bytes() + b"\0" * (3 * 1024 * 1024))
    elif how == "tekst":
        logo.write_text("see ei ole pilt", encoding="utf-8")
    elif how == "rikutud":
        logo.write_bytes(logo.read_bytes()[:12])
    elif how == "hiiglane":
        logo.write_bytes(_png(7000, 10))
    line = line_of(project / ORG, r"^  logo: ")
    with pytest.raises(DefinitionError) as err:
        build(Project(project), DRAFT, word_only=True)
    problem = err.value.problems[0]
    assert (problem.file, problem.line) == (ORG, line)
    assert problem.message.startswith('logo "templates/logo.png": ') and expected in problem.message
    assert "kirjaplank.logo" in problem.message


@pytest.mark.parametrize(("value", "expected"), [
    ("../logo.png", 'peab olema tee projekti kaustast'),
    ("/etc/logo.png", 'peab olema tee projekti kaustast'),
    ("templates/logo.gif", "peab olema PNG- või JPEG-pilt"),
])
def test_a_bad_logo_path_is_refused_when_the_definitions_are_read(tmp_path, value, expected):
    project = copy_example(tmp_path)
    line = _set_logo(project, value)
    with pytest.raises(DefinitionError) as err:
        load_definitions(project / "definitions", project)
    problem = err.value.problems[0]
    assert (problem.file, problem.line) == (ORG, line) and expected in problem.message


def test_the_logo_height_is_bounded(tmp_path):
    project = copy_example(tmp_path)
    org = project / ORG
    org.write_text(org.read_text(encoding="utf-8").replace("logo_korgus: 15", "logo_korgus: 200"), encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        load_definitions(project / "definitions", project)
    assert 'peab olema täisarv millimeetreid (5–60), aga on "200"' in err.value.problems[0].message


# -- the layout a build keeps -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def draft_build(tmp_path_factory) -> Path:
    project = copy_example(tmp_path_factory.mktemp("layout"))
    return build(Project(project), DRAFT, word_only=True).folder


def test_annex_rows_are_never_split_and_the_duties_header_repeats(draft_build):
    for annex in sorted(draft_build.glob("lisa-*.docx")):
        body = etree.fromstring(zipfile.ZipFile(annex).read("word/document.xml"))
        tables = list(body.iter(f"{W}tbl"))
        assert len(tables) == 4, annex.name
        for table in tables:
            for row in table.iter(f"{W}tr"):
                assert row.find(f"{W}trPr/{W}cantSplit") is not None, annex.name
        duties = tables[1]
        rows = duties.findall(f"{W}tr")
        assert "".join(rows[0].itertext()) == "2. Peamised teenistusülesandedOodatavad tulemused"
        assert [r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows] == [True] + [False] * (len(rows) - 1)


def test_the_directive_is_left_aligned_and_numbers_its_pages(draft_build):
    z = zipfile.ZipFile(draft_build / "kaskkiri.docx")
    body = z.read("word/document.xml").decode()
    assert 'w:val="both"' not in body  # no justified paragraph (the wide gaps of the old layout)
    footers = [z.read(n).decode() for n in part_names(draft_build / "kaskkiri.docx", "word/footer")]
    assert len(footers) == 2  # the first page's and the other pages'
    for footer in footers:
        assert re.search(r'w:instr=" PAGE ".*?\(.*?w:instr=" NUMPAGES ".*?\)', footer, re.DOTALL)

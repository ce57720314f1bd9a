"""The review package: output/<id>/review/ with the page and the tracked-changes Word files.

A small project gets an approved version (kaskkiri record), then a post's wording changes and a
new draft re-approves the post: its review must show exactly the words that changed, in Word's
own tracked changes and on the page. The page itself is checked in a browser elsewhere
(test_review_browser.py); here its content and its self-containedness.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from lxml import etree

from kaskkiri_builder.build import Project
from kaskkiri_builder.checks.findings import Finding, Severity
from kaskkiri_builder.definitions import Source, load_definitions
from kaskkiri_builder.recording import record
from kaskkiri_builder.resolve import resolve_directive
from kaskkiri_builder.review import REVIEW_DIR, write_review
from kaskkiri_builder.review import redline as redline_mod
from kaskkiri_builder.review.clauses import clause_table
from kaskkiri_builder.review.orgchart import NODE_H, NODE_W, chart_posts, layout, managers, substitutions
from kaskkiri_builder.review.redline import Segment, paragraph_diff, word_diff
from minimal import CLAUSES, DIRECTIVE, NOUSTAJA, write_project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

OLD_PURPOSE = "Nõustamine telefoni teel, et tagada abi kättesaadavus."
NEW_PURPOSE = "Nõustamine telefoni ja veebivestluse teel, et tagada abi kiire kättesaadavus."
OLD_RESULT = "Kliendid on nõustatud viivitamata ja asjatundlikult."
NEW_RESULT = "Kliendid on nõustatud asjatundlikult."

NOUSTAJA_V1 = NOUSTAJA.replace("eesmark: Nõustamine.", f"eesmark: {OLD_PURPOSE}").replace(
    "tulemused: [Nõustatud.]", f"tulemused: [{OLD_RESULT}]"
)
NOUSTAJA_V2 = NOUSTAJA_V1.replace(OLD_PURPOSE, NEW_PURPOSE).replace(OLD_RESULT, NEW_RESULT)

FINDINGS = [
    Finding(Severity.HOIATUS, "lisade_vahemik", "Käskkiri kirjutab vahemikke kahel viisil.",
            Source("definitions/organisatsioon.yaml")),
    Finding(Severity.VIGA, "kirjavahemargid", 'Kaks punkti järjest: <b>"x.."</b> & <script>alert(1)</script>',
            Source("definitions/ametikohad/noustaja.yaml", 12), annex=1),
    Finding(Severity.INFO, "klausli_kandidaat", "Ülesanne 1 võiks olla ühine klausel.",
            Source("definitions/ametikohad/noustaja.yaml", 14), annex=1),
]


def make_reviewed_project(root: Path) -> Project:
    """d1 (approved, recorded as 07.01.2026 nr 5) approves noustaja; draft d2 re-approves it
    with two sentences reworded."""
    write_project(root, posts={"noustaja": NOUSTAJA_V1})
    project = Project(root)
    record(project, "d1", "5", date(2026, 1, 7), word_only=True)
    (root / "definitions/ametikohad/noustaja.yaml").write_text(NOUSTAJA_V2, encoding="utf-8")
    (root / "definitions/kaskkirjad/d2.yaml").write_text(DIRECTIVE, encoding="utf-8")
    return project


def tracked(docx: Path) -> tuple[list[str], list[str]]:
    """The texts of every w:ins and w:del in the body."""
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    ins = ["".join(t.text or "" for t in el.iter(f"{W}t")) for el in root.iter(f"{W}ins")]
    dels = ["".join(t.text or "" for t in el.iter(f"{W}delText")) for el in root.iter(f"{W}del")]
    return [t for t in ins if t.strip()], [t for t in dels if t.strip()]


def words(texts: list[str]) -> set[str]:
    return {w for t in texts for w in re.findall(r"\w+", t)}


Box = tuple[float, float, float, float]  # x, y, width, height


def overlapping(boxes: dict[str, Box]) -> list[tuple[str, str]]:
    """The pairs of rectangles that share some area (touching edges do not count)."""
    items = sorted(boxes.items())
    return [
        (a, b)
        for i, (a, (ax, ay, aw, ah)) in enumerate(items)
        for b, (bx, by, bw, bh) in items[i + 1 :]
        if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah
    ]


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> tuple[Project, object]:
    root = tmp_path_factory.mktemp("review") / "projekt"
    project = make_reviewed_project(root)
    return project, write_review(project, "d2", findings=FINDINGS)


def test_review_folder_has_the_page_and_one_redline(reviewed):
    project, result = reviewed
    folder = project.output / "d2" / REVIEW_DIR
    assert result.folder == folder and result.page == folder / "index.html"
    assert sorted(p.name for p in folder.iterdir()) == [
        "index.html", "lisa-01-noustaja-muudatused.docx", "manifest.json"
    ]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [(f["path"], f["role"], f.get("annex")) for f in manifest["files"]] == [
        ("lisa-01-noustaja-muudatused.docx", "redline", 1), ("index.html", "review", None)
    ]
    assert result.redlines == {1: folder / "lisa-01-noustaja-muudatused.docx"}
    assert not (project.output / "d2" / "kaskkiri.docx").exists()  # the build went elsewhere


def test_tracked_changes_are_exactly_the_changed_words(reviewed):
    _project, result = reviewed
    ins, dels = tracked(result.redlines[1])
    assert words(ins) == {"ja", "veebivestluse", "kiire"}
    assert words(dels) == {"viivitamata", "ja"}
    # The heading (date, number, annex of the approving directive) is not a change of substance.
    assert not any("kuupäev" in t or "Lisa" in t or "07.01.2026" in t for t in ins + dels)


def test_redline_opens_as_word_document_with_author(reviewed):
    from docx import Document

    _project, result = reviewed
    doc = Document(str(result.redlines[1]))
    assert doc.paragraphs  # python-docx reads it
    with zipfile.ZipFile(result.redlines[1]) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    authors = {el.get(f"{W}author") for el in root.iter(f"{W}ins", f"{W}del")}
    assert authors == {"Sotsiaalkindlustusamet"}  # the agency, as Word shows the author
    # a draft's review is dated the day it is made (never 01.01.2000)
    days = {el.get(f"{W}date", "")[:10] for el in root.iter(f"{W}ins", f"{W}del")}
    assert days and days <= {date.today().isoformat(), (date.today() - timedelta(days=1)).isoformat()}


def test_page_shows_the_same_changes(reviewed):
    _project, result = reviewed
    page = result.page.read_text(encoding="utf-8")
    article = re.search(r'<article class="diff" id="muudatus-lisa-1".*?</article>', page, re.S).group(0)
    inserted = re.findall(r"<ins>(.*?)</ins>", article)
    deleted = re.findall(r"<del>(.*?)</del>", article)
    assert words(inserted) == {"ja", "veebivestluse", "kiire"}
    assert words(deleted) == {"viivitamata", "ja"}
    assert 'href="lisa-01-noustaja-muudatused.docx"' in article
    assert "käskkiri 07.01.2026 nr 5, lisa 1 (d1)" in page
    assert "asendatakse lisaga 1" in page


def test_page_groups_findings_by_annex_and_counts_them(reviewed):
    _project, result = reviewed
    page = result.page.read_text(encoding="utf-8")
    assert 'id="leidude-arv" data-count="3">3<' in page
    assert page.count('<li class="finding ') == 3
    groups = re.findall(r'<div class="finding-group" data-annex="(\d*)">', page)
    assert groups == ["", "1"]
    # The error of annex 1 comes before its info.
    group1 = page[page.index('data-annex="1"><h3>'):]
    assert group1.index('data-severity="viga"') < group1.index('data-severity="info"')


def test_page_escapes_user_text_and_loads_nothing(reviewed):
    _project, result = reviewed
    page = result.page.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;&#34;x..&#34;&lt;/b&gt; &amp;" in page  # Jinja's autoescape
    # Self-contained: no external URL, stylesheet, font, image or script.
    assert not re.search(r"<link\b|<img\b|<iframe\b|@import|@font-face|url\((?!#)", page)
    urls = set(re.findall(r"https?://[^\s\"')]+", page)) - {"http://www.w3.org/2000/svg"}
    assert urls == set()
    assert "Content-Security-Policy" in page


def test_page_has_the_org_chart_and_clause_table(reviewed):
    _project, result = reviewed
    page = result.page.read_text(encoding="utf-8")
    nodes = re.findall(r'<g class="node ([^"]*)" data-post="([^"]+)"', page)
    assert sorted(p for _c, p in nodes) == ["juht", "noustaja"]
    classes = dict((p, c) for c, p in nodes)
    assert "in-directive" in classes["noustaja"] and "in-directive" not in classes["juht"]
    assert "tootaja" in classes["noustaja"] and "ametnik" in classes["juht"]
    assert len(re.findall(r'class="edge manager" data-from="juht" data-to="noustaja"', page)) == 1
    assert len(re.findall(r'class="edge substitution"', page)) == 1  # mutual: one edge, two arrows
    assert 'data-annex="1" data-clause="uhekordsed"' in page


def test_page_is_deterministic(reviewed):
    project, result = reviewed
    first = result.page.read_bytes()
    again = write_review(project, "d2", findings=FINDINGS)
    assert again.page.read_bytes() == first


def test_default_findings_come_from_the_checks(tmp_path):
    from kaskkiri_builder.checks.run import run_checks

    root = write_project(tmp_path / "p")
    result = write_review(Project(root), "d1")
    defs = load_definitions(root / "definitions")
    expected = run_checks(defs, "d1")
    assert result.findings == expected
    page = result.page.read_text(encoding="utf-8")
    assert f'data-count="{len(expected)}"' in page


def test_new_post_and_missing_archive_are_explained(tmp_path):
    # Nothing recorded: the annex replaces nothing.
    root = write_project(tmp_path / "p")
    result = write_review(Project(root), "d1", findings=[])
    page = result.page.read_text(encoding="utf-8")
    assert "uus ametijuhend" in page and result.redlines == {}
    assert "Kontroll ei leidnud midagi." in page

    # The ledger knows an earlier directive, but it was never recorded with an archive.
    ledger = "kaskkirjad:\n  - number: 3\n    kuupaev: 02.01.2025\n    lisad: [noustaja]\n"
    root = write_project(tmp_path / "q", ledger=ledger)
    result = write_review(Project(root), "d1", findings=[])
    page = result.page.read_text(encoding="utf-8")
    assert "käskkiri 02.01.2025 nr 3, lisa 1" in page
    assert "võrrelda ei saa: kinnitatud versioon pole arhiivis" in page
    assert result.redlines == {}


def test_without_the_comparer_the_page_still_shows_the_words(tmp_path, monkeypatch):
    project = make_reviewed_project(tmp_path / "p")

    def broken():
        raise ImportError("python_redlines puudub")

    monkeypatch.setattr(redline_mod, "_get_engine", broken)
    result = write_review(project, "d2", findings=[])
    assert result.redlines == {}
    assert any("python_redlines puudub" in n for n in result.notes)
    page = result.page.read_text(encoding="utf-8")
    article = re.search(r'<article class="diff".*?</article>', page, re.S).group(0)
    assert words(re.findall(r"<ins>(.*?)</ins>", article)) == {"ja", "veebivestluse", "kiire"}
    assert words(re.findall(r"<del>(.*?)</del>", article)) == {"viivitamata", "ja"}


# --- the parts ----------------------------------------------------------------------------------


def test_word_diff():
    segs = word_diff("abi kättesaadavus.", "abi kiire kättesaadavus.")
    assert segs == (Segment("same", "abi "), Segment("ins", "kiire "), Segment("same", "kättesaadavus."))
    assert word_diff("a", "a") == (Segment("same", "a"),)


def test_paragraph_diff_pairs_changed_paragraphs():
    paras = paragraph_diff(["Üks.", "Kaks kolm.", "Neli."], ["Üks.", "Kaks viis kolm.", "Neli.", "Uus."])
    changed = [p for p in paras if p.changed]
    assert [p.new_text for p in changed] == ["Kaks viis kolm.", "Uus."]
    assert changed[0].old_text == "Kaks kolm."


def test_clause_table_departures(tmp_path):
    clauses = CLAUSES + "muu:\n  ulesanne: Koostöö teiste talituste ja osakondadega.\n  tulemused: [Koostöö toimib.]\n"
    post = NOUSTAJA.replace(
        "  - klausel: uhekordsed\n",
        "  - klausel: uhekordsed\n    parameetrid: {tegevus: teostamine}\n"
        "  - ulesanne: Koostöö teiste talituste ning osakondadega.\n    tulemused: [Koostöö toimib.]\n",
    )
    root = write_project(tmp_path / "p", clauses=clauses, posts={"noustaja": post})
    defs = load_definitions(root / "definitions")
    table = clause_table(defs, resolve_directive(defs, "d1"))
    assert table.clause_ids == ["uhekordsed", "muu", "oigused", "lopurida"]
    assert table.cells[1]["uhekordsed"].places == ["2.2."]
    assert table.cells[1]["muu"].places == ["≈2.3."]
    assert table.own_duties == {1: 2}
    kinds = {(d.clause_id, d.kind) for d in table.departures}
    assert kinds == {("uhekordsed", "parameetrid"), ("muu", "oma sõnastus")}
    param = next(d for d in table.departures if d.kind == "parameetrid")
    assert param.summary == "tegevus: täitmine → teostamine"


def test_org_chart_of_the_example(example):
    defs = load_definitions(example / "definitions")
    directive = defs.directives["2026-01"]
    posts = chart_posts(defs, directive)
    units = {"kriisitoe-talitus"}
    expected = {pid for pid, p in defs.posts.items() if p.unit in units} | {"ohvriabi-osakonna-juhataja"}
    expected |= {r.post_id for r in directive.abolished if r.post_id in defs.posts}
    assert set(posts) == expected
    nodes, width, height = layout(defs, directive)
    assert sorted(n.post.id for n in nodes) == sorted(posts)  # every post exactly once
    boss = managers(defs)
    by_id = {n.post.id: n for n in nodes}
    for n in nodes:  # a manager sits one row above
        if boss.get(n.post.id) in by_id:
            assert by_id[boss[n.post.id]].depth == n.depth - 1
    # No two boxes overlap, and all lie inside the drawing.
    boxes = {n.post.id: (n.x, n.y, NODE_W, NODE_H) for n in nodes}
    assert overlapping(boxes) == []
    assert all(0 <= x and x + w <= width and 0 <= y and y + h <= height for x, y, w, h in boxes.values())
    assert {n.post.id for n in nodes if n.annex} == {r.post_id for r in directive.annexes}
    pairs = substitutions(defs, set(posts))
    assert all(a != b for a, b in pairs)  # noustaja-9 names itself: no self-loop is drawn


def test_example_2026_02_shows_the_changes_of_the_re_approved_posts(example):
    """The bundled draft 2026-02 re-approves posts of the recorded 2026-01 with wording changed."""
    from kaskkiri_builder.build import archive_root
    from kaskkiri_builder.docx_text import docx_paragraphs

    project = Project(example)
    defs = load_definitions(example / "definitions")
    assert "2026-02" in defs.directives and archive_root(project, "2026-01").is_dir()
    recorded = {p for e in defs.ledger if e.id == "2026-01" for p in e.annexes.values()}
    rd = resolve_directive(defs, "2026-02")
    again = {a.number for a in rd.annexes if a.post.id in recorded}
    assert again, "2026-02 should re-approve posts of 2026-01"

    result = write_review(project, "2026-02", findings=[])
    assert set(result.redlines) == again
    page = result.page.read_text(encoding="utf-8")
    approved = archive_root(project, "2026-01") / "kinnitatud"
    for n, path in sorted(result.redlines.items()):
        ins, dels = tracked(path)
        assert ins or dels, f"lisa {n}: no tracked change"
        post = rd.annexes[n - 1].post.id
        old_text = " ".join(docx_paragraphs(next(approved.glob(f"lisa-*-{post}.docx"))))
        # Every deleted word was in the approved annex; the redline accepted is the new annex.
        assert words(dels) <= words([old_text])
        assert f'id="muudatus-lisa-{n}"' in page


def test_posts_abolished_earlier_leave_the_chart(example):
    from kaskkiri_builder.review import abolished_earlier

    defs = load_definitions(example / "definitions")
    assert "2026-02" in defs.directives
    abolished_by_2026_01 = {r.post_id for r in defs.directives["2026-01"].abolished}
    gone = abolished_earlier(defs, resolve_directive(defs, "2026-02"))
    assert gone == abolished_by_2026_01
    drawn = set(chart_posts(defs, defs.directives["2026-02"], gone))
    assert not drawn & gone
    # Before 2026-01 they were still in force: its review shows them, marked as abolished.
    archived = load_definitions(example / "arhiiv/2026-01/definitions")
    assert abolished_earlier(archived, resolve_directive(archived, "2026-01")) == set()


def test_overlapping_finds_shared_area_only() -> None:
    assert overlapping({"a": (0, 0, 10, 10), "b": (10, 0, 10, 10), "c": (0, 10, 10, 10)}) == []
    assert overlapping({"a": (0, 0, 10, 10), "b": (9, 9, 10, 10)}) == [("a", "b")]
    assert overlapping({"a": (0, 0, 100, 10), "b": (40, 2, 5, 5)}) == [("a", "b")]  # one inside


# --- the command, end to end --------------------------------------------------------------------


def kaskkiri(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kaskkiri_builder", *args], cwd=project, capture_output=True, text=True
    )


FindingKey = tuple[str, str, str, str, str]  # severity, kind, message, file:line, annex


def page_findings(page: str) -> list[FindingKey]:
    """The findings the page lists, each with the annex group it is listed under."""
    out: list[FindingKey] = []
    for group in lxml.html.fromstring(page).xpath('//div[@class="finding-group"]'):
        for li in group.xpath('.//li[contains(concat(" ", @class, " "), " finding ")]'):
            out.append((
                li.get("data-severity"),
                li.get("data-kind"),
                li.xpath('string(span[@class="msg"])'),
                li.xpath('string(span[@class="where"])'),
                group.get("data-annex"),
            ))
    return out


def json_finding(f: dict[str, Any]) -> FindingKey:
    """A finding of `kaskkiri check --json` as the page shows it."""
    where = f"{f['file']}:{f['line']}" if f["file"] and f["line"] else (f["file"] or "")
    annex = "" if f["annex"] is None else str(f["annex"])
    return (f["severity"], f["kind"], f["message"], where, annex)


def test_review_command_lists_exactly_the_findings_of_check(example: Path) -> None:
    """`kaskkiri review 2026-02` on the example: its page shows what `kaskkiri check` reports."""
    checked = kaskkiri(example, "check", "2026-02", "--json")
    assert checked.returncode in (0, 1), checked.stderr
    reported = json.loads(checked.stdout)["findings"]
    assert reported, "the example's draft 2026-02 has findings"

    reviewed = kaskkiri(example, "review", "2026-02")
    assert reviewed.returncode == 0, reviewed.stderr
    page = (example / "output/2026-02" / REVIEW_DIR / "index.html").read_text(encoding="utf-8")

    assert Counter(page_findings(page)) == Counter(map(json_finding, reported))
    assert f'id="leidude-arv" data-count="{len(reported)}">{len(reported)}<' in page


def test_review_does_not_import_the_signing_stage() -> None:
    """review/ must work without LibreOffice, pypdf packaging or the signing stage."""
    import kaskkiri_builder.review as review

    stages = {"signing", "convert", "package"}
    for path in sorted(Path(review.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):  # `from ..signing import x`, `from .. import signing`
                modules = [node.module or "", *(a.name for a in node.names)]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            else:
                continue
            found = {part for m in modules for part in m.split(".")} & stages
            assert not found, f"{path.name}:{node.lineno} imports {sorted(found)}"

"""Word files remembered between builds (render_cache.py): the same bytes as rendering anew, a
changed input is another key, a damaged entry is rendered again."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kaskkiri_builder import render_cache
from kaskkiri_builder.build import Project, build, load_and_resolve, source_project
from kaskkiri_builder.render import Document, annex_document
from kaskkiri_builder.render_pool import render_verified
from toolkit import DRAFT, copy_example, tree


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KASKKIRI_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(render_cache, "_memory", render_cache.OrderedDict())
    monkeypatch.setattr(render_cache, "_texts", {})
    monkeypatch.setattr(render_cache, "_pruned", False)
    return tmp_path / "cache" / render_cache.FOLDER


def _resolved(project: Path):
    source = source_project(Project(project), DRAFT, lambda _: None)
    _defs, rd = load_and_resolve(source, DRAFT, project)
    return rd, source.templates, ["kaskkiri.docx"] + [f"lisa-{a.number}.docx" for a in rd.annexes]


def _renders(monkeypatch) -> list[str]:
    made: list[str] = []
    real = Document.render

    def counting(doc):
        made.append(doc.title)
        return real(doc)

    monkeypatch.setattr(Document, "render", counting)
    return made


def test_a_remembered_build_equals_a_fresh_one(tmp_path, cache, monkeypatch):
    project = copy_example(tmp_path / "p")
    build(Project(project), DRAFT, word_only=True, checks=False)
    fresh = tree(project / "output")
    made = _renders(monkeypatch)
    monkeypatch.setattr(render_cache, "_memory", render_cache.OrderedDict())  # a new process
    build(Project(project), DRAFT, word_only=True, checks=False)
    assert made == [] and tree(project / "output") == fresh
    assert len(list(cache.iterdir())) == 4  # the directive and three annexes


def test_only_the_changed_annex_is_rendered_again(tmp_path, cache, monkeypatch):
    project = copy_example(tmp_path / "p")
    build(Project(project), DRAFT, word_only=True, checks=False)
    post = project / "definitions/ametikohad/analuutik-kriisitugi.yaml"
    post.write_text(post.read_text(encoding="utf-8").replace("analüüsimine", "analüüs", 1), encoding="utf-8")
    made = _renders(monkeypatch)
    build(Project(project), DRAFT, word_only=True, checks=False)
    assert len(made) == 1 and "analüütik" in made[0].lower()
    warm = tree(project / "output")
    monkeypatch.setenv("KASKKIRI_CACHE", "")
    monkeypatch.setattr(render_cache, "_memory", render_cache.OrderedDict())
    build(Project(project), DRAFT, word_only=True, checks=False)
    assert tree(project / "output") == warm


@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 not a zip", "another document"])
def test_a_damaged_entry_is_rendered_again(tmp_path, cache, monkeypatch, damage):
    rd, templates, names = _resolved(copy_example(tmp_path / "p"))
    good = render_verified(rd, templates, names, 1)
    [entry] = [p for p in cache.iterdir() if p.suffix == ".docx"]
    entry.write_bytes(render_verified(rd, templates, names, 2) if damage == "another document" else damage)
    monkeypatch.setattr(render_cache, "_memory", render_cache.OrderedDict())
    made = _renders(monkeypatch)
    assert render_verified(rd, templates, names, 1) == good and len(made) == 1


def test_every_input_of_a_document_is_in_its_key(tmp_path):
    project = copy_example(tmp_path / "p")
    rd, templates, _names = _resolved(project)
    doc = annex_document(rd, rd.annexes[0], templates)
    key = render_cache.document_key(doc)
    assert key is not None and render_cache.document_key(annex_document(rd, rd.annexes[0], templates)) == key
    changed = [
        dataclasses.replace(doc, context={**doc.context, "lisa_nr": 9}),
        dataclasses.replace(doc, title=doc.title + " "),
        dataclasses.replace(doc, subject="x"),
        dataclasses.replace(doc, template=templates / "kaskkiri.docx"),
    ]
    assert len({render_cache.document_key(d) for d in changed} | {key}) == len(changed) + 1
    (templates / "ametijuhend.docx").write_bytes((templates / "ametijuhend.docx").read_bytes() + b"\0")
    assert render_cache.document_key(doc) != key  # the template's bytes, not its name
    assert render_cache.document_key(dataclasses.replace(doc, context={"x": object()})) is None


def test_a_file_verified_in_this_process_is_not_read_back_again_for_the_same_texts(
        tmp_path, cache, monkeypatch):
    """watch rebuilds in one process: a Word file it rendered or read back is trusted for the
    same key and the same texts; a file from the cache folder, or other texts, is read back."""
    from kaskkiri_builder import render_pool

    rd, templates, names = _resolved(copy_example(tmp_path / "p"))
    reads: list[str] = []
    real = render_pool.readback_problem

    def counting(name, data, expected):
        reads.append(name)
        return real(name, data, expected)

    monkeypatch.setattr(render_pool, "readback_problem", counting)
    first = render_verified(rd, templates, names, 1)  # rendered and verified (verify_readback)
    assert render_verified(rd, templates, names, 1) == first and reads == []
    monkeypatch.setattr(render_cache, "_memory", render_cache.OrderedDict())  # a new process
    monkeypatch.setattr(render_cache, "_texts", {})
    assert render_verified(rd, templates, names, 1) == first and reads == [names[1]]
    assert render_verified(rd, templates, names, 1) == first and reads == [names[1]]
    key = next(iter(render_cache._memory))
    render_cache._texts[key] = "other texts"
    assert render_verified(rd, templates, names, 1) == first and reads == [names[1]] * 2


def test_what_the_caller_loaded_is_built_without_reading_the_definitions_again(
        tmp_path, cache, monkeypatch):
    """watch reads the definitions for the page's text and hands them to the build."""
    from kaskkiri_builder import build as build_module

    project = copy_example(tmp_path / "p")
    loaded = load_and_resolve(Project(project), DRAFT, project)
    build(Project(project), DRAFT, word_only=True, checks=False)
    expected = tree(project / "output")
    monkeypatch.setattr(build_module, "load_definitions",
                        lambda *a, **k: pytest.fail("the definitions were read again"))
    build(Project(project), DRAFT, word_only=True, checks=False, loaded=loaded)
    assert tree(project / "output") == expected

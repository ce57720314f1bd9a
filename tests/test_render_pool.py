"""Rendering on every core (render_pool.py): the same bytes, in the same order, and the same
error as rendering in the build's own process."""

from __future__ import annotations

import pytest

from kaskkiri_builder import render_pool
from kaskkiri_builder.build import Project, build, load_and_resolve, source_project
from kaskkiri_builder.errors import TemplateError
from test_templates import edit_part
from toolkit import copy_example


def _documents(project, directive_id="2026-01"):
    source = source_project(Project(project), directive_id, lambda _: None)
    _defs, rd = load_and_resolve(source, directive_id, project)
    names = ["kaskkiri.docx"] + [f"lisa-{a.number}.docx" for a in rd.annexes]
    return rd, source.templates, names


@pytest.fixture
def pooled(monkeypatch):
    """Every directive rendered by the pool, however few its documents."""
    monkeypatch.setattr(render_pool, "MIN_DOCUMENTS", 2)


def test_the_pool_gives_the_serial_bytes_in_order(tmp_path, pooled):
    rd, templates, names = _documents(copy_example(tmp_path))
    assert render_pool.workers(len(names)) > 1 or len(render_pool.os.sched_getaffinity(0)) == 1
    serial = [render_pool.render_verified(rd, templates, names, i) for i in range(len(names))]
    assert list(render_pool.rendered(rd, templates, names)) == serial
    assert len(set(serial)) == len(serial)  # twelve different documents, not one repeated


def test_a_failing_document_raises_the_serial_error(tmp_path, monkeypatch):
    project = copy_example(tmp_path)
    edit_part(project / "templates/ametijuhend.docx", "word/document.xml", "{{ lopurida }}", "{{ lopurida.x }}")
    with pytest.raises(TemplateError) as serial:
        build(Project(project), "2026-02", word_only=True)
    monkeypatch.setattr(render_pool, "MIN_DOCUMENTS", 2)
    with pytest.raises(TemplateError) as pooled:
        build(Project(project), "2026-02", word_only=True)
    assert [p.message for p in pooled.value.problems] == [p.message for p in serial.value.problems]


def test_a_build_stopped_midway_leaves_no_worker(tmp_path, pooled):
    rd, templates, names = _documents(copy_example(tmp_path))
    documents = render_pool.rendered(rd, templates, names)
    next(documents)
    children = render_pool.multiprocessing.active_children()
    documents.close()
    assert render_pool.multiprocessing.active_children() == [] and render_pool._job is None
    assert all(not c.is_alive() for c in children)


def test_beside_other_threads_it_renders_alone(monkeypatch):
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert render_pool.workers(500) == 1
    finally:
        stop.set()
        thread.join()
    assert render_pool.workers(500) == min(500, len(render_pool.os.sched_getaffinity(0)))
    assert render_pool.workers(render_pool.MIN_DOCUMENTS - 1) == 1


def test_a_worker_that_dies_leaves_its_documents_to_the_build(tmp_path, pooled, monkeypatch):
    rd, templates, names = _documents(copy_example(tmp_path))
    serial = [render_pool.render_verified(rd, templates, names, i) for i in range(len(names))]
    real = render_pool._share

    def dies_after_one(k, n, out):
        if k == 1:
            out.send_bytes(render_pool.render_verified(rd, templates, names, 1))
            render_pool.os._exit(9)
        real(k, n, out)

    monkeypatch.setattr(render_pool, "_share", dies_after_one)
    assert list(render_pool.rendered(rd, templates, names)) == serial
    assert render_pool.multiprocessing.active_children() == []

"""A directive's Word files rendered on every core.

Rendering an annex (docxtpl, then reading the file back to verify its text) is about 40 ms of CPU
(none when render_cache.py remembers it);
a directive of 200 annexes spends seconds there on one core while the others wait. Forked workers
inherit the resolved directive, so nothing but each file's bytes crosses back. The files come
back in order, and each is the same bytes the build's own process would make. A worker that
fails sends no exception: that document is rendered again here, so the error the user reads is
the one a serial build raises.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Generator, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from . import render_cache
from .render import Document, annex_document, directive_document
from .resolve import ResolvedDirective
from .text_guard import annex_texts, directive_texts, readback_problem, verify_readback

#: Below this many documents a pool costs more than it saves (measured: benchmarks/render_speed.py).
MIN_DOCUMENTS = 16

_job: tuple[ResolvedDirective, Path, list[str]] | None = None  # set before the fork


def _document(rd: ResolvedDirective, templates: Path, i: int) -> tuple[Document, Callable[[], Iterator[str]]]:
    """Document `i` (0 the directive, then the annexes) and the texts it must show."""
    if i == 0:
        return directive_document(rd, templates), lambda: directive_texts(rd)
    annex = rd.annexes[i - 1]
    return annex_document(rd, annex, templates), lambda: annex_texts(annex)


def render_verified(rd: ResolvedDirective, templates: Path, names: list[str], i: int) -> bytes:
    """Document `i` rendered, or remembered from an earlier build (render_cache.py), and its text
    verified."""
    doc, expected_texts = _document(rd, templates, i)
    expected = list(expected_texts())
    key = render_cache.document_key(doc)
    texts = render_cache.texts_digest(expected)
    if key is not None:
        data = render_cache.verified(key, texts)  # read back here already against these texts
        if data is not None:
            return data
        data = render_cache.remembered(key)
        if data is not None:
            if readback_problem(names[i], data, iter(expected)) is None:
                render_cache.keep(key, data, texts)
                return data
            render_cache.forget(key)  # damaged: rendered again below
    data = doc.render()
    verify_readback(names[i], data, iter(expected))
    if key is not None:
        render_cache.remember(key, data, texts)
    return data


def remembered_bytes(rd: ResolvedDirective, templates: Path, i: int) -> bytes | None:
    """The Word file an earlier build rendered for document `i`, unverified, or None: what this
    build will most likely write (signing.py starts LibreOffice early for the others)."""
    try:
        key = render_cache.document_key(_document(rd, templates, i)[0])
    except Exception:  # noqa: BLE001 - a guess only: rendering reports any problem
        return None
    return None if key is None else render_cache.remembered(key)


def _share(k: int, n: int, out: Connection) -> None:
    """Worker k of n: documents k, k+n, k+2n … in order, each sent as it is done (b"" for one
    that failed: the build's process renders it again, which raises the serial error)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle, not each worker's
    assert _job is not None
    for i in range(k, len(_job[2]), n):
        try:
            data = render_verified(*_job, i)
        except Exception:  # noqa: BLE001 - rendered again in the build's process, which raises it
            data = b""
        out.send_bytes(data)
    out.close()


def workers(documents: int) -> int:
    """How many processes render: every core the build may use, when it pays."""
    if documents < MIN_DOCUMENTS or threading.active_count() > 1:
        return 1  # forking beside other threads (watch's server) could copy a held lock
    return min(len(os.sched_getaffinity(0)), documents)


def rendered(rd: ResolvedDirective, templates: Path, names: list[str]) -> Generator[bytes, None, None]:
    """Each document's bytes, in the order of `names`, rendered on `workers()` processes.

    Each forked worker takes a fixed share (every n-th document) and sends its files back in
    order through its own pipe; no task queue. multiprocessing.Pool's was seen to hang in
    `terminate()` (its task thread waiting on the queue's lock while the workers were ended)
    when a build stopped midway; a share needs no thread, and stopping is ending the workers."""
    global _job
    n = workers(len(names))
    if n <= 1:
        for i in range(len(names)):
            yield render_verified(rd, templates, names, i)
        return
    _job = (rd, templates, names)
    ctx = multiprocessing.get_context("fork")
    procs: list[BaseProcess] = []
    pipes: list[Connection] = []
    try:
        for k in range(n):
            reader, writer = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_share, args=(k, n, writer), daemon=True)
            proc.start()
            writer.close()
            procs.append(proc)
            pipes.append(reader)
        for i in range(len(names)):
            try:
                data = pipes[i % n].recv_bytes()
            except EOFError:  # the worker died: this one and the rest of its share here
                data = b""
            yield data if data else render_verified(rd, templates, names, i)
    finally:
        for started in procs:
            if started.is_alive():
                started.terminate()
        for started in procs:
            started.join()
        for reader in pipes:
            reader.close()
        _job = None

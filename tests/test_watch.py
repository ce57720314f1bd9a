"""`kaskkiri watch`: what it sees as a save, and the preview page as a user sees it.

The page test starts the real command on a copy of the example (Word files only: no
LibreOffice), opens its page in headless Chromium (the DevTools-pipe helpers of
test_review_browser.py), edits a post's YAML as a user would, and reads what the page shows.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kaskkiri_builder.build import Project, load_and_resolve
from kaskkiri_builder.errors import DefinitionError
from kaskkiri_builder.text_guard import annex_texts, directive_texts
from kaskkiri_builder.watch.changes import changed, snapshot, watched
from kaskkiri_builder.watch.preview import documents
from toolkit import _SRC, DRAFT

# --- change detection (no browser, no subprocess) ---------------------------------------------


def test_changed_lists_added_removed_and_rewritten_paths():
    before = {"a.yaml": (1, 10), "b.yaml": (1, 10), "c.yaml": (1, 10)}
    after = {"a.yaml": (1, 10), "b.yaml": (2, 10), "d.yaml": (1, 5)}
    assert changed(before, after) == ["b.yaml", "c.yaml", "d.yaml"]
    assert changed(after, after) == []
    assert changed(before, {**before, "a.yaml": (1, 11)}) == ["a.yaml"]  # same time, new size


def test_editor_scratch_files_are_not_input():
    for name in ("noustaja-9.yaml", "kaskkiri.docx", "sonad.txt"):
        assert watched(name)
    for name in (".noustaja-9.yaml.swp", "noustaja-9.yaml~", "~$skkiri.docx", ".#noustaja-9.yaml", "x.tmp"):
        assert not watched(name)


def test_snapshot_sees_a_save_and_nothing_else(tmp_path):
    post = tmp_path / "definitions/ametikohad/a.yaml"
    post.parent.mkdir(parents=True)
    post.write_text("teenistuskoht: nõustaja\n", encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "output").mkdir()
    first = snapshot(tmp_path, ("definitions", "templates"))
    assert list(first) == ["definitions/ametikohad/a.yaml"]
    # Output, a missing folder, editors' scratch files and hidden folders are not input.
    (tmp_path / "output/kaskkiri.docx").write_bytes(b"x")
    (tmp_path / "definitions/ametikohad/.a.yaml.swp").write_bytes(b"x")
    (tmp_path / "definitions/.git").mkdir()
    (tmp_path / "definitions/.git/index").write_bytes(b"x")
    assert changed(first, snapshot(tmp_path, ("definitions", "templates", "puudub"))) == []
    # Saved in place (longer text), a new template, a post removed: each is seen.
    post.write_text("teenistuskoht: nõustaja-konsultant\n", encoding="utf-8")
    (tmp_path / "templates/ametijuhend.docx").write_bytes(b"PK")
    second = snapshot(tmp_path, ("definitions", "templates"))
    assert changed(first, second) == ["definitions/ametikohad/a.yaml", "templates/ametijuhend.docx"]
    # Saved as an editor does it: a new file renamed over the old one, same size.
    new = tmp_path / "definitions/ametikohad/a.yaml.new"
    new.write_text("teenistuskoht: nõustaja-konsultanT\n", encoding="utf-8")
    os.utime(new, ns=(second["definitions/ametikohad/a.yaml"][0] + 10**9,) * 2)
    new.replace(post)
    assert changed(second, snapshot(tmp_path, ("definitions", "templates"))) == ["definitions/ametikohad/a.yaml"]
    post.unlink()
    assert "definitions/ametikohad/a.yaml" not in snapshot(tmp_path, ("definitions",))


def test_snapshot_reads_linked_files_and_does_not_enter_linked_folders(tmp_path):
    (tmp_path / "definitions/klauslid").mkdir(parents=True)
    shared = tmp_path / "jagatud.yaml"
    shared.write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "definitions/klauslid/jagatud.yaml").symlink_to(shared)
    (tmp_path / "definitions/klauslid/ring").symlink_to(tmp_path / "definitions")  # a loop
    first = snapshot(tmp_path, ("definitions",))
    assert list(first) == ["definitions/klauslid/jagatud.yaml"]
    shared.write_text("a: 22\n", encoding="utf-8")
    assert changed(first, snapshot(tmp_path, ("definitions",))) == ["definitions/klauslid/jagatud.yaml"]


def test_preview_text_is_every_text_of_the_documents(example):
    """The page's text is the resolved model: each text the Word files carry, in order."""
    _defs, rd = load_and_resolve(Project(example), DRAFT)
    docs = documents(rd)
    assert len(docs) == 1 + len(rd.annexes)

    def in_order(doc, expected) -> bool:
        """Every expected text appears in the page's document, in the order given."""
        page = " ".join(t for b in doc["blocks"] for t in (b["label"], b["text"], *b["items"]) if t)
        at = 0
        for text in filter(None, expected):
            found = page.find(text, at)
            if found < 0:
                return False
            at = found + len(text)
        return True

    assert in_order(docs[0], directive_texts(rd))
    assert not in_order(docs[0], reversed(list(directive_texts(rd))))  # the order is checked
    for doc, annex in zip(docs[1:], rd.annexes, strict=True):
        assert in_order(doc, annex_texts(annex))
        assert doc["file"] == f"definitions/ametikohad/{annex.post.id}.yaml"


# --- the command ----------------------------------------------------------------------------


def _start(project: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """`kaskkiri watch ARGS` in `project`, and the page's address from its first line."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([_SRC, *filter(None, [os.environ.get("PYTHONPATH")])])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kaskkiri_builder", "watch", *args], cwd=project, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        # Ctrl-C as in a terminal, even where this test runs with SIGINT ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 20)
    line = proc.stdout.readline() if ready else ""
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not found:
        proc.kill()
        raise AssertionError(f"no address: {line!r} {proc.communicate()}")
    return proc, found.group(0)


def _stop(proc: subprocess.Popen) -> tuple[int, str, str]:
    """Ctrl-C, as the user stops it."""
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise AssertionError(f"watch did not stop on Ctrl-C: {out} {err}") from None
    return proc.returncode, out, err


def test_a_taken_port_is_a_message_not_a_traceback(example, cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = cli(example, "watch", DRAFT, "--ainult-word", "--port", str(port), code=2)
    assert f"pordil {port}" in run.stderr and "--port" in run.stderr
    assert not (example / "output").exists()


# --- the page in headless Chromium ------------------------------------------------------------

POST = "definitions/ametikohad/noustaja-10.yaml"  # Lisa 2 of the draft
NEW_DUTY = "Eelvaate katsetamine uue tekstiga"


def _wait(page, expression: str, what: str, timeout: float = 25.0):
    deadline = time.monotonic() + timeout
    while True:
        value = page.eval(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            state = page.eval("document.getElementById('olek').textContent")
            raise AssertionError(f"the page did not show {what} (status: {state})")
        time.sleep(0.1)


TEXT = "document.getElementById('tekst').textContent"
ERROR_LINES = "[...document.querySelectorAll('#viga-read li')].map(li => li.textContent)"
FINDING_PLACES = "[...document.querySelectorAll('#leiud li .koht')].map(e => e.textContent)"


@pytest.mark.browser
def test_the_page_follows_every_save(example):
    from test_review_browser import Browser, Page, _chromium

    post = example / POST
    original = post.read_text(encoding="utf-8")
    lines = original.split("\n")
    at = lines.index("ulesanded:") + 1  # the new duty goes first: its line is at + 1
    edited = "\n".join([*lines[:at], f"  - ulesanne: {NEW_DUTY}", "    tulemused:",
                        "      - Eelvaade näitab muudetud teksti", *lines[at:]])
    proc, url = _start(example, DRAFT, "--ainult-word")
    browser = Browser(_chromium())
    try:
        page = Page(browser, url)
        _wait(page, "document.body.dataset.phase === 'valmis'", "the first build")
        assert page.eval("document.querySelectorAll('#tekst article').length") == 4  # directive + 3
        assert NEW_DUTY not in page.eval(TEXT)
        _wait(page, "document.querySelectorAll('#leiud li').length > 0", "the findings")
        assert f"{POST}:{at + 1}" not in page.eval(FINDING_PLACES)
        assert page.eval("document.getElementById('viga').hidden")
        built = page.eval("[...document.querySelectorAll('#failid a')].map(a => a.textContent)")
        assert "kaskkiri.docx" in built

        # A new duty saved: the text shows it, then the findings about it (no full stop).
        post.write_text(edited, encoding="utf-8")
        _wait(page, f"{TEXT}.includes({NEW_DUTY!r})", "the new duty")
        annex = page.eval("document.getElementById('lisa-2').textContent")
        assert NEW_DUTY in annex and "Eelvaade näitab muudetud teksti" in annex
        _wait(page, f"{FINDING_PLACES}.includes('{POST}:{at + 1}')", "a finding at the new duty")

        # Broken: the page shows the error as `kaskkiri build` prints it, at its file and line.
        post.write_text("\n".join([*lines[:3], "tundmatu_voti: 1", *lines[3:]]), encoding="utf-8")
        shown = _wait(page, f"{ERROR_LINES}.length && {ERROR_LINES}", "the error")
        assert page.eval("document.getElementById('viga').hidden") is False
        assert len(shown) == 1 and shown[0].startswith(f"{POST}:4: ")
        with pytest.raises(DefinitionError) as raised:  # what `kaskkiri build` prints, line by line
            load_and_resolve(Project(example), DRAFT)
        assert shown == [str(p) for p in raised.value.problems]
        assert page.eval("document.getElementById('tekst-markus').hidden") is False  # older text

        # Fixed: the error goes, the text is the original's again.
        post.write_text(original, encoding="utf-8")
        _wait(page, "document.getElementById('viga').hidden && document.body.dataset.phase === 'valmis'",
              "the error gone")
        assert NEW_DUTY not in page.eval(TEXT)
        assert page.eval("document.getElementById('tekst-markus').hidden")
        assert page.console_errors() == []
        assert all(r.startswith(url) for r in page.requests())  # nothing from elsewhere
    finally:
        browser.close()
        code, out, err = _stop(proc)
    assert code == 0, err
    assert "Traceback" not in out + err and "Lõpetasin jälgimise." in out
    with pytest.raises(OSError):  # nothing listens any more
        urllib.request.urlopen(url, timeout=2)


def _state(url: str) -> dict:
    with urllib.request.urlopen(url + "olek.json", timeout=10) as r:
        return json.loads(r.read())


def _state_when(url: str, test, what: str, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = _state(url)
        if test(state):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"watch did not reach {what}: {state.get('status')} {state.get('error')}")
        time.sleep(0.2)


@pytest.mark.libreoffice
def test_the_pdfs_follow_a_save(example):
    """With LibreOffice: the page lists the new PDFs, served as output/<id>/ holds them."""
    post = example / POST
    proc, url = _start(example, DRAFT)
    try:
        first = _state_when(url, lambda s: s.get("phase") == "valmis", "the first build")
        pdfs = {f["name"]: f["sha256"] for f in first["files"] if f["name"].endswith(".pdf")}
        annex = next(n for n in pdfs if n.startswith("lisa-2-") or n.startswith("lisa-02-"))
        assert len(pdfs) >= 5  # the directive, 3 annexes, the signing PDF
        text = post.read_text(encoding="utf-8")
        at = text.index("ulesanded:\n") + len("ulesanded:\n")
        post.write_text(text[:at] + f"  - ulesanne: {NEW_DUTY}.\n    tulemused:\n      - Tulemus.\n" + text[at:],
                        encoding="utf-8")
        second = _state_when(url, lambda s: s.get("phase") == "valmis" and any(
            f["name"] == annex and f["sha256"] != pdfs[annex] for f in s["files"]), "the new PDF")
        with urllib.request.urlopen(f"{url}fail/{annex}", timeout=10) as r:
            served = r.read()
            assert r.headers["Content-Type"] == "application/pdf"
        on_disk = (example / "output" / DRAFT / annex).read_bytes()
        assert served == on_disk and served.startswith(b"%PDF")
        assert hashlib.sha256(served).hexdigest() == next(f["sha256"] for f in second["files"] if f["name"] == annex)
        # Only the last build's files are served.
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{url}fail/..%2F..%2Fdefinitions%2Forganisatsioon.yaml", timeout=10)
    finally:
        code, out, err = _stop(proc)
    assert code == 0, err
    assert "Traceback" not in out + err

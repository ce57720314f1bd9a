"""The review page as a reviewer sees it: opened in headless Chromium (Debian's `chromium`).

Driven over the DevTools protocol through a pipe (--remote-debugging-pipe: no port, no network,
no client library): the test reads what the rendered page shows, every console message and
every request the page makes. `scripts/setup.sh --test` installs chromium; on CI a missing
browser is a failure, elsewhere the test is skipped with the command that installs it.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from kaskkiri_builder.build import Project, source_project
from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.resolve import resolve_directive
from kaskkiri_builder.review import abolished_earlier, write_review
from kaskkiri_builder.review.orgchart import chart_posts
from test_review import FINDINGS, make_reviewed_project, overlapping

pytestmark = pytest.mark.browser  # every test here drives headless Chromium

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # root in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
]
TIMEOUT = 30.0


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("chromium puudub: scripts/setup.sh --test paigaldab selle (apt-get install chromium)")


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4 (replies out), NUL-framed."""

    def __init__(self, exe: str):
        self.profile = tempfile.mkdtemp(prefix="kaskkiri-chromium-")
        r1, self._w = os.pipe()
        self._r, w2 = os.pipe()
        # Above 10, so that putting them on 3 and 4 in the child cannot overwrite one another.
        child_in = fcntl.fcntl(r1, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(w2, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(r1)
        os.close(w2)

        def onto_3_and_4() -> None:  # dup2 also clears close-on-exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.log = open(Path(self.profile) / "stderr.log", "wb")
        self.proc = subprocess.Popen(
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            preexec_fn=onto_3_and_4,
            close_fds=False,
            start_new_session=True,
        )
        os.close(child_in)
        os.close(child_out)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium ei vastanud")
            ready, _, _ = select.select([self._r], [], [], left)
            if ready:
                chunk = os.read(self._r, 1 << 20)
                if not chunk:
                    raise EOFError("Chromium sulges ühenduse")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._id += 1
        msg: dict = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._message(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_for(self, method: str, session: str) -> dict:
        deadline = time.monotonic() + TIMEOUT
        for i, m in enumerate(self.events):
            if m.get("method") == method and m.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            m = self._message(deadline)
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # our own process group only
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """One tab with a page loaded, and what it logged and requested while loading."""

    def __init__(self, browser: Browser, url: str):
        self.b = browser
        self.url = url
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.s = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=self.s)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            session=self.s,
        )
        browser.send("Page.navigate", {"url": url}, session=self.s)
        browser.wait_for("Page.loadEventFired", self.s)
        self.eval("0")  # let the events of the load arrive

    def eval(self, expression: str):
        result = self.b.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=self.s
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def mine(self) -> list[dict]:
        return [m for m in self.b.events if m.get("sessionId") == self.s]

    def console_errors(self) -> list[str]:
        out = []
        for m in self.mine():
            p = m.get("params", {})
            if m["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif m["method"] == "Runtime.exceptionThrown":
                out.append(str(p.get("exceptionDetails", {}).get("text")))
            elif m["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
                out.append(p["entry"].get("text", ""))
        return out

    def requests(self) -> list[str]:
        return [m["params"]["request"]["url"] for m in self.mine() if m["method"] == "Network.requestWillBeSent"]


@pytest.fixture(scope="module")
def browser():
    b = Browser(_chromium())
    try:
        yield b
    finally:
        b.close()


@pytest.fixture(scope="module")
def reviewed_page(browser, tmp_path_factory):
    project = make_reviewed_project(tmp_path_factory.mktemp("browser") / "projekt")
    result = write_review(project, "d2", findings=FINDINGS)
    return Page(browser, result.page.as_uri())


def test_page_loads_offline_without_console_errors(reviewed_page):
    assert reviewed_page.console_errors() == []
    assert reviewed_page.requests() == [reviewed_page.url]  # nothing else is fetched
    assert reviewed_page.eval("document.title").startswith("Ülevaatus:")
    assert reviewed_page.eval("document.documentElement.lang") == "et"


def test_page_shows_the_findings_count(reviewed_page):
    p = reviewed_page
    assert p.eval("document.getElementById('leidude-arv').textContent") == str(len(FINDINGS))
    assert p.eval("document.querySelectorAll('li.finding').length") == len(FINDINGS)
    # Escaped user text is shown as text, not run or rendered as markup.
    assert p.eval("[...document.querySelectorAll('li.finding .msg')].some(e => e.textContent.includes('<script>alert(1)</script>'))")
    assert p.eval("document.querySelectorAll('li.finding script, li.finding b').length") == 0


def test_page_shows_the_org_chart_one_node_per_post(reviewed_page):
    p = reviewed_page
    posts = p.eval("[...document.querySelectorAll('svg.orgchart g.node')].map(g => g.dataset.post).sort()")
    assert posts == ["juht", "noustaja"]
    sizes = p.eval(
        "[...document.querySelectorAll('svg.orgchart g.node')].map(g => {"
        "const r = g.getBoundingClientRect(); return [r.width, r.height]})"
    )
    assert all(w > 50 and h > 20 for w, h in sizes)  # drawn, not just present
    assert p.eval("document.querySelector('g.node[data-post=noustaja]').classList.contains('in-directive')")
    assert p.eval("document.querySelectorAll('svg.orgchart path.edge.manager').length") == 1
    assert p.eval("document.querySelectorAll('svg.orgchart path.edge.substitution').length") == 1


def test_page_shows_the_changed_words(reviewed_page):
    p = reviewed_page
    inserted = p.eval("[...document.querySelectorAll('article.diff ins')].map(e => e.textContent).join('|')")
    deleted = p.eval("[...document.querySelectorAll('article.diff del')].map(e => e.textContent).join('|')")
    assert "veebivestluse" in inserted and "kiire" in inserted
    assert "viivitamata" in deleted
    # The link to the Word file with tracked changes resolves next to the page.
    href = p.eval("document.querySelector('article.diff a.docx').href")
    assert href.startswith("file://") and Path(href[len("file://"):]).is_file()


def test_example_org_chart_has_every_post_of_the_unit(browser, example):
    """The bundled example (14+ posts, many substitutions) renders one node per post."""
    project = Project(example)
    result = write_review(project, "2026-01", findings=[])
    # A recorded directive is reviewed as it was signed: from its archived definitions.
    defs = load_definitions(source_project(project, "2026-01", lambda _m: None).definitions)
    gone = abolished_earlier(defs, resolve_directive(defs, "2026-01"))
    expected = sorted(chart_posts(defs, defs.directives["2026-01"], gone))
    page = Page(browser, result.page.as_uri())
    posts = page.eval("[...document.querySelectorAll('svg.orgchart g.node')].map(g => g.dataset.post).sort()")
    assert posts == expected  # every post, each exactly once
    # The boxes as drawn: no two share any area.
    drawn = page.eval(
        "[...document.querySelectorAll('svg.orgchart g.node')].map(g => {"
        "const r = g.querySelector('rect.box').getBoundingClientRect();"
        "return [g.dataset.post, r.x, r.y, r.width, r.height]})"
    )
    assert all(w > 50 and h > 20 for _p, _x, _y, w, h in drawn)
    assert overlapping({p: (x, y, w, h) for p, x, y, w, h in drawn}) == []
    highlighted = page.eval("document.querySelectorAll('svg.orgchart g.node.in-directive').length")
    assert highlighted == len(defs.directives["2026-01"].annexes)
    # The chart fits the page width (scaled, not cut off).
    page_width = page.eval("document.documentElement.clientWidth")
    chart_width = page.eval("document.querySelector('svg.orgchart').getBoundingClientRect().width")
    assert 0 < chart_width <= page_width
    assert page.console_errors() == []
    assert page.requests() == [page.url]

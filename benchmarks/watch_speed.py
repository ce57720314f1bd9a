"""Times `kaskkiri watch`: from saving one post of 2026-01 to the updated page, in the same run
as the cold rebuild a user would otherwise start.

    .venv/bin/python benchmarks/watch_speed.py [--runs 5] [--ainult-word]

On a private copy of the example without its archive (so that 2026-01 is built from
definitions/, as a draft is), `kaskkiri watch 2026-01` runs in its own process; this script
reads the page's event stream (/sundmused) as the browser does, saves one word more in a post's
own duty text and records when the page first shows the new text, and when the new files
(the annex's PDF among them) are listed. Baseline: a cold `kaskkiri build 2026-01` (a fresh
process, as before `watch`) after the same kind of save. Prints the medians and the ratios.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POST = "definitions/ametikohad/talituse-juhataja.yaml"  # Lisa 1 of 2026-01
ANNEX_PDF = "lisa-01-talituse-juhataja.pdf"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _save(project: Path, marker: str) -> None:
    """One word more in the post's first own duty text (not a shared clause)."""
    path = project / POST
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(r"(?m)^(  - ulesanne: >-\n\s+)(?:Proovisõna\d+ )?", rf"\g<1>{marker} ", text, count=1)
    if n != 1:
        raise SystemExit(f"{POST}: no own duty text to change")
    path.write_text(new, encoding="utf-8")


def _events(port: int, out: queue.Queue) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/sundmused")
    resp = conn.getresponse()
    for raw in resp.fp:
        if raw.startswith(b"data: "):
            out.put((time.perf_counter(), json.loads(raw[6:])))


def _until(events: queue.Queue, test, what: str, timeout: float = 120.0) -> tuple[float, dict]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            at, state = events.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            raise SystemExit(f"watch did not show {what} within {timeout:g} s") from None
        if test(state):
            return at, state


def _pdf_sha(state: dict) -> str | None:
    return next((f["sha256"] for f in state.get("files") or [] if f["name"] == ANNEX_PDF), None)


def cold_build(project: Path, marker: str, word_only: bool) -> float:
    _save(project, marker)
    start = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "kaskkiri_builder", "build", "2026-01",
                        *(["--ainult-word"] if word_only else [])],
                       cwd=project, capture_output=True, text=True, env=_env())
    if r.returncode != 0:
        raise SystemExit(f"build failed:\n{r.stderr}")
    return time.perf_counter() - start


def watch_times(project: Path, runs: int, word_only: bool) -> tuple[list[float], list[float]]:
    """From each of `runs` saves in a running `kaskkiri watch 2026-01`: seconds to the new text on
    the page, and to the new files (with PDFs: the changed annex's new PDF)."""
    flag = ["--ainult-word"] if word_only else []
    texts: list[float] = []
    files: list[float] = []
    proc = subprocess.Popen([sys.executable, "-m", "kaskkiri_builder", "watch", "2026-01", *flag],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env=_env())
    try:
        assert proc.stdout is not None
        port = int(re.search(r"127\.0\.0\.1:(\d+)", proc.stdout.readline()).group(1))  # type: ignore[union-attr]
        events: queue.Queue = queue.Queue()
        threading.Thread(target=_events, args=(port, events), daemon=True).start()
        _at, state = _until(events, lambda s: s.get("phase") == "valmis" and s.get("findings") is not None,
                            "the first build and its findings")
        for i in range(runs):
            marker = f"Proovisõna{100 + i}"
            before = _pdf_sha(state)
            time.sleep(0.3)  # let the poll settle, as between two saves
            _save(project, marker)
            saved = time.perf_counter()
            text_at, _s = _until(events, lambda s, m=marker: m in json.dumps(s["documents"], ensure_ascii=False),
                                 "the new text")
            done_at, state = _until(events, lambda s, b=before: s.get("phase") == "valmis"
                                    and (word_only or _pdf_sha(s) not in (None, b)), "the new files")
            texts.append(text_at - saved)
            files.append(done_at - saved)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return texts, files


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--ainult-word", action="store_true", help="Word files only (no LibreOffice)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "projekt"
        for sub in ("definitions", "templates"):
            shutil.copytree(ROOT / sub, project / sub)
        # A cache of this run's own: the user's may hold the PDFs of an earlier run's saves.
        os.environ["KASKKIRI_CACHE"] = str(Path(tmp) / "vahemalu")
        cold_build(project, "Proovisõna0", args.ainult_word)  # warm-up: caches, fonts, .pyc
        colds = [cold_build(project, f"Proovisõna{i + 1}", args.ainult_word) for i in range(args.runs)]

        texts, files = watch_times(project, args.runs, args.ainult_word)
    c, t, f = statistics.median(colds), statistics.median(texts), statistics.median(files)
    flag = ["--ainult-word"] if args.ainult_word else []
    kind = "Word files" if args.ainult_word else "PDFs"

    def row(label: str, values: list[float], median: float) -> str:
        return f"{label:44} median {median:5.2f} s ({', '.join(f'{x:.2f}' for x in values)})"

    print(f"one post of 2026-01 changed; {len(colds)} runs each")
    print(row(f"cold: kaskkiri build 2026-01 {' '.join(flag)}".strip(), colds, c))
    print(row("watch: save -> new text on the page", texts, t) + f"  ratio to cold {t / c:.2f}")
    print(row(f"watch: save -> new {kind} on the page", files, f) + f"  ratio to cold {f / c:.2f}")


if __name__ == "__main__":
    main()

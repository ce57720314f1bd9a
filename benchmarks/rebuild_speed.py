"""Times a rebuild after one post changed (conversion cache warm) against full builds, in one run.

    .venv/bin/python benchmarks/rebuild_speed.py [--runs 5] [--baseline-runs 3]

Full build: the real command (a fresh process each time, as a user runs it): Word files, PDFs,
signing PDF, container, manifest, without the conversion cache. Baseline: what a straightforward
script would do with the same input: docxtpl per file (a template loaded per document), one
`soffice` call per file, and a plain pypdf merge. Both run on a private copy of the example.

Rebuild after one post changed: 2026-01 built from its definitions (a copy without arhiiv/, so
that a changed post changes it), with a warm conversion cache in a private folder; each run
changes Lisa 1's post (a new word each time, so the cache never has it) and runs the command in a
fresh process. Compared with the full build of the same copy without the cache, and with a
rebuild that changed nothing. Prints the medians and the ratios; absolute times depend on the
machine, the ratios much less.
"""

from __future__ import annotations

import argparse
import collections
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_speed import full_and_baseline  # the same builds and naive script as build_speed.py

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


#: CPU seconds (kaskkiri and LibreOffice) of each run, by project and cache: less sensitive than
#: wall time to other work on a shared machine.
CPU: collections.defaultdict[tuple[str, str], list[float]] = collections.defaultdict(list)


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def full_build(project: Path, cache: str = "") -> float:
    """One `kaskkiri build 2026-01` in a fresh process; `cache`: the cache folder ("": none)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "KASKKIRI_CACHE": cache}
    start, cpu = time.perf_counter(), _children_cpu()
    r = subprocess.run(
        [sys.executable, "-m", "kaskkiri_builder", "build", "2026-01"],
        cwd=project, capture_output=True, text=True, env=env,
    )
    elapsed = time.perf_counter() - start
    CPU[str(project), cache].append(_children_cpu() - cpu)
    if r.returncode != 0:
        raise SystemExit(f"build failed:\n{r.stderr}")
    return elapsed


#: The post of 2026-01's Lisa 1 and a phrase of it that each rebuild run changes.
CHANGED_POST = "definitions/ametikohad/talituse-juhataja.yaml"
CHANGED_TEXT = "Talituse töö juhtimine"


def change_post(project: Path, original: str, run: int) -> None:
    """Lisa 1's post with a word no earlier run wrote."""
    (project / CHANGED_POST).write_text(
        original.replace(CHANGED_TEXT, f"{CHANGED_TEXT} (muudatus {run + 1})", 1), encoding="utf-8")


def rebuilds(tmp: Path, runs: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """Full builds without the cache, rebuilds after one post changed and unchanged rebuilds
    (cache warm), all of 2026-01 from its definitions."""
    project = tmp / "muudetud"
    for sub in ("definitions", "templates"):
        shutil.copytree(ROOT / sub, project / sub)
    cache = str(tmp / "vahemalu")
    original = (project / CHANGED_POST).read_text(encoding="utf-8")
    assert CHANGED_TEXT in original, f"{CHANGED_POST} no longer says {CHANGED_TEXT!r}"
    full_build(project)  # warm-up
    fulls = [full_build(project) for _ in range(runs)]
    full_build(project, cache)  # fills the cache
    changed, unchanged, cpu = [], [], []
    for k in range(runs):
        change_post(project, original, k)
        changed.append(full_build(project, cache))
        cpu.append(CPU[str(project), cache][-1])
        unchanged.append(full_build(project, cache))
    return fulls, changed, unchanged, cpu


def median_line(label: str, xs: list[float]) -> str:
    return f"{label:<52} median {statistics.median(xs):.2f} s over {len(xs)} runs ({', '.join(f'{x:.2f}' for x in xs)})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline-runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fulls, bases = full_and_baseline(Path(tmp), args.runs, args.baseline_runs)
        drafts, changed, unchanged, changed_cpu = rebuilds(Path(tmp), args.runs)
        drafts_cpu = CPU[str(Path(tmp) / "muudetud"), ""]
    f, b = statistics.median(fulls), statistics.median(bases)
    d, c, u = statistics.median(drafts), statistics.median(changed), statistics.median(unchanged)
    print(median_line("full build (kaskkiri build 2026-01, no cache):", fulls))
    print(median_line("naive baseline:", bases))
    print(f"ratio baseline / full: {b / f:.1f}x")
    print(median_line("2026-01 from definitions, full build, no cache:", drafts))
    print(median_line("  rebuild after one post changed (cache warm):", changed))
    print(median_line("  rebuild, nothing changed (cache warm):", unchanged))
    print(f"ratio full (no cache) / one post changed: {d / c:.1f}x; baseline / one post changed: "
          f"{b / c:.1f}x; full / nothing changed: {d / u:.1f}x")
    dc, cc = statistics.median(drafts_cpu[1:]), statistics.median(changed_cpu)
    print(f"CPU seconds (kaskkiri + LibreOffice): full build, no cache {dc:.2f}; one post changed "
          f"{cc:.2f}; ratio {dc / cc:.1f}x")


if __name__ == "__main__":
    main()

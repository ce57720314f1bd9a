"""Issue 13's targets, all timed in one run on this machine, each beside its baseline.

    .venv/bin/python benchmarks/targets.py [--runs 3] [--posts 1000] [--annexes 200]

- full build of 2026-01 (`kaskkiri build 2026-01`, a fresh process, conversion cache off)
  against the naive script of build_speed.py (docxtpl per file, soffice per file, pypdf merge);
- one post changed → updated PDFs: a cold `kaskkiri build` with the conversion cache warm
  (rebuild_speed.py), and in a running `kaskkiri watch` (watch_speed.py);
- a generated agency (generate_agency.py): `kaskkiri build suur` of 200 annexes with PDFs, and
  `kaskkiri check suur` over 1000 posts (spelling results not cached), each with its peak
  resident memory (the largest process: kaskkiri, a worker or LibreOffice).

Prints each median, its target and the ratio to the baseline measured here. Timings are never
asserted by the tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parent.parent


def _row(label: str, xs: list[float], target: str, extra: str = "") -> str:
    return (f"{label:48} median {statistics.median(xs):6.2f} s  (target {target}){extra}  "
            f"[{', '.join(f'{x:.2f}' for x in xs)}]")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--annexes", type=int, default=200)
    args = ap.parse_args()

    import build_speed
    import rebuild_speed
    import watch_speed
    from agency_bench import baseline_worker, run_timed
    from generate_agency import generate

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        fulls, bases = build_speed.full_and_baseline(tmp, args.runs, args.runs)
        _drafts, changed, _unchanged, _cpu = rebuild_speed.rebuilds(tmp, args.runs)

        draft = tmp / "watch"
        for sub in ("definitions", "templates"):
            shutil.copytree(ROOT / sub, draft / sub)
        os.environ["KASKKIRI_CACHE"] = str(tmp / "watch-cache")  # watch_speed's processes
        _texts, in_watch = watch_speed.watch_times(draft, args.runs, word_only=False)

        agency = tmp / "asutus"
        generate(agency, posts=args.posts, units=40, annexes=args.annexes)
        os.environ["KASKKIRI_CACHE"] = ""  # run_timed's processes: every cache off
        builds, checks, naive, build_rss, check_rss = [], [], [], 0, 0
        for _ in range(args.runs):
            shutil.rmtree(agency / "output", ignore_errors=True)
            t, rss = run_timed([sys.executable, "-m", "kaskkiri_builder", "build", "suur"], agency, {0})
            builds.append(t)
            build_rss = max(build_rss, rss // 1024)
            t, rss = run_timed([sys.executable, "-m", "kaskkiri_builder", "check", "suur"], agency, {0, 1})
            checks.append(t)
            check_rss = max(check_rss, rss // 1024)
            start = time.perf_counter()
            baseline_worker(agency, tmp / "naive")
            naive.append(time.perf_counter() - start)

    full, base = statistics.median(fulls), statistics.median(bases)
    print(f"{len(os.sched_getaffinity(0))} cores; medians of {args.runs} runs")
    print(_row("full build 2026-01", fulls, "2.2 s, 6x the baseline",
               f"  baseline {base:.2f} s, {base / full:.1f}x"))
    print(_row("one post changed -> PDFs, cold build", changed, "1.3 s"))
    print(_row("one post changed -> PDFs, in watch", in_watch, "0.5 s"))
    print(_row(f"build of {args.annexes} annexes with PDFs", builds, "25 s",
               f"  peak {build_rss} MiB (target 500); Word-only naive script {statistics.median(naive):.2f} s"))
    print(_row(f"check of {args.posts} posts", checks, "10 s", f"  peak {check_rss} MiB (target 500)"))


if __name__ == "__main__":
    main()

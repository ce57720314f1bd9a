"""Times `check` and `build --ainult-word` on a generated large agency, against a naive baseline.

    .venv/bin/python benchmarks/agency_bench.py [--runs 3] [--posts 1000] [--annexes 200]

The agency (benchmarks/generate_agency.py: 1000 posts, 40 units, a ledger of 100 directives, a
draft `suur` of 200 annexes) is written into a temporary folder. Each command runs in a fresh
process, as a user runs it: `kaskkiri check suur` (every post loaded and checked) and
`kaskkiri build suur --ainult-word` (200 annex Word files). The baseline, in the same run and
also a fresh process: a straightforward script that loads and resolves the same draft and renders
the same 200 annex contexts with docxtpl, loading the template per document. Prints the medians,
the ratios to the baseline, and each command's peak memory (ru_maxrss of that child process).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def run_timed(cmd: list[str], cwd: Path, ok: set[int]) -> tuple[float, int]:
    """Wall time and peak RSS (KiB, Linux) of one child process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err.decode(errors='replace')[-3000:]}")
    return elapsed, usage.ru_maxrss


def baseline_worker(project: Path, out: Path) -> None:
    """The naive script: resolve, then docxtpl per annex with the template loaded each time."""
    from docxtpl import DocxTemplate

    from kaskkiri_builder.definitions import load_definitions
    from kaskkiri_builder.render import annex_context
    from kaskkiri_builder.resolve import resolve_directive

    out.mkdir(parents=True, exist_ok=True)
    rd = resolve_directive(load_definitions(project / "definitions"), "suur")
    for a in rd.annexes:
        tpl = DocxTemplate(str(project / "templates/ametijuhend.docx"))
        tpl.render(annex_context(rd, a), autoescape=True)
        tpl.save(out / f"lisa-{a.number:03d}.docx")


def measure(label: str, cmd: list[str], cwd: Path, runs: int, ok: set[int]) -> tuple[str, list[float], int]:
    run_timed(cmd, cwd, ok)  # warm-up: .pyc, caches
    results = [run_timed(cmd, cwd, ok) for _ in range(runs)]
    return label, [t for t, _ in results], max(m for _, m in results)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--units", type=int, default=40)
    ap.add_argument("--annexes", type=int, default=200)
    ap.add_argument("--baseline-worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.baseline_worker:
        baseline_worker(*args.baseline_worker)
        return
    from generate_agency import generate

    py = [sys.executable]
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "asutus"
        generate(project, posts=args.posts, units=args.units, annexes=args.annexes)
        cli = [*py, "-m", "kaskkiri_builder"]
        rows = [
            measure("naive baseline (docxtpl per annex)",
                    [*py, __file__, "--baseline-worker", str(project), str(Path(tmp) / "naive")],
                    project, args.runs, {0}),
            measure("kaskkiri check suur", [*cli, "check", "suur"], project, args.runs, {0, 1}),
            measure("kaskkiri build suur --ainult-word", [*cli, "build", "suur", "--ainult-word"],
                    project, args.runs, {0, 1}),
        ]
    base = statistics.median(rows[0][1])
    print(f"agency: {args.posts} posts, {args.units} units, draft of {args.annexes} annexes; "
          f"median of {args.runs} runs (after one warm-up), fresh process each")
    for label, times, rss in rows:
        med = statistics.median(times)
        print(f"{label:36} median {med:6.2f} s ({', '.join(f'{t:.2f}' for t in times)})  "
              f"ratio to baseline {med / base:4.2f}  peak RSS {rss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()

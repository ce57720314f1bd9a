"""Rendering a directive's Word files on one core against every core (render_pool.py).

    .venv/bin/python benchmarks/render_speed.py [--runs 5] [--sizes 12,32,200]

For each size, a generated agency's draft of that many annexes (benchmarks/generate_agency.py)
is loaded and resolved once; then, in this process, `render_pool.rendered` is timed with the pool
off (the baseline: one process renders and verifies every file) and on. It prints each median and
the ratio pool/serial (below 1: the pool is faster). The bytes of both are compared, too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="12,32,200")
    args = parser.parse_args()

    from generate_agency import generate

    from kaskkiri_builder import render_pool
    from kaskkiri_builder.build import Project, load_and_resolve, source_project

    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{len(render_pool.os.sched_getaffinity(0))} cores; median of {args.runs} runs")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "asutus"
            generate(project, posts=max(300, size * 2), units=12, annexes=size)
            source = source_project(Project(project), "suur", lambda _: None)
            _defs, rd = load_and_resolve(source, "suur", project)
            names = ["kaskkiri.docx"] + [f"lisa-{a.number}.docx" for a in rd.annexes]
            times: dict[str, list[float]] = {"serial": [], "pool": []}
            made: dict[str, list[bytes]] = {}
            for _ in range(args.runs):
                for mode, least in (("serial", 10**9), ("pool", 1)):
                    render_pool.MIN_DOCUMENTS = least
                    start = time.perf_counter()
                    made[mode] = list(render_pool.rendered(rd, source.templates, names))
                    times[mode].append(time.perf_counter() - start)
            same = "same bytes" if made["serial"] == made["pool"] else "BYTES DIFFER"
            serial, pool = statistics.median(times["serial"]), statistics.median(times["pool"])
            print(f"{len(names):4d} documents: serial {serial:6.2f} s, pool {pool:6.2f} s "
                  f"({render_pool.workers(len(names)) if len(names) >= 2 else 1} processes), "
                  f"ratio {pool / serial:.2f}, {same}")


if __name__ == "__main__":
    main()

"""Times reading the definitions: libyaml's reader (definitions/fast_yaml.py) against ruamel's.

    .venv/bin/python benchmarks/load_speed.py [--runs 5] [--posts 1000]

In one process, alternating the two readers run by run: the baseline is the old loader, every
file read by ruamel's strict round trip (fast_yaml's reader switched off, as it is where PyYAML
has no libyaml). Two measures, each on the bundled example and on a generated agency
(benchmarks/generate_agency.py, 1000 posts): parsing every file (`read_yaml`, per file) and
`load_definitions` (parsing, reading the shapes, the cross-checks). Prints medians and ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from kaskkiri_builder.definitions import fast_yaml, load  # noqa: E402
from kaskkiri_builder.definitions import load_definitions as load_all  # noqa: E402


@contextmanager
def ruamel_only() -> Iterator[None]:
    """The old loader: every file goes to ruamel."""

    def never(text: str) -> Any:
        raise fast_yaml.Unsure

    saved = load.fast_load
    load.fast_load = never
    try:
        yield
    finally:
        load.fast_load = saved


def parse_all(files: list[Path]) -> Callable[[], None]:
    def run() -> None:
        for path in files:
            doc, problems = load.read_yaml(path, path.name)
            assert doc is not None, problems

    return run


def timed(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare(label: str, fn: Callable[[], None], runs: int, per: int = 1) -> None:
    """Median of `runs` runs of each reader, alternating; per: divide (per file)."""
    fn()  # warm-up
    with ruamel_only():
        fn()
    fast, slow = [], []
    for _ in range(runs):
        fast.append(timed(fn))
        with ruamel_only():
            slow.append(timed(fn))
    f, s = statistics.median(fast), statistics.median(slow)
    unit, scale = ("ms/file", 1000 / per) if per > 1 else ("s", 1.0)
    print(f"{label:<46} ruamel {s * scale:8.2f} {unit:<7}  libyaml {f * scale:8.2f} {unit:<7}  "
          f"ratio {f / s:5.3f} ({s / f:4.1f}x faster)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--posts", type=int, default=1000)
    args = ap.parse_args()
    if not fast_yaml.available():
        raise SystemExit("PyYAML has no libyaml here: there is nothing to compare.")

    import generate_agency

    with tempfile.TemporaryDirectory(prefix="kaskkiri-load-") as tmp:
        agency = Path(tmp) / "agency"
        sys.argv = ["generate_agency", str(agency), "--posts", str(args.posts)]
        generate_agency.main()
        print(f"median of {args.runs} runs, the two readers alternating; ratio: libyaml's time / ruamel's")
        projects = (("example", ROOT / "definitions"), (f"agency of {args.posts} posts", agency / "definitions"))
        for name, root in projects:
            files = sorted(root.rglob("*.yaml"))
            compare(f"{name}: parse {len(files)} files", parse_all(files), args.runs, per=len(files))
            compare(f"{name}: load_definitions", lambda root=root: load_all(root) and None, args.runs)


if __name__ == "__main__":
    main()

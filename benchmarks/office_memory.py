"""LibreOffice with and without kaskkiri's allocator settings (convert.LIBREOFFICE_MALLOC).

    .venv/bin/python benchmarks/office_memory.py [--runs 5]

Converts the 12 Word files of 2026-01 (the archive's) with the batch conversion, as a build does
(two processes), alternately with the settings (kaskkiri's default) and with glibc's defaults
(GLIBC_TUNABLES set empty), so that the machine's load hits both alike. Prints the medians of the
wall time and of LibreOffice's CPU time (user + system), their ratios, the largest LibreOffice
process, and whether both give the same PDF bytes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def convert_once(files: list[Path], out: Path, tunables: str | None) -> tuple[float, float]:
    """Wall and CPU seconds of one batch conversion (`tunables` None: kaskkiri's settings)."""
    from kaskkiri_builder.convert import convert_to_pdf

    saved = os.environ.pop("GLIBC_TUNABLES", None)
    if tunables is not None:
        os.environ["GLIBC_TUNABLES"] = tunables
    try:
        cpu, start = _children_cpu(), time.perf_counter()
        convert_to_pdf(files, out, clock=datetime(2026, 1, 7, 12, 0))
        return time.perf_counter() - start, _children_cpu() - cpu
    finally:
        os.environ.pop("GLIBC_TUNABLES", None)
        if saved is not None:
            os.environ["GLIBC_TUNABLES"] = saved


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    files = sorted((ROOT / "arhiiv/2026-01/kinnitatud").glob("*.docx"))
    runs: dict[str, list[tuple[float, float]]] = {"tuned": [], "default": []}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        convert_once(files, tmp / "warm-up", None)  # fonts, disk cache
        for _ in range(args.runs):
            runs["tuned"].append(convert_once(files, tmp / "tuned", None))
            runs["default"].append(convert_once(files, tmp / "default", ""))
        same = all((tmp / "tuned" / f.with_suffix(".pdf").name).read_bytes()
                   == (tmp / "default" / f.with_suffix(".pdf").name).read_bytes() for f in files)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in runs.items()}
    for key, label in (("tuned", "kaskkiri's allocator settings"), ("default", "glibc's defaults")):
        walls = ", ".join(f"{w:.2f}" for w, _ in runs[key])
        print(f"{len(files)} files, {label:30} median {med[key][0]:.2f} s wall, "
              f"{med[key][1]:.2f} s CPU  [{walls}]")
    print(f"ratio default / tuned: wall {med['default'][0] / med['tuned'][0]:.2f}x, "
          f"CPU {med['default'][1] / med['tuned'][1]:.2f}x; largest LibreOffice process "
          f"{peak} MiB (either setting); same PDF bytes: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()

"""Times the full `kaskkiri build 2026-01` against a naive baseline, in the same run, and the
conversion of its 12 Word files by the batch and the resident LibreOffice.

    .venv/bin/python benchmarks/build_speed.py [--runs 5] [--only-conversion]

Full build: the real command (a fresh process each time, as a user runs it): Word files, PDFs,
signing PDF, container, manifest. Baseline: what a straightforward script would do with the same
input: docxtpl per file (a template loaded per document), one `soffice` call per file, and a
plain pypdf merge. Both run on a private copy of the example (the build converts in batch; the
resident LibreOffice serves `watch`). Conversion alone (the runs interleaved): the batch conversion
(`convert_to_pdf`, two processes); a resident office started, used and stopped (what one build
pays); the same office converting again (what `watch` pays), with libfaketime's clock file and
without libfaketime (its cost). Prints the medians and the ratios; absolute times depend on the
machine, the ratios much less.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def full_build(project: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "kaskkiri_builder", "build", "2026-01"],
        cwd=project, capture_output=True, text=True, env={**os.environ, **(env or {})},
    )
    elapsed = time.perf_counter() - start
    if r.returncode != 0:
        raise SystemExit(f"build failed:\n{r.stderr}")
    return elapsed


def full_and_baseline(tmp: Path, runs: int, baseline_runs: int) -> tuple[list[float], list[float]]:
    """On a private copy of the example (its archive too): full builds of 2026-01 with every
    cache off, after a warm-up, and the naive baseline's runs."""
    project = tmp / "projekt"
    project.mkdir()
    for sub in ("definitions", "templates", "arhiiv"):
        if (ROOT / sub).exists():
            shutil.copytree(ROOT / sub, project / sub)
    off = {"KASKKIRI_CACHE": ""}
    full_build(project, off)  # warm-up: fonts, .pyc
    fulls = [full_build(project, off) for _ in range(runs)]
    return fulls, [baseline(project, tmp / "baseline") for _ in range(baseline_runs)]


def baseline(project: Path, work: Path) -> float:
    """docxtpl per file, one soffice call per file, plain merge."""
    from docxtpl import DocxTemplate
    from pypdf import PdfWriter

    from kaskkiri_builder.definitions import load_definitions
    from kaskkiri_builder.render import annex_context, directive_context
    from kaskkiri_builder.resolve import resolve_directive

    start = time.perf_counter()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir()
    rd = resolve_directive(load_definitions(project / "definitions"), "2026-01")
    docs = []
    tpl = DocxTemplate(str(project / "templates/kaskkiri.docx"))
    tpl.render(directive_context(rd), autoescape=True)
    tpl.save(work / "kaskkiri.docx")
    docs.append(work / "kaskkiri.docx")
    for a in rd.annexes:
        tpl = DocxTemplate(str(project / "templates/ametijuhend.docx"))
        tpl.render(annex_context(rd, a), autoescape=True)
        path = work / f"lisa-{a.number:02d}.docx"
        tpl.save(path)
        docs.append(path)
    for d in docs:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", str(work), str(d)],
            capture_output=True, check=True,
        )
    writer = PdfWriter()
    for d in docs:
        writer.append(str(d.with_suffix(".pdf")))
    with open(work / "koos.pdf", "wb") as f:
        writer.write(f)
    return time.perf_counter() - start


def conversions(tmp: Path, runs: int) -> dict[str, list[float]]:
    """The 12 Word files of 2026-01 → PDF: batch, resident (cold; warm with one and with two
    offices; warm without libfaketime), interleaved run by run so that the machine's load hits
    all alike."""
    from datetime import datetime

    from kaskkiri_builder.convert import FAKETIME_VAR, convert_to_pdf, default_workers
    from kaskkiri_builder.resident import ResidentConverter

    files = sorted((ROOT / "arhiiv/2026-01/kinnitatud").glob("*.docx"))
    clock = datetime(2026, 1, 15, 12, 0)
    # A running converter remembers the PDFs it made (by Word bytes and clock): each run asks
    # for another day, so that every run converts.
    days = [datetime(2026, 2, 1 + k, 12, 0) for k in range(runs)]
    times: dict[str, list[float]] = {k: [] for k in ("batch", "cold", "warm1", "warm2", "nofake")}

    def timed(key: str, work: Callable[[], object]) -> None:
        start = time.perf_counter()
        work()
        times[key].append(time.perf_counter() - start)

    def cold() -> None:  # what one build pays (it overlaps the start with writing Word files)
        with ResidentConverter(offices=default_workers(len(files))) as c:
            c.start(clock)
            c.convert_all(files, tmp / "cold", clock=clock)

    saved = os.environ.get(FAKETIME_VAR)
    os.environ[FAKETIME_VAR] = ""
    nofake = ResidentConverter()  # reads KASKKIRI_FAKETIME once, as it is made
    if saved is None:
        del os.environ[FAKETIME_VAR]
    else:
        os.environ[FAKETIME_VAR] = saved
    with ResidentConverter() as warm1, ResidentConverter(offices=2) as warm2, nofake:
        for c, key in ((warm1, "warm1"), (warm2, "warm2"), (nofake, "nofake")):
            c.convert_all(files, tmp / key, clock=clock)  # start-up and first use: not timed
        for day in days:
            timed("batch", lambda: convert_to_pdf(files, tmp / "batch", clock=clock))
            timed("cold", cold)
            for c, key in ((warm1, "warm1"), (warm2, "warm2"), (nofake, "nofake")):
                timed(key, lambda c=c, key=key, day=day: c.convert_all(files, tmp / key, clock=day))
        assert warm1.restarts == warm2.restarts == nofake.restarts == 0
    return times


def _line(label: str, xs: list[float]) -> str:
    return (f"{label:<44} median {statistics.median(xs):.2f} s over {len(xs)} runs "
            f"({', '.join(f'{x:.2f}' for x in xs)})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline-runs", type=int, default=3)
    ap.add_argument("--only-conversion", action="store_true", help="skip the full builds")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        conv = conversions(Path(tmp), args.runs)
        if not args.only_conversion:
            fulls, bases = full_and_baseline(Path(tmp), args.runs, args.baseline_runs)
    n = len(sorted((ROOT / "arhiiv/2026-01/kinnitatud").glob("*.docx")))
    b, c, w1, w2, nf = (statistics.median(conv[k]) for k in ("batch", "cold", "warm1", "warm2", "nofake"))
    print(_line(f"convert {n} files, batch (2 processes):", conv["batch"]))
    print(_line("resident, 2 offices started+used+stopped:", conv["cold"]))
    print(_line("resident, 1 office already running:", conv["warm1"]))
    print(_line("resident, 2 offices already running:", conv["warm2"]))
    print(_line("resident, 1 office, without libfaketime:", conv["nofake"]))
    print(f"ratio batch / resident cold: {b / c:.2f}x; batch / resident warm: {b / w1:.1f}x (1 office), "
          f"{b / w2:.1f}x (2); resident warm {1000 * w1 / n:.0f} ms a file; libfaketime's clock file "
          f"costs {1000 * (w1 - nf) / n:+.0f} ms a file")
    if args.only_conversion:
        return
    f, bl = statistics.median(fulls), statistics.median(bases)
    print(_line("full build (kaskkiri build 2026-01, no cache):", fulls))
    print(_line("naive baseline:", bases))
    print(f"ratio baseline / full: {bl / f:.1f}x")


if __name__ == "__main__":
    main()

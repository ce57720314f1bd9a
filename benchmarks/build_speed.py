"""Times the full `kaskkiri build 2026-01` against a naive baseline, in the same run.

    .venv/bin/python benchmarks/build_speed.py [--runs 5]

Full build: the real command (a fresh process each time, as a user runs it): Word files, PDFs,
signing PDF, container, manifest. Baseline: what a straightforward script would do with the same
input: docxtpl per file (a template loaded per document), one `soffice` call per file, and a
plain pypdf merge. Both run on a private copy of the example. Prints the medians and the ratio;
absolute times depend on the machine, the ratio much less.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def full_build(project: Path) -> float:
    start = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "kaskkiri_builder", "build", "2026-01"],
        cwd=project, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    if r.returncode != 0:
        raise SystemExit(f"build failed:\n{r.stderr}")
    return elapsed


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline-runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "projekt"
        project.mkdir()
        for sub in ("definitions", "templates", "arhiiv"):
            if (ROOT / sub).exists():
                shutil.copytree(ROOT / sub, project / sub)
        full_build(project)  # warm-up: caches, fonts, .pyc
        fulls = [full_build(project) for _ in range(args.runs)]
        bases = [baseline(project, Path(tmp) / "baseline") for _ in range(args.baseline_runs)]
    f, b = statistics.median(fulls), statistics.median(bases)
    print(f"full build (kaskkiri build 2026-01): median {f:.2f} s over {len(fulls)} runs "
          f"({', '.join(f'{x:.2f}' for x in fulls)})")
    print(f"naive baseline:                      median {b:.2f} s over {len(bases)} runs "
          f"({', '.join(f'{x:.2f}' for x in bases)})")
    print(f"ratio baseline / full: {b / f:.1f}x")


if __name__ == "__main__":
    main()

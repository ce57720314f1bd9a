"""Time of `kaskkiri import ametijuhend` per document, on 500 generated job descriptions.

    PYTHONPATH=src .venv/bin/python benchmarks/import_bench.py [--docs 500]

generate_agency.py makes an agency whose draft `suur` approves DOCS posts; its Word annexes are
built (--ainult-word) and then imported into a project holding only the agency's
organisatsioon.yaml, templates and clause library. The baseline, measured in the same run, is
reading the same files' text (docx_text): the least any import must do. Printed: time per
document for both (wall clock, and CPU time, which other processes on a shared machine disturb
less), their ratios, and how many duties became clause references. The import's wall time
includes writing the post files durably (staged_write.py: one flush to disk for all of them),
which the baseline does not do.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_agency import generate  # noqa: E402

from kaskkiri_builder.build import Project, build  # noqa: E402
from kaskkiri_builder.definitions import load_definitions  # noqa: E402
from kaskkiri_builder.docx_text import docx_text  # noqa: E402
from kaskkiri_builder.importing.run import import_job_descriptions  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=500)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        agency = Path(tmp) / "agency"
        generate(agency, posts=a.docs * 2 + 100, units=4, ledger_size=20, annexes=a.docs, seed=1)
        t = time.perf_counter()
        build(Project(agency), "suur", word_only=True)
        print(f"built {a.docs} Word annexes in {time.perf_counter() - t:.1f} s")
        files = sorted((agency / "output" / "suur").glob("lisa-*.docx"))
        target = Path(tmp) / "target"
        (target / "definitions").mkdir(parents=True)
        shutil.copy(agency / "definitions" / "organisatsioon.yaml", target / "definitions")
        shutil.copytree(agency / "definitions" / "klauslid", target / "definitions" / "klauslid")
        shutil.copytree(agency / "templates", target / "templates")

        t, c = time.perf_counter(), time.process_time()
        for f in files:
            docx_text(f)
        base, base_cpu = ((time.perf_counter() - t) / len(files), (time.process_time() - c) / len(files))

        t, c = time.perf_counter(), time.process_time()
        result = import_job_descriptions(target, files)
        per_doc, per_doc_cpu = ((time.perf_counter() - t) / len(files), (time.process_time() - c) / len(files))

        defs = load_definitions(target / "definitions", target)
        duties = [d for p in defs.posts.values() for d in p.duties]
        refs = sum(d.clause_id is not None for d in duties)
        print(f"documents: {len(files)}, post files written: {len(defs.posts)}, report lines: {len(result.report)}")
        print(f"baseline (docx_text): {base * 1000:.1f} ms/document wall, {base_cpu * 1000:.1f} ms CPU")
        print(f"import ametijuhend:   {per_doc * 1000:.1f} ms/document wall ({per_doc / base:.1f}x baseline), "
              f"{per_doc_cpu * 1000:.1f} ms CPU ({per_doc_cpu / base_cpu:.1f}x baseline)")
        print(f"duties as clause references: {refs}/{len(duties)}")


if __name__ == "__main__":
    main()

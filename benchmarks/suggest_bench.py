"""Times `klauslid soovita`'s search (suggest.suggest) on generated agencies of growing size.

    .venv/bin/python benchmarks/suggest_bench.py [--posts 250,500,1000]

Each agency (benchmarks/generate_agency.py) has every clause reference written out as the post's
own text first (what importing job descriptions gives), so every duty is a candidate; in a share
of the duties (`--vary`, 0.3) one word is inserted at a random place, as posts word the same duty
a little differently, so that there are many distinct near-identical texts. For each
size it prints the time of the search, the number of duties and of proposed clauses, and the
ratio of the time to the smallest size's: a quadratic search would grow 4x per doubling. The
baseline, in the same run on the smallest agency: comparing every pair of distinct duty texts
once (difflib over words), the least an all-pairs search does.
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate_agency import generate  # noqa: E402
from ruamel.yaml.comments import CommentedMap, CommentedSeq  # noqa: E402

from kaskkiri_builder.definitions import load_definitions  # noqa: E402
from kaskkiri_builder.definitions.model import Definitions  # noqa: E402
from kaskkiri_builder.resolve import Resolver  # noqa: E402
from kaskkiri_builder.suggest import suggest  # noqa: E402
from kaskkiri_builder.suggest_apply import _dump, _yaml  # noqa: E402

EXTRA = ("vajadusel", "regulaarselt", "iseseisvalt", "põhjalikult", "koostöös", "kiiresti")


def written_out(out: Path, posts: int, vary: float) -> Definitions:
    """A generated agency with every duty clause written out as plain text, loaded."""
    generate(out, posts=posts, units=max(4, posts // 25), ledger_size=5, annexes=1)
    defs = load_definitions(out / "definitions")
    resolver = Resolver(defs)
    rng = random.Random(posts)
    for post in defs.posts.values():
        if not post.duties:
            continue
        path = out / post.source.file
        data = _yaml().load(path.read_text(encoding="utf-8"))
        ctx = resolver.post_context(post)
        for i, duty in enumerate(post.duties):
            if duty.clause_id is not None:
                d = resolver.duty(post, i + 1, ctx)
                own = CommentedMap()
                words = d.text.split(" ")
                if rng.random() < vary:
                    words.insert(rng.randrange(1, len(words)), rng.choice(EXTRA))
                own["ulesanne"] = " ".join(words)
                own["tulemused"] = CommentedSeq(d.results)
                data["ulesanded"][i] = own
        path.write_text(_dump(data), encoding="utf-8")
    return load_definitions(out / "definitions")


def all_pairs(defs: Definitions) -> float:
    texts = sorted({d.text.value for p in defs.posts.values() for d in p.duties if d.text is not None})
    words = [t.split() for t in texts]
    start = time.perf_counter()
    for i in range(len(words)):
        for j in range(i + 1, len(words)):
            difflib.SequenceMatcher(None, words[i], words[j], autojunk=False).ratio()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", default="250,500,1000")
    ap.add_argument("--vary", type=float, default=0.3)
    args = ap.parse_args()
    sizes = [int(x) for x in args.posts.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            defs = written_out(Path(tmp) / f"a{n}", n, args.vary)
            duties = sum(len(p.duties) for p in defs.posts.values())
            start = time.perf_counter()
            proposal = suggest(defs)
            took = time.perf_counter() - start
            rows.append((n, duties, len(proposal.suggestions), took,
                         proposal.covered_after / max(1, proposal.total)))
            if n == sizes[0]:
                baseline = all_pairs(defs)
    first = rows[0][3]
    print(f"all-pairs baseline ({sizes[0]} posts): {baseline:.2f} s")
    print("posts  duties  clauses  search s  x smallest  x baseline  covered after")
    for n, duties, clauses, took, covered in rows:
        print(f"{n:5}  {duties:6}  {clauses:7}  {took:8.2f}  {took / first:10.2f}  {took / baseline:10.2f}"
              f"  {covered:12.0%}")


if __name__ == "__main__":
    main()

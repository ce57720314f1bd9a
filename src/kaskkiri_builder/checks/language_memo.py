"""Spelling and grammar findings remembered between runs.

The two checks need Vabamorf, whose import and lexicon cost over a second, more than the rest of
a Word-only build. Their findings are a function of the texts checked (with their places) and of
the checker itself, so a run whose texts are all as before takes them from the user's cache
folder and never loads Vabamorf; any changed text, word list, checker code or estnltk version
gives another key, and the checks run. The build's summary and `kaskkiri check` thus always
count the same findings, whichever of them ran the checks.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Sequence
from importlib import metadata, resources

from ..user_cache import cache_file, prune, write_atomically
from .findings import Finding, TextSpot

#: The folder in the cache and how many runs' results it keeps (a few KB each).
FOLDER = "oigekeel"
KEEP = 200
#: The package files whose change changes the findings.
_CHECKER_FILES = ("checks/spelling.py", "checks/grammar.py", "checks/sonad.txt", "checks/vaared.txt")


def _checker_fingerprint() -> bytes:
    package = resources.files("kaskkiri_builder")
    h = hashlib.sha256()
    for name in _CHECKER_FILES:
        h.update(name.encode() + b"\0" + package.joinpath(name).read_bytes() + b"\0")
    try:
        h.update(metadata.version("estnltk").encode())
    except metadata.PackageNotFoundError:
        h.update(b"no estnltk")
    return h.digest()


def memo_key(spots: Sequence[TextSpot]) -> str:
    """What the findings of `spots` depend on, as one hex digest."""
    h = hashlib.sha256(_checker_fingerprint())
    for s in spots:
        h.update(repr((s.text, s.file, s.line, s.annex, s.field, s.subject)).encode() + b"\n")
    return h.hexdigest()


def remembered(spots: Sequence[TextSpot], compute: Callable[[Sequence[TextSpot]], list[Finding]]
               ) -> list[Finding]:
    """`compute(spots)`, or what it returned for the same spots and checker before."""
    path = cache_file(FOLDER, f"{memo_key(spots)}.pickle")
    if path is not None:
        try:
            found = pickle.loads(path.read_bytes())
            if isinstance(found, list) and all(isinstance(f, Finding) for f in found):
                path.touch()  # recently used: pruned last
                return found
        except Exception:  # noqa: BLE001 - missing, half-written or from another version: compute
            pass
    findings = compute(spots)
    if path is not None:
        try:
            write_atomically(path, pickle.dumps(findings, protocol=pickle.HIGHEST_PROTOCOL))
            prune(path.parent, KEEP)
        except OSError:
            pass  # a read-only or full cache folder costs time, never a result
    return findings

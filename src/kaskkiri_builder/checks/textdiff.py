"""Word-level comparison of two texts, for messages that show exactly which words differ.

Texts are compared as whitespace-separated words (punctuation stays on its word), so that a
message can quote a short fragment as written and as it should be. Line breaks and runs of
spaces never count as a difference. `similarity` is the one measure of "close to a clause":
the checks and the review page both decide with it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from .findings import Quote

_PUNCT_NAMES = {",": "koma", ".": "punkt", ";": "semikoolon", ":": "koolon"}


def norm(text: str) -> str:
    """Whitespace folded: what a reader sees, whatever the YAML line breaks were."""
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    return norm(text).split(" ") if norm(text) else []


def _matcher(a: str, b: str) -> difflib.SequenceMatcher[str]:
    return difflib.SequenceMatcher(None, words(a), words(b), autojunk=False)


def similarity(a: str, b: str) -> float:
    """Share of words in common (difflib ratio over words): 1.0 for the same text."""
    return _matcher(a, b).ratio()


def similarity_at_least(a: Sequence[str], b: Sequence[str], floor: float) -> float | None:
    """`similarity` of two texts already split by `words`, or None when it is below `floor`.

    The same measure; cheap upper bounds first, so that comparing one text with many (every own
    duty with every clause rendering) skips most of them without the full comparison.
    """
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < floor or m.quick_ratio() < floor:
        return None
    sim = m.ratio()
    return sim if sim >= floor else None


def changed_words(a: str, b: str) -> int:
    """How many words differ (the larger side of every change)."""
    n_a = n_b = 0
    for tag, i1, i2, j1, j2 in _matcher(a, b).get_opcodes():
        if tag != "equal":
            n_a += i2 - i1
            n_b += j2 - j1
    return max(n_a, n_b)


NEAR_MISS_RATIO = 0.75  # share of words in common for a "slightly different wording"


def near_miss(a: str, b: str, *, ratio: float = NEAR_MISS_RATIO, share: float = 0.2) -> bool:
    """Whether `a` is a slightly different wording of `b`: most words shared, few changed.

    A change of up to two words always counts as slight; in longer texts up to `share` of the
    words. Identical texts are not a near miss (nothing to report).
    """
    if norm(a) == norm(b):
        return False
    longest = max(len(words(a)), len(words(b)))
    return similarity(a, b) >= ratio and changed_words(a, b) <= max(2, round(share * longest))


def changes(a: str, b: str, context: int = 1) -> list[tuple[str, str]]:
    """The differing fragments as (in a, in b), each with `context` equal words around it."""
    wa, wb = words(a), words(b)
    out: list[tuple[str, str]] = []
    for group in _matcher(a, b).get_grouped_opcodes(context):
        i1, i2 = group[0][1], group[-1][2]
        j1, j2 = group[0][3], group[-1][4]
        out.append((" ".join(wa[i1:i2]), " ".join(wb[j1:j2])))
    return out


def slip(a: str, b: str) -> bool:
    """Whether every change is a slip of the pen rather than a rewording.

    A slip: a word misspelt or in another form ("supervisoonides", "tulemuslik täitmine"), or
    punctuation. A rewording adds, drops or replaces whole words ("töötajat" for "teda").
    """
    wa, wb = words(a), words(b)
    for tag, i1, i2, j1, j2 in _matcher(a, b).get_opcodes():
        if tag == "equal":
            continue
        xa, xb = wa[i1:i2], wb[j1:j2]
        if all(not re.search(r"\w", w) for w in xa + xb):
            continue  # punctuation only
        if tag == "replace" and len(xa) == len(xb) and all(
            difflib.SequenceMatcher(None, x.lower(), y.lower(), autojunk=False).ratio() >= 0.75
            for x, y in zip(xa, xb, strict=True)
        ):
            continue
        return False
    return True


def closeness(a: str, b: str) -> tuple[float, float]:
    """Sort key for "which of these is closest": words first, then characters."""
    return (similarity(a, b), difflib.SequenceMatcher(None, norm(a), norm(b), autojunk=False).ratio())


def _only_punctuation_added(a: str, b: str) -> str | None:
    """The punctuation mark that `b` adds to `a` when that is the whole difference, else None."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    added: list[str] = []
    for tag, _i1, _i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if tag != "insert":
            return None
        added.append(b[j1:j2])
    if len(added) == 1 and added[0] in _PUNCT_NAMES:
        return added[0]
    return None


DESCRIBED = 3  # how many differing fragments `describe` quotes


def quotes(a: str, b: str, limit: int = DESCRIBED) -> tuple[Quote, ...]:
    """The fragments `describe` quotes: (in a, in b), and the mark `a` lacks if that is all."""
    return tuple(_quote(x, y) for x, y in changes(a, b)[:limit])


def _quote(written: str, wanted: str) -> Quote:
    return Quote(written, wanted, _only_punctuation_added(written, wanted))


def describe(a: str, b: str, *, here: str = "siin", there: str = "peaks olema", limit: int = DESCRIBED) -> str:
    """Estonian: how `a` differs from `b`, fragment by fragment ('siin "X", peaks olema "Y"').

    `here` and `there` label the two sides. A fragment that lacks only a comma or a full stop
    says so. At most `limit` fragments are quoted (`quotes`); the rest are counted.
    """
    parts: list[str] = []
    pairs = changes(a, b)
    for q in (_quote(x, y) for x, y in pairs[:limit]):
        if q.missing is not None:
            prefix = f"puudub {_PUNCT_NAMES[q.missing]}: "
        elif q.written.lower() == (q.wanted or "").lower():
            prefix = "erineb suur- ja väiketäht: "
        else:
            prefix = ""
        parts.append(f'{prefix}{here} "{q.written}", {there} "{q.wanted}"')
    if len(pairs) > limit:
        parts.append(f"ja veel {len(pairs) - limit} erinevust")
    return "; ".join(parts)

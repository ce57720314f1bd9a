"""Proposing shared clauses: duty texts that several posts write out themselves.

Job descriptions written (or imported) one by one repeat the same duties word for word, or with a
few words changed ("pädevuse" / "pädevuste"). Such a duty is better one shared clause: changed in
one place, the same in every post. This module finds those duties and says, for each, the clause
(its text with `{{ parameters }}` where the posts differ) and how each post would refer to it.

Only whole words become parameters, and a proposal is kept only when rendering the clause with
each post's values gives that post's text exactly (checked with the same Jinja the build uses),
so the documents do not change by a character when the proposal is applied (suggest_apply.py).

A duty that a clause of the library already gives word for word (with its defaults or with
parameters some post gives it) is not proposed anew: it becomes a reference to that clause, found
by the import's clause matching (importing/match.py), which renders the clause in the post's own
context.

Cost: identical texts are grouped by hash; near-identical ones are found through a few sampled
word-trigram keys per text (a bottom-k sketch) and compared only within a shared key, with the
key's first text and with its neighbour, so 1000 posts are not 12 000² comparisons.
Pure: the definitions arrive as values, nothing is read or written.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .clause_text import _compiled
from .definitions.load import Source
from .definitions.model import Definitions, DutyClause, Post
from .importing.match import ClauseMatcher, _param_sets
from .resolve import Resolver, clause_params

MIN_WORDS = 4  # shorter texts are not compared for near matches (identical ones still count)
MAX_SLOTS = 3  # parameters of one text of a clause
MAX_SLOT_WORDS = 6  # words of one parameter value
VARYING_SHARE = 0.35  # at most this share of a text's words may be parameter values
SKETCH = 4  # sampled trigram keys per text
#: Names the post's context already gives a clause (resolve.text_context) and Jinja's own words.
RESERVED = frozenset({
    "yksus", "ulemyksus", "yksused", "asutus", "ametikoht", "true", "false", "none", "and", "or",
    "not", "in", "is", "if", "else", "elif", "endif", "for", "endfor", "loop", "self", "range",
    "dict", "set", "with", "block", "macro", "import", "include", "raw", "do",
})
_STOP = frozenset({"ja", "ning", "sh", "või", "ka", "oma", "see", "nende", "vastavalt", "muude"})


# --- the result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyUse:
    """One post's duty that would become a reference to the proposed clause."""

    post_id: str
    index: int  # 0-based position in the post's `ulesanded`
    source: Source  # the duty's line
    values: dict[str, str]  # every parameter's value in this post (the report shows them)
    params: dict[str, str]  # what the post must give: the values that differ from the defaults
    own_results: tuple[str, ...] | None  # the post keeps its own results (they differ)
    chars: int  # characters of the duty text (and of the results, when the clause's) covered


@dataclass(frozen=True)
class Suggestion:
    """A proposed duty clause and the duties that would refer to it."""

    clause_id: str
    description: str
    text: str  # the clause text, Jinja ("… oskuste ja {{ padevus }} piires …")
    results: tuple[str, ...]
    defaults: dict[str, str]
    uses: tuple[DutyUse, ...]

    @property
    def posts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(u.post_id for u in self.uses))

    def place(self, use: DutyUse) -> str:
        return f"2.{use.index + 1}."


@dataclass(frozen=True)
class LibraryUse:
    """A post's own duty that a clause of the library already gives: it becomes a reference."""

    post_id: str
    index: int  # 0-based position in the post's `ulesanded`
    source: Source
    clause_id: str
    params: dict[str, Any]  # what the post must give the clause (empty: its defaults)
    own_results: tuple[str, ...] | None  # the post keeps its own results (they differ)
    chars: int

    @property
    def place(self) -> str:
        return f"2.{self.index + 1}."


@dataclass(frozen=True)
class Proposal:
    suggestions: tuple[Suggestion, ...]
    covered: int  # characters of duty text the posts' clause references give now
    total: int  # characters of all duty text (texts and results)
    library: tuple[LibraryUse, ...] = ()  # own duties equal to a clause already in the library

    @property
    def covered_after(self) -> int:
        return (self.covered + sum(u.chars for s in self.suggestions for u in s.uses)
                + sum(u.chars for u in self.library))

    @property
    def changes(self) -> bool:
        """Whether `--rakenda` would change anything."""
        return bool(self.suggestions or self.library)


# --- words and templates ------------------------------------------------------------------------


def _plain(text: str) -> bool:
    """Text that may be cut into words and parameters: no Jinja, single spaces only."""
    return "{" not in text and "}" not in text and text == " ".join(text.split())


@dataclass(frozen=True)
class _Template:
    """Words of the reference text, some runs of which are slots (parameters)."""

    words: tuple[str, ...]
    slots: tuple[tuple[int, int], ...]  # [start, end) in `words`, in order
    values: dict[str, tuple[str, ...]]  # member text -> its value of each slot

    def jinja(self, names: Sequence[str]) -> str:
        out: list[str] = []
        pos = 0
        for (a, b), name in zip(self.slots, names, strict=True):
            out.extend(self.words[pos:a])
            out.append(f"{{{{ {name} }}}}")
            pos = b
        out.extend(self.words[pos:])
        return " ".join(out)


@lru_cache(maxsize=65536)
def _match(ref: tuple[str, ...], other: tuple[str, ...]) -> tuple[list[tuple[str, int, int, int, int]], dict[int, int]]:
    """The word opcodes of `other` against `ref`, and where each matched word of `ref` is in it."""
    m = difflib.SequenceMatcher(None, ref, other, autojunk=False)
    mapped = {b.a + k: b.b + k for b in m.get_matching_blocks() for k in range(b.size)}
    return [(str(tag), i1, i2, j1, j2) for tag, i1, i2, j1, j2 in m.get_opcodes()], mapped


def _marks(ref: Sequence[str], ops: list[tuple[str, int, int, int, int]], marks: set[int]) -> None:
    """The reference's words a member changes; an insertion marks a neighbour, so that every
    parameter value is a non-empty run of whole words."""
    n = len(ref)
    for tag, i1, i2, _j1, _j2 in ops:
        if tag == "equal":
            continue
        if i1 < i2:
            marks.update(range(i1, i2))
        else:
            marks.add(i1 if i1 < n else n - 1)


def _runs(marks: set[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for i in sorted(marks):
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _values(ref: tuple[str, ...], member: tuple[str, ...],
            slots: list[tuple[int, int]]) -> tuple[tuple[str, ...] | None, set[int]]:
    """The member's words in each slot, when its other words are exactly the reference's; and the
    slots it leaves empty (a word the member lacks: the slot must take a neighbour too)."""
    mapped = _match(ref, member)[1]
    fixed = [i for i in range(len(ref)) if not any(a <= i < b for a, b in slots)]
    if any(i not in mapped for i in fixed):
        return None, set()
    for x, y in zip(fixed, fixed[1:], strict=False):
        if y == x + 1 and mapped[y] != mapped[x] + 1:
            return None, set()
    if fixed and fixed[0] == 0 and mapped[0] != 0:
        return None, set()
    if fixed and fixed[-1] == len(ref) - 1 and mapped[fixed[-1]] != len(member) - 1:
        return None, set()
    values: list[str] = []
    empty: set[int] = set()
    for k, (a, b) in enumerate(slots):
        start = mapped[a - 1] + 1 if a > 0 else 0
        end = mapped[b] if b < len(ref) else len(member)
        if end <= start:
            empty.add(k)
        values.append(" ".join(member[start:end]))
    return tuple(values), empty


def _template(ref: str, members: Sequence[str]) -> _Template | None:
    """One template for `ref` and `members` (plain texts), or None when they differ too much."""
    rw = tuple(ref.split(" "))
    split = {m: tuple(m.split(" ")) for m in [ref, *members]}
    marks: set[int] = set()
    for m in members:
        if m != ref:
            _marks(rw, _match(rw, split[m])[0], marks)
    for _ in range(len(rw)):
        slots = _runs(marks)
        if len(slots) > MAX_SLOTS or len(rw) - len(marks) < max(3, len(rw) // 2):
            return None
        values: dict[str, tuple[str, ...]] = {}
        widen: set[int] = set()
        for m in split:
            got, empty = _values(rw, split[m], slots)
            if got is None:
                return None
            values[m] = got
            for k in empty:
                a, b = slots[k]
                widen.add(b if b < len(rw) else a - 1)
        if widen:
            if any(i < 0 for i in widen):
                return None
            marks |= widen
            continue
        if not _within_bounds(values, split):
            return None
        return _Template(rw, tuple(slots), values)
    return None


def _within_bounds(values: dict[str, tuple[str, ...]], split: dict[str, tuple[str, ...]]) -> bool:
    for text, vals in values.items():
        words = split[text]
        varying = sum(len(v.split(" ")) for v in vals)
        if any(len(v.split(" ")) > MAX_SLOT_WORDS for v in vals):
            return False
        if varying > max(2, round(VARYING_SHARE * len(words))):
            return False
    return True


def _renders(template: str, values: dict[str, str], expected: str) -> bool:
    """Whether the build's Jinja gives `expected` from the template: the final word on a slot."""
    return _rendered(template, tuple(sorted(values.items()))) == expected


@lru_cache(maxsize=65536)
def _rendered(template: str, values: tuple[tuple[str, str], ...]) -> str | None:
    """The template rendered as the build renders a clause (many posts give the same values)."""
    if "{" not in template:
        return template
    try:
        return str(_compiled(template).render(dict(values)))
    except Exception:  # noqa: BLE001 - any failure means: do not propose this
        return None


# --- finding near matches -----------------------------------------------------------------------


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def _keys(text: str) -> set[tuple[str, int]]:
    """Blocking keys: the first and last three words and the SKETCH smallest trigram hashes."""
    words = text.split(" ")
    keys = {("a", _hash(" ".join(words[:3]))), ("z", _hash(" ".join(words[-3:])))}
    grams = sorted({_hash(" ".join(words[i:i + 3])) for i in range(len(words) - 2)})
    keys.update(("g", h) for h in grams[:SKETCH])
    return keys


def _near(a: Sequence[str], b: Sequence[str]) -> bool:
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return m.real_quick_ratio() >= 0.6 and m.quick_ratio() >= 0.6 and m.ratio() >= 0.6


class _Sets:
    """Union-find over text indices."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _components(texts: Sequence[str]) -> list[list[int]]:
    """Groups of texts that may be one clause (indices into `texts`); single texts too."""
    words = [t.split(" ") for t in texts]
    buckets: dict[tuple[str, int], list[int]] = {}
    for i, t in enumerate(texts):
        if _plain(t) and len(words[i]) >= MIN_WORDS:
            for key in _keys(t):
                buckets.setdefault(key, []).append(i)
    sets = _Sets(len(texts))
    for members in buckets.values():
        for k in range(1, len(members)):
            for other in {members[0], members[k - 1]}:
                i = members[k]
                if sets.find(i) != sets.find(other) and _near(words[other], words[i]):
                    sets.union(i, other)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(sets.find(i), []).append(i)
    return list(groups.values())


# --- the proposal -------------------------------------------------------------------------------


@dataclass
class _Duty:
    post_id: str
    index: int
    source: Source
    text: str
    results: tuple[str, ...]


@dataclass
class _Group:
    text: _Template | None  # None: one text, identical in every use
    ref: str
    duties: list[_Duty] = field(default_factory=list)


def _own_duties(defs: Definitions) -> list[_Duty]:
    out: list[_Duty] = []
    for post in sorted(defs.posts.values(), key=lambda p: p.id):
        for i, duty in enumerate(post.duties):
            if duty.clause_id is None and duty.text is not None:
                results = tuple(r.value for r in duty.results or ())
                out.append(_Duty(post.id, i, duty.source, duty.text.value, results))
    return out


def _groups(duties: list[_Duty]) -> list[_Group]:
    by_text: dict[str, list[_Duty]] = {}
    for d in duties:
        by_text.setdefault(d.text, []).append(d)
    texts = sorted(by_text)
    groups: list[_Group] = []
    for component in _components(texts):
        left = sorted((texts[i] for i in component), key=lambda t: (-len(by_text[t]), t))
        while left:
            ref = left[0]
            rw = ref.split(" ")
            members = [ref]
            if len(left) > 1 and _plain(ref):
                others = sorted(left[1:], key=lambda t: (-difflib.SequenceMatcher(
                    None, rw, t.split(" "), autojunk=False).ratio(), t))
                members += others
            template = None
            while len(members) > 1:
                template = _template(ref, members[1:])
                if template is not None and all(
                        _renders(template.jinja([f"p{k}" for k in range(len(template.slots))]),
                                 {f"p{k}": v for k, v in enumerate(template.values[m])}, m)
                        for m in members):
                    break
                template = None
                members.pop()
            groups.append(_Group(template, ref, [d for m in members for d in by_text[m]]))
            left = [t for t in left if t not in members]
    return groups


def fold_ascii(text: str) -> str:
    """"Pädevuse" -> "padevuse": letters without their marks, for ids and parameter names."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold_ascii(text).lower()).strip("-")


def _common_prefix(values: Iterable[str]) -> str:
    vals = [v.lower() for v in values]
    out = vals[0]
    for v in vals[1:]:
        while not v.startswith(out):
            out = out[:-1]
    return out


def _param_name(values: Sequence[str], taken: set[str]) -> str:
    """A name from what the values share: "pädevuse"/"pädevuste" -> "padevus"; else muutujaN."""
    name = ""
    prefix = _common_prefix(values)
    suffix = _common_prefix(v[::-1] for v in values)[::-1]
    for part, least in ((prefix, 4), (suffix, 6)):
        cand = re.sub(r"[^a-z0-9]+", "_", fold_ascii(part).lower()).strip("_")
        if len(cand) >= least and cand[0].isalpha() and " " not in part.strip():
            name = cand
            break
    if not name or name in RESERVED or name in taken:
        k = 1
        while f"muutuja{k}" in taken:
            k += 1
        name = f"muutuja{k}"
    taken.add(name)
    return name


def _clause_id(words: Sequence[str], taken: set[str]) -> str:
    picked = [w for w in (_slug(w) for w in words) if len(w) >= 3 and w not in _STOP and "-" not in w][:3]
    base = "ulesanne-" + "-".join(picked) if picked else "ulesanne"
    base = base[:50].rstrip("-")
    cid, k = base, 2
    while cid in taken:
        cid, k = f"{base}-{k}", k + 1
    taken.add(cid)
    return cid


def _description(text: str) -> str:
    shown = re.sub(r"\{\{ \w+ \}\}", "…", text)
    if len(shown) <= 80:
        return shown
    return shown[:80].rsplit(" ", 1)[0] + " …"


def _results(group: _Group, taken: set[str]) -> tuple[tuple[str, ...], list[tuple[str, dict[str, str]]],
                                                     set[int]]:
    """The clause's results, its result parameters (name, value per duty index in the group),
    and the duties (indices into group.duties) that keep their own results."""
    counts = Counter(d.results for d in group.duties)
    top = max(counts, key=lambda r: (counts[r], r))
    alike = [k for k, d in enumerate(group.duties) if len(d.results) == len(top)]
    items: list[str] = []
    params: list[tuple[str, dict[str, str]]] = []
    for pos, ref in enumerate(top):
        distinct = sorted({group.duties[k].results[pos] for k in alike} - {ref})
        if not distinct:
            items.append(ref)
            continue
        template = _template(ref, distinct) if _plain(ref) and all(_plain(t) for t in distinct) else None
        if template is None:
            own = {k for k, d in enumerate(group.duties) if d.results != top}
            return top, [], own
        names = [_param_name(sorted({template.values[group.duties[k].results[pos]][s] for k in alike}),
                             taken) for s in range(len(template.slots))]
        items.append(template.jinja(names))
        for s, name in enumerate(names):
            params.append((name, {str(k): template.values[group.duties[k].results[pos]][s] for k in alike}))
    own = {k for k in range(len(group.duties)) if k not in alike}
    return tuple(items), params, own


def _suggestion(group: _Group, ids: set[str]) -> Suggestion | None:
    if len({d.post_id for d in group.duties}) < 2:
        return None
    taken: set[str] = set()
    text = group.ref
    text_params: list[tuple[str, dict[str, str]]] = []
    if group.text is not None:
        t = group.text
        names = [_param_name(sorted({t.values[d.text][s] for d in group.duties}), taken)
                 for s in range(len(t.slots))]
        text = t.jinja(names)
        for s, name in enumerate(names):
            text_params.append((name, {str(k): t.values[d.text][s] for k, d in enumerate(group.duties)}))
    results, result_params, own = _results(group, taken)
    defaults: dict[str, str] = {}
    for name, per in text_params + result_params:
        counts = Counter(per.values())
        defaults[name] = max(counts, key=lambda v: (counts[v], -min(int(k) for k in per if per[k] == v)))
    uses: list[DutyUse] = []
    result_names = {name for name, _ in result_params}
    for k, d in enumerate(group.duties):
        values = {name: per[str(k)] for name, per in text_params + result_params if str(k) in per}
        if k in own:
            values = {n: v for n, v in values.items() if n not in result_names}
        params = {n: v for n, v in values.items() if v != defaults[n]}
        full = {**defaults, **params}
        if not _renders(text, full, d.text):
            return None
        if k not in own and tuple(_rendered(r, tuple(sorted(full.items()))) for r in results) != d.results:
            return None
        chars = len(d.text) + (0 if k in own else sum(len(r) for r in d.results))
        uses.append(DutyUse(d.post_id, d.index, d.source, values, params,
                            d.results if k in own else None, chars))
    first = group.text.words if group.text is not None else tuple(group.ref.split())
    fixed = [w for i, w in enumerate(first)
             if group.text is None or not any(a <= i < b for a, b in group.text.slots)]
    return Suggestion(_clause_id(fixed, ids), _description(text), text, results, defaults,
                      tuple(sorted(uses, key=lambda u: (u.post_id, u.index))))


def coverage(defs: Definitions) -> tuple[int, int]:
    """(characters of duty text that clause references give, characters of all duty text)."""
    resolver = Resolver(defs)
    covered = total = 0
    for post in defs.posts.values():
        ctx: dict[str, Any] | None = None
        for i, duty in enumerate(post.duties, start=1):
            if duty.clause_id is None and duty.text is not None:
                own = [duty.text.value, *(r.value for r in duty.results or ())]
                if not any("{" in t for t in own):  # plain text: what the document shows
                    total += sum(len(t) for t in own)
                    continue
            clause = defs.clauses.get(duty.clause_id or "")
            if duty.clause_id is not None and not isinstance(clause, DutyClause):
                continue  # the definitions' checks report it
            ctx = ctx if ctx is not None else resolver.post_context(post)
            resolved = resolver.duty(post, i, ctx)
            size = len(resolved.text) + sum(len(r) for r in resolved.results)
            total += size
            if duty.clause_id is not None:
                covered += len(resolved.text) if duty.results is not None else size
    return covered, total


_JINJA = re.compile(r"\{\{.*?\}\}|\{#.*?#\}", re.S)


def _fragments(template: str) -> tuple[str, ...]:
    """The words a clause's text always shows, in order: its literal text between `{{ … }}`, up to
    its first `{% … %}` (what follows may be left out). Every rendering contains them."""
    head = template.split("{%", 1)[0]
    return tuple(f for f in (" ".join(part.split()) for part in _JINJA.split(head)) if f)


def _in_order(text: str, fragments: Sequence[str]) -> bool:
    pos = 0
    for f in fragments:
        found = text.find(f, pos)
        if found < 0:
            return False
        pos = found + len(f)
    return True


class _LibraryMatcher(ClauseMatcher):
    """The import's clause matching, with two changes for every duty of an agency: only the
    clauses `only` names are tried, and each clause's parameter sets are gathered once (the
    import gathers them anew for each duty, a scan of every post: quadratic over 1000 posts)."""

    def __init__(self, defs: Definitions) -> None:
        super().__init__(defs)
        self.only: tuple[str, ...] = ()
        self._sets: dict[str, list[dict[str, Any]]] = {}

    def _candidates(self, post: Post, kind: type) -> Iterable[tuple[str, dict[str, Any], dict[str, Any]]]:
        for cid in self.only:
            clause = self.defs.clauses[cid]
            if not isinstance(clause, kind):
                continue
            if cid not in self._sets:
                self._sets[cid] = _param_sets(self.defs, cid, clause)
            for own in self._sets[cid]:
                yield cid, own, clause_params(self.defs, post, clause, own, self.renderer)


def _library_uses(defs: Definitions, duties: Sequence[_Duty]) -> list[LibraryUse]:
    """The plain duties a library clause renders to, in the post's context. A clause is tried
    only for a duty that holds its literal words in order (a cheap filter: rendering every
    clause for every duty would cost clauses × duties renderings)."""
    fragments = {cid: _fragments(c.text.value) for cid, c in sorted(defs.clauses.items())
                 if isinstance(c, DutyClause)}
    matcher = _LibraryMatcher(defs)
    out: list[LibraryUse] = []
    for d in duties:
        if not _plain(d.text) or any("{" in r or "}" in r for r in d.results):
            continue
        matcher.only = tuple(cid for cid, f in fragments.items() if _in_order(d.text, f))
        if not matcher.only:
            continue
        match, _near = matcher.duty(defs.posts[d.post_id], d.text, d.results)
        if match is None:
            continue
        own = tuple(match.results) if match.results is not None else None
        chars = len(d.text) + (0 if own is not None else sum(len(r) for r in d.results))
        out.append(LibraryUse(d.post_id, d.index, d.source, match.clause_id, dict(match.params), own, chars))
    return out


def suggest(defs: Definitions) -> Proposal:
    """Every proposed clause, most used first, and the own duties a library clause already
    gives; the duty text clauses cover now, of the total."""
    ids = set(defs.clauses)
    duties = _own_duties(defs)
    library = _library_uses(defs, duties)
    taken = {(u.post_id, u.index) for u in library}
    rest = [d for d in duties if (d.post_id, d.index) not in taken]
    found = [s for g in _groups(rest) if (s := _suggestion(g, ids)) is not None]
    found.sort(key=lambda s: (-len(s.posts), -len(s.uses), s.clause_id))
    covered, total = coverage(defs)
    return Proposal(tuple(found), covered, total, tuple(library))


# --- the report ---------------------------------------------------------------------------------


def _shown(value: Any) -> str:
    return f'"{value}"'


def report_lines(proposal: Proposal) -> list[str]:
    """`kaskkiri klauslid soovita` as plain Estonian text."""
    s = proposal.suggestions
    if proposal.total:
        now = round(100 * proposal.covered / proposal.total)
        after = round(100 * proposal.covered_after / proposal.total)
        share = f"Klauslitega kaetud ülesannete tekstist: praegu {now} %, soovitustega {after} %."
    else:
        share = "Ametikohtadel pole ülesandeid."
    library = _library_lines(proposal.library)
    if not s:
        none = ("Uusi ühiseid klausleid ei soovita" if library else "Ühiseid klausleid ei soovita") + \
            ": ükski ametikoha oma ülesanne ei kordu teises ametikohas samas või peaaegu samas sõnastuses."
        if not library:
            return [none, share]
        return [*library, none, share,
                "Ametikohtade viitamiseks klauslikogu klauslitele: kaskkiri klauslid soovita --rakenda"]
    duties = sum(len(x.uses) for x in s)
    lines = [*library, f"Soovitatud ühised klauslid: {len(s)} ({duties} ülesannet). {share}",
             "Parameetrid on tekstis kujul {{ nimi }}; iga ametikoha väärtus on loetelus.", ""]
    for n, sug in enumerate(s, start=1):
        lines.append(f"{n}. {sug.clause_id} ({len(sug.posts)} ametikohta, {len(sug.uses)} ülesannet)")
        lines.append(f"   Ülesanne: {sug.text}")
        lines.append("   Tulemused:")
        lines += [f"     - {r}" for r in sug.results]
        if sug.defaults:
            given = "; ".join(f"{k} (vaikimisi {_shown(v)})" for k, v in sug.defaults.items())
            lines.append(f"   Parameetrid: {given}")
        lines.append("   Ametikohad:")
        for u in sug.uses:
            vals = "; ".join(f"{k} = {_shown(v)}" for k, v in u.values.items()) or "parameetriteta"
            own = "; oma tulemused" if u.own_results is not None else ""
            lines.append(f"     {u.post_id}  {sug.place(u)}  {vals}{own}  ({u.source.file}:{u.source.line})")
        lines.append("")
    lines.append("Klauslite kirjutamiseks ja ametikohtade viitamiseks neile: "
                 "kaskkiri klauslid soovita --rakenda")
    return lines


def _library_lines(library: Sequence[LibraryUse]) -> list[str]:
    """The own duties that become references to clauses the library already has."""
    if not library:
        return []
    lines = [f"Klauslikogus juba olemas: {len(library)} ametikoha oma ülesannet on sõna-sõnalt "
             "klausli tekst; need muutuvad viideteks:"]
    for u in library:
        params = "; ".join(f"{k} = {_shown(v)}" for k, v in u.params.items())
        extra = (f", parameetrid {params}" if params else "") + ("; oma tulemused" if u.own_results else "")
        lines.append(f"  {u.post_id}  {u.place}  klausel {u.clause_id}{extra}  ({u.source.file}:{u.source.line})")
    lines.append("")
    return lines


def report_json(proposal: Proposal) -> dict[str, Any]:
    """The proposal as plain data (`--json`)."""
    return {
        "kaetud_marke": proposal.covered,
        "kaetud_marke_parast": proposal.covered_after,
        "ulesannete_marke": proposal.total,
        "klauslid": [
            {"klausel": s.clause_id, "kirjeldus": s.description, "ulesanne": s.text,
             "tulemused": list(s.results), "vaikimisi": s.defaults,
             "ametikohad": [
                 {"ametikoht": u.post_id, "koht": s.place(u), "vaartused": u.values,
                  "parameetrid": u.params, "oma_tulemused": list(u.own_results) if u.own_results else None,
                  "fail": u.source.file, "rida": u.source.line}
                 for u in s.uses]}
            for s in proposal.suggestions
        ],
        "klauslikogust": [
            {"ametikoht": u.post_id, "koht": u.place, "klausel": u.clause_id, "parameetrid": u.params,
             "oma_tulemused": list(u.own_results) if u.own_results else None,
             "fail": u.source.file, "rida": u.source.line}
            for u in proposal.library
        ],
    }

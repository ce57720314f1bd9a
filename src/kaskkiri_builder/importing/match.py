"""Matching what a document says to the project: units, posts by title, clauses by text (pure).

Nothing is guessed: a unit or post is taken only when exactly one has that name; a list of posts
is written as ids only when the ids give back the published words; a duty becomes a clause
reference only when the clause, with defaults or parameters some post already gives it, renders
to the same text. Everything else stays as the document's text and is reported.
"""

from __future__ import annotations

import bisect
import difflib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..clause_text import TextRenderer, variables
from ..definitions.load import Source
from ..definitions.model import (
    HEAD_ID,
    QUALIFIER,
    Clause,
    Definitions,
    DutyClause,
    Post,
    PostGroup,
    RowsClause,
    Text,
    TextClause,
)
from ..estonian import capitalize_first
from ..resolve import clause_params, text_context

NEAR = 0.9  # a duty this similar to a clause (and not equal) is reported as a near match


def slug(text: str) -> str:
    """An id from words: "Ekspert (PEA koolitused)" -> "ekspert-pea-koolitused"."""
    ascii_ = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-") or "ametikoht"


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class KnownPost:
    """A post a list may name: one of the project's or one being imported now."""

    id: str
    title: str
    group: PostGroup | None
    plural: str | None = None


@dataclass
class ListMatch:
    """How a list of posts (manager, subordinates, substitutes) is written."""

    refs: list[tuple[str, bool | None]]  # (post id, explicit qualifier or None)
    text: str | None  # the published words, when the ids do not give them back
    notes: list[str] = field(default_factory=list)  # unmatched names (comments and report)


def _items(published: str) -> list[tuple[str, bool]]:
    """The names of a published list and whether each carries the public-authority qualifier."""
    text = fold(published)
    q = fold(QUALIFIER)
    marked = text.replace(" " + q, "\x00").replace(q, "\x00")
    out = []
    for part in marked.split(", "):
        part = part.strip().rstrip(".")
        if part:
            out.append((part.replace("\x00", "").strip(), "\x00" in part))
    return out


class KnownPosts:
    """The posts lists may name, indexed by title once (an import of hundreds of posts matches
    each post's lists against all of them)."""

    def __init__(self, posts: Sequence[KnownPost]):
        self.posts = list(posts)
        self.by_title: dict[str, list[KnownPost]] = {}
        for kp in self.posts:
            self.by_title.setdefault(kp.title.lower(), []).append(kp)


def match_list(published: str, known: Sequence[KnownPost] | KnownPosts, own_group: PostGroup | None,
               qualify: bool, head_title: str) -> ListMatch:
    """The published list as post ids (with qualifier overrides where the text says otherwise
    than the rule), or as its published words with the ids that could be matched."""
    if fold(published) in ("-", "–", ""):
        return ListMatch([], None)
    by_title = (known if isinstance(known, KnownPosts) else KnownPosts(known)).by_title
    refs: list[tuple[str, bool | None]] = []
    notes: list[str] = []
    names: list[tuple[str, KnownPost | None, bool]] = []
    for name, has_q in _items(published):
        if name.lower() == head_title.lower():
            refs.append((HEAD_ID, None))
            names.append((name, None, has_q))
            continue
        found = by_title.get(name.lower(), [])
        if len(found) == 1:
            post = found[0]
            derived = bool(qualify and own_group is not None and post.group is not None
                           and own_group.needs_qualifier_for(post.group))
            refs.append((post.id, None if derived == has_q else has_q))
            names.append((name, post, has_q))
        elif found:
            notes.append(f'"{name}": mitu sama nimetusega ametikohta ({", ".join(p.id for p in found)}); '
                         "ei valitud ühtegi.")
        else:
            notes.append(f'"{name}": sellise nimetusega ametikohta ei leitud.')
    if notes:
        return ListMatch([r for r in refs], fold(published), notes)
    parts = []
    for (_name, named, _has_q), (_pid, _q) in zip(names, refs, strict=True):
        title = head_title if named is None else named.title
        parts.append(f"{title} {QUALIFIER}" if _has_q else title)
    generated = capitalize_first(", ".join(parts))
    if generated != fold(published):
        return ListMatch(refs, fold(published), [])
    return ListMatch(refs, None, [])


def match_unit(defs: Definitions, published: str) -> tuple[str | None, str | None]:
    """(unit id, note): the unit whose chain of names is the published "Ohvriabi osakond,
    kriisitoe talitus", else the one unit with the last name, else none."""
    org = defs.organisation
    wanted = fold(published).lower().rstrip(".")
    full = [uid for uid in org.units if org.unit_name(uid).lower() == wanted]
    if len(full) == 1:
        return full[0], None
    last = wanted.split(", ")[-1]
    named = [uid for uid, u in org.units.items() if u.name.lower() == last]
    if len(named) == 1:
        return named[0], (f'struktuuriüksus "{published}" leiti nime "{last}" järgi ({named[0]}); '
                          "üksuste ahel failis organisatsioon.yaml on teine.")
    return None, f'struktuuriüksust "{published}" ei leitud failist organisatsioon.yaml.'


def match_unit_genitive(defs: Definitions, genitive: str) -> str | None:
    org = defs.organisation
    hits = [uid for uid in org.units if org.unit_genitive(uid).lower() == fold(genitive).lower()]
    return hits[0] if len(hits) == 1 else None


# --- clauses --------------------------------------------------------------------------------------


@dataclass
class ClauseMatch:
    clause_id: str
    params: dict[str, Any]
    results: list[str] | None  # own results when they differ from the clause's


def _param_sets(defs: Definitions, clause_id: str, clause: Clause) -> list[dict[str, Any]]:
    """The parameter sets to try: the defaults, then each set a post already gives."""
    sets: list[dict[str, Any]] = [{}]
    uses: list[dict[str, Any]] = []
    for post in defs.posts.values():
        uses += [dict(d.params) for d in post.duties if d.clause_id == clause_id and d.params]
        if post.rights is not None and post.rights.clause_id == clause_id and post.rights.params:
            uses.append(dict(post.rights.params))
        if post.closing is not None and post.closing.clause_id == clause_id and post.closing.params:
            uses.append(dict(post.closing.params))
    for params in uses:
        if params not in sets:
            sets.append(params)
    if isinstance(clause, RowsClause | TextClause):  # flags: try each combination of booleans
        flags = [k for k, v in clause.defaults.items() if isinstance(v, bool)]
        for mask in range(1, 2 ** min(len(flags), 4)):
            combo = {k: not clause.defaults[k] for i, k in enumerate(flags[:4]) if mask >> i & 1}
            if combo not in sets:
                sets.append(combo)
    return sets


def _render(renderer: TextRenderer, text: Text, params: dict[str, Any]) -> str:
    return fold(renderer.render(text, params, "import"))


def _freeze(value: Any) -> Any:
    """A hashable stand-in for a parameter value (dicts and lists of the context)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _near_bounds(n: int) -> tuple[int, int]:
    """The lengths a text may have and still be within NEAR of a text of length n: difflib's
    ratio is at most 2*min/(sum of lengths) (its real_quick_ratio), so others cannot be near."""
    return math.ceil(n * NEAR / (2 - NEAR)) - 1, math.floor(n * (2 - NEAR) / NEAR) + 1


@dataclass
class _Rendered:
    """One (clause, parameter set) rendered in one context."""

    clause_id: str
    own: dict[str, Any]
    params: dict[str, Any]
    text: Any  # folded text (duty, text clause) or [(label, [items])] (rows clause)
    results: list[str] | None = None  # a duty clause's results, once asked for


@dataclass
class _Library:
    """The clauses of one kind rendered in one context, indexed for exact and near matches."""

    entries: list[_Rendered]
    exact: dict[Any, int]  # rendered text -> the first entry that gives it
    lengths: list[tuple[int, int]]  # (len(text), entry index), sorted: the near-match candidates

    def near_candidates(self, want: str) -> list[int]:
        low, high = _near_bounds(len(want))
        a = bisect.bisect_left(self.lengths, (low, -1))
        b = bisect.bisect_right(self.lengths, (high, len(self.entries)))
        return sorted(i for _, i in self.lengths[a:b])


class ClauseMatcher:
    """Each library clause rendered for a post, ready to compare with imported text.

    A clause's text depends only on its parameters and the parts of the post's context the
    library's texts read (usually the units), so each kind of clause is rendered once per
    distinct context and looked up by its text; only texts of a near length are compared with
    difflib. The results are those of trying every clause in id order for every duty."""

    def __init__(self, defs: Definitions):
        self.defs = defs
        self.renderer = TextRenderer()
        self._param_sets = {cid: _param_sets(defs, cid, c) for cid, c in defs.clauses.items()}
        texts: list[Text] = []
        for c in defs.clauses.values():
            if isinstance(c, DutyClause):
                texts += [c.text, *c.results]
            elif isinstance(c, TextClause):
                texts.append(c.text)
            else:
                texts += [i for _, items in c.rows for i in items]
            texts += [Text(v, c.source) for v in c.defaults.values() if isinstance(v, str)]
        self._reads = variables(texts)
        self._libraries: dict[tuple[type, Any], _Library] = {}

    def _library(self, post: Post, kind: type) -> _Library:
        context = text_context(self.defs, post)
        key = (kind, _freeze({k: v for k, v in context.items() if k in self._reads}))
        lib = self._libraries.get(key)
        if lib is None:
            lib = self._libraries[key] = self._build(post, kind)
        return lib

    def _build(self, post: Post, kind: type) -> _Library:
        entries: list[_Rendered] = []
        exact: dict[Any, int] = {}
        for cid, clause in sorted(self.defs.clauses.items()):
            if not isinstance(clause, kind):
                continue
            for own in self._param_sets[cid]:
                params = clause_params(self.defs, post, clause, own, self.renderer)
                if isinstance(clause, RowsClause):
                    got: Any = [(label, [_render(self.renderer, i, params) for i in items])
                                for label, items in clause.rows]
                    exact.setdefault(_freeze(got), len(entries))
                else:
                    assert isinstance(clause, DutyClause | TextClause)
                    got = _render(self.renderer, clause.text, params)
                    exact.setdefault(got, len(entries))
                entries.append(_Rendered(cid, own, params, got))
        self.renderer.problems.clear()
        lengths = sorted((len(e.text), i) for i, e in enumerate(entries)) if kind is DutyClause else []
        return _Library(entries, exact, lengths)

    def duty(self, post: Post, text: str, results: Sequence[str]) -> tuple[ClauseMatch | None, str | None]:
        """(match, None) when a clause renders to `text`; (None, near clause id) when one is
        within NEAR; (None, None) otherwise."""
        want = fold(text)
        lib = self._library(post, DutyClause)
        hit = lib.exact.get(want)
        if hit is not None:
            e = lib.entries[hit]
            if e.results is None:
                clause = self.defs.clauses[e.clause_id]
                assert isinstance(clause, DutyClause)
                e.results = [_render(self.renderer, r, e.params) for r in clause.results]
                self.renderer.problems.clear()
            same = e.results == [fold(r) for r in results]
            return ClauseMatch(e.clause_id, dict(e.own), None if same else list(results)), None
        best: tuple[float, str] | None = None
        sm = difflib.SequenceMatcher(None, autojunk=False)
        sm.set_seq2(want)
        for i in lib.near_candidates(want):
            e = lib.entries[i]
            sm.set_seq1(e.text)
            if sm.real_quick_ratio() >= NEAR and sm.quick_ratio() >= NEAR:
                ratio = sm.ratio()
                if ratio >= NEAR and (best is None or ratio > best[0]):
                    best = (ratio, e.clause_id)
        return None, best[1] if best else None

    def rows(self, post: Post, rows: Sequence[tuple[str, Sequence[str]]]) -> ClauseMatch | None:
        want = [(label, [fold(i) for i in items]) for label, items in rows]
        lib = self._library(post, RowsClause)
        hit = lib.exact.get(_freeze(want))
        return None if hit is None else ClauseMatch(lib.entries[hit].clause_id, dict(lib.entries[hit].own), None)

    def text(self, post: Post, text: str) -> ClauseMatch | None:
        lib = self._library(post, TextClause)
        hit = lib.exact.get(fold(text))
        return None if hit is None else ClauseMatch(lib.entries[hit].clause_id, dict(lib.entries[hit].own), None)


def stand_in_post(post_id: str, title: str, unit: str, group: PostGroup) -> Post:
    """A model post for rendering clauses in the imported post's context (its units, title)."""
    return Post(id=post_id, title=title, unit=unit, group=group, source=Source("import", 0))

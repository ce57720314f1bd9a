"""The shared clause library against the posts' own texts: drift and candidates for new clauses.

Drift is a post's own duty or result that says almost, but not quite, what a shared clause says
(a typo, a dropped word): usually a slip when the text was copied. A near miss is judged on
words (`textdiff.near_miss`): most words shared and only a few changed; a different duty that
happens to share words is not reported. Clauses are compared as the post would render them,
with every parameter set that some post uses, and the closest rendering is the one quoted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from ..clause_text import variables
from ..definitions.load import Source
from ..definitions.model import Clause, Definitions, DutyClause, Post, RowsClause, Text, TextClause
from .common import Renderer, annex_numbers, annex_posts, finding, used_by, where
from .findings import Finding, Severity
from .textdiff import (
    NEAR_MISS_RATIO,
    closeness,
    describe,
    near_miss,
    norm,
    quotes,
    similarity_at_least,
    slip,
    words,
)

KIND_DRIFT = "klausli_triiv"
KIND_VARIANT = "klausli_variant"
KIND_CANDIDATE = "klausli_kandidaat"


@dataclass(frozen=True)
class _Variant:
    """A duty clause as one post would render it with one set of parameters."""

    clause: DutyClause
    params: dict[str, Any]  # the post parameters (beyond the defaults)
    text: str
    results: tuple[str, ...]


def _freeze(params: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, repr(v)) for k, v in params.items()))


def _usages(defs: Definitions) -> dict[str, list[tuple[Post, dict[str, Any]]]]:
    """Clause id -> every (post, parameters) that uses it, over all posts."""
    out: dict[str, list[tuple[Post, dict[str, Any]]]] = defaultdict(list)
    for post in defs.posts.values():
        for duty in post.duties:
            if duty.clause_id is not None:
                out[duty.clause_id].append((post, duty.params))
        if post.rights is not None:
            out[post.rights.clause_id].append((post, post.rights.params))
        if post.is_full:
            out[post.closing_clause_id].append((post, post.closing_params))
    return out


_ABSENT = "\0puudub"  # a name the parameters do not give (the text's render reports it)


class _Library:
    """Every duty clause rendered for one post, with each parameter set in use."""

    def __init__(self, defs: Definitions, renderer: Renderer):
        self.defs = defs
        self.renderer = renderer
        usages = _usages(defs)
        self.param_sets: dict[str, list[dict[str, Any]]] = {}
        for cid, clause in defs.clauses.items():
            if not isinstance(clause, DutyClause):
                continue
            sets: dict[tuple[tuple[str, str], ...], dict[str, Any]] = {(): {}}
            for _post, params in usages.get(cid, []):
                sets.setdefault(_freeze(params), dict(params))
            self.param_sets[cid] = list(sets.values())
        self._cache: dict[str, list[_Variant]] = {}
        #: A clause's texts as rendered, by the values of the names they read: posts of one unit
        #: mostly see the same ones (200 annexes rendered 54,000 texts, most of them twice or more).
        self._rendered: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
        self._reads: dict[str, list[str]] = {}

    def variants(self, post: Post) -> list[_Variant]:
        if post.id not in self._cache:
            out: list[_Variant] = []
            for cid, sets in self.param_sets.items():
                clause = self.defs.clauses[cid]
                assert isinstance(clause, DutyClause)
                for params in sets:
                    p = self.renderer.clause_params(post, clause, params)
                    text, results = self._render(clause, p)
                    out.append(_Variant(clause, params, text, results))
            self._cache[post.id] = out
        return self._cache[post.id]

    def _render(self, clause: DutyClause, p: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        """The clause's text and results in `p`, normalised; rendered once per distinct input."""
        if clause.id not in self._reads:
            self._reads[clause.id] = sorted(variables([clause.text, *clause.results]))
        try:
            seen = json.dumps([[name, p.get(name, _ABSENT)] for name in self._reads[clause.id]],
                              ensure_ascii=False, sort_keys=True)
        except (TypeError, ValueError):  # not plain data: rendered every time
            seen = None
        if seen is not None and (clause.id, seen) in self._rendered:
            return self._rendered[clause.id, seen]
        made = (norm(self.renderer.text(clause.text, None, p)),
                tuple(norm(self.renderer.text(r, None, p)) for r in clause.results))
        if seen is not None:
            self._rendered[clause.id, seen] = made
        return made

    def closest(self, post: Post, text: str) -> _Variant | None:
        """The rendering closest to `text`, if any is close enough to be a near miss; among
        equals, the one with fewest parameters.

        The same order as sorting by `closeness`, but a variant whose word similarity falls short
        of the best so far is not compared in full (`similarity_at_least`: this check compares
        every own duty with every clause rendering, which was most of `check`'s time).
        """
        best: tuple[tuple[float, float, int], _Variant] | None = None
        mine = words(text)
        for v in self.variants(post):
            # Below NEAR_MISS_RATIO a variant can never be reported (see `near_miss`): skip it.
            floor = max(NEAR_MISS_RATIO, best[0][0]) if best is not None else NEAR_MISS_RATIO
            sim = similarity_at_least(mine, words(v.text), floor)
            if sim is None:
                continue
            key = (sim, closeness(text, v.text)[1], -len(v.params))
            if best is None or key > best[0]:
                best = (key, v)
        return best[1] if best else None

    def results_like(self, post: Post, v: _Variant) -> tuple[str, ...]:
        """Every result the clause renders with any parameter set in use: the pool an own
        result is compared with (parameters such as `tahtaeg` change only the results)."""
        pool: dict[str, None] = {}
        for w in self.variants(post):
            if w.clause.id == v.clause.id:
                pool.update(dict.fromkeys(w.results))
        return tuple(pool)

    def minimal(self, post: Post, v: _Variant, keep_results: bool) -> dict[str, Any]:
        """The parameters of `v` that matter: those whose removal changes what is compared."""
        params = dict(v.params)
        clause = v.clause
        for key in list(params):
            trial = {k: val for k, val in params.items() if k != key}
            p = self.renderer.clause_params(post, clause, trial)
            same = norm(self.renderer.text(clause.text, None, p)) == v.text
            if same and keep_results:
                same = tuple(norm(self.renderer.text(r, None, p)) for r in clause.results) == v.results
            if same:
                params = trial
        return params


def _params_hint(clause_id: str, params: dict[str, Any]) -> str:
    if not params:
        return f'"klausel: {clause_id}"'
    inner = ", ".join(f"{k}: {val}" for k, val in sorted(params.items()))
    return f'"klausel: {clause_id}" (parameetrid: {{{inner}}})'


def check_clauses(defs: Definitions, directive_id: str) -> list[Finding]:
    """Drift from the shared clauses, reworded copies and candidates for new clauses."""
    renderer = Renderer(defs)
    library = _Library(defs, renderer)
    findings: list[Finding] = []
    for n, post, _ref in annex_posts(defs, directive_id):
        for i, duty in enumerate(post.duties, start=1):
            if duty.clause_id is None and duty.text is not None:
                findings += _own_duty(library, renderer, post, n, i, duty.text, duty.results or ())
            elif duty.clause_id is not None and duty.results is not None:
                clause = defs.clauses.get(duty.clause_id)
                if isinstance(clause, DutyClause):
                    p = renderer.clause_params(post, clause, duty.params)
                    theirs = tuple(norm(renderer.text(r, None, p)) for r in clause.results)
                    ours = [(r, norm(renderer.text(r, None, p))) for r in duty.results]
                    fix = 'paranda see või kustuta oma "tulemused" (siis kehtivad klausli omad)'
                    findings += _result_drift(ours, theirs, clause, post, n, i, fix)
    findings += _repeated(defs, renderer, library, directive_id)
    findings += _clause_pairs(defs, directive_id)
    return findings


@dataclass(frozen=True)
class _Place:
    """The own text a drift finding is about: its post, annex and line."""

    post: Post
    annex: int
    source: Source


def _drift(
    severity_slip: bool, what: str, ours: str, theirs: str, clause_id: str, at: str, fix: str, place: _Place
) -> Finding:
    """A near miss: a slip of the pen (warning) or a reworded copy (info)."""
    diff = describe(ours, theirs, here="siin", there="klauslis")
    if severity_slip:
        severity, kind = Severity.HOIATUS, KIND_DRIFT
        message = (
            f'{what} erineb veidi ühisest klauslist "{clause_id}" ({at}): {diff}. Kui erinevus '
            f"pole taotluslik, {fix}."
        )
    else:
        severity, kind = Severity.INFO, KIND_VARIANT
        message = (
            f'{what} on ühise klausli "{clause_id}" ({at}) ümbersõnastus: {diff}. Kui erinevus pole '
            f"taotluslik, {fix}."
        )
    return finding(
        severity, kind, message, place.source, place.annex, subject=place.post.id, quotes=quotes(ours, theirs)
    )


def _own_duty(
    library: _Library,
    renderer: Renderer,
    post: Post,
    n: int,
    i: int,
    text: Text,
    results: tuple[Text, ...],
) -> list[Finding]:
    ours = norm(renderer.text(text, post))
    v = library.closest(post, ours)
    if v is None:
        return []
    own_results = [(r, norm(renderer.text(r, post))) for r in results]
    clause = v.clause
    at = where(clause.text.source)
    hint = _params_hint(clause.id, library.minimal(post, v, keep_results=False))
    use = f"kirjuta ülesande asemel {hint}"
    if v.text == ours:
        if tuple(r for _t, r in own_results) == v.results:
            full_hint = _params_hint(clause.id, library.minimal(post, v, keep_results=True))
            return [
                finding(
                    Severity.INFO,
                    KIND_CANDIDATE,
                    f'Ülesanne 2.{i} on koos tulemustega sõna-sõnalt sama mis ühine klausel '
                    f'"{clause.id}" ({at}): kirjuta selle asemel {full_hint}.',
                    text.source,
                    n,
                    subject=post.id,
                )
            ]
        fix = f"paranda see; ülesande tekst on sama mis klauslis, nii et võid ka kirjutada ülesande asemel {hint}"
        drift = _result_drift(own_results, library.results_like(post, v), clause, post, n, i, fix)
        if drift:
            return drift
        return [
            finding(
                Severity.INFO,
                KIND_CANDIDATE,
                f'Ülesande 2.{i} tekst on sõna-sõnalt sama mis ühises klauslis "{clause.id}" '
                f"({at}), tulemused on oma: võid kirjutada "
                f'{_params_hint(clause.id, library.minimal(post, v, keep_results=False))} ja jätta '
                'alles oma "tulemused".',
                text.source,
                n,
                subject=post.id,
            )
        ]
    if not near_miss(ours, v.text):
        return []
    place = _Place(post, n, text.source)
    out = [_drift(slip(ours, v.text), f"Ülesanne 2.{i}", ours, v.text, clause.id, at, use, place)]
    out += _result_drift(own_results, library.results_like(post, v), clause, post, n, i, f"paranda see või {use}")
    return out


def _result_drift(
    ours: list[tuple[Text, str]],
    theirs: tuple[str, ...],
    clause: DutyClause,
    post: Post,
    n: int,
    i: int,
    fix: str,
) -> list[Finding]:
    """Own results that are near misses of one of the clause's results."""
    out: list[Finding] = []
    for text, rendered in ours:
        if rendered in theirs or not theirs:
            continue
        closest = max(theirs, key=lambda c: closeness(rendered, c))
        if not near_miss(rendered, closest):
            continue
        out.append(
            _drift(
                slip(rendered, closest),
                f"Ülesande 2.{i} tulemus",
                rendered,
                closest,
                clause.id,
                where(clause.source),
                fix,
                _Place(post, n, text.source),
            )
        )
    return out


def _repeated(defs: Definitions, renderer: Renderer, library: _Library, directive_id: str) -> list[Finding]:
    """Own duties repeated word for word in two or more posts: candidates for a shared clause."""
    annexes = annex_numbers(defs, directive_id)
    seen: dict[str, list[tuple[Post, int, Text, tuple[str, ...]]]] = defaultdict(list)
    for post in defs.posts.values():
        for i, duty in enumerate(post.duties, start=1):
            if duty.clause_id is None and duty.text is not None:
                text = norm(renderer.text(duty.text, post))
                results = tuple(norm(renderer.text(r, post)) for r in duty.results or ())
                seen[text].append((post, i, duty.text, results))
    out: list[Finding] = []
    for text, places in seen.items():
        posts = {p.id for p, *_ in places}
        in_directive = sorted(
            (pl for pl in places if pl[0].id in annexes), key=lambda pl: (annexes[pl[0].id], pl[1])
        )
        if len(posts) < 2 or not in_directive:
            continue
        first_post = in_directive[0][0]
        if any(v.text == text for v in library.variants(first_post)):
            continue  # already reported as "use the clause"
        post, i, src_text, results = in_directive[0]
        others: list[str] = []
        for p, j, t, _r in places:
            if p.id == post.id and j == i:
                continue
            label = f"lisa {annexes[p.id]}" if p.id in annexes else f"ametikoht {p.id}"
            others.append(f"{label}, ülesanne 2.{j} ({where(t.source)})")
        same_results = all(r == results for *_x, r in places)
        tail = (" Ka tulemused on samad." if same_results
                else " Tulemused erinevad (klausli kasutaja võib anda oma tulemused).")
        out.append(
            finding(
                Severity.INFO,
                KIND_CANDIDATE,
                f"Ülesanne 2.{i} on sõna-sõnalt sama ka: {'; '.join(others)}.{tail} Tee sellest "
                'ühine klausel (klauslid/*.yaml) ja viita sellele "klausel:" abil.',
                src_text.source,
                annexes.get(post.id),
                subject=post.id,
            )
        )
    return out


# --- clause against clause ----------------------------------------------------------------------


def _clause_texts(clause: Clause) -> list[tuple[str, Text]]:
    """A clause's texts in order with a label for each, for pairwise comparison."""
    if isinstance(clause, DutyClause):
        return [("ulesanne", clause.text)] + [(f"tulemused[{k}]", t) for k, t in enumerate(clause.results)]
    if isinstance(clause, RowsClause):
        return [
            (f"{label}[{k}]", t) for label, items in clause.rows for k, t in enumerate(items)
        ]
    assert isinstance(clause, TextClause)
    return [("tekst", clause.text)]


def _differences(a: Clause, b: Clause) -> list[tuple[Text, Text]] | None:
    """The (a, b) texts that differ when `a` is a near copy of `b`, else None."""
    if type(a) is not type(b):
        return None
    ta, tb = _clause_texts(a), _clause_texts(b)
    if [label for label, _ in ta] != [label for label, _ in tb]:
        return None
    diffs: list[tuple[Text, Text]] = []
    for (_l, x), (_m, y) in zip(ta, tb, strict=True):
        if norm(x.value) == norm(y.value):
            continue
        if not near_miss(x.value, y.value):
            return None
        diffs.append((x, y))
    if len(diffs) > max(1, len(ta) // 3):
        return None
    return diffs


def _clause_pairs(defs: Definitions, directive_id: str) -> list[Finding]:
    """A clause that is a near copy of another (a variant kept for one post's slip)."""
    usages = _usages(defs)
    annexes = annex_numbers(defs, directive_id)
    users: dict[str, set[int]] = defaultdict(set)
    for cid, uses in usages.items():
        for post, _params in uses:
            if post.id in annexes:
                users[cid].add(annexes[post.id])

    def key(c: Clause) -> tuple[int, str, int]:
        """The variant is the less used clause (ties: the one defined later)."""
        return (-len(usages.get(c.id, [])), c.source.file, c.source.line or 0)

    out: list[Finding] = []
    for a, b in combinations([defs.clauses[cid] for cid in sorted(defs.clauses)], 2):
        diffs = _differences(a, b)
        if diffs is None:
            continue
        main, variant = sorted((a, b), key=key)
        if variant is b:
            diffs = [(q, p) for p, q in diffs]  # as (variant's text, main's text)
        if users.get(variant.id):
            out += _variant(main, variant, diffs, users[variant.id])
    return out


def _variant(main: Clause, variant: Clause, diffs: list[tuple[Text, Text]], annexes: set[int]) -> list[Finding]:
    """A variant that says what its main clause says, or each (variant's, main's) text that differs."""
    shown_in = used_by(annexes)
    if not diffs:
        message = (
            f'Klausel "{variant.id}" on sama mis klausel "{main.id}" ({where(main.source)}): kasuta '
            f'klauslit "{main.id}" ja kustuta "{variant.id}" (seda {shown_in}).'
        )
        return [finding(Severity.INFO, KIND_CANDIDATE, message, variant.source, min(annexes), subject=variant.id)]
    out: list[Finding] = []
    for v_text, m_text in diffs:
        is_slip = slip(v_text.value, m_text.value)
        diff = describe(v_text.value, m_text.value, here="siin", there="seal")
        out.append(
            finding(
                Severity.HOIATUS if is_slip else Severity.INFO,
                KIND_DRIFT if is_slip else KIND_VARIANT,
                f'Klausel "{variant.id}" erineb veidi klauslist "{main.id}" '
                f"({where(m_text.source)}): {diff}. Kui erinevus pole taotluslik, kasuta "
                f'klauslit "{main.id}" ja kustuta "{variant.id}". Klauslit "{variant.id}" '
                f"{shown_in}.",
                v_text.source,
                min(annexes),
                subject=variant.id,
                quotes=quotes(v_text.value, m_text.value),
            )
        )
    return out

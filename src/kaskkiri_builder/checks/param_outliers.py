"""Parameter outliers: a post whose value for a shared clause's parameter differs from most posts.

A clause parameter exists to vary, so a different value is no error; but a value that one post
alone gives where nearly every other post agrees is worth a reviewer's glance (a stale copy, a
forgotten parameter). For each clause and parameter, the EFFECTIVE value of every use in the
definitions is counted once (the post's own value, else the clause default; whitespace
normalised), over all posts, not only the directive's annexes. An annex post is reported when at
least `MIN_USES` uses have a value, at least two thirds of them share one value, and this post's
value is another one. One pass counts the values per (clause, parameter); each reference counts
(a post naming a clause twice counts twice). A post with no value and no default is left to the
missing-parameter error.

A clause default may name the post's own units (`{{ ulemyksus.omastav }} ...`): posts that rely
on it make the same choice even where it renders differently, so they count as one value (the
default as written); a post that writes out exactly what the default renders for it counts as
relying on the default too.

Severity: `info` when the post gives its own value, since writing a parameter is a deliberate
choice and the reviewer only confirms it. `hoiatus` when the post relies on the default while
at least three quarters of the uses give one value of their own: the default then says what
almost no post wants, and the post most likely lacks the parameter the others were given.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..definitions.load import Source
from ..definitions.model import Clause, Definitions, Post
from ..resolve import clause_params
from .common import annex_numbers, finding, where
from .findings import Finding, Severity

KIND_OUTLIER = "parameetri_erand"

MIN_USES = 3  # fewer uses make no majority worth the name
MAJORITY = (2, 3)  # the share of uses (numerator, denominator) that makes a clear majority
STRONG = (3, 4)  # the share that makes a default outlier a warning

Key = tuple[str, str]  # (type, normalised value): values compared as equal share one key


@dataclass
class _Use:
    """One post's reference to a clause, with the effective value of each parameter."""

    post: Post
    clause: Clause
    source: Source
    keys: dict[str, Key] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # what the document shows, per parameter
    own: set[str] = field(default_factory=set)  # parameters the post gives (not the default)
    default: dict[str, str] = field(default_factory=dict)  # each default as this post shows it


def _key(value: Any) -> Key:
    if isinstance(value, str):
        return ("str", " ".join(value.split()))
    return (type(value).__name__, repr(value))


def _show(value: Any) -> str:
    """A value as the reviewer wrote it in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(value.split()) if isinstance(value, str) else str(value)


def _references(defs: Definitions) -> Iterator[tuple[Post, Clause, Mapping[str, Any], Source]]:
    """Every (post, clause, the post's parameters, where the post names it), over all posts."""
    for post in defs.posts.values():
        refs: list[tuple[str, Mapping[str, Any], Source]] = [
            (d.clause_id, d.params, d.source) for d in post.duties if d.clause_id is not None
        ]
        if post.rights is not None:
            refs.append((post.rights.clause_id, post.rights.params, post.rights.source))
        if post.is_full:
            refs.append((post.closing_clause_id, post.closing_params, post.closing_source))
        for cid, params, source in refs:
            clause = defs.clauses.get(cid)
            if clause is not None:
                yield post, clause, params, source


def _use(defs: Definitions, post: Post, clause: Clause, params: Mapping[str, Any], source: Source) -> _Use:
    """The effective value of each parameter of one use (see the module's docstring)."""
    use = _Use(post, clause, source)
    rendered: dict[str, Any] | None = None
    for name in dict.fromkeys([*clause.defaults, *params]):
        default = clause.defaults.get(name)
        templated = isinstance(default, str) and "{" in default
        if templated and rendered is None:
            rendered = clause_params(defs, post, clause, {})
        as_seen = rendered[name] if templated and rendered is not None else default
        if name in clause.defaults:
            use.default[name] = _show(as_seen)
        if name in params and (name not in clause.defaults or _key(params[name]) != _key(as_seen)):
            use.keys[name], use.shown[name] = _key(params[name]), _show(params[name])
            use.own.add(name)
        elif name in clause.defaults:
            use.keys[name], use.shown[name] = _key(default), _show(as_seen)
    return use


def _at_least(count: int, total: int, share: tuple[int, int]) -> bool:
    return count * share[1] >= total * share[0]


def check_param_outliers(defs: Definitions, directive_id: str) -> list[Finding]:
    """An annex post's parameter value that differs from a clear majority of the clause's uses."""
    annexes = annex_numbers(defs, directive_id)
    uses = [_use(defs, *ref) for ref in _references(defs)]
    counts: dict[tuple[str, str], Counter[Key]] = defaultdict(Counter)
    shown: dict[Key, str] = {}  # a value as written, for each key (the first use's)
    for use in uses:
        for name, key in use.keys.items():
            counts[(use.clause.id, name)][key] += 1
            shown.setdefault(key, use.shown[name])
    out: list[Finding] = []
    for use in uses:
        if use.post.id not in annexes:
            continue
        for name, key in use.keys.items():
            tally = counts[(use.clause.id, name)]
            total = sum(tally.values())
            major, count = tally.most_common(1)[0]
            if total >= MIN_USES and _at_least(count, total, MAJORITY) and key != major:
                out.append(_outlier(use, name, (major, shown[major]), count, total, annexes[use.post.id]))
    return out


def _quoted(value: str) -> str:
    return f'"{value}"' if value else "(tühi)"


def _outlier(use: _Use, name: str, major: tuple[Key, str], count: int, total: int, annex: int) -> Finding:
    """The finding on one use; `major` is the majority's key and its value as written."""
    clause = use.clause
    major_is_default = name in clause.defaults and major[0] == _key(clause.defaults[name])
    value = use.default[name] if major_is_default else major[1]
    theirs = (f"kasutavad klausli vaikeväärtust {_quoted(value)}" if major_is_default
              else f"annavad sellele väärtuse {_quoted(value)}")
    head = (
        f'Ühise klausli "{clause.id}" ({where(clause.source)}) parameeter "{name}" on ametikohal '
        f"{use.post.id} ({where(use.source)})"
    )
    tail = f"aga {count} ametikohta {total}-st, mis klauslit kasutavad, {theirs}."
    severity = Severity.INFO
    if name in use.own:
        fix = (f'kustuta parameeter "{name}" (siis kehtib vaikeväärtus)' if major_is_default
               else f'kirjuta "{name}: {value}"')
        message = f"{head} {_quoted(use.shown[name])}, {tail} Kontrolli, et erinevus on taotluslik; kui ei ole, {fix}."
    else:
        message = (
            f"{head} klausli vaikeväärtus {_quoted(use.shown[name])}, {tail} Kui ka see ametikoht "
            f'vajab väärtust {_quoted(value)}, lisa "parameetrid: {{{name}: {value}}}"; kui enamiku '
            "väärtus sobib kõigile, kaalu klausli vaikeväärtuse muutmist."
        )
        if _at_least(count, total, STRONG):
            severity = Severity.HOIATUS
    return finding(severity, KIND_OUTLIER, message, use.source, annex, subject=clause.id)

"""The organisation graph: manager and subordinates agree, substitution is mutual, no cycles.

Only the directive's annexes are checked, and only against posts that have a job description
of their own (`Post.is_full`): a short post that is merely named has no lists, so it cannot be
expected to name anyone back. A list entry counts as naming a post when it is that post or a
namesake (same title in the same unit): the document cannot tell "nõustaja" posts apart either.
"""

from __future__ import annotations

from ..definitions.model import Definitions, Post, PostRef, PostRefList
from ..estonian import capitalize_first
from .common import annex_numbers, annex_posts, finding, where
from .findings import Finding, Severity

KIND_MANAGER = "alluvus"
KIND_SUBSTITUTE = "asendamine"
KIND_CYCLE = "juhtimisahel"


def _namesake(a: Post, b: Post) -> bool:
    return a.id == b.id or (a.title == b.title and a.unit == b.unit)


def _names(defs: Definitions, lst: PostRefList | None, post: Post) -> bool:
    """Whether the list names `post` (or a namesake of it)."""
    if lst is None:
        return False
    return any(ref.post_id in defs.posts and _namesake(defs.posts[ref.post_id], post) for ref in lst.refs)


def _named_back(defs: Definitions, other: Post, attr: str, post: Post) -> bool:
    """Whether `other` or a namesake of it names `post` in its list `attr`: "nõustaja" in a
    list means any nõustaja post, so any of them may answer for it."""
    return any(
        _names(defs, getattr(p, attr), post)
        for p in defs.posts.values()
        if p.is_full and _namesake(p, other)
    )


def _label(post: Post) -> str:
    return f'"{post.title}" ({post.id})'


def _list_place(lst: PostRefList | None, post: Post) -> str:
    return where(lst.source if lst is not None else post.source)


def check_graph(defs: Definitions, directive_id: str) -> list[Finding]:
    """Disagreements between the lists of two posts, and cycles of managers."""
    annexes = annex_numbers(defs, directive_id)
    findings: list[Finding] = []
    for n, post, _ref in annex_posts(defs, directive_id):
        findings += _manager(defs, post, n)
        findings += _subordinates(defs, post, n)
        findings += _substitutes_for(defs, post, n)
        findings += _substituted_by(defs, post, n)
    findings += _cycles(defs, annexes)
    return findings


def _others(defs: Definitions, post: Post, lst: PostRefList | None) -> list[tuple[PostRef, Post]]:
    """The full posts a list names, other than the post itself (or its namesakes)."""
    if lst is None:
        return []
    out = []
    for ref in lst.refs:
        other = defs.posts.get(ref.post_id)
        if other is None or not other.is_full or _namesake(other, post):
            continue
        out.append((ref, other))
    return out


def _manager(defs: Definitions, post: Post, n: int) -> list[Finding]:
    out = []
    for ref, boss in _others(defs, post, post.manager):
        if _named_back(defs, boss, "subordinates", post):
            continue
        out.append(
            finding(
                Severity.HOIATUS,
                KIND_MANAGER,
                f"Vahetu juht on {_label(boss)}, kuid selle ametikoha alluvate loetelus "
                f'("alluvad", {_list_place(boss.subordinates, boss)}) ei ole "{post.title}". '
                f'Lisa "{post.id}" ametikoha {boss.id} alluvate hulka või paranda siin vahetu juht.',
                ref.source,
                n,
                subject=post.id,
            )
        )
    return out


def _subordinates(defs: Definitions, post: Post, n: int) -> list[Finding]:
    out = []
    for ref, sub in _others(defs, post, post.subordinates):
        if _named_back(defs, sub, "manager", post):
            continue
        if sub.manager is None or not sub.manager.refs:
            actual = "vahetut juhti pole märgitud"
        else:
            names = ", ".join(f'"{defs.posts[r.post_id].title}"' for r in sub.manager.refs if r.post_id in defs.posts)
            actual = f"vahetu juht on {names}"
        out.append(
            finding(
                Severity.HOIATUS,
                KIND_MANAGER,
                f"Alluvate hulgas on {_label(sub)}, kuid selle ametikoha ametijuhendis "
                f'({_list_place(sub.manager, sub)}) {actual}. Paranda ametikoha {sub.id} '
                f'"vahetu_juht" või kustuta "{sub.id}" siit alluvate hulgast.',
                ref.source,
                n,
                subject=post.id,
            )
        )
    return out


def _substitutes_for(defs: Definitions, post: Post, n: int) -> list[Finding]:
    out = []
    for ref, other in _others(defs, post, post.substitutes_for):
        if _named_back(defs, other, "substituted_by", post):
            continue
        out.append(
            finding(
                Severity.HOIATUS,
                KIND_SUBSTITUTE,
                f"{capitalize_first(post.title)} asendab ametikohta {_label(other)}, kuid selle "
                f'ametikoha asendajate loetelus ("teenistuja_asendaja", '
                f'{_list_place(other.substituted_by, other)}) ei ole "{post.title}". Asendamine '
                f'peab olema vastastikune: lisa "{post.id}" ametikoha {other.id} asendajate hulka '
                f'või kustuta "{other.id}" siit.',
                ref.source,
                n,
                subject=post.id,
            )
        )
    return out


def _substituted_by(defs: Definitions, post: Post, n: int) -> list[Finding]:
    out = []
    for ref, other in _others(defs, post, post.substituted_by):
        if _named_back(defs, other, "substitutes_for", post):
            continue
        out.append(
            finding(
                Severity.HOIATUS,
                KIND_SUBSTITUTE,
                f"Asendajate hulgas on {_label(other)}, kuid selle ametikoha loetelus "
                f'"teenistuja_asendab" ({_list_place(other.substitutes_for, other)}) ei ole '
                f'"{post.title}". Asendamine peab olema vastastikune: lisa "{post.id}" ametikoha '
                f'{other.id} loetellu "teenistuja_asendab" või kustuta "{other.id}" siit.',
                ref.source,
                n,
                subject=post.id,
            )
        )
    return out


def _cycles(defs: Definitions, annexes: dict[str, int]) -> list[Finding]:
    """Each cycle of managers reachable from an annex, once, at the first annex post in it."""
    out: list[Finding] = []
    seen: set[frozenset[str]] = set()

    def managers(pid: str) -> list[PostRef]:
        post = defs.posts.get(pid)
        if post is None or post.manager is None:
            return []
        return [r for r in post.manager.refs if r.post_id in defs.posts]

    for start in annexes:
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            pid, path = stack.pop()
            for ref in managers(pid):
                nxt = ref.post_id
                if nxt in path:
                    cycle = path[path.index(nxt):]
                    key = frozenset(cycle)
                    if key in seen:
                        continue
                    seen.add(key)
                    first = min(cycle, key=lambda p: (annexes.get(p, 10**6), p))
                    at = managers(first)
                    ring = cycle[cycle.index(first):] + cycle[: cycle.index(first)] + [first]
                    chain = " → ".join(ring)
                    source = next((r.source for r in at if r.post_id in cycle), defs.posts[first].source)
                    out.append(
                        finding(
                            Severity.VIGA,
                            KIND_CYCLE,
                            f"Vahetute juhtide ahel on suletud ring: {chain}. Keegi ei saa olla "
                            'iseenda (kaudne) juht: paranda mõne nimetatud ametikoha "vahetu_juht".',
                            source,
                            annexes.get(first),
                            subject=first,
                        )
                    )
                elif len(path) < 100:
                    stack.append((nxt, path + [nxt]))
    return out

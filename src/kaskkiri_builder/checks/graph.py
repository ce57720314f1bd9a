"""The organisation graph: manager and subordinates agree, substitution is mutual, no cycles.

Only the directive's annexes are checked, and only against posts that have a job description
of their own (`Post.is_full`): a short post that is merely named has no lists, so it cannot be
expected to name anyone back. A list entry counts as naming a post when it is that post or a
namesake (same title in the same unit): the document cannot tell "nõustaja" posts apart either.
The head of the agency (`HEAD_ID`) has no post file and so no lists: a post may name it without
being named back, and it ends every chain of managers.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from ..definitions.model import HEAD_ID, Definitions, Post, PostRef, PostRefList
from ..estonian import capitalize_first
from .common import annex_numbers, each_annex, finding, where
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
    findings = each_annex(defs, directive_id, partial(_one_sided, defs))
    return findings + _cycles(defs, annex_numbers(defs, directive_id))


class _Link(NamedTuple):
    """What a post's list asks of each post it names: to name the post back in list `back`.

    `message` is a `str.format` template: {title}, {Title} (capitalised) and {id} are the post's,
    {other} and {other_id} the named post's, {back} where its list `back` is written, and
    {its_manager} what its "vahetu_juht" says.
    """

    back: str
    kind: str
    message: str


#: A post's list -> what the posts it names must answer, in the order the findings are listed.
_LINKS: dict[str, _Link] = {
    "manager": _Link(
        "subordinates",
        KIND_MANAGER,
        'Vahetu juht on {other}, kuid selle ametikoha alluvate loetelus ("alluvad", {back}) ei ole '
        '"{title}". Lisa "{id}" ametikoha {other_id} alluvate hulka või paranda siin vahetu juht.',
    ),
    "subordinates": _Link(
        "manager",
        KIND_MANAGER,
        "Alluvate hulgas on {other}, kuid selle ametikoha ametijuhendis ({back}) {its_manager}. "
        'Paranda ametikoha {other_id} "vahetu_juht" või kustuta "{other_id}" siit alluvate hulgast.',
    ),
    "substitutes_for": _Link(
        "substituted_by",
        KIND_SUBSTITUTE,
        '{Title} asendab ametikohta {other}, kuid selle ametikoha asendajate loetelus '
        '("teenistuja_asendaja", {back}) ei ole "{title}". Asendamine peab olema vastastikune: '
        'lisa "{id}" ametikoha {other_id} asendajate hulka või kustuta "{other_id}" siit.',
    ),
    "substituted_by": _Link(
        "substitutes_for",
        KIND_SUBSTITUTE,
        'Asendajate hulgas on {other}, kuid selle ametikoha loetelus "teenistuja_asendab" ({back}) '
        'ei ole "{title}". Asendamine peab olema vastastikune: lisa "{id}" ametikoha {other_id} '
        'loetellu "teenistuja_asendab" või kustuta "{other_id}" siit.',
    ),
}


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


def _one_sided(defs: Definitions, post: Post, n: int) -> list[Finding]:
    """Each entry of the post's lists whose post does not name it back (see `_LINKS`)."""
    out = []
    for attr, link in _LINKS.items():
        for ref, other in _others(defs, post, getattr(post, attr)):
            if _named_back(defs, other, link.back, post):
                continue
            message = link.message.format(
                title=post.title,
                Title=capitalize_first(post.title),
                id=post.id,
                other=_label(other),
                other_id=other.id,
                back=_list_place(getattr(other, link.back), other),
                its_manager=_its_manager(defs, other),
            )
            out.append(finding(Severity.HOIATUS, link.kind, message, ref.source, n, subject=post.id))
    return out


def _its_manager(defs: Definitions, post: Post) -> str:
    """What the post's "vahetu_juht" says, for a message about it."""
    if post.manager is None or not post.manager.refs:
        return "vahetut juhti pole märgitud"
    head = defs.organisation.head.title
    names = ", ".join(
        f'"{head if r.post_id == HEAD_ID else defs.posts[r.post_id].title}"'
        for r in post.manager.refs
        if r.post_id in defs.posts or r.post_id == HEAD_ID
    )
    return f"vahetu juht on {names}"


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

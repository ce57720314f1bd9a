"""What every family of model-level checks needs: the directive's annexes, rendering, places.

The checks render texts exactly as `resolve` does (same sandboxed Jinja, same parameter
precedence), so that what they compare is what the document shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..definitions.load import Source
from ..definitions.model import Clause, Definitions, Post, PostRef, Text
from ..errors import place
from ..estonian import join_list
from ..resolve import Resolver, clause_params, directive_of
from .findings import Finding, Quote, Severity

__all__ = [
    "Renderer",
    "annex_list",
    "annex_numbers",
    "annex_posts",
    "directive_of",
    "each_annex",
    "finding",
    "used_by",
    "where",
]


def annex_numbers(defs: Definitions, directive_id: str) -> dict[str, int]:
    """Post id -> its annex number (Lisa N) in the directive."""
    directive = directive_of(defs, directive_id)
    out: dict[str, int] = {}
    for n, ref in enumerate(directive.annexes, start=1):
        out.setdefault(ref.post_id, n)
    return out


def annex_posts(defs: Definitions, directive_id: str) -> list[tuple[int, Post, PostRef]]:
    """(annex number, post, the directive's reference) for every annex, in order."""
    directive = directive_of(defs, directive_id)
    return [
        (n, defs.posts[ref.post_id], ref)
        for n, ref in enumerate(directive.annexes, start=1)
        if ref.post_id in defs.posts
    ]


def each_annex(
    defs: Definitions, directive_id: str, *checks: Callable[[Post, int], list[Finding]]
) -> list[Finding]:
    """The findings of per-post checks, annex by annex: `check(post, n)` for every annex post."""
    return [f for n, post, _ref in annex_posts(defs, directive_id) for check in checks for f in check(post, n)]


class Renderer:
    """Renders texts as `resolve` does; a broken template yields its raw text (the build reports it)."""

    def __init__(self, defs: Definitions):
        self.defs = defs
        self.resolver = Resolver(defs)

    def ctx(self, post: Post) -> dict[str, Any]:
        return self.resolver.post_context(post)

    def text(self, text: Text, post: Post | None = None, params: Mapping[str, Any] | None = None) -> str:
        ctx = self.ctx(post) if post is not None else {}
        return self.resolver.texts.render(text, {**ctx, **(params or {})})

    def clause_params(self, post: Post, clause: Clause, params: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters a clause sees in a post (`resolve.clause_params`)."""
        return clause_params(self.defs, post, clause, params)

    def ref_name(self, ref: PostRef) -> str:
        return self.resolver.ref_name(ref)


def where(source: Source | None) -> str:
    """"definitions/ametikohad/x.yaml:12", for messages that point at a second place."""
    return place(source.file, source.line) if source is not None else ""


def annex_list(numbers: Iterable[int], case: str = "nominative") -> str:
    """"lisa 3" / "lisad 1, 3 ja 5"; inessive: "lisas 3" / "lisades 1, 3 ja 5"."""
    nums = sorted(set(numbers))
    if not nums:
        return ""
    one, many = ("lisas", "lisades") if case == "inessive" else ("lisa", "lisad")
    if len(nums) == 1:
        return f"{one} {nums[0]}"
    return f"{many} " + join_list(str(n) for n in nums)


def used_by(numbers: Iterable[int]) -> str:
    """"kasutab lisa 2" / "kasutavad lisad 1 ja 2" (the annexes that use a clause)."""
    nums = set(numbers)
    return f"{'kasutab' if len(nums) == 1 else 'kasutavad'} {annex_list(nums)}"


def finding(
    severity: Severity,
    kind: str,
    message: str,
    source: Source | None,
    annex: int | None = None,
    *,
    subject: str | None = None,
    quotes: tuple[Quote, ...] = (),
) -> Finding:
    return Finding(severity, kind, message, source, annex, subject, quotes)

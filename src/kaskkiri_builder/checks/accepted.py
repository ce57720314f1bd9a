"""Accepted findings: what a reviewer has decided is meant, with the reason.

An acceptance stands where the thing is: in a post's file (`aktsepteeritud_leiud`: the post's
findings of that kind, or the one on `rida`), or in the directive's definition with `fail` and
`rida` for anything else (the ledger, a clause file). An accepted finding stays in the report,
marked with its reason, and no longer counts: not for `check --strict`, not for the final
build, not in the summary lines. An acceptance that matches no finding is itself reported, so
that a stale one does not silently accept the next, different problem on the same line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from ..definitions.model import Acceptance, Definitions
from .common import annex_posts, directive_of, finding
from .findings import Finding, Severity

KIND_UNUSED = "aktsepteerimine"


@dataclass(frozen=True)
class _Rule:
    acceptance: Acceptance
    file: str | None  # the file's name as findings give it (its tail, from definitions/ on)


def counted(findings: list[Finding]) -> list[Finding]:
    """The findings that count: every one not accepted."""
    return [f for f in findings if f.accepted is None]


def apply_acceptances(defs: Definitions, directive_id: str, findings: list[Finding],
                      complete: bool = True) -> list[Finding]:
    """`findings` with the accepted ones marked, plus (when `complete`: every check ran) a
    finding for each acceptance that matched nothing."""
    rules = _rules(defs, directive_id)
    used: set[int] = set()
    out: list[Finding] = []
    for f in findings:
        hits = [i for i, rule in enumerate(rules) if _matches(rule, f)]
        hit = next((i for i in hits if i not in used), hits[0] if hits else None)  # twins: one each
        if hit is None:
            out.append(f)
            continue
        used.add(hit)
        out.append(replace(f, accepted=rules[hit].acceptance.reason))
    for i, rule in enumerate(rules):
        if complete and i not in used:
            a = rule.acceptance
            where = f" ({rule.file}{':' + str(a.line) if a.line else ''})" if rule.file else ""
            out.append(finding(
                Severity.INFO, KIND_UNUSED,
                f'Aktsepteeritud leidu "{a.kind}"{where} enam ei ole: kustuta see aktsepteerimine, '
                "et see ei aktsepteeriks hiljem mõnda teist leidu.", a.source, subject=a.kind))
    return out


def _rules(defs: Definitions, directive_id: str) -> list[_Rule]:
    directive = directive_of(defs, directive_id)
    rules = [_Rule(a, _tail(a.file) if a.file else None) for a in directive.accepted]
    seen: set[str] = set()
    for _n, post, _ref in annex_posts(defs, directive_id):
        if post.id not in seen:
            seen.add(post.id)
            rules += [_Rule(a, _tail(post.source.file)) for a in post.accepted]
    return rules


def _tail(path: str | None) -> str | None:
    """A file's name from definitions/ on, whichever base the messages use."""
    if path is None:
        return None
    parts = PurePosixPath(path.replace("\\", "/")).parts
    return "/".join(parts[parts.index("definitions") + 1:] if "definitions" in parts else parts)


def _matches(rule: _Rule, f: Finding) -> bool:
    a = rule.acceptance
    if f.accepted is not None or f.kind != a.kind:
        return False
    if rule.file is not None and _tail(f.file) != rule.file:
        return False
    return a.line is None or f.line == a.line


"""`kaskkiri check`: every family of checks on one directive, one sorted list of findings.

One defect, one finding: a shared clause's defect is reported once, at the clause, with the
annexes that show it; a text-level finding that repeats a model-level one (the missing full
stop of an Eritingimused override, the missing comma of a published list) is dropped, because
the model-level message says more.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..definitions.model import Definitions
from .clauses import check_clauses
from .common import annex_list, directive_of
from .directive import check_directive
from .findings import Finding, Severity
from .graph import check_graph
from .groups import check_groups
from .history_checks import check_history
from .lists import check_lists
from .requirements import check_requirements
from .spots import ClauseUse, collect

Family = Callable[[Definitions, str], list[Finding]]

FAMILIES: tuple[Family, ...] = (
    check_graph,
    check_groups,
    check_lists,
    check_clauses,
    check_requirements,
    check_directive,
    check_history,
)

_SEVERITY_ORDER = {Severity.VIGA: 0, Severity.HOIATUS: 1, Severity.INFO: 2}
_QUOTED = re.compile(r'"([^"]+)"')


def run_checks(
    defs: Definitions, directive_id: str, *, text_checks: bool = True, spelling: bool = True
) -> list[Finding]:
    """All findings for the directive, sorted by (annex, file, line, kind), without repeats.

    `text_checks=False` leaves out spelling and punctuation (fast, and no Vabamorf needed);
    `spelling=False` leaves out only spelling (the lexicon's load is most of a check's time).
    """
    directive_of(defs, directive_id)  # an unknown id is an error, not an empty report
    findings: list[Finding] = []
    for family in FAMILIES:
        findings += family(defs, directive_id)
    if text_checks:
        findings += _text_findings(defs, directive_id, findings, spelling)
    return _finish(findings)


def _text_findings(
    defs: Definitions, directive_id: str, model: list[Finding], spelling: bool = True
) -> list[Finding]:
    from .punctuation import check_punctuation, check_sibling_full_stops

    collected = collect(defs, directive_id)
    raw: list[Finding] = []
    if spelling:
        from .spelling import check_spelling

        raw += check_spelling(collected.spots)
    raw += check_punctuation(collected.spots)
    raw += check_sibling_full_stops(collected.groups)
    raw = [f for f in raw if not _covered(f, model)]
    out: list[Finding] = []
    seen: set[tuple] = set()
    for f in raw:
        use = collected.clause_lines.get((f.file or "", f.line))
        if use is None:
            out.append(f)
            continue
        # The same clause line seen in several annexes: one finding per slip (the sibling
        # check's counts differ per annex, so the message alone would not merge them).
        quoted = _QUOTED.search(f.message)
        key = (f.severity, f.kind, f.file, f.line, quoted.group(1) if quoted else f.message)
        if key in seen:
            continue
        seen.add(key)
        out += _at_clause(f, use)
    return out


def _covered(f: Finding, model: list[Finding]) -> bool:
    """Whether a model-level finding at the same place already reports this slip."""
    for m in model:
        if (m.file, m.line) != (f.file, f.line):
            continue
        if f.kind == "lopupunkt" and ("puudub punkt" in m.message or m.kind == "eritingimused"):
            return True
        if f.kind == "kirjavahemargid" and "puudub koma" in f.message.lower() and "puudub koma" in m.message:
            return True
        if f.kind == "oigekiri" and m.kind in ("klausli_triiv", "klausli_variant"):
            quoted = _QUOTED.search(f.message)
            if quoted and quoted.group(1) in m.message:
                return True  # the drift message already quotes the word and the clause's spelling
    return False


def _at_clause(f: Finding, use: ClauseUse) -> list[Finding]:
    """A finding on a clause's text: at the post that set the offending parameter, if it is a
    parameter's words; otherwise once at the clause, naming every annex that shows it."""
    quoted = _QUOTED.search(f.message)
    if quoted:
        word = quoted.group(1)
        setters = []
        for annex, source, params in use.uses:
            keys = [k for k, v in params.items() if isinstance(v, str) and word in v]
            if keys and word not in use.raw:
                setters.append((annex, source, keys[0]))
        if setters:
            return [
                Finding(
                    severity=f.severity,
                    kind=f.kind,
                    message=f'{f.message} (klausli "{use.clause_id}" parameeter "{key}")',
                    file=source.file,
                    line=source.line,
                    annex=annex,
                )
                for annex, source, key in dict.fromkeys(setters)
            ]
    message = f.message
    if len(use.annexes) > 1:
        message += f' Ühine klausel "{use.clause_id}": sama tekst on {annex_list(use.annexes, "inessive")}.'
    return [
        Finding(
            severity=f.severity,
            kind=f.kind,
            message=message,
            file=f.file,
            line=f.line,
            annex=min(use.annexes) if use.annexes else f.annex,
        )
    ]


def _finish(findings: list[Finding]) -> list[Finding]:
    """Drop repeats (same place, kind and message; the first annex kept) and sort."""
    merged: dict[tuple, Finding] = {}
    for f in findings:
        key = (f.severity, f.kind, f.file, f.line, f.message)
        old = merged.get(key)
        if old is None or (f.annex is not None and (old.annex is None or f.annex < old.annex)):
            merged[key] = f
    return sorted(
        merged.values(),
        key=lambda f: (
            -1 if f.annex is None else f.annex,
            f.file or "",
            f.line or 0,
            f.kind,
            _SEVERITY_ORDER[f.severity],
            f.message,
        ),
    )

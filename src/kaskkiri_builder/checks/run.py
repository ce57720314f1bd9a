"""`kaskkiri check`: every family of checks on one directive, one sorted list of findings.

One defect, one finding: a shared clause's defect is reported once, at the clause, with the
annexes that show it; a text-level finding that repeats a model-level one (the missing full
stop of an Eritingimused override, the missing comma of a published list) is dropped, because
the model-level message says more. All of it is decided on the findings' fields (place, kind,
subject, quoted words), never on their messages' wording.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ..definitions.load import Source
from ..definitions.model import Definitions
from .accepted import apply_acceptances
from .clauses import KIND_DRIFT, KIND_VARIANT, check_clauses
from .common import annex_list, directive_of
from .directive import check_directive
from .findings import Finding, Severity, TextSpot
from .foreign_units import check_foreign_units
from .graph import check_graph
from .groups import KIND_SPECIAL, check_groups
from .history_checks import check_history
from .language_memo import remembered
from .lists import check_lists
from .param_outliers import check_param_outliers
from .punctuation import KIND as KIND_PUNCTUATION
from .punctuation import KIND_FULL_STOP
from .requirements import check_requirements
from .spelling import KIND as KIND_SPELLING
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
    check_foreign_units,
    check_param_outliers,
)

_SEVERITY_ORDER = {Severity.VIGA: 0, Severity.HOIATUS: 1, Severity.INFO: 2}


def run_checks(
    defs: Definitions, directive_id: str, *, text_checks: bool = True, spelling: bool = True
) -> list[Finding]:
    """All findings for the directive, sorted by (annex, file, line, kind), without repeats.

    `text_checks=False` leaves out spelling, grammar and punctuation (fast, no Vabamorf needed);
    `spelling=False` leaves out spelling and grammar (the lexicon's load is most of a check's time).
    """
    directive_of(defs, directive_id)  # an unknown id is an error, not an empty report
    findings: list[Finding] = []
    for family in FAMILIES:
        findings += family(defs, directive_id)
    if text_checks:
        findings += _text_findings(defs, directive_id, findings, spelling)
    return _finish(apply_acceptances(defs, directive_id, _finish(findings), text_checks and spelling))


def _text_findings(
    defs: Definitions, directive_id: str, model: list[Finding], spelling: bool = True
) -> list[Finding]:
    from .punctuation import check_punctuation, check_sibling_full_stops

    collected = collect(defs, directive_id)
    raw: list[Finding] = []
    if spelling:
        raw += remembered(collected.spots, _language_findings)
    raw += check_punctuation(collected.spots)
    raw += check_sibling_full_stops(collected.groups)
    raw = [f for f in raw if not _covered(f, model)]
    out: list[Finding] = []
    seen: set[tuple[Severity, str, str | None, int | None, str]] = set()
    for f in raw:
        use = collected.clause_lines.get((f.file or "", f.line))
        if use is None:
            out.append(f)
            continue
        # The same clause line seen in several annexes: one finding per slip (the sibling
        # check's counts differ per annex, so the message alone would not merge them).
        key = (f.severity, f.kind, f.file, f.line, _slip(f))
        if key in seen:
            continue
        seen.add(key)
        out += _at_clause(f, use)
    return out


def _language_findings(spots: Sequence[TextSpot]) -> list[Finding]:
    """Spelling and grammar: Vabamorf's part, the slow one (language_memo keeps its results)."""
    from .grammar import check_grammar
    from .spelling import check_spelling

    grammar = check_grammar(spots)
    return [f for f in check_spelling(spots) if not _said_by_grammar(f, grammar)] + grammar


def _slip(f: Finding) -> str:
    """What a text-level finding is about: the words it quotes first (its message if none)."""
    return f.quotes[0].written if f.quotes else f.message


def _said_by_grammar(f: Finding, grammar: list[Finding]) -> bool:
    """Whether a grammar finding quotes exactly this unknown word ("läbiviima": Vabamorf does not
    know the joined particle verb, and the grammar finding says to write it apart)."""
    return any(
        g.source == f.source and g.quotes and f.quotes and g.quotes[0].written == f.quotes[0].written
        for g in grammar
    )


def _covered(f: Finding, model: list[Finding]) -> bool:
    """Whether a model-level finding at the same place already reports this slip."""
    for m in model:
        if m.source != f.source:
            continue
        if f.kind == KIND_FULL_STOP and (m.missing(".") or m.kind == KIND_SPECIAL):
            return True
        if f.kind == KIND_PUNCTUATION and f.missing(",") and m.missing(","):
            return True
        if f.kind == KIND_SPELLING and m.kind in (KIND_DRIFT, KIND_VARIANT) and f.quotes:
            word = f.quotes[0].written
            if any(q.mentions(word) for q in m.quotes):
                return True  # the drift finding already quotes the word and the clause's spelling
    return False


def _at_clause(f: Finding, use: ClauseUse) -> list[Finding]:
    """A finding on a clause's text: at the post that set the offending parameter, if it is a
    parameter's words; otherwise once at the clause, naming every annex that shows it."""
    if f.quotes:
        word = f.quotes[0].written
        setters: list[tuple[int, str, Source, str]] = []
        for u in use.uses:
            keys = [k for k, v in u.params.items() if isinstance(v, str) and word in v]
            if keys and word not in use.raw:
                setters.append((u.annex, u.post_id, u.source, keys[0]))
        if setters:
            return [
                replace(
                    f,
                    message=f'{f.message} (klausli "{use.clause_id}" parameeter "{key}")',
                    source=source,
                    annex=annex,
                    subject=post_id,
                )
                for annex, post_id, source, key in dict.fromkeys(setters)
            ]
    message = f.message
    if len(use.annexes) > 1:
        message += f' Ühine klausel "{use.clause_id}": sama tekst on {annex_list(use.annexes, "inessive")}.'
    annex = min(use.annexes) if use.annexes else f.annex
    return [replace(f, message=message, annex=annex, subject=use.clause_id)]


def _finish(findings: list[Finding]) -> list[Finding]:
    """Drop repeats (same place, kind and message; the first annex kept) and sort."""
    merged: dict[tuple[Severity, str, str | None, int | None, str], Finding] = {}
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

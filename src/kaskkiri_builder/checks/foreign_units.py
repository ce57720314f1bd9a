"""Shared wording that names the wrong unit, and abolishing what is not in force.

A shared clause is written once, for the unit its first posts belonged to. Reused by a post of
another unit, its default wording would print that other unit's name ("ohvriabi osakonna
teiste teenistujatega") in a job description where it is plainly wrong, with no error. So every
clause text an annex takes from the library is searched for the names of units the post does
not belong to; a name that comes from the post's own parameters was chosen and is not reported.
Clause texts can name the post's own units instead: `{{ yksus.omastav }}`,
`{{ ulemyksus.omastav }}`.

A directive that abolishes a post with no job description in force revokes nothing for it:
point 2 is silent about it, which may be a misspelt post or a ledger that lacks its directive.
"""

from __future__ import annotations

import re

from ..definitions.model import Definitions, DutyClause, Post, Unit
from ..history import in_force
from .common import Renderer, annex_posts, directive_of, finding
from .findings import Finding, Severity

KIND_FOREIGN_UNIT = "voora_yksus"
KIND_ABOLISHED = "kaotatav_ametikoht"


def check_foreign_units(defs: Definitions, directive_id: str) -> list[Finding]:
    renderer = Renderer(defs)
    out: list[Finding] = []
    for n, post, _ref in annex_posts(defs, directive_id):
        out += _post(defs, renderer, post, n)
    return out + _abolished_not_in_force(defs, directive_id)


def _post(defs: Definitions, renderer: Renderer, post: Post, n: int) -> list[Finding]:
    org = defs.organisation
    own = {u.id for u in org.unit_chain(post.unit)}
    foreign = [u for u in org.units.values() if u.id not in own]
    out: list[Finding] = []
    for duty in post.duties:
        clause = defs.clauses.get(duty.clause_id or "")
        if not isinstance(clause, DutyClause):
            continue
        params = renderer.clause_params(post, clause, duty.params)
        texts = [clause.text, *(duty.results if duty.results is not None else clause.results)]
        chosen = " ".join(str(v) for v in duty.params.values()).lower()
        for text in texts:
            shown = renderer.resolver.texts.render(text, params)
            for unit in _named(shown, foreign):
                if unit.genitive.lower() in chosen or unit.name.lower() in chosen:
                    continue
                out.append(finding(
                    Severity.HOIATUS, KIND_FOREIGN_UNIT,
                    f'Ühise klausli "{clause.id}" tekst nimetab üksust "{unit.name}", kuhu '
                    f"ametikoht {post.id} ei kuulu ({org.unit_name(post.unit)}): "
                    f'"{_around(shown, unit)}". Anna klauslile ametikoha oma parameeter või '
                    "kasuta klausli tekstis ametikoha üksust ({{ yksus.omastav }}, "
                    "{{ ulemyksus.omastav }}).",
                    duty.source, n, subject=clause.id))
    return out


def _named(text: str, units: list[Unit]) -> list[Unit]:
    """The units whose name or genitive the text uses as a word (a plain search first: most
    texts name none of an agency's units, and 200 annexes asked 400,000 questions)."""
    low = text.lower()
    return [u for u in units if any(
        name.lower() in low and re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", low)
        for name in (u.genitive, u.name) if name)]


def _around(text: str, unit: Unit) -> str:
    low = text.lower()
    at = max(low.find(unit.genitive.lower()), low.find(unit.name.lower()))
    return text[max(0, at - 20):at + len(unit.genitive) + 30].strip()


def _abolished_not_in_force(defs: Definitions, directive_id: str) -> list[Finding]:
    directive = directive_of(defs, directive_id)
    if not directive.abolished:
        return []
    before = (directive.date, str(directive.number)) if directive.date and directive.number else None
    current = in_force(defs.ledger or (), on=None if before else directive.date, before=before)
    return [
        finding(Severity.HOIATUS, KIND_ABOLISHED,
                f'Kaotatava ametikoha "{ref.post_id}" ametijuhendit ei ole ajaloo järgi kehtivana: '
                "punkt 2 ei tunnista selle kohta midagi kehtetuks. Kontrolli ametikoha id-d või "
                "lisa ajalukku käskkiri, mis selle ametijuhendi kinnitas.",
                ref.source, subject=ref.post_id)
        for ref in directive.abolished if ref.post_id not in current
    ]

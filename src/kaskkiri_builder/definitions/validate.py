"""Cross-reference checks of the whole set of definitions.

Run after every file has been read, so that all problems of a run are reported together: a post
or clause that does not exist, a unit that does not exist, an annex listed twice. What is left for
`kaskkiri check` are findings about content; what is here makes a build impossible.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ..errors import Problem
from .load import Source
from .model import Clause, Definitions, DutyClause, PostRefList, RowsClause, TextClause


def unknown_reference(what: str, name: str, known: Iterable[str]) -> str:
    """Estonian: a reference to something that does not exist, with the nearest existing name."""
    near = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    hint = f' Kas mõtlesid "{near[0]}"?' if near else ""
    return f'viide {what} "{name}", mida pole olemas.{hint} Paranda viide või lisa puuduv definitsioon.'


def cross_check(
    defs: Definitions, unreadable: Iterable[str] = frozenset(), broken_clauses: Iterable[str] = frozenset()
) -> list[Problem]:
    """Every reference that points nowhere; posts in `unreadable` and clauses in `broken_clauses`
    could not be read (already reported), so references to them are not reported again."""
    problems: list[Problem] = []
    units = defs.organisation.units
    posts = defs.posts
    clauses = defs.clauses
    unreadable = set(unreadable)
    broken_clauses = set(broken_clauses)

    for unit in units.values():
        if unit.parent and unit.parent not in units:
            problems.append(unit.source.problem(unknown_reference("struktuuriüksust", unit.parent, units)))

    def check_refs(lst: PostRefList | None) -> None:
        if lst is None:
            return
        for ref in lst.refs:
            if ref.post_id in unreadable:
                continue
            if ref.post_id not in posts:
                problems.append(ref.source.problem(unknown_reference("ametikohale", ref.post_id, posts)))
            elif ref.plural and not posts[ref.post_id].title_plural:
                problems.append(
                    ref.source.problem(
                        f'"mitmuses: true", aga ametikohal "{ref.post_id}" pole '
                        '"teenistuskoht_mitmuses". Lisa see ametikoha faili.'
                    )
                )

    def check_clause(clause_id: str, source: Source, kind: type[Clause], not_kind: str) -> None:
        clause = clauses.get(clause_id)
        if clause is None and clause_id in broken_clauses:
            return
        if clause is None:
            problems.append(source.problem(unknown_reference("klauslile", clause_id, clauses)))
        elif not isinstance(clause, kind):
            problems.append(source.problem(f'klausel "{clause_id}" ei ole {not_kind}'))

    for post in posts.values():
        if post.unit and post.unit not in units:
            problems.append(post.source.problem(unknown_reference("struktuuriüksusele", post.unit, units)))
        for lst in (post.manager, post.subordinates, post.substitutes_for, post.substituted_by):
            check_refs(lst)
        for duty in post.duties:
            if duty.clause_id is not None:
                check_clause(duty.clause_id, duty.source, DutyClause,
                             'ülesanne (sellel pole "ulesanne" ja "tulemused"). Vali ülesande klausel.')
        if post.rights is not None:
            check_clause(post.rights.clause_id, post.rights.source, RowsClause,
                         'õiguste ja vastutuse klausel (sellel pole "read"). Vali õiguste ja vastutuse klausel.')
        if post.closing is not None:
            check_clause(post.closing.clause_id, post.closing.source, TextClause,
                         "tekstiklausel. Vali tekstiklausel.")

    for directive in defs.directives.values():
        if directive.unit and directive.unit not in units:
            problems.append(directive.source.problem(unknown_reference("struktuuriüksusele", directive.unit, units)))
        seen: dict[str, int] = {}
        for n, ref in enumerate(directive.annexes, start=1):
            if ref.post_id in unreadable:
                continue
            if ref.post_id not in posts:
                problems.append(ref.source.problem(unknown_reference("ametikohale", ref.post_id, posts)))
                continue
            if ref.post_id in seen:
                problems.append(
                    ref.source.problem(
                        f'ametikoht "{ref.post_id}" on lisades kaks korda (lisa {seen[ref.post_id]} '
                        f"ja lisa {n}). Üks ametikoht saab käskkirjas ühe lisa: kustuta korduv rida."
                    )
                )
                continue
            seen[ref.post_id] = n
            post = posts[ref.post_id]
            if not post.is_full:
                problems.append(
                    ref.source.problem(
                        f'ametikohal "{ref.post_id}" pole ametijuhendit (puuduvad "ulesanded"), '
                        "seega ei saa seda lisana kinnitada. Täienda ametikoha faili."
                    )
                )
        for ref in directive.abolished:
            if ref.post_id not in posts:
                problems.append(ref.source.problem(unknown_reference("ametikohale", ref.post_id, posts)))
    return problems

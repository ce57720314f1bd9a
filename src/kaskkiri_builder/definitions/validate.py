"""Cross-reference checks of the whole set of definitions.

Run after every file has been read, so that all problems of a run are reported together: a post
or clause that does not exist, a unit that does not exist, an annex listed twice. What is left for
`kaskkiri check` are findings about content; what is here makes a build impossible.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from ..errors import Problem
from .load import Source
from .model import (
    HEAD_ID,
    Clause,
    Definitions,
    Directive,
    DutyClause,
    Post,
    PostRef,
    PostRefList,
    RowsClause,
    TextClause,
)

HEAD_NAMED = f'"{HEAD_ID}" tähistab asutuse juhti (organisatsioon.yaml "juht"), kellel pole ametikoha faili'


def unknown_reference(what: str, name: str, known: Iterable[str]) -> str:
    """Estonian: a reference to something that does not exist, with the nearest existing name."""
    near = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    hint = f' Kas mõtlesid "{near[0]}"?' if near else ""
    return f'viide {what} "{name}", mida pole olemas.{hint} Paranda viide või lisa puuduv definitsioon.'


def cross_check(
    defs: Definitions, unreadable: Iterable[str] = frozenset(), broken_clauses: Iterable[str] = frozenset()
) -> list[Problem]:
    """Every reference that leads nowhere and every annex that cannot be approved (posts in
    `unreadable` and clauses in `broken_clauses` were reported already: references to them are
    not)."""
    unreadable = set(unreadable)
    broken = set(broken_clauses)
    units = defs.organisation.units
    problems = [
        unit.source.problem(unknown_reference("struktuuriüksust", unit.parent, units))
        for unit in units.values()
        if unit.parent and unit.parent not in units
    ]
    for post in defs.posts.values():
        problems += _post(defs, post, unreadable, broken)
    for directive in defs.directives.values():
        problems += _directive(defs, directive, unreadable)
    return problems


def _post(defs: Definitions, post: Post, unreadable: set[str], broken: set[str]) -> list[Problem]:
    """The post's unit, the posts its lists name, the clauses it uses."""
    units = defs.organisation.units
    problems: list[Problem] = []
    if post.unit and post.unit not in units:
        problems.append(post.source.problem(unknown_reference("struktuuriüksusele", post.unit, units)))
    for lst, head in ((post.manager, True), (post.subordinates, False), (post.substitutes_for, True),
                      (post.substituted_by, True)):
        problems += _list(defs.posts, lst, unreadable, head)
    for duty in post.duties:
        if duty.clause_id is not None:
            problems += _clause(defs.clauses, broken, duty.clause_id, duty.source, DutyClause,
                                'ülesanne (sellel pole "ulesanne" ja "tulemused"). Vali ülesande klausel.')
    if post.rights is not None:
        problems += _clause(defs.clauses, broken, post.rights.clause_id, post.rights.source, RowsClause,
                            'õiguste ja vastutuse klausel (sellel pole "read"). Vali õiguste ja vastutuse klausel.')
    if post.closing is not None:
        problems += _clause(defs.clauses, broken, post.closing.clause_id, post.closing.source, TextClause,
                            "tekstiklausel. Vali tekstiklausel.")
    return problems


def _list(posts: Mapping[str, Post], lst: PostRefList | None, unreadable: set[str], head: bool) -> list[Problem]:
    """The posts a list names exist; the head of the agency may be named where `head` allows."""
    problems: list[Problem] = []
    for ref in lst.refs if lst is not None else ():
        if ref.post_id == HEAD_ID:
            problems += _head_ref(ref, head)
        elif ref.post_id in unreadable:
            continue
        elif ref.post_id not in posts:
            known = [*posts, HEAD_ID] if head else list(posts)
            problems.append(ref.source.problem(unknown_reference("ametikohale", ref.post_id, known)))
        elif ref.plural and not posts[ref.post_id].title_plural:
            problems.append(
                ref.source.problem(
                    f'"mitmuses: true", aga ametikohal "{ref.post_id}" pole '
                    '"teenistuskoht_mitmuses". Lisa see ametikoha faili.'
                )
            )
    return problems


def _head_ref(ref: PostRef, allowed: bool) -> list[Problem]:
    """The head of the agency in a list of posts: never a subordinate, never in plural."""
    if not allowed:
        return [ref.source.problem(
            f'{HEAD_NAMED}; asutuse juht ei saa olla alluv. Kustuta "{HEAD_ID}" alluvate '
            f'hulgast; kui see ametikoht allub asutuse juhile, kirjuta "vahetu_juht: {HEAD_ID}".')]
    if ref.plural:
        return [ref.source.problem(
            f'"mitmuses: true", aga {HEAD_NAMED} ega mitmuse nimetust. Kustuta "mitmuses" '
            '(või anna kirjele "nimetus").')]
    return []


def _clause(
    clauses: Mapping[str, Clause], broken: set[str], clause_id: str, source: Source, kind: type[Clause],
    not_kind: str,
) -> list[Problem]:
    clause = clauses.get(clause_id)
    if clause is None and clause_id in broken:
        return []  # its file could not be read: reported there
    if clause is None:
        return [source.problem(unknown_reference("klauslile", clause_id, clauses))]
    if not isinstance(clause, kind):
        return [source.problem(f'klausel "{clause_id}" ei ole {not_kind}')]
    return []


def _directive(defs: Definitions, directive: Directive, unreadable: set[str]) -> list[Problem]:
    """The directive's unit and its annexes: each an existing full post, once."""
    units, posts = defs.organisation.units, defs.posts
    problems: list[Problem] = []
    if directive.unit and directive.unit not in units:
        problems.append(directive.source.problem(unknown_reference("struktuuriüksusele", directive.unit, units)))
    seen: dict[str, int] = {}
    for n, ref in enumerate(directive.annexes, start=1):
        if ref.post_id == HEAD_ID:
            problems.append(ref.source.problem(
                f"{HEAD_NAMED} ega ametijuhendit, seega ei saa seda lisana kinnitada. Kustuta see rida."))
            continue
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
        if not posts[ref.post_id].is_full:
            problems.append(
                ref.source.problem(
                    f'ametikohal "{ref.post_id}" pole ametijuhendit (puuduvad "ulesanded"), '
                    "seega ei saa seda lisana kinnitada. Täienda ametikoha faili."
                )
            )
    for ref in directive.abolished:
        if ref.post_id == HEAD_ID:
            problems.append(ref.source.problem(
                f"{HEAD_NAMED}, seega ei saa seda ametikohta kaotada. Kustuta see rida."))
        elif ref.post_id not in posts:
            problems.append(ref.source.problem(unknown_reference("ametikohale", ref.post_id, posts)))
        elif ref.post_id in seen:
            problems.append(ref.source.problem(
                f'ametikoht "{ref.post_id}" on käskkirjas nii kinnitatav (lisa {seen[ref.post_id]}) '
                "kui ka kaotatav. Kustuta see ühest kohast: kaotatava ametikoha ametijuhendit ei "
                "kinnitata."))
    return problems + _naming_abolished(defs, directive, seen)


def _naming_abolished(defs: Definitions, directive: Directive, approved: Mapping[str, int]) -> list[Problem]:
    """An annex must not name as manager or substitute a post that the same directive abolishes:
    the signed job description would point at a post that no longer exists."""
    gone = {ref.post_id for ref in directive.abolished} - {HEAD_ID}  # the head: reported above
    problems: list[Problem] = []
    for post_id, n in approved.items():
        post = defs.posts[post_id]
        for label, lst in (("vahetu_juht", post.manager), ("alluvad", post.subordinates),
                           ("teenistuja_asendab", post.substitutes_for),
                           ("teenistuja_asendaja", post.substituted_by)):
            for ref in lst.refs if lst is not None else ():
                if ref.post_id in gone:
                    problems.append(ref.source.problem(
                        f'"{label}" nimetab ametikohta "{ref.post_id}", mille käskkiri '
                        f"{directive.id} kaotab (lisa {n}: {post_id}). Asenda see ametikohaga, mis "
                        "jääb alles, või ära kaota seda ametikohta."))
    return problems

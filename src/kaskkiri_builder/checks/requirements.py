"""Section 2 and 3 contents: language levels on the CEFR scale, no empty duties or results.

Duty numbers are generated, so gaps cannot happen; what can happen is a duty or a result with
no words, which would print an empty numbered row. Language levels must be those of the Common
European Framework (A1, A2, B1, B2, C1, C2): the law (keeleseadus) and the job market use them.
"""

from __future__ import annotations

import re
from functools import partial

from ..definitions.model import Definitions, DutyClause, Post, Text
from .common import Renderer, annex_posts, each_annex, finding, used_by
from .findings import Finding, Quote, Severity
from .textdiff import norm

KIND_LEVEL = "keeletase"
KIND_EMPTY = "tuhi_tekst"
KIND_ECHO = "tulemus_kordab_ulesannet"

VALID_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
# A level-like token: one letter, optionally digits ("C1", "C3", "B"), standing alone.
_TOKEN = re.compile(
    r"(?<!\w)(?<![^\W\d_]-)(?P<letter>[A-Za-z])(?P<digits>\d*)(?P<plus>\+?)(?=$|[^\w-]|-tase|-[A-Ca-c]\d)"
)
# Words after which a bare letter is meant as a level ("tasemel B", "taset C").
_LEVEL_WORD = re.compile(r"tase\w*\s*:?\s*$", re.IGNORECASE)


def _bad_levels(text: str) -> list[tuple[str, str]]:
    """(token as written, suggestion) for every level that is not A1–C2."""
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        letter, digits = m.group("letter"), m.group("digits")
        after_level_word = (
            _LEVEL_WORD.search(text[: m.start()]) is not None
            or text[m.end() :].lower().startswith("-tase")
        )
        if not digits and not after_level_word:
            continue  # a lone letter elsewhere is not a level ("A" as in an enumeration)
        if digits and letter.upper() not in "ABC" and not after_level_word:
            continue  # "D1" in running text: some other code, not ours to judge
        up = letter.upper()
        if up in "ABC" and digits in ("1", "2"):
            if letter.islower():
                out.append((token, f"{up}{digits}"))
            continue
        if up in "ABC":
            suggestion = f"{up}1 või {up}2"
        else:
            suggestion = "A1, A2, B1, B2, C1 või C2"
        out.append((token, suggestion))
    return out


def check_requirements(defs: Definitions, directive_id: str) -> list[Finding]:
    """CEFR levels, empty duties or results, results that repeat their duty."""
    renderer = Renderer(defs)
    findings = each_annex(defs, directive_id, partial(_levels, renderer), partial(_empty, defs, renderer))
    return findings + _echoes(defs, renderer, directive_id)


def _echoes(defs: Definitions, renderer: Renderer, directive_id: str) -> list[Finding]:
    """A result that repeats its duty word for word (a copy slip: the result column should say
    what is achieved). A clause's own result is reported once, at the clause."""
    out: list[Finding] = []
    clause_hits: dict[tuple[str, int], tuple[Text, set[int]]] = {}
    for n, post, _ref in annex_posts(defs, directive_id):
        for i, duty in enumerate(post.duties, start=1):
            found = defs.clauses.get(duty.clause_id) if duty.clause_id else None
            clause = found if isinstance(found, DutyClause) else None
            if duty.clause_id is not None and clause is None:
                continue
            if clause is not None:
                params = renderer.clause_params(post, clause, duty.params)
                text = norm(renderer.text(clause.text, None, params))
                results = duty.results if duty.results is not None else clause.results
            elif duty.text is not None:
                params = renderer.ctx(post)
                text = norm(renderer.text(duty.text, None, params))
                results = duty.results or ()
            else:
                continue
            for k, result in enumerate(results):
                if not text or norm(renderer.text(result, None, params)) != text:
                    continue
                if clause is not None and duty.results is None:
                    hit = clause_hits.setdefault((clause.id, k), (result, set()))
                    hit[1].add(n)
                    continue
                out.append(
                    finding(
                        Severity.HOIATUS,
                        KIND_ECHO,
                        f"Ülesande 2.{i} tulemus kordab sõna-sõnalt ülesande teksti: kirjuta "
                        'tulemuseks, mis on saavutatud (nt "… on täidetud", "… on tagatud").',
                        result.source,
                        n,
                        subject=post.id,
                    )
                )
    for (cid, _k), (result, annexes) in clause_hits.items():
        out.append(
            finding(
                Severity.HOIATUS,
                KIND_ECHO,
                f'Klausli "{cid}" tulemus kordab sõna-sõnalt ülesande teksti: kirjuta tulemuseks, '
                f"mis on saavutatud. Klauslit {used_by(annexes)}.",
                result.source,
                min(annexes),
                subject=cid,
            )
        )
    return out


def _levels(renderer: Renderer, post: Post, n: int) -> list[Finding]:
    text = post.requirements.get("keeleoskus")
    if text is None:
        return []
    out: list[Finding] = []
    for token, suggestion in _bad_levels(renderer.text(text, post)):
        if " või " in suggestion:
            fix = f"kirjuta {suggestion}"
        else:
            fix = f'kirjuta "{suggestion}" (suurtähega)'
        out.append(
            finding(
                Severity.VIGA,
                KIND_LEVEL,
                f'Keeleoskuse tase "{token}" ei ole Euroopa keeleõppe raamdokumendi tase '
                f"({', '.join(VALID_LEVELS)}): {fix}.",
                text.source,
                n,
                subject=post.id,
                quotes=(Quote(token, suggestion),),
            )
        )
    return out


def _empty(defs: Definitions, renderer: Renderer, post: Post, n: int) -> list[Finding]:
    out: list[Finding] = []
    for i, duty in enumerate(post.duties, start=1):
        if duty.clause_id is None:
            if duty.text is None or not norm(renderer.text(duty.text, post)):
                out.append(
                    finding(
                        Severity.VIGA,
                        KIND_EMPTY,
                        f'Ülesande 2.{i} tekst on tühi: kirjuta "ulesanne" või kustuta see ülesanne.',
                        duty.text.source if duty.text else duty.source,
                        n,
                        subject=post.id,
                    )
                )
            params = renderer.ctx(post)
        else:
            clause = defs.clauses.get(duty.clause_id)
            params = (
                renderer.clause_params(post, clause, duty.params)
                if isinstance(clause, DutyClause)
                else renderer.ctx(post)
            )
        if duty.results is not None and not duty.results:
            out.append(
                finding(
                    Severity.VIGA,
                    KIND_EMPTY,
                    f'Ülesandel 2.{i} pole ühtegi oodatavat tulemust ("tulemused: []"): lisa '
                    'vähemalt üks tulemus või kustuta "tulemused", siis kehtivad klausli omad.',
                    duty.source,
                    n,
                    subject=post.id,
                )
            )
        for k, result in enumerate(duty.results or (), start=1):
            if not norm(renderer.text(result, None, params)):
                out.append(
                    finding(
                        Severity.VIGA,
                        KIND_EMPTY,
                        f"Ülesande 2.{i} {k}. tulemus on tühi: kirjuta tulemus või kustuta see rida.",
                        result.source,
                        n,
                        subject=post.id,
                    )
                )
    return out

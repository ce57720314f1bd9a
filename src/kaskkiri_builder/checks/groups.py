"""Rules that follow from the post group (ametnik/töötaja): the qualifier and Eritingimused.

Avaliku teenistuse seadus § 7: only an ametnik exercises public authority, so a töötaja who
stands in for an ametnik post does so "ülesannete ulatuses, mis ei seisne avaliku võimu
teostamises". kaskkiri derives that from the groups; these checks report where the definitions
override the rule (`piirang`, a published `tekst`) or the group's Eritingimused wording.
"""

from __future__ import annotations

from functools import partial

from ..definitions.load import Source
from ..definitions.model import QUALIFIER, Definitions, Post, PostGroup, PostRef
from ..estonian import capitalize_first
from ..resolve import needs_qualifier
from .common import Renderer, annex_list, annex_posts, each_annex, finding
from .findings import Finding, Quote, Severity
from .lists import has_qualifier, segments
from .textdiff import describe, near_miss, norm, quotes

KIND_QUALIFIER = "avaliku_voimu_marge"
KIND_SPECIAL = "eritingimused"


def check_groups(defs: Definitions, directive_id: str) -> list[Finding]:
    """Qualifier overrides and published texts against the rule, cross-annex consistency,
    and Eritingimused overrides."""
    renderer = Renderer(defs)
    findings = each_annex(
        defs,
        directive_id,
        partial(_explicit_overrides, defs),
        partial(_text_overrides, defs, renderer),
        partial(_special_conditions, renderer),
    )
    return findings + _consistency(defs, renderer, directive_id)


def _consistency(defs: Definitions, renderer: Renderer, directive_id: str) -> list[Finding]:
    """The same substituted title, written with the qualifier in one annex and without it in
    another, by substitutes of the same group: each entry follows the rule, but the posts they
    name differ (e.g. "nõustaja" is both a töötaja and an ametnik post), so one is likely wrong.
    """
    entries: dict[tuple[PostGroup, str], list[tuple[bool, int, Post, PostRef, Source]]] = {}
    for n, post, _ref in annex_posts(defs, directive_id):
        for ref, q, src in _substituted(defs, renderer, post):
            other = defs.posts.get(ref.post_id)
            if other is None or q != needs_qualifier(post, other):
                continue  # breaks the rule: reported by the checks above
            name = norm(renderer.ref_name(ref)).lower()
            entries.setdefault((post.group, name), []).append((q, n, post, ref, src))
    out: list[Finding] = []
    for (group, name), items in entries.items():
        with_q = [e for e in items if e[0]]
        without = [e for e in items if not e[0]]
        if not with_q or not without:
            continue
        report, others = (with_q, without) if len(with_q) < len(without) else (without, with_q)
        holders = sorted(
            (p for p in defs.posts.values() if p.title.lower() == name),
            key=lambda p: p.id,
        )
        holders_text = ", ".join(f"{p.id} – {p.group.value}" for p in holders)
        for q, n, post, ref, src in report:
            other_annexes = sorted({e[1] for e in others})
            other_ids = sorted({e[3].post_id for e in others})
            state = "märkusega" if q else "märkuseta"
            other_state = "märkuseta" if q else "märkusega"
            out.append(
                finding(
                    Severity.HOIATUS,
                    KIND_QUALIFIER,
                    f'"teenistuja_asendab": "{name}" on siin {state} "{QUALIFIER}", kuid '
                    f"{annex_list(other_annexes, 'inessive')} on sama nimetus {group.genitive} "
                    f"asendajal {other_state}. Nimetus on mitmel ametikohal ({holders_text}); siin "
                    f"on valitud {ref.post_id}, mujal {', '.join(other_ids)}. Kontrolli, millist "
                    "ametikohta on mõeldud, ja kasuta kõigis lisades sama.",
                    src,
                    n,
                    subject=post.id,
                )
            )
    return out


def _substituted(defs: Definitions, renderer: Renderer, post: Post) -> list[tuple[PostRef, bool, Source]]:
    """Each entry of the post's "teenistuja_asendab": whether it shows the qualifier, and where."""
    lst = post.substitutes_for
    if lst is None:
        return []
    if lst.text is not None:
        return [
            (ref, has_qualifier(seg), lst.text.source)
            for ref, seg in segments(renderer, renderer.text(lst.text, post), lst.refs)
        ]
    return [
        (
            ref,
            ref.qualifier if ref.qualifier is not None else needs_qualifier(post, defs.posts[ref.post_id]),
            ref.source,
        )
        for ref in lst.refs
        if ref.post_id in defs.posts
    ]


def _why(post: Post, other: Post) -> str:
    return (
        f"{post.group.value} asendab ametikohta, mille grupp on {other.group.value}"
    )


def _rule_says(substitute: Post, substituted: Post) -> str:
    if needs_qualifier(substitute, substituted):
        return "töötaja asendab ametniku ametikohta, seega on märge nõutav"
    return "märge on nõutav ainult siis, kui töötaja asendab ametniku ametikohta"


def _explicit_overrides(defs: Definitions, post: Post, n: int) -> list[Finding]:
    """`piirang: true/false` that contradicts the rule, in every list where it can be set."""
    out: list[Finding] = []

    def report(ref: PostRef, expected: bool, substitute: Post, substituted: Post, key: str) -> None:
        if ref.qualifier is None or ref.qualifier == expected:
            return
        other = defs.posts[ref.post_id]
        if expected:
            fix = 'kustuta "piirang: false" (märge lisatakse siis ise)'
        else:
            fix = f'kustuta "piirang: true", siis jääb märge "{QUALIFIER}" ära'
        out.append(
            finding(
                Severity.HOIATUS,
                KIND_QUALIFIER,
                f'"{key}": kirje "{other.title}" ({other.id}) juures on "piirang: '
                f'{str(ref.qualifier).lower()}", kuid {_rule_says(substitute, substituted)} '
                f"(siin {_why(substitute, substituted)}): {fix}.",
                ref.source,
                n,
                subject=post.id,
            )
        )

    for lst, key, role in (
        (post.substitutes_for, "teenistuja_asendab", "asendab"),
        (post.substituted_by, "teenistuja_asendaja", "asendaja"),
        (post.manager, "vahetu_juht", None),
        (post.subordinates, "alluvad", None),
    ):
        if lst is None:
            continue
        for ref in lst.refs:
            other = defs.posts.get(ref.post_id)
            if other is None:
                continue
            if role == "asendab":
                report(ref, needs_qualifier(post, other), post, other, key)
            elif role == "asendaja":
                report(ref, needs_qualifier(other, post), other, post, key)
            elif ref.qualifier:
                out.append(
                    finding(
                        Severity.HOIATUS,
                        KIND_QUALIFIER,
                        f'"{key}": kirje "{other.title}" juures on "piirang: true", kuid märge '
                        f'"{QUALIFIER}" käib ainult asendamise kohta: kustuta "piirang".',
                        ref.source,
                        n,
                        subject=post.id,
                    )
                )
    return out


def _text_overrides(defs: Definitions, renderer: Renderer, post: Post, n: int) -> list[Finding]:
    """A published `teenistuja_asendab` text whose qualifiers contradict the rule, per entry."""
    lst = post.substitutes_for
    if lst is None or lst.text is None:
        return []
    text = renderer.text(lst.text, post)
    out: list[Finding] = []
    for ref, segment in segments(renderer, text, lst.refs):
        other = defs.posts.get(ref.post_id)
        if other is None:
            continue
        expected = needs_qualifier(post, other)
        present = has_qualifier(segment)
        if present == expected:
            continue
        name = renderer.ref_name(ref)
        if expected:
            message = (
                f'"teenistuja_asendab": tekstis on "{name}" ilma märkuseta "{QUALIFIER}", kuid '
                f"töötaja asendab ametniku ametikohta ({other.id} on ametnik): kirjuta "
                f'"{name} {QUALIFIER}".'
            )
        else:
            message = (
                f'"teenistuja_asendab": tekstis on "{name} {QUALIFIER}", kuid märge on nõutav '
                f"ainult siis, kui töötaja asendab ametniku ametikohta (siin {_why(post, other)}): "
                f'kirjuta "{name}" ilma märkuseta.'
            )
        out.append(finding(Severity.HOIATUS, KIND_QUALIFIER, message, lst.text.source, n, subject=post.id))
    return out


def _special_conditions(renderer: Renderer, post: Post, n: int) -> list[Finding]:
    """An Eritingimused override that is not the group's wording: say which wording it needs."""
    if post.special_conditions is None:
        return []
    text = norm(renderer.text(post.special_conditions, post))
    severity, message, shown = _special_wording(post, text)
    return [finding(severity, KIND_SPECIAL, message, post.special_conditions.source, n, subject=post.id, quotes=shown)]


def _special_wording(post: Post, text: str) -> tuple[Severity, str, tuple[Quote, ...]]:
    """How the override `text` stands to the group's wording: severity, message, quotes."""
    own = post.group.special_conditions
    other_group = post.group.other
    if text == own:
        message = (
            f'"eritingimused" on sama mis {post.group.genitive} vaikimisi sõnastus: '
            "kustuta see rida, tekst tuleb ametikoha grupist."
        )
        return Severity.INFO, message, ()
    if text + "." == own:
        message = (
            f'Eritingimuste lõpus puudub punkt: kirjuta "{own}" (või kustuta "eritingimused", '
            f"siis tuleb {post.group.genitive} sõnastus ametikoha grupist)."
        )
        return Severity.HOIATUS, message, (Quote(text, own, "."),)
    if text.rstrip(".") == other_group.special_conditions.rstrip("."):
        message = (
            f'Ametikoha grupp on {post.group.value}, kuid eritingimused on {other_group.genitive} '
            f'sõnastuses ("{text}"). {capitalize_first(post.group.genitive)} ametikohal on '
            f'"{own}": kustuta "eritingimused" või paranda ametikoha grupp.'
        )
        return Severity.VIGA, message, (Quote(text, own),)
    if near_miss(text, own):
        message = (
            f"Eritingimused erinevad {post.group.genitive} sõnastusest "
            f'({describe(text, own, here="siin", there="peaks olema")}): kirjuta "{own}" või '
            'kustuta "eritingimused".'
        )
        return Severity.HOIATUS, message, quotes(text, own)
    message = (
        f"Eritingimused erinevad {post.group.genitive} tavasõnastusest "
        f'"{own}". Kui erisus pole taotluslik, kustuta "eritingimused".'
    )
    return Severity.INFO, message, (Quote(text, own),)

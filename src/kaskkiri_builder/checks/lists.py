"""Lists of posts given as published text (`tekst`) against what kaskkiri would generate.

A `tekst` keeps a wording that cannot be generated (e.g. a missing comma). The check shows the
words that differ, so that a person can decide whether the published wording was a slip. The
public-authority qualifier is left out of this comparison: `groups.py` reports it per entry.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..definitions.model import QUALIFIER, Definitions, Post, PostRef, PostRefList
from .common import Renderer, annex_posts, finding
from .findings import Finding, Severity
from .textdiff import closeness, describe, norm, quotes

KIND = "loetelu_tekst"

# (attribute, YAML key, whether the qualifier applies)
LISTS = (
    ("manager", "vahetu_juht", False),
    ("subordinates", "alluvad", False),
    ("substitutes_for", "teenistuja_asendab", True),
    ("substituted_by", "teenistuja_asendaja", False),
)

# The qualifier however the published text breaks its lines.
_QUALIFIER_RE = re.compile(r"\s*" + r"\s+".join(re.escape(w) for w in QUALIFIER.split()))


def without_qualifiers(text: str) -> str:
    return norm(_QUALIFIER_RE.sub("", text))


def generated(renderer: Renderer, post: Post, lst: PostRefList, qualify: bool) -> str:
    """The list as kaskkiri writes it from its entries (the `tekst` ignored)."""
    plain = PostRefList(lst.refs, lst.source, None)
    return renderer.resolver.post_list(post, plain, qualify, renderer.ctx(post))


def _collapsed(defs: Definitions, refs: tuple[PostRef, ...]) -> tuple[PostRef, ...] | None:
    """Namesake entries (same title and unit) merged into one plural entry: "nõustajad" for
    three nõustaja posts. None when there is nothing to merge."""
    kept: list[PostRef] = []
    merged = False
    for ref in refs:
        post = defs.posts.get(ref.post_id)
        twin = next(
            (
                i
                for i, k in enumerate(kept)
                if post is not None
                and (other := defs.posts.get(k.post_id)) is not None
                and (other.title, other.unit) == (post.title, post.unit)
            ),
            None,
        )
        if twin is None:
            kept.append(ref)
            continue
        other = defs.posts[kept[twin].post_id]
        if other.title_plural and not kept[twin].name:
            kept[twin] = replace(kept[twin], plural=True)
        merged = True
    return tuple(kept) if merged else None


def candidates(renderer: Renderer, post: Post, lst: PostRefList, qualify: bool) -> list[str]:
    """What kaskkiri could generate for the list: as given, and with namesakes merged."""
    out = [generated(renderer, post, lst, qualify)]
    merged = _collapsed(renderer.defs, lst.refs)
    if merged is not None:
        out.append(generated(renderer, post, PostRefList(merged, lst.source, None), qualify))
    return out


def segments(renderer: Renderer, text: str, refs: tuple[PostRef, ...]) -> list[tuple[PostRef, str]]:
    """Each entry's part of a published list: from its name to the next entry's name.

    Entries whose name is not found (the text names them otherwise) are left out; a missing
    comma between two entries does not matter here.
    """
    low = norm(text).lower()
    found: list[tuple[PostRef, int, int]] = []
    pos = 0
    for ref in refs:
        name = norm(renderer.ref_name(ref)).lower()
        m = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)").search(low, pos)
        if m is None:
            continue
        found.append((ref, m.start(), m.end()))
        pos = m.end()
    out = []
    for i, (ref, start, _end) in enumerate(found):
        stop = found[i + 1][1] if i + 1 < len(found) else len(low)
        out.append((ref, low[start:stop]))
    return out


def has_qualifier(segment: str) -> bool:
    return _QUALIFIER_RE.search(segment) is not None


def check_lists(defs: Definitions, directive_id: str) -> list[Finding]:
    """Published list texts that differ from the generated list (qualifiers aside)."""
    renderer = Renderer(defs)
    findings: list[Finding] = []
    for n, post, _ref in annex_posts(defs, directive_id):
        for attr, key, qualify in LISTS:
            lst: PostRefList | None = getattr(post, attr)
            if lst is None or lst.text is None or not lst.refs:
                continue
            published = renderer.text(lst.text, post)
            gens = candidates(renderer, post, lst, qualify)
            a = without_qualifiers(published)
            b = max((without_qualifiers(g) for g in gens), key=lambda g: closeness(a, g))
            if a == b:
                if norm(published) == norm(gens[0]):
                    findings.append(
                        finding(
                            Severity.INFO,
                            KIND,
                            f'"{key}": "tekst" on sama, mille kaskkiri koostab ametikohtade '
                            'loetelust: kustuta "tekst" ja jäta alles ainult "ametikohad".',
                            lst.text.source,
                            n,
                            subject=post.id,
                        )
                    )
                continue
            findings.append(
                finding(
                    Severity.HOIATUS,
                    KIND,
                    f'"{key}": avaldatud loetelu erineb sellest, mille kaskkiri koostab '
                    f"ametikohtade loetelust ({describe(a, b, here='tekstis', there='koostatuna')}). "
                    'Kui avaldatud sõnastus on ekslik, kustuta "tekst", siis koostab kaskkiri '
                    'loetelu ise; kui mõni nimetus peab erinema, anna kirjele "nimetus".',
                    lst.text.source,
                    n,
                    subject=post.id,
                    quotes=quotes(a, b),
                )
            )
    return findings

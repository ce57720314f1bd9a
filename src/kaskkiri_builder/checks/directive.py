"""The directive itself: point 1 against the annexes, the title's number, one range style.

Point 1 is generated from the annexes, so a mismatch there means a definition overrides a
name inconsistently; the title can be given by hand (`pealkiri`) and then has to agree with
the number of job descriptions; and the two range settings of the organisation must not make
one directive write "lisadele 1-11" in point 1 and "lisad 1 kuni 2" in point 2.
"""

from __future__ import annotations

import re

from ..definitions.load import Source
from ..definitions.model import Definitions, Directive
from ..estonian import annex_ranges, annex_runs, lower_first
from ..resolve import ResolvedDirective, resolve_directive
from .common import Renderer, annex_posts, directive_of, finding
from .findings import Finding, Severity

KIND_ANNEX_LIST = "lisade_loetelu"
KIND_TITLE = "pealkiri"
KIND_RANGE = "lisade_vahemik"
KIND_UNIT = "struktuuriyksus"

_TITLE_RE = re.compile(r"^\s*ametijuhendi(?P<many>te)?(?!\w)", re.IGNORECASE)


def check_directive(defs: Definitions, directive_id: str) -> list[Finding]:
    """Point 1, the title's number, the range style and the annexes' unit."""
    resolved = resolve_directive(defs, directive_id)
    return [
        *_point_one(resolved),
        *_title(defs, directive_id),
        *_range_style(defs, resolved),
        *_units(defs, directive_id),
    ]


def _point_one(resolved: ResolvedDirective) -> list[Finding]:
    """Each item of point 1 names its annex's post and number (a guard: both are generated)."""
    out: list[Finding] = []
    directive = resolved.directive
    items = resolved.points[0].items if resolved.points else ()
    for ref, annex, item in zip(directive.annexes, resolved.annexes, items, strict=True):
        title = dict(annex.general).get("Teenistuskoht", annex.post.title)
        expected = f"{lower_first(title)} (lisa {annex.number})"
        if expected not in item:
            out.append(
                finding(
                    Severity.VIGA,
                    KIND_ANNEX_LIST,
                    f'Punkti 1 rida "{item}" ei vasta lisale {annex.number} (seal on teenistuskoht '
                    f'"{title}"): kontrolli lisa kirjet ja selle "nimetus".',
                    ref.source,
                    annex.number,
                    subject=annex.post.id,
                )
            )
    if len(items) != len(resolved.annexes):
        out.append(
            finding(
                Severity.VIGA,
                KIND_ANNEX_LIST,
                f"Punktis 1 on {len(items)} rida, lisasid on {len(resolved.annexes)}.",
                directive.source,
                subject=directive.id,
            )
        )
    return out


def _title(defs: Definitions, directive_id: str) -> list[Finding]:
    directive = directive_of(defs, directive_id)
    if directive.title is None:
        return []
    title = Renderer(defs).text(directive.title)
    m = _TITLE_RE.match(title)
    if m is None:
        return []
    count = len(directive.annexes)
    many = m.group("many") is not None
    if many == (count > 1):
        return []
    if many:
        message = (
            f'Pealkiri "{title}" on mitmuses, kuid käskkiri kinnitab ühe ametijuhendi: kirjuta '
            f'"{Directive.default_title_for(1)}" (või kustuta "pealkiri", siis valitakse see lisade arvu järgi).'
        )
    else:
        message = (
            f'Pealkiri "{title}" on ainsuses, kuid käskkiri kinnitab {count} ametijuhendit: '
            f'kirjuta "{Directive.default_title_for(count)}" (või kustuta "pealkiri", siis valitakse '
            "see lisade arvu järgi)."
        )
    return [finding(Severity.VIGA, KIND_TITLE, message, directive.title.source, subject=directive.id)]


def _range_style(defs: Definitions, resolved: ResolvedDirective) -> list[Finding]:
    """Both range styles in one directive: only when both points really print a range."""
    style = defs.organisation.style
    if style.approval_range == style.revocation_range:
        return []
    numbers = [a.number for a in resolved.annexes]
    if len(numbers) < 2 or not any(a < b for a, b in annex_runs(numbers)):
        return []
    revoked_example = None
    for group in resolved.revoked:
        if group.form != "lisad":
            continue
        for part in group.parts:
            if any(a < b for a, b in annex_runs(part.annexes)):
                revoked_example = annex_ranges(part.annexes, style.revocation_range, style.pair_as_range)
                break
        if revoked_example:
            break
    if revoked_example is None:
        return []
    approved_example = annex_ranges(numbers, style.approval_range, style.pair_as_range)
    org_file = defs.organisation.source.file
    return [
        finding(
            Severity.HOIATUS,
            KIND_RANGE,
            "Käskkiri kirjutab lisade vahemikke kahel viisil: punktis 1 "
            f'"lisadele {approved_example}" ({style.approval_range}), punktis 2 '
            f'"lisad {revoked_example}" ({style.revocation_range}). Ühtlusta: määra '
            '"vormistus" all "lisade_vahemik_kinnitamisel" ja "lisade_vahemik_kehtetuks" '
            'samaks (nt mõlemad "kuni", nagu Sotsiaalkindlustusameti teistes käskkirjades: '
            '"lisadele 1 kuni 8").',
            Source(org_file, None),
            subject=resolved.directive.id,
        )
    ]


def _units(defs: Definitions, directive_id: str) -> list[Finding]:
    """Point 1 approves one unit's job descriptions: every annex post must belong to it."""
    directive = directive_of(defs, directive_id)
    units = defs.organisation.units
    target = units.get(directive.unit)
    if target is None:
        return []
    out: list[Finding] = []
    for n, post, ref in annex_posts(defs, directive_id):
        if defs.organisation.belongs_to(post.unit, directive.unit):
            continue
        unit = units.get(post.unit)
        name = unit.name if unit else post.unit
        out.append(
            finding(
                Severity.HOIATUS,
                KIND_UNIT,
                f'Lisa {n} ametikoht "{post.title}" ({post.id}) kuulub üksusesse "{name}", kuid '
                f'punkt 1 kinnitab üksuse "{target.name}" ametijuhendid: paranda ametikoha '
                '"struktuuriyksus" või kinnita see ametijuhend teise käskkirjaga.',
                ref.source,
                n,
                subject=post.id,
            )
        )
    return out

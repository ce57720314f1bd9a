"""History: the ledger is consistent, numbers rise with dates, the directive agrees with its entry.

The ledger's own rules live with its definitions (`validate_ledger`; `sequence_warnings`, the
numbering order, in definitions/numbering.py), reached through `history`; this module
turns their messages into findings and adds what only the pair (ledger, directive) can show:
a recorded directive whose annexes, title or point 2 differ from its file, a new
directive's number that does not fit the year's numbering, and point 2 in published wording
(`kehtetuks_tekst`, an imported directive) that differs from the phrase the ledger gives once
the ledger knows every directive it cites: no silent wrong text either way.
"""

from __future__ import annotations

from datetime import date

from .. import history
from ..definitions.load import Source
from ..definitions.model import Definitions, Directive
from ..estonian import format_date
from ..resolve import revocation_for
from .common import annex_list, directive_of, finding, where
from .findings import Finding, Quote, Severity

KIND_LEDGER = "ajalugu"
KIND_SEQUENCE = "numbrijarjestus"
KIND_PUBLISHED = "kehtetuks_tekst"


def _source(src: history.Source | None, fallback: Source | None = None) -> Source | None:
    if src is None:
        return fallback
    file, line = src
    return Source(file, line)


def _entry(ledger: history.Ledger, directive: Directive) -> history.LedgerDirective | None:
    for e in ledger:
        if e.id == directive.id:
            return e
    if directive.number is not None and directive.date is not None:
        for e in ledger:
            if e.id is None and e.is_same(directive.number, directive.date):
                return e
    return None


def _signed_on(directive: Directive) -> date | None:
    """The date of a signed directive; None for a draft (no number or no date yet)."""
    return None if directive.is_draft else directive.date


def check_history(defs: Definitions, directive_id: str) -> list[Finding]:
    """The ledger's errors and sequence warnings, and the directive against its entry."""
    directive = directive_of(defs, directive_id)
    ledger: history.Ledger = defs.ledger or ()
    if not ledger:
        return []
    out: list[Finding] = []
    for message, src in history.validate_ledger(ledger, defs.posts):
        out.append(finding(Severity.VIGA, KIND_LEDGER, message, _source(src)))
    entry = _entry(ledger, directive)
    sequence = list(ledger)
    signed = _signed_on(directive)
    if entry is None and signed is not None:
        # Not recorded yet: see where its number would stand among the year's directives.
        sequence.append(
            history.LedgerDirective(
                id=directive.id,
                number=str(directive.number),
                date=signed,
                annexes={n: r.post_id for n, r in enumerate(directive.annexes, start=1)},
                source=directive.source,
            )
        )
        for e in ledger:
            if history.same_number(e.number, str(directive.number)) and e.date.year == signed.year:
                out.append(
                    finding(
                        Severity.VIGA,
                        KIND_LEDGER,
                        f"Käskkirja number {directive.number} on {signed.year}. aastal "
                        f"juba kasutatud ({e.label}, {where(_source(e.source))}): kontrolli numbrit.",
                        directive.source,
                        subject=directive.id,
                    )
                )
    for message, src in history.sequence_warnings(sequence):
        out.append(finding(Severity.HOIATUS, KIND_SEQUENCE, message, _source(src, directive.source)))
    if entry is not None:
        out += _against_entry(defs, directive, entry)
    out += _published_revocation(defs, directive, ledger)
    return out


def _against_entry(defs: Definitions, directive: Directive, entry: history.LedgerDirective) -> list[Finding]:
    """A recorded directive must say in the ledger what its file says."""
    place = where(_source(entry.source, directive.source))
    return [
        *_number_and_date(directive, entry, place),
        *_annexes(directive, entry, place),
        *_title(directive, entry, place),
        *_revocations(defs, directive, entry),
    ]


def _number_and_date(directive: Directive, entry: history.LedgerDirective, place: str) -> list[Finding]:
    signed = _signed_on(directive)
    if entry.id != directive.id or signed is None:
        return []
    if str(entry.number) == str(directive.number) and entry.date == signed:
        return []
    return [
        finding(
            Severity.VIGA,
            KIND_LEDGER,
            f"Ajaloos ({place}) on käskkiri {directive.id} kirjas kui "
            f"{format_date(entry.date)} nr {entry.number}, käskkirja failis "
            f"{format_date(signed)} nr {directive.number}: paranda see, mis on vale.",
            directive.source,
            subject=directive.id,
        )
    ]


def _annexes(directive: Directive, entry: history.LedgerDirective, place: str) -> list[Finding]:
    """Each annex number whose post differs between the file and the ledger."""
    mine = {n: r.post_id for n, r in enumerate(directive.annexes, start=1)}
    recorded = dict(entry.annexes)
    if entry.single_post is not None or recorded == mine:
        return []
    out: list[Finding] = []
    for n in sorted(set(mine) | set(recorded)):
        if mine.get(n) == recorded.get(n):
            continue
        in_file = f'"{mine[n]}"' if n in mine else "puudub"
        in_ledger = f'"{recorded[n]}"' if n in recorded else "puudub"
        ref = directive.annexes[n - 1] if n in mine else None
        out.append(
            finding(
                Severity.VIGA,
                KIND_LEDGER,
                f"Lisa {n}: käskkirja failis {in_file}, ajaloos ({place}) {in_ledger}. "
                "Ajalugu ja käskkiri peavad lisade poolest ühtima: paranda see, mis on vale.",
                ref.source if ref else directive.source,
                n if n in mine else None,
                subject=directive.id,
            )
        )
    return out


def _title(directive: Directive, entry: history.LedgerDirective, place: str) -> list[Finding]:
    if directive.title is not None:
        title, title_at = directive.title.value.strip(), directive.title.source
    else:  # the default, from the number of annexes
        title, title_at = directive.default_title, directive.source
    if not entry.title or entry.title.strip() == title:
        return []
    message = f'Käskkirja pealkiri on "{title}", ajaloos ({place}) "{entry.title}": ühtlusta.'
    return [finding(Severity.HOIATUS, KIND_LEDGER, message, title_at, subject=directive.id)]


def _revocations(defs: Definitions, directive: Directive, entry: history.LedgerDirective) -> list[Finding]:
    """A signed directive's recorded "tunnistab_kehtetuks" against the point 2 kaskkiri computes."""
    if directive.is_draft:
        return []
    _phrase, groups = history.revocation_phrase_for(defs, directive)
    computed = set(history.revocations_of(groups))
    recorded = set(entry.revokes)
    if computed == recorded:
        return []
    at = _source(entry.source, directive.source)
    return [
        finding(
            Severity.HOIATUS,
            KIND_LEDGER,
            f'Ajalukku kantud "tunnistab_kehtetuks" ({where(at)}) erineb punktist 2, mille '
            f"kaskkiri ajaloo põhjal koostab: ainult arvutatud {_shown(computed - recorded)}; "
            f"ainult ajaloos {_shown(recorded - computed)}. Kontrolli ajaloo kirjeid enne "
            "seda käskkirja.",
            at,
            subject=directive.id,
        )
    ]


def _shown(revocations: set[history.Revocation]) -> str:
    items = []
    for r in sorted(revocations, key=lambda r: (r.date, history.number_key(r.number))):
        what = "kogu" if r.annexes is None else annex_list(r.annexes)
        items.append(f"{format_date(r.date)} nr {r.number} ({what})")
    return ", ".join(items) or "-"


def _published_revocation(defs: Definitions, directive: Directive, ledger: history.Ledger) -> list[Finding]:
    """`kehtetuks_tekst` against the phrase the ledger gives, when the ledger holds every
    directive the text cites (otherwise it cannot be computed, which is why the text is there).

    Which to trust: a signed directive's published words are what was signed, so the ledger is
    what to fix (the next drafts' point 2 comes from it); in a draft the computed phrase is
    meant, so the written text should go (or the ledger be fixed, if it is the wrong one)."""
    text = directive.revocation_text
    if text is None:
        return []
    published, _ = revocation_for(defs, directive)
    cited = history.parse_revocation(published or "")
    if not cited or not all(any(e.is_same(number, on) for e in ledger) for on, number, _annexes in cited):
        return []
    computed, _groups = history.revocation_phrase_for(defs, directive)
    shown = " ".join((published or "").split())
    if computed is not None and " ".join(computed.split()) == shown:
        return []
    said = f'"{computed}"' if computed else "et midagi ei tunnistata kehtetuks"
    head = (f"Punkt 2 on käskkirja failis ({where(text.source)}) kirjas avaldatud sõnastuses "
            f'(kehtetuks_tekst): "{shown}", aga ajalugu (definitions/ajalugu.yaml), kus on kõik tsiteeritud '
            f"käskkirjad, ütleb {said}. ")
    if directive.is_draft:
        advice = ("Eelnõus kehtib ajaloost arvutatud sõnastus: kustuta kehtetuks_tekst, kui ajalugu on "
                  "õige; kui ajalugu on vale, paranda ajalugu.")
    else:
        advice = ("Allkirjastatud käskkirjas kehtib avaldatud sõnastus: usalda seda ja paranda ajalugu "
                  "(mida tsiteeritud käskkirjad kinnitasid ja mis neist kehtis), sest ajaloost arvutatakse "
                  "järgmiste käskkirjade punkt 2.")
    return [finding(Severity.HOIATUS, KIND_PUBLISHED, head + advice, text.source, subject=directive.id,
                    quotes=(Quote(shown, computed),))]

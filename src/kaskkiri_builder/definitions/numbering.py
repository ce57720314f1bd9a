"""The ledger's numbering order: within one register series and year, numbers rise with dates.

The register gives numbers in signing order, and numbering restarts each calendar year. So a
higher number dated before a lower one of the same series and year is a contradiction: one of
the two dates (or numbers) is wrong. Nothing else is evidence of an error: busy and quiet months
alternate, so a date far from what a steady rate would predict proves nothing.

Series and running part come from `running_number` ("1-1/12" runs in "1-1/", "007" is 7).
One typo contradicts many entries, so the entries reported are the fewest whose removal restores
the order (the complement of a longest ordered chain), each named with the neighbour it
contradicts; of equally few, those listed last (recorded last; a directive not yet recorded comes
after the ledger). When a one-slip typo of its date would fit between its neighbours, the message
suggests it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from ..errors import place
from ..estonian import format_date, join_list
from .ledger import Message
from .model import Ledger, LedgerDirective, running_number


class Entry(NamedTuple):
    running: int  # the running part of its number
    listed: int  # its place in the ledger
    directive: LedgerDirective


Series = list[Entry]  # one year and series, by number then date
MAX_SUGGESTIONS = 2  # more equally likely dates than this: suggest none


def sequence_warnings(ledger: Ledger) -> list[Message]:
    """Each entry dated against its series' numbering, with the entry it contradicts."""
    out: list[Message] = []
    for _key, series in sorted(_series(ledger).items()):
        out += _contradictions(series)
    return out


def _series(ledger: Ledger) -> dict[tuple[int, str], Series]:
    """The entries by (year, series prefix); numbers without a running part are left out."""
    groups: dict[tuple[int, str], Series] = defaultdict(list)
    for listed, d in enumerate(ledger):
        part = running_number(d.number)
        if part is not None and part[1] > 0:
            groups[(d.date.year, part[0])].append(Entry(part[1], listed, d))
    for series in groups.values():
        series.sort(key=lambda e: (e.running, e.directive.date))
    return groups


def _ordered_chain(series: Series) -> list[int]:
    """Indices of a longest chain whose dates never fall as numbers rise; of equally long
    chains, the one keeping the entries listed first (O(n²): one year of one series)."""
    score = [(1, -e.listed) for e in series]  # (length, minus the sum of the places kept)
    prev = [-1] * len(series)
    for i, e in enumerate(series):
        for j in range(i):
            if series[j].directive.date <= e.directive.date:
                longer = (score[j][0] + 1, score[j][1] - e.listed)
                if longer > score[i]:
                    score[i], prev[i] = longer, j
    i = max(range(len(series)), key=lambda k: score[k])
    chain: list[int] = []
    while i >= 0:
        chain.append(i)
        i = prev[i]
    return chain[::-1]


def _contradictions(series: Series) -> list[Message]:
    kept = _ordered_chain(series)
    dropped = set(range(len(series))) - set(kept)
    out: list[Message] = []
    for i in sorted(dropped):
        d = series[i].directive
        below = max((k for k in kept if k < i), default=None)
        above = min((k for k in kept if k > i), default=None)
        low = series[below].directive.date if below is not None else date(d.date.year, 1, 1)
        high = series[above].directive.date if above is not None else date(d.date.year, 12, 31)
        other = below if d.date < low else above
        if other is None:  # not reached: a longest chain would have taken it
            continue
        out.append((_message(d, series[other].directive, _suggestions(d.date, low, high)), d.source))
    return out


def _message(d: LedgerDirective, other: LedgerDirective, guesses: list[date]) -> str:
    relation = "varem kui väiksema" if d.date < other.date else "hiljem kui suurema"
    at = place(other.source.file, other.source.line) if other.source else ""
    hint = f"; kas nr {d.number} kuupäev on {join_list(map(format_date, guesses), 'või')}?" if guesses else "."
    return (
        f"Käskkiri nr {d.number} ({format_date(d.date)}) on dateeritud {relation} numbriga "
        f"nr {other.number} ({format_date(other.date)}{', ' + at if at else ''}): register annab "
        f"numbrid järjest, nii et {d.date.year}. aastal peavad numbrid kasvama koos kuupäevaga. "
        f"Kontrolli mõlema käskkirja kuupäeva ja numbrit{hint}"
    )


def _suggestions(written: date, low: date, high: date) -> list[date]:
    """The likeliest typos of `written` that fall in [low, high]; none when too many are."""
    fits = {d: rank for d, rank in _slips(written).items() if low <= d <= high}
    if not fits:
        return []
    best = min(fits.values())
    guesses = sorted(d for d, rank in fits.items() if rank == best)
    return guesses if len(guesses) <= MAX_SUGGESTIONS else []


def _slips(written: date) -> dict[date, int]:
    """Dates of the same year one slip away from `written`, by rank: 1 for one digit wrong, two
    neighbouring digits or day and month swapped; 2 for the same day in another month."""
    dd, mm = f"{written.day:02d}", f"{written.month:02d}"
    ranked: list[tuple[str, str, int]] = [(dd, f"{m:02d}", 2) for m in range(1, 13)]
    for c in "0123456789":
        ranked += [(c + dd[1], mm, 1), (dd[0] + c, mm, 1), (dd, c + mm[1], 1), (dd, mm[0] + c, 1)]
    ranked += [(dd[::-1], mm, 1), (dd, mm[::-1], 1), (mm, dd, 1)]
    out: dict[date, int] = {}
    for day, month, rank in ranked:
        try:
            d = date(written.year, int(month), int(day))
        except ValueError:
            continue
        if d != written:
            out[d] = min(rank, out.get(d, rank))
    return out

"""Estonian phrasing: lists, annex ranges, dates, capitalisation, singular/plural.

Pure functions with no knowledge of directives, so that every document-level module phrases
the same things the same way (one place to fix a form, one place to test it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Literal

__all__ = [
    "RangeStyle",
    "Case",
    "join_list",
    "annex_runs",
    "annex_ranges",
    "parse_annex_ranges",
    "annex_number",
    "MAX_ANNEXES",
    "format_date",
    "parse_date",
    "date_in_words",
    "capitalize_first",
    "lower_first",
    "plural",
]

RangeStyle = Literal["kuni", "sidekriips"]
QuoteStyle = Literal["sirged", "eesti"]  # "…" as SKA publishes, or „…“ of standard typography
Case = Literal["adessive", "elative"]


# --- lists ------------------------------------------------------------------------------------


def join_list(items: Iterable[str], last: str = "ja", sep: str = ", ") -> str:
    """"a", "a ja b", "a, b ja c": Estonian puts no comma before the last conjunction."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{sep.join(items[:-1])} {last} {items[-1]}"


# --- annex ranges -----------------------------------------------------------------------------

_RANGE_WORD = {"kuni": " kuni ", "sidekriips": "-"}


def annex_runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive numbers as (first, last), ascending; duplicates ignored.

    Annex numbers are positive: a zero or negative number is a mistake upstream (and "-1-2"
    could not be read back), so it raises ValueError instead of being rendered.
    """
    nums = sorted(set(numbers))
    for n in nums:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"Lisa number peab olema positiivne täisarv, saadi {n!r}.")
    runs: list[tuple[int, int]] = []
    for n in nums:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def annex_ranges(numbers: Iterable[int], style: RangeStyle = "kuni", pairs: bool = True) -> str:
    """"1 kuni 2, 4 ja 7 kuni 10" (kuni) or "1-2, 4 ja 7-10" (sidekriips).

    A run of two is written as a range ("1 kuni 2"), as the reference does; with `pairs` False
    it is listed ("1, 2 ja 4"). An empty input gives "".
    """
    if style not in _RANGE_WORD:
        raise ValueError(f"Tundmatu vahemiku stiil {style!r} (lubatud: kuni, sidekriips).")
    word = _RANGE_WORD[style]
    parts: list[str] = []
    for a, b in annex_runs(numbers):
        if a == b:
            parts.append(str(a))
        elif b == a + 1 and not pairs:
            parts += [str(a), str(b)]
        else:
            parts.append(f"{a}{word}{b}")
    return join_list(parts)


_STRAIGHT = re.compile(r'"([^"\n]*)"')
_LOW_HIGH = re.compile(r"„([^“”\n]*)[“”]")


def quoted(text: str, style: QuoteStyle = "sirged") -> str:
    """A cited title in the drafting style's quotation marks: "…" or „…“."""
    return f"„{text}“" if style == "eesti" else f'"{text}"'


def requote(text: str, style: QuoteStyle = "sirged") -> str:
    """Every quoted part of a text (a legal basis citing a directive's title) in the drafting
    style's quotation marks, whichever marks the text was written with."""
    if style == "eesti":
        return _STRAIGHT.sub(lambda m: quoted(m.group(1), style), text)
    return _LOW_HIGH.sub(lambda m: quoted(m.group(1), style), text)


_PART = re.compile(r"^(\d+)(?:\s*(?:kuni|-|–|—)\s*(\d+))?$", re.ASCII)
_SPLIT = re.compile(r"\s*,\s*|\s+(?:ja|ning)\s+")
#: More annexes than any directive has: a bound, so that "1 kuni 100000000" is a message, not
#: a hundred million numbers.
MAX_ANNEXES = 500


def annex_number(text: str) -> int:
    """An annex number in ASCII digits, at most MAX_ANNEXES; ValueError (Estonian) otherwise.

    (Zero passes: where it is wrong, the caller says so in its own words.)"""
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f'"{text}" ei ole lisa number.')
    if len(text.lstrip("0")) > len(str(MAX_ANNEXES)) or int(text) > MAX_ANNEXES:
        raise ValueError(
            f"Lisa number {text} on liiga suur: käskkirjal saab olla kuni {MAX_ANNEXES} lisa. "
            "Kontrolli numbrit."
        )
    return int(text)


def parse_annex_ranges(text: str) -> set[int]:
    """The inverse of annex_ranges; reads both styles (and an en dash), "ja" or "ning" last."""
    text = text.strip()
    if not text:
        return set()
    result: set[int] = set()
    for part in _SPLIT.split(text):
        m = _PART.match(part.strip())
        if not m:
            raise ValueError(
                f'Lisade loetelu "{text}" on loetamatu kohas "{part}": '
                'kirjuta näiteks "1 kuni 2, 4 ja 7 kuni 10" või "1-2, 4 ja 7-10".'
            )
        first = annex_number(m.group(1))
        last = annex_number(m.group(2)) if m.group(2) else first
        if first < 1 or last < first:
            raise ValueError(
                f'Lisade vahemik "{part}" loetelus "{text}" on vale: '
                "vahemik algab väiksema positiivse numbriga."
            )
        result.update(range(first, last + 1))
    return result


# --- dates ------------------------------------------------------------------------------------

# (on, from): adessive "jaanuaril" and elative "jaanuarist"; "mai" is the irregular one.
_MONTHS: tuple[tuple[str, str], ...] = (
    ("jaanuaril", "jaanuarist"),
    ("veebruaril", "veebruarist"),
    ("märtsil", "märtsist"),
    ("aprillil", "aprillist"),
    ("mail", "maist"),
    ("juunil", "juunist"),
    ("juulil", "juulist"),
    ("augustil", "augustist"),
    ("septembril", "septembrist"),
    ("oktoobril", "oktoobrist"),
    ("novembril", "novembrist"),
    ("detsembril", "detsembrist"),
)

_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")


def format_date(d: date) -> str:
    """"07.01.2026": the numeric form used in headings and citations."""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def parse_date(text: str) -> date:
    """Read "dd.mm.yyyy" strictly, so every date in the definitions has one form."""
    if isinstance(text, date):  # tolerate a value already parsed (e.g. an ISO date in YAML)
        return date(text.year, text.month, text.day)
    s = str(text).strip()
    m = _DATE.match(s)
    if not m:
        raise ValueError(f'Kuupäev "{s}" ei ole kujul pp.kk.aaaa (näiteks 07.01.2026).')
    day, month, year = (int(g) for g in m.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f'Kuupäeva "{s}" ei ole kalendris (päev või kuu on vale).') from None


def signing_time(iso: str) -> str:
    """A signing time from a container (ISO 8601 UTC) as Estonians read it: "07.01.2026 kell
    12.15" in Estonian time; in UTC, said so, where the time-zone database is missing."""
    from datetime import datetime
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        moment = datetime.fromisoformat(iso.strip().replace("Z", "+00:00"))
    except ValueError:
        return iso
    try:
        local, zone = moment.astimezone(ZoneInfo("Europe/Tallinn")), ""
    except (ZoneInfoNotFoundError, ValueError):
        local, zone = moment, " UTC"
    return f"{format_date(local.date())} kell {local.hour:02d}.{local.minute:02d}{zone}"


def date_in_words(d: date, case: Case) -> str:
    """"2026. aasta 1. jaanuaril" (adessive, "on") or "... 1. jaanuarist" (elative, "from")."""
    on, from_ = _MONTHS[d.month - 1]
    if case == "adessive":
        month = on
    elif case == "elative":
        month = from_
    else:
        raise ValueError(f"Tundmatu kääne {case!r} (lubatud: adessive, elative).")
    return f"{d.year}. aasta {d.day}. {month}"


# --- letters and numbers ----------------------------------------------------------------------


def capitalize_first(s: str) -> str:
    """Upper-case only the first character: "juhtivspetsialist (PSK)" keeps its "PSK"."""
    return s[:1].upper() + s[1:]


def lower_first(s: str) -> str:
    """Lower-case only the first character (titles inside a sentence, abbreviations kept)."""
    return s[:1].lower() + s[1:]


def plural(n: int, singular: str, plural_form: str) -> str:
    """The singular for exactly one, else the plural: plural(1, "ametijuhend", "ametijuhendid")."""
    return singular if n == 1 else plural_form

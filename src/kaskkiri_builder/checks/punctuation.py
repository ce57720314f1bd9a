"""Punctuation checks: mechanical slips a careful reviewer marks, each with what to write instead.

`check_punctuation` looks at each text alone (kind "kirjavahemargid"); `check_sibling_full_stops`
compares texts that should end alike (kind "lopupunkt").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .findings import Finding, Quote, Severity, TextSpot

KIND = "kirjavahemargid"
KIND_FULL_STOP = "lopupunkt"

_L = r"[^\W\d_]"  # a letter
_LOWER = "a-zõäöüšž"
# Words that may follow a suspended compound: "sotsiaal- ja", "nii telefoni- kui ka".
_CONJUNCTIONS = frozenset({"ja", "ning", "või", "ega", "kui", "ehk", "nagu", "aga", "ent", "vaid"})


@dataclass(frozen=True)
class _Hit:
    message: str  # Estonian: the slip and what to write
    quote: Quote  # the words as written and as they should be


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    severity: Severity
    message: Callable[[re.Match[str], str], _Hit | None]  # None: not a defect after all


def _fragment(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole whitespace-separated words, for quoting."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _quote_fix(m: re.Match[str], text: str, fixed: str) -> tuple[str, str]:
    """The words around the match as written, and with the match replaced by `fixed`."""
    a, b = _fragment(text, m.start(), m.end())
    before = text[a:b]
    after = text[a : m.start()] + fixed + text[m.end() : b]
    return before, after


def _double_stop(m: re.Match[str], text: str) -> _Hit:
    before, after = _quote_fix(m, text, m.group()[0])
    name = "punkti" if m.group()[0] == "." else "koma"
    return _Hit(f'Kaks {name} järjest: "{before}"; kirjuta "{after}".', Quote(before, after))


def _missing_space_after_hyphen(m: re.Match[str], text: str) -> _Hit:
    before, after = _quote_fix(m, text, "- " + m.group("conj"))
    return _Hit(f'Sidekriipsu järel puudub tühik: "{before}"; kirjuta "{after}".', Quote(before, after))


def _hyphen_space_in_word(m: re.Match[str], text: str) -> _Hit | None:
    left, right = m.group("left"), m.group("right")
    if right in _CONJUNCTIONS:
        return None
    # "e- kirjadele", "PEA- koolitused": the hyphen stays; otherwise the compound is written whole.
    keep_hyphen = len(left) == 1 or left.isupper()
    joined = f"{left}-{right}" if keep_hyphen else f"{left}{right}"
    how = "kirjuta" if keep_hyphen else "kirjuta kokku"
    written = f"{left}- {right}"
    return _Hit(f'Sõna sees on sidekriips ja tühik: "{written}"; {how} "{joined}".', Quote(written, joined))


def _space_before_mark(m: re.Match[str], text: str) -> _Hit:
    mark = m.group("mark")
    before, after = _quote_fix(m, text, mark)
    name = {",": "Koma", ".": "Punkti", ";": "Semikooloni"}[mark]
    return _Hit(f'{name} ees on tühik: "{before}"; kirjuta "{after}".', Quote(before, after))


def _missing_list_comma(m: re.Match[str], text: str) -> _Hit | None:
    second_words = m.group("second").split()
    if any(w in _CONJUNCTIONS for w in second_words):
        return None
    first = f'{m.group("first")} {m.group("q1")}'
    second = f'{m.group("second")} {m.group("q2")}'
    return _Hit(
        f'Loetelus puudub koma: "{first} {second}"; kirjuta "{first}, {second}".',
        Quote(f"{first} {second}", f"{first}, {second}", ","),
    )


_ITEM = r"[\w-]+(?: [\w-]+){0,2}"  # a post title of one to three words
_SECOND_ITEM = rf"[{_LOWER}][\w-]*(?: [{_LOWER}][\w-]*){{0,2}}"
_QUALIFIER = r"\([^()\n]{1,60}\)"

_RULES: tuple[_Rule, ...] = (
    # "osutamiseks..", "teenused,,": an ellipsis ("...") is left alone.
    _Rule(re.compile(r"(?<![.])\.\.(?![.])|(?<!,),,(?!,)"), Severity.VIGA, _double_stop),
    # "Telefoni-ja veebinõustamise" -> "Telefoni- ja veebinõustamise"
    _Rule(
        re.compile(rf"(?<={_L})-(?P<conj>ja|ning|või|ega|kui)(?![\w-])"),
        Severity.VIGA,
        _missing_space_after_hyphen,
    ),
    # "koostöö- partneritele" -> "koostööpartneritele"; "sotsiaal- ja" is right and left alone,
    # and so is "trauma- kriisi- ja ..." (a list of suspended compounds short of a comma).
    _Rule(
        re.compile(rf"(?<![\w-])(?P<left>{_L}+)- +(?P<right>[{_LOWER}]{_L}*)(?![\w-])"),
        Severity.HOIATUS,
        _hyphen_space_in_word,
    ),
    # "teenused ," -> "teenused,"; "... ." after a number or a dash is left alone.
    _Rule(
        re.compile(r"(?<=[\w)\]\"”»])[ \t]+(?P<mark>[,;](?!\d)|\.(?=\s|$))"),
        Severity.VIGA,
        _space_before_mark,
    ),
    # "juhtivspetsialist (PSK) teenuseomanik (PSK)," -> "... (PSK), teenuseomanik (PSK),"
    _Rule(
        re.compile(
            rf"(?:^|(?<=, )|(?<=; ))(?P<first>{_ITEM}) (?P<q1>{_QUALIFIER}) "
            rf"(?P<second>{_SECOND_ITEM}) (?P<q2>{_QUALIFIER})(?=\s*(?:[,;.]|$))",
            re.MULTILINE,
        ),
        Severity.HOIATUS,
        _missing_list_comma,
    ),
)


def _finding(spot: TextSpot, offset: int, severity: Severity, kind: str, hit: _Hit) -> Finding:
    return Finding(severity, kind, hit.message, spot.source_at(offset), spot.annex, spot.subject, (hit.quote,))


def _matches(rule: _Rule, text: str) -> Iterator[tuple[re.Match[str], _Hit]]:
    for m in rule.pattern.finditer(text):
        hit = rule.message(m, text)
        if hit is not None:
            yield m, hit


def check_punctuation(spots: Iterable[TextSpot]) -> list[Finding]:
    """Findings (kind "kirjavahemargid") for punctuation slips inside each text."""
    findings: list[Finding] = []
    for spot in spots:
        hits = [
            (m.start(), rule, hit)
            for rule in _RULES
            for m, hit in _matches(rule, spot.text)
        ]
        for offset, rule, hit in sorted(hits, key=lambda h: h[0]):
            findings.append(_finding(spot, offset, rule.severity, KIND, hit))
    return findings


# --- full stops across sibling texts -----------------------------------------------------------


def _ending(text: str) -> str | None:
    """'stop' for a text ending like a sentence, 'none' for one without, None to leave it out.

    Left out: a single word or a dash (not a sentence: "Kõrgharidus", "-"), and a list item that
    ends in a comma, semicolon or colon (its siblings rightly differ).
    """
    t = text.rstrip()
    if not t or len(t.split()) < 2:
        return None
    if t[-1] in ",;:":
        return None
    return "stop" if t[-1] in ".!?…" else "none"


def _tail(text: str, words: int = 5) -> str:
    """The last few words of a text, for quoting."""
    parts = text.split()
    tail = " ".join(parts[-words:])
    return tail if len(parts) <= words else "…" + tail


def check_sibling_full_stops(groups: Iterable[list[TextSpot]]) -> list[Finding]:
    """Findings (kind "lopupunkt") for the odd one out in each group of sibling texts.

    A group is texts that should end alike: the same field across annexes, the results of one
    duty. When at least two thirds of the group's sentences end in a full stop, the others are
    reported (and the reverse); a group with no clear majority is left alone.
    """
    findings: list[Finding] = []
    for group in groups:
        endings = [(spot, _ending(spot.text)) for spot in group]
        counted = [(spot, e) for spot, e in endings if e is not None]
        n = len(counted)
        n_stop = sum(1 for _, e in counted if e == "stop")
        n_none = n - n_stop
        if n < 3 or n_stop == n or n_none == n:
            continue
        if n_stop >= 2 * n_none:
            odd, majority = "none", n_stop
        elif n_none >= 2 * n_stop:
            odd, majority = "stop", n_none
        else:
            continue
        for spot, e in counted:
            if e != odd:
                continue
            text = spot.text.rstrip()
            tail = _tail(text)
            if odd == "none":
                hit = _Hit(
                    f'Lõpus puudub punkt: "{tail}". {n} samalaadsest tekstist {majority} lõpeb '
                    f'punktiga; kirjuta "{tail}."',
                    Quote(tail, f"{tail}.", "."),
                )
            else:
                hit = _Hit(
                    f'Lõpus on punkt: "{tail}", kuid {n} samalaadsest tekstist {majority} lõpeb '
                    f'punktita; kirjuta "{tail.rstrip(".")}".',
                    Quote(tail, tail.rstrip(".")),
                )
            findings.append(_finding(spot, len(text), Severity.HOIATUS, KIND_FULL_STOP, hit))
    return findings

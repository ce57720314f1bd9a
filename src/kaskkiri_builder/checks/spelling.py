"""Estonian spelling check with Vabamorf (estnltk), plus the project's word lists.

Vabamorf is imported and its lexicon loaded once per process, on the first check. The distinct
words of all spots go to Vabamorf in one batch; only the words it rejects go back for suggestions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Protocol, TypedDict

from ..definitions.load import Source
from .findings import Finding, Quote, Severity, TextSpot

KIND = "oigekiri"

# A word: letters, digits and inner hyphens or apostrophes (Office'i), with an optional leading or
# trailing hyphen (the "-motivatsioon" of "tööjõudlus ja -motivatsioon", the "kuulamis-" of
# "kuulamis- ja suhtlemisoskus"). Unicode hyphens and soft hyphens are normalised first.
_WORD_RE = re.compile(r"-?\w+(?:['’-]\w+)*-?")
_URLISH_RE = re.compile(r"(?:\w+://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_LATIN_LETTERS_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]+")
_ACRONYM_RE = re.compile(r"[A-ZÕÄÖÜŠŽ]{2,6}")
# Endings a listed word may take: stem vowel, plural marker, case ending.
_ENDINGS = r"(?:[aeiu]?(?:d|de|te|id|ide|sid|i)?(?:sse|st|s|le|lt|l|ks|ni|na|ta|ga|t)?)"
# The digits-and-hyphen prefix of "2-aastane": the rest is checked as a word.
_NUMBER_PREFIX_RE = re.compile(r"^\d+-(?=[^\W\d_])")
_DIGIT_RE = re.compile(r"\d")


class _Verdict(TypedDict):
    """What Vabamorf says about one word."""

    text: str
    spelling: bool
    suggestions: list[str]


class _Morf(Protocol):
    def spellcheck(self, words: list[str], suggestions: bool = ...) -> list[_Verdict]: ...


class _MorfClass(Protocol):
    def instance(self) -> _Morf: ...


@functools.lru_cache(maxsize=1)
def load_vabamorf() -> _MorfClass:
    """Import Vabamorf and load its lexicon; runs once per process. Returns the Vabamorf class.

    Only estnltk's Vabamorf is loaded (vabamorf_loader.py: not the rest of estnltk, which
    pulls in pandas); nothing is downloaded.
    """
    from .vabamorf_loader import vabamorf_class

    morf: _MorfClass = vabamorf_class()
    morf.instance().spellcheck(["tere"], suggestions=False)
    return morf


def _vabamorf_spellcheck(words: list[str], suggestions: bool) -> list[_Verdict]:
    """Vabamorf's verdicts for `words`, in order: one batch, word by word if it regroups them."""
    # Vabamorf.instance() is per process (it makes a new one after a fork), so ask it each time.
    morf = load_vabamorf().instance()
    results = morf.spellcheck(words, suggestions=suggestions)
    if [r["text"] for r in results] != words:  # it may join a sequence such as "New York"
        results = [morf.spellcheck([w], suggestions=suggestions)[0] for w in words]
    return results


def _data_lines(name: str) -> list[str]:
    """The non-empty lines of a word list shipped in this package, comments removed."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    lines = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


@functools.lru_cache(maxsize=1)
def load_word_list() -> frozenset[str]:
    """The project's accepted words (sonad.txt), case-folded."""
    return frozenset(line.split()[0].casefold() for line in _data_lines("sonad.txt"))


@functools.lru_cache(maxsize=1)
def load_misspellings() -> dict[str, str]:
    """Misspellings Vabamorf accepts (vaared.txt): wrong -> right, case-folded keys.

    Keys ending in "*" are prefixes; their value ends in "*" too.
    """
    result: dict[str, str] = {}
    for line in _data_lines("vaared.txt"):
        wrong, sep, right = line.partition("->")
        if not sep or not wrong.strip() or not right.strip():
            raise ValueError(f"vaared.txt: expected 'wrong -> right', got {line!r}")
        result[wrong.strip().casefold()] = right.strip()
    return result


@dataclass(frozen=True)
class _Token:
    spot: TextSpot
    line: int | None  # the line the word is on, when the spot has one
    query: str  # the word checked and quoted: no leading hyphen, digit prefix or apostrophe ending
    before_slash: bool  # "Saabumis" of "Saabumis/saatmisviis": may be a suspended compound


def _match_case(model: str, word: str) -> str:
    """Give `word` the capitalisation of `model` (Capitalised or ALL CAPS)."""
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _normalise(text: str) -> str:
    return text.replace("\u00ad", "").replace("\u2010", "-").replace("\u2011", "-")


class SpellChecker:
    """Reports words that are not Estonian, as Vabamorf and the project's word lists see it."""

    def __init__(
        self,
        extra_words: Iterable[str] = (),
        extra_misspellings: Mapping[str, str] | None = None,
    ) -> None:
        """`extra_words`: further accepted words (e.g. an organisation's own); `extra_misspellings`:
        further wrong -> right pairs. Nothing is loaded until the first check."""
        self._extra_words = frozenset(w.casefold() for w in extra_words)
        self._extra_misspellings = {k.casefold(): v for k, v in (extra_misspellings or {}).items()}
        self._known_re: re.Pattern[str] | None = None
        self._misspellings: dict[str, str] | None = None
        self._prefix_misspellings: list[tuple[str, str]] = []

    # --- word lists ---------------------------------------------------------------------------

    def _prepare(self) -> None:
        if self._known_re is not None:
            return
        words = load_word_list() | self._extra_words
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        self._known_re = re.compile(rf"(?:{alternatives}){_ENDINGS}" if alternatives else r"(?!)")
        pairs = {**load_misspellings(), **self._extra_misspellings}
        self._misspellings = {k: v for k, v in pairs.items() if not k.endswith("*")}
        self._prefix_misspellings = sorted(
            ((k[:-1], v.rstrip("*")) for k, v in pairs.items() if k.endswith("*")),
            key=lambda kv: len(kv[0]),
            reverse=True,
        )

    def _listed(self, word: str) -> bool:
        """Whether the word list accepts the word (or an inflected form of a listed word)."""
        assert self._known_re is not None
        return self._known_re.fullmatch(word.casefold()) is not None

    def _abbreviation(self, word: str) -> bool:
        """PSK, MHPSS, or a listed word with capitals inside it (AvTS)."""
        if _ACRONYM_RE.fullmatch(word):
            return True
        return any(c.isupper() for c in word[1:]) and self._listed(word)

    def _known_misspelling(self, word: str) -> str | None:
        """The right spelling when `word` is a listed misspelling, else None."""
        assert self._misspellings is not None
        folded = word.casefold()
        right = self._misspellings.get(folded)
        if right is None:
            for prefix, right_prefix in self._prefix_misspellings:
                if folded.startswith(prefix):
                    right = right_prefix + folded[len(prefix) :]
                    break
        return None if right is None else _match_case(word, right)

    # --- tokens -------------------------------------------------------------------------------

    def _tokens(self, spot: TextSpot) -> Iterable[_Token]:
        text = _normalise(spot.text)
        urls = [m.span() for m in _URLISH_RE.finditer(text)]
        for m in _WORD_RE.finditer(text):
            if urls and any(a <= m.start() < b for a, b in urls):
                continue
            word = m.group()
            start = m.start()
            query = word.lstrip("-")
            start += len(word) - len(query)
            # "2-aastane": check "aastane"; any other word with a digit is a number or a code.
            if _DIGIT_RE.search(query):
                query = _NUMBER_PREFIX_RE.sub("", query)
                if _DIGIT_RE.search(query):
                    continue
            if "'" in query or "’" in query:  # "Office'i": the ending is not checked
                query = re.split(r"['’]", query, maxsplit=1)[0]
            letters = query.replace("-", "")
            if len(letters) < 2 or not _LATIN_LETTERS_RE.fullmatch(letters):
                continue  # single letters, Greek or Cyrillic words
            before_slash = not query.endswith("-") and text[m.end() : m.end() + 1] == "/"
            line = None if spot.line is None else spot.line + text.count("\n", 0, start)
            yield _Token(spot, line, query, before_slash)

    def _needs_vabamorf(self, query: str, before_slash: bool) -> list[str]:
        """The strings to ask Vabamorf about for one word (none when the lists decide)."""
        bare = query.rstrip("-")
        if self._listed(bare) or self._abbreviation(bare):
            return []
        asked = [query]
        if before_slash:
            asked.append(query + "-")
        parts = [p for p in query.strip("-").split("-") if p]
        if len(parts) > 1:
            asked += [p for p in parts if not (self._listed(p) or self._abbreviation(p))]
        return asked

    def _accepted(self, query: str, before_slash: bool, verdicts: Mapping[str, bool]) -> bool:
        if not self._needs_vabamorf(query, before_slash):
            return True
        if verdicts[query] or (before_slash and verdicts[query + "-"]):
            return True
        parts = [p for p in query.strip("-").split("-") if p]
        if len(parts) < 2:
            return False
        # A hyphenated word is fine when each part is: "MHPSS-võrgustiku", "PSK-d", "PEA-koolitus".
        def known(part: str) -> bool:
            return self._listed(part) or self._abbreviation(part) or verdicts.get(part, False)

        first, rest = parts[0], parts[1:]
        if not known(first):
            return False
        if self._abbreviation(first) and len(rest) == 1 and len(rest[0]) <= 3 and rest[0].islower():
            return True  # a case ending: PSK-d, MHPSS-i, SKA-le
        return all(known(p) for p in rest)

    # --- the check ----------------------------------------------------------------------------

    def check(self, spots: Iterable[TextSpot]) -> list[Finding]:
        """Findings (kind "oigekiri") for every misspelt word in the spots, in text order."""
        self._prepare()
        tokens = [t for spot in spots for t in self._tokens(spot)]
        words = {(t.query, t.before_slash) for t in tokens}  # decide each distinct word once

        messages: dict[tuple[str, bool], tuple[str, Quote]] = {}
        to_check: list[tuple[str, bool]] = []
        for query, before_slash in words:
            right = self._known_misspelling(query.rstrip("-"))
            if right is not None:
                message = f'Sõna "{query}" on valesti kirjutatud; õige on "{right}".'
                messages[query, before_slash] = message, Quote(query, right)
            else:
                to_check.append((query, before_slash))

        needed = {w: self._needs_vabamorf(*w) for w in to_check}
        asked = sorted({q for qs in needed.values() for q in qs})
        verdicts: dict[str, bool] = {}
        if asked:
            for word, result in zip(asked, _vabamorf_spellcheck(asked, suggestions=False), strict=True):
                verdicts[word] = bool(result["spelling"])
        rejected = [w for w in to_check if needed[w] and not self._accepted(*w, verdicts)]

        wrong = sorted({query for query, _ in rejected})
        suggestions: dict[str, list[str]] = {}
        if wrong:
            for word, result in zip(wrong, _vabamorf_spellcheck(wrong, suggestions=True), strict=True):
                suggestions[word] = [s for s in result["suggestions"] if s != word]
        for query, before_slash in rejected:
            found = suggestions.get(query)
            message = f'Sõna "{query}" ei ole eesti keele sõnastikus'
            message += f'; kas mõeldud "{found[0]}"?' if found else "; kontrolli õigekirja."
            messages[query, before_slash] = message, Quote(query, found[0] if found else None)

        return [
            _finding(t, *messages[t.query, t.before_slash])
            for t in tokens
            if (t.query, t.before_slash) in messages
        ]


def _finding(token: _Token, message: str, quote: Quote) -> Finding:
    spot = token.spot
    source = Source(spot.file, token.line) if spot.file is not None else None
    return Finding(Severity.HOIATUS, KIND, message, source, spot.annex, spot.subject, (quote,))


def check_spelling(spots: Iterable[TextSpot]) -> list[Finding]:
    """Spell-check the spots with the project's default word lists."""
    return SpellChecker().check(spots)

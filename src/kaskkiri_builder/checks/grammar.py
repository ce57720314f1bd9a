"""Grammar the spelling check cannot see, from Vabamorf's morphological analysis (estnltk).

Every word here is spelt right; the slip is in how words fit together:
- an adjective attribute and its noun in different cases ("rahvusvahelisest koostöös");
- the object of a verb that always takes a partitive object, in another case ("Tunneb … kord");
- a particle verb written as one word ("läbiviima" for "läbi viima").

Each rule fires only where the analysis leaves no other reading: a word Vabamorf does not know,
or one with a reading that would agree, is left alone. Missing a slip is better than a false alarm:
the rules are tuned on the bundled example, where they find the published slips and nothing else.
Vabamorf is asked in two batches per check (see `check_grammar`), with the lexicon the spelling
check loads; only sentences with a listed verb are disambiguated, which is most of the cost.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, TypedDict

from ..definitions.load import Source
from .findings import Finding, Quote, Severity, TextSpot

KIND = "grammatika"

_TOKEN_RE = re.compile(r"\w+(?:['’-]\w+)*|[^\w\s]")
_SENTENCE_END = frozenset(".!?;:")
# Punctuation after which a noun phrase has certainly ended ("-" and "/" may join words).
_PHRASE_END = frozenset(".,;:!?()[]\"„“”«»")
_CONJUNCTIONS = frozenset({"ja", "ning", "ega", "või", "ehk", "aga"})


class _Analysis(TypedDict):
    lemma: str
    partofspeech: str
    form: str


class _WordAnalysis(TypedDict):
    text: str
    analysis: list[_Analysis]


class _Morf(Protocol):
    def analyze(
        self, words: list[str], disambiguate: bool = ..., guess: bool = ..., propername: bool = ...
    ) -> list[_WordAnalysis]: ...

    def synthesize(self, lemma: str, form: str, partofspeech: str = ...) -> list[str]: ...


class _MorfClass(Protocol):
    def instance(self) -> _Morf: ...


@functools.lru_cache(maxsize=1)
def _vabamorf() -> _MorfClass:
    """The Vabamorf class, the spelling check's (vabamorf_loader.py; nothing downloads)."""
    from .vabamorf_loader import vabamorf_class

    morf: _MorfClass = vabamorf_class()
    return morf


def _morf() -> _Morf:
    """Vabamorf's instance, asked for each time: it is per process (a fork makes a new one)."""
    return _vabamorf().instance()


@dataclass(frozen=True)
class _Reading:
    lemma: str
    pos: str  # Vabamorf's part of speech: S noun, A adjective, V verb, D adverb, J conjunction …
    form: str  # "sg el", "pl p", "b", "ma", "" (indeclinable)

    @property
    def number(self) -> str:
        return self.form.split()[0] if " " in self.form else ""

    @property
    def case(self) -> str:
        return self.form.split()[-1] if " " in self.form else ""


@dataclass(frozen=True)
class _Word:
    text: str
    start: int  # offsets in the spot's text
    end: int
    readings: tuple[_Reading, ...]  # every reading the lexicon allows, no guessing: () if unknown
    chosen: _Reading | None  # the reading picked in context (only where rule (b) needs it)
    joined: bool  # a "-" or "/" touches it: "koostöö-" of "koostöö- ja", "ja/või"
    first: bool  # the sentence's first word (its capital says nothing)

    @property
    def punctuation(self) -> bool:
        return not self.text[0].isalnum()

    def pos(self) -> str:
        return self.chosen.pos if self.chosen is not None else ""

    def only(self, pos: str) -> bool:
        """Whether the word is known and every reading of it is this part of speech."""
        return bool(self.readings) and all(r.pos == pos for r in self.readings)

    def cases(self) -> set[str]:
        return {r.case for r in self.readings}

    def name_like(self) -> bool:
        """A capital inside a sentence: a proper name, an abbreviation; never judged."""
        return self.text[:1].isupper() and not (self.first and self.text[1:].islower())


@dataclass(frozen=True)
class _Slip:
    start: int
    end: int
    wanted: str
    message: str


# --- tokens and analysis ---------------------------------------------------------------------


def _sentences(text: str) -> Iterator[list[re.Match[str]]]:
    """The tokens of `text`, sentence by sentence (Vabamorf disambiguates within a sentence)."""
    sentence: list[re.Match[str]] = []
    for m in _TOKEN_RE.finditer(text):
        if sentence and "\n" in text[sentence[-1].end() : m.start()]:
            yield sentence
            sentence = []
        sentence.append(m)
        if m.group() in _SENTENCE_END:
            yield sentence
            sentence = []
    if sentence:
        yield sentence


def _readings(analysis: _WordAnalysis) -> tuple[_Reading, ...]:
    """Vabamorf's readings of a word, each once (they repeat per compound split)."""
    seen = dict.fromkeys(_Reading(a["lemma"], a["partofspeech"], a["form"]) for a in analysis["analysis"])
    return tuple(seen)


def _all_readings(words: list[str]) -> dict[str, tuple[_Reading, ...]]:
    """Every reading of each distinct word, without guessing: one call, as it needs no context."""
    morf = _morf()
    result = morf.analyze(words, disambiguate=False, guess=False, propername=False)
    if [a["text"] for a in result] != words:  # it may join a sequence such as "New York"
        result = [morf.analyze([w], disambiguate=False, guess=False, propername=False)[0] for w in words]
    return {w: _readings(a) for w, a in zip(words, result, strict=True)}


def _chosen_readings(sentences: list[tuple[str, ...]]) -> list[list[_Reading | None]]:
    """The reading disambiguation picks for each token, in context. All sentences go in one call
    (a call per sentence would double a check's time), each closed by a sentence mark, so the
    context stays within the sentence; where Vabamorf regroups tokens, each sentence on its own."""
    flat: list[str] = []
    spans: list[tuple[int, int]] = []
    for sentence in sentences:
        spans.append((len(flat), len(flat) + len(sentence)))
        flat += sentence
        if sentence[-1] not in _SENTENCE_END:
            flat.append(".")
    result = _morf().analyze(flat, disambiguate=True, guess=True, propername=True)
    if [a["text"] for a in result] != flat:
        return [_chosen_readings([s])[0] if len(sentences) > 1 else [None] * len(s) for s in sentences]
    return [[_first(result[k]) for k in range(a, b)] for a, b in spans]


def _first(analysis: _WordAnalysis) -> _Reading | None:
    readings = _readings(analysis)
    return readings[0] if readings else None


def _words(  # the sentence's tokens with their readings, and whether "-" or "/" touch them
    text: str, sentence: list[re.Match[str]], readings: dict[str, tuple[_Reading, ...]], chosen: list[_Reading | None]
) -> list[_Word]:
    out = []
    for i, (m, pick) in enumerate(zip(sentence, chosen, strict=True)):
        touches = text[m.start() - 1 : m.start()] + text[m.end() : m.end() + 1]
        joined = "-" in touches or "/" in touches
        out.append(_Word(m.group(), m.start(), m.end(), readings[m.group()], pick, joined, i == 0))
    return out


# --- suggestions ---------------------------------------------------------------------------------


def _synthesize(reading: _Reading, form: str, written: str) -> str | None:
    """The word `reading` is a form of, in `form` ("sg in"); None if Vabamorf cannot make it.

    Of parallel forms ("rahvusvahelisile", "rahvusvahelistele") the one closest to the written
    word is taken: the writer's choice of plural stays.
    """
    made = _morf().synthesize(reading.lemma, form, reading.pos)
    return max(made, key=lambda m: _common_prefix(m, written.casefold()), default=None)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _like(model: str, word: str) -> str:
    """`word` with the capital of `model`, as the sentence has it."""
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _pick(word: _Word, pos: str) -> _Reading:
    """The reading to inflect: the chosen one when it is among the word's readings."""
    if word.chosen is not None and word.chosen in word.readings:
        return word.chosen
    return next(r for r in word.readings if r.pos == pos)


# --- (a) attribute and noun in different cases ---------------------------------------------------

# An attribute is judged only in the local cases, and only against a noun of the same series
# (inner: -sse/-s/-st, outer: -le/-l/-lt), where a slip is one wrong ending. An adjective in the
# nominative, genitive or partitive may belong to a later noun or stand alone ("on teadlikud
# teenustest"); in the translative or essive it may be predicative ("peab oluliseks koostöös");
# across the series it is often an adjective used as a noun ("tuge vabatahtlikele kriisides");
# and before a noun in the last four cases the attribute stands in the genitive ("hea lapsega").
_SERIES = (frozenset({"ill", "in", "el"}), frozenset({"all", "ad", "abl"}))


def _same_series(a: set[str], b: set[str]) -> bool:
    return any(a <= s and b <= s for s in _SERIES)


def _phrase_ends_after(words: Sequence[_Word], i: int) -> bool:
    """Whether the noun phrase surely ends at word i: the sentence, punctuation or a conjunction
    follows (a following noun or participle could be the attribute's real head)."""
    if i + 1 == len(words):
        return True
    nxt = words[i + 1]
    if nxt.punctuation:
        return nxt.text in _PHRASE_END
    return nxt.text.casefold() in _CONJUNCTIONS


def _attribute_slip(words: Sequence[_Word], i: int) -> _Slip | None:
    """Word i an adjective in a local case, word i+1 a noun in another case of the same series,
    ending the phrase: suggest the adjective in the noun's case, or the noun in the adjective's."""
    attr, noun = words[i], words[i + 1]
    if attr.joined or noun.joined or attr.name_like() or noun.name_like():
        return None
    if not (attr.only("A") and noun.only("S") and _same_series(attr.cases(), noun.cases())):
        return None
    if attr.cases() & noun.cases() or not _phrase_ends_after(words, i + 1):
        return None
    a, n = _pick(attr, "A"), _pick(noun, "S")
    attr_form = _synthesize(a, f"{a.number} {n.case}", attr.text)
    if attr_form is None:
        return None
    written = f"{attr.text} {noun.text}"
    wanted = f"{_like(attr.text, attr_form)} {noun.text}"
    message = f'Täiend ja põhisõna on eri käändes: "{written}" — kas "{wanted}"'
    noun_form = _synthesize(n, f"{n.number} {a.case}", noun.text)
    if noun_form is not None:
        message += f' või "{attr.text} {noun_form}"'
    return _Slip(attr.start, noun.end, wanted, message + "?")


def _attribute_slips(words: Sequence[_Word]) -> Iterator[_Slip]:
    for i in range(len(words) - 1):
        slip = _attribute_slip(words, i)
        if slip is not None:
            yield slip


# --- (b) the object of a partitive verb ----------------------------------------------------------

# Verbs whose object is always partitive (they never say the action is complete): only those
# without a common resultative use. "tundma" with "ära" ("tundis ta ära") is resultative and is
# skipped; "kasutama", "hindama", "teadma" ("teada saama") are not listed for that reason.
_PARTITIVE_VERBS = frozenset({
    "tundma", "valdama", "omama", "vajama", "armastama", "austama", "vihkama", "kartma",
    "jälgima", "nõustama", "abistama", "juhendama",
})  # fmt: skip
# Verb forms with an object: finite forms and the infinitives, not participles.
_NOT_FINITE = frozenset({"nud", "tud", "v", "tav", "mata", "mas", "mast", "maks", "tama", "vat", "tavat", "tuvat"})
_MODALS = frozenset({"pidama", "tulema", "oskama", "suutma", "võima", "tohtima", "saama", "püüdma"})
# Nouns whose nominative or genitive is an adverbial of time ("nõustab kogu aeg"), not an object.
_TIME_NOUNS = frozenset({"aeg", "päev", "aasta", "kuu", "nädal", "tund", "hetk", "periood", "öö"})
_ATTRIBUTE_POS = frozenset({"D", "A", "G", "N", "O"})  # may stand between a verb and its object


def _partitive_verb(word: _Word) -> str | None:
    """The lemma, when the word is a form of a listed verb that takes an object."""
    c = word.chosen
    if c is None or c.pos != "V" or c.form in _NOT_FINITE or c.form.startswith("neg "):
        return None
    return c.lemma if c.lemma in _PARTITIVE_VERBS and c in word.readings else None


def _clause_initial(words: Sequence[_Word], i: int) -> bool:
    """Nothing but adverbs and modal verbs before word i in its clause: the verb-first sentence
    of a job description ("Tunneb …"), where a nominative after the verb is no subject."""
    for w in reversed(words[:i]):
        if w.punctuation or w.pos() == "J":
            return True
        if not (w.pos() == "D" or (w.pos() == "V" and w.chosen is not None and w.chosen.lemma in _MODALS)):
            return False
    return True


def _chosen_case(word: _Word) -> str:
    return word.chosen.case if word.chosen is not None else ""


def _object(words: Sequence[_Word], i: int) -> int | None:
    """The index of the head noun of the phrase right after the verb at i, if there is one."""
    for j in range(i + 1, min(i + 6, len(words))):
        w = words[j]
        if w.punctuation or w.joined or w.name_like():
            return None
        if w.pos() == "S":
            nxt = words[j + 1] if j + 1 < len(words) else None
            if nxt is None or nxt.punctuation or nxt.pos() not in ("S", "A", "N", "G", "K"):
                return j
            if nxt.pos() == "K":
                return None  # a postposition's noun ("muret laste pärast")
            if _chosen_case(w) == "g":
                continue  # an attribute of the next word ("asjaajamise kord")
            if nxt.pos() == "S" and _chosen_case(nxt) not in ("n", "g", "p", ""):
                return j  # the head and its complement ("ülevaade valdkonnast")
            return None
        if w.pos() not in _ATTRIBUTE_POS:
            return None
    return None


def _object_slip(words: Sequence[_Word], i: int) -> _Slip | None:
    """Word i a listed verb whose object, the phrase right after it, is in the nominative or
    genitive only: suggest the partitive. A nominative counts only in a verb-first clause."""
    verb = _partitive_verb(words[i])
    if verb is None or any(w.text.casefold() == "ära" for w in words):
        return None
    j = _object(words, i)
    if j is None:
        return None
    head = words[j]
    nominal = [r for r in head.readings if r.pos in ("S", "A")]
    cases = {r.case for r in nominal}
    if not nominal or not cases <= {"n", "g"}:
        return None  # unknown, or it may be partitive ("huvi")
    if any(r.pos == "D" for r in head.readings) and _chosen_case(words[j - 1]) != "g":
        return None  # it may be an adverb ("kord": once), unless a genitive attribute precedes
    if "n" in cases and not _clause_initial(words, i):
        return None  # a nominative after the verb may be its subject
    h = head.chosen if head.chosen is not None and head.chosen in nominal else nominal[0]
    if h.lemma in _TIME_NOUNS:
        return None
    form = _synthesize(h, f"{h.number} p", head.text)
    if form is None:
        return None
    text = " ".join(w.text for w in words[i : j + 1])
    wanted = " ".join([*(w.text for w in words[i:j]), _like(head.text, form)])
    message = f'Verbi "{verb}" sihitis peab olema osastavas käändes: "{text}" — kas "{wanted}"?'
    return _Slip(words[i].start, head.end, wanted, message)


def _object_slips(words: Sequence[_Word]) -> Iterator[_Slip]:
    for i in range(len(words)):
        slip = _object_slip(words, i)
        if slip is not None:
            yield slip


# --- (c) particle verbs written as one word ------------------------------------------------------

# Adverbs that form particle verbs, which the standard writes apart from the verb ("läbi viima",
# "ette valmistama"); their nouns and participles are written together ("läbiviimine",
# "ettevalmistatud") and are known to Vabamorf, so only unknown words are split.
_PARTICLES = tuple(sorted({
    "alla", "arvesse", "edasi", "ellu", "esile", "ette", "heaks", "juurde", "järele",
    "järgi", "kaasa", "kindlaks", "kinni", "kokku", "korda", "kõrvale", "lahti", "läbi", "maha",
    "osa", "peale", "selgeks", "sisse", "tagasi", "teatavaks", "tähele", "täide", "ära", "ümber",
    "üle", "üles", "vastu", "välja",
}, key=len, reverse=True))  # fmt: skip


def _split_candidates(word: _Word) -> list[tuple[str, str]]:
    """(particle, verb) splits of an unknown lower-case word, longest particle first."""
    if word.readings or word.name_like() or not word.text.isalpha():
        return []
    low = word.text.casefold()
    return [(p, low[len(p) :]) for p in _PARTICLES if low.startswith(p) and len(low) - len(p) >= 3]


def _verb_form(readings: Sequence[_Reading]) -> bool:
    """A finite form or an infinitive of a verb, and nothing else."""
    return bool(readings) and all(
        r.pos == "V" and r.form not in _NOT_FINITE and not r.form.startswith("neg ") for r in readings
    )


def _joined_slips(words: Sequence[_Word]) -> Iterator[_Slip]:
    """Unknown words that are a particle and a verb form: the spelling check would only say
    "not in the dictionary" and suggest a noun ("läbiviija" for "läbiviia")."""
    for word in words:
        candidates = _split_candidates(word)
        if not candidates:
            continue
        rests = _morf().analyze([v for _p, v in candidates], disambiguate=False, guess=False, propername=False)
        for (particle, verb), rest in zip(candidates, rests, strict=True):
            if _verb_form(_readings(rest)):
                wanted = f"{_like(word.text, particle)} {verb}"
                message = f'Ühendverb kirjutatakse lahku: "{word.text}" — kas "{wanted}"?'
                yield _Slip(word.start, word.end, wanted, message)
                break


# --- the check -----------------------------------------------------------------------------------

_RULES = (_attribute_slips, _object_slips, _joined_slips)


def _has_partitive_verb(sentence: tuple[str, ...], readings: dict[str, tuple[_Reading, ...]]) -> bool:
    """Whether the sentence may hold a listed verb: only rule (b) reads the words in context,
    and disambiguating is most of the check's time."""
    return any(r.pos == "V" and r.lemma in _PARTITIVE_VERBS for w in sentence for r in readings[w])


def _finding(spot: TextSpot, slip: _Slip) -> Finding:
    source: Source | None = spot.source_at(slip.start)
    quote = Quote(spot.text[slip.start : slip.end], slip.wanted)
    return Finding(Severity.HOIATUS, KIND, slip.message, source, spot.annex, spot.subject, (quote,))


def check_grammar(spots: Iterable[TextSpot]) -> list[Finding]:
    """Findings (kind "grammatika", warnings) for the grammar slips in the spots, in text order.

    Vabamorf is asked twice for the whole lot: every reading of each distinct word, and the
    readings chosen in context for each distinct sentence (a shared clause's recur in each annex).
    """
    spots = list(spots)
    texts = [spot.text.replace("\u2010", "-").replace("\u2011", "-") for spot in spots]
    split = [list(_sentences(text)) for text in texts]
    distinct = list(dict.fromkeys(tuple(m.group() for m in s) for sentences in split for s in sentences))
    if not distinct:
        return []
    readings = _all_readings(sorted({w for s in distinct for w in s}))
    chosen: dict[tuple[str, ...], list[_Reading | None]] = {s: [None] * len(s) for s in distinct}
    in_context = [s for s in distinct if _has_partitive_verb(s, readings)]
    if in_context:
        chosen.update(zip(in_context, _chosen_readings(in_context), strict=True))
    findings = []
    for spot, text, sentences in zip(spots, texts, split, strict=True):
        for sentence in sentences:
            words = _words(text, sentence, readings, chosen[tuple(m.group() for m in sentence)])
            findings += [_finding(spot, slip) for rule in _RULES for slip in rule(words)]
    return findings

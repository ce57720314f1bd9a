"""Characters that must never reach a signed document.

A document to be signed must say exactly what the definitions say. Some characters make it say
something else without a word: those that XML (and so Word) cannot hold cut a document short or
fail it later; control characters are dropped or become line, paragraph or page breaks (docxtpl
turns \\a into a new paragraph and \\f into a page break); bidirectional controls show text
reversed. Every text that reaches a document is checked against this one rule. Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Bidirectional formatting characters: they reorder what the reader sees (Trojan Source).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
#: White space a document may carry in a value: a line break inside a cell and a tab.
ALLOWED_CONTROLS = frozenset("\n\t")


@dataclass(frozen=True)
class UnsafeCharacter:
    """The first character of a text that a document must not carry, and why (Estonian)."""

    index: int
    char: str

    @property
    def code(self) -> str:
        return f"U+{ord(self.char):04X}"

    @property
    def kind(self) -> str:
        """What the character is, in the words the message uses."""
        if self.char in BIDI_CONTROLS:
            return "kirjasuuna juhtmärk (näitab teksti tagurpidi)"
        category = unicodedata.category(self.char)
        if category == "Cs":
            return "poolik UTF-16 märk (surrogaat), mida Word ei talu"
        if _is_noncharacter(self.char):
            return "Unicode'i mittemärk, mida Word ei talu"
        if category in ("Zl", "Zp"):
            return "rea- või lõiguvahetuse märk"
        return "juhtmärk, mille Word jätaks välja või muudaks vahetuseks"

    def describe(self, text: str) -> str:
        """Estonian: which character, where in the text, and what to do."""
        before = text[max(0, self.index - 25) : self.index]
        before = "".join(c for c in before if not is_unsafe(c))
        after = "".join(c for c in text[self.index + 1 : self.index + 26] if not is_unsafe(c))
        return (
            f'tekstis on {self.code}: {self.kind} ("…{before}[{self.code}]{after}…"). '
            "Kustuta see märk (tavaliselt kopeeritud tekstiga kaasa tulnud) ja kirjuta tekst "
            "sellest kohast uuesti."
        )


def is_unsafe(char: str) -> bool:
    """True for a character that a document must not carry."""
    if char in ALLOWED_CONTROLS:
        return False
    if char in BIDI_CONTROLS:
        return True
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or _is_noncharacter(char)


def _is_noncharacter(char: str) -> bool:
    """U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, …)."""
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _unsafe_pattern() -> re.Pattern[str]:
    """`is_unsafe` as one character class, for searching whole texts in C rather than looping
    in Python (a watch rebuild checked 280,000 characters one by one). The categories it uses
    are closed in Unicode: Cc is U+0000–U+001F and U+007F–U+009F, Cs the surrogates, Zl and Zp
    U+2028 and U+2029; a test compares the two over every code point."""
    spans = [("\x00", "\x08"), ("\x0b", "\x1f"), ("\x7f", "\x9f"), ("\ud800", "\udfff"),
             ("\u2028", "\u2029"), ("\ufdd0", "\ufdef")]
    singles = set(BIDI_CONTROLS) | {chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)}
    parts = [f"{re.escape(a)}-{re.escape(b)}" for a, b in spans] + [re.escape(c) for c in sorted(singles)]
    return re.compile("[" + "".join(parts) + "]")


_UNSAFE = _unsafe_pattern()


def first_unsafe(text: str) -> UnsafeCharacter | None:
    """The first unsafe character of `text`, or None."""
    found = _UNSAFE.search(text)
    return None if found is None else UnsafeCharacter(found.start(), found.group())

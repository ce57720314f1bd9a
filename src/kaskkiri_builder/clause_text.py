"""Rendering the text values of the definitions: clause texts are data, so Jinja runs sandboxed.

A sandboxed environment with StrictUndefined: a clause cannot reach Python internals, and a
misspelt parameter is an error with the clause's file and line instead of silently empty text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from jinja2 import Template, TemplateSyntaxError, UndefinedError, meta
from jinja2.exceptions import SecurityError
from jinja2.exceptions import TemplateError as JinjaTemplateError

from .characters import first_unsafe
from .definitions.load import Source
from .definitions.model import Text
from .errors import Problem
from .sandbox import TEXT_ENVIRONMENT, RenderLimit

#: A list item that YAML folded into the previous one: an over-indented "- " line continues the
#: item above as text, so "… on nõustatud. - Teenuse kvaliteeti …" reaches the document.
_FOLDED = re.compile(r"[.!?;:]\s+-\s+[A-ZÕÄÖÜŠŽ]")


def _around(text: str, m: re.Match[str]) -> str:
    return text[max(0, m.start() - 15):m.end() + 15]


@lru_cache(maxsize=4096)
def _variables(source: str) -> frozenset[str]:
    if "{{" not in source and "{%" not in source:
        return frozenset()
    try:
        return frozenset(meta.find_undeclared_variables(TEXT_ENVIRONMENT.parse(source)))
    except TemplateSyntaxError:
        return frozenset()  # reported when the text is rendered


def variables(texts: Iterable[Text]) -> frozenset[str]:
    """The names a set of texts reads (its parameters and the post's context), so that a
    parameter no text uses, or one nobody gives, is reported before anything is rendered."""
    return frozenset().union(*(_variables(t.value) for t in texts))


@lru_cache(maxsize=4096)
def _compiled(source: str) -> Template:
    """Compiling is most of a render's cost, and the same clause is rendered for many posts."""
    return TEXT_ENVIRONMENT.from_string(source)


class TextRenderer:
    """Renders `Text` values with parameters, collecting problems instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def render(
        self,
        text: Text,
        params: dict[str, Any] | None = None,
        what: str = "tekst",
        at: Source | None = None,
    ) -> str:
        """The text with its parameters filled in; on a problem, the raw text and a Problem.

        `at` is where the text is used (the post's line for a shared clause): a character that
        comes from a parameter is reported there, one in the clause's own text at the clause.
        """
        value = text.value
        if "{{" not in value and "{%" not in value and "{#" not in value:
            return self._checked(value, text, what, at, params)
        try:
            return self._checked(_compiled(value).render(params or {}), text, what, at, params)
        except TemplateSyntaxError as exc:
            line = text.source.line + (exc.lineno - 1) if text.source.line and exc.lineno else text.source.line
            self.problems.append(
                Problem(
                    f"Jinja süntaksiviga ({what}): {exc.message}. Kontrolli, et iga {{{{ oleks "
                    "suletud }}-ga ja iga {% if %} oleks suletud {% endif %}-ga.",
                    text.source.file,
                    line,
                )
            )
        except UndefinedError as exc:
            names = ", ".join(sorted(params or {})) or "(parameetreid pole)"
            self.problems.append(
                Problem(
                    f"Jinja viga ({what}): {exc.message}. Lisa parameeter klausli "
                    f'"vaikimisi" või ametikoha "parameetrid" alla. Olemasolevad: {names}.',
                    text.source.file,
                    text.source.line,
                )
            )
        except SecurityError as exc:
            self.problems.append(
                Problem(
                    f"Jinja viga ({what}): keelatud tehe ({exc}). Klausli tekstis võib kasutada "
                    "ainult parameetreid, tingimusi ja filtreid.",
                    text.source.file,
                    text.source.line,
                )
            )
        except RenderLimit as exc:
            self.problems.append(
                text.source.problem(
                    f"Jinja piirang ({what}): {exc} Lihtsusta avaldist: klausli tekst on "
                    "lühike tekst parameetrite ja tingimustega, mitte programm."
                )
            )
        except RecursionError:
            self.problems.append(
                text.source.problem(
                    f"Jinja piirang ({what}): makro kutsub ennast liiga sügavalt. Lihtsusta avaldist."
                )
            )
        except JinjaTemplateError as exc:
            self.problems.append(
                Problem(f"Jinja viga ({what}): {exc}.", text.source.file, text.source.line)
            )
        except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
            # what an expression of the text itself raises: a filter given the wrong type, a
            # division by zero, an index out of range; anything else is a bug of ours
            self.problems.append(
                Problem(
                    f"Jinja viga ({what}): {type(exc).__name__}: {exc}. Paranda avaldis.",
                    text.source.file,
                    text.source.line,
                )
            )
        return value

    def _checked(
        self, result: str, text: Text, what: str, at: Source | None, params: dict[str, Any] | None
    ) -> str:
        """`result`, after making sure no character in it would change the document unseen."""
        folded = _FOLDED.search(result)
        if folded and folded.group(0) in text.value:
            self.problems.append(text.source.problem(
                f'{what}: tekstis on loetelu kriips lause keskel ("…{_around(result, folded)}…"): '
                "YAML liitis kaks loetelu punkti üheks, sest see rida on taandatud rohkem kui "
                'eelmine. Joonda "- " eelmise punkti kriipsuga; kui kriips on tekstis meelega, '
                'kirjuta mõttekriips "–".'))
        bad = first_unsafe(result)
        if bad is None:
            return result
        in_source = bad.char in text.value
        where = text.source if in_source or at is None else at
        names = [k for k, v in (params or {}).items() if isinstance(v, str) and bad.char in v]
        if in_source:
            origin = ""
        elif names:
            origin = f' (parameeter "{names[0]}")'
        else:
            origin = " (Jinja avaldise tulemus)"
        self.problems.append(where.problem(f"{what}{origin}: {bad.describe(result)}"))
        return result


"""Rendering the text values of the definitions: clause texts are data, so Jinja runs sandboxed.

A sandboxed environment with StrictUndefined: a clause cannot reach Python internals, and a
misspelt parameter is an error with the clause's file and line instead of silently empty text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError, TemplateError as JinjaTemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .definitions.model import Text
from .errors import Problem

_ENV = ImmutableSandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
)


@lru_cache(maxsize=4096)
def _compiled(source: str):
    """Compiling is most of a render's cost, and the same clause is rendered for many posts."""
    return _ENV.from_string(source)


def sandbox_environment() -> ImmutableSandboxedEnvironment:
    """The shared sandboxed environment (also used for the Word templates)."""
    return _ENV


class TextRenderer:
    """Renders `Text` values with parameters, collecting problems instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def render(self, text: Text, params: dict[str, Any] | None = None, what: str = "tekst") -> str:
        value = text.value
        if "{{" not in value and "{%" not in value and "{#" not in value:
            return value
        try:
            return _compiled(value).render(params or {})
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
        except JinjaTemplateError as exc:
            self.problems.append(
                Problem(f"Jinja viga ({what}): {exc}.", text.source.file, text.source.line)
            )
        except Exception as exc:  # a filter applied to the wrong type, a division by zero ...
            self.problems.append(
                Problem(
                    f"Jinja viga ({what}): {type(exc).__name__}: {exc}. Paranda avaldis.",
                    text.source.file,
                    text.source.line,
                )
            )
        return value

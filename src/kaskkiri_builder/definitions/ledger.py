"""Reading definitions/ajalugu.yaml (the ledger) into history's types, problems as Problems."""

from __future__ import annotations

from typing import Any, Iterable

from .. import history
from ..errors import Problem
from .load import YamlDoc


def _problems(messages: Iterable[history.Message]) -> list[Problem]:
    out = []
    for message, where in messages:
        file, line = where if where else (None, None)
        out.append(Problem(message, file, line))
    return out


def read_ledger(doc: YamlDoc, problems: list[Problem]) -> tuple[history.LedgerDirective, ...]:
    ledger, messages = history.ledger_from_data(doc.data, doc.name)
    problems.extend(_problems(messages))
    return ledger


def ledger_problems(ledger: Any, known_posts: Iterable[str]) -> list[Problem]:
    """The ledger's cross-references (unknown post, number used twice in a year, ...)."""
    return _problems(history.validate_ledger(ledger, known_posts))

"""The date a directive's generated files carry: PDF metadata, the review's tracked changes.

Never the clock, so the same definitions give the same bytes. Shared by the signing stage and
the review, so that neither has to import the other.
"""

from __future__ import annotations

from datetime import date

from .resolve import ResolvedDirective

#: The date a draft's files carry: a draft has no date of its own, and the clock is not used.
DRAFT_DATE = date(2000, 1, 1)


def document_date(rd: ResolvedDirective) -> date:
    d = rd.directive
    return rd.shown_date or d.in_force_on or d.retroactive_from or DRAFT_DATE

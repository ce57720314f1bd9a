"""The date a directive's generated files carry: PDF metadata, the review's tracked changes.

Never the clock, so the same definitions give the same bytes. Shared by the signing stage and
the review, so that neither has to import the other.
"""

from __future__ import annotations

from datetime import date

from .resolve import ResolvedDirective

#: The date a draft's files carry: a draft has no date of its own, and the clock is not used.
DRAFT_DATE = date(2000, 1, 1)


def review_date(rd: ResolvedDirective, today: date | None = None) -> date:
    """The date of the review's tracked changes: the directive's own once it has one; a draft's
    review is dated the day it is made, as a reviewer expects of a redline (not 01.01.2000).
    SOURCE_DATE_EPOCH, the reproducible-builds convention, fixes that day. The review folder is a
    working copy, outside the build's manifest, so the build's files stay clock-free."""
    if rd.shown_date is not None:
        return rd.shown_date
    if today is not None:
        return today
    import os
    from datetime import UTC, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return date.today()


def document_date(rd: ResolvedDirective) -> date:
    d = rd.directive
    return rd.shown_date or d.in_force_on or d.retroactive_from or DRAFT_DATE

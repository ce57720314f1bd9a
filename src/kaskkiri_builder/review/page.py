"""The review page: one self-contained HTML file a legal reviewer opens.

The markup is the Jinja template `templates/index.html.j2` (autoescaped: every text from the
definitions is escaped by Jinja, never by hand); its CSS, `templates/review.css`, is inlined at
render time. No network at all: CSS and SVG are inline, fonts are the reader's own, and a
Content-Security-Policy forbids loading anything, so the page reads the same offline, archived
or printed. No clock: the same input gives the same page. This module only shapes the data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .. import __version__, estonian
from ..checks.findings import Finding, Severity
from ..history import JobDescriptionRef
from ..resolve import ResolvedAnnex, ResolvedDirective
from .clauses import ClauseTable
from .redline import DiffParagraph, Redline

SEVERITY_ORDER = {Severity.VIGA: 0, Severity.HOIATUS: 1, Severity.INFO: 2}
SEVERITY_LABEL = {Severity.VIGA: "viga", Severity.HOIATUS: "hoiatus", Severity.INFO: "info"}
SEVERITY_PLURAL = {Severity.VIGA: "vead", Severity.HOIATUS: "hoiatused", Severity.INFO: "info"}

TEMPLATE = "index.html.j2"
STYLESHEET = "review.css"


@dataclass
class AnnexReview:
    """One annex of the directive and what it replaces."""

    annex: ResolvedAnnex
    replaces: JobDescriptionRef | None = None
    redline: Redline | None = None
    redline_file: str | None = None  # the Word file with tracked changes, in review/
    no_comparison: str | None = None  # why there is no comparison (Estonian)


@dataclass
class RevokedRow:
    directive: str  # "käskkiri 07.01.2026 nr 1"
    annex: int | None
    post_id: str
    post_title: str
    reason: str


@dataclass
class ReviewPage:
    rd: ResolvedDirective
    unit_name: str
    annexes: list[AnnexReview]
    revoked: list[RevokedRow]
    findings: list[Finding] | None
    findings_note: str | None
    clauses: ClauseTable
    clause_descriptions: dict[str, str]
    chart_svg: str
    chart_posts: int
    notes: list[str] = field(default_factory=list)
    signed: str | None = None  # who signed and when, once the directive is recorded


class ShownParagraph(NamedTuple):
    gap_before: bool  # paragraphs were left out just before this one
    paragraph: DiffParagraph


class FindingGroup(NamedTuple):
    annex: int | None  # None: the directive and findings of no annex
    heading: str
    findings: list[Finding]


class SeverityCount(NamedTuple):
    label: str
    plural: str
    total: int


class ClauseCell(NamedTuple):
    css: str
    tip: str  # the departures, for the cell's title
    text: str  # where the annex uses the clause, with ⚑ or • when it departs


class ClauseRow(NamedTuple):
    clause_id: str
    description: str
    cells: list[tuple[int, ClauseCell | None]]  # annex number → its use of the clause, if any


def count_words(n: int, one: str, many: str) -> str:
    return f"{n} {estonian.plural(n, one, many)}"


def jd_label(jd: JobDescriptionRef) -> str:
    d = jd.directive
    where = f", lisa {jd.annex}" if jd.annex is not None else ""
    ident = f" ({d.id})" if d.id else ""
    return f"käskkiri {estonian.format_date(d.date)} nr {d.number}{where}{ident}"


def nl2br(text: str) -> Markup:
    """Line breaks of a text kept on the page; the text itself escaped."""
    return Markup("<br>").join(text.split("\n"))


def shown_paragraphs(paragraphs: tuple[DiffParagraph, ...]) -> list[ShownParagraph]:
    """Changed paragraphs with the one before each (the row's label, the duty) as context."""
    shown: set[int] = set()
    for i, p in enumerate(paragraphs):
        if p.changed:
            shown.add(i)
            if i > 0 and paragraphs[i - 1].new_text.strip():
                shown.add(i - 1)
    out: list[ShownParagraph] = []
    last: int | None = None
    for i in sorted(shown):
        out.append(ShownParagraph(last is not None and i > last + 1, paragraphs[i]))
        last = i
    return out


def finding_groups(page: ReviewPage) -> list[FindingGroup]:
    """Findings by annex (the directive's first), errors first within each."""
    titles = {a.annex.number: a.annex.bookmark for a in page.annexes}
    groups: dict[int | None, list[Finding]] = {}
    for f in page.findings or []:
        groups.setdefault(f.annex, []).append(f)
    out: list[FindingGroup] = []
    for annex in sorted(groups, key=lambda a: (a is not None, a or 0)):
        items = sorted(
            groups[annex],
            key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.file or "", f.line or 0, f.kind, f.message),
        )
        heading = "Käskkiri ja üldised" if annex is None else titles.get(annex, f"Lisa {annex}")
        out.append(FindingGroup(annex, heading, items))
    return out


def severity_label(severity: Severity) -> str:
    return SEVERITY_LABEL.get(severity, str(severity))


def severity_counts(findings: list[Finding]) -> list[SeverityCount]:
    counts = Counter(f.severity for f in findings if f.accepted is None)  # accepted ones do not count
    return [SeverityCount(SEVERITY_LABEL[s], SEVERITY_PLURAL[s], counts.get(s, 0)) for s in SEVERITY_ORDER]


def clause_rows(page: ReviewPage) -> list[ClauseRow]:
    """The shared-clause table: one row per clause, one cell per annex."""
    table = page.clauses
    rows: list[ClauseRow] = []
    for cid in table.clause_ids:
        cells: list[tuple[int, ClauseCell | None]] = []
        for a in page.annexes:
            n = a.annex.number
            usage = table.cells.get(n, {}).get(cid)
            if usage is None:
                cells.append((n, None))
                continue
            differs = [d for d in usage.departures if d.kind != "parameetrid"]
            css = "used departs" if differs else ("used param" if usage.departures else "used")
            tip = "; ".join(f"{d.where} {d.kind}: {d.summary}" for d in usage.departures)
            mark = " ⚑" if differs else (" •" if usage.departures else "")
            cells.append((n, ClauseCell(css, tip, " ".join(usage.places) + mark)))
        rows.append(ClauseRow(cid, page.clause_descriptions.get(cid, ""), cells))
    return rows


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("kaskkiri_builder.review", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(jd_label=jd_label, nl2br=nl2br, severity_label=severity_label)
    env.globals.update(
        count_words=count_words,
        shown_paragraphs=shown_paragraphs,
        severity_counts=severity_counts,
    )
    return env


def stylesheet(env: Environment) -> Markup:
    """The CSS, inlined: the page's CSP lets it load nothing."""
    assert env.loader is not None
    css = env.loader.get_source(env, STYLESHEET)[0]
    if "</" in css:  # would end the <style> element early
        raise ValueError(f"{STYLESHEET} must not contain '</'")
    return Markup(css)


def render_page(page: ReviewPage) -> str:
    env = environment()
    compared = [a for a in page.annexes if a.redline is not None]
    return env.get_template(TEMPLATE).render(
        page=page,
        rd=page.rd,
        css=stylesheet(env),
        version=__version__,
        compared=compared,
        changed=[a for a in compared if a.redline is not None and a.redline.changes],
        missing=[a for a in page.annexes if a.redline is None and a.no_comparison and a.replaces],
        finding_groups=finding_groups(page),
        clause_rows=clause_rows(page),
        chart_svg=Markup(page.chart_svg),  # built by orgchart.py, which escapes its own text
    )

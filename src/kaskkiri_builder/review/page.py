"""The review page: one self-contained HTML file a legal reviewer opens.

No network at all: CSS and SVG are inline, fonts are the reader's own, and a Content-Security-
Policy forbids loading anything, so the page reads the same offline, archived or printed. Every
text from the definitions goes through `escape`. No clock: the same input gives the same page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html import escape
from typing import Iterable

from .. import __version__, estonian
from ..checks.findings import Finding, Severity
from ..definitions.model import PostGroup
from ..history import JobDescriptionRef
from ..resolve import ResolvedAnnex, ResolvedDirective
from .clauses import ClauseTable
from .redline import DiffParagraph, Redline, Segment

SEVERITY_ORDER = {Severity.VIGA: 0, Severity.HOIATUS: 1, Severity.INFO: 2}
SEVERITY_LABEL = {Severity.VIGA: "viga", Severity.HOIATUS: "hoiatus", Severity.INFO: "info"}
SEVERITY_PLURAL = {Severity.VIGA: "vead", Severity.HOIATUS: "hoiatused", Severity.INFO: "info"}
GROUP_WORD = {PostGroup.AMETNIK: "ametnik", PostGroup.TOOTAJA: "töötaja"}
GROUP_CLASS = {PostGroup.AMETNIK: "ametnik", PostGroup.TOOTAJA: "tootaja"}

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


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


def e(text: object) -> str:
    return escape(str(text), quote=True)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {estonian.plural(n, one, many)}"


def jd_label(jd: JobDescriptionRef) -> str:
    d = jd.directive
    where = f", lisa {jd.annex}" if jd.annex is not None else ""
    ident = f" ({d.id})" if d.id else ""
    return f"käskkiri {estonian.format_date(d.date)} nr {d.number}{where}{ident}"


# --- pieces -----------------------------------------------------------------------------------


def segments_html(segments: Iterable[Segment]) -> str:
    out = []
    for s in segments:
        text = e(s.text).replace("\n", "<br>")
        if s.kind == "ins":
            out.append(f"<ins>{text}</ins>")
        elif s.kind == "del":
            out.append(f"<del>{text}</del>")
        else:
            out.append(text)
    return "".join(out)


def diff_html(paragraphs: tuple[DiffParagraph, ...]) -> str:
    """Changed paragraphs with the one before each (the row's label, the duty) as context."""
    changed = [i for i, p in enumerate(paragraphs) if p.changed]
    if not changed:
        return '<p class="nochange">Sõnastus on sama mis kinnitatud versioonis.</p>'
    shown: list[int] = []
    for i in changed:
        for j in (i - 1, i):
            if j >= 0 and j not in shown and (j == i or paragraphs[j].new_text.strip()):
                shown.append(j)
    out = ['<div class="redline">']
    last = None
    for i in sorted(shown):
        if last is not None and i > last + 1:
            out.append('<p class="gap" aria-hidden="true">…</p>')
        p = paragraphs[i]
        cls = "para changed" if p.changed else "para context"
        out.append(f'<p class="{cls}">{segments_html(p.segments) or "&#160;"}</p>')
        last = i
    out.append("</div>")
    return "\n".join(out)


def _directive_text(rd: ResolvedDirective) -> str:
    out = ['<div class="directive-text">']
    out.append(f'<p class="kind">{e(rd.kind)}</p>')
    out.append(f'<p class="datenr">{e(rd.date_number)}</p>')
    out.append(f'<p class="dtitle">{e(rd.title)}</p>')
    out.append(f"<p>{e(rd.preamble)}:</p>")
    out.append("<ol class=\"points\">")
    for point in rd.points:
        out.append(f'<li><span class="pn">{e(point.number)}</span> {e(point.text)}')
        if point.items:
            out.append('<ul class="items">' + "".join(f"<li>{e(i)}</li>" for i in point.items) + "</ul>")
        for extra in point.extra:
            out.append(f"<p>{e(extra)}</p>")
        out.append("</li>")
    out.append("</ol>")
    out.append('<p class="signature">' + "<br>".join(e(s) for s in rd.signature) + "</p>")
    out.append("</div>")
    return "\n".join(out)


def _annex_table(annexes: list[AnnexReview]) -> str:
    rows = []
    for a in annexes:
        post = a.annex.post
        if a.replaces is None:
            replaces = '<span class="muted">uus ametijuhend (varasemat ei ole kehtiv)</span>'
        else:
            replaces = e(jd_label(a.replaces))
        if a.redline is not None:
            n = a.redline.changes
            what = _count(n, "muudatus", "muudatust") if n else "muudatusi pole"
            change = f'<a href="#muudatus-lisa-{a.annex.number}">{e(what)}</a>'
            if a.redline_file:
                change += f' · <a href="{e(a.redline_file)}">Word</a>'
        elif a.no_comparison:
            change = f'<span class="muted">{e(a.no_comparison)}</span>'
        else:
            change = '<span class="muted">—</span>'
        rows.append(
            f'<tr data-annex="{a.annex.number}"><td class="num">{a.annex.number}</td>'
            f"<td>{e(a.annex.title)}<br><code>{e(post.id)}</code></td>"
            f'<td><span class="grp {GROUP_CLASS[post.group]}">{e(GROUP_WORD[post.group])}</span></td>'
            f"<td>{replaces}</td><td>{change}</td></tr>"
        )
    return (
        '<table class="annex-table"><thead><tr><th>Lisa</th><th>Ametikoht</th><th>Grupp</th>'
        "<th>Asendab kehtivat ametijuhendit</th><th>Muudatused</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _revoked_table(rows: list[RevokedRow]) -> str:
    if not rows:
        return '<p class="muted">Käskkiri ei tunnista midagi kehtetuks (punkt 2 puudub).</p>'
    body = "".join(
        f"<tr><td>{e(r.directive)}</td><td class=\"num\">{'' if r.annex is None else r.annex}</td>"
        f"<td>{e(r.post_title)}<br><code>{e(r.post_id)}</code></td><td>{e(r.reason)}</td></tr>"
        for r in rows
    )
    return (
        '<table class="revoked-table"><thead><tr><th>Käskkiri</th><th>Lisa</th><th>Ametikoht</th>'
        f"<th>Miks</th></tr></thead><tbody>{body}</tbody></table>"
    )


def _findings(page: ReviewPage) -> str:
    if page.findings is None:
        note = page.findings_note or "Kontrolle ei käivitatud."
        return f'<p class="muted" id="leiud-puuduvad">{e(note)}</p>'
    if not page.findings:
        return '<p class="ok">Kontroll ei leidnud midagi.</p>'
    titles = {a.annex.number: a.annex.bookmark for a in page.annexes}
    groups: dict[int | None, list[Finding]] = {}
    for f in page.findings:
        groups.setdefault(f.annex, []).append(f)
    out = []
    for annex in sorted(groups, key=lambda a: (a is not None, a or 0)):
        items = sorted(
            groups[annex],
            key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.file or "", f.line or 0, f.kind, f.message),
        )
        if annex is None:
            heading = "Käskkiri ja üldised"
        else:
            heading = titles.get(annex, f"Lisa {annex}")
        out.append(
            f'<div class="finding-group" data-annex="{"" if annex is None else annex}">'
            f"<h3>{e(heading)} <span class=\"small muted\">({len(items)})</span></h3><ul class=\"findings\">"
        )
        for f in items:
            sev = SEVERITY_LABEL.get(f.severity, str(f.severity))
            where = ""
            if f.file:
                where = f'<span class="where">{e(f.file)}{":" + str(f.line) if f.line else ""}</span>'
            out.append(
                f'<li class="finding {e(sev)}" data-severity="{e(sev)}" data-kind="{e(f.kind)}">'
                f'<span class="sev">{e(sev)}</span> <span class="msg">{e(f.message)}</span>'
                f' <span class="kind">{e(f.kind)}</span> {where}</li>'
            )
        out.append("</ul></div>")
    return "\n".join(out)


def _severity_summary(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    parts = [
        f'<span class="sev-count {SEVERITY_LABEL[s]}">{SEVERITY_PLURAL[s]}: {counts.get(s, 0)}</span>'
        for s in SEVERITY_ORDER
    ]
    return " ".join(parts)


def _changes(page: ReviewPage) -> str:
    compared = [a for a in page.annexes if a.redline is not None]
    out = []
    if not compared:
        out.append(
            '<p class="muted">Ükski lisa ei asenda arhiveeritud (kaskkiri record) ametijuhendit: '
            "võrrelda pole millegagi.</p>"
        )
    else:
        out.append(
            '<p class="small muted">Võrreldakse kinnitatud ametijuhendiga (arhiiv/&lt;käskkiri&gt;/kinnitatud/). '
            "Päise read (kinnitava käskkirja kuupäev ja number, lisa number) on võrdlusest välja "
            "jäetud. Wordi failis on samad muudatused jälgitud muudatustena: Wordis "
            "Läbivaatamine → Nõustu / Keeldu.</p>"
        )
    for a in compared:
        assert a.redline is not None and a.replaces is not None
        n = a.redline.changes
        link = (
            f' <a class="docx" href="{e(a.redline_file)}">Ava Wordis (jälgitud muudatused)</a>'
            if a.redline_file
            else ""
        )
        note = f'<p class="note">{e(a.redline.note)}</p>' if a.redline.note else ""
        out.append(
            f'<article class="diff" id="muudatus-lisa-{a.annex.number}" data-annex="{a.annex.number}"'
            f' data-changes="{n}"><h3>{e(a.annex.bookmark)}</h3>'
            f'<p class="small">Asendab: {e(jd_label(a.replaces))}. '
            f"{e(_count(n, 'muudatus', 'muudatust') if n else 'Muudatusi pole')}.{link}</p>"
            f"{note}{diff_html(a.redline.paragraphs)}</article>"
        )
    missing = [a for a in page.annexes if a.redline is None and a.no_comparison and a.replaces]
    if missing:
        out.append("<h3>Võrdlus puudub</h3><ul>")
        for a in missing:
            out.append(f"<li>{e(a.annex.bookmark)}: {e(a.no_comparison)}</li>")
        out.append("</ul>")
    return "\n".join(out)


def _clause_section(page: ReviewPage) -> str:
    table = page.clauses
    if not table.clause_ids:
        return '<p class="muted">Ükski lisa ei kasuta ühiseid klausleid.</p>'
    numbers = [a.annex.number for a in page.annexes]
    head = "".join(
        f'<th class="num" title="{e(a.annex.title)}">{a.annex.number}</th>' for a in page.annexes
    )
    rows = []
    for cid in table.clause_ids:
        desc = page.clause_descriptions.get(cid, "")
        cells = []
        for n in numbers:
            usage = table.cells.get(n, {}).get(cid)
            if usage is None:
                cells.append('<td class="unused">–</td>')
                continue
            differs = [d for d in usage.departures if d.kind != "parameetrid"]
            cls = "used departs" if differs else ("used param" if usage.departures else "used")
            tip = "; ".join(f"{d.where} {d.kind}: {d.summary}" for d in usage.departures)
            mark = " ⚑" if differs else (" •" if usage.departures else "")
            cells.append(
                f'<td class="{cls}" data-annex="{n}" data-clause="{e(cid)}"'
                + (f' title="{e(tip)}"' if tip else "")
                + f">{e(' '.join(usage.places))}{mark}</td>"
            )
        desc_html = f'<br><span class="small muted">{e(desc)}</span>' if desc else ""
        rows.append(f"<tr><th scope=\"row\"><code>{e(cid)}</code>{desc_html}</th>{''.join(cells)}</tr>")
    own = "".join(f'<td class="num">{table.own_duties.get(n, 0)}</td>' for n in numbers)
    rows.append(f'<tr class="own"><th scope="row">Ametikoha oma ülesanded (tk)</th>{own}</tr>')
    out = [
        '<p class="small muted">Read: ühised klauslid; veerud: lisad. Lahtris on koht, kus lisa klauslit '
        "kasutab (2.3. – ülesanne, 4. – õigused ja vastutus, ≈ – ametikoha oma tekst, mis on klausliga "
        "peaaegu sama); • – klausel oma parameetritega; ⚑ – lisa sõnastus erineb klauslist.</p>",
        '<div class="scroll"><table class="clause-table"><thead><tr><th>Klausel</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>",
    ]
    if table.departures:
        out.append("<h3>Kus lisad klauslitest erinevad</h3><ul class=\"departures\">")
        for d in table.departures:
            diff = f'<div class="redline">{segments_html(d.diff)}</div>' if d.diff else ""
            out.append(
                f'<li data-annex="{d.annex}" data-clause="{e(d.clause_id)}"><strong>Lisa {d.annex}, '
                f"{e(d.where)}</strong> – klausel <code>{e(d.clause_id)}</code>, {e(d.kind)}: "
                f"{e(d.summary)}{diff}</li>"
            )
        out.append("</ul>")
    else:
        out.append('<p class="ok">Ükski lisa ei erine kasutatud klauslitest.</p>')
    return "\n".join(out)


LEGEND = (
    '<ul class="legend">'
    '<li><svg width="26" height="16" aria-hidden="true"><rect x="1" y="1" width="24" height="14" rx="3" '
    'class="sw ametnik"/></svg> ametnik (A)</li>'
    '<li><svg width="26" height="16" aria-hidden="true"><rect x="1" y="1" width="24" height="14" rx="3" '
    'class="sw tootaja"/></svg> töötaja (T)</li>'
    '<li><svg width="26" height="16" aria-hidden="true"><rect x="2" y="2" width="22" height="12" rx="3" '
    'class="sw selected"/></svg> käskkirjaga kinnitatav (lisa N)</li>'
    '<li><svg width="26" height="16" aria-hidden="true"><rect x="1" y="1" width="24" height="14" rx="3" '
    'class="sw outside"/></svg> teisest üksusest</li>'
    '<li><svg width="26" height="16" aria-hidden="true"><rect x="1" y="1" width="24" height="14" rx="3" '
    'class="sw abolished"/></svg> käskkirjaga kaotatav</li>'
    '<li><svg width="34" height="12" aria-hidden="true"><line x1="1" y1="6" x2="33" y2="6" class="lg manager"/>'
    "</svg> vahetu juht</li>"
    '<li><svg width="34" height="12" aria-hidden="true"><line x1="1" y1="6" x2="33" y2="6" '
    'class="lg substitution"/></svg> asendamine (nool: keda asendatakse)</li>'
    "</ul>"
)


STYLE = """
:root { --ink:#1d2430; --muted:#5f6b7a; --line:#d5dbe3; --bg:#f6f8fa; --accent:#1f4f8f;
  --ins:#dff3e3; --ins-ink:#0b5a23; --del:#fbe3e1; --del-ink:#8d1c12; --warn:#9a5b00; --err:#b3261e;
  --amet:#e6eefb; --amet-ink:#2f5d9e; --toot:#e9f6e6; --toot-ink:#3b7a37; --sel:#c2570c; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin:0; color:var(--ink); background:#fff; line-height:1.5;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
header.top { background:var(--bg); border-bottom:1px solid var(--line); padding:20px 0 12px; }
.wrap { max-width:1120px; margin:0 auto; padding:0 24px; }
.eyebrow { margin:0; color:var(--muted); font-size:13px; text-transform:uppercase; letter-spacing:.04em; }
h1 { margin:4px 0 2px; font-size:26px; line-height:1.25; }
h2 { margin:36px 0 12px; font-size:20px; border-bottom:2px solid var(--line); padding-bottom:4px; }
h3 { margin:22px 0 8px; font-size:16px; }
.meta { margin:0; color:var(--muted); }
nav.toc { margin-top:10px; display:flex; flex-wrap:wrap; gap:6px 16px; font-size:14px; }
a { color:var(--accent); }
.stats { list-style:none; padding:0; margin:12px 0 0; display:flex; flex-wrap:wrap; gap:8px; }
.stats li { background:#fff; border:1px solid var(--line); border-radius:6px; padding:4px 10px; font-size:14px; }
.stats strong { font-size:16px; }
.muted { color:var(--muted); } .small { font-size:13px; } .ok { color:var(--toot-ink); }
code { font: 12px/1.3 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; color:var(--muted); }
table { border-collapse:collapse; width:100%; margin:8px 0 4px; font-size:14px; }
th, td { border:1px solid var(--line); padding:6px 8px; text-align:left; vertical-align:top; }
thead th { background:var(--bg); font-weight:600; }
td.num, th.num { text-align:center; white-space:nowrap; }
.scroll { overflow-x:auto; }
.directive-text { border:1px solid var(--line); border-radius:8px; padding:14px 20px; background:#fffdf8;
  font-family: Cambria, Caladea, "Liberation Serif", Georgia, serif; font-size:15px; }
.directive-text .kind { font-weight:700; margin:0; } .directive-text .datenr { margin:0 0 8px; }
.directive-text .dtitle { font-weight:700; }
.directive-text ol.points { list-style:none; padding-left:0; }
.directive-text ol.points > li { margin:8px 0; }
.directive-text ul.items { list-style:none; padding-left:28px; margin:4px 0; }
.directive-text .signature { margin-top:14px; }
.grp { display:inline-block; padding:0 7px; border-radius:10px; font-size:12px; border:1px solid; }
.grp.ametnik { background:var(--amet); color:var(--amet-ink); }
.grp.tootaja { background:var(--toot); color:var(--toot-ink); }
.finding-group h3 { margin-bottom:4px; }
ul.findings { list-style:none; padding:0; margin:0 0 8px; }
li.finding { border-left:4px solid var(--line); background:var(--bg); margin:4px 0; padding:6px 10px; }
li.finding .sev { display:inline-block; min-width:62px; font-size:12px; font-weight:700; text-transform:uppercase; }
li.finding.viga { border-left-color:var(--err); } li.finding.viga .sev { color:var(--err); }
li.finding.hoiatus { border-left-color:var(--warn); } li.finding.hoiatus .sev { color:var(--warn); }
li.finding.info .sev { color:var(--muted); }
li.finding .kind, li.finding .where { color:var(--muted); font-size:12px; }
li.finding .where { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.sev-count + .sev-count { margin-left:8px; }
.sev-count.viga { color:var(--err); } .sev-count.hoiatus { color:var(--warn); }
article.diff { border:1px solid var(--line); border-radius:8px; padding:4px 16px 12px; margin:14px 0; }
.redline { font-family: Cambria, Caladea, "Liberation Serif", Georgia, serif; }
.redline p { margin:4px 0; }
.redline .context { color:var(--muted); }
.redline .gap { color:var(--muted); margin:0; }
ins { background:var(--ins); color:var(--ins-ink); text-decoration:underline; }
del { background:var(--del); color:var(--del-ink); text-decoration:line-through; }
.note { background:#fff6e0; border:1px solid #f0d49a; padding:6px 10px; border-radius:6px; }
.nochange { color:var(--toot-ink); }
table.clause-table td.used { background:#f2f7ff; text-align:center; white-space:nowrap; }
table.clause-table td.param { background:#fbf8e6; }
table.clause-table td.departs { background:#fff1e0; color:#7a3c00; font-weight:600; }
table.clause-table td.unused { color:#b8c0cc; text-align:center; }
table.clause-table tr.own th { font-weight:400; }
ul.departures li { margin:8px 0; }
ul.departures .redline { margin:4px 0 0 0; padding:6px 10px; background:var(--bg); border-radius:6px; white-space:pre-wrap; }
ul.legend { list-style:none; padding:0; display:flex; flex-wrap:wrap; gap:6px 18px; font-size:13px; }
ul.legend li { display:flex; align-items:center; gap:6px; }
.sw.ametnik { fill:var(--amet); stroke:var(--amet-ink); } .sw.tootaja { fill:var(--toot); stroke:var(--toot-ink); }
.sw.selected { fill:#fff; stroke:var(--sel); stroke-width:3; }
.sw.outside { fill:#fff; stroke:#8a94a3; stroke-dasharray:3 2; }
.sw.abolished { fill:#eeeeee; stroke:#7a7a7a; stroke-dasharray:2 2; }
.lg.manager { stroke:#47515e; stroke-width:1.6; } .lg.substitution { stroke:#8a5cc2; stroke-width:1.6; stroke-dasharray:5 4; }
.chart-wrap { overflow-x:auto; border:1px solid var(--line); border-radius:8px; background:#fcfdfe; padding:6px; }
svg.orgchart { display:block; max-width:100%; height:auto; margin:0 auto;
  font-family: system-ui, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
svg.orgchart .edge { fill:none; }
svg.orgchart .edge.manager { stroke:#47515e; stroke-width:1.6; }
svg.orgchart .edge.substitution { stroke:#8a5cc2; stroke-width:1.3; stroke-dasharray:5 4; opacity:.6; }
svg.orgchart .arrow { fill:#8a5cc2; }
svg.orgchart .node .box { stroke-width:1.4; }
svg.orgchart .node.ametnik .box { fill:var(--amet); stroke:var(--amet-ink); }
svg.orgchart .node.tootaja .box { fill:var(--toot); stroke:var(--toot-ink); }
svg.orgchart .node.outside .box { stroke-dasharray:4 3; fill:#fff; }
svg.orgchart .node.abolished .box { fill:#eeeeee; stroke:#7a7a7a; stroke-dasharray:2 2; }
svg.orgchart .node.abolished .t { text-decoration:line-through; fill:#5f6b7a; }
svg.orgchart .kaob rect { fill:#6b7280; } svg.orgchart .kaob text { fill:#fff; font-size:10px; font-weight:600; }
svg.orgchart .node.in-directive .box { stroke:var(--sel); stroke-width:3.2; }
svg.orgchart .node .t { font-size:13px; font-weight:600; fill:var(--ink); }
svg.orgchart .node .id { font-size:10px; fill:var(--muted); font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
svg.orgchart .badge circle { stroke:#fff; stroke-width:1.5; }
svg.orgchart .node.ametnik .badge circle { fill:var(--amet-ink); }
svg.orgchart .node.tootaja .badge circle { fill:var(--toot-ink); }
svg.orgchart .badge text { fill:#fff; font-size:11px; font-weight:700; }
svg.orgchart .lisa rect { fill:var(--sel); } svg.orgchart .lisa text { fill:#fff; font-size:10px; font-weight:600; }
footer { margin:40px 0 24px; color:var(--muted); font-size:12px; }
@media print {
  body { font-size:10.5pt; } header.top { background:none; border:none; padding-top:0; }
  nav.toc, .no-print { display:none; }
  .wrap { max-width:none; padding:0; }
  h2 { break-after:avoid; } h3 { break-after:avoid; }
  article.diff, tr, li.finding, .chart-wrap { break-inside:avoid; }
  a { color:inherit; text-decoration:none; }
  .scroll, .chart-wrap { overflow:visible; }
  * { -webkit-print-color-adjust:exact; print-color-adjust:exact; }
}
"""


def render_page(page: ReviewPage) -> str:
    rd = page.rd
    status = "EELNÕU (number ja kuupäev puuduvad)" if rd.draft else rd.date_number
    compared = [a for a in page.annexes if a.redline is not None]
    changed = [a for a in compared if a.redline and a.redline.changes]
    count = len(page.findings) if page.findings is not None else None
    count_html = (
        f'<span class="count" id="leidude-arv" data-count="{count}">{count}</span>'
        if count is not None
        else '<span class="count" id="leidude-arv" data-count="">–</span>'
    )
    stats = [
        f"<li><strong>{len(rd.annexes)}</strong> lisa</li>",
        f"<li><strong>{len(page.revoked)}</strong> kehtetuks tunnistatavat ametijuhendit</li>"
        if len(page.revoked) != 1
        else "<li><strong>1</strong> kehtetuks tunnistatav ametijuhend</li>",
        f"<li><strong>{len(changed)}</strong> muudetud lisa (võrreldi {len(compared)})</li>",
        f"<li>Leide: <strong>{count if count is not None else '–'}</strong>"
        + (f" ({_severity_summary(page.findings)})" if page.findings else "")
        + "</li>",
    ]
    notes = "".join(f'<p class="note">{e(n)}</p>' for n in page.notes)
    title = f"Ülevaatus: {rd.title} ({'eelnõu' if rd.draft else rd.date_number})"
    return f"""<!DOCTYPE html>
<html lang="et">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="generator" content="kaskkiri {e(__version__)}">
<title>{e(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<header class="top"><div class="wrap">
<p class="eyebrow">Juriidiline ülevaatus · {e(rd.agency)}</p>
<h1>{e(rd.title)}</h1>
<p class="meta">{e(status)} · käskkiri <code>{e(rd.id)}</code> · {e(page.unit_name)}</p>
<nav class="toc" aria-label="Sisukord"><a href="#kokkuvote">1. Kokkuvõte</a><a href="#leiud">2. Kontrolli leiud</a>
<a href="#muudatused">3. Muudatused</a><a href="#klauslid">4. Ühised klauslid</a><a href="#skeem">5. Skeem</a></nav>
<ul class="stats">{"".join(stats)}</ul>
</div></header>
<main class="wrap">
{notes}
<section id="kokkuvote">
<h2>1. Kokkuvõte</h2>
<h3>Käskkirja tekst</h3>
{_directive_text(rd)}
<h3>Kinnitatavad ametijuhendid</h3>
{_annex_table(page.annexes)}
<h3>Kehtetuks tunnistatavad ametijuhendid (punkt 2)</h3>
{_revoked_table(page.revoked)}
</section>
<section id="leiud">
<h2>2. Kontrolli leiud: {count_html}</h2>
{_findings(page)}
</section>
<section id="muudatused">
<h2>3. Muudatused võrreldes kinnitatud ametijuhenditega</h2>
{_changes(page)}
</section>
<section id="klauslid">
<h2>4. Ühised klauslid</h2>
{_clause_section(page)}
</section>
<section id="skeem">
<h2>5. Struktuuriüksuse skeem</h2>
<p class="small muted">Koostatud definitsioonidest: {e(_count(page.chart_posts, "ametikoht", "ametikohta"))}.
Rida näitab kaugust üksuse juhist vahetute juhtide ahelas.</p>
{LEGEND}
<div class="chart-wrap">
{page.chart_svg}
</div>
</section>
<footer>Koostas kaskkiri {e(__version__)} definitsioonidest; Wordi failid on ülevaatuse kaustas.</footer>
</main>
</body>
</html>
"""

"""What the preview page shows, as plain JSON-ready values: pure, no files, no clock.

The text comes from the resolved directive (the same strings the Word files carry, see
text_guard), so the page updates as soon as the definitions resolve, long before LibreOffice is
done; the findings and errors are the ones `kaskkiri check` and `kaskkiri build` print.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..checks.findings import Finding
from ..errors import KaskkiriError
from ..resolve import ResolvedAnnex, ResolvedDirective

Json = dict[str, Any]


def _block(text: str, label: str | None = None, items: Iterable[str] = ()) -> Json:
    return {"label": label, "text": text, "items": list(items)}


def directive_document(rd: ResolvedDirective) -> Json:
    blocks = [_block(rd.kind), _block(rd.date_number), _block(rd.title), _block(rd.preamble)]
    for point in rd.points:
        blocks.append(_block(point.text, point.number, point.items))
        blocks += [_block(extra) for extra in point.extra]
    blocks += [_block(line) for line in rd.signature]
    return {"id": "kaskkiri", "title": "Käskkiri", "file": rd.directive.source.file, "blocks": blocks}


def annex_document(annex: ResolvedAnnex) -> Json:
    blocks = [_block(line) for line in annex.heading]
    blocks += [_block(value, label) for label, value in annex.general]
    blocks += [_block(duty.text, duty.number, duty.results) for duty in annex.duties]
    blocks += [_block(value, label) for label, value in annex.requirements]
    blocks += [_block("", label, items) for label, items in annex.rights]
    blocks.append(_block(annex.closing))
    return {
        "id": f"lisa-{annex.number}",
        "title": annex.bookmark,
        "file": annex.post.source.file,
        "blocks": blocks,
    }


def documents(rd: ResolvedDirective) -> list[Json]:
    """The directive and each annex, in document order, as titled lists of text blocks."""
    return [directive_document(rd), *(annex_document(a) for a in rd.annexes)]


def finding_json(f: Finding) -> Json:
    return {
        "severity": f.severity.value,
        "kind": f.kind,
        "message": f.message,
        "where": f.where() if f.file else "",
        "annex": f.annex,
        "accepted": f.accepted,
    }


def findings_json(findings: Iterable[Finding]) -> list[Json]:
    return [finding_json(f) for f in findings]


def error_json(exc: KaskkiriError) -> Json:
    """An error as `build` prints it: one line per problem, "file:line: message"."""
    return {
        "code": exc.exit_code,
        "problems": [{"where": p.where(), "message": p.message, "line": str(p)} for p in exc.problems],
    }

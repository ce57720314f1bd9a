"""The review package: what a legal reviewer opens before a directive is signed.

`write_review(project, "2026-02")` writes `output/2026-02/review/`:
  - `index.html`: one self-contained page (summary, check findings by annex, shared clauses,
    org chart, the changes of every annex that replaces an archived one);
  - `lisa-NN-<post>-muudatused.docx`: for each such annex, the new annex with tracked changes
    against the approved version (Word's Review → Accept / Reject).
The new annexes are built Word-only into a temporary folder, so `output/<id>/` is not rebuilt;
the review folder is written aside and moved into place only when complete.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import estonian, history
from ..build import APPROVED, Project, archive_root, build, source_project
from ..checks.findings import Finding
from ..definitions import Definitions, load_definitions
from ..document_date import review_date
from ..history import JobDescriptionRef, signing_note
from ..output import StagedOutput
from ..resolve import ResolvedDirective
from . import redline as _redline
from .clauses import clause_table
from .orgchart import chart_posts, org_chart_svg
from .page import AnnexReview, ReviewPage, RevokedRow, render_page

__all__ = ["ReviewResult", "write_review", "abolished_earlier", "REVIEW_DIR", "PAGE"]

REVIEW_DIR = "review"
PAGE = "index.html"


@dataclass
class ReviewResult:
    folder: Path  # output/<id>/review
    page: Path  # .../index.html
    redlines: dict[int, Path] = field(default_factory=dict)  # annex number → tracked-changes .docx
    findings: list[Finding] | None = None  # None: the checks could not run (see notes)
    notes: list[str] = field(default_factory=list)  # Estonian, for the user


def redline_file_name(number: int, post_id: str, total: int) -> str:
    width = max(2, len(str(total)))
    return f"lisa-{number:0{width}d}-{post_id}-muudatused.docx"


def _run_checks(defs: Definitions, directive_id: str) -> tuple[list[Finding] | None, str | None]:
    """The findings of `kaskkiri check` (spelling included), as the reviewer would get them."""
    from ..checks.run import run_checks

    return list(run_checks(defs, directive_id)), None


def _approved_annex(project: Project, jd: JobDescriptionRef) -> tuple[Path | None, str | None]:
    """The approved Word file of an earlier annex, from the archive that `kaskkiri record` kept."""
    d = jd.directive
    if jd.annex is None:
        return None, "võrrelda ei saa: ametijuhend kinnitati ilma lisata"
    if not d.id:
        return None, "võrrelda ei saa: kinnitatud versioon pole arhiivis"
    folder = archive_root(project, d.id) / APPROVED
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return None, f"võrrelda ei saa: arhiiv/{d.id}/{APPROVED}/ puudub"
    try:
        files = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError):
        return None, f"võrrelda ei saa: arhiiv/{d.id}/{APPROVED}/manifest.json on vigane"
    for f in files:
        if f.get("role") == "annex" and f.get("annex") == jd.annex:
            path = folder / str(f.get("path", ""))
            if path.is_file():
                return path, None
    return None, f"võrrelda ei saa: arhiiv/{d.id}/{APPROVED}/ ei sisalda lisa {jd.annex} Wordi faili"


def _revoked_rows(defs: Definitions, rd: ResolvedDirective) -> tuple[list[RevokedRow], dict[str, JobDescriptionRef]]:
    """Point 2 row by row, with the reason; and post → the job description it replaces."""
    annex_of = {a.post.id: a.number for a in rd.annexes}
    abolished = {r.post_id for r in rd.directive.abolished}
    rows: list[RevokedRow] = []
    replaced: dict[str, JobDescriptionRef] = {}
    for group in rd.revoked:
        for part in group.parts:
            d = part.directive
            label = f"käskkiri {estonian.format_date(d.date)} nr {d.number}"
            for jd in part.job_descriptions:
                post = defs.posts.get(jd.post)
                title = estonian.capitalize_first(post.title) if post else jd.post
                if jd.post in annex_of:
                    reason = f"asendatakse lisaga {annex_of[jd.post]}"
                    replaced[jd.post] = jd
                elif jd.post in abolished:
                    reason = "ametikoht kaotatakse (kehtetuks_kaotatud_ametikohad)"
                else:
                    reason = "—"
                rows.append(RevokedRow(label, jd.annex, jd.post, title, reason))
    return rows, replaced


def abolished_earlier(defs: Definitions, rd: ResolvedDirective) -> set[str]:
    """Posts whose job description history shows revoked and not replaced before this directive:
    abolished, so not part of the unit any more (their files stay for the ledger)."""
    if not defs.ledger:
        return set()
    d = rd.directive
    # History as point 2 sees it: a signed directive just before itself, a draft up to its date.
    on, before = (d.date, None) if d.is_draft or d.date is None else (None, (d.date, str(d.number)))
    current = history.in_force(defs.ledger, on=on, before=before)
    cut = None if before is None else (before[0], history.number_key(before[1]))
    seen = {
        jd.post
        for e in defs.ledger
        if (cut is None or e.key < cut) and (on is None or e.date <= on)
        for jd in e.job_descriptions()
    }
    return seen - set(current) - {a.post.id for a in rd.annexes}


def _unit_names(defs: Definitions) -> dict[str, str]:
    """Unit id -> its name as the annexes write it ("Ohvriabi osakond, kriisitoe talitus")."""
    org = defs.organisation
    return {uid: org.unit_name(uid) for uid in org.units}


def write_review(
    project: Project,
    directive_id: str,
    *,
    findings: list[Finding] | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> ReviewResult:
    """Write output/<directive_id>/review/ and say what is in it.

    `findings`: the check results to show; by default `checks.run.run_checks` is called.
    Raises the same errors as `build` (DefinitionError, TemplateError, RenderError).
    """
    source = source_project(project, directive_id, progress)
    defs = load_definitions(source.definitions, project.root)  # file names as `kaskkiri check` gives them
    notes: list[str] = []
    findings_note = None
    if findings is None:
        progress("Käivitan kontrollid")
        findings, findings_note = _run_checks(defs, directive_id)
        if findings_note:
            notes.append(findings_note)

    with tempfile.TemporaryDirectory(prefix=f"kaskkiri-review-{directive_id}-") as tmp:
        progress("Koostan lisade Wordi failid võrdlemiseks")
        built = build(Project(project.root, output_root=Path(tmp)), directive_id, word_only=True)
        rd = built.directive
        new_files = {
            f["annex"]: built.folder / f["path"]
            for f in built.manifest["files"]
            if f.get("role") == "annex" and f.get("annex") is not None
        }
        revoked, replaced = _revoked_rows(defs, rd)
        reviews: list[AnnexReview] = []
        jobs: list[tuple[AnnexReview, bytes, bytes, list[tuple[str, str]]]] = []
        for annex in rd.annexes:
            review = AnnexReview(annex, replaced.get(annex.post.id))
            reviews.append(review)
            if review.replaces is None:
                continue
            old_path, why = _approved_annex(project, review.replaces)
            if old_path is None:
                review.no_comparison = why
                continue
            jd = review.replaces
            old_heading = [
                (f"{estonian.format_date(jd.directive.date)} käskkirjaga nr {jd.directive.number}", annex.heading[2]),
                (f"Lisa {jd.annex}", annex.heading[3]),
            ]
            jobs.append((review, old_path.read_bytes(), new_files[annex.number].read_bytes(), old_heading))

    when = review_date(rd)

    def compare(job: tuple[AnnexReview, bytes, bytes, list[tuple[str, str]]]) -> None:
        review, old, new, heading = job
        review.redline = _redline.compare(_redline.align_heading(old, heading), new, when=when,
                                          author=rd.agency)

    if jobs:
        progress(f"Võrdlen {len(jobs)} lisa kinnitatud versiooniga (jälgitud muudatused)")
        workers = max(1, min(len(jobs), os.cpu_count() or 1, 4))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(compare, jobs))
        for review, *_ in jobs:
            if review.redline is not None and review.redline.note and review.redline.note not in notes:
                notes.append(review.redline.note)

    unit_names = _unit_names(defs)
    gone = abolished_earlier(defs, rd)
    posts_drawn = chart_posts(defs, rd.directive, gone)
    page = ReviewPage(
        rd=rd,
        unit_name=unit_names.get(rd.directive.unit, rd.directive.unit),
        annexes=reviews,
        revoked=revoked,
        findings=findings,
        findings_note=findings_note,
        clauses=clause_table(defs, rd),
        clause_descriptions={cid: getattr(c, "description", "") for cid, c in defs.clauses.items()},
        chart_svg=org_chart_svg(defs, rd.directive, unit_names, gone),
        chart_posts=len(posts_drawn),
        notes=[],
        signed=signing_note(defs, directive_id),
    )

    target = project.output / directive_id / REVIEW_DIR
    redlines: dict[int, Path] = {}
    with StagedOutput(target) as out:  # the previous review stays until this one is complete
        for review in reviews:
            if review.redline is not None and review.redline.docx is not None:
                name = redline_file_name(review.annex.number, review.annex.post.id, len(rd.annexes))
                out.write(name, review.redline.docx, "redline", review.annex.number)
                review.redline_file = name
                redlines[review.annex.number] = target / name
        out.write(PAGE, render_page(page).encode("utf-8"), "review")
        out.commit(directive_id)
    progress(f"Kirjutasin ülevaatuse: {len(redlines)} jälgitud muudatustega Wordi faili ja {PAGE}")
    return ReviewResult(target, target / PAGE, redlines, findings, notes)

"""Recording a signed directive: its number and date, the ledger, and the approved build.

After the director has signed, `kaskkiri record` writes the number and date into the directive's
definition, appends the directive to the ledger, and keeps an archive of what was approved:
`arhiiv/<id>/` holds the definitions and templates as they were (so that the directive can be
rebuilt exactly, whatever later drafts change) and the approved build in `kinnitatud/` (so that
later directives can be compared with it). The user's YAML keeps its comments and layout
(ruamel.yaml round trip). Nothing is changed unless every step succeeded: the new files are
prepared in a temporary folder, then moved into place.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import estonian, history
from .build import APPROVED, ARCHIVE, BuildResult, Project, archive_root, build
from .definitions import load_definitions
from .errors import Problem, RecordError, RecordRefused
from .output import check_inside, check_output_root
from .resolve import directive_of, resolve_directive


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 100
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _dump(data: CommentedMap) -> str:
    buf = io.StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue()


def _with_number_and_date(text: str, number: str, on: date) -> str:
    data = _yaml().load(text)
    pos = 1 if "pealkiri" in data else 0
    for key, value in (("number", int(number) if number.isdigit() else number), ("kuupaev", estonian.format_date(on))):
        if key in data:
            data[key] = value
        else:
            data.insert(pos, key, value)
        pos += 1
    return _dump(data)


def _ledger_entry(entry: history.LedgerDirective) -> CommentedMap:
    m = CommentedMap()
    m["id"] = entry.id
    m["number"] = int(entry.number) if entry.number.isdigit() else entry.number
    m["kuupaev"] = estonian.format_date(entry.date)
    if entry.title:
        m["pealkiri"] = entry.title
    lisad = CommentedSeq(entry.annexes[n] for n in sorted(entry.annexes))
    m["lisad"] = lisad
    if entry.revokes:
        revs = CommentedSeq()
        for r in entry.revokes:
            rm = CommentedMap()
            rm["number"] = int(r.number) if str(r.number).isdigit() else r.number
            rm["kuupaev"] = estonian.format_date(r.date)
            if r.annexes is not None:
                rm["lisad"] = estonian.annex_ranges(sorted(r.annexes), "kuni")
            revs.append(rm)
        m["tunnistab_kehtetuks"] = revs
    return m


def _with_entry(text: str | None, entry: history.LedgerDirective) -> str:
    if text is None or not text.strip():
        data = CommentedMap()
        data["kaskkirjad"] = CommentedSeq()
    else:
        data = _yaml().load(text)
        if data.get("kaskkirjad") is None:
            data["kaskkirjad"] = CommentedSeq()
    data["kaskkirjad"].append(_ledger_entry(entry))
    return _dump(data)


@dataclass
class RecordResult:
    entry: history.LedgerDirective
    build: BuildResult
    archive: Path


def record(
    project: Project,
    directive_id: str,
    number: str,
    on: date,
    *,
    word_only: bool = False,
    progress: Callable[[str], None] = lambda _m: None,
) -> RecordResult:
    """Write the number and date, append to the ledger, archive the approved build: all or nothing.

    Raises RecordError (RecordRefused when the ledger refuses the directive) before anything is
    changed, and the errors of `build`.
    """
    number = str(number).strip()
    defs = load_definitions(project.definitions)
    directive = directive_of(defs, directive_id)
    d_file = project.definitions / "kaskkirjad" / f"{directive_id}.yaml"
    ledger_file = project.definitions / "ajalugu.yaml"
    if archive_root(project, directive_id).exists():
        raise RecordError(
            Problem(
                f"käskkiri {directive_id} on juba registreeritud (arhiiv/{directive_id}/ on olemas): "
                "sama käskkirja ei saa registreerida kaks korda.",
                str(d_file.relative_to(project.root)),
            )
        )
    if (directive.number and directive.number != number) or (directive.date and directive.date != on):
        raise RecordError(
            Problem(
                f"käskkirja definitsioonis on juba number {directive.number} ja kuupäev "
                f"{estonian.format_date(directive.date) if directive.date else '-'}, mis ei "
                "klapi antud väärtustega. Kontrolli numbrit ja kuupäeva.",
                str(d_file.relative_to(project.root)),
                directive.source.line,
            )
        )
    recorded = dataclasses.replace(directive, number=number, date=on)
    defs_now = dataclasses.replace(defs, directives={**defs.directives, directive_id: recorded})
    resolved = resolve_directive(defs_now, directive_id)
    _phrase, groups = history.revocation_phrase_for(defs_now, recorded)
    entry = history.LedgerDirective(
        id=directive_id,
        number=number,
        date=on,
        title=resolved.title,
        annexes={n: ref.post_id for n, ref in enumerate(directive.annexes, start=1)},
        revokes=history.revocations_of(groups),
    )
    try:
        history.record(defs.ledger or (), entry)
    except RecordRefused as exc:
        raise RecordRefused(exc.reasons, str(ledger_file.relative_to(project.root))) from None

    new_directive_text = _with_number_and_date(d_file.read_text(encoding="utf-8"), number, on)
    old_ledger = ledger_file.read_text(encoding="utf-8") if ledger_file.exists() else None
    new_ledger_text = _with_entry(old_ledger, entry)

    progress(f"Registreerin käskkirja {directive_id}: {estonian.format_date(on)} nr {number}")
    staging, result = stage_archive(
        project,
        directive_id,
        {f"kaskkirjad/{d_file.name}": new_directive_text, "ajalugu.yaml": new_ledger_text},
        word_only=word_only,
        progress=progress,
    )
    try:
        # Everything is ready: put it in place (the definitions, then the archive).
        _replace_text(d_file, new_directive_text)
        _replace_text(ledger_file, new_ledger_text)
        final = archive_root(project, directive_id)
        os.replace(staging, final)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    out = _publish(project, directive_id, final / APPROVED)
    result.folder = out
    return RecordResult(entry, result, final)


def stage_archive(
    project: Project,
    directive_id: str,
    changes: dict[str, str],
    *,
    word_only: bool = False,
    progress: Callable[[str], None] = lambda _m: None,
) -> tuple[Path, BuildResult]:
    """Prepare `arhiiv/<id>/` in a hidden folder: definitions (with `changes`, paths relative to
    definitions/), templates, and the build of the directive in `kinnitatud/`."""
    check_output_root(project.root / ARCHIVE, project.root)
    (project.root / ARCHIVE).mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directive_id}.", dir=project.root / ARCHIVE))
    try:
        shutil.copytree(project.definitions, staging / "definitions")
        shutil.copytree(project.templates, staging / "templates")
        for rel, text in changes.items():
            (staging / "definitions" / rel).write_text(text, encoding="utf-8")
        result = build(Project(staging, output_root=staging / "_out"), directive_id,
                       word_only=word_only, progress=progress)
        os.replace(staging / "_out" / directive_id, staging / APPROVED)
        shutil.rmtree(staging / "_out", ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, result


def _publish(project: Project, directive_id: str, approved: Path) -> Path:
    """Replace output/<id>/ with a copy of the approved build."""
    if project.output_root is None:
        check_output_root(project.output, project.root)
    project.output.mkdir(parents=True, exist_ok=True)
    out = check_inside(project.output / directive_id, project.output)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directive_id}.", dir=project.output))
    shutil.copytree(approved, tmp / "x")
    if out.exists():
        shutil.rmtree(out)
    os.replace(tmp / "x", out)
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def _replace_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)

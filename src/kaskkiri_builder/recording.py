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

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import estonian, history, pidfile
from .build import APPROVED, ARCHIVE, BuildResult, Project, archive_root, build, recording_journal
from .definitions import load_definitions
from .definitions.model import LedgerSignature
from .definitions.shapes import NUMBER_RULE, is_register_number, shown
from .errors import KaskkiriError, Problem, RecordError
from .ids import check_directive_id
from .output import MANIFEST, check_inside, check_output_root, make_staging_dir, remove_leftovers
from .resolve import directive_of, resolve_directive
from .signed import FinalBuild, SignedFinal, signed_final
from .yaml_writer import dump, round_trip


def _yaml_number(number: str) -> int | str:
    """A register number for the YAML files, read back as the same text by any YAML reader:
    12 stays 12; "007" or "1.10" are written as text (ruamel quotes them), never 7 or 1.1."""
    if number.isascii() and number.isdigit() and str(int(number)) == number:
        return int(number)
    return number


def _with_number_and_date(text: str, number: str, on: date) -> str:
    data = round_trip().load(text)
    pos = 1 if "pealkiri" in data else 0
    for key, value in (("number", _yaml_number(number)), ("kuupaev", estonian.format_date(on))):
        if key in data:
            data[key] = value
        else:
            data.insert(pos, key, value)
        pos += 1
    return dump(data)


def _ledger_entry(entry: history.LedgerDirective) -> CommentedMap:
    m = CommentedMap()
    if entry.id is not None:  # None: no directive file (an imported one-job-description directive)
        m["id"] = entry.id
    m["number"] = _yaml_number(entry.number)
    m["kuupaev"] = estonian.format_date(entry.date)
    if entry.title:
        m["pealkiri"] = entry.title
    if entry.single_post is not None:
        m["ametijuhend"] = entry.single_post
    else:
        m["lisad"] = CommentedSeq(entry.annexes[n] for n in sorted(entry.annexes))
    if entry.revokes:
        revs = CommentedSeq()
        for r in entry.revokes:
            rm = CommentedMap()
            rm["number"] = _yaml_number(str(r.number))
            rm["kuupaev"] = estonian.format_date(r.date)
            if r.annexes is not None:
                rm["lisad"] = estonian.annex_ranges(sorted(r.annexes), "kuni")
            revs.append(rm)
        m["tunnistab_kehtetuks"] = revs
    if entry.signatures:
        signs = CommentedSeq()
        for sig in entry.signatures:
            sm = CommentedMap()
            sm["nimi"] = sig.name
            sm["aeg"] = sig.time
            signs.append(sm)
        m["allkirjad"] = signs
    return m


def _with_entry(text: str | None, entry: history.LedgerDirective) -> str:
    if text is None or not text.strip():
        data = CommentedMap()
        data["kaskkirjad"] = CommentedSeq()
    else:
        data = round_trip().load(text)
        if data.get("kaskkirjad") is None:
            data["kaskkirjad"] = CommentedSeq()
    data["kaskkirjad"].append(_ledger_entry(entry))
    return dump(data)


@dataclass
class RecordResult:
    entry: history.LedgerDirective
    build: BuildResult
    archive: Path
    verified: bool  # a signed container was checked against the final build


def _number_and_date(final: FinalBuild, number: str | None, on: date | None) -> tuple[str | None, date | None]:
    """The final build's number and date; the options may repeat them, or give them when the
    final build has none (the register numbers after signing)."""
    built_number = final.number
    built_on = estonian.parse_date(final.date) if final.date else None
    problems = []
    if built_number is not None and number is not None and str(number) != built_number:
        problems.append(Problem(f"--nr {number} ei klapi lõpliku koostamisega (nr {built_number}, "
                                "mis allkirjastati). Jäta --nr ära või paranda see."))
    if built_on is not None and on is not None and on != built_on:
        problems.append(Problem(f"--kuupaev {estonian.format_date(on)} ei klapi lõpliku koostamisega "
                                f"({final.date}, mis allkirjastati). Jäta --kuupaev ära või paranda see."))
    if problems:
        raise RecordError(problems)
    return built_number or number, built_on or on


SIGNED_CONTAINER = "allkirjastatud-{id}.asice"  # beside kinnitatud/ in arhiiv/<id>/


def record(
    project: Project,
    directive_id: str,
    number: str | None,
    on: date | None,
    *,
    container: Path | None = None,
    word_only: bool = False,
    progress: Callable[[str], None] = lambda _m: None,
) -> RecordResult:
    """Write the number and date, append to the ledger, archive the approved build: all or nothing.

    With `container` (the signed ASiC-E), the container must be the final build signed
    (signed.py); the final build's files become the approved build, the container is kept
    beside it, and the signers go into the ledger. Number and date then come from the final
    build unless it was built without them (the register numbers after signing).

    Raises RecordError (RecordRefused when the ledger refuses the directive, ContainerRefused
    when the container is not the final build) before anything is changed, and the errors of
    `build`.
    """
    signed: SignedFinal | None = None
    if container is not None:
        signed = signed_final(project.output, directive_id, container)
        number, on = _number_and_date(signed.final, number, on)
    if number is None or on is None:
        raise RecordError(Problem(
            "lõplik koostamine on ilma numbri ja kuupäevata (vormistus.number_registreerimisel): "
            "anna registreerimisel saadud --nr ja --kuupaev." if signed is not None else
            "anna --nr ja --kuupaev (või --konteiner: allkirjastatud konteiner, mille lõplik "
            "koostamine kannab numbrit ja kuupäeva)."))
    number = str(number)
    if not is_register_number(number):
        raise RecordError(Problem(f'number "{shown(number)}" ei sobi: lubatud on {NUMBER_RULE}.'))
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
    resolved = resolve_directive(history.signed(defs, directive, number, on), directive_id)
    entry = history.entry_for(defs, directive, number, on, resolved.title,
                              str(ledger_file.relative_to(project.root)))
    if signed is not None:
        entry = replace(entry, signatures=tuple(
            LedgerSignature(name=s.name, time=s.time) for s in signed.signers))
        for note in signed.notes:
            progress(note)

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
        signed=signed,
    )
    # Everything is ready. The journal is written before the first change, so that whatever
    # stops this run (a kill, a full disk) the next kaskkiri command finishes the same steps.
    files = {str(d_file.relative_to(project.root)): new_directive_text,
             str(ledger_file.relative_to(project.root)): new_ledger_text}
    try:
        journal = _write_journal(project, directive_id, staging, files)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        final = _apply(project, journal)
    except OSError as exc:
        raise RecordError(
            Problem(f"registreerimine katkes ({exc.strerror or exc}): osa muudatusi on tehtud. "
                    "Paranda põhjus ja käivita ükskõik milline kaskkiri käsk (näiteks kaskkiri "
                    "build): see lõpetab registreerimise.", str(journal.relative_to(project.root))),
            changed="Registreerimine on pooleli; järgmine kaskkiri käsk lõpetab selle.",
        ) from None
    try:
        out = _publish(project, directive_id, final / APPROVED)
    except (OSError, KaskkiriError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "; ".join(p.message for p in exc.problems)
        raise RecordError(
            Problem(f"output/{directive_id}/ uuendamine ebaõnnestus ({reason}). Käskkiri on "
                    "registreeritud; väljundi annab kaskkiri build, kui põhjus on parandatud.",
                    f"output/{directive_id}"),
            changed=(f"Registreeritud: {d_file.relative_to(project.root)}, "
                     f"{ledger_file.relative_to(project.root)} ja arhiiv/{directive_id}/ on "
                     f"muudetud; output/{directive_id}/ jäi endiseks."),
        ) from None
    result.folder = out
    return RecordResult(entry, result, final, signed is not None)


# --- the journal: recording as one transaction ----------------------------------------------


def _write_journal(project: Project, directive_id: str, staging: Path, files: dict[str, str]) -> Path:
    """What the commit does, written (and synced) before it starts: the new texts of the two
    definition files and the staged archive to move into place."""
    path = recording_journal(project, directive_id)
    data = {"kaskkiri": directive_id, "arhiiv": staging.name, "failid": files}
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


def _apply(project: Project, journal: Path) -> Path:
    """Carry out a journal's steps; each is idempotent, so a second run finishes the first's."""
    data = json.loads(journal.read_text(encoding="utf-8"))
    directive_id = check_directive_id(str(data["kaskkiri"]))
    for rel, text in data["failid"].items():
        path = check_inside(project.root / rel, project.definitions)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            _replace_text(path, text)
    final = archive_root(project, directive_id)
    staging = check_inside(project.root / ARCHIVE / str(data["arhiiv"]), project.root / ARCHIVE)
    if staging.exists():
        pidfile.unmark(staging)
        if final.exists():
            shutil.rmtree(staging)  # moved already by a run that stopped after the rename
        else:
            os.replace(staging, final)
    journal.unlink()
    return final


def finish_interrupted(project: Project) -> list[str]:
    """Finish every recording that a stopped run left half-done; notes for the user (Estonian).

    Run under the project's lock at the start of build, record and review."""
    archive = project.root / ARCHIVE
    if not archive.is_dir():
        return []
    notes = []
    for journal in sorted(archive.glob(".*.registreerimine.json")):
        directive_id = journal.name[1:].split(".")[0]
        final = _apply(project, journal)
        try:
            _publish(project, directive_id, final / APPROVED)
        except (OSError, KaskkiriError):
            pass  # the archive is the directive's output: build delivers it
        notes.append(f"lõpetasin katkenud registreerimise: käskkiri {directive_id} "
                     f"(definitsioonid, ajalugu ja arhiiv/{directive_id}/ on nüüd kooskõlas)")
    remove_leftovers(archive)
    return notes


def interrupted(project: Project, directive_id: str) -> bool:
    """True while a recording of `directive_id` is half-done (its journal is there)."""
    return recording_journal(project, directive_id).exists()


def stage_archive(
    project: Project,
    directive_id: str,
    changes: dict[str, str],
    *,
    word_only: bool = False,
    progress: Callable[[str], None] = lambda _m: None,
    signed: SignedFinal | None = None,
) -> tuple[Path, BuildResult]:
    """Prepare `arhiiv/<id>/` in a hidden folder: definitions (with `changes`, paths relative to
    definitions/), templates, and the approved build in `kinnitatud/`: the build of the
    directive, or, when it was `signed`, the signed final build itself (the definitions must
    still make its Word files) and the signed container beside it."""
    check_output_root(project.root / ARCHIVE, project.root)
    (project.root / ARCHIVE).mkdir(exist_ok=True)
    staging = make_staging_dir(project.root / ARCHIVE, f".{directive_id}.")
    try:
        shutil.copytree(project.definitions, staging / "definitions")
        shutil.copytree(project.templates, staging / "templates")
        for rel, text in changes.items():
            (staging / "definitions" / rel).write_text(text, encoding="utf-8")
        result = build(Project(staging, output_root=staging / "_out"), directive_id,
                       word_only=word_only or signed is not None, progress=progress)
        if signed is None:
            os.replace(staging / "_out" / directive_id, staging / APPROVED)
        else:
            _same_word_files(staging / "_out" / directive_id, signed, directive_id)
            _keep_signed(staging, signed, directive_id)
            result.manifest = signed.final.manifest
        shutil.rmtree(staging / "_out", ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, result


def _same_word_files(rebuilt: Path, signed: SignedFinal, directive_id: str) -> None:
    """The definitions as recorded must make the Word files that were signed: otherwise a
    definition changed after the final build, and the archive would not say what was signed."""
    differing = [name for name, sha in signed.final.word_files().items()
                 if not (rebuilt / name).is_file()
                 or hashlib.sha256((rebuilt / name).read_bytes()).hexdigest() != sha]
    if differing:
        raise RecordError([Problem(
            "definitsioonid ei koosta enam seda Wordi faili, mis allkirjastati: definitsioone või "
            "malle on pärast lõplikku koostamist muudetud. Taasta need, või koosta lõplik käskkiri "
            f"uuesti (kaskkiri build {directive_id} --nr … --kuupaev …) ja allkirjasta see.",
            f"output/{directive_id}/{name}") for name in differing])


def _keep_signed(staging: Path, signed: SignedFinal, directive_id: str) -> None:
    """kinnitatud/ = the final build's files, byte for byte; the signed container beside it."""
    approved = staging / APPROVED
    approved.mkdir()
    for name, data in signed.final.files.items():
        (approved / name).write_bytes(data)
    (approved / MANIFEST).write_bytes(signed.final.manifest_bytes)
    (staging / SIGNED_CONTAINER.format(id=directive_id)).write_bytes(signed.container)


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

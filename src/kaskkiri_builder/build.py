"""The build pipeline: definitions → resolved directive → Word → PDF → signing package.

Each stage hands the next a finished value; only this module knows the order. The CLI calls
`build()` and prints what it reports through `progress`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .approved import ApprovedBuild, approved_build, compare_rebuild, intact_files
from .checks.findings import Finding
from .definitions import Definitions, load_definitions
from .errors import FinalRefused, OutputError, Problem, RecordError
from .ids import check_directive_id
from .output import StagedOutput
from .render_pool import rendered
from .resolve import ResolvedDirective, directive_of, resolve_directive
from .text_guard import check_resolved

if TYPE_CHECKING:  # the resident converter is imported only by a build that converts
    from .resident import ResidentConverter


@dataclass(frozen=True)
class Project:
    """Where a kaskkiri project keeps its parts."""

    root: Path
    output_root: Path | None = None  # default: <root>/output

    @property
    def definitions(self) -> Path:
        return self.root / "definitions"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def output(self) -> Path:
        return self.output_root or self.root / "output"


ARCHIVE = "arhiiv"  # arhiiv/<id>/: definitions + templates as signed, and the approved build
APPROVED = "kinnitatud"


def archive_root(project: Project, directive_id: str) -> Path:
    return project.root / ARCHIVE / check_directive_id(directive_id)


def recording_journal(project: Project, directive_id: str) -> Path:
    """The journal of a recording under way (recording.py): while it exists, the directive is
    half-recorded and the next command finishes it."""
    return project.root / ARCHIVE / f".{check_directive_id(directive_id)}.registreerimine.json"


def unrecorded_directives(project: Project) -> list[str]:
    """The drafts: every directive of definitions/kaskkirjad/ without an archive (`build --koik`)."""
    from .definitions.reader import ID_RE

    folder = project.definitions / "kaskkirjad"
    ids = sorted(p.stem for p in folder.glob("*.yaml") if ID_RE.fullmatch(p.stem))
    return [i for i in ids if not archive_root(project, i).exists()]


def archived_project(project: Project, directive_id: str) -> Project | None:
    """The project as it was when `directive_id` was signed, if it has been recorded.

    A recorded directive is rebuilt from there, so later drafts that change a post's wording
    do not change what the signed directive says.
    """
    root = archive_root(project, directive_id)
    if (root / "definitions").is_dir() and (root / "templates").is_dir():
        return Project(root, output_root=project.output)
    return None


def source_project(project: Project, directive_id: str, progress: Callable[[str], None]) -> Project:
    archived = archived_project(project, directive_id)
    if archived is None:
        return project
    progress(f"Käskkiri {directive_id} on registreeritud: kasutan allkirjastamisaegseid "
             f"definitsioone ja malle ({ARCHIVE}/{directive_id}/)")
    return archived


@dataclass(frozen=True)
class Final:
    """A final build: the documents to sign, with the number and date the register gave.

    `allow_errors` is the reason to build although `check` reports errors (`--luba-vead`); it
    lands in the manifest with the open findings.
    """

    number: str | None  # None (with `on`): the register numbers after signing
    on: date | None
    allow_errors: str | None = None


@dataclass
class BuildResult:
    directive: ResolvedDirective
    folder: Path
    manifest: dict
    notes: list[str] = field(default_factory=list)  # e.g. why no PDF was made
    findings: list | None = None  # what `kaskkiri check` finds (None: not run)


def directive_file_name() -> str:
    return "kaskkiri.docx"


def annex_file_name(number: int, post_id: str, total: int) -> str:
    """ASCII names that sort in annex order: lisa-01-talituse-juhataja.docx."""
    width = max(2, len(str(total)))
    return f"lisa-{number:0{width}d}-{post_id}.docx"


def load_and_resolve(project: Project, directive_id: str, display_base: Path | None = None
                     ) -> tuple[Definitions, ResolvedDirective]:
    defs = load_definitions(project.definitions, display_base)
    return defs, resolve_directive(defs, directive_id)


def build(
    project: Project,
    directive_id: str,
    *,
    word_only: bool = False,
    timeout: float = 180.0,
    checks: bool = True,
    progress: Callable[[str], None] = lambda _msg: None,
    final: Final | None = None,
    converter: ResidentConverter | None = None,
    cache: bool = True,
    loaded: tuple[Definitions, ResolvedDirective] | None = None,
) -> BuildResult:
    """Build a draft from its definitions (`final`: the documents to sign); deliver a recorded
    directive from its archive. `converter`: a resident LibreOffice the caller keeps (watch);
    `cache`: take unchanged Word files' PDFs from the conversion cache (conversion_cache.py);
    `loaded`: what `load_and_resolve` gave the caller for this directive (watch has just read
    the definitions for the page's text), not read again."""
    directive_id = check_directive_id(directive_id)
    if recording_journal(project, directive_id).exists():
        raise RecordError(Problem(
            f"käskkirja {directive_id} registreerimine on pooleli (katkestatud). Käivita kaskkiri "
            f"record {directive_id} uuesti või mõni muu kaskkiri käsk: see lõpetab registreerimise.",
            str(recording_journal(project, directive_id).relative_to(project.root))))
    approved = approved_build(archive_root(project, directive_id) / APPROVED)
    if approved is not None and final is not None:
        raise RecordError(Problem(
            f"käskkiri {directive_id} on juba registreeritud (arhiiv/{directive_id}/): selle "
            "lõplikud failid on arhiivis. Käivita kaskkiri build ilma --nr ja --kuupaev võtmeteta.",
            f"{ARCHIVE}/{directive_id}"))
    if approved is None:
        _keep_signed_container(project, directive_id)
    if approved is not None:
        return _deliver_approved(project, directive_id, approved, word_only=word_only,
                                 timeout=timeout, checks=checks, progress=progress, converter=converter,
                                 cache=cache, loaded=loaded)
    return _build(project, directive_id, word_only=word_only, timeout=timeout, checks=checks,
                  progress=progress, final=final, converter=converter, cache=cache, loaded=loaded)


def _keep_signed_container(project: Project, directive_id: str) -> None:
    """A build replaces output/<id>/; a container signed there and not yet recorded would be
    lost with it, so the build is refused until it is recorded or moved."""
    from .signed import signed_in_output

    path = signed_in_output(project.output, directive_id)
    if path is not None:
        raise OutputError(Problem(
            "siin on allkirjastatud konteiner, mida pole veel registreeritud: uus koostamine "
            f"kustutaks selle. Registreeri see (kaskkiri record {directive_id} --konteiner "
            f"output/{directive_id}/{path.name}) või tõsta see enne koostamist mujale.",
            f"output/{directive_id}/{path.name}"))


def _deliver_approved(
    project: Project,
    directive_id: str,
    approved: ApprovedBuild,
    *,
    word_only: bool,
    timeout: float,
    checks: bool,
    progress: Callable[[str], None],
    converter: ResidentConverter | None = None,
    cache: bool = True,
    loaded: tuple[Definitions, ResolvedDirective] | None = None,
) -> BuildResult:
    """The approved files of a recorded directive, verified by a rebuild (see approved.py)."""
    files = intact_files(approved)
    with tempfile.TemporaryDirectory(prefix="kaskkiri-kontroll-") as scratch:
        rebuilt = _build(Project(project.root, output_root=Path(scratch)), directive_id,
                         word_only=word_only, timeout=timeout, checks=checks, progress=progress,
                         converter=converter, cache=cache, loaded=loaded)
        notes = rebuilt.notes + compare_rebuild(approved, rebuilt.folder)
    progress(f"Väljastan kinnitatud failid arhiivist ({ARCHIVE}/{directive_id}/{APPROVED}/); "
             "uus koostamine kinnitas Wordi failid")
    target = project.output / directive_id
    inside = project.root if project.output_root is None else None
    with StagedOutput(target, root=project.output, project=inside) as out:
        for entry in approved.files:
            out.write(str(entry["path"]), files[str(entry["path"])], str(entry.get("role")))
        out.commit_manifest(approved.manifest_bytes)
    return BuildResult(rebuilt.directive, target, approved.manifest, notes, rebuilt.findings)


def _build(
    project: Project,
    directive_id: str,
    *,
    word_only: bool,
    timeout: float,
    checks: bool,
    progress: Callable[[str], None],
    final: Final | None = None,
    converter: ResidentConverter | None = None,
    cache: bool = True,
    loaded: tuple[Definitions, ResolvedDirective] | None = None,
) -> BuildResult:
    source = source_project(project, directive_id, progress)
    progress("Loen definitsioone")
    final_entries: dict[str, object] = {}
    final_findings: list[Finding] | None = None
    if final is None:
        defs, rd = loaded if loaded is not None else load_and_resolve(source, directive_id, project.root)
    else:
        defs, rd, final_entries, final_findings = _final(source, directive_id, final, project.root,
                                                         progress)
    check_resolved(rd)
    background = None
    if final is None and checks:
        # every check `kaskkiri check` runs, spelling and grammar included, so that the summary
        # counts as it does; beside rendering (their results are cached: language_memo.py)
        from .background_checks import BackgroundChecks

        background = BackgroundChecks(defs, directive_id)
    progress(f"Koostan käskkirja {rd.id} ({len(rd.annexes)} lisa)")
    target = project.output / directive_id
    notes: list[str] = []
    # output/ must lie inside the project, unless the caller chose another place for it.
    inside = project.root if project.output_root is None else None
    with StagedOutput(target, root=project.output, project=inside) as out:
        names = [directive_file_name()] + [
            annex_file_name(a.number, a.post.id, len(rd.annexes)) for a in rd.annexes
        ]
        stage = None
        if not word_only:
            from .conversion_cache import open_cache
            from .render_pool import remembered_bytes
            from .signing import SigningStage

            # LibreOffice starts now and takes the Word files as they are written below.
            stage = SigningStage(rd, out, [out.dir / n for n in names], progress, timeout=timeout,
                                 converter=converter, cache=open_cache() if cache else None,
                                 predicted=lambda i: remembered_bytes(rd, source.templates, i))
        try:
            templates = source.templates
            with closing(rendered(rd, templates, names)) as documents:  # on every core
                out.write(names[0], next(documents), "directive")
                for name, annex, data in zip(names[1:], rd.annexes, documents, strict=True):
                    out.write(name, data, "annex", annex.number)
            progress(f"Kirjutasin {len(names)} Wordi faili")
            if stage is not None:
                stage.written()  # PDFs from the cache; LibreOffice for the rest, during the checks
            findings = final_findings if background is None else background.result()
            if stage is not None:
                notes.extend(stage.finish())
        except BaseException:
            if stage is not None:
                stage.cancel()
            if background is not None:
                background.cancel()
            raise
        manifest = out.commit(directive_id, **_register_entry(rd), **final_entries)
    return BuildResult(rd, target, manifest, notes, findings)


def _final(source: Project, directive_id: str, final: Final, base: Path,
           progress: Callable[[str], None]
           ) -> tuple[Definitions, ResolvedDirective, dict[str, object], list[Finding]]:
    """The definitions as signed with `final`'s number and date, checked as `record` checks them,
    and refused while `check` reports errors unless a reason is given."""
    from . import history
    from .checks.findings import Severity

    defs = load_definitions(source.definitions, base)
    directive = directive_of(defs, directive_id)
    later = defs.organisation.style.numbered_later
    if final.number is None or final.on is None:
        if later is None:
            raise FinalRefused(Problem(
                "lõplikuks koostamiseks anna --nr ja --kuupaev. Kui register annab numbri alles "
                "pärast allkirjastamist, seadista organisatsioon.yaml-is vormistus."
                "number_registreerimisel (kaskkiri build --lopplik kasutab seda).",
                defs.organisation.source.file, defs.organisation.source.line))
        signed = replace(defs, directives={**defs.directives, directive_id: replace(directive, final=True)})
        rd = resolve_directive(signed, directive_id)
        progress(f"Lõplik koostamine ilma numbrita: {later.directive_text}; kontrollin leide")
    else:
        if later is not None:
            raise FinalRefused(Problem(
                "organisatsioon.yaml-i vormistus.number_registreerimisel ütleb, et register annab "
                "numbri pärast allkirjastamist: koosta lõplik käskkiri ilma numbrita (kaskkiri build "
                f"{directive_id} --lopplik) ja anna number kaskkiri record-ile.",
                defs.organisation.source.file, defs.organisation.source.line))
        signed = history.signed(defs, directive, final.number, final.on)
        rd = resolve_directive(signed, directive_id)
        history.entry_for(defs, directive, final.number, final.on, rd.title, _shown(source.definitions, base))
        progress(f"Lõplik koostamine: {final.on.strftime('%d.%m.%Y')} nr {final.number}; kontrollin leide")
    from .checks.run import run_checks

    findings = run_checks(signed, directive_id)  # what `kaskkiri check` reports, spelling too
    errors = [f for f in findings if f.severity is Severity.VIGA and f.accepted is None]
    entries: dict[str, object] = {"final": True}
    if errors and final.allow_errors is None:
        raise FinalRefused([
            Problem(f"lõplikku käskkirja ei koostata, sest kontroll leidis vigu ({len(errors)}). "
                    "Paranda need (kaskkiri check näitab üksikasju) või anna põhjus: --luba-vead "
                    '"põhjus".'),
            *(Problem(f"[{f.kind}] {f.message}", f.file, f.line) for f in errors),
        ])
    if errors:
        entries["vead_lubatud"] = {
            "pohjus": final.allow_errors,
            "leiud": [f.as_json() for f in errors],
        }
    return signed, rd, entries, findings


def _shown(definitions: Path, base: Path) -> str | None:
    """The ledger file as messages name it (relative to the project)."""
    ledger = definitions / "ajalugu.yaml"
    return str(ledger.relative_to(base)) if ledger.is_relative_to(base) else None


def _register_entry(rd: ResolvedDirective) -> dict[str, object]:
    """What the records manager types into the document register, from the definitions."""
    d = rd.directive
    entry: dict[str, object] = {
        "title": rd.title,
        "number": d.number,
        "date": d.date.strftime("%d.%m.%Y") if d.date else None,
    }
    if d.register:
        entry["register"] = dict(d.register)
    return entry

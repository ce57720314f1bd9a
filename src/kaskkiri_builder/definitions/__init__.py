"""Loading the definitions: files → YAML with positions → validated, cross-checked model."""

from __future__ import annotations

from pathlib import Path

from ..errors import DefinitionError, Problem
from .ledger import ledger_problems, read_ledger
from .load import Source, YamlDoc, ids_in, read_yaml
from .model import Clause, Definitions, Directive, LedgerDirective, Organisation, Post
from .schema import read_clauses, read_directive, read_organisation, read_post
from .validate import cross_check

__all__ = ["load_definitions", "Definitions", "Source"]


def _rel(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def _files(folder: Path) -> list[Path]:
    """The YAML files of a folder, also those that are not regular files (read_yaml says why).

    Emacs's lock links (".#x.yaml", dangling while a file is edited) are not definitions.
    """
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith(".#"))


def _one_per_id(paths: list[Path], what: str, base: Path, problems: list[Problem]) -> tuple[list[Path], set[str]]:
    """The files whose id (name without .yaml/.yml) no other file has, and the ids of those
    that share one: x.yaml and x.yml would otherwise silently hide each other."""
    by_id: dict[str, list[Path]] = {}
    for path in paths:
        by_id.setdefault(path.stem, []).append(path)
    shared = {stem for stem, same in by_id.items() if len(same) > 1}
    for stem in sorted(shared):
        names = [_rel(p, base) for p in by_id[stem]]
        problems.append(
            Problem(
                f'{what} "{stem}" on kahes failis: {" ja ".join(names)}. Jäta alles üks neist '
                "(sama id-ga faile ei loeta).",
                names[0],
            )
        )
    return [p for p in paths if p.stem not in shared], shared


def load_definitions(root: Path, display_base: Path | None = None) -> Definitions:
    """Read and validate everything under `root` (the definitions folder).

    File names in messages are relative to `display_base` (default: the folder above `root`,
    the project). Raises DefinitionError with every problem found, not just the first.
    """
    root = Path(root)
    base = Path(display_base) if display_base is not None else root.parent
    problems: list[Problem] = []
    if not root.is_dir():
        raise DefinitionError(
            Problem(f'definitsioonide kausta "{root}" ei ole. Käivita kaskkiri projekti juurkaustas.')
        )

    def read(path: Path) -> YamlDoc | None:
        doc, errs = read_yaml(path, _rel(path, base))
        problems.extend(errs)
        return doc

    org_path = root / "organisatsioon.yaml"
    organisation: Organisation | None = None
    if not org_path.exists() and not org_path.is_symlink():  # a broken link: read_yaml says so
        problems.append(Problem("fail puudub. Loo organisatsioon.yaml (vt docs/definitions.md).", _rel(org_path, base)))
    else:
        doc = read(org_path)
        if doc is not None:
            organisation = read_organisation(doc, problems)

    clauses: dict[str, Clause] = {}
    clause_sources: dict[str, Source] = {}
    broken_clauses: set[str] = set()  # ids of clauses that could not be read: not reported again
    for path in _files(root / "klauslid"):
        doc = read(path)
        if doc is None:
            broken_clauses |= ids_in(path)
            continue
        read_now = read_clauses(doc, problems)
        if isinstance(doc.data, dict):
            broken_clauses |= {str(k) for k in doc.data} - set(read_now)
        for cid, clause in read_now.items():
            if cid in clauses:
                problems.append(
                    clause.source.problem(
                        f'klausli id "{cid}" on juba kasutusel ({clause_sources[cid].file}:'
                        f"{clause_sources[cid].line}). Anna klauslile teine id."
                    )
                )
                continue
            clauses[cid] = clause
            clause_sources[cid] = clause.source

    posts: dict[str, Post] = {}
    post_files, unreadable = _one_per_id(_files(root / "ametikohad"), "ametikoht", base, problems)
    # unreadable: posts whose file is broken: not reported again as unknown
    for path in post_files:
        doc = read(path)
        post = read_post(doc, path.stem, problems) if doc is not None else None
        if post is None:
            unreadable.add(path.stem)
        else:
            posts[post.id] = post

    directives: dict[str, Directive] = {}
    directive_files, _shared = _one_per_id(_files(root / "kaskkirjad"), "käskkiri", base, problems)
    for path in directive_files:
        doc = read(path)
        if doc is not None:
            directive = read_directive(doc, path.stem, problems)
            if directive is not None:
                directives[directive.id] = directive

    ledger: tuple[LedgerDirective, ...] | None = None
    ledger_path = root / "ajalugu.yaml"
    if ledger_path.exists() or ledger_path.is_symlink():
        doc = read(ledger_path)
        if doc is not None:
            ledger = read_ledger(doc, problems)

    if organisation is None:
        raise DefinitionError(problems or [Problem("organisatsioon.yaml on vigane.")])
    defs = Definitions(str(root), organisation, clauses, posts, directives, ledger)
    problems.extend(cross_check(defs, unreadable, broken_clauses))
    if ledger is not None and not unreadable:
        problems.extend(ledger_problems(ledger, posts))
    if problems:
        raise DefinitionError(problems)
    return defs

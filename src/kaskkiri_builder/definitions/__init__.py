"""Loading the definitions: files → YAML with positions → validated, cross-checked model."""

from __future__ import annotations

from pathlib import Path

from ..errors import DefinitionError, Problem
from .ledger import ledger_problems, read_ledger
from .load import Source, YamlDoc, read_yaml
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
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


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
    if not org_path.exists():
        problems.append(Problem("fail puudub. Loo organisatsioon.yaml (vt docs/definitions.md).", _rel(org_path, base)))
    else:
        doc = read(org_path)
        if doc is not None:
            organisation = read_organisation(doc, problems)

    clauses: dict[str, Clause] = {}
    clause_sources: dict[str, Source] = {}
    for path in _files(root / "klauslid"):
        doc = read(path)
        if doc is None:
            continue
        for cid, clause in read_clauses(doc, problems).items():
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
    unreadable: set[str] = set()  # posts whose file is broken: not reported again as unknown
    for path in _files(root / "ametikohad"):
        doc = read(path)
        post = read_post(doc, path.stem, problems) if doc is not None else None
        if post is None:
            unreadable.add(path.stem)
        else:
            posts[post.id] = post

    directives: dict[str, Directive] = {}
    for path in _files(root / "kaskkirjad"):
        doc = read(path)
        if doc is not None:
            directive = read_directive(doc, path.stem, problems)
            if directive is not None:
                directives[directive.id] = directive

    ledger: tuple[LedgerDirective, ...] | None = None
    ledger_path = root / "ajalugu.yaml"
    if ledger_path.exists():
        doc = read(ledger_path)
        if doc is not None:
            ledger = read_ledger(doc, problems)

    if organisation is None:
        raise DefinitionError(problems or [Problem("organisatsioon.yaml on vigane.")])
    defs = Definitions(str(root), organisation, clauses, posts, directives, ledger)
    problems.extend(cross_check(defs, unreadable))
    if ledger is not None and not unreadable:
        problems.extend(ledger_problems(ledger, posts))
    if problems:
        raise DefinitionError(problems)
    return defs

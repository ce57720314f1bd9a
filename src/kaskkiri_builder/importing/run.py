"""`kaskkiri import`: read the files, decide, write everything or nothing (the edge).

The readers (readers.py) turn each file into lines, parse.py into imported posts and directives,
match.py ties them to the project; this module picks the ids, creates the clauses the model has
no inline form for (rights and closing line), and writes the files. Every file is checked first
(bad input, an existing post file without --asenda): one problem and nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..definitions import load_definitions
from ..definitions.model import Definitions, PostGroup
from ..errors import DefinitionError, KaskkiriError, Problem
from ..estonian import format_date, lower_first
from ..scaffold import yaml_scalar
from ..staged_write import NewFile, write_all_new
from .match import (
    ClauseMatch,
    ClauseMatcher,
    KnownPost,
    KnownPosts,
    ListMatch,
    match_list,
    match_unit,
    match_unit_genitive,
    slug,
    stand_in_post,
)
from .parse import ImportedDirective, ImportedPost, NotAJobDescription, parse_directive, parse_job_descriptions
from .readers import read_source, read_sources
from .source import Source
from .write import DutyPlan, NewClause, PostPlan, clauses_yaml, comment, literal, post_yaml, scalar

ANNEX_BOOKMARK = re.compile(r"^Lisa\s+(\d+)\b", re.IGNORECASE)  # "Lisa 3. Ekspert"
IMPORTED_CLAUSES = "imporditud"  # definitions/klauslid/imporditud.yaml


class ImportError_(DefinitionError):
    """A file that cannot be imported (exit 2, like any bad input)."""


@dataclass
class ImportResult:
    written: list[str] = field(default_factory=list)  # paths relative to the project
    report: list[str] = field(default_factory=list)  # one line per thing to look at


def _group(text: str | None) -> str | None:
    t = (text or "").strip().rstrip(".").lower()
    return {"ametnik": "ametnik", "töötaja": "töötaja"}.get(t)


def _parsed(files: Sequence[Path], directive: bool, head_title: str) -> list[ImportedDirective] | list[ImportedPost]:
    out: list = []
    for f in files:
        try:
            src = read_source(f)
            if directive:
                out.append(parse_directive(src, head_title))
            else:
                posts = parse_job_descriptions(src)
                for post in posts:
                    post.notes[:0] = list(src.notes)
                out.extend(posts)
        except NotAJobDescription as exc:
            raise ImportError_(exc.problem) from None
    return out


def _ids(posts: Sequence[ImportedPost], defs: Definitions, units: Sequence[str | None]) -> list[str]:
    """Ids from the title; posts sharing a title get their annex number (noustaja-9), else the
    unit's id and a counter. Unique within the import."""
    base = [slug(p.general["teenistuskoht"].text) for p in posts]
    ids: list[str] = []
    taken: set[str] = set()
    for i, (b, post) in enumerate(zip(base, posts, strict=True)):
        if base.count(b) == 1:
            cand = b
        elif post.annex is not None and [p.annex for j, p in enumerate(posts) if base[j] == b].count(post.annex) == 1:
            cand = f"{b}-{post.annex}"
        else:
            cand = f"{b}-{units[i]}" if units[i] else b
        n, final = 2, cand
        while final in taken or final == "asutuse-juht":
            final, n = f"{cand}-{n}", n + 1
        taken.add(final)
        ids.append(final)
    return ids


class _Planner:
    def __init__(self, defs: Definitions):
        self.defs = defs
        self.matcher = ClauseMatcher(defs)
        self.new_clauses: list[NewClause] = []

    def _new_id(self, base: str) -> str:
        used = set(self.defs.clauses) | {c.id for c in self.new_clauses}
        cand, n = base, 2
        while cand in used:
            cand, n = f"{base}-{n}", n + 1
        return cand

    def rights(self, post_model, post: ImportedPost) -> ClauseMatch | None:
        if not post.rights:
            return None
        m = self.matcher.rows(post_model, post.rights)
        if m is not None:
            return m
        for c in self.new_clauses:
            if c.rows is not None and [(a, list(b)) for a, b in c.rows] == [(a, list(b)) for a, b in post.rights]:
                return ClauseMatch(c.id, {}, None)
        c = NewClause(self._new_id("oigused-ja-vastutus"), post.rights, None, post.rights_origin or post.origin)
        self.new_clauses.append(c)
        return ClauseMatch(c.id, {}, None)

    def closing(self, post_model, post: ImportedPost) -> tuple[ClauseMatch | None, str | None]:
        if post.closing is None:
            return None, "lõpurida puudub; ehitatud ametijuhendis on klausli lopurida tekst."
        m = self.matcher.text(post_model, post.closing.text)
        if m is None:
            for c in self.new_clauses:
                if c.text == post.closing.text:
                    m = ClauseMatch(c.id, {}, None)
            if m is None:
                c = NewClause(self._new_id("lopurida"), None, post.closing.text, post.closing.origin)
                self.new_clauses.append(c)
                m = ClauseMatch(c.id, {}, None)
        return (None if m.clause_id == "lopurida" and not m.params else m), None

    def plan(self, post: ImportedPost, post_id: str, unit: str | None, known: KnownPosts) -> PostPlan:
        g = post.general
        group = _group(g["ametikoha_grupp"].text if "ametikoha_grupp" in g else None)
        pgroup = PostGroup(group) if group else None
        title = lower_first(g["teenistuskoht"].text.strip())
        notes: list[str] = [*post.notes]
        lists: dict[str, ListMatch] = {}
        for key in ("vahetu_juht", "alluvad", "teenistuja_asendab", "teenistuja_asendaja"):
            if key in g:
                lists[key] = match_list(g[key].text, known, pgroup, key == "teenistuja_asendab",
                                        self.defs.organisation.head.title)
                notes += [f"{g[key].origin}: {key}: {n}" for n in lists[key].notes]
        special = g["eritingimused"].text if "eritingimused" in g else None
        if special is not None and pgroup is not None and special == pgroup.special_conditions:
            special = None
        duties: list[DutyPlan] = []
        model = stand_in_post(post_id, title, unit or "", pgroup or PostGroup.AMETNIK) if unit else None
        for i, d in enumerate(post.duties, start=1):
            notes += d.notes
            cm, near = self.matcher.duty(model, d.text, d.results) if model is not None else (None, None)
            if near:
                notes.append(f'{d.origin}: ülesanne 2.{i} on lähedane klauslile "{near}", kuid mitte sama: '
                             "jäi tekstiks.")
            duties.append(DutyPlan(d, cm, near))
        rights = self.rights(model, post) if model is not None else None
        closing, note = self.closing(model, post) if model is not None else (None, None)
        if note:
            notes.append(f"{post.origin}: {note}")
        return PostPlan(post_id, post, title, unit, group, lists, special, duties, rights, closing, notes)


def _plans(defs: Definitions, posts: Sequence[ImportedPost]) -> tuple[list[PostPlan], list[NewClause], list[str]]:
    report: list[str] = []
    units: list[str | None] = []
    for p in posts:
        unit, note = match_unit(defs, p.general["struktuuriyksus"].text)
        units.append(unit)
        if note:
            report.append(f"{p.general['struktuuriyksus'].origin}: {note}")
    ids = _ids(posts, defs, units)
    known = [KnownPost(pid, post.title, post.group, post.title_plural) for pid, post in defs.posts.items()
             if pid not in ids]
    for pid, p in zip(ids, posts, strict=True):
        group = _group(p.general["ametikoha_grupp"].text if "ametikoha_grupp" in p.general else None)
        known.append(KnownPost(pid, lower_first(p.general["teenistuskoht"].text.strip()),
                               PostGroup(group) if group else None))
    planner = _Planner(defs)
    index = KnownPosts(known)
    plans = [planner.plan(p, pid, unit, index) for p, pid, unit in zip(posts, ids, units, strict=True)]
    for plan in plans:
        if plan.group is None:
            plan.notes.append(f"{plan.post.origin}: ametikoha grupp puudub või on tundmatu.")
    return plans, planner.new_clauses, report


def _texts(root: Path, plans: Sequence[PostPlan], clauses: Sequence[NewClause]) -> dict[Path, str]:
    files = {root / "definitions" / "ametikohad" / f"{p.id}.yaml": post_yaml(p) for p in plans}
    if clauses:
        path = root / "definitions" / "klauslid" / f"{IMPORTED_CLAUSES}.yaml"
        n = 2
        while path.exists():
            path, n = root / "definitions" / "klauslid" / f"{IMPORTED_CLAUSES}-{n}.yaml", n + 1
        files[path] = clauses_yaml(clauses)
    return files


def _refuse_existing(root: Path, files: dict[Path, str], replace: bool, directive_ids: Sequence[str] = ()) -> None:
    if replace:
        return
    problems = [Problem("fail on juba olemas; importi ei tehtud ja midagi ei kirjutatud. Lisa --asenda, kui "
                        "tahad olemasolevad failid imporditutega asendada.", str(p.relative_to(root)))
                for p in files if p.exists() and p.parent.name in ("ametikohad", "kaskkirjad")]
    if problems:
        raise ImportError_(problems)


def _write_all(root: Path, files: dict[Path, str], replace: bool, always: Sequence[Path] = ()) -> list[str]:
    """All files or none, flushed to disk once (staged_write.py); `always`: files replaced
    without --asenda (the ledger, which an import adds to)."""
    new = [NewFile(path, text, str(path.relative_to(root)), replace or path in always)
           for path, text in files.items()]
    write_all_new(new, root / "definitions")
    return [f.shown for f in new]


def _report(plans: Sequence[PostPlan], clauses: Sequence[NewClause], extra: Sequence[str]) -> list[str]:
    lines = [*extra]
    for p in plans:
        matched = sum(1 for d in p.duties if d.clause is not None)
        lines.append(f"{p.id}: {len(p.duties)} ülesannet, neist {matched} klausliviitena"
                     + (f"; {len(p.notes)} märkust" if p.notes else ""))
        lines += [f"  {n}" for n in p.notes]
    for c in clauses:
        lines.append(f"uus klausel {c.id} ({c.origin})")
    return lines


def import_job_descriptions(root: Path, files: Sequence[Path], replace: bool = False) -> ImportResult:
    """`kaskkiri import ametijuhend`: post files (and the clauses they need) from documents."""
    defs = load_definitions(root / "definitions", root)
    posts = _parsed(files, False, defs.organisation.head.title)
    plans, clauses, report = _plans(defs, posts)  # type: ignore[arg-type]
    texts = _texts(root, plans, clauses)
    _refuse_existing(root, texts, replace)
    return ImportResult(_write_all(root, texts, replace), _report(plans, clauses, report))


# --- a directive ---------------------------------------------------------------------------------


def _directive_id(d: ImportedDirective) -> str:
    n = d.number.split("/")[-1]
    return f"{d.date.year}-{int(n):02d}" if n.isdigit() else f"{d.date.year}-{slug(n)}"


def directive_yaml(d: ImportedDirective, unit: str | None, annex_ids: Sequence[str], missing: Sequence[str]) -> str:
    o = d.origin
    out = ["# yaml-language-server: $schema=../../schemas/kaskkiri.json"]
    out += comment(f"Imporditud: {d.source}, käskkiri {format_date(d.date)} nr {d.number} "
                   f'"{d.title}". Kommentaarid ütlevad, kust iga osa pärineb.')
    out.append("")
    if d.title:
        out.append(f"pealkiri: {yaml_scalar(d.title)}")
    out += [f"number: {yaml_scalar(d.number)}", f"kuupaev: {format_date(d.date)}", f"# {o.short()}"]
    out += ["oigusalus:", *scalar(literal(d.legal_basis), "  ", "- ")]
    if unit is None:
        out += comment(f'SOBITAMATA punkti 1 üksus "{d.unit_genitive}": kirjuta struktuuriüksuse id.')
        out.append("struktuuriyksus:")
    else:
        out.append(f"struktuuriyksus: {unit}")
    out.append("lisad:")
    for n, pid in enumerate(annex_ids, start=1):
        out.append(f"  - {pid}  # Lisa {n}")
    if d.revocation is not None:
        if missing:
            out += comment("Punkt 2 avaldatud sõnastuses: varasemad käskkirjad, mida see kehtetuks tunnistas, "
                           "pole (kõik) ajaloos (ajalugu.yaml), nii et seda ei saa ajaloost arvutada.")
            out += comment("Ajaloost puuduvad: " + "; ".join(missing) + ".")
        else:
            out += comment("Punkt 2 avaldatud sõnastuses. Ajalugu (ajalugu.yaml) hoiab kõiki käskkirju, mida see "
                           "tsiteerib: kaskkiri check võrdleb seda ajaloost arvutatud sõnastusega ja hoiatab, "
                           "kui need erinevad.")
        out += scalar(literal(d.revocation), "", "kehtetuks_tekst: ")
    if d.in_force_on or d.retroactive_from:
        out.append("joustumine:")
        if d.in_force_on:
            out.append(f"  kuupaev: {format_date(d.in_force_on)}")
        if d.retroactive_from:
            out.append(f"  tagasiulatuvalt: {format_date(d.retroactive_from)}")
    out += ["allkirjastaja:", f"  nimi: {yaml_scalar(d.signatory_name)}",
            f"  ametinimetus: {yaml_scalar(d.signatory_title)}"]
    if d.signatory_basis:
        out += comment("Asendaja allkiri: tema määramise käskkiri on õigusliku aluse viimane osa.", "  ")
        out.append(f"  alus: {yaml_scalar(d.signatory_basis)}")
    if d.register:
        out.append("registreerimine:")
        out += [f"  {k}: {yaml_scalar(v)}" for k, v in d.register.items()]
    return "\n".join(out) + "\n"


def import_directives(root: Path, files: Sequence[Path], replace: bool = False) -> ImportResult:
    """`kaskkiri import kaskkiri`: each signed directive with its annexes becomes its post files, its
    directive file and its ledger entry. Files given together are one directive when only the
    first has the directive's text (a .docx set: kaskkiri.docx, lisa-01.docx, ...)."""
    from .. import history
    from ..definitions.model import LedgerDirective, Revocation
    from ..recording import _with_entry

    defs = load_definitions(root / "definitions", root)
    head = defs.organisation.head.title
    directives = _read_directives(files, head)
    all_posts = [p for d in directives for p in sorted(d.posts, key=lambda p: p.annex or 0)]
    plans, clauses, report = _plans(defs, all_posts)
    texts = _texts(root, plans, clauses)
    by_post = {id(p.post): p for p in plans}
    ledger_text = (root / "definitions" / "ajalugu.yaml").read_text(encoding="utf-8") \
        if (root / "definitions" / "ajalugu.yaml").exists() else None
    ledger = list(defs.ledger or ())
    for d in sorted(directives, key=lambda d: d.date):
        unit = match_unit_genitive(defs, d.unit_genitive)
        if unit is None:
            report.append(f'{d.origin}: punkti 1 üksust "{d.unit_genitive}" ei leitud failist organisatsioon.yaml.')
        annexes = {p.annex: by_post[id(p)].id for p in d.posts if p.annex is not None}
        listed = [n for n, _ in d.annex_titles]
        if sorted(annexes) != sorted(listed):
            raise ImportError_(Problem(
                f"käskkirja punkt 1 loetleb lisad {', '.join(map(str, listed))}, aga failides on lisad "
                f"{', '.join(map(str, sorted(annexes))) or '(ühtegi)'}: anna kõik lisad koos käskkirjaga.", d.source))
        for n, title in d.annex_titles:
            plan = next(p for p in plans if p.id == annexes[n])
            if plan.title is not None and plan.title != title:
                report.append(f'{d.origin}: punktis 1 on lisa {n} nimetus "{title}", lisas "{plan.title}".')
        cited = history.parse_revocation(d.revocation) if d.revocation else []
        revokes, missing = [], []
        for on, number, annex_set in cited:
            if any(e.is_same(number, on) for e in ledger):
                revokes.append(Revocation(number=number, date=on, annexes=annex_set))
            else:
                missing.append(f"{format_date(on)} nr {number}"
                               + (f" (lisad {', '.join(map(str, sorted(annex_set)))})" if annex_set else ""))
        if missing:
            report.append(f"{d.origin}: punkt 2 tsiteerib käskkirju, mida ajaloos pole: {'; '.join(missing)}. "
                          "Punkt 2 jääb käskkirja faili avaldatud sõnastuses (kehtetuks_tekst).")
        did = _directive_id(d)
        if any(e.is_same(d.number, d.date) for e in ledger):
            raise ImportError_(Problem(f"käskkiri {format_date(d.date)} nr {d.number} on ajaloos juba olemas; "
                                       "midagi ei kirjutatud.", "definitions/ajalugu.yaml"))
        if d.single:
            # kaskkiri writes a directive's job descriptions as numbered annexes only: this form
            # cannot be built again, so it goes into the ledger alone (revoked later by its title)
            pid = by_post[id(d.posts[0])].id
            entry = LedgerDirective(id=None, number=d.number, date=d.date, title=d.title, single_post=pid,
                                    revokes=tuple(revokes))
            report.append(f'{d.origin}: käskkiri kinnitas ühe ametijuhendi nummerdamata lisana ("(lisa)"). '
                          "kaskkiri koostab käskkirja alati nummerdatud lisadega, seega käskkirja faili ei "
                          f'kirjutatud: ajaloos on see kirjena "ametijuhend: {pid}" ja järgmine käskkiri '
                          "tunnistab selle kehtetuks pealkirjaga.")
        else:
            texts[root / "definitions" / "kaskkirjad" / f"{did}.yaml"] = directive_yaml(
                d, unit, [annexes[n] for n in sorted(annexes)], missing)
            entry = LedgerDirective(id=did, number=d.number, date=d.date, title=d.title,
                                    annexes={n: annexes[n] for n in sorted(annexes)}, revokes=tuple(revokes))
        ledger.append(entry)
        ledger_text = _with_entry(ledger_text, entry)
        report += list(d.notes)
    assert ledger_text is not None
    _refuse_existing(root, texts, replace)
    ledger_path = root / "definitions" / "ajalugu.yaml"
    written = _write_all(root, {**texts, ledger_path: ledger_text}, replace, always=[ledger_path])
    return ImportResult(written, _report(plans, clauses, report))


def _read_directives(files: Sequence[Path], head: str) -> list[ImportedDirective]:
    """Each document with a directive's text starts one; documents without one (annexes) join
    the last. A combined PDF with bookmarks is one document per bookmark."""
    out: list[ImportedDirective] = []
    for f in files:
        try:
            for src in read_sources(f):
                _read_document(src, head, out)
        except NotAJobDescription as exc:
            raise ImportError_(exc.problem) from None
    return out


def _read_document(src: Source, head: str, out: list[ImportedDirective]) -> None:
    from .parse import parse_job_description, split_parts

    _, parts = split_parts(src.lines)
    text = " ".join(ln.text for ln in src.lines[:40])
    if "KÄSKKIRI" in text:
        out.append(parse_directive(src, head))
        out[-1].notes += list(src.notes)
        for post in out[-1].posts:
            post.notes[:0] = list(src.notes)
    elif out:
        posts = [parse_job_description(src.name, part) for part in (parts or [list(src.lines)])]
        bookmark = ANNEX_BOOKMARK.match(src.title or "")
        if bookmark and len(posts) == 1 and posts[0].annex is None:
            posts[0].annex = int(bookmark.group(1))  # the heading has no "Lisa N": the bookmark says it
        for post in posts:
            post.notes[:0] = list(src.notes)
        out[-1].posts.extend(posts)
    else:
        where = f"{src.name} ({src.title})" if src.title else src.name
        raise ImportError_(Problem('see ei ole käskkiri: pealkirja "KÄSKKIRI" ei leitud. Anna käskkirja '
                                   "fail enne selle lisasid.", where))


__all__ = ["ImportResult", "import_directives", "import_job_descriptions", "KaskkiriError"]

"""`kaskkiri uus`: the commented YAML file a new post or directive starts from.

What to write comes from the key declarations (definitions/schema.py): every required key is
written, so a key that becomes required appears here by itself; a few useful optional keys are
written commented out; each key has its Estonian description above it. A value still to be given
is `PLACEHOLDER`, which the loader refuses with its line until it is replaced: a half-filled file
never passes for a plausible document. `post_text` and `directive_text` are pure; `read_known`
reads the definitions leniently (another half-written file must not stop a new one) and
`write_new` writes the file.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .definitions.export import kind
from .definitions.keys import Key, ListOf, Record
from .definitions.load import PLACEHOLDER, read_yaml
from .definitions.model import HEAD_ID, Clause, Definitions, Directive, DutyClause, Organisation, Post, RowsClause
from .definitions.schema import DIRECTIVE, POST, read_clauses, read_directive, read_organisation, read_post
from .definitions.shapes import Choice, TextList
from .definitions.strict import BOOLEAN_WORDS
from .errors import DefinitionError, OutputError, Problem

#: The optional keys written commented out, with what they hold (PLACEHOLDER where unknown).
POST_OPTIONAL = ("alluvad", "teenistuja_asendab", "teenistuja_asendaja", "eesmark", "ulesanded", "nouded",
                 "oigused_ja_vastutus")
DIRECTIVE_OPTIONAL = ("pealkiri", "kehtetuks_kaotatud_ametikohad", "joustumine", "registreerimine")
#: The width comments are wrapped at.
WIDTH = 100
#: How many ids a comment lists before it says how many more there are.
MAX_LISTED = 40
#: The manager note's last line: the head of the agency is named by its reserved id.
HEAD_NOTE = f"Kui ametikoht allub asutuse juhile (organisatsioon.yaml juht), kirjuta {HEAD_ID}."

#: Values of a record to write: a text, a list of texts, or the values of a nested record.
Values = Mapping[str, Any]


@dataclass(frozen=True)
class Known:
    """What a new file may refer to: the units, the posts, the clauses, the directives."""

    organisation: Organisation
    posts: Mapping[str, Post]  # the posts that could be read
    post_ids: frozenset[str]  # every post file's id, read or not
    clauses: Mapping[str, Clause]
    directives: Mapping[str, Directive]

    @classmethod
    def of(cls, defs: Definitions) -> Known:
        return cls(defs.organisation, defs.posts, frozenset(defs.posts), defs.clauses, defs.directives)

    def latest_directive(self) -> Directive | None:
        """The newest directive (a draft counts as newest): where a new one copies its legal
        basis and signatory from."""
        return max(self.directives.values(), key=lambda d: (d.date or date.max, d.id), default=None)


# --- reading what exists --------------------------------------------------------------------------


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith(".#"))


def read_known(root: Path) -> Known:
    """The definitions under `root`, each file read as far as it can be (problems are left to
    `kaskkiri check` and `build`); only an unreadable organisatsioon.yaml stops."""
    problems: list[Problem] = []

    def read(path: Path) -> Any:
        doc, errs = read_yaml(path, str(path.relative_to(root.parent)))
        problems.extend(errs)
        return doc

    org_doc = read(root / "organisatsioon.yaml") if (root / "organisatsioon.yaml").is_file() else None
    organisation = read_organisation(org_doc, problems) if org_doc is not None else None
    if organisation is None:
        raise DefinitionError(problems or [Problem(
            "fail puudub. Käivita kaskkiri projekti juurkaustas (seal, kus on definitions/).",
            str(root / "organisatsioon.yaml"))])
    clauses: dict[str, Clause] = {}
    for path in _yaml_files(root / "klauslid"):
        doc = read(path)
        clauses.update(read_clauses(doc, problems) if doc is not None else {})
    posts: dict[str, Post] = {}
    post_paths = _yaml_files(root / "ametikohad")
    for path in post_paths:
        doc = read(path)
        post = read_post(doc, path.stem, problems) if doc is not None else None
        if post is not None:
            posts[post.id] = post
    directives: dict[str, Directive] = {}
    for path in _yaml_files(root / "kaskkirjad"):
        doc = read(path)
        directive = read_directive(doc, path.stem, problems) if doc is not None else None
        if directive is not None:
            directives[directive.id] = directive
    return Known(organisation, posts, frozenset(p.stem for p in post_paths), clauses, directives)


# --- checking the options -------------------------------------------------------------------------


def _unknown(option: str, what: str, value: str, known: Iterable[str], listed: bool, where: str) -> Problem:
    known = sorted(known)
    near = difflib.get_close_matches(value, known, n=3, cutoff=0.5)
    hint = f" Kas mõtlesid {_either(near)}?" if near else ""
    if listed and known:
        hint += f" Olemas on: {', '.join(known[:MAX_LISTED])}{'…' if len(known) > MAX_LISTED else ''}."
    return Problem(f'{option}: {what} "{value}" ei ole ({where}).{hint}')


def _either(words: Sequence[str]) -> str:
    """'"a", "b" või "c"'."""
    quoted = [f'"{w}"' for w in words]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} või {quoted[-1]}"


def pick_unit(known: Known, unit: str) -> str:
    """`unit` when the organisation has it; else a DefinitionError with the nearest ids."""
    if unit in known.organisation.units:
        return unit
    raise DefinitionError(_unknown("--yksus", "struktuuriüksust", unit, known.organisation.units, True,
                                   "definitions/organisatsioon.yaml, struktuuriyksused"))


def pick_post(known: Known, post: str) -> str:
    """`post` when there is such a post file, or the head's reserved id; else a DefinitionError
    with the nearest ids."""
    if post in known.post_ids or post == HEAD_ID:
        return post
    raise DefinitionError(_unknown("--juht", "ametikohta", post, {*known.post_ids, HEAD_ID}, False,
                                   "definitions/ametikohad/"))


def pick_annexes(known: Known, text: str) -> list[str]:
    """The posts of `--lisad a,b,c`, in order: each an existing post with a job description, once."""
    ids = [part.strip() for part in text.split(",") if part.strip()]
    problems: list[Problem] = []
    if not ids:
        problems.append(Problem("--lisad: anna ametikohtade id-d komadega eraldatult, näiteks "
                                "--lisad noustaja-9,noustaja-10."))
    for n, post in enumerate(ids, start=1):
        if post not in known.post_ids:
            problems.append(_unknown("--lisad", "ametikohta", post, known.post_ids, False, "definitions/ametikohad/"))
        elif post in ids[: n - 1]:
            problems.append(Problem(f'--lisad: ametikoht "{post}" on loetelus kaks korda. Üks ametikoht saab '
                                    'käskkirjas ühe lisa: jäta see üks kord.'))
        elif post in known.posts and not known.posts[post].is_full:
            problems.append(Problem(f'--lisad: ametikohal "{post}" pole ametijuhendit (puuduvad "ulesanded"), '
                                    "seega ei saa seda lisana kinnitada. Täienda enne ametikoha faili."))
    if problems:
        raise DefinitionError(problems)
    return ids


# --- writing YAML ---------------------------------------------------------------------------------

_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*")
_NULLS = {"~", "null", "Null", "NULL"}


def yaml_scalar(text: str) -> str:
    """`text` as a YAML value that reads back as exactly this text (plain when it can be)."""
    plain = (_PLAIN.fullmatch(text) and ": " not in text and " #" not in text
             and not text.endswith((" ", ":")) and text not in _NULLS and text not in BOOLEAN_WORDS)
    return text if plain else json.dumps(text, ensure_ascii=False)


def _comment(text: str, indent: str) -> str:
    return f"{indent}# {text}".rstrip()


def _wrapped(note: str) -> list[str]:
    """A long note on several comment lines; its own indentation (a listed id) is kept."""
    lead = note[: len(note) - len(note.lstrip())]
    return textwrap.wrap(note, WIDTH, subsequent_indent=lead + "  ",
                         break_on_hyphens=False, break_long_words=False) or [note]


def _doc(key: Key) -> str:
    """A key's description, with the words it allows when it is a choice."""
    return f"{key.doc} ({key.shape.noun})" if isinstance(key.shape, Choice) else key.doc


def _value(key: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, str):
        return [f"{indent}{key}: {yaml_scalar(value)}"]
    if isinstance(value, Mapping):
        return [f"{indent}{key}:", *(line for k, v in value.items() for line in _value(k, v, indent + "  "))]
    return [f"{indent}{key}:", *(f"{indent}  - {yaml_scalar(v)}" for v in value)]


def _blank(key: Key) -> Any:
    """What a required key holds until it is filled: PLACEHOLDER in the key's own shape."""
    if isinstance(key.shape, Record):
        return {k.yaml: _blank(k) for k in key.shape.keys if k.required}
    if isinstance(key.shape, (ListOf, TextList)):
        return [PLACEHOLDER]
    return PLACEHOLDER


def record_lines(record: Record[Any], values: Values, notes: Mapping[str, Sequence[str]],
                 samples: Mapping[str, Sequence[str]], indent: str = "") -> list[str]:
    """The keys of `record` in declaration order: a value given, else a required key's blank,
    else an optional key's sample commented out. Each key has its description above it (and
    `notes`: which ids exist). A nested record's values are written the same way."""
    lines: list[str] = []
    for key in record.keys:
        if key.yaml not in values and not key.required and key.yaml not in samples:
            continue
        if not indent:
            lines.append("")
        lines.append(_comment(_doc(key), indent))
        lines += [_comment(line, indent) for note in notes.get(key.yaml, ()) for line in _wrapped(note)]
        if key.yaml not in values and not key.required:
            lines += [_comment(line, indent) for line in samples[key.yaml]]
            continue
        value = values.get(key.yaml, _blank(key))
        if isinstance(key.shape, Record) and isinstance(value, Mapping):
            inner = {k.yaml: samples_of(key.shape, k.yaml) for k in key.shape.keys
                     if not k.required and k.yaml not in value}
            lines.append(f"{indent}{key.yaml}:")
            lines += record_lines(key.shape, value, {}, inner, indent + "  ")
        else:
            lines += _value(key.yaml, value, indent)
    return lines


def samples_of(record: Record[Any], yaml: str) -> list[str]:
    """A commented-out sample of an optional key: PLACEHOLDER in its shape (a nested record:
    each of its keys, with the key's description)."""
    key = record.key(yaml)
    if isinstance(key.shape, Record):
        return [f"{yaml}:", *(f"  {k.yaml}: {PLACEHOLDER}  # {k.doc}" for k in key.shape.keys)]
    if isinstance(key.shape, (ListOf, TextList)):
        return [f"{yaml}:", f"  - {PLACEHOLDER}"]
    return [f"{yaml}: {PLACEHOLDER}"]


def _listed(entries: Sequence[str]) -> list[str]:
    shown = [f"  {e}" for e in entries[:MAX_LISTED]]
    if len(entries) > MAX_LISTED:
        shown.append(f"  … ja veel {len(entries) - MAX_LISTED}")
    return shown


def _unit_notes(known: Known) -> list[str]:
    org = known.organisation
    units = [f"{uid}: {org.unit_name(uid)}" for uid in org.units]
    return ["Olemasolevad struktuuriüksused (id: nimetus):", *_listed(units)] if units else [
        "Struktuuriüksusi pole: lisa need faili definitions/organisatsioon.yaml."]


def _post_line(known: Known, post: Post) -> str:
    return f"{post.id}: {post.title} — {known.organisation.unit_name(post.unit) or post.unit}"


def _manager_notes(known: Known, unit: str | None) -> list[str]:
    """The posts a manager is usually among: those of the unit and the units above it; without a
    unit, the posts that already manage someone."""
    posts = known.posts.values()
    if unit is not None:
        chain = {u.id for u in known.organisation.unit_chain(unit)}
        fits = [p for p in posts if p.unit in chain]
        head = f"Ametikohad üksuses {unit} ja sellest kõrgemal (id: nimetus — üksus):"
    else:
        managers = {r.post_id for p in posts if p.manager for r in p.manager.refs}
        fits = [p for p in posts if p.id in managers or (p.subordinates and p.subordinates.refs)]
        head = "Ametikohad, mis juba on kellegi vahetu juht (id: nimetus — üksus):"
    if not fits:
        return ["Sobivaid ametikohti pole veel; kui ametikohal pole vahetut juhti, kustuta see rida.", HEAD_NOTE]
    return [head, *_listed([_post_line(known, p) for p in sorted(fits, key=lambda p: p.id)]),
            "Kui ametikohal pole vahetut juhti, kustuta see rida.", HEAD_NOTE]


def _modeline(file_kind: str) -> str:
    """The first line: the file's JSON Schema for editors (as in the example's files)."""
    return f"# yaml-language-server: $schema=../../schemas/{kind(file_kind).name}.json"


# --- a new post -----------------------------------------------------------------------------------


def post_text(known: Known, post_id: str, unit: str | None = None, manager: str | None = None,
              record: Record[Any] = POST) -> str:
    """The file definitions/ametikohad/<post_id>.yaml of a new post."""
    values, notes = _with_unit(known, unit)
    if manager is not None:
        values["vahetu_juht"] = manager
    else:
        values["vahetu_juht"] = PLACEHOLDER
        notes["vahetu_juht"] = _manager_notes(known, unit)
    duty_clauses = sorted(c for c, v in known.clauses.items() if isinstance(v, DutyClause))
    rows_clauses = sorted(c for c, v in known.clauses.items() if isinstance(v, RowsClause))
    if duty_clauses:
        notes["ulesanded"] = [f"Ühised ülesanded (klausel): {', '.join(duty_clauses)}"]
    samples = {yaml: samples_of(record, yaml) for yaml in POST_OPTIONAL if _declared(record, yaml)}
    if "ulesanded" in samples:
        samples["ulesanded"] = ["ulesanded:", f"  - klausel: {duty_clauses[0] if duty_clauses else PLACEHOLDER}",
                                f"  - ulesanne: {PLACEHOLDER}", "    tulemused:", f"      - {PLACEHOLDER}"]
    for yaml in ("alluvad", "teenistuja_asendab", "teenistuja_asendaja"):
        if yaml in samples:
            samples[yaml] = [f"{yaml}: [{PLACEHOLDER}]"]
    if "oigused_ja_vastutus" in samples and rows_clauses:
        samples["oigused_ja_vastutus"] = [f"oigused_ja_vastutus: {rows_clauses[0]}"]
    head = [
        _modeline("ametikoht"),
        f"# Ametikoht {post_id}: alustatud käsuga kaskkiri uus ametikoht.",
        f"# Asenda iga {PLACEHOLDER} õige väärtusega: kuni mõni on alles, faili ei loeta. Võtme ees",
        '# olev "# " teeb sellest kommentaari; eemalda see, kui võtit vajad. Võtmed: docs/definitions.md.',
        "# Ametijuhendiga ametikoht (mille saab käskkirja lisaks panna) vajab ka ülesandeid (ulesanded).",
    ]
    return "\n".join(head + record_lines(record, values, notes, samples)) + "\n"


def _with_unit(known: Known, unit: str | None) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The values and notes a new file starts with: its unit, or the units there are to pick from."""
    if unit is not None:
        return {"struktuuriyksus": unit}, {}
    return {}, {"struktuuriyksus": _unit_notes(known)}


def _declared(record: Record[Any], yaml: str) -> bool:
    return any(k.yaml == yaml for k in record.keys)


# --- a new directive ------------------------------------------------------------------------------


def directive_text(known: Known, directive_id: str, unit: str | None = None, annexes: Sequence[str] = (),
                   record: Record[Any] = DIRECTIVE) -> str:
    """The file definitions/kaskkirjad/<directive_id>.yaml of a new draft (no number, no date)."""
    latest = known.latest_directive()
    values, notes = _with_unit(known, unit)
    if annexes:
        values["lisad"] = list(annexes)
    else:
        full = sorted((p for p in known.posts.values() if p.is_full
                       and (unit is None or p.unit in known.organisation.subunits(unit))), key=lambda p: p.id)
        notes["lisad"] = (["Ametikohad, millel on ametijuhend (id: nimetus — üksus):",
                           *_listed([_post_line(known, p) for p in full])]
                          if full else ["Ametijuhendiga ametikohti pole veel: alusta käsuga kaskkiri uus ametikoht."])
    signatory: dict[str, Any] = {"ametinimetus": known.organisation.head.title}
    register: dict[str, str] = {}
    if latest is not None:
        values["oigusalus"] = [t.value for t in latest.legal_basis]
        notes["oigusalus"] = [f"Võetud käskkirjast {latest.id}: kontrolli, kas see sobib."]
        s = latest.signatory
        signatory = {"nimi": s.name, "ametinimetus": s.title, **({"alus": s.basis} if s.basis else {})}
        notes["allkirjastaja"] = [f"Võetud käskkirjast {latest.id}: kontrolli, kas see sobib."]
        register = dict(latest.register)
    if _declared(record, "allkirjastaja"):
        values["allkirjastaja"] = signatory
    samples = {yaml: samples_of(record, yaml) for yaml in DIRECTIVE_OPTIONAL if _declared(record, yaml)}
    if "registreerimine" in samples and register:
        samples["registreerimine"] = _value("registreerimine", register, "")
        notes["registreerimine"] = [f"Väärtused käskkirjast {latest.id if latest else ''}."]
    head = [
        _modeline("kaskkiri"),
        f"# Käskkiri {directive_id} (eelnõu): alustatud käsuga kaskkiri uus kaskkiri.",
        "# Numbrit ja kuupäeva pole: need kirjutab kaskkiri record pärast allkirjastamist.",
        f"# Asenda iga {PLACEHOLDER} õige väärtusega: kuni mõni on alles, faili ei loeta. Võtme ees",
        '# olev "# " teeb sellest kommentaari; eemalda see, kui võtit vajad. Võtmed: docs/definitions.md.',
    ]
    return "\n".join(head + record_lines(record, values, notes, samples)) + "\n"


def unfilled_lines(text: str) -> list[int]:
    """The 1-based lines whose value is still PLACEHOLDER (comments aside)."""
    return [n for n, line in enumerate(text.splitlines(), start=1)
            if PLACEHOLDER in line.split("#", 1)[0]]


# --- writing the file -----------------------------------------------------------------------------


def write_new(path: Path, text: str, shown: str, *, replace: bool = False) -> None:
    """Write `text` to `path` whole or not at all (a temporary file renamed into place); an
    existing file is kept unless `replace`. `shown`: the path as messages name it."""
    twin = path.with_suffix(".yml")
    if twin.exists() or twin.is_symlink():
        raise DefinitionError(Problem(f"samal id-l on juba fail {twin.name}: kaks faili sama id-ga ei loeta. "
                                      "Vali teine id või kustuta see fail.", shown))
    if (path.exists() or path.is_symlink()) and not replace:
        raise DefinitionError(Problem("fail on juba olemas; seda ei muudetud. Vali teine id või lisa --asenda, "
                                      "kui tahad faili uuega asendada (senine sisu kaob).", shown))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(Problem(f"faili ei saanud kirjutada ({exc.strerror or exc}). Kontrolli kausta "
                                  "õigusi ja vaba ruumi.", shown)) from None

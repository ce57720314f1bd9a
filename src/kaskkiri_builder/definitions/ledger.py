"""definitions/ajalugu.yaml (the ledger): its keys, declared once, and its consistency checks.

Read by the same reader as every other definitions file (shapes.py), into the model's ledger
types. `validate_ledger` holds the ledger's cross-references (a post that does not exist, a
number used twice in a year, a revocation of a directive the ledger lacks); `history` replays the
ledger and phrases point 2. The ledger's messages quote keys with backticks, as they always did.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import Problem
from ..estonian import (
    MAX_ANNEXES,
    annex_number,
    annex_ranges,
    capitalize_first,
    format_date,
    join_list,
    parse_annex_ranges,
    plural,
)
from .keys import Found, Key, ListOf, Record
from .load import Source, YamlDoc
from .model import Ledger, LedgerDirective, LedgerSignature, Revocation, number_key, same_number
from .reader import Place, Reader
from .schema import PLAIN, read_file
from .shapes import ID_PATTERN, DateShape, JsonObject, RefId, RegisterNumber, Shape

Message = tuple[str, Source | None]  # (Estonian message, where), for the checks to report


@dataclass(frozen=True)
class Approved:
    """The job descriptions a ledger entry approved: annex number -> post id, and their lines."""

    posts: dict[int, str]
    lines: dict[int, int]


@dataclass(frozen=True)
class AnnexMap(Shape[Approved]):
    """`lisad` of an entry: a list (Lisa 1, 2, ...) or a mapping annex number -> post id."""

    noun: str = "loetelu (lisa 1, 2, ...) või sõnastik lisa number -> ametikoht"

    def read(self, r: Reader, node: object, at: Place) -> Approved | None:
        if isinstance(node, list):
            if len(node) > MAX_ANNEXES:
                r.error(at.src, f"{r.about(at)}: {len(node)} lisa; käskkirjal saab olla kuni {MAX_ANNEXES} lisa.")
                return None
            lines = {i + 1: r.item_src(node, i).line for i in range(len(node))}
            return Approved({i + 1: str(p) for i, p in enumerate(node)}, _known(lines))
        if not isinstance(node, dict):
            r.wrong(at, self.noun, node)
            return None
        posts: dict[int, str] = {}
        found: dict[int, int | None] = {}
        for key, post in node.items():
            try:
                n = annex_number(str(key))
            except ValueError as exc:
                r.error(r.key_src(node, key), f"{r.about(at)}: {exc}")
                continue
            posts[n] = str(post)
            found[n] = r.key_src(node, key).line
        return Approved(posts, _known(found))

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        post: JsonObject = {"type": "string", "pattern": ID_PATTERN}
        return {
            "anyOf": [
                {"type": "array", "items": post},
                {"type": "object", "propertyNames": {"pattern": "^[1-9][0-9]*$"}, "additionalProperties": post},
            ]
        }


def _known(lines: dict[int, int | None]) -> dict[int, int]:
    return {n: line for n, line in lines.items() if line}


@dataclass(frozen=True)
class AnnexSet(Shape[frozenset[int]]):
    """`lisad` of a revocation: one number, a list of numbers, or ranges as in point 2."""

    noun: str = 'lisa number, numbrite loetelu või vahemikud ("1 kuni 2, 4 ja 7 kuni 10")'

    def read(self, r: Reader, node: object, at: Place) -> frozenset[int] | None:
        try:
            return self._annexes(node)
        except ValueError as exc:
            r.error(at.src, f"{r.about(at)}: {exc}")
        except TypeError:
            r.wrong(at, self.noun, node)
        return None

    @staticmethod
    def _annexes(node: object) -> frozenset[int]:
        if isinstance(node, bool):
            raise TypeError
        if isinstance(node, (int, str)):
            return frozenset(parse_annex_ranges(str(node)))
        if not isinstance(node, list):
            raise TypeError
        if any(isinstance(x, bool) for x in node):
            raise ValueError("lisa number ei saa olla tõeväärtus.")
        return frozenset(annex_number(str(x).strip()) for x in node)

    def schema(self, defs: dict[str, JsonObject]) -> JsonObject:
        return {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "array", "items": {"type": "integer", "minimum": 1}},
                {"type": "string"},
            ]
        }


def _revocation(f: Found) -> Revocation | None:
    if f.broken or "number" not in f.fields or "date" not in f.fields:
        return None  # reported; a revocation half read would revoke the wrong job descriptions
    return Revocation(source=f.src, **f.fields)


REVOCATION: Record[Revocation] = Record("revocation", "kehtetuks tunnistamine", (
    Key("number", RegisterNumber(), "kehtetuks tunnistatud käskkirja number", "number", required=True),
    Key("kuupaev", DateShape(), "kehtetuks tunnistatud käskkirja kuupäev", "date", required=True),
    Key("lisad", AnnexSet(), "tema lisad, mis tunnistati kehtetuks (puudub: kogu käskkiri)", "annexes"),
), build=_revocation)


SIGNATURE: Record[LedgerSignature] = Record("ledger_signature", "allkiri", (
    Key("nimi", PLAIN, "allkirjastaja nimi allkirjastamise sertifikaadist", "name", required=True),
    Key("aeg", PLAIN, "allkirjastamise aeg (ISO 8601, UTC), nagu konteiner selle ütleb", "time", required=True),
), model=LedgerSignature)


def _entry(f: Found) -> LedgerDirective | None:
    fields = dict(f.fields)
    if "number" not in fields or "date" not in fields:
        return None
    approved: Approved = fields.pop("annexes", Approved({}, {}))
    return LedgerDirective(source=f.src, annexes=approved.posts, annex_lines=approved.lines, **fields)


ENTRY: Record[LedgerDirective] = Record("ledger_directive", "käskkiri ajaloos", (
    Key("id", PLAIN, "käskkirja faili nimi kaustas kaskkirjad/ (kui see on olemas)", "id"),
    Key("number", RegisterNumber(), "registri number, aasta piires ainulaadne", "number", required=True),
    Key("kuupaev", DateShape(), "käskkirja kuupäev PP.KK.AAAA", "date", required=True),
    Key("pealkiri", PLAIN, "käskkirja pealkiri (vaikimisi ametijuhendite arvu järgi)", "title"),
    Key("lisad", AnnexMap(), "kinnitatud ametijuhendid: lisa number -> ametikoha id, või loetelu", "annexes"),
    Key("ametijuhend", RefId("ametikoha id"),
        "lisade asemel: ainus ilma lisata kinnitatud ametijuhend", "single_post"),
    Key(
        "tunnistab_kehtetuks",
        ListOf(REVOCATION, "loetelu (number, kuupaev, lisad)", item_noun="kehtetuks tunnistamine"),
        "mida käskkiri kehtetuks tunnistas",
        "revokes",
    ),
    Key("allkirjad", ListOf(SIGNATURE, "loetelu (nimi, aeg)", item_noun="allkiri"),
        "kes ja millal allkirjastas (kirjutab kaskkiri record --konteiner)", "signatures"),
), build=_entry)

LEDGER: Record[tuple[LedgerDirective, ...]] = Record("ledger", "ajalugu", (
    Key(
        "kaskkirjad",
        ListOf(ENTRY, "käskkirjade loetelu", item_noun="käskkiri"),
        "käskkirjad, mis kinnitasid ametijuhendeid (järjekord pole oluline)",
        "directives",
    ),
), build=lambda f: f.fields.get("directives", ()))


def read_ledger(doc: YamlDoc, problems: list[Problem]) -> tuple[LedgerDirective, ...]:
    """The ledger of one file; what could not be read is left out and reported in `problems`."""
    return read_file(LEDGER, doc, problems, "ajalugu", quote="`") or ()


def ledger_problems(ledger: Ledger, known_posts: Iterable[str]) -> list[Problem]:
    """The ledger's cross-references, as problems that make a build impossible."""
    return [
        Problem(m, where.file, where.line) if where else Problem(m)
        for m, where in validate_ledger(ledger, known_posts)
    ]


# --- consistency ----------------------------------------------------------------------------------


def validate_ledger(ledger: Ledger, known_posts: Iterable[str]) -> list[Message]:
    """Errors in the ledger, each with an Estonian message and its place."""
    known = set(known_posts)
    out: list[Message] = []
    ids = Counter(d.id for d in ledger if d.id)
    for d in ledger:
        if d.id and ids[d.id] > 1:
            out.append((f"Käskkiri {d.id} on ajaloos mitu korda ({d.label}).", d.source))
    out += _numbers_used_twice(ledger)
    for d in ledger:
        out += _entry_problems(ledger, d, known)
    return out


def _numbers_used_twice(ledger: Ledger) -> list[Message]:
    by_year: dict[tuple[int, tuple[tuple[int, int, str], ...]], list[LedgerDirective]] = defaultdict(list)
    for d in ledger:
        by_year[(d.date.year, number_key(d.number))].append(d)
    out: list[Message] = []
    for (year, _key), same in by_year.items():
        number = same[0].number
        if len(same) > 1:
            dates = join_list([format_date(d.date) for d in same])
            for d in same:
                out.append(
                    (
                        f"Number {number} on {year}. aastal kasutusel mitu korda ({dates}): "
                        "ühel aastal saab ühte numbrit kasutada ühe korra.",
                        d.source,
                    )
                )
    return out


def _entry_problems(ledger: Ledger, d: LedgerDirective, known: set[str]) -> list[Message]:
    out: list[Message] = []
    label = capitalize_first(d.label)
    if d.single_post is not None and d.annexes:
        out.append(
            (f"{label}: kas `ametijuhend` (üks ametijuhend ilma lisata) või `lisad`, mitte mõlemad.", d.source)
        )
    if d.single_post is None and not d.annexes:
        out.append((f"{label} ei kinnita ühtegi ametijuhendit.", d.source))
    for n in d.annexes:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            out.append((f"{label}: lisa number {n!r} ei ole positiivne täisarv.", d.source))
    posts_by_annex: dict[str, list[int]] = defaultdict(list)
    for jd in d.job_descriptions():
        if jd.post not in known:
            where = f"lisa {jd.annex}" if jd.annex is not None else "ametijuhend"
            out.append(
                (
                    f'{label}, {where}: tundmatu ametikoht "{jd.post}" '
                    f"(faili ametikohad/{jd.post}.yaml ei ole). Paranda id või lisa ametikoha fail.",
                    _annex_source(d, jd.annex),
                )
            )
        if jd.annex is not None:
            posts_by_annex[jd.post].append(jd.annex)
    for post, annexes in posts_by_annex.items():
        if len(annexes) > 1:
            listed = join_list(str(a) for a in sorted(annexes))
            out.append((f'{label} kinnitab ametikoha "{post}" ametijuhendi mitu korda (lisad {listed}).', d.source))
    for r in d.revokes:
        out += _check_revocation(ledger, d, r)
    return out


def _annex_source(d: LedgerDirective, annex: int | None) -> Source | None:
    """The line of one annex of a ledger entry, else the entry's own line."""
    if d.source is None or annex is None or annex not in d.annex_lines:
        return d.source
    return Source(d.source.file, d.annex_lines[annex])


def _check_revocation(ledger: Ledger, d: LedgerDirective, r: Revocation) -> list[Message]:
    where = r.source or d.source
    label = capitalize_first(d.label)
    cited = f"{format_date(r.date)} käskkirja nr {r.number}"  # genitive: the object revoked
    target = next((t for t in ledger if t.is_same(r.number, r.date)), None)
    if target is None:
        same_dates = sorted(t.date for t in ledger if same_number(t.number, r.number))
        hint = (
            f" Ajaloos on nr {r.number} kuupäevaga "
            f"{join_list([format_date(x) for x in same_dates], last='ja')}: kas kuupäev on vale?"
            if same_dates
            else " Kanna see käskkiri ajalukku (ajalugu.yaml)."
        )
        return [(f"{label} tunnistab kehtetuks {cited}, mida ajaloos ei ole.{hint}", where)]
    out: list[Message] = []
    if target.key >= d.key:
        out.append(
            (
                f"{label} tunnistab kehtetuks {cited}, mis ei ole varasem: "
                "kehtetuks saab tunnistada ainult varasema käskkirja.",
                where,
            )
        )
    if r.annexes is None:
        return out
    if target.single_post is not None:
        out.append(
            (
                f"{label} tunnistab kehtetuks {cited} lisad, kuid "
                f"{target.label} kinnitas ühe ametijuhendi ilma lisadeta: jäta `lisad` ära.",
                where,
            )
        )
        return out
    missing = sorted(r.annexes - set(target.annexes))
    if missing:
        out.append(
            (
                f"{label} tunnistab kehtetuks {cited} "
                f"{plural(len(missing), 'lisa', 'lisad')} {annex_ranges(missing)}, "
                f"mida sellel käskkirjal ei ole.",
                where,
            )
        )
    return out

"""Reading a directive and its job descriptions out of lines of text (pure: no I/O).

The input is what a reader made of a file (`source.Line`s: a register's text lines, a Word file's
paragraphs and table cells, a PDF's rows). The output keeps the document's own words and where
each came from; matching them to the organisation and the clause library is `match.py`'s job.

The layout read is the one Estonian job descriptions share: four numbered sections (Üldosa;
Peamised teenistusülesanded | Oodatavad tulemused; Teenistuskoha täitjale esitatavad nõuded;
Õigused ja vastutus) of label/value rows, then a closing line. A register's text extraction
loses the table's columns, so a duty's text and its results are told apart by the numbering and
by where sentences end; where the extraction interleaved the two columns (a duty's last words
after its first results) they are put back and the report says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import Problem
from ..estonian import parse_date
from .source import Line, Origin, Source

GENERAL_LABELS: dict[str, str] = {
    "Struktuuriüksus": "struktuuriyksus",
    "Teenistuskoht": "teenistuskoht",
    "Vahetu juht": "vahetu_juht",
    "Alluvad": "alluvad",
    "Teenistuja asendab": "teenistuja_asendab",
    "Teenistuja asendaja": "teenistuja_asendaja",
    "Teenistuskoha eesmärk": "eesmark",
    "Ametikoha grupp": "ametikoha_grupp",
    "Eritingimused": "eritingimused",
}
REQUIREMENT_LABELS: dict[str, str] = {
    "Haridus": "haridus",
    "Erialane töökogemus": "erialane_tookogemus",
    "Keeleoskus": "keeleoskus",
    "Teadmised ja oskused": "teadmised_ja_oskused",
    "Isikuomadused": "isikuomadused",
}
RIGHTS_LABELS = ("Õigused", "Vastutus")

_SECTIONS = {
    "üldosa": 1,
    "peamised teenistusülesanded": 2,
    "teenistuskoha täitjale esitatavad nõuded": 3,
    "õigused ja vastutus": 4,
}
_SECTION_RE = re.compile(
    r"^(?:\d\.?\s*)?(Üldosa|Peamised teenistusülesanded|Teenistuskoha täitjale esitatavad nõuded|"
    r"Õigused ja vastutus)\b\s*(.*)$",
    re.IGNORECASE,
)
_DUTY_RE = re.compile(r"^2\.(\d+)\.?\s+(.*)$")
_HEADING_RE = re.compile(r"^KINNITATUD\b")
_ANNEX_RE = re.compile(r"\bLisa\s+(\d+)\b")
_END = (".", "!", "?", ";", ":")


@dataclass(frozen=True)
class Value:
    """A text the document holds, and where."""

    text: str
    origin: Origin


@dataclass
class ImportedDuty:
    text: str
    results: list[str]
    origin: Origin
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportedPost:
    """One job description as the document says it: labels' values, duties, rows."""

    source: str
    origin: Origin  # where it starts
    annex: int | None = None
    general: dict[str, Value] = field(default_factory=dict)  # GENERAL_LABELS' keys
    duties: list[ImportedDuty] = field(default_factory=list)
    requirements: dict[str, Value] = field(default_factory=dict)  # REQUIREMENT_LABELS' keys
    rights: list[tuple[str, list[str]]] = field(default_factory=list)
    rights_origin: Origin | None = None
    closing: Value | None = None
    notes: list[str] = field(default_factory=list)  # for the import report


@dataclass
class ImportedDirective:
    """A signed directive as its text says it (point 1's titles, point 2's phrase...)."""

    source: str
    origin: Origin
    number: str
    date: dt.date
    title: str
    legal_basis: str
    unit_genitive: str
    annex_titles: list[tuple[int, str]]
    revocation: str | None
    in_force_on: dt.date | None
    retroactive_from: dt.date | None
    signatory_name: str
    signatory_title: str
    register: dict[str, str]
    signatory_basis: str | None = None  # a deputy's appointment, the legal basis's last part
    posts: list[ImportedPost] = field(default_factory=list)
    single: bool = False  # approved one job description with no numbered annexes ("(lisa)")
    notes: list[str] = field(default_factory=list)


class NotAJobDescription(Exception):
    """The text is not a job description (or not one this parser can read): the problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def _problem(origin: Origin, message: str) -> NotAJobDescription:
    return NotAJobDescription(Problem(f"{origin.short()}: {message}" if origin.short() != origin.file
                                      else message, origin.file))


# --- splitting a document ---------------------------------------------------------------------


def split_parts(lines: Sequence[Line]) -> tuple[list[Line], list[list[Line]]]:
    """The lines before the first job description (a directive's, or nothing) and each job
    description's lines (from its "KINNITATUD" heading, or from "AMETIJUHEND")."""
    starts = [i for i, ln in enumerate(lines) if _HEADING_RE.match(ln.text)]
    if not starts:
        starts = [i for i, ln in enumerate(lines) if ln.text.strip().upper() == "AMETIJUHEND"][:1]
    if not starts:
        return list(lines), []
    parts = [[ln for ln in lines[a:b] if not ln.text.lstrip().startswith("|")]  # register tables
             for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    return list(lines[: starts[0]]), parts


# --- a job description ----------------------------------------------------------------------------


_ROW_NUMBER = re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+")  # "1.1 Struktuuriüksus": a numbered label row


def _label(text: str, labels: Sequence[str]) -> tuple[str, str] | None:
    """(label, the rest of the line) when the line opens with one of `labels`, after the row's
    number if it has one (a table with a number column, read as text)."""
    text = text[m.end():] if (m := _ROW_NUMBER.match(text)) else text
    for label in sorted(labels, key=len, reverse=True):
        if text[: len(label)].lower() == label.lower():
            rest = text[len(label):]
            if not rest or rest[0] in " \t:":
                return label, rest.lstrip(" \t:").strip()
    return None


def _fold(parts: Sequence[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def _rows(lines: Sequence[Line], labels: Sequence[str]) -> list[tuple[str, list[Line], Origin]]:
    """Label/value rows: a line opening with a label starts a row; the lines after it (up to the
    next label) continue its value. Lines before the first label are returned under ""."""
    rows: list[tuple[str, list[Line], Origin]] = []
    for ln in lines:
        hit = _label(ln.text, labels) if ln.column in (None, 0) else None
        if hit is not None:
            label, rest = hit
            first = [Line(rest, ln.origin, ln.column)] if rest else []
            rows.append((label, first, ln.origin))
        elif rows:
            rows[-1][1].append(ln)
        else:
            rows.append(("", [ln], ln.origin))
    return rows


def _sections(lines: Sequence[Line]) -> tuple[list[Line], dict[int, list[Line]]]:
    """The heading lines and each numbered section's lines."""
    heading: list[Line] = []
    sections: dict[int, list[Line]] = {}
    current: int | None = None
    for ln in lines:
        m = _SECTION_RE.match(ln.text.strip())
        number = _SECTIONS.get(m.group(1).lower()) if m else None
        if m and number is not None and number not in sections and (current or 0) < number:
            current = number
            sections[current] = []
            rest = m.group(2).strip()
            if rest and not (current == 2 and rest.lower() == "oodatavad tulemused"):
                sections[current].append(Line(rest, ln.origin, ln.column))
            continue
        if m and number is not None and number == current and m.group(2).strip().lower() in ("", "oodatavad tulemused"):
            continue  # the section's header row again: a table continued on the next page repeats it
        if current is None:
            heading.append(ln)
        else:
            sections[current].append(ln)
    return heading, sections


def parse_job_description(source: str, lines: Sequence[Line]) -> ImportedPost:
    """One job description's lines (heading included) as an `ImportedPost`; a text that is not
    a job description raises `NotAJobDescription` naming the file and place."""
    if not lines:
        raise NotAJobDescription(Problem("fail on tühi: selles pole ametijuhendit.", source))
    first = lines[0].origin
    heading, sections = _sections(lines)
    missing = [n for n in (1, 2) if n not in sections]
    if missing:
        names = {1: '"1. Üldosa"', 2: '"2. Peamised teenistusülesanded"'}
        raise _problem(first, "see ei ole loetav ametijuhend: puudub osa "
                       + " ja ".join(names[n] for n in missing)
                       + ". Ametijuhendis peavad olema osad Üldosa ja Peamised teenistusülesanded "
                       "(siltide ja väärtustega read).")
    post = ImportedPost(source=source, origin=first)
    annex = _ANNEX_RE.search(" ".join(ln.text for ln in heading))
    post.annex = int(annex.group(1)) if annex else None
    _general(post, sections[1])
    if "teenistuskoht" not in post.general or "struktuuriyksus" not in post.general:
        raise _problem(sections[1][0].origin if sections[1] else first,
                       'osas "1. Üldosa" puudub rida "Teenistuskoht" või "Struktuuriüksus": '
                       "ametikohta ei saa ilma nendeta kirjutada.")
    _duties(post, sections[2])
    if not post.duties:
        raise _problem(sections[2][0].origin if sections[2] else first,
                       'osas "2. Peamised teenistusülesanded" ei leitud ühtegi nummerdatud '
                       'ülesannet ("2.1. ...").')
    if 3 in sections:
        for label, value_lines, origin in _rows(sections[3], list(REQUIREMENT_LABELS)):
            if label:
                post.requirements[REQUIREMENT_LABELS[label]] = Value(_fold([v.text for v in value_lines]), origin)
            elif _fold([v.text for v in value_lines]):
                post.notes.append(f"{origin}: osas 3 jäi tundmatu rida vahele: "
                                  f"\"{_fold([v.text for v in value_lines])[:60]}\"")
    if 4 in sections:
        _rights(post, sections[4])
    return post


def _general(post: ImportedPost, lines: Sequence[Line]) -> None:
    for label, value_lines, origin in _rows(lines, list(GENERAL_LABELS)):
        text = _fold([v.text for v in value_lines])
        if label:
            post.general[GENERAL_LABELS[label]] = Value(text, origin)
        elif text:
            post.notes.append(f"{origin}: osas 1 jäi tundmatu rida vahele: \"{text[:60]}\"")


def _ends(text: str) -> bool:
    return text.rstrip().endswith(_END)


def _opens_lower(text: str) -> bool:
    t = text.lstrip()
    return bool(t) and (t[0].islower())


def _duties(post: ImportedPost, lines: Sequence[Line]) -> None:
    columns = any(ln.column is not None for ln in lines)
    duty: ImportedDuty | None = None
    duty_parts: list[str] = []
    open_results = False  # the last result line did not end a sentence
    for ln in lines:
        text = ln.text.strip()
        if not text or ((duty is None or ln.column == 1) and text.lower() == "oodatavad tulemused"):
            continue
        m = _DUTY_RE.match(text) if ln.column in (None, 0) else None
        opening = m.group(2) if m else text if ln.number is not None and ln.column == 0 else None
        if opening is not None:
            if duty is not None:
                duty.text = _fold(duty_parts)
            duty = ImportedDuty("", [], ln.origin)
            post.duties.append(duty)
            duty_parts = [opening]
            open_results = False
            continue
        if duty is None:
            post.notes.append(f"{ln.origin}: osas 2 enne esimest ülesannet jäi rida vahele: \"{text[:60]}\"")
            continue
        if columns:
            if ln.column in (None, 0):
                duty_parts.append(text)
            else:
                duty.results.append(text)
            continue
        # no columns (register text, PDF text): where does the line belong?
        if not duty.results:
            if _opens_lower(text) and not _ends(duty_parts[-1]):
                duty_parts.append(text)  # the duty's text wraps
            else:
                duty.results.append(text)
                open_results = not _ends(text)
            continue
        if _opens_lower(text) and open_results:
            duty.results[-1] = f"{duty.results[-1]} {text}"  # a result wraps
            open_results = not _ends(text)
        elif _opens_lower(text) and not _ends(duty_parts[-1]):
            # the extraction interleaved the columns: the duty's last words after its results
            duty_parts.append(text)
            duty.notes.append(f"{ln.origin}: ülesande {len(post.duties)} teksti lõpp oli tulemuste "
                              "vahel (veerud segamini); pandi ülesande teksti lõppu.")
        else:
            duty.results.append(text)
            open_results = not _ends(text)
    if duty is not None:
        duty.text = _fold(duty_parts)
    for d in post.duties:
        d.results = [_fold([r]) for r in d.results if r.strip()]
        if not d.results:
            d.notes.append(f"{d.origin}: ülesandel pole oodatavaid tulemusi.")


def _rights(post: ImportedPost, lines: Sequence[Line]) -> None:
    rows = _rows(lines, list(RIGHTS_LABELS))
    for label, value_lines, origin in rows:
        if not label:
            text = _fold([v.text for v in value_lines])
            if text:
                post.notes.append(f"{origin}: osas 4 jäi tundmatu rida vahele: \"{text[:60]}\"")
            continue
        body: list[Line] = []
        closing: list[Line] = []
        for v in value_lines:
            # rights items open in lower case; a sentence after them (outside the table) closes
            if closing or (v.column is None and not _opens_lower(v.text) and body and _ends(body[-1].text)
                           and label == RIGHTS_LABELS[-1]):
                closing.append(v)
            else:
                body.append(v)
        if any(v.column is not None for v in body):
            items = [_fold([v.text]) for v in body if v.text.strip()]
        else:
            items = [i for i in re.split(r"(?<=;)\s+", _fold([v.text for v in body])) if i]
        post.rights.append((label, items))
        post.rights_origin = post.rights_origin or origin
        if closing:
            post.closing = Value(_fold([c.text for c in closing]), closing[0].origin)


# --- a directive ----------------------------------------------------------------------------------

_MONTHS = ("jaanuar", "veebruar", "märts", "aprill", "mai", "juuni", "juuli", "august", "september",
           "oktoober", "november", "detsember")


def _date_in_words(text: str) -> dt.date | None:
    m = re.search(r"(\d{4})\. aasta (\d{1,2})\. (\w+?)(?:il|ist|l|st)\b", text)
    if not m:
        return None
    word = m.group(3)
    for i, month in enumerate(_MONTHS, start=1):
        if word in (month, month.rstrip("i")) or month.startswith(word):
            return dt.date(int(m.group(1)), i, int(m.group(2)))
    return None


_REGISTER = {
    "liik": "liik", "funktsioon": "funktsioon", "sari": "sari", "toimik": "toimik",
    "juurdepääsupiirang": "juurdepaasupiirang", "vastutaja": "vastutaja",
}


def parse_register(lines: Sequence[Line]) -> dict[str, str]:
    """The document register's fields ("| Liik | Põhitegevuse käskkiri |"), first value each."""
    out: dict[str, str] = {}
    for ln in lines:
        cells = [c.strip() for c in ln.text.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].lower() in _REGISTER and cells[1]:
            out.setdefault(_REGISTER[cells[0].lower()], cells[1])
    return out


def _deputy(signed: str, basis: str) -> tuple[str, str, str | None, str, str | None]:
    """(name, title, appointment, the legal basis without it, a note) for a signer who is not the
    head: "Leila Siiroja osakonnajuhataja peadirektori ülesannetes". The name is the capitalised
    words before the title (a title is written in lower case); the appointment is the basis's
    last part after "ning" when it cites a directive ("peadirektori 01.02.2025 käskkirja nr 1-1/7
    "Peadirektori asendaja määramine"")."""
    words = signed.split()
    lower = next((i for i, w in enumerate(words) if w[:1].islower()), None)
    note = None
    if lower is None or lower == 0:
        lower = min(2, len(words))
        note = "allkirjastaja nimi ja ametinimetus jagati oletades (nimi = kaks esimest sõna)"
    name, title = " ".join(words[:lower]), " ".join(words[lower:])
    appointment = None
    m = re.search(r"\s+ning\s+(\S+\s+\d{2}\.\d{2}\.\d{4}\s+käskkirja\s+nr\s+\S+\s+\"[^\"]*\")$", basis)
    if m:
        appointment, basis = m.group(1), basis[: m.start()]
    elif "ülesannetes" in title or "asendaja" in basis:
        note = ((note + "; ") if note else "") + (
            "asendaja määramise käskkirja ei leitud õigusliku aluse lõpust (\"... ning peadirektori "
            "PP.KK.AAAA käskkirja nr ... \"...\"\"): see jäi õigusliku aluse teksti")
    if note:
        note = f'{note}: "{name}" / "{title}". Kontrolli.'
    return name, title, appointment, basis, note


def parse_directive(doc: Source, head_title: str) -> ImportedDirective:
    """A directive with its annexes: the directive's text is before the first "KINNITATUD"."""
    before, parts = split_parts(doc.lines)
    body = [ln for ln in before if not ln.text.lstrip().startswith("|")]
    text = _fold([ln.text for ln in body])
    origin = body[0].origin if body else Origin(doc.name)
    start = text.find("KÄSKKIRI")
    if start < 0:
        raise NotAJobDescription(Problem(
            'see ei ole käskkiri: pealkirja "KÄSKKIRI" ei leitud.', doc.name))
    text = text[start + len("KÄSKKIRI"):].strip()
    m = re.match(r"(\d{2}\.\d{2}\.\d{4})\s+nr\s+(\S+)\s+(.*)$", text)
    if not m:
        raise _problem(origin, 'käskkirja kuupäev ja number ("07.01.2026 nr 1") pealkirja "KÄSKKIRI" '
                       "all puuduvad: allkirjastamata eelnõu ei saa ajalukku importida.")
    on, number, rest = parse_date(m.group(1)), m.group(2), m.group(3)
    t = re.match(r"(Ametijuhendi(?:te)? kinnitamine)\s+(.*)$", rest)
    title, rest = (t.group(1), t.group(2)) if t else ("", rest)
    p1 = re.match(r"(.*?)\s+alusel\s+1\.\s+Kinnitan\s+(.*?)\s+ametijuhendi(?:d)?\s+vastavalt\s+lisa\w*\s+"
                  r"[\d\s,kuni–-]+?\s*järgmiselt:\s*(.*)$", rest)
    # one job description without numbered annexes: "1. Kinnitan <üksuse> <ametikoha> ametijuhendi (lisa)."
    single = None if p1 else re.match(
        r"(.*?)\s+alusel\s+1\.\s+Kinnitan\s+(.*?)\s+ametijuhendi\s+\(lisa\)\.?\s*(.*)$", rest)
    if not p1 and not single:
        raise _problem(origin, 'käskkirja punkt 1 ("... alusel 1. Kinnitan <üksuse> ametijuhendid '
                       'vastavalt lisadele ... järgmiselt:" või "1. Kinnitan <üksuse> <ametikoha> '
                       'ametijuhendi (lisa).") ei ole loetav.')
    point1 = p1 or single
    assert point1 is not None
    basis, unit_genitive, rest = point1.groups()
    p2 = re.search(r"(?:^|\s)2\.\s+Tunnistan kehtetuks\s+(.*?)\.\s+3\.\s+", rest)
    # the entry into force is the last point: 3. after a point 2, else 2.
    p3 = re.search(r"(?:^|\s)[23]\.\s+(Käskkiri jõustub.*)$", rest)
    items_text = rest[: p2.start() if p2 else p3.start() if p3 else len(rest)]
    titles = [(int(n), title_.strip()) for title_, n in
              re.findall(r"1\.\d+\.\s+(.+?)\s+\(lisa\s+(\d+)\)[;.]?", items_text)]
    if not titles and not single:
        raise _problem(origin, 'käskkirja punktis 1 ei leitud ühtegi lisa ("1.1. talituse juhataja (lisa 1);").')
    point3 = p3.group(1) if p3 else ""
    entry = re.match(r"Käskkiri jõustub (.*?)\.", point3)
    in_force = _date_in_words(entry.group(1)) if entry and "allkirjastamisest" not in entry.group(1) else None
    retro = re.search(r"tagasiulatuvalt\s+(\d{4}\. aasta \d{1,2}\. \w+)", point3)
    signature = re.search(r"\(allkirjastatud digitaalselt\)\s+(.*)$", point3)
    name, signer_title, signer_basis = "", "", None
    notes: list[str] = []
    if signature:
        signed = signature.group(1).strip()
        if signed.endswith(" " + head_title):
            name, signer_title = signed[: -len(head_title) - 1].strip(), head_title
        else:
            name, signer_title, signer_basis, basis, note = _deputy(signed, basis)
            if note:
                notes.append(f"{origin}: {note}")
    posts = [parse_job_description(doc.name, part) for part in parts]
    if single:
        unit_genitive = _single_unit(unit_genitive, posts, origin)
    return ImportedDirective(
        source=doc.name, origin=origin, number=number, date=on, title=title, legal_basis=basis,
        unit_genitive=unit_genitive, annex_titles=titles, revocation=p2.group(1) if p2 else None,
        in_force_on=in_force, retroactive_from=_date_in_words(retro.group(1)) if retro else None,
        signatory_name=name, signatory_title=signer_title, signatory_basis=signer_basis,
        register=parse_register(before), posts=posts, notes=notes, single=bool(single),
    )


def _single_unit(approved: str, posts: Sequence[ImportedPost], origin: Origin) -> str:
    """The unit's genitive out of "<unit genitive> <post title>" (point 1 of a directive that
    approves one job description): the job description's own title ends it."""
    if len(posts) != 1:
        raise _problem(origin, f"käskkiri kinnitab ühe ametijuhendi (lisa), aga failis on {len(posts)} "
                       "ametijuhendit.")
    title = posts[0].general["teenistuskoht"].text.strip().lower()
    if not approved.lower().endswith(" " + title):
        raise _problem(origin, f'punkt 1 "Kinnitan {approved} ametijuhendi" ei lõpe ametijuhendi '
                       f'ametikohaga "{title}": üksust ei saa sellest eraldada.')
    posts[0].annex = None
    return approved[: -len(title) - 1].strip()


def parse_job_descriptions(doc: Source) -> list[ImportedPost]:
    """Every job description of a document (one Word file, a register text with several)."""
    _, parts = split_parts(doc.lines)
    if not parts:
        parts = [list(doc.lines)]
    return [parse_job_description(doc.name, part) for part in parts]

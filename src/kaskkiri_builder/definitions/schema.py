"""Every key of organisatsioon.yaml, klauslid/*.yaml, ametikohad/*.yaml and kaskkirjad/*.yaml.

Each key is declared once below (shapes.py has the vocabulary): its YAML name, shape, whether it
is required, one Estonian line saying what it is, and the model field it fills. The reader, the
JSON Schemas in schemas/ and the key tables of docs/definitions.md are all made from these
declarations. The order of the keys is the order of the docs.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from ..errors import Problem
from .keys import (
    Alt,
    AnyOf,
    ExactlyOne,
    Found,
    Key,
    ListOf,
    MapOf,
    Mapped,
    Needs,
    Record,
    is_list,
    is_mapping,
    is_text,
)
from .load import YamlDoc
from .model import (
    HEAD_ID,
    REQUIREMENT_LABELS,
    Acceptance,
    Agency,
    Clause,
    ClauseRef,
    Directive,
    Duty,
    DutyClause,
    Head,
    Letterhead,
    NumberedLater,
    Organisation,
    Post,
    PostGroup,
    PostRef,
    PostRefList,
    RowsClause,
    Signatory,
    Style,
    Text,
    TextClause,
    Unit,
)
from .reader import ID_RE, Place, Reader
from .shapes import (
    Choice,
    DateShape,
    Flag,
    Ident,
    ImagePath,
    LineNumber,
    Millimetres,
    Params,
    Plain,
    RefId,
    RegisterNumber,
    Shape,
    TextList,
    TextShape,
)

TEXT = TextShape()
PLAIN = Plain()
IDENT = Ident()
TEXTS = TextList()
PARAMS = Params()

# --- organisatsioon.yaml --------------------------------------------------------------------------

AGENCY: Record[Agency] = Record("agency", "asutus", (
    Key("nimetus", PLAIN, "asutuse nimi nimetavas käändes", "name", required=True),
    Key("omastav", PLAIN, "asutuse nimi omastavas käändes", "genitive", required=True),
    Key("kellele", PLAIN, "asutuse nimi alaleütlevas käändes (vaideklausel)", "allative", required=True),
    Key("lyhend", PLAIN, "asutuse lühend", "abbreviation"),
), model=Agency)

HEAD: Record[Head] = Record("head", "juht", (
    Key("ametinimetus", PLAIN, "juhi ametinimetus", "title", required=True),
    Key("omastav", PLAIN, "juhi ametinimetus omastavas käändes", "genitive", required=True),
), model=Head)


def _unit(f: Found) -> Unit:
    return Unit(id=f.name or "", source=f.src, **{"parent": None, **f.fields})


UNIT: Record[Unit] = Record("unit", "struktuuriüksus", (
    Key("nimetus", PLAIN, "üksuse nimetus väikese algustähega", "name", required=True),
    Key("omastav", PLAIN, "üksuse nimetus omastavas käändes", "genitive", required=True),
    Key("kuulub", IDENT, "ülemüksuse id", "parent"),
), build=_unit)

RANGE_STYLE: Choice[str] = Choice(("sidekriips", "kuni"), str, glosses=("1-11", "1 kuni 11"))

PAIR_STYLE: Choice[bool] = Choice(("vahemik", "loetelu"), lambda v: v == "vahemik",
                                  glosses=("1 kuni 2", "1 ja 2"))
QUOTE_STYLE: Choice[str] = Choice(("sirged", "eesti"), str, glosses=('"…"', "„…“"))

NUMBERED_LATER: Record[NumberedLater] = Record("numbered_later", "number_registreerimisel", (
    Key("kaskkirjas", PLAIN, 'käskkirja päises kuupäeva ja numbri asemel (näiteks "(kuupäev ja '
        'number digitaalallkirjas)")', "directive_text", required=True),
    Key("lisas", PLAIN, 'lisa päises kuupäeva, sõna "käskkirjaga" ja numbri asemel (näiteks '
        '"käskkirjaga (kuupäev ja number digitaalallkirjas)")', "annex_text", required=True),
), model=NumberedLater)

STYLE: Record[Style] = Record("style", "vormistus", (
    Key("lisade_vahemik_kinnitamisel", RANGE_STYLE, "lisade vahemik punktis 1 (kinnitamine)", "approval_range"),
    Key("lisade_vahemik_kehtetuks", RANGE_STYLE,
        "lisade vahemik punktis 2 (kehtetuks tunnistamine)", "revocation_range"),
    Key("kaks_lisa_jarjest", PAIR_STYLE, "kaks järjestikust lisa: vahemikuna või loeteluna "
        "(punktid 1 ja 2)", "pair_as_range"),
    Key("jutumargid", QUOTE_STYLE, "tsiteeritud pealkirjade jutumärgid (õiguslik alus, punkt 2)", "quotes"),
    Key("number_registreerimisel", NUMBERED_LATER,
        "register annab numbri alles pärast allkirjastamist: allkirjastatavates dokumentides on "
        "kuupäeva ja numbri asemel see sõnastus (kaskkiri build --lopplik)", "numbered_later"),
), model=Style)


LETTERHEAD: Record[Letterhead] = Record("letterhead", "kirjaplank", (
    Key("logo", ImagePath(), 'asutuse logo: PNG- või JPEG-fail projekti kaustas, tee projekti kaustast '
        '(näiteks "templates/logo.png"; templates/ kaustas arhiveerib kaskkiri record selle koos mallidega)',
        "logo"),
    Key("logo_korgus", Millimetres(5, 60), "logo kõrgus kirjaplangil millimeetrites", "logo_height"),
    Key("aadress", PLAIN, "asutuse postiaadress jaluses", "address"),
    Key("telefon", PLAIN, "asutuse telefon jaluses", "phone"),
    Key("e_post", PLAIN, "asutuse e-posti aadress jaluses", "email"),
    Key("koduleht", PLAIN, "asutuse veebiaadress jaluses", "web"),
    Key("registrikood", PLAIN, "asutuse registrikood jaluses", "registry_code"),
), model=Letterhead)


def _organisation(f: Found) -> Organisation | None:
    agency, head = f.fields.get("agency"), f.fields.get("head")
    if agency is None or head is None:
        return None
    return Organisation(agency, head, f.fields.get("units", {}), f.fields.get("style", Style()), f.src,
                        f.fields.get("letterhead", Letterhead()))


ORGANISATION: Record[Organisation] = Record("organisation", "organisatsioon", (
    Key("asutus", AGENCY, "asutuse nimekujud (nimetus, omastav, kellele, lyhend)", "agency", required=True),
    Key("juht", HEAD, "asutuse juhi ametinimetus (ametinimetus, omastav)", "head", required=True),
    Key(
        "struktuuriyksused",
        MapOf(UNIT, "sõnastik: üksuse id -> nimetus, omastav, kuulub", "struktuuriüksus", "struktuuriüksuse"),
        "struktuuriüksused: id -> nimetus, omastav, kuulub",
        "units",
        required=True,
    ),
    Key("vormistus", STYLE, "vormistuse seaded (lisade_vahemik_kinnitamisel, lisade_vahemik_kehtetuks)", "style"),
    Key("kirjaplank", LETTERHEAD, "käskkirja kirjaplank: logo ja jaluse kontaktid (aadress, telefon, e_post, "
        "koduleht, registrikood); Wordi mallid näitavad neid (docs/mallid.md)", "letterhead"),
), build=_organisation)

# --- klauslid/*.yaml ------------------------------------------------------------------------------

ROW: Record[tuple[str, tuple[Text, ...]]] = Record("rights_row", "õiguste ja vastutuse rida", (
    Key("silt", PLAIN, "rea silt (Õigused, Vastutus)", "label", required=True),
    Key("punktid", TEXTS, "rea punktid", "items", required=True),
), build=lambda f: (f.fields["label"], f.fields["items"]))


def _clause(f: Found) -> Clause | None:
    common: dict[str, Any] = dict(
        id=f.name or "",
        defaults=f.fields.get("defaults", {}),
        source=f.src,
        description=f.fields.get("description", ""),
    )
    if "read" in f.present:
        rows = f.fields.get("rows")
        return None if rows is None else RowsClause(rows=rows, **common)
    text = f.fields.get("text")
    if text is None:
        return None
    if "ulesanne" in f.present:
        return DutyClause(text=text, results=f.fields.get("results", ()), **common)
    return TextClause(text=text, **common)


CLAUSE: Record[Clause] = Record(
    "clause",
    "klausel",
    (
        Key("kirjeldus", PLAIN, "mille jaoks klausel on (dokumenti ei lähe)", "description"),
        Key("ulesanne", TEXT, "ülesande tekst (ülesande klausel)", "text"),
        Key("tulemused", TEXTS, "ülesande oodatavad tulemused", "results"),
        Key(
            "read",
            ListOf(ROW, "loetelu ridadest (silt, punktid)", item_noun="rida"),
            "õiguste ja vastutuse read: silt ja punktid",
            "rows",
        ),
        Key("tekst", TEXT, "klausli tekst (tekstiklausel, näiteks lõpurida)", "text"),
        Key("vaikimisi", PARAMS, "parameetrite vaikeväärtused", "defaults"),
    ),
    build=_clause,
    exactly_one=ExactlyOne(
        ("ulesanne", "read", "tekst"),
        'klausel peab sisaldama täpselt ühte võtmetest "ulesanne" (ülesanne koos tulemustega), '
        '"read" (õigused ja vastutus) või "tekst".',
    ),
    needs=(Needs("ulesanne", "tulemused", 'ülesandel puuduvad "tulemused". Lisa vähemalt üks oodatav tulemus.'),),
)

CLAUSE_FILE: MapOf[Clause] = MapOf(CLAUSE, "sõnastik: klausli id -> klausel", "klausel", "klausli")

# --- ametikohad/*.yaml ----------------------------------------------------------------------------

POST_REF: Record[PostRef] = Record("post_ref", "viide ametikohale", (
    Key("ametikoht", RefId("ametikoha id"), "ametikoha id", "post_id", required=True),
    Key("piirang", Flag(), "avaliku võimu piirangu märge (tuletatakse ametikoha gruppidest)", "qualifier"),
    Key("mitmuses", Flag(), "nimetus mitmuses (teenistuskoht_mitmuses)", "plural"),
    Key("nimetus", PLAIN, "nimetus, mis näidatakse ametikoha nimetuse asemel", "name"),
), build=lambda f: PostRef(source=f.src, **f.fields) if f.fields.get("post_id") else None)

POST_ID: Mapped[str, PostRef] = Mapped(RefId("ametikoha id"), lambda post, at: PostRef(post, at.src))

ANY_POST_REF: AnyOf[PostRef] = AnyOf(
    (Alt(is_text, POST_ID), Alt(is_mapping, POST_REF)),
    "ametikoha id või sõnastik (ametikoht, piirang, mitmuses, nimetus)",
    id="any_post_ref",
)


def _ref_list(refs: tuple[PostRef, ...], at: Place) -> PostRefList:
    return PostRefList(refs, at.src)


def _one_ref(ref: PostRef, at: Place) -> PostRefList:
    return PostRefList((ref,), at.src)


POST_REFS: ListOf[PostRef] = ListOf(ANY_POST_REF, "ametikohtade loetelu (id või viide ametikohale)")

PUBLISHED_LIST: Record[PostRefList] = Record("post_list_text", "ametikohad koos avaldatud sõnastusega", (
    Key("ametikohad", POST_REFS, "loetelu ametikohad (kontrollide jaoks)", "refs", required=True),
    Key("tekst", TEXT, "avaldatud sõnastus, kui seda ei saa tuletada", "text", required=True),
), build=lambda f: PostRefList(source=f.src, **f.fields))


def _published(node: object) -> bool:
    return isinstance(node, dict) and ("ametikohad" in node or "tekst" in node)


POST_LIST: AnyOf[PostRefList] = AnyOf(
    (
        Alt(is_text, Mapped(POST_ID, _one_ref)),
        Alt(_published, PUBLISHED_LIST),
        Alt(is_mapping, Mapped(POST_REF, _one_ref)),
        Alt(is_list, Mapped(POST_REFS, _ref_list)),
    ),
    "ametikoha id, viide ametikohale või nende loetelu",
    id="post_list",
)

CLAUSE_REF_MAP: Record[ClauseRef] = Record("clause_ref", "viide klauslile", (
    Key("klausel", RefId("klausli id"), "klausli id", "clause_id", required=True),
    Key("parameetrid", PARAMS, "klausli parameetrid (vaikimisi väärtuste asemel)", "params"),
), build=lambda f: ClauseRef(source=f.src, **{"clause_id": "", **f.fields}))

CLAUSE_REF: AnyOf[ClauseRef] = AnyOf(
    (
        Alt(is_text, Mapped(RefId("klausli id"), lambda cid, at: ClauseRef(cid, at.src))),
        Alt(is_mapping, CLAUSE_REF_MAP),
    ),
    "klausli id või sõnastik (klausel, parameetrid)",
    id="any_clause_ref",
)

DUTY: Record[Duty] = Record(
    "duty",
    "ülesanne",
    (
        Key("klausel", RefId("klausli id"), "ühise ülesande klausli id", "clause_id"),
        Key("parameetrid", PARAMS, "klausli parameetrid", "params"),
        Key("ulesanne", TEXT, "ametikoha oma ülesande tekst", "text"),
        Key("tulemused", TEXTS, "oodatavad tulemused (klausli omade asemel)", "results"),
    ),
    build=lambda f: Duty(source=f.src, **f.fields),
    exactly_one=ExactlyOne(
        ("klausel", "ulesanne"),
        'kirjuta kas "klausel" (ühine ülesanne) või "ulesanne" (oma tekst), mitte mõlemat ega kumbagi.',
    ),
    needs=(Needs("ulesanne", "tulemused", 'puuduvad "tulemused". Lisa vähemalt üks oodatav tulemus.'),),
)

REQUIREMENTS: Record[dict[str, Text]] = Record("requirements", "nõuded", tuple(
    Key(k, TEXT, label, k) for k, label in REQUIREMENT_LABELS.items()
), build=lambda f: dict(f.fields))

GROUP: Choice[PostGroup] = Choice(
    tuple(g.value for g in PostGroup), PostGroup, aliases=(("tootaja", "töötaja"),), fold_case=True
)


def _post(f: Found) -> Post | None:
    if f.fields.get("group") is None:
        return None
    return Post(id=f.name or "", source=f.src, **f.fields)


ACCEPTANCE: Record[Acceptance] = Record("acceptance", "aktsepteeritud leid", (
    Key("liik", PLAIN, 'leiu liik, nagu kaskkiri check selle nurksulgudes näitab (näiteks "asendamine")',
        "kind", required=True),
    Key("pohjus", PLAIN, "miks see on nii meelega (jääb leiu juurde näha)", "reason", required=True),
    Key("fail", PLAIN, "fail kaustas definitions/ (näiteks ajalugu.yaml); puudub: see fail", "file"),
    Key("rida", LineNumber(), "rida failis; puudub: kõik selle liigi leiud failis", "line"),
), model=Acceptance)

ACCEPTED = ListOf(ACCEPTANCE, "loetelu (liik, pohjus, fail, rida)", item_noun="aktsepteeritud leid")

POST: Record[Post] = Record("post", "ametikoht", (
    Key("teenistuskoht", PLAIN, "ametikoha nimetus väikese algustähega", "title", required=True),
    Key("teenistuskoht_mitmuses", PLAIN, "ametikoha nimetus mitmuses", "title_plural"),
    Key("struktuuriyksus", IDENT, "struktuuriüksuse id", "unit", required=True),
    Key("ametikoha_grupp", GROUP, "ametnik või töötaja", "group", required=True),
    Key("vahetu_juht", POST_LIST, f'vahetu juhi ametikoht; asutuse juht on "{HEAD_ID}"', "manager"),
    Key("alluvad", POST_LIST, "alluvate ametikohtade loetelu", "subordinates"),
    Key("teenistuja_asendab", POST_LIST, "ametikohad, mida teenistuja asendab", "substitutes_for"),
    Key("teenistuja_asendaja", POST_LIST, "ametikohad, mis teenistujat asendavad", "substituted_by"),
    Key("eesmark", TEXT, "teenistuskoha eesmärk", "purpose"),
    Key("eritingimused", TEXT, "eritingimuste tekst (vaikimisi ametikoha grupi järgi)", "special_conditions"),
    Key("ulesanded", ListOf(DUTY, item_noun="ülesanne"), "peamised teenistusülesanded", "duties"),
    Key("nouded", REQUIREMENTS, "teenistuskoha täitjale esitatavad nõuded", "requirements"),
    Key("oigused_ja_vastutus", CLAUSE_REF, "õiguste ja vastutuse klausel", "rights"),
    Key("lopurida", CLAUSE_REF, "lõpurea klausel (vaikimisi lopurida)", "closing"),
    Key("aktsepteeritud_leiud", ACCEPTED, "selle faili leiud, mis on meelega nii (kaskkiri check "
        "näitab neid aktsepteerituna)", "accepted"),
), build=_post)

# --- kaskkirjad/*.yaml ----------------------------------------------------------------------------

ENTRY: Record[dict[str, Any]] = Record("entry_into_force", "jõustumine", (
    Key("kuupaev", DateShape(), "jõustumise kuupäev (puudub: jõustub allkirjastamisest)", "in_force_on"),
    Key("tagasiulatuvalt", DateShape(), "tagasiulatuva rakendamise algus", "retroactive_from"),
), build=lambda f: dict(f.fields))

SIGNATORY: Record[Signatory] = Record("signatory", "allkirjastaja", (
    Key("nimi", PLAIN, "allkirjastaja nimi", "name", required=True),
    Key("ametinimetus", PLAIN, "allkirjastaja ametinimetus", "title", required=True),
    Key("alus", PLAIN, "asendaja määramise käskkiri (õigusliku aluse viimane osa)", "basis"),
), model=Signatory)

REGISTER_LABELS = {
    "liik": "dokumendi liik",
    "funktsioon": "funktsioon",
    "sari": "sari",
    "toimik": "toimik",
    "juurdepaasupiirang": "juurdepääsupiirang",
    "vastutaja": "vastutaja",
}

REGISTER: Record[dict[str, str]] = Record("register", "registreerimine", tuple(
    Key(k, PLAIN, label, k) for k, label in REGISTER_LABELS.items()
), build=lambda f: dict(f.fields))


def _directive(f: Found) -> Directive | None:
    if f.fields.get("signatory") is None or not f.fields.get("legal_basis"):
        return None
    return Directive(id=f.name or "", source=f.src, **f.fields)


DIRECTIVE: Record[Directive] = Record("directive", "käskkiri", (
    Key("pealkiri", TEXT, "käskkirja pealkiri (vaikimisi lisade arvu järgi)", "title"),
    Key("number", RegisterNumber(), "käskkirja number (registreerimisel)", "number"),
    Key("kuupaev", DateShape(), "käskkirja kuupäev PP.KK.AAAA (registreerimisel)", "date"),
    Key("oigusalus", TEXTS, 'õiguslik alus ilma sõnata "alusel"', "legal_basis", required=True),
    Key("struktuuriyksus", IDENT, "struktuuriüksuse id, kelle ametijuhendid kinnitatakse", "unit", required=True),
    Key(
        "lisad",
        dataclasses.replace(POST_REFS, empty="lisade loetelu on tühi. Lisa vähemalt üks ametikoht."),
        "lisade ametikohad järjekorras",
        "annexes",
        required=True,
    ),
    Key(
        "kehtetuks_kaotatud_ametikohad",
        POST_REFS,
        "kaotatud ametikohad, mille ametijuhend tunnistatakse kehtetuks",
        "abolished",
    ),
    Key("kehtetuks_tekst", TEXT, "punkt 2 avaldatud sõnastuses (imporditud käskkiri, mille varasemad "
        "käskkirjad pole ajaloos); puudub: arvutatakse ajaloost", "revocation_text"),
    Key("joustumine", ENTRY, "jõustumine (kuupaev, tagasiulatuvalt)", None),
    Key("allkirjastaja", SIGNATORY, "allkirjastaja (nimi, ametinimetus, alus)", "signatory", required=True),
    Key("registreerimine", REGISTER, "dokumendiregistri väljad", "register"),
    Key("aktsepteeritud_leiud", ACCEPTED, "leiud, mis on meelega nii (fail ja rida: kus leid on)",
        "accepted"),
), build=_directive)

# --- reading the files ----------------------------------------------------------------------------


T = TypeVar("T")


def read_file(
    shape: Shape[T], doc: YamlDoc, problems: list[Problem], where: str, name: str | None = None, quote: str = '"'
) -> T | None:
    """Read a whole document with its top-level shape; problems are added to `problems`."""
    r = Reader(doc, problems, quote)
    return shape.read(r, doc.data, Place(r.src(0), where, name=name))


def read_organisation(doc: YamlDoc, problems: list[Problem]) -> Organisation | None:
    return read_file(ORGANISATION, doc, problems, "organisatsioon")


def read_clauses(doc: YamlDoc, problems: list[Problem]) -> dict[str, Clause]:
    return read_file(CLAUSE_FILE, doc, problems, "klauslifail") or {}


def _file_name_is_an_id(doc: YamlDoc, file_id: str, what: str, problems: list[Problem]) -> None:
    """A post's or a directive's file name is its id: lower-case ASCII letters, digits and "-"."""
    if not ID_RE.fullmatch(file_id):
        problems.append(doc.source().problem(
            f'faili nimi "{doc.path.name}" peab koosnema väikestest ladina tähtedest, numbritest '
            f'ja "-" märgist (see on {what}). Nimeta fail ümber.'))


def read_post(doc: YamlDoc, post_id: str, problems: list[Problem]) -> Post | None:
    """The post of one file; None (after reporting) when the file takes the head's reserved id."""
    _file_name_is_an_id(doc, post_id, "ametikoha id", problems)
    post = read_file(POST, doc, problems, f"ametikoht {post_id}", post_id)
    if post_id != HEAD_ID:
        return post
    problems.append(doc.source().problem(
        f'faili nimi "{doc.path.name}" on reserveeritud: "{HEAD_ID}" tähistab asutuse juhti '
        '(organisatsioon.yaml "juht"), keda ametikoha failina ei kirjeldata. Kustuta see fail ja '
        f'kirjuta asutuse juhile alluvate ametikohtade failidesse "vahetu_juht: {HEAD_ID}"; kui see '
        'on mõni muu ametikoht, nimeta fail ümber (näiteks "asedirektor.yaml").'))
    return None


def read_directive(doc: YamlDoc, directive_id: str, problems: list[Problem]) -> Directive | None:
    _file_name_is_an_id(doc, directive_id, 'käskkirja id, näiteks "2026-02"', problems)
    return read_file(DIRECTIVE, doc, problems, f"käskkiri {directive_id}", directive_id)

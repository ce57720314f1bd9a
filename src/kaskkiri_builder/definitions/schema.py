"""Validating the YAML documents into the typed model.

Like MkDocs' config validation: every problem of a run is collected with its file and line, and
reported together; an unknown key (a typo) gets the nearest valid key as a suggestion. The key
tables below double as the reference of what each key means (docs/definitions.md has the prose).
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import Problem
from .load import Source, YamlDoc, line_of, line_of_item, line_of_key
from .validate import unknown_reference
from .model import (
    REQUIREMENT_LABELS,
    Agency,
    Clause,
    ClauseRef,
    Directive,
    Duty,
    DutyClause,
    Head,
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

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_RE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
# Characters an XML 1.0 document (and so Word) cannot hold.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# key -> what it is (shown when a key is missing); the keys' order is the order in the docs.
ORGANISATION_KEYS = {
    "asutus": "asutuse nimekujud (nimetus, omastav, kellele, lyhend)",
    "juht": "asutuse juhi ametinimetus (ametinimetus, omastav)",
    "struktuuriyksused": "struktuuriüksused: id -> nimetus, omastav, kuulub",
    "vormistus": "vormistuse seaded (lisade_vahemik_kinnitamisel, lisade_vahemik_kehtetuks)",
}
AGENCY_KEYS = {
    "nimetus": "asutuse nimi nimetavas käändes",
    "omastav": "asutuse nimi omastavas käändes",
    "kellele": "asutuse nimi alaleütlevas käändes (vaideklausel)",
    "lyhend": "asutuse lühend",
}
HEAD_KEYS = {"ametinimetus": "juhi ametinimetus", "omastav": "juhi ametinimetus omastavas käändes"}
UNIT_KEYS = {
    "nimetus": "üksuse nimetus väikese algustähega",
    "omastav": "üksuse nimetus omastavas käändes",
    "kuulub": "ülemüksuse id",
}
STYLE_KEYS = {
    "lisade_vahemik_kinnitamisel": "sidekriips või kuni",
    "lisade_vahemik_kehtetuks": "sidekriips või kuni",
}
POST_KEYS = {
    "teenistuskoht": "ametikoha nimetus väikese algustähega",
    "teenistuskoht_mitmuses": "ametikoha nimetus mitmuses",
    "struktuuriyksus": "struktuuriüksuse id",
    "ametikoha_grupp": "ametnik või töötaja",
    "vahetu_juht": "vahetu juhi ametikoha id",
    "alluvad": "alluvate ametikohtade loetelu",
    "teenistuja_asendab": "ametikohad, mida teenistuja asendab",
    "teenistuja_asendaja": "ametikohad, mis teenistujat asendavad",
    "eesmark": "teenistuskoha eesmärk",
    "eritingimused": "eritingimuste tekst",
    "ulesanded": "peamised teenistusülesanded",
    "nouded": "teenistuskoha täitjale esitatavad nõuded",
    "oigused_ja_vastutus": "õiguste ja vastutuse klausel",
    "lopurida": "lõpurea klausli id",
}
POST_REF_KEYS = {
    "ametikoht": "ametikoha id",
    "piirang": "avaliku võimu piirangu märge (true/false)",
    "mitmuses": "nimetus mitmuses (true/false)",
    "nimetus": "nimetus, mis näidatakse ametikoha nimetuse asemel",
}
POST_LIST_KEYS = {"ametikohad": "ametikohtade id-d", "tekst": "avaldatud sõnastus"}
DUTY_KEYS = {
    "klausel": "ühise klausli id",
    "parameetrid": "klausli parameetrid",
    "ulesanne": "ülesande tekst",
    "tulemused": "oodatavad tulemused",
}
CLAUSE_REF_KEYS = {"klausel": "klausli id", "parameetrid": "klausli parameetrid"}
CLAUSE_KEYS = {
    "kirjeldus": "mille jaoks klausel on",
    "ulesanne": "ülesande tekst",
    "tulemused": "oodatavad tulemused",
    "read": "read: silt ja punktid",
    "tekst": "klausli tekst",
    "vaikimisi": "parameetrite vaikeväärtused",
}
ROW_KEYS = {"silt": "rea silt", "punktid": "rea punktid"}
DIRECTIVE_KEYS = {
    "pealkiri": "käskkirja pealkiri",
    "number": "käskkirja number (registreerimisel)",
    "kuupaev": "käskkirja kuupäev PP.KK.AAAA (registreerimisel)",
    "oigusalus": "õiguslik alus ilma sõnata \"alusel\"",
    "struktuuriyksus": "struktuuriüksuse id, kelle ametijuhendid kinnitatakse",
    "lisad": "lisade ametikohad järjekorras",
    "kehtetuks_kaotatud_ametikohad": "kaotatud ametikohad, mille ametijuhend tunnistatakse kehtetuks",
    "joustumine": "jõustumine (kuupaev, tagasiulatuvalt)",
    "allkirjastaja": "allkirjastaja (nimi, ametinimetus, alus)",
    "registreerimine": "registri väljad",
}
ENTRY_KEYS = {"kuupaev": "jõustumise kuupäev", "tagasiulatuvalt": "tagasiulatuva rakendamise algus"}
SIGNATORY_KEYS = {
    "nimi": "allkirjastaja nimi",
    "ametinimetus": "allkirjastaja ametinimetus",
    "alus": "asendaja määramise käskkiri õiguslikus aluses",
}
REGISTER_KEYS = {
    "liik": "dokumendi liik",
    "funktsioon": "funktsioon",
    "sari": "sari",
    "toimik": "toimik",
    "juurdepaasupiirang": "juurdepääsupiirang",
    "vastutaja": "vastutaja",
}


def _type_name(value: Any) -> str:
    if isinstance(value, (dict, CommentedMap)):
        return "sõnastik (võti: väärtus)"
    if isinstance(value, (list, CommentedSeq)):
        return "loetelu (- ...)"
    if isinstance(value, bool):
        return "tõeväärtus"
    if isinstance(value, (int, float)):
        return "arv"
    return "tekst"


class Reader:
    """Reads one YAML document into model values, collecting problems instead of stopping."""

    def __init__(self, doc: YamlDoc, problems: list[Problem]):
        self.doc = doc
        self.problems = problems

    # -- places and problems -------------------------------------------------------------------
    def src(self, line0: int | None) -> Source:
        return self.doc.source(line0)

    def key_src(self, mapping: Any, key: str) -> Source:
        return self.src(line_of_key(mapping, key))

    def error(self, source: Source, message: str) -> None:
        self.problems.append(source.problem(message))

    # -- shapes --------------------------------------------------------------------------------
    def mapping(
        self,
        node: Any,
        where: str,
        keys: dict[str, str],
        required: tuple[str, ...] = (),
        at: Source | None = None,
    ) -> CommentedMap | None:
        """Check that `node` is a mapping with known keys and the required ones present."""
        at = at or self.src(line_of(node))
        if not isinstance(node, dict):
            self.error(at, f"{where} peab olema sõnastik (võti: väärtus), aga on {_type_name(node)}.")
            return None
        for key in node:
            if key not in keys:
                near = difflib.get_close_matches(str(key), list(keys), n=1, cutoff=0.6)
                hint = f' Kas mõtlesid "{near[0]}"?' if near else ""
                allowed = ", ".join(keys)
                self.error(
                    self.key_src(node, key),
                    f'tundmatu võti "{key}" ({where}).{hint} Lubatud võtmed: {allowed}.',
                )
        for key in required:
            if key not in node or node[key] is None or node[key] == "":
                self.error(
                    at, f'{where}: puudub kohustuslik võti "{key}" ({keys[key]}). Lisa see.'
                )
        return node

    def text(self, node: Any, key: str, where: str, required: bool = False) -> Text | None:
        if key not in node or node[key] is None:
            return None  # `mapping(required=...)` reported a missing required key
        value = node[key]
        src = self.key_src(node, key)
        if isinstance(value, (dict, list)):
            self.error(src, f'"{key}" ({where}) peab olema tekst, aga on {_type_name(value)}.')
            return None
        return self._text(str(value), src, key)

    def _text(self, value: str, src: Source, key: str) -> Text:
        bad = _BAD_CHARS.search(value)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            self.error(
                src,
                f'väljas "{key}" on juhtmärk {code}, mida Word ei talu (tavaliselt Wordist '
                "kopeeritud tekstiga kaasa tulnud). Kustuta see märk ja kirjuta tekst uuesti.",
            )
        if "\t" in value:
            value = value.replace("\t", " ")
        return Text(value, src)

    def plain(self, node: Any, key: str, where: str) -> str | None:
        t = self.text(node, key, where)
        return t.value if t else None

    def text_list(self, node: Any, key: str, where: str) -> tuple[Text, ...] | None:
        if key not in node or node[key] is None:
            return None
        seq = node[key]
        if isinstance(seq, str):
            return (self._text(seq, self.key_src(node, key), key),)
        if not isinstance(seq, list):
            self.error(self.key_src(node, key), f'"{key}" ({where}) peab olema loetelu.')
            return None
        out = []
        for i, item in enumerate(seq):
            src = self.src(line_of_item(seq, i))
            if isinstance(item, (dict, list)) or item is None:
                self.error(src, f'"{key}" ({where}) {i + 1}. punkt peab olema tekst.')
                continue
            out.append(self._text(str(item), src, key))
        return tuple(out)

    def ident(self, node: Any, key: str, where: str) -> str | None:
        value = self.plain(node, key, where)
        if value is not None and not ID_RE.match(value):
            self.error(
                self.key_src(node, key),
                f'"{key}" ({where}) peab olema id: väikesed ladina tähed, numbrid ja "-" '
                f'(näiteks "kriisitoe-talitus"), aga on "{value}".',
            )
        return value

    def date(self, node: Any, key: str, where: str) -> date | None:
        if key not in node or node[key] is None:
            return None
        value = node[key]
        src = self.key_src(node, key)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        m = DATE_RE.match(str(value))
        if m:
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                pass
        self.error(
            src,
            f'"{key}" ({where}) ei ole kuupäev: "{value}". Kirjuta kuupäev kujul PP.KK.AAAA, '
            "näiteks 07.01.2026.",
        )
        return None

    def flag(self, node: Any, key: str, where: str) -> bool | None:
        if key not in node or node[key] is None:
            return None
        value = node[key]
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("jah", "ja", "true"):
            return True
        if str(value).lower() in ("ei", "false"):
            return False
        self.error(self.key_src(node, key), f'"{key}" ({where}) peab olema true või false.')
        return None

    def params(self, node: Any, key: str, where: str) -> dict[str, Any]:
        if key not in node or node[key] is None:
            return {}
        value = node[key]
        if not isinstance(value, dict):
            self.error(self.key_src(node, key), f'"{key}" ({where}) peab olema sõnastik.')
            return {}
        return {str(k): _plain_value(v) for k, v in value.items()}


def _plain_value(value: Any) -> Any:
    """ruamel containers and scalars → plain Python (for Jinja parameters)."""
    if isinstance(value, dict):
        return {str(k): _plain_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# organisation


def read_organisation(doc: YamlDoc, problems: list[Problem]) -> Organisation | None:
    r = Reader(doc, problems)
    top = r.mapping(doc.data, "organisatsioon", ORGANISATION_KEYS, ("asutus", "juht", "struktuuriyksused"))
    if top is None:
        return None
    agency = head = None
    if isinstance(top.get("asutus"), dict):
        a = r.mapping(top["asutus"], "asutus", AGENCY_KEYS, ("nimetus", "omastav", "kellele"))
        if a is not None:
            agency = Agency(
                name=r.plain(a, "nimetus", "asutus") or "",
                genitive=r.plain(a, "omastav", "asutus") or "",
                allative=r.plain(a, "kellele", "asutus") or "",
                abbreviation=r.plain(a, "lyhend", "asutus") or "",
            )
    elif "asutus" in top:
        r.mapping(top["asutus"], "asutus", AGENCY_KEYS, at=r.key_src(top, "asutus"))
    if isinstance(top.get("juht"), dict):
        h = r.mapping(top["juht"], "juht", HEAD_KEYS, ("ametinimetus", "omastav"))
        if h is not None:
            head = Head(r.plain(h, "ametinimetus", "juht") or "", r.plain(h, "omastav", "juht") or "")
    elif "juht" in top:
        r.mapping(top["juht"], "juht", HEAD_KEYS, at=r.key_src(top, "juht"))
    units: dict[str, Unit] = {}
    raw_units = top.get("struktuuriyksused")
    if raw_units is not None and not isinstance(raw_units, dict):
        r.error(r.key_src(top, "struktuuriyksused"), '"struktuuriyksused" peab olema sõnastik: üksuse id -> nimetus, omastav, kuulub.')
    elif raw_units is not None:
        for uid, unode in raw_units.items():
            where = f"struktuuriüksus {uid}"
            src = r.key_src(raw_units, uid)
            if not ID_RE.match(str(uid)):
                r.error(src, f'struktuuriüksuse id "{uid}" peab koosnema väikestest ladina tähtedest, numbritest ja "-" märgist.')
            u = r.mapping(unode, where, UNIT_KEYS, ("nimetus", "omastav"), at=src)
            if u is None:
                continue
            units[str(uid)] = Unit(
                id=str(uid),
                name=r.plain(u, "nimetus", where) or "",
                genitive=r.plain(u, "omastav", where) or "",
                parent=r.ident(u, "kuulub", where),
                source=src,
            )
        for unit in units.values():
            if unit.parent and unit.parent not in units:
                r.error(unit.source, unknown_reference("struktuuriüksust", unit.parent, units))
    style = Style()
    if top.get("vormistus") is not None:
        s = r.mapping(top["vormistus"], "vormistus", STYLE_KEYS, at=r.key_src(top, "vormistus"))
        if s is not None:
            values = {}
            for key in STYLE_KEYS:
                v = r.plain(s, key, "vormistus")
                if v is not None and v not in ("sidekriips", "kuni"):
                    r.error(r.key_src(s, key), f'"{key}" peab olema "sidekriips" (1-11) või "kuni" (1 kuni 11), aga on "{v}".')
                    v = None
                values[key] = v
            style = Style(
                approval_range=values["lisade_vahemik_kinnitamisel"] or style.approval_range,
                revocation_range=values["lisade_vahemik_kehtetuks"] or style.revocation_range,
            )
    if agency is None or head is None:
        return None
    return Organisation(agency, head, units, style, doc.source(0))


# ---------------------------------------------------------------------------------------------
# clauses


def read_clauses(doc: YamlDoc, problems: list[Problem]) -> dict[str, Clause]:
    r = Reader(doc, problems)
    out: dict[str, Clause] = {}
    top = doc.data
    if not isinstance(top, dict):
        r.error(r.src(0), "klauslifail peab olema sõnastik: klausli id -> klausel.")
        return out
    for cid, node in top.items():
        src = r.key_src(top, cid)
        where = f"klausel {cid}"
        if not ID_RE.match(str(cid)):
            r.error(src, f'klausli id "{cid}" peab koosnema väikestest ladina tähtedest, numbritest ja "-" märgist.')
        c = r.mapping(node, where, CLAUSE_KEYS, at=src)
        if c is None:
            continue
        defaults = r.params(c, "vaikimisi", where)
        description = r.plain(c, "kirjeldus", where) or ""
        kinds = [k for k in ("ulesanne", "read", "tekst") if k in c]
        if len(kinds) != 1:
            r.error(src, f'{where}: klausel peab sisaldama täpselt ühte võtmetest "ulesanne" (ülesanne koos tulemustega), "read" (õigused ja vastutus) või "tekst".')
            continue
        if kinds[0] == "ulesanne":
            text = r.text(c, "ulesanne", where)
            results = r.text_list(c, "tulemused", where) or ()
            if not results:
                r.error(src, f'{where}: ülesandel puuduvad "tulemused". Lisa vähemalt üks oodatav tulemus.')
            if text:
                out[str(cid)] = DutyClause(str(cid), text, results, defaults, src, description)
        elif kinds[0] == "read":
            rows_node = c["read"]
            if not isinstance(rows_node, list):
                r.error(r.key_src(c, "read"), f'{where}: "read" peab olema loetelu ridadest (silt, punktid).')
                continue
            rows = []
            for i, row in enumerate(rows_node):
                rsrc = r.src(line_of_item(rows_node, i))
                rr = r.mapping(row, f"{where} rida {i + 1}", ROW_KEYS, ("silt", "punktid"), at=rsrc)
                if rr is None:
                    continue
                rows.append((r.plain(rr, "silt", where) or "", r.text_list(rr, "punktid", where) or ()))
            out[str(cid)] = RowsClause(str(cid), tuple(rows), defaults, src, description)
        else:
            text = r.text(c, "tekst", where)
            if text:
                out[str(cid)] = TextClause(str(cid), text, defaults, src, description)
    return out


# ---------------------------------------------------------------------------------------------
# posts


def _post_ref(r: Reader, node: Any, src: Source, where: str) -> PostRef | None:
    if isinstance(node, str):
        return PostRef(node.strip(), src)
    m = r.mapping(node, where, POST_REF_KEYS, ("ametikoht",), at=src)
    if m is None or not m.get("ametikoht"):
        return None
    return PostRef(
        post_id=str(m["ametikoht"]).strip(),
        source=src,
        qualifier=r.flag(m, "piirang", where),
        plural=bool(r.flag(m, "mitmuses", where)),
        name=r.plain(m, "nimetus", where),
    )


def _post_ref_list(r: Reader, node: Any, key: str, where: str) -> PostRefList | None:
    if key not in node or node[key] is None:
        return None
    value = node[key]
    src = r.key_src(node, key)
    where = f"{where}, {key}"
    if isinstance(value, str):
        ref = _post_ref(r, value, src, where)
        return PostRefList((ref,) if ref else (), src)
    if isinstance(value, dict) and ("ametikohad" in value or "tekst" in value):
        m = r.mapping(value, where, POST_LIST_KEYS, ("ametikohad", "tekst"), at=src)
        if m is None:
            return None
        refs = _refs(r, m.get("ametikohad") or [], where)
        return PostRefList(refs, src, r.text(m, "tekst", where))
    if isinstance(value, dict):
        ref = _post_ref(r, value, src, where)
        return PostRefList((ref,) if ref else (), src)
    if not isinstance(value, list):
        r.error(src, f'"{key}" ({where}) peab olema ametikoha id või nende loetelu.')
        return None
    return PostRefList(_refs(r, value, where), src)


def _refs(r: Reader, seq: Any, where: str) -> tuple[PostRef, ...]:
    if not isinstance(seq, list):
        r.error(r.src(line_of(seq)), f"{where}: ametikohad peavad olema loetelu.")
        return ()
    out = []
    for i, item in enumerate(seq):
        ref = _post_ref(r, item, r.src(line_of_item(seq, i)), where)
        if ref:
            out.append(ref)
    return tuple(out)


def _clause_ref(r: Reader, node: Any, key: str, where: str) -> ClauseRef | None:
    if key not in node or node[key] is None:
        return None
    value = node[key]
    src = r.key_src(node, key)
    if isinstance(value, str):
        return ClauseRef(value.strip(), src)
    m = r.mapping(value, f"{where}, {key}", CLAUSE_REF_KEYS, ("klausel",), at=src)
    if m is None:
        return None
    return ClauseRef(str(m.get("klausel", "")).strip(), src, r.params(m, "parameetrid", where))


def read_post(doc: YamlDoc, post_id: str, problems: list[Problem]) -> Post | None:
    r = Reader(doc, problems)
    where = f"ametikoht {post_id}"
    if not ID_RE.match(post_id):
        r.error(r.src(None), f'faili nimi "{post_id}.yaml" peab koosnema väikestest ladina tähtedest, numbritest ja "-" märgist (see on ametikoha id).')
    top = r.mapping(doc.data, where, POST_KEYS, ("teenistuskoht", "struktuuriyksus", "ametikoha_grupp"), at=r.src(0))
    if top is None:
        return None
    group = None
    raw_group = r.plain(top, "ametikoha_grupp", where)
    if raw_group is not None:
        norm = raw_group.strip().lower().replace("tootaja", "töötaja")
        if norm in ("ametnik", "töötaja"):
            group = PostGroup(norm)
        else:
            r.error(r.key_src(top, "ametikoha_grupp"), f'"ametikoha_grupp" peab olema "ametnik" või "töötaja", aga on "{raw_group}".')
    duties = []
    raw_duties = top.get("ulesanded")
    if raw_duties is not None:
        if not isinstance(raw_duties, list):
            r.error(r.key_src(top, "ulesanded"), f'"ulesanded" ({where}) peab olema loetelu.')
            raw_duties = []
        for i, dnode in enumerate(raw_duties):
            dsrc = r.src(line_of_item(raw_duties, i))
            dwhere = f"{where}, ülesanne {i + 1}"
            d = r.mapping(dnode, dwhere, DUTY_KEYS, at=dsrc)
            if d is None:
                continue
            if ("klausel" in d) == ("ulesanne" in d):
                r.error(dsrc, f'{dwhere}: kirjuta kas "klausel" (ühine ülesanne) või "ulesanne" (oma tekst), mitte mõlemat ega kumbagi.')
                continue
            results = r.text_list(d, "tulemused", dwhere)
            if "ulesanne" in d:
                if not results:
                    r.error(dsrc, f'{dwhere}: puuduvad "tulemused". Lisa vähemalt üks oodatav tulemus.')
                duties.append(Duty(dsrc, text=r.text(d, "ulesanne", dwhere), results=results))
            else:
                duties.append(Duty(dsrc, clause_id=str(d["klausel"]).strip(), params=r.params(d, "parameetrid", dwhere), results=results))
    requirements = {}
    if top.get("nouded") is not None:
        n = r.mapping(top["nouded"], f"{where}, nouded", {k: v for k, v in REQUIREMENT_LABELS.items()}, at=r.key_src(top, "nouded"))
        if n is not None:
            for key in REQUIREMENT_LABELS:
                t = r.text(n, key, where)
                if t is not None:
                    requirements[key] = t
    post = Post(
        id=post_id,
        title=r.plain(top, "teenistuskoht", where) or "",
        unit=r.ident(top, "struktuuriyksus", where) or "",
        group=group or PostGroup.AMETNIK,
        source=r.src(0),
        title_plural=r.plain(top, "teenistuskoht_mitmuses", where),
        manager=_post_ref_list(r, top, "vahetu_juht", where),
        subordinates=_post_ref_list(r, top, "alluvad", where),
        substitutes_for=_post_ref_list(r, top, "teenistuja_asendab", where),
        substituted_by=_post_ref_list(r, top, "teenistuja_asendaja", where),
        purpose=r.text(top, "eesmark", where),
        special_conditions=r.text(top, "eritingimused", where),
        duties=tuple(duties),
        requirements=requirements,
        rights=_clause_ref(r, top, "oigused_ja_vastutus", where),
        closing=_clause_ref(r, top, "lopurida", where),
    )
    return post if group is not None else None


# ---------------------------------------------------------------------------------------------
# directives


def read_directive(doc: YamlDoc, directive_id: str, problems: list[Problem]) -> Directive | None:
    r = Reader(doc, problems)
    where = f"käskkiri {directive_id}"
    top = r.mapping(doc.data, where, DIRECTIVE_KEYS, ("oigusalus", "struktuuriyksus", "lisad", "allkirjastaja"), at=r.src(0))
    if top is None:
        return None
    annexes: tuple[PostRef, ...] = ()
    if isinstance(top.get("lisad"), list):
        annexes = _refs(r, top["lisad"], f"{where}, lisad")
        if not annexes:
            r.error(r.key_src(top, "lisad"), f"{where}: lisade loetelu on tühi. Lisa vähemalt üks ametikoht.")
    elif top.get("lisad") is not None:
        r.error(r.key_src(top, "lisad"), f'"lisad" ({where}) peab olema ametikohtade loetelu.')
    abolished: tuple[PostRef, ...] = ()
    if top.get("kehtetuks_kaotatud_ametikohad") is not None:
        abolished = _refs(r, top["kehtetuks_kaotatud_ametikohad"], f"{where}, kehtetuks_kaotatud_ametikohad")
    in_force_on = retroactive = None
    if top.get("joustumine") is not None:
        j = r.mapping(top["joustumine"], f"{where}, joustumine", ENTRY_KEYS, at=r.key_src(top, "joustumine"))
        if j is not None:
            in_force_on = r.date(j, "kuupaev", where)
            retroactive = r.date(j, "tagasiulatuvalt", where)
    signatory = None
    if top.get("allkirjastaja") is not None:
        s = r.mapping(top["allkirjastaja"], f"{where}, allkirjastaja", SIGNATORY_KEYS, ("nimi", "ametinimetus"), at=r.key_src(top, "allkirjastaja"))
        if s is not None:
            signatory = Signatory(r.plain(s, "nimi", where) or "", r.plain(s, "ametinimetus", where) or "", r.plain(s, "alus", where))
    register = {}
    if top.get("registreerimine") is not None:
        g = r.mapping(top["registreerimine"], f"{where}, registreerimine", REGISTER_KEYS, at=r.key_src(top, "registreerimine"))
        if g is not None:
            register = {k: r.plain(g, k, where) or "" for k in REGISTER_KEYS if k in g}
    number = None
    if top.get("number") is not None:
        number = str(top["number"]).strip()
    legal_basis = r.text_list(top, "oigusalus", where)
    if signatory is None or not legal_basis:
        return None
    return Directive(
        id=directive_id,
        legal_basis=legal_basis,
        unit=r.ident(top, "struktuuriyksus", where) or "",
        annexes=annexes,
        signatory=signatory,
        source=r.src(0),
        title=r.text(top, "pealkiri", where),
        number=number,
        date=r.date(top, "kuupaev", where),
        abolished=abolished,
        in_force_on=in_force_on,
        retroactive_from=retroactive,
        register=register,
    )

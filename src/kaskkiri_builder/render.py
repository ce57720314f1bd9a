"""Rendering resolved documents into Word files with docxtpl.

An edge of the pipeline: resolved values in, .docx bytes out. The Word templates are the user's
(templates/), so their Jinja runs in the same sandboxed, strict environment as the clauses, with
autoescape on (a `&` or `<` in a value must not corrupt the XML). The bytes are deterministic:
document properties come from the directive, and the zip entries carry a fixed date.

`DIRECTIVE_VARIABLES` and `ANNEX_VARIABLES` say what each context holds; docs/mallid.md is made
from them (tools/gen_docs.py), and tests/test_templates.py keeps them equal to the contexts.
"""

from __future__ import annotations

import functools
import io
import re
import stat
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import TemplateError as JinjaTemplateError
from lxml import etree

from .definitions.model import Letterhead
from .errors import Problem, RenderError, TemplateError
from .logo import logo_bytes
from .resolve import ResolvedAnnex, ResolvedDirective
from .sandbox import TEMPLATE_ENVIRONMENT, RenderLimit
from .template_xml import part_label, repair_template, tag_paragraphs

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

# python-docx and docxtpl (a tenth of a second to import) are imported where a Word file is
# rendered: a build starts LibreOffice before it renders, and needs neither to do so.

DIRECTIVE_TEMPLATE = "kaskkiri.docx"
ANNEX_TEMPLATE = "ametijuhend.docx"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Var:
    """One variable of a template's context: its path ("punktid[].nr" is a field of each item of
    the list `punktid`), its kind and what it holds (Estonian, for docs/mallid.md)."""

    path: str
    kind: str  # "tekst", "tõeväärtus", "number", "pilt", "kirje", "loend"
    doc: str
    loop: str | None = None  # a list's loop variable in the example templates ("punkt")


COMMON_VARIABLES: tuple[Var, ...] = (
    Var("eelnou", "tõeväärtus", "tõene eelnõus (dokument kannab märget EELNÕU), väär lõplikus dokumendis"),
    Var("asutus", "tekst", "asutuse nimi (organisatsioon.yaml: asutus.nimetus)"),
    Var("logo", "pilt", "asutuse logo (organisatsioon.yaml: kirjaplank.logo); tühi, kui logo pole "
        "seadistatud, seega kasuta seda nii: `{%p if logo %}` … `{{ logo }}` … `{%p endif %}`"),
    Var("kirjaplank", "kirje", "jaluse kontaktid (organisatsioon.yaml: kirjaplank); puuduv väli on tühi tekst"),
    Var("kirjaplank.aadress", "tekst", "postiaadress"),
    Var("kirjaplank.telefon", "tekst", "telefon"),
    Var("kirjaplank.e_post", "tekst", "e-posti aadress"),
    Var("kirjaplank.koduleht", "tekst", "veebiaadress"),
    Var("kirjaplank.registrikood", "tekst", "registrikood"),
)

DIRECTIVE_VARIABLES: tuple[Var, ...] = COMMON_VARIABLES + (
    Var("liik", "tekst", "dokumendi liik: KÄSKKIRI"),
    Var("kuupaev_nr", "tekst", 'kuupäev ja number ("07.01.2026 nr 1"; eelnõus "[kuupäev] nr [number]"; '
        "vormistus.number_registreerimisel korral selle sõnastus)"),
    Var("pealkiri", "tekst", "käskkirja pealkiri"),
    Var("preambul", "tekst", 'õiguslik alus, lõpeb sõnaga "alusel"'),
    Var("punktid", "loend", "käskkirja punktid", loop="punkt"),
    Var("punktid[].nr", "tekst", 'punkti number ("1.")'),
    Var("punktid[].tekst", "tekst", "punkti tekst"),
    Var("punktid[].alampunktid", "loend", 'punkti alampunktid tekstidena ("1.1. talituse juhataja (lisa 1);")',
        loop="alampunkt"),
    Var("punktid[].loigud", "loend", "punkti järgmised nummerdamata lõigud tekstidena (näiteks vaideklausel)",
        loop="loik"),
    Var("allkiri", "loend", "allkirjaplokk ridadena: (allkirjastatud digitaalselt), nimi, ametinimetus",
        loop="rida"),
)

ANNEX_VARIABLES: tuple[Var, ...] = COMMON_VARIABLES + (
    Var("pealdis", "loend", "lisa päis ridadena: KINNITATUD, kinnitaja, kuupäev ja number, Lisa N",
        loop="rida"),
    Var("lisa_nr", "number", "lisa number (1, 2, …)"),
    Var("uldosa", "loend", "1. Üldosa read", loop="rida"),
    Var("uldosa[].silt", "tekst", 'rea silt ("Struktuuriüksus", "Alluvad", …)'),
    Var("uldosa[].vaartus", "tekst", 'rea väärtus ("-", kui alluvaid ei ole)'),
    Var("ulesanded", "loend", "2. Peamised teenistusülesanded", loop="ylesanne"),
    Var("ulesanded[].nr", "tekst", 'ülesande number ("2.1.")'),
    Var("ulesanded[].tekst", "tekst", "ülesande tekst"),
    Var("ulesanded[].tulemused", "loend", "oodatavad tulemused tekstidena", loop="tulemus"),
    Var("nouded", "loend", "3. Teenistuskoha täitjale esitatavad nõuded", loop="rida"),
    Var("nouded[].silt", "tekst", 'rea silt ("Haridus", "Teadmised ja oskused", …)'),
    Var("nouded[].vaartus", "tekst", "rea väärtus"),
    Var("oigused_ja_vastutus", "loend", "4. Õigused ja vastutus", loop="rida"),
    Var("oigused_ja_vastutus[].silt", "tekst", 'rea silt ("Õigused", "Vastutus")'),
    Var("oigused_ja_vastutus[].punktid", "loend", "rea punktid tekstidena", loop="punkt"),
    Var("lopurida", "tekst", "ametijuhendi viimane rida (klausel lopurida)"),
)


def letterhead_context(letterhead: Letterhead) -> dict:
    return {
        "aadress": letterhead.address,
        "telefon": letterhead.phone,
        "e_post": letterhead.email,
        "koduleht": letterhead.web,
        "registrikood": letterhead.registry_code,
    }


def directive_context(rd: ResolvedDirective) -> dict:
    """The directive template's variables; "logo" is filled in by `render_docx`."""
    return {
        "eelnou": rd.draft,
        "asutus": rd.agency,
        "logo": None,
        "kirjaplank": letterhead_context(rd.letterhead),
        "liik": rd.kind,
        "kuupaev_nr": rd.date_number,
        "pealkiri": rd.title,
        "preambul": rd.preamble,
        "punktid": [
            {"nr": p.number, "tekst": p.text, "alampunktid": list(p.items), "loigud": list(p.extra)}
            for p in rd.points
        ],
        "allkiri": list(rd.signature),
    }


def annex_context(rd: ResolvedDirective, annex: ResolvedAnnex) -> dict:
    """The annex template's variables; "logo" is filled in by `render_docx`."""
    return {
        "eelnou": rd.draft,
        "asutus": rd.agency,
        "logo": None,
        "kirjaplank": letterhead_context(rd.letterhead),
        "pealdis": list(annex.heading),
        "lisa_nr": annex.number,
        "uldosa": [{"silt": k, "vaartus": v} for k, v in annex.general],
        "ulesanded": [
            {"nr": d.number, "tekst": d.text, "tulemused": list(d.results)} for d in annex.duties
        ],
        "nouded": [{"silt": k, "vaartus": v} for k, v in annex.requirements],
        "oigused_ja_vastutus": [{"silt": k, "punktid": list(v)} for k, v in annex.rights],
        "lopurida": annex.closing,
    }


def _template_name(path: Path) -> str:
    return f"templates/{path.name}"


#: Bounds of a template file: the example's are about 40 KiB, unpacked about 200 KiB.
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_TEMPLATE_UNPACKED = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


def _read_template(template: Path) -> bytes:
    """The template's bytes, once it is known to be a regular .docx of a sane size.

    A folder, a device (a link to /dev/zero), an empty or truncated file and a zip bomb each get
    their own message instead of a hang, an exhausted memory or an internal error.
    """
    name = _template_name(template)

    def fail(what: str) -> TemplateError:
        return TemplateError(Problem(f"{what} Taasta fail (git checkout {name}) või salvesta "
                                     "see Wordis uuesti .docx-vormingus.", name))

    try:
        info = template.stat()
    except FileNotFoundError:
        raise fail("Wordi mall puudub.") from None
    except OSError as exc:
        raise fail(f"Wordi malli ei saa lugeda ({exc.strerror}).") from None
    if not stat.S_ISREG(info.st_mode):
        raise fail("Wordi mall ei ole tavaline fail (see on kaust, seade või toru).")
    if info.st_size > MAX_TEMPLATE_BYTES:
        raise fail(f"Wordi mall on liiga suur ({info.st_size // 1048576} MiB, lubatud 20 MiB).")
    try:
        data = template.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            entries = z.infolist()
    except OSError as exc:
        raise fail(f"Wordi malli ei saa lugeda ({exc.strerror}).") from None
    except zipfile.BadZipFile:
        raise fail("Wordi mall ei ole .docx-fail (tühi, poolik või muu vorming).") from None
    unpacked = sum(e.file_size for e in entries)
    ratio = max((e.file_size / max(e.compress_size, 1) for e in entries), default=0)
    if unpacked > MAX_TEMPLATE_UNPACKED or ratio > MAX_COMPRESSION_RATIO:
        raise fail(f"Wordi mall pakib lahti liiga suureks ({unpacked // 1048576} MiB).")
    return data


#: Word's document properties hold at most 255 characters (python-docx refuses more).
MAX_PROPERTY = 255


def _property_text(text: str) -> str:
    """A title for the document properties: shortened with "…" when longer than Word allows
    (the document's own text keeps it whole)."""
    return text if len(text) <= MAX_PROPERTY else text[: MAX_PROPERTY - 1].rstrip() + "…"


@dataclass(frozen=True)
class Logo:
    """The letterhead's logo for one build: the image's bytes and its height on the page."""

    data: bytes
    height_mm: int


def render_docx(template: Path, context: dict, *, title: str, subject: str, author: str,
                created: datetime | None, logo: Logo | None = None) -> bytes:
    """Render one template with `context` and return deterministic .docx bytes."""
    name = _template_name(template)
    data = _read_template(template)
    try:
        data = _repaired(data)
        from docx.shared import Mm
        from docxtpl import DocxTemplate, InlineImage

        tpl = DocxTemplate(io.BytesIO(data))
        _check_names(data, context, name)
        if logo is not None:
            context = {**context, "logo": InlineImage(tpl, io.BytesIO(logo.data), height=Mm(logo.height_mm))}
        tpl.render(context, jinja_env=TEMPLATE_ENVIRONMENT, autoescape=True)
    except TemplateSyntaxError as exc:
        raise TemplateError(Problem(
            f"Jinja süntaksiviga Wordi mallis: {exc.message}{_where_syntax(exc)}. Ava mall Wordis ja "
            "paranda silt (iga {{ peab olema suletud }}-ga, iga {% for %} {% endfor %}-ga; silt peab "
            "olema ühes lõigus ja ühes vormingus, vt docs/mallid.md).", name)) from None
    except UndefinedError as exc:
        message = exc.message or ""
        raise TemplateError(_unknown_problem(_undefined_name(message), data, context, name,
                                             field="attribute" in message)) from None
    except RenderLimit as exc:
        raise TemplateError(Problem(f"Wordi malli piirang: {exc} Lihtsusta malli silte.", name)) from None
    except RecursionError:
        raise TemplateError(
            Problem("Wordi malli makro kutsub ennast liiga sügavalt. Lihtsusta malli silte.", name)
        ) from None
    except JinjaTemplateError as exc:
        raise TemplateError(Problem(f"Jinja viga Wordi mallis: {exc}.", name)) from None
    except ValueError as exc:  # lxml: a string that XML cannot hold
        raise RenderError(Problem(
            f"tekstis on märk, mida Word ei talu ({exc}). Eemalda juhtmärgid definitsioonidest.", name)) from None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise TemplateError(
            Problem(f"Wordi mall on rikutud ({exc}). Salvesta see Wordis uuesti .docx-vormingus.", name)
        ) from None
    return _finish(tpl, title=title, subject=subject, author=author, created=created)


# A directive's annexes all render one template: what depends on its bytes alone is done once.
@functools.lru_cache(maxsize=8)
def _repaired(data: bytes) -> bytes:
    return repair_template(data)


@functools.lru_cache(maxsize=8)
def _template_variables(data: bytes) -> frozenset[str] | None:
    """The variables the template's tags name (None: a syntax error, which the render reports)."""
    try:
        from docxtpl import DocxTemplate

        names = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(jinja_env=TEMPLATE_ENVIRONMENT)
    except TemplateSyntaxError:
        return None
    return frozenset(names)


def _check_names(data: bytes, context: dict, name: str) -> None:
    """Refuse a template that names a variable the context lacks, before it renders: the message
    quotes the paragraph that holds the tag, so the user finds it in Word."""
    names = _template_variables(data)
    unknown = sorted(names - context.keys()) if names is not None else []
    if unknown:
        raise TemplateError([_unknown_problem(n, data, context, name) for n in unknown])


_QUOTED = re.compile(r"'([^']+)'")


def _undefined_name(message: str) -> str:
    """The name in Jinja's "'x' is undefined" or "'dict object' has no attribute 'x'"."""
    names = _QUOTED.findall(message)
    return names[-1] if names else message


def _unknown_problem(unknown: str, data: bytes, context: dict, name: str, *, field: bool = False) -> Problem:
    """Where the unknown name stands (the paragraphs' text, as Word shows it) and what is known."""
    places = _paragraphs_naming(data, unknown)
    where = "; ".join(f'{part_label(part)}, lõik "{_cut(text)}"' for part, text in places[:3])
    known = ", ".join(sorted(context))
    what = f'tundmatut välja ".{unknown}"' if field else f'tundmatut muutujat "{unknown}"'
    return Problem(
        f"Wordi mall kasutab {what}" + (f" ({where})" if where else "") + ". Paranda silt Wordis: kasuta "
        f"ainult malli muutujaid ({known}) ja nende välju (loetelu: docs/mallid.md).", name)


def _paragraphs_naming(data: bytes, unknown: str) -> list[tuple[str, str]]:
    """(part, paragraph text) of each paragraph with a tag that names `unknown`."""
    pattern = re.compile(rf"(?<![\w]){re.escape(unknown)}(?!\w)")
    try:
        return [(part, text) for part, text, tags in tag_paragraphs(data) if any(pattern.search(t) for t in tags)]
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return []


def _where_syntax(exc: TemplateSyntaxError) -> str:
    """The text of the paragraph where Jinja stopped, as docxtpl reports it (one paragraph a line)."""
    lines = [line.strip() for line in getattr(exc, "docx_context", ()) or ()]
    line = lines[3] if len(lines) > 3 and (exc.lineno or 0) > 4 else next((x for x in lines if x), "")
    return f' (lõik "{_cut(line)}")' if line else ""


def _cut(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _finish(tpl: DocxTemplate, *, title: str, subject: str, author: str, created: datetime | None) -> bytes:
    """The rendered document with its properties set from the directive, as deterministic bytes."""
    props = tpl.docx.core_properties
    props.title = _property_text(title)
    props.subject = _property_text(subject)
    props.author = _property_text(author)
    props.last_modified_by = _property_text(author)
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.category = ""
    if created is not None:
        props.created = created
        props.modified = created
        props.last_printed = created
    return _zipped(_members(tpl), drop_dates=created is None)


class _Members:
    """python-docx's physical package writer, keeping the members instead of zipping them."""

    def __init__(self) -> None:
        self.items: list[tuple[str, bytes]] = []

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.items.append((pack_uri.membername, blob))

    def close(self) -> None:
        pass


def _members(tpl: DocxTemplate) -> list[tuple[str, bytes]]:
    """The package's members, in the order DocxTemplate.save writes them (python-docx's
    OpcPackage.save and PackageWriter.write, whose steps these are), unzipped: `_zipped`
    compresses each once. Saving through python-docx compressed every member, and
    `_zipped` read them back and compressed them again: a fifth of an annex's rendering."""
    # docxtpl's picture and member replacements happen in its save(); kaskkiri asks for none.
    assert not (tpl.pics_to_replace or tpl.crc_to_new_media or tpl.crc_to_new_embedded
                or tpl.zipname_to_replace), "docxtpl replacements are not written by _members"
    from docx.opc.phys_pkg import PhysPkgWriter
    from docx.opc.pkgwriter import PackageWriter

    package = tpl.docx.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    members = _Members()
    PackageWriter._write_content_types_stream(members, parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(cast(PhysPkgWriter, members), parts)  # it needs write() only
    return members.items


def _zipped(members: list[tuple[str, bytes]], drop_dates: bool) -> bytes:
    """The Word file: fixed entry dates and modes (and no clock-made core dates in a draft)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, payload in members:
            if drop_dates and name == "docProps/core.xml":
                payload = _drop_core_dates(payload)
            zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, payload)
    return out.getvalue()


def _drop_core_dates(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for el in list(root):
        if etree.QName(el).localname in ("created", "modified", "lastPrinted"):
            root.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _logo(rd: ResolvedDirective, templates: Path) -> Logo | None:
    """The configured logo, read from the project whose templates these are."""
    data = logo_bytes(templates.parent, rd.letterhead)
    return None if data is None else Logo(data, rd.letterhead.logo_height)


@dataclass(frozen=True)
class Document:
    """Everything one Word file is rendered from: a template, its context and the properties.

    Equal documents (and equal template and logo bytes) render to equal bytes, which is what
    render_cache.py keys on."""

    template: Path
    context: dict
    title: str
    subject: str
    author: str
    created: datetime | None
    logo: Logo | None

    def render(self) -> bytes:
        return render_docx(self.template, self.context, title=self.title, subject=self.subject,
                           author=self.author, created=self.created, logo=self.logo)


def _created(rd: ResolvedDirective) -> datetime | None:
    return datetime.combine(rd.shown_date, datetime.min.time()) if rd.shown_date else None


def directive_document(rd: ResolvedDirective, templates: Path) -> Document:
    return Document(templates / DIRECTIVE_TEMPLATE, directive_context(rd), rd.document_title,
                    "Käskkiri", rd.agency, _created(rd), _logo(rd, templates))


def annex_document(rd: ResolvedDirective, annex: ResolvedAnnex, templates: Path) -> Document:
    return Document(templates / ANNEX_TEMPLATE, annex_context(rd, annex), annex.document_title,
                    rd.document_title, rd.agency, _created(rd), _logo(rd, templates))


def render_directive(rd: ResolvedDirective, templates: Path) -> bytes:
    return directive_document(rd, templates).render()


def render_annex(rd: ResolvedDirective, annex: ResolvedAnnex, templates: Path) -> bytes:
    return annex_document(rd, annex, templates).render()

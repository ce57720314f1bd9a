"""Rendering resolved documents into Word files with docxtpl.

An edge of the pipeline: resolved values in, .docx bytes out. The Word templates are the user's
(templates/), so their Jinja runs in the same sandboxed, strict environment as the clauses, with
autoescape on (a `&` or `<` in a value must not corrupt the XML). The bytes are deterministic:
document properties come from the directive, and the zip entries carry a fixed date.
"""

from __future__ import annotations

import io
import stat
import zipfile
from datetime import datetime
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import TemplateError as JinjaTemplateError
from lxml import etree

from .errors import Problem, RenderError, TemplateError
from .resolve import ResolvedAnnex, ResolvedDirective
from .sandbox import TEMPLATE_ENVIRONMENT, RenderLimit

DIRECTIVE_TEMPLATE = "kaskkiri.docx"
ANNEX_TEMPLATE = "ametijuhend.docx"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def directive_context(rd: ResolvedDirective) -> dict:
    return {
        "eelnou": rd.draft,
        "asutus": rd.agency,
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
    return {
        "eelnou": rd.draft,
        "asutus": rd.agency,
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


def render_docx(template: Path, context: dict, *, title: str, subject: str, author: str,
                created: datetime | None) -> bytes:
    """Render one template with `context` and return deterministic .docx bytes."""
    data = _read_template(template)
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.render(context, jinja_env=TEMPLATE_ENVIRONMENT, autoescape=True)
    except TemplateSyntaxError as exc:
        raise TemplateError(
            Problem(
                f"Jinja süntaksiviga Wordi mallis: {exc.message}. Ava mall Wordis ja paranda "
                "silt (iga {{ peab olema suletud }}-ga, iga {% for %} {% endfor %}-ga; silt peab "
                "olema ühes vormingus, ilma vahepealse vormingumuutuseta).",
                _template_name(template),
            )
        ) from None
    except UndefinedError as exc:
        known = ", ".join(sorted(context))
        raise TemplateError(
            Problem(
                f"Wordi mall kasutab tundmatut muutujat: {exc.message}. Kasuta ainult "
                f"olemasolevaid: {known}.",
                _template_name(template),
            )
        ) from None
    except RenderLimit as exc:
        raise TemplateError(
            Problem(f"Wordi malli piirang: {exc} Lihtsusta malli silte.", _template_name(template))
        ) from None
    except RecursionError:
        raise TemplateError(
            Problem("Wordi malli makro kutsub ennast liiga sügavalt. Lihtsusta malli silte.",
                    _template_name(template))
        ) from None
    except JinjaTemplateError as exc:
        raise TemplateError(Problem(f"Jinja viga Wordi mallis: {exc}.", _template_name(template))) from None
    except ValueError as exc:  # lxml: a string that XML cannot hold
        raise RenderError(
            Problem(
                f"tekstis on märk, mida Word ei talu ({exc}). Eemalda juhtmärgid definitsioonidest.",
                _template_name(template),
            )
        ) from None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise TemplateError(
            Problem(f"Wordi mall on rikutud ({exc}). Salvesta see Wordis uuesti .docx-vormingus.",
                    _template_name(template))
        ) from None
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
    buf = io.BytesIO()
    tpl.save(buf)
    return _normalise_zip(buf.getvalue(), drop_dates=created is None)


def _normalise_zip(data: bytes, drop_dates: bool) -> bytes:
    """Rewrite the zip with fixed entry dates (and no clock-made core dates in a draft)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if drop_dates and info.filename == "docProps/core.xml":
                payload = _drop_core_dates(payload)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
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


def render_directive(rd: ResolvedDirective, templates: Path) -> bytes:
    created = datetime.combine(rd.shown_date, datetime.min.time()) if rd.shown_date else None
    return render_docx(
        templates / DIRECTIVE_TEMPLATE,
        directive_context(rd),
        title=rd.document_title,
        subject="Käskkiri",
        author=rd.agency,
        created=created,
    )


def render_annex(rd: ResolvedDirective, annex: ResolvedAnnex, templates: Path) -> bytes:
    created = datetime.combine(rd.shown_date, datetime.min.time()) if rd.shown_date else None
    return render_docx(
        templates / ANNEX_TEMPLATE,
        annex_context(rd, annex),
        title=annex.document_title,
        subject=rd.document_title,
        author=rd.agency,
        created=created,
    )

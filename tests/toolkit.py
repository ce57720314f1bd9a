"""The tests' one toolkit: the CLI runner, tree snapshots, the small project, the reference text.

conftest.py turns the parts that need set-up into fixtures; test modules import the rest from
here (`from toolkit import ...`).
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

import kaskkiri_builder

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE = FIXTURES / "ska-2026-01-nr1.txt"
#: The example's draft: what an HR specialist edits (the signed 2026-01 rebuilds from its archive).
DRAFT = "2026-02"

# The domain rule's wording, written out here (not taken from the code under test); a test in
# test_resolve.py checks that the reference text carries it.
QUALIFIER = "(ülesannete ulatuses, mis ei seisne avaliku võimu teostamises)"


# --- the example project -----------------------------------------------------------------------


def copy_example(dest: Path) -> Path:
    """A copy of the example (definitions, templates, archive) that a test may change freely."""
    for part in ("definitions", "templates", "arhiiv"):
        shutil.copytree(ROOT / part, dest / part)
    return dest


def empty_project(dest: Path, clauses: bool = False) -> Path:
    """A project with only organisatsioon.yaml and the templates (and the example's clauses):
    where an agency starts before `kaskkiri import`."""
    (dest / "definitions").mkdir(parents=True)
    shutil.copy(ROOT / "definitions/organisatsioon.yaml", dest / "definitions/organisatsioon.yaml")
    shutil.copytree(ROOT / "templates", dest / "templates")
    if clauses:
        shutil.copytree(ROOT / "definitions/klauslid", dest / "definitions/klauslid")
    return dest


def built_texts(project: Path, directive: str) -> tuple[str, dict[int, str]]:
    """The folded Word text of a build in output/: the directive's and each annex's by number
    (read as test_fidelity.py reads the example's)."""
    from kaskkiri_builder.docx_text import docx_text

    folder = project / "output" / directive
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    annexes = {f["annex"]: fold(docx_text(folder / f["path"])) for f in manifest["files"] if f["role"] == "annex"}
    return fold(docx_text(folder / "kaskkiri.docx")), annexes


# --- the command line --------------------------------------------------------------------------

# The subprocess runs the package this test process imported, whatever PYTHONPATH said.
_SRC = str(Path(kaskkiri_builder.__file__).resolve().parent.parent)


@dataclass(frozen=True)
class Run:
    """What one `kaskkiri` run gave back."""

    code: int
    stdout: str
    stderr: str


def cli(project: Path, *args: str, code: int | None = 0, env: dict[str, str] | None = None,
        allow_traceback: bool = False) -> Run:
    """Run `python -m kaskkiri_builder ARGS` in `project`.

    Asserts the exit code (`code=None`: any) and, unless allowed, that the run ended without a
    traceback or the CLI's one-line "Sisemine viga" (an unexpected exception of ours).
    """
    paths = [_SRC, *filter(None, [os.environ.get("PYTHONPATH")])]
    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), **(env or {})}
    p = subprocess.run([sys.executable, "-m", "kaskkiri_builder", *args], cwd=project,
                       capture_output=True, text=True, env=full_env)
    run = Run(p.returncode, p.stdout, p.stderr)
    shown = f"kaskkiri {' '.join(args)} → {run.code}\n--- stdout\n{run.stdout}\n--- stderr\n{run.stderr}"
    if code is not None:
        assert run.code == code, shown
    if not allow_traceback:
        assert "Traceback" not in run.stdout + run.stderr, shown
        assert "Sisemine viga" not in run.stderr, shown
    return run


def libreoffice_timeout(seconds: float) -> str:
    """The message a conversion that ran out of time ends with (LibreOffice said nothing)."""
    return (
        f"LibreOffice ei lõpetanud PDF-ide tegemist {seconds:g} sekundi jooksul ja peatati. Proovi "
        "uuesti; kui see kordub, ava .docx-failid LibreOffice'is käsitsi ja vaata, kas mõni neist "
        "on katki, või suurenda ajapiirangut."
    )


# --- files -------------------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder`: relative path → sha256 (compare two to assert "nothing changed").
    Symbolic links are not followed: a link is not a file of the folder. The project's lock file
    is kaskkiri's bookkeeping (who runs now), not content, and is left out."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.name != ".kaskkiri.lock"
    }


def fails_cleanly(project: Path, expect: list[str], code: int = 2) -> str:
    """A build of the draft that must fail: each expected text in its messages, the exit code,
    and nothing changed (output, definitions, no staging folder left). Returns stderr."""
    out_before = tree(project / "output")
    defs_before = tree(project / "definitions")
    r = cli(project, "build", DRAFT, "--ainult-word", code=code)
    for text in expect:
        assert text in r.stderr, f"{text!r} not in:\n{r.stderr}"
    assert tree(project / "output") == out_before, "the previous output changed"
    assert tree(project / "definitions") == defs_before, "the definitions changed"
    leftovers = [p.name for p in (project / "output").iterdir() if p.name.startswith(".")]
    assert leftovers == [], f"staging folders left behind: {leftovers}"
    return r.stderr


def line_of(path: Path, pattern: str) -> int:
    """1-based number of the first line of `path` that matches the regular expression."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.search(pattern, line):
            return i
    raise AssertionError(f"{pattern!r} not in {path}")


# --- the small project -------------------------------------------------------------------------
#
# Three posts of one unit that agree with each other, and a directive approving all three. The
# clean project has no findings (test_checks_run.py), so whatever a test finds comes from its
# change: a test takes `small_project()`, changes the one thing it is about and writes or loads it.

_ORGANISATION: dict[str, Any] = {
    "asutus": {
        "nimetus": "Sotsiaalkindlustusamet",
        "omastav": "Sotsiaalkindlustusameti",
        "kellele": "Sotsiaalkindlustusametile",
        "lyhend": "SKA",
    },
    "juht": {"ametinimetus": "peadirektor", "omastav": "peadirektori"},
    "struktuuriyksused": {
        "osakond": {"nimetus": "ohvriabi osakond", "omastav": "ohvriabi osakonna"},
        "talitus": {"nimetus": "kriisitoe talitus", "omastav": "kriisitoe talituse", "kuulub": "osakond"},
        "muu": {"nimetus": "personalitalitus", "omastav": "personalitalituse"},
    },
    "vormistus": {"lisade_vahemik_kinnitamisel": "kuni", "lisade_vahemik_kehtetuks": "kuni"},
}

_CLAUSES: dict[str, Any] = {
    "uhekordsed": {
        "ulesanne": "Vahetu juhi antud muude ühekordsete ülesannete {{ tegevus }}.",
        "tulemused": ["Ülesanded on täidetud nõuetekohaselt ja tähtaegselt."],
        "vaikimisi": {"tegevus": "täitmine"},
    },
    "kirjad": {
        "ulesanne": (
            "Kirjade ja dokumentide kavandite koostamine isikutele, ministeeriumidele, teistele "
            "ametitele, ettevõtetele ja institutsioonidele."
        ),
        "tulemused": ["Kavandid on koostatud korrektselt ja tähtaegselt vastavalt kehtestatud nõuetele."],
    },
    "oigused": {
        "read": [
            {"silt": "Õigused", "punktid": ["teha kaugtööd kokkuleppel vahetu juhiga;", "vastu võtta otsuseid oma pädevuse piires."]},
            {"silt": "Vastutus", "punktid": ["ameti maine hoidmise eest enda poolt vahendatavas teabes ja oma tegevustes."]},
        ],
    },
    "lopurida": {"tekst": "Ametijuhend vaadatakse üle kord aastas vahetu juhiga või töökorralduse muutumisel."},
}


def _full_post(title: str, group: str, **lists: Any) -> dict[str, Any]:
    return {
        "teenistuskoht": title,
        "struktuuriyksus": "talitus",
        "ametikoha_grupp": group,
        **lists,
        "eesmark": f"Teenistuskoha {title} eesmärk on teenuse korraldamine.",
        "ulesanded": [
            {"ulesanne": f"Teenuse korraldamine ametikohal {title}.", "tulemused": ["Teenus on korraldatud."]},
            {"klausel": "kirjad"},
            {"klausel": "uhekordsed"},
        ],
        "nouded": {
            "haridus": "Kõrgharidus",
            "erialane_tookogemus": "Vähemalt 2-aastane töökogemus.",
            "keeleoskus": "Eesti keele oskus vähemalt tasemel C1. Inglise keele oskus tasemel B2.",
            "teadmised_ja_oskused": "Hea suhtlemisoskus.",
            "isikuomadused": "Hoolivus, asjatundlikkus",
        },
        "oigused_ja_vastutus": "oigused",
    }


def small_project() -> dict[str, Any]:
    """The clean project as data: organisation, clauses, posts, directive "d1", no ledger.

    Posts: juht (talituse juhataja, ametnik; manages spets and noustaja), spets (spetsialist,
    ametnik; juht and spets substitute each other), noustaja (nõustaja, töötaja), and
    osakonna-juhataja (juht's manager, a short post that no annex approves).
    """
    posts = {
        "juht": _full_post("talituse juhataja", "ametnik", vahetu_juht="osakonna-juhataja",
                           alluvad=["spets", "noustaja"], teenistuja_asendab=["spets"],
                           teenistuja_asendaja=["spets"]),
        "spets": _full_post("spetsialist", "ametnik", vahetu_juht="juht", alluvad=[],
                            teenistuja_asendab=["juht"], teenistuja_asendaja=["juht"]),
        "noustaja": _full_post("nõustaja", "töötaja", vahetu_juht="juht", alluvad=[],
                               teenistuja_asendab=[], teenistuja_asendaja=[]),
        "osakonna-juhataja": {"teenistuskoht": "osakonna juhataja", "struktuuriyksus": "osakond",
                              "ametikoha_grupp": "ametnik"},
    }
    directive = {
        "oigusalus": ["Avaliku teenistuse seaduse § 52 lõigete 1 ja 2"],
        "struktuuriyksus": "talitus",
        "lisad": ["juht", "spets", "noustaja"],
        "allkirjastaja": {"nimi": "Maret Maripuu", "ametinimetus": "peadirektor"},
    }
    return {
        "organisation": copy.deepcopy(_ORGANISATION),
        "clauses": copy.deepcopy(_CLAUSES),
        "posts": posts,
        "directives": {"d1": directive},
        "ledger": None,
    }


def dump_yaml(data: Any) -> str:
    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    y.allow_unicode = True
    y.width = 4096
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def write_project(root: Path, project: dict[str, Any], *, templates: bool = False) -> Path:
    """Write the project's files under root/definitions (and the Word templates if asked);
    returns the definitions folder."""
    d = root / "definitions"
    for sub in ("ametikohad", "klauslid", "kaskkirjad"):
        (d / sub).mkdir(parents=True, exist_ok=True)
    files = {
        "organisatsioon.yaml": project["organisation"],
        "klauslid/klauslid.yaml": project["clauses"],
        **{f"ametikohad/{pid}.yaml": post for pid, post in project["posts"].items()},
        **{f"kaskkirjad/{did}.yaml": dd for did, dd in project["directives"].items()},
    }
    if project.get("ledger") is not None:
        files["ajalugu.yaml"] = project["ledger"]
    for rel, data in files.items():
        (d / rel).write_text(dump_yaml(data), encoding="utf-8")
    if templates and not (root / "templates").exists():
        shutil.copytree(ROOT / "templates", root / "templates")
    return d


def load_project(root: Path, project: dict[str, Any]):
    """Write the project and load it with the real loader."""
    from kaskkiri_builder.definitions import load_definitions

    return load_definitions(write_project(root, project))


def kinds(findings) -> list[str]:
    return [f.kind for f in findings]


# --- the reference text (the published directive 07.01.2026 nr 1) ------------------------------


def fold(text: str) -> str:
    """Whitespace folded: every run of white space becomes one space."""
    return re.sub(r"\s+", " ", text).strip()


_HEADING = re.compile(
    r"KINNITATUD\s+Sotsiaalkindlustusameti\s+peadirektori\s+07\.01\.2026\s+käskkirjaga\s+nr\s+1\s+Lisa\s+(\d+)"
)


@cache
def reference_parts() -> tuple[str, dict[int, str]]:
    """The reference split into the directive's text and each annex's text (heading included),
    as the register extracted it (see `in_column_order` for the annexes)."""
    text = REFERENCE.read_text(encoding="utf-8")
    lines = [row for row in text.splitlines() if not row.startswith("|")]  # the register's tables
    body = "\n".join(lines)
    start = body.index("KÄSKKIRI")
    matches = list(_HEADING.finditer(body))
    directive = body[start : matches[0].start()]
    annexes = {}
    for m, nxt in zip(matches, matches[1:] + [None], strict=True):
        annexes[int(m.group(1))] = body[m.start() : nxt.start() if nxt else len(body)]
    return fold(directive), {n: fold(t) for n, t in annexes.items()}


# (annex, text as the register extracted it, the same text in column order). Each one is a
# place where a duty's text continues after the first line of its results in the extraction.
INTERLEAVED: list[tuple[int, str, str]] = [
    # Lisa 1, duty 2.10: the first result line sits inside the duty's text.
    (
        1,
        'oskuste ja pädevuste Kriiside korral on talituse töö korraldatud. piires vastavalt osakonna juhataja antud korraldustele ja oma talituse töö korraldamine kriisis.',
        'oskuste ja pädevuste piires vastavalt osakonna juhataja antud korraldustele ja oma talituse töö korraldamine kriisis. Kriiside korral on talituse töö korraldatud.',
    ),
    # Lisa 5, duty 2.3: the duty's last words follow its first two results.
    (
        5,
        'et tagada koolituste kvaliteet Koolitajad saavad vajalikku metoodilist ja praktilist tuge, et läbi viia kvaliteetseid psühholoogilise esmaabi koolitusi. Osalejate praktilised oskused ja teadmised psühholoogilise esmaabi pakkumisel on paranenud. ja sihtrühmade vajadustele vastav tulemus.',
        'et tagada koolituste kvaliteet ja sihtrühmade vajadustele vastav tulemus. Koolitajad saavad vajalikku metoodilist ja praktilist tuge, et läbi viia kvaliteetseid psühholoogilise esmaabi koolitusi. Osalejate praktilised oskused ja teadmised psühholoogilise esmaabi pakkumisel on paranenud.',
    ),
    # Lisa 6, duty 2.6: the duty's last words follow its results.
    (
        6,
        'psühholoogilise kriisivalmiduse Avalikkuse ja partnerite teadlikkust on tõstetud psühholoogilise esmaabi olulisusest. Koolituste kajastamiseks on sisend antud. Koolituste teavitustegevused ellu viidud. tõstmiseks teavitus- ja ennetustegevuste korraldamine.',
        'psühholoogilise kriisivalmiduse tõstmiseks teavitus- ja ennetustegevuste korraldamine. Avalikkuse ja partnerite teadlikkust on tõstetud psühholoogilise esmaabi olulisusest. Koolituste kajastamiseks on sisend antud. Koolituste teavitustegevused ellu viidud.',
    ),
]


def reference_annex(annex: int) -> str:
    """The reference text of one annex, folded, with the two table columns back in order."""
    text = reference_parts()[1][annex]
    for n, extracted, ordered in INTERLEAVED:
        if n == annex:
            assert fold(extracted) in text, f"exception for Lisa {annex} no longer applies"
            text = text.replace(fold(extracted), fold(ordered))
    return text


def text_diff(expected: str, actual: str) -> str:
    """The first differing words of two folded texts, with a little context (for messages)."""
    e, a = expected.split(" "), actual.split(" ")
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, e, a, autojunk=False).get_opcodes():
        if tag != "equal":
            ctx = " ".join(e[max(0, i1 - 6) : i1])
            out.append(f"…{ctx} [reference: {' '.join(e[i1:i2])!r} | got: {' '.join(a[j1:j2])!r}]")
    return "\n".join(out[:10])


def reference_spots():
    """The whole reference, one text-check spot per line, with the annex each line belongs to."""
    from kaskkiri_builder.checks.findings import TextSpot

    spots, annex = [], None
    for number, line in enumerate(REFERENCE.read_text(encoding="utf-8").splitlines(), start=1):
        m = re.search(r"\bLisa (\d+)\s*$", line)
        if m:
            annex = int(m.group(1))
        spots.append(TextSpot(line, file=REFERENCE.name, line=number, annex=annex))
    return spots


# --- small Word files --------------------------------------------------------------------------

ESTONIAN = "Õunapuu äärel öösel üritas šokolaadi žürii"  # õäöüšž must survive fonts and text layer


def make_docx(path: Path, heading: str, pages: int = 1) -> Path:
    """A small Word file: a heading, then `pages` pages of Estonian text ("lk N")."""
    from docx import Document

    doc = Document()
    doc.add_heading(heading, level=0)
    for i in range(pages):
        if i:
            doc.add_page_break()
        doc.add_paragraph(f"{heading}: {ESTONIAN} (lk {i + 1}).")
    doc.save(path)
    return path


# --- signing, as the director does in DigiDoc4 ----------------------------------------------


def signing_key(folder: Path, name: str = "MAASIKAS,MARI,48001010000") -> tuple[Path, str]:
    """A throw-away PKCS#12 key and self-signed certificate whose name is an Estonian ID card's
    (SURNAME,GIVEN NAME,PERSONAL CODE): (the .p12 file, its password)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "EE"),
                         x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .sign(key, hashes.SHA256()))
    password = "test"
    p12 = folder / "allkirjastaja.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"allkirjastaja", key, cert, None, BestAvailableEncryption(password.encode())))
    return p12, password


def sign_container(unsigned: Path, signed: Path, key: tuple[Path, str]) -> Path:
    """`unsigned` signed with `key` (profile BES, offline) into `signed`: a real ASiC-E container,
    as DigiDoc4 would save it (without the time-stamp, which needs the network)."""
    from kaskkiri_builder.digidoc import library

    lib = library()
    shutil.copyfile(unsigned, signed)
    container = lib.Container.open(str(signed))
    signer = lib.PKCS12Signer(str(key[0]), key[1])
    signer.set_profile("BES")
    container.sign(signer)
    container.save()
    return signed


# --- PDFs ---------------------------------------------------------------------------------------

XMP = b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>' \
      b'<?xpacket end="w"?>'


def lo_like_pdf(*, bold_first: bool, text: bytes = b"Kaskkiri", checksum: str = "AB") -> bytes:
    """A PDF shaped as LibreOffice writes one: two fonts whose objects come in either order
    (and are numbered so), a /DocChecksum of that order, an unfiltered XMP stream, a file /ID."""
    regular = b"<</Type/Font/Subtype/Type1/BaseFont/CAAAAA+Carlito>>"
    bold = b"<</Type/Font/Subtype/Type1/BaseFont/BAAAAA+Carlito-Bold>>"
    fonts = [bold, regular] if bold_first else [regular, bold]
    f_bold, f_regular = (6, 7) if bold_first else (7, 6)
    content = b"BT /F1 12 Tf 10 10 Td (" + text + b") Tj /F2 12 Tf (!) Tj ET"
    bodies = {
        1: b"<</Type/Catalog/Pages 2 0 R/Metadata 8 0 R>>",
        2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R/Resources 5 0 R>>",
        4: b"<</Length %d>>\nstream\n" % len(content) + content + b"\nendstream",
        5: b"<</Font<</F1 %d 0 R/F2 %d 0 R>>>>" % (f_bold, f_regular),
        6: fonts[0],
        7: fonts[1],
        8: b"<</Type/Metadata/Subtype/XML/Length %d>>\nstream\n" % len(XMP) + XMP + b"\nendstream",
        9: b"<</Producer(LibreOffice 7.4)>>",
    }
    out = bytearray(b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(bodies):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + bodies[n] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in sorted(bodies))
    out += (b"trailer\n<</Size %d/Root 1 0 R/Info 9 0 R/ID[<00112233445566778899AABBCCDDEEFF>"
            b"<00112233445566778899AABBCCDDEEFF>]/DocChecksum/%s>>\nstartxref\n%d\n%%%%EOF\n"
            % (len(bodies) + 1, checksum.encode(), xref))
    return bytes(out)

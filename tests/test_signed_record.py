"""Recording the signed container: `kaskkiri record <id> --konteiner allkirjastatud.asice`.

Real parts: the final build is made by LibreOffice, the container is signed by libdigidocpp with
a throw-away PKCS#12 key (profile BES, offline), and record reads it back with libdigidocpp.
A container that is not the final build, signed, is refused with its own message and nothing
changed: definitions, ledger, archive and output byte-identical.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from kaskkiri_builder.container_check import (
    ContainedSignature,
    is_broken,
    signer_name,
)
from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.digidoc import library
from toolkit import DRAFT, cli, copy_example, sign_container, signing_key, tree

FINAL = ("--nr", "12", "--kuupaev", "20.01.2026")
CONTAINER = f"kaskkiri-{DRAFT}.asice"


@dataclass(frozen=True)
class Signing:
    project: Path  # the example with the final build of the draft in output/ (not to be changed)
    signed: Path  # its container, signed
    draft_container: Path  # the draft's container (EELNÕU), unsigned
    key: tuple[Path, str]
    folder: Path  # scratch space for containers made from these
    draft_summary: str  # the draft build's "Kontroll: ..." line


@pytest.fixture(scope="module")
def signing(tmp_path_factory) -> Signing:
    """One draft build and one final build of the draft with LibreOffice, the final one signed."""
    root = tmp_path_factory.mktemp("allkirjastamine")
    project = copy_example(root / "projekt")
    draft_build = cli(project, "build", DRAFT)
    summary = next(row for row in draft_build.stdout.splitlines() if row.startswith("Kontroll"))
    draft = shutil.copyfile(project / f"output/{DRAFT}/{CONTAINER}", root / "eelnou.asice")
    cli(project, "build", DRAFT, *FINAL)
    key = signing_key(root)
    signed = sign_container(project / f"output/{DRAFT}/{CONTAINER}", root / "allkirjastatud.asice", key)
    return Signing(project, signed, Path(draft), key, root, summary)


@pytest.fixture
def project(signing: Signing, tmp_path: Path) -> Path:
    """A private copy of the project with the final build in output/."""
    dest = tmp_path / "projekt"
    shutil.copytree(signing.project, dest)
    return dest


def everything(project: Path) -> dict[str, str]:
    return {k: v for part in ("definitions", "arhiiv", "output") for k, v in
            {f"{part}/{n}": h for n, h in tree(project / part).items()}.items()}


def refused(project: Path, container: Path, code: int, *expect: str, args: tuple[str, ...] = ()) -> str:
    before = everything(project)
    r = cli(project, "record", DRAFT, "--konteiner", str(container), *args, code=code)
    for text in expect:
        assert text in r.stderr, f"{text!r} not in:\n{r.stderr}"
    assert everything(project) == before, "record changed something although it refused"
    return r.stderr


def made(signing: Signing, name: str, files: dict[str, bytes], *, sign: bool = True) -> Path:
    """A container of `files`, signed with the test key unless `sign` is False."""
    lib = library()
    folder = signing.folder / name
    folder.mkdir()
    path = folder / CONTAINER
    container = lib.Container.create(str(path))
    for file_name, data in files.items():
        (folder / file_name).write_bytes(data)
        container.add_data_file(str(folder / file_name), "application/pdf")
    if sign:
        signer = lib.PKCS12Signer(str(signing.key[0]), signing.key[1])
        signer.set_profile("BES")
        container.sign(signer)
    container.save()
    return path


def final_files(signing: Signing) -> dict[str, bytes]:
    with zipfile.ZipFile(signing.project / f"output/{DRAFT}/{CONTAINER}") as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "mimetype" and not n.startswith("META-INF/")}


# --- the loop: final build → sign → record ----------------------------------------------------


@pytest.mark.libreoffice
def test_record_keeps_the_signed_container_and_its_signer(signing: Signing, project: Path) -> None:
    final_output = tree(project / f"output/{DRAFT}")
    r = cli(project, "record", DRAFT, "--konteiner", str(signing.signed))
    assert "Registreeritud: käskkiri 2026-02 20.01.2026 nr 12." in r.stdout
    assert "allkirjastas: Mari Maasikas" in r.stdout
    assert "usaldusahelat ei saa ilma võrguta kontrollida" in r.stderr
    assert "ei kontrollitud" not in r.stderr
    # the archive holds the very bytes that were signed, beside the final build as it was
    archive = project / f"arhiiv/{DRAFT}"
    assert (archive / f"allkirjastatud-{DRAFT}.asice").read_bytes() == signing.signed.read_bytes()
    assert tree(archive / "kinnitatud") == final_output
    # the ledger: number and date of the final build, the signer and the container's time
    entry = next(d for d in load_definitions(project / "definitions").ledger if d.id == DRAFT)
    assert (entry.number, entry.date.isoformat()) == ("12", "2026-01-20")
    container = library().Container.open(str(signing.signed))  # held: its signatures live in it
    signed_at = container.signatures()[0].trusted_signing_time()
    assert [(s.name, s.time) for s in entry.signatures] == [("Mari Maasikas", signed_at)]
    assert "48001010000" not in (project / "definitions/ajalugu.yaml").read_text(encoding="utf-8")
    # check and the review page say who signed and when
    check = cli(project, "check", DRAFT, code=None)
    assert check.stdout.startswith("Allkirjastas Mari Maasikas (")
    cli(project, "review", DRAFT)
    page = (project / f"output/{DRAFT}/review/index.html").read_text(encoding="utf-8")
    assert 'id="allkirjad">Allkirjastas Mari Maasikas (' in page


@pytest.mark.libreoffice
def test_a_number_other_than_the_signed_one_is_refused(signing: Signing, project: Path) -> None:
    refused(project, signing.signed, 6, "--nr 13 ei klapi lõpliku koostamisega (nr 12",
            args=("--nr", "13"))


@pytest.mark.libreoffice
def test_a_draft_build_in_output_is_not_what_was_signed(signing: Signing, project: Path) -> None:
    cli(project, "build", DRAFT, "--ainult-word")
    refused(project, signing.signed, 6, f"output/{DRAFT}/manifest.json: output/{DRAFT}/ on eelnõu")


@pytest.mark.libreoffice
def test_definitions_changed_after_the_final_build_are_refused(signing: Signing, project: Path) -> None:
    post = project / "definitions/ametikohad/analuutik-kriisitugi.yaml"
    text = post.read_text(encoding="utf-8")
    assert "aruannete koostamine." in text
    post.write_text(text.replace("aruannete koostamine.", "aruannete koostamine ja esitamine.", 1),
                    encoding="utf-8")
    refused(project, signing.signed, 6, "definitsioonid ei koosta enam seda Wordi faili, mis allkirjastati",
            "lisa-03-analuutik-kriisitugi.docx")


@pytest.mark.libreoffice
def test_the_build_counts_its_findings_as_check_does(signing: Signing, project: Path) -> None:
    """A full build runs every check `kaskkiri check` runs (spelling and grammar too)."""
    check = cli(project, "check", DRAFT, code=None).stdout.splitlines()[-1]
    counts = check.split(": ", 1)[1].rstrip(".")
    assert signing.draft_summary.startswith(f"Kontroll: {counts} (")


# --- a wrong container is explained ---------------------------------------------------------


@pytest.mark.libreoffice
def test_a_missing_file(signing: Signing, project: Path) -> None:
    files = final_files(signing)
    gone = sorted(files)[-1]
    del files[gone]
    refused(project, made(signing, "puudu", files), 11, f"konteineris puudub fail {gone}")


@pytest.mark.libreoffice
def test_an_extra_file(signing: Signing, project: Path) -> None:
    files = final_files(signing) | {"lisamaterjal.pdf": b"%PDF-1.4\n%%EOF\n"}
    refused(project, made(signing, "lisa", files), 11, "konteineris on fail lisamaterjal.pdf, mida "
            "lõplikus koostamises pole")


@pytest.mark.libreoffice
def test_a_pdf_edited_after_the_build(signing: Signing, project: Path) -> None:
    files = final_files(signing)
    files["kaskkiri.pdf"] = files["kaskkiri.pdf"] + b"\n% muudetud\n"
    stderr = refused(project, made(signing, "muudetud", files), 11,
                     "konteineri fail kaskkiri.pdf erineb lõplikust koostamisest")
    assert "eelnõu" not in stderr


@pytest.mark.libreoffice
def test_a_draft_signed_by_mistake(signing: Signing, project: Path) -> None:
    signed_draft = sign_container(signing.draft_container, signing.folder / "eelnou-allkirjastatud.asice",
                                  signing.key)
    stderr = refused(project, signed_draft, 11, "konteineri failid kaskkiri.pdf, lisa-01-", "on eelnõu "
                     "(märge EELNÕU): allkirjastati eelnõu")
    assert stderr.count("allkirjastati eelnõu") == 1  # one mistake, one message


@pytest.mark.libreoffice
def test_no_signature(signing: Signing, project: Path) -> None:
    unsigned = project / f"output/{DRAFT}/{CONTAINER}"
    refused(project, unsigned, 11, "konteineris pole ühtegi allkirja")


@pytest.mark.libreoffice
def test_a_container_changed_after_signing(signing: Signing, project: Path) -> None:
    """The signed file swapped inside the zip: the file differs, and the signature is broken."""
    broken = signing.folder / "katki.asice"
    with zipfile.ZipFile(signing.signed) as zin, zipfile.ZipFile(broken, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data + b"\n% muudetud\n" if info.filename == "kaskkiri.pdf" else data)
    refused(project, broken, 11, "konteineri fail kaskkiri.pdf erineb", "ei ole terviklik: konteinerit "
            "on pärast allkirjastamist muudetud")


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["pdf", "zip", "missing"])
def test_not_an_asice_container(signing: Signing, project: Path, kind: str) -> None:
    path = signing.folder / f"vale-{kind}.asice"
    if kind == "pdf":
        shutil.copyfile(project / f"output/{DRAFT}/kaskkiri.pdf", path)
    elif kind == "zip":
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("kaskkiri.pdf", b"%PDF-1.4\n")
    expect = "faili pole" if kind == "missing" else "ei ole ASiC-E konteiner (.asice)"
    refused(project, path, 11, expect, path.name)


# --- the rules, without I/O --------------------------------------------------------------------


@pytest.mark.parametrize(("cn", "name"), [
    ("MAASIKAS,MARI,48001010000", "Mari Maasikas"),
    ("TAMM-KASK,MARI-LIIS ANNE,49912310000", "Mari-Liis Anne Tamm-Kask"),
    ("Mari Maasikas", "Mari Maasikas"),
    ("ORG,DEPT,NOT-A-CODE", "ORG,DEPT,NOT-A-CODE"),
])
def test_signer_name_leaves_out_the_personal_code(cn: str, name: str) -> None:
    assert signer_name(cn) == name


@pytest.mark.parametrize(("said", "broken"), [
    (("Unable to verify signing certificate", "Signing certificate does not contain NonRepudiation "
      "key usage flag", "QualifyingProperties block 'UnsignedProperties' is missing."), False),
    (("xmlSecOpenSSLEvpDigestVerify:obj=sha256:reason=12 - invalid data data and digest do not match",
      "Failed to validate Reference 'a.pdf'", "Unable to verify signing certificate"), True),
    ((), False),
])
def test_only_a_broken_signature_is_refused_offline(said: tuple[str, ...], broken: bool) -> None:
    assert is_broken(ContainedSignature("S0", "MAASIKAS,MARI,48001010000", "2026-01-20T10:00:00Z", said)) is broken


# --- the register numbers after signing -------------------------------------------------------

LATER = """
  number_registreerimisel:
    kaskkirjas: (kuupäev ja number digitaalallkirjas)
    lisas: käskkirjaga (kuupäev ja number digitaalallkirjas)
"""


@pytest.mark.libreoffice
def test_the_register_numbers_after_signing(signing: Signing, tmp_path: Path) -> None:
    """`vormistus.number_registreerimisel`: the final build carries the agency's wording, no
    number, no date and no EELNÕU; record takes the number and date, and the archive rebuilds the
    very Word files that were signed."""
    from kaskkiri_builder.docx_text import docx_text

    project = copy_example(tmp_path / "projekt")
    org = project / "definitions/organisatsioon.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("\nvormistus:\n", "\nvormistus:" + LATER, 1),
                   encoding="utf-8")
    refused_final = cli(project, "build", DRAFT, *FINAL, "--ainult-word", code=10)
    assert f"koosta lõplik käskkiri ilma numbrita (kaskkiri build {DRAFT} --lopplik)" in refused_final.stderr
    cli(project, "build", DRAFT, "--lopplik")
    out = project / f"output/{DRAFT}"
    directive = docx_text(out / "kaskkiri.docx", headers=True)
    annex = docx_text(next(out.glob("lisa-01-*.docx")), headers=True)
    assert "(kuupäev ja number digitaalallkirjas)" in directive
    assert "käskkirjaga (kuupäev ja number digitaalallkirjas)" in annex
    for text in (directive, annex):
        assert "EELNÕU" not in text and "[number]" not in text and "[kuupäev]" not in text
    signed = sign_container(out / CONTAINER, tmp_path / "allkirjastatud.asice", signing.key)
    missing = cli(project, "record", DRAFT, "--konteiner", str(signed), code=6)
    assert "anna registreerimisel saadud --nr ja --kuupaev" in missing.stderr
    r = cli(project, "record", DRAFT, "--konteiner", str(signed), *FINAL)
    assert "Registreeritud: käskkiri 2026-02 20.01.2026 nr 12." in r.stdout
    assert "number: 12" in (project / f"definitions/kaskkirjad/{DRAFT}.yaml").read_text(encoding="utf-8")
    # the recorded directive is delivered from its archive after a rebuild of the same Word files
    cli(project, "build", DRAFT, "--ainult-word")
    assert "(kuupäev ja number digitaalallkirjas)" in docx_text(out / "kaskkiri.docx", headers=True)


@pytest.mark.libreoffice
def test_the_container_signed_in_place_is_recorded(signing: Signing, project: Path) -> None:
    """DigiDoc4 signs the file it opened: output/<id>/kaskkiri-<id>.asice itself. A build would
    delete it, so builds are refused until it is recorded; record takes it where it is."""
    in_place = project / f"output/{DRAFT}/{CONTAINER}"
    unsigned = in_place.read_bytes()
    in_place.write_bytes(signing.signed.read_bytes())
    before = everything(project)
    r = cli(project, "build", DRAFT, "--ainult-word", code=7)
    assert "allkirjastatud konteiner, mida pole veel registreeritud" in r.stderr
    assert everything(project) == before
    cli(project, "record", DRAFT, "--konteiner", str(in_place))
    archive = project / f"arhiiv/{DRAFT}"
    assert (archive / f"allkirjastatud-{DRAFT}.asice").read_bytes() == signing.signed.read_bytes()
    assert (archive / "kinnitatud" / CONTAINER).read_bytes() == unsigned  # the unsigned one, made again

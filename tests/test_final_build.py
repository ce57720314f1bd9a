"""The final build: `kaskkiri build <id> --nr N --kuupaev D` writes the documents to sign.

Number and date filled in, no EELNÕU mark, no placeholders; `"final": true` in the manifest;
refused while `check` reports errors unless a reason is given (which lands in the manifest);
number and date checked against the ledger as `record` checks them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from kaskkiri_builder.docx_text import docx_text
from toolkit import DRAFT, cli, line_of, tree

FINAL = ["build", DRAFT, "--nr", "12", "--kuupaev", "20.01.2026"]
POST = "definitions/ametikohad/analuutik-kriisitugi.yaml"


def manifest(project: Path) -> dict:
    return json.loads((project / f"output/{DRAFT}/manifest.json").read_text(encoding="utf-8"))


def with_an_error(project: Path) -> int:
    """A `viga` finding: a result that ends in two full stops. Returns its line."""
    post = project / POST
    text = post.read_text(encoding="utf-8")
    old = "ettepanekud on põhjendatud."
    assert old in text
    post.write_text(text.replace(old, old + "."), encoding="utf-8")
    return line_of(post, r"ettepanekud on põhjendatud\.\.")


def test_final_word_files_carry_number_and_date(example: Path) -> None:
    cli(example, *FINAL, "--ainult-word")
    m = manifest(example)
    assert (m["final"], m["number"], m["date"]) == (True, "12", "20.01.2026")
    assert "vead_lubatud" not in m
    for path in sorted((example / f"output/{DRAFT}").glob("*.docx")):
        text = docx_text(path, headers=True)
        assert "EELNÕU" not in text and "[number]" not in text and "[kuupäev]" not in text, path.name
    directive = docx_text(example / f"output/{DRAFT}/kaskkiri.docx", headers=True)
    assert "20.01.2026 nr 12" in directive
    annex = docx_text(next((example / f"output/{DRAFT}").glob("lisa-01-*.docx")), headers=True)
    assert "20.01.2026 käskkirjaga nr 12" in annex
    # the definitions are not changed: the number is written by `record`
    assert "number:" not in (example / f"definitions/kaskkirjad/{DRAFT}.yaml").read_text(encoding="utf-8")


def test_the_draft_build_is_as_it_was(example: Path) -> None:
    cli(example, "build", DRAFT, "--ainult-word")
    assert "final" not in manifest(example)


def test_a_check_error_refuses_the_final_build(built_example: Path) -> None:
    line = with_an_error(built_example)
    before = tree(built_example / "output")
    r = cli(built_example, *FINAL, "--ainult-word", code=10)
    assert "lõplikku käskkirja ei koostata, sest kontroll leidis vigu (1)" in r.stderr
    assert f"{POST}:{line}: [kirjavahemargid]" in r.stderr
    assert '--luba-vead "põhjus"' in r.stderr
    assert tree(built_example / "output") == before


def test_a_reason_allows_it_and_lands_in_the_manifest(example: Path) -> None:
    line = with_an_error(example)
    cli(example, *FINAL, "--ainult-word", "--luba-vead", "õigusosakond kiitis heaks 19.01.2026")
    allowed = manifest(example)["vead_lubatud"]
    assert allowed["pohjus"] == "õigusosakond kiitis heaks 19.01.2026"
    assert [(f["kind"], f["file"], f["line"]) for f in allowed["leiud"]] == [("kirjavahemargid", POST, line)]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--nr", "1", "--kuupaev", "20.01.2026"], 6, "Number 1 on 2026. aastal juba kasutatud"),
        (["--nr", "12", "--kuupaev", "01.01.2026"], 6, "on varasem kui ajaloo viimase käskkirja"),
        (["--nr", "12"], 2, "anna nii --nr kui ka --kuupaev"),
        (["--luba-vead", "x"], 2, "--luba-vead käib lõpliku koostamisega"),
        (["--nr", "１２", "--kuupaev", "20.01.2026"], 2, '--nr: number "１２" ei sobi: lubatud on numbrid 0–9'),
        (["--nr", "12\n", "--kuupaev", "20.01.2026"], 2, '--nr: number "12<U+000A>" ei sobi'),
        (["--nr", "1" * 5000, "--kuupaev", "20.01.2026"], 2, "kokku kuni 30 märki"),
    ],
)
def test_number_and_date_are_checked(built_example: Path, args: list[str], code: int, message: str) -> None:
    before = tree(built_example / "output")
    r = cli(built_example, "build", DRAFT, "--ainult-word", *args, code=code)
    assert message in r.stderr
    assert tree(built_example / "output") == before


def test_a_recorded_directive_has_no_final_build(example: Path) -> None:
    r = cli(example, "build", "2026-01", "--nr", "1", "--kuupaev", "07.01.2026", code=6)
    assert "käskkiri 2026-01 on juba registreeritud" in r.stderr


@pytest.mark.libreoffice
def test_the_final_signing_package_reads_final(example: Path) -> None:
    cli(example, *FINAL)
    out = example / f"output/{DRAFT}"
    signing = PdfReader(out / f"allkirjastamiseks-{DRAFT}.pdf")
    text = "\n".join(page.extract_text() for page in signing.pages)
    assert "EELNÕU" not in text and "[number]" not in text
    assert "20.01.2026 nr 12" in text and "20.01.2026 käskkirjaga nr 12" in text
    m = manifest(example)
    assert m["final"] is True and {f["role"] for f in m["files"]} >= {"pdf", "package", "container"}

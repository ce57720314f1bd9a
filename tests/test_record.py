"""Recording a signed directive: the ledger, the final documents and later drafts follow from it."""

from __future__ import annotations

import difflib
import json

import pytest

from kaskkiri_builder.docx_text import docx_text
from toolkit import ROOT, fold, reference_annex, reference_parts, text_diff, tree


def test_the_example_holds_2026_01_as_recorded():
    text = (ROOT / "definitions/kaskkirjad/2026-01.yaml").read_text(encoding="utf-8")
    assert "number: 1" in text and "kuupaev: 07.01.2026" in text
    ledger = (ROOT / "definitions/ajalugu.yaml").read_text(encoding="utf-8")
    assert "id: 2026-01" in ledger
    manifest = json.loads((ROOT / "arhiiv/2026-01/kinnitatud/manifest.json").read_text())
    assert sorted(f["annex"] for f in manifest["files"] if f["role"] == "annex") == list(range(1, 12))


def test_draft_2026_02_revokes_the_reapproved_annexes_of_nr_1(cli, example):
    cli(example, "build", "2026-02", "--ainult-word")
    text = fold(docx_text(example / "output/2026-02/kaskkiri.docx"))
    assert "2. Tunnistan kehtetuks peadirektori 07.01.2026 käskkirja nr 1 lisad 7 ja 10." in text
    assert "[kuupäev] nr [number]" in text


def test_record_2026_02_then_a_further_draft(cli, example):
    ledger_before = (example / "definitions/ajalugu.yaml").read_text(encoding="utf-8")
    comment = next(row for row in ledger_before.splitlines() if row.lstrip().startswith("#"))
    directive_before = (example / "definitions/kaskkirjad/2026-02.yaml").read_text(encoding="utf-8")
    r = cli(example, "record", "2026-02", "--nr", "12", "--kuupaev", "20.01.2026", "--ainult-word")
    assert "allkirjastatud konteinerit ei antud (--konteiner), seega allkirju ega" in r.stderr

    # the directive's definition: number and date written, comments kept
    d = (example / "definitions/kaskkirjad/2026-02.yaml").read_text(encoding="utf-8")
    assert "number: 12" in d and "kuupaev: 20.01.2026" in d
    assert "# Käskkiri 2026-02 (EELNÕU)" in d
    # the ledger: the new entry, with what it revoked; earlier comments kept
    ledger = (example / "definitions/ajalugu.yaml").read_text(encoding="utf-8")
    assert comment in ledger
    assert ledger.startswith(ledger_before)  # the user's file kept byte for byte, the entry added
    ops = difflib.SequenceMatcher(None, directive_before.splitlines(), d.splitlines()).get_opcodes()
    assert {op[0] for op in ops} == {"equal", "insert"}  # only the two lines added
    entry = ledger[ledger.index("id: 2026-02"):]
    assert "number: 12" in entry and "kuupaev: 20.01.2026" in entry
    assert "peaspetsialist-kriisitugi" in entry and "analuutik-kriisitugi" in entry
    assert "number: 1\n" in entry and "lisad: 7 ja 10" in entry

    # the final documents: number and date, no draft mark
    final = example / "output/2026-02"
    text = fold(docx_text(final / "kaskkiri.docx", headers=True))
    assert "20.01.2026 nr 12" in text and "EELNÕU" not in text and "[kuupäev]" not in text
    annex = fold(docx_text(final / "lisa-02-noustaja-10.docx", headers=True))
    assert annex.startswith("KINNITATUD Sotsiaalkindlustusameti peadirektori 20.01.2026 käskkirjaga nr 12 Lisa 2")
    # the archive holds exactly the final documents (record wrote both: this checks the copy)
    assert tree(example / "arhiiv/2026-02/kinnitatud") == tree(final)

    # a further draft re-approving one of them revokes the new directive's annex
    (example / "definitions/kaskkirjad/2026-03.yaml").write_text(
        "oigusalus: Avaliku teenistuse seaduse § 52 lõigete 1 ja 2\n"
        "struktuuriyksus: kriisitoe-talitus\nlisad: [noustaja-10]\n"
        "allkirjastaja: {nimi: Maret Maripuu, ametinimetus: peadirektor}\n",
        encoding="utf-8",
    )
    cli(example, "build", "2026-03", "--ainult-word")
    text = fold(docx_text(example / "output/2026-03/kaskkiri.docx"))
    assert "Tunnistan kehtetuks peadirektori 20.01.2026 käskkirja nr 12 lisa 2." in text

    # rebuilding the recorded directive gives what was signed, whatever changed since
    post = example / "definitions/ametikohad/noustaja-10.yaml"
    post.write_text(post.read_text(encoding="utf-8").replace("Hoolivus", "Hoolivus, täpsus"), encoding="utf-8")
    r = cli(example, "build", "2026-02", "--ainult-word")
    assert "arhiiv/2026-02" in r.stderr
    docx = {k: v for k, v in tree(final).items() if k.endswith(".docx")}
    archived = {k: v for k, v in tree(example / "arhiiv/2026-02/kinnitatud").items() if k.endswith(".docx")}
    assert docx == archived


def test_rebuilding_2026_01_still_reproduces_the_reference(cli, example):
    """The draft 2026-02 changed two posts of 2026-01; the signed one is rebuilt from its archive.

    arhiiv/2026-01/kinnitatud/ was itself made by kaskkiri, the code under test (and is refreshed
    with it), so a rebuild equal to it only shows that the build is reproducible. What makes the
    archive right is checked first: its Word text is the published reference
    (tests/fixtures/ska-2026-01-nr1.txt), directive and every annex.
    """
    archive = example / "arhiiv/2026-01/kinnitatud"
    archived = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    directive, _ = reference_parts()
    expected = {f["path"]: directive if f["role"] == "directive" else reference_annex(f["annex"])
                for f in archived["files"] if f["role"] in ("directive", "annex")}
    assert len(expected) == 12
    for name, text in expected.items():
        actual = fold(docx_text(archive / name))
        assert actual == text, f"{name}:\n{text_diff(text, actual)}"

    # build delivers the archive itself and succeeds only when a rebuild from the archived
    # definitions and templates gives these very Word files (approved.compare_rebuild)
    cli(example, "build", "2026-01", "--ainult-word")
    built = json.loads((example / "output/2026-01/manifest.json").read_text(encoding="utf-8"))
    def sha(m: dict) -> dict[str, str]:
        return {f["path"]: f["sha256"] for f in m["files"] if f["path"].endswith(".docx")}

    assert sha(built) == sha(archived)
    assert set(sha(built)) == set(expected)


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["2026-01", "--nr", "1", "--kuupaev", "07.01.2026"], 6, "on juba registreeritud"),
        (["2026-02", "--nr", "1", "--kuupaev", "20.01.2026"], 6, "Number 1 on 2026. aastal juba kasutatud"),
        (["2026-02", "--nr", "12", "--kuupaev", "02.01.2026"], 6, "on varasem kui ajaloo viimase"),
        (["2026-02", "--nr", "12", "--kuupaev", "31.02.2026"], 2, "--kuupaev"),
    ],
)
def test_record_refusals_change_nothing(cli, example, args, code, message):
    before = tree(example / "definitions"), tree(example / "arhiiv")
    r = cli(example, "record", *args, "--ainult-word", code=code)
    assert message in r.stderr, r.stderr
    assert (tree(example / "definitions"), tree(example / "arhiiv")) == before

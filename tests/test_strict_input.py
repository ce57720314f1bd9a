"""The definitions are read strictly: a value is the text the user typed, and whatever YAML could
do besides (coerce, tag, alias, nest without end, grow without end) is a message with file:line,
never a wrong document or an internal error. Each test breaks the example's draft, the posts it
approves or the ledger, as an HR specialist could."""

from __future__ import annotations

import os
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from kaskkiri_builder.definitions.load import read_yaml
from kaskkiri_builder.definitions.model import LedgerDirective
from kaskkiri_builder.docx_text import docx_text
from kaskkiri_builder.history import sequence_warnings, validate_ledger
from toolkit import DRAFT, cli, fails_cleanly, line_of, tree

D_FILE = f"definitions/kaskkirjad/{DRAFT}.yaml"
LEDGER = "definitions/ajalugu.yaml"



def first_post(project: Path) -> Path:
    """The post of the draft's first annex."""
    text = (project / D_FILE).read_text(encoding="utf-8")
    post_id = re.search(r"(?m)^lisad:\s*\n\s*-\s*([a-z0-9-]+)", text).group(1)
    return project / "definitions/ametikohad" / f"{post_id}.yaml"


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` by `new`; the line where `new` starts."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def set_title(post: Path, value: str) -> int:
    """Give the post a new `teenistuskoht` line; its line number."""
    text = post.read_text(encoding="utf-8")
    old = re.search(r"(?m)^teenistuskoht: .*$", text).group(0)
    return edit(post, old, f"teenistuskoht: {value}")


def sign_draft(project: Path, number: str, on: str = "03.02.2026") -> int:
    """Give the draft a number and a date as typed; the line of the number."""
    return edit(project / D_FILE, "oigusalus:", f"number: {number}\nkuupaev: {on}\noigusalus:")


def annex_text(project: Path, n: int = 1) -> str:
    return docx_text(next((project / f"output/{DRAFT}").glob(f"lisa-{n:02d}-*.docx")))


def directive_text(project: Path) -> str:
    return docx_text(project / f"output/{DRAFT}/kaskkiri.docx")


# --- 1. strict scalars ---------------------------------------------------------------------------


def test_a_number_is_the_text_as_typed(built_example):
    sign_draft(built_example, "1.10", "2026-02-03")  # an ISO date is a date, not an error
    cli(built_example, "build", DRAFT, "--ainult-word")
    assert "03.02.2026 nr 1.10" in directive_text(built_example)
    assert "käskkirjaga nr 1.10" in annex_text(built_example)


@pytest.mark.parametrize(
    ("typed", "header"),
    [("1.10", ""), ("0o12", ""), ("1:30", "%YAML 1.1\n---\n")],
)
def test_a_title_is_the_text_as_typed(built_example, typed, header):
    """Not 1.1, 10 or (YAML 1.1's sexagesimal) 90."""
    post = first_post(built_example)
    set_title(post, typed)
    post.write_text(header + post.read_text(encoding="utf-8"), encoding="utf-8")
    cli(built_example, "build", DRAFT, "--ainult-word")
    assert f"Teenistuskoht\n{typed}\n" in annex_text(built_example)


def test_yaml_1_1_yes_is_not_a_flag(built_example):
    post = first_post(built_example)
    text = post.read_text(encoding="utf-8")
    first_ref = re.search(r"(?m)^teenistuja_asendab:\s*\n\s*- ([a-z0-9-]+)", text).group(1)
    line = edit(post, f"teenistuja_asendab:\n  - {first_ref}",
                f"teenistuja_asendab:\n  - {{ametikoht: {first_ref}, mitmuses: yes}}") + 1 + 2
    post.write_text("%YAML 1.1\n---\n" + post.read_text(encoding="utf-8"), encoding="utf-8")  # yes = true
    fails_cleanly(built_example, [f"definitions/ametikohad/{post.name}:{line}:", '"mitmuses"',
                                  'peab olema true või false (jah või ei), aga on "yes"'])


def test_a_number_is_not_a_list(built_example):
    line = sign_draft(built_example, "[1, 2]")
    fails_cleanly(built_example, [f"{D_FILE}:{line}:", '"number" (käskkiri 2026-02) peab olema registri number',
                                  "aga on loetelu"])


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ('"１２"', '"１２"'),  # full-width digits
        ('"1\\n2"', '"1<U+000A>2"'),
        ("1" * 31, "(31 märki)"),
    ],
)
def test_what_is_not_a_register_number(built_example, typed, shown):
    line = sign_draft(built_example, typed)
    fails_cleanly(built_example, [f"{D_FILE}:{line}:", "peab olema registri number", shown])


@pytest.mark.parametrize("tag", ["!!binary", "!mine"])
def test_tags_are_refused(built_example, tag):
    post = first_post(built_example)
    line = set_title(post, f"{tag} aGVsbG8=")
    fails_cleanly(built_example, [f"definitions/ametikohad/{post.name}:{line}:", f"eemalda silt {tag}"])


def test_the_standard_str_tag_is_text(built_example):
    post = first_post(built_example)
    set_title(post, "!!str 1.10")
    cli(built_example, "build", DRAFT, "--ainult-word")
    assert "Teenistuskoht\n1.10\n" in annex_text(built_example)


def test_unquoted_false_still_switches_a_clause_parameter_off(built_example):
    """A parameter of a clause text stays a switch: `riigisaladus: false` leaves the words out,
    while a quoted "false" is a text (and so true for Jinja's `if`)."""
    juht = built_example / "definitions/ametikohad/talituse-juhataja.yaml"
    d = built_example / D_FILE
    edit(d, "  - peaspetsialist-kriisitugi", "  - talituse-juhataja\n  - peaspetsialist-kriisitugi")
    cli(built_example, "build", DRAFT, "--ainult-word")
    assert "riigisaladuse" not in annex_text(built_example, 1)
    edit(juht, "parameetrid: {riigisaladus: false}", "parameetrid: {riigisaladus: 'false'}")
    cli(built_example, "build", DRAFT, "--ainult-word")
    assert "riigisaladuse" in annex_text(built_example, 1)


# --- 2. bounds ------------------------------------------------------------------------------------


def test_a_file_over_2_mb_is_refused_before_parsing(built_example):
    post = first_post(built_example)
    with post.open("a", encoding="utf-8") as f:
        f.write(("# " + "x" * 1000 + "\n") * 3000)
    err = fails_cleanly(built_example, [f"definitions/ametikohad/{post.name}: fail on liiga suur (2,9 MB)",
                                        "kuni 2 MB"])
    assert "viide ametikohale" not in err  # the post is unreadable, not missing


def test_a_file_of_very_many_values_is_refused(tmp_path):
    """2 MB of "[x, x, ...]" took ruamel 40 s and 700 MB: a bound on the number of values."""
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb: [" + "x, " * 30_000 + "]\n", encoding="utf-8")
    doc, problems = read_yaml(path, "x.yaml")
    assert doc is None and [(p.file, p.line) for p in problems] == [("x.yaml", 2)]
    assert "failis on üle 20000 väärtuse" in problems[0].message


def test_deep_nesting_is_refused(built_example):
    post = first_post(built_example)
    text = post.read_text(encoding="utf-8")
    post.write_text(text + "x: " + "[" * 300 + "]" * 300 + "\n", encoding="utf-8")
    line = line_of(post, r"^x: \[")
    fails_cleanly(built_example, [f"definitions/ametikohad/{post.name}:{line}:", "liiga sügavalt pesastatud"])


def test_an_alias_bomb_in_the_parameters_is_refused(built_example):
    juht = built_example / "definitions/ametikohad/talituse-juhataja.yaml"
    bomb = ("{a: &a [x, x, x, x, x, x, x, x, x], b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a], "
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b], d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]}")
    line = edit(juht, "parameetrid: {riigisaladus: false}", f"parameetrid: {bomb}")
    fails_cleanly(built_example, [f"definitions/ametikohad/talituse-juhataja.yaml:{line}:",
                                  'ankur või viide ("&nimi", "*nimi") ei ole definitsioonides lubatud'])


def test_the_example_uses_no_anchors_or_aliases():
    root = Path(__file__).resolve().parent.parent / "definitions"
    for path in root.rglob("*.yaml"):
        text = re.sub(r"#.*", "", path.read_text(encoding="utf-8"))
        assert not re.search(r"(^|[\s\[{,:-])[&*][A-Za-z]", text), path


@pytest.mark.parametrize("annexes", ["1 kuni 100000000", "[1, 100000000]"])
def test_annex_numbers_in_the_ledger_are_bounded(built_example, annexes):
    line = edit(built_example / LEDGER, "        lisad: 3\n", f"        lisad: {annexes}\n")
    fails_cleanly(built_example, [f"{LEDGER}:{line}:", "Lisa number 100000000 on liiga suur",
                                  "kuni 500 lisa"])


def test_an_annex_key_in_the_ledger_is_bounded(built_example):
    line = edit(built_example / LEDGER, "      10: noustaja-10\n", "      99999999999999999999: noustaja-10\n")
    fails_cleanly(built_example, [f"{LEDGER}:{line}:", "Lisa number 99999999999999999999 on liiga suur"])


# --- 3. messages instead of internal errors -------------------------------------------------------


def test_a_long_title_is_shortened_in_the_document_properties_only(built_example):
    title = " ".join(["Ametijuhendite kinnitamine"] * 12)  # 323 characters
    edit(built_example / D_FILE, "oigusalus:", f"pealkiri: {title}\noigusalus:")
    cli(built_example, "build", DRAFT, "--ainult-word")
    docx = built_example / f"output/{DRAFT}/kaskkiri.docx"
    core = zipfile.ZipFile(docx).read("docProps/core.xml").decode("utf-8")
    shown = re.search(r"<dc:title>([^<]*)</dc:title>", core).group(1)
    assert len(shown) <= 255 and shown.endswith("…") and title.startswith(shown[:-1])
    assert title in docx_text(docx).replace("\n", " ")


def test_an_iso_date_that_is_not_in_the_calendar(built_example):
    line = sign_draft(built_example, "12", "2026-02-30")
    fails_cleanly(built_example, [f"{D_FILE}:{line + 1}:", '"2026-02-30" (sellist päeva pole kalendris)'])


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("? {a: 1}\n: x", "võti peab olema tekst, aga on sõnastik"),
        ("? [a]\n: x", "võti peab olema tekst, aga on loetelu"),
        ("~: x", "võti on tühi"),
        ("number: " + "9" * 5000, "(5000 märki)"),
        ("kuupaev: [" * 60 + "]" * 60, "liiga sügavalt pesastatud"),
    ],
)
def test_odd_yaml_is_a_message(built_example, yaml, message):
    line = edit(built_example / D_FILE, "oigusalus:", f"{yaml}\noigusalus:")
    fails_cleanly(built_example, [f"{D_FILE}:{line}:", message])


# --- 4. files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: os.symlink("olematu.yaml", p), 'on viide (symlink) failile "olematu.yaml", mida pole olemas'),
        (lambda p: os.symlink(p.name, p), "on viide (symlink), mis viitab ringiga iseendale"),
        (lambda p: os.mkfifo(p), "ei ole tavaline fail, vaid nimega toru (FIFO)"),
        (lambda p: os.symlink("/dev/null", p), "ei ole tavaline fail, vaid seadmefail"),
    ],
    ids=["dangling-link", "link-loop", "fifo", "device"],
)
def test_a_post_file_that_is_not_a_file(built_example, make, message):
    """The annex's post becomes a link, a FIFO or a device: said so, not "does not exist"."""
    post = first_post(built_example)
    post.unlink()
    make(post)
    err = fails_cleanly(built_example, [f"definitions/ametikohad/{post.name}: {message}"])
    assert "mida pole olemas. Kas" not in err and f'ametikohale "{post.stem}"' not in err


def test_one_post_in_two_files(built_example):
    post = first_post(built_example)
    twin = post.with_suffix(".yml")
    twin.write_bytes(post.read_bytes())
    err = fails_cleanly(built_example, [
        f'ametikoht "{post.stem}" on kahes failis: definitions/ametikohad/{post.name} ja '
        f"definitions/ametikohad/{twin.name}"])
    assert f'ametikohale "{post.stem}"' not in err


def test_one_broken_clause_file_is_one_message(built_example):
    clauses = built_example / "definitions/klauslid/ulesanded.yaml"
    text = clauses.read_text(encoding="utf-8")
    first = re.search(r"(?m)^ulesanne-[a-z0-9-]+:\n", text)
    clauses.write_text(text[: first.end()] + "  bad: [unclosed\n" + text[first.end():], encoding="utf-8")
    err = fails_cleanly(built_example, ["definitions/klauslid/ulesanded.yaml:", "avatud nurksulg [ jäi sulgemata"])
    assert "Viga:\n" in err and "viide klauslile" not in err


def test_a_broken_clause_is_not_reported_again_where_it_is_used(built_example):
    clauses = built_example / "definitions/klauslid/ulesanded.yaml"
    line = edit(clauses, "ulesanne-kriisid:\n", "ulesanne-kriisid:\n  tekst: x\n")  # two kinds at once
    err = fails_cleanly(built_example, [f"definitions/klauslid/ulesanded.yaml:{line}:", "täpselt ühte võtmetest"])
    assert 'viide klauslile "ulesanne-kriisid"' not in err


@pytest.mark.parametrize("name", ["..yaml", "Ä b.yaml"])
def test_a_directive_file_name_that_is_not_an_id(built_example, name):
    (built_example / "definitions/kaskkirjad" / name).write_bytes((built_example / D_FILE).read_bytes())
    fails_cleanly(built_example, [f"definitions/kaskkirjad/{name}:", f'faili nimi "{name}" peab koosnema'])


def test_an_id_with_a_final_line_break_is_not_an_id(built_example):
    post = first_post(built_example)
    text = post.read_text(encoding="utf-8")
    unit = re.search(r"(?m)^struktuuriyksus: (.*)$", text).group(1)
    line = edit(post, f"struktuuriyksus: {unit}", f'struktuuriyksus: "{unit}\\n"')
    fails_cleanly(built_example, [f"definitions/ametikohad/{post.name}:{line}:", "peab olema id"])


# --- record --nr: one text everywhere -------------------------------------------------------------


def test_record_keeps_the_number_as_typed_everywhere(example):
    cli(example, "record", DRAFT, "--nr", "007", "--kuupaev", "03.02.2026", "--ainult-word")
    for rel in (D_FILE, LEDGER, f"arhiiv/{DRAFT}/{D_FILE}", f"arhiiv/{DRAFT}/{LEDGER}"):
        assert re.search(r"(?m)^\s*number: '007'$", (example / rel).read_text(encoding="utf-8")), rel
    assert "03.02.2026 nr 007" in directive_text(example)
    manifest = (example / f"arhiiv/{DRAFT}/kinnitatud/manifest.json").read_text(encoding="utf-8")
    assert '"number": "007"' in manifest
    cli(example, "build", DRAFT, "--ainult-word")  # the recorded directive reads back as recorded


@pytest.mark.parametrize("nr", ["12a", "１２", "1\n2", "1" * 31, "-"])
def test_record_refuses_what_is_not_a_register_number(example, nr):
    before = tree(example)
    r = cli(example, "record", DRAFT, "--nr", nr, "--kuupaev", "03.02.2026", "--ainult-word", code=2)
    assert r.stderr.startswith("Viga:\n  --nr: number ") and "ei sobi" in r.stderr
    assert tree(example) == before


# --- history: numbers compared by their running part ----------------------------------------------


def entry(number: str, on: date, post: str = "a") -> LedgerDirective:
    return LedgerDirective(number=number, date=on, annexes={1: post})


def test_the_same_running_number_written_twice_is_used_twice():
    ledger = [entry("007", date(2026, 1, 5)), entry("7", date(2026, 2, 5), "b")]
    messages = [m for m, _ in validate_ledger(ledger, {"a", "b"})]
    assert any("on 2026. aastal kasutusel mitu korda" in m for m in messages), messages
    ledger = [entry("1.10", date(2026, 1, 5)), entry("1.1", date(2026, 2, 5), "b")]
    assert validate_ledger(ledger, {"a", "b"}) == []


def test_register_indices_rise_with_dates_within_their_series():
    ledger = [
        entry("3-1/61-1", date(2026, 1, 5)),
        entry("3-1/61-2", date(2026, 1, 3), "b"),  # the series' second, dated before its first
        entry("1-2/22-015", date(2026, 1, 1), "c"),  # another series: not compared with 3-1/61-
    ]
    (warning,) = sequence_warnings(ledger)
    assert "nr 3-1/61-2 (03.01.2026)" in warning[0] and "nr 3-1/61-1 (05.01.2026)" in warning[0]

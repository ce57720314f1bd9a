"""Bad input gets one clear Estonian message with file:line, a non-zero exit, no traceback, and
leaves the previous output and the user's definitions untouched.

The tests break the example's draft directive 2026-02 and the posts it approves: that is what an
HR specialist edits (the signed 2026-01 is rebuilt from its archive)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from kaskkiri_builder.docx_text import docx_text
from toolkit import DRAFT, cli, fails_cleanly, line_of, tree


def replace_key(text: str, key: str, new: str) -> str:
    """Replace a top-level key with its whole value (block scalars included) by `new`."""
    pattern = re.compile(rf"(?m)^{key}:.*\n(?:[ \t]+.*\n|\n(?=[ \t]))*")
    assert pattern.search(text), key
    return pattern.sub(lambda _m: new + "\n", text, count=1)


def a_full_post(project: Path) -> Path:
    """The definition file of the directive's first annex."""
    text = (project / f"definitions/kaskkirjad/{DRAFT}.yaml").read_text(encoding="utf-8")
    first = re.search(r"^lisad:\s*\n\s*-\s*(?:ametikoht:\s*)?([a-z0-9-]+)", text, re.M).group(1)
    return project / "definitions/ametikohad" / f"{first}.yaml"



def test_broken_yaml(built_example):
    post = a_full_post(built_example)
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("ametikoha_grupp:", "ametikoha_grupp: [ametnik\nx:", 1), encoding="utf-8")
    line = line_of(post, r"^x:")
    rel = f"definitions/ametikohad/{post.name}"
    err = fails_cleanly(built_example, [f"{rel}:{line - 1}: real {line - 1} avatud nurksulg [ jäi sulgemata"])
    assert "expected" not in err  # the parser's English stays out


def test_unknown_key_suggests_the_nearest(built_example):
    post = a_full_post(built_example)
    post.write_text(post.read_text(encoding="utf-8").replace("teenistuskoht:", "teenistuskoh:", 1), encoding="utf-8")
    line = line_of(post, r"^teenistuskoh:")
    fails_cleanly(
        built_example,
        [f"definitions/ametikohad/{post.name}:{line}:", 'tundmatu võti "teenistuskoh"', 'Kas mõtlesid "teenistuskoht"?'],
    )


def test_missing_field(built_example):
    post = a_full_post(built_example)
    post.write_text(re.sub(r"(?m)^ametikoha_grupp:.*\n", "", post.read_text(encoding="utf-8")), encoding="utf-8")
    fails_cleanly(built_example, [f"definitions/ametikohad/{post.name}:1:", 'puudub kohustuslik võti "ametikoha_grupp"'])


def test_unknown_post_reference(built_example):
    post = a_full_post(built_example)
    text = replace_key(post.read_text(encoding="utf-8"), "vahetu_juht", "vahetu_juht: olematu-ametikoht")
    post.write_text(text, encoding="utf-8")
    line = line_of(post, r"^vahetu_juht:")
    fails_cleanly(built_example, [f"definitions/ametikohad/{post.name}:{line}:", 'viide ametikohale "olematu-ametikoht"'])


def test_unknown_clause_reference(built_example):
    post = a_full_post(built_example)
    text = post.read_text(encoding="utf-8")
    m = re.search(r"(?m)^(\s*-?\s*klausel:\s*)([a-z0-9-]+)", text)
    post.write_text(text[: m.start(2)] + "olematu-klausel" + text[m.end(2) :], encoding="utf-8")
    line = line_of(post, r"klausel:\s*olematu-klausel")
    fails_cleanly(built_example, [f"definitions/ametikohad/{post.name}:{line}:", 'viide klauslile "olematu-klausel"'])


def test_annex_listed_twice(built_example):
    d = built_example / f"definitions/kaskkirjad/{DRAFT}.yaml"
    text = d.read_text(encoding="utf-8")
    m = re.search(r"(?m)^lisad:\s*\n(\s*-\s*[^\n]+\n)", text)
    d.write_text(text[: m.end()] + m.group(1) + text[m.end() :], encoding="utf-8")
    fails_cleanly(built_example, [f"definitions/kaskkirjad/{DRAFT}.yaml:", "on lisades kaks korda (lisa 1 ja lisa 2)"])


def test_jinja_syntax_error_in_clause(built_example):
    clause_file = sorted((built_example / "definitions/klauslid").glob("*.yaml"))[0]
    text = clause_file.read_text(encoding="utf-8")
    m = re.search(r"(?m)^(\s+tekst: |\s+ulesanne: )(.+)$", text)
    clause_file.write_text(text[: m.start(2)] + "Katki {{ tegevus " + text[m.start(2) :], encoding="utf-8")
    fails_cleanly(built_example, [f"definitions/klauslid/{clause_file.name}:", "Jinja süntaksiviga"])


def test_undefined_parameter_in_clause(built_example):
    clause_file = sorted((built_example / "definitions/klauslid").glob("*.yaml"))[0]
    text = clause_file.read_text(encoding="utf-8")
    m = re.search(r"(?m)^(\s+tekst: |\s+ulesanne: )(.+)$", text)
    clause_file.write_text(text[: m.end(2)] + " {{ olematu_parameeter }}" + text[m.end(2) :], encoding="utf-8")
    err = fails_cleanly(built_example, [f"definitions/klauslid/{clause_file.name}:", "olematu_parameeter"])
    assert err.count("olematu_parameeter") == 1  # once, however many annexes use the clause


def _edit_template(path: Path, old: str, new: str) -> None:
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            dst.writestr(info, data)
    path.write_bytes(buf.getvalue())


def test_jinja_error_in_template(built_example):
    _edit_template(built_example / "templates/ametijuhend.docx", "{{ lopurida }}", "{{ lopurida }")
    fails_cleanly(built_example, ["templates/ametijuhend.docx", "Jinja süntaksiviga Wordi mallis"])


def test_unknown_variable_in_template(built_example):
    _edit_template(built_example / "templates/kaskkiri.docx", "{{ pealkiri }}", "{{ pealkirii }}")
    fails_cleanly(built_example, ["templates/kaskkiri.docx", "pealkirii"])


def test_control_character_escaped_in_yaml(built_example):
    post = a_full_post(built_example)
    text = replace_key(post.read_text(encoding="utf-8"), "eesmark", 'eesmark: "Kopeeritud\\vWordist"')
    post.write_text(text, encoding="utf-8")
    line = line_of(post, r"^eesmark:")
    fails_cleanly(built_example, [f"definitions/ametikohad/{post.name}:{line}:", "U+000B", "Word ei talu"])


def test_raw_control_character(built_example):
    post = a_full_post(built_example)
    text = post.read_text(encoding="utf-8")
    text = replace_key(text, "eesmark", "eesmark: Kell \x07 helises")
    lines = text.splitlines(keepends=True)
    idx = next(i for i, row in enumerate(lines) if row.startswith("eesmark:"))
    post.write_text("".join(lines), encoding="utf-8")
    fails_cleanly(built_example, [f"definitions/ametikohad/{post.name}:{idx + 1}:", "U+0007"])


def test_all_errors_of_a_run_together(built_example):
    post = a_full_post(built_example)
    text = post.read_text(encoding="utf-8").replace("teenistuskoht:", "teenistuskoh:", 1)
    text = replace_key(text, "vahetu_juht", "vahetu_juht: olematu-ametikoht")
    post.write_text(text, encoding="utf-8")
    err = fails_cleanly(built_example, ['tundmatu võti "teenistuskoh"', 'viide ametikohale "olematu-ametikoht"'])
    assert "Vead (" in err


def test_bad_date(built_example):
    d = built_example / f"definitions/kaskkirjad/{DRAFT}.yaml"
    d.write_text("kuupaev: 32.13.2026\n" + d.read_text(encoding="utf-8"), encoding="utf-8")
    line = line_of(d, r"^kuupaev:")
    fails_cleanly(built_example, [f"definitions/kaskkirjad/{DRAFT}.yaml:{line}:", "ei ole kuupäev", "PP.KK.AAAA"])


def test_unknown_directive(built_example):
    r = cli(built_example, "build", "2099-99", "--ainult-word", code=2)
    assert 'käskkirja "2099-99" ei ole' in r.stderr


def test_special_characters_render_as_text(built_example):
    post = a_full_post(built_example)
    new = "eesmark: 'Koostöö & suhtlus <partneritega> \"jutumärkides\" ja ''ülakomad'''"
    text = replace_key(post.read_text(encoding="utf-8"), "eesmark", new)
    post.write_text(text, encoding="utf-8")
    cli(built_example, "build", DRAFT, "--ainult-word")
    annex = sorted((built_example / f"output/{DRAFT}").glob("lisa-01-*.docx"))[0]
    assert "Koostöö & suhtlus <partneritega> \"jutumärkides\" ja 'ülakomad'" in docx_text(annex)


def test_two_builds_are_byte_identical(built_example, tmp_path):
    first = tree(built_example / f"output/{DRAFT}")
    cli(built_example, "build", DRAFT, "--ainult-word")
    assert tree(built_example / f"output/{DRAFT}") == first


# --- the ledger (definitions/ajalugu.yaml) ------------------------------------------------------

LEDGER = "definitions/ajalugu.yaml"


def _edit_ledger(project: Path, old: str, new: str) -> int:
    path = project / LEDGER
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line_of(path, re.escape(new.splitlines()[0].strip()))


def test_ledger_names_an_unknown_post(built_example):
    line = _edit_ledger(built_example, "      4: ekspert-suurkriisid", "      4: olematu-ametikoht")
    fails_cleanly(built_example, [f"{LEDGER}:{line}:", "olematu-ametikoht"])


def test_ledger_number_used_twice_in_a_year(built_example):
    line = _edit_ledger(built_example, "  - number: 19\n", "  - number: 67\n")
    fails_cleanly(built_example, [f"{LEDGER}:{line}:", "Number 67 on 2025. aastal kasutusel mitu korda"])


def test_ledger_annex_approved_twice(built_example):
    _edit_ledger(built_example, "      4: ekspert-suurkriisid", "      4: ekspert-suurkriisid\n      4: noustaja-9")
    line = line_of(built_example / LEDGER, r"^\s+4: noustaja-9")
    fails_cleanly(built_example, [f"{LEDGER}:{line}:", 'võti "4" on samas kohas kaks korda'])


def test_ledger_date_that_is_not_a_date(built_example):
    line = _edit_ledger(built_example, "    kuupaev: 06.02.2025", "    kuupaev: 30.02.2025")
    fails_cleanly(built_example, [f"{LEDGER}:{line}:", "30.02.2025"])

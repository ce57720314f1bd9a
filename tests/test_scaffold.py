"""`kaskkiri uus`: the new file has every required key, refuses to load until filled, loads when
filled, and only existing units and posts are accepted."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from kaskkiri_builder.build import Project
from kaskkiri_builder.build import build as run_build
from kaskkiri_builder.definitions import load_definitions
from kaskkiri_builder.definitions.keys import Key, Record
from kaskkiri_builder.definitions.load import PLACEHOLDER
from kaskkiri_builder.definitions.schema import DIRECTIVE, POST
from kaskkiri_builder.definitions.shapes import Plain
from kaskkiri_builder.definitions.strict import strict_yaml
from kaskkiri_builder.errors import DefinitionError
from kaskkiri_builder.scaffold import (
    DIRECTIVE_OPTIONAL,
    POST_OPTIONAL,
    Known,
    directive_text,
    pick_annexes,
    pick_post,
    pick_unit,
    post_text,
    read_known,
    unfilled_lines,
    write_new,
    yaml_scalar,
)
from test_cli_language import english_in
from toolkit import ROOT, copy_example, small_project, tree, write_project

# What a person would type in place of each <TÄIDA>, by the key it stands at.
EXAMPLE_VALUES = {
    "teenistuskoht": "nõustaja (kriisitelefon)",
    "ametikoha_grupp": "töötaja",
    "struktuuriyksus": "kriisitoe-talitus",
    "vahetu_juht": "talituse-juhataja",
    "alluvad": "noustaja-9",
    "teenistuja_asendab": "noustaja-10",
    "teenistuja_asendaja": "noustaja-10",
    "eesmark": "Kriisitelefonil nõustamine, et abivajaja saaks kiiresti tuge.",
    "ulesanne": "Kriisitelefonil nõustamine.",
    "tulemused": "Nõustamine on tehtud nõuetekohaselt.",
    "haridus": "Kõrgharidus",
    "erialane_tookogemus": "Vähemalt 2-aastane töökogemus.",
    "keeleoskus": "Eesti keele oskus vähemalt tasemel C1.",
    "teadmised_ja_oskused": "Hea suhtlemisoskus.",
    "isikuomadused": "Hoolivus",
    "lisad": "noustaja-9",
}


def fill(text: str, values: dict[str, str]) -> str:
    """Each <TÄIDA> outside comments replaced by the value of the key it stands at."""
    out, key = [], None
    for line in text.splitlines():
        m = re.match(r"\s*(?:- )?([a-z_]+):", line)
        if m and not line.lstrip().startswith("#"):
            key = m.group(1)
        if PLACEHOLDER in line.split("#", 1)[0]:
            assert key in values, f"no value for {key!r} in: {line}"
            line = line.replace(PLACEHOLDER, values[key])
        out.append(line)
    return "\n".join(out) + "\n"


def uncomment(text: str, keys: tuple[str, ...]) -> str:
    """The commented-out samples of `keys` made real (the other comments stay)."""
    out, inside = [], None
    for line in text.splitlines():
        m = re.fullmatch(r"(\s*)# (.*)", line)
        if m:
            indent, body = m.groups()
            start = re.match(r"([a-z_]+):", body)
            if start and start.group(1) in keys:
                inside = indent
                out.append(indent + body)
                continue
            if inside == indent and body.startswith("  "):
                out.append(indent + body)
                continue
        inside = None
        out.append(line)
    return "\n".join(out) + "\n"


def top_keys(text: str) -> dict:
    return dict(strict_yaml().load(text))


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Known]:
    defs = write_project(tmp_path, small_project())
    return defs, read_known(defs)


def test_every_required_key_is_written_with_its_description(small) -> None:
    _defs, known = small
    for record, text in ((POST, post_text(known, "uus")), (DIRECTIVE, directive_text(known, "d2"))):
        data = top_keys(text)
        lines = text.splitlines()
        for key in (k for k in record.keys if k.required):
            assert key.yaml in data, f"{record.title}: {key.yaml} missing"
            at = next(i for i, line in enumerate(lines) if line.startswith(f"{key.yaml}:"))
            block = max(i for i in range(at) if lines[i] == "") + 1  # the key's comments begin here
            assert lines[block].startswith(f"# {key.doc}"), lines[block:at]
            if isinstance(key.shape, Record):
                assert {k.yaml for k in key.shape.keys if k.required} <= set(data[key.yaml])
        optional = {k.yaml for k in record.keys if not k.required} - {"vahetu_juht"}
        assert optional & set(data) == set()  # the optional keys are comments


def test_a_key_that_becomes_required_is_written_by_itself(small) -> None:
    """The file follows the declarations: a new required key, and an optional one made required."""
    _defs, known = small
    new = Key("uus_kohustuslik", Plain(), "uus kohustuslik võti", "x", required=True)
    keys = tuple(dataclasses.replace(k, required=True) if k.yaml == "eesmark" else k for k in POST.keys)
    text = post_text(known, "uus", record=dataclasses.replace(POST, keys=(*keys, new)))
    assert f"# uus kohustuslik võti\nuus_kohustuslik: {PLACEHOLDER}\n" in text
    assert f"\neesmark: {PLACEHOLDER}\n" in text and "# eesmark:" not in text
    signatory = dataclasses.replace(DIRECTIVE.key("allkirjastaja").shape, keys=(
        *DIRECTIVE.key("allkirjastaja").shape.keys, Key("roll", Plain(), "allkirjastaja roll", "role", required=True)))
    keys = tuple(dataclasses.replace(k, shape=signatory) if k.yaml == "allkirjastaja" else k for k in DIRECTIVE.keys)
    text = directive_text(known, "d2", record=dataclasses.replace(DIRECTIVE, keys=keys))
    assert top_keys(text)["allkirjastaja"]["roll"] == PLACEHOLDER


def test_the_first_line_names_the_schema_as_the_example_files_do(small) -> None:
    _defs, known = small
    post_line = (ROOT / "definitions/ametikohad/noustaja-9.yaml").read_text(encoding="utf-8").splitlines()[0]
    directive_line = (ROOT / "definitions/kaskkirjad/2026-02.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert post_text(known, "uus").splitlines()[0] == post_line
    assert directive_text(known, "d2").splitlines()[0] == directive_line


def test_an_unfilled_file_is_refused_at_each_placeholder(small) -> None:
    defs, known = small
    text = post_text(known, "uus", unit="talitus")
    write_new(defs / "ametikohad/uus.yaml", text, "uus.yaml")
    with pytest.raises(DefinitionError) as err:
        load_definitions(defs)
    problems = err.value.problems
    assert [(p.file, p.line) for p in problems] == [("definitions/ametikohad/uus.yaml", n)
                                                    for n in unfilled_lines(text)]
    assert len(problems) == 3  # teenistuskoht, ametikoha_grupp, vahetu_juht: the unit was given
    assert all(p.message.startswith(f"täitmata koht {PLACEHOLDER} (võti ") for p in problems)
    assert '(võti "ametikoha_grupp")' in problems[1].message
    (defs / "ametikohad/uus.yaml").unlink()
    text = directive_text(known, "d2")
    write_new(defs / "kaskkirjad/d2.yaml", text, "d2.yaml")
    with pytest.raises(DefinitionError) as err:
        load_definitions(defs)
    assert [(p.line, p.message.split('"')[1]) for p in err.value.problems] == list(
        zip(unfilled_lines(text), ["struktuuriyksus", "lisad"], strict=True))  # a list item: its own line


def test_the_options_fill_what_they_name(small) -> None:
    _defs, known = small
    data = top_keys(post_text(known, "uus", unit="talitus", manager="juht"))
    assert (data["struktuuriyksus"], data["vahetu_juht"]) == ("talitus", "juht")
    data = top_keys(directive_text(known, "d2", unit="talitus", annexes=["spets", "juht"]))
    assert (data["struktuuriyksus"], list(data["lisad"])) == ("talitus", ["spets", "juht"])
    assert "number" not in data and "kuupaev" not in data
    assert unfilled_lines(directive_text(known, "d2", unit="talitus", annexes=["spets"])) == []


def test_without_options_the_comments_list_what_exists(small) -> None:
    _defs, known = small
    text = post_text(known, "uus", unit="talitus")
    managers = text[text.index("# vahetu juhi ametikoht"):text.index("vahetu_juht:")]
    # the unit's posts and those of the unit above it, not the others
    assert "#   juht: talituse juhataja" in managers and "#   osakonna-juhataja: osakonna juhataja" in managers
    assert "muu" not in managers
    units = post_text(known, "uus")
    units = units[units.index("# struktuuriüksuse id"):units.index("struktuuriyksus:")]
    assert all(f"#   {u}: " in units for u in ("osakond", "talitus", "muu"))
    annexes = directive_text(known, "d2")
    annexes = annexes[annexes.index("# lisade ametikohad"):annexes.index("lisad:")]
    assert "#   spets: spetsialist" in annexes and "osakonna-juhataja" not in annexes  # no job description


def test_unknown_units_and_posts_are_refused_with_the_nearest(small) -> None:
    _defs, known = small
    with pytest.raises(DefinitionError, match='--yksus: struktuuriüksust "talitu" ei ole .*Kas mõtlesid "talitus"'):
        pick_unit(known, "talitu")
    with pytest.raises(DefinitionError, match='--juht: ametikohta "jut" ei ole .*Kas mõtlesid "juht"'):
        pick_post(known, "jut")
    with pytest.raises(DefinitionError) as err:
        pick_annexes(known, "spets, spets,osakonna-juhataja,nustaja")
    assert [p.message.split(" ")[2] for p in err.value.problems] == ['"spets"', '"osakonna-juhataja"', '"nustaja"']
    assert pick_annexes(known, "spets, juht") == ["spets", "juht"]


@pytest.mark.parametrize("text", ["a: b", "#x", "x #y", "- x", "true", "null", "~", "", " lead", "trail ",
                                  '"q"', "'q'", "{{ x }}", "kaks\nrida", "1.10", "§ 52", "@x", "%x", "x:",
                                  "Avaliku teenistuse seaduse § 52 lõigete 1 ja 2", "<TÄIDA>"])
def test_a_value_is_written_so_that_it_reads_back_the_same(text: str) -> None:
    assert strict_yaml().load(f"k: {yaml_scalar(text)}\n")["k"] == text


def test_an_existing_file_is_kept_unless_replaced(tmp_path: Path) -> None:
    path = tmp_path / "ametikohad/x.yaml"
    write_new(path, "a: 1\n", "x.yaml")
    with pytest.raises(DefinitionError, match="x.yaml: fail on juba olemas; seda ei muudetud.*--asenda"):
        write_new(path, "a: 2\n", "x.yaml")
    assert path.read_text(encoding="utf-8") == "a: 1\n"
    write_new(path, "a: 3\n", "x.yaml", replace=True)
    assert path.read_text(encoding="utf-8") == "a: 3\n"
    (tmp_path / "ametikohad/y.yml").write_text("a: 1\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match="juba fail y.yml"):
        write_new(tmp_path / "ametikohad/y.yaml", "a: 2\n", "y.yaml", replace=True)
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.yaml", "y.yml"]  # no temporary file left


def test_filled_files_load_and_build(tmp_path: Path) -> None:
    """A new post (with its optional samples taken up) and a new directive approving it, both
    filled as a person would: the definitions load and the directive builds."""
    project = copy_example(tmp_path / "projekt")
    defs = project / "definitions"
    known = read_known(defs)
    post = uncomment(post_text(known, "noustaja-12"), POST_OPTIONAL)
    assert "ulesanded:\n  - klausel: " in post  # the samples are real keys now
    write_new(defs / "ametikohad/noustaja-12.yaml", fill(post, EXAMPLE_VALUES), "x")
    directive = directive_text(read_known(defs), "2026-03", annexes=["noustaja-12", "noustaja-9"])
    write_new(defs / "kaskkirjad/2026-03.yaml", fill(directive, EXAMPLE_VALUES), "x")
    loaded = load_definitions(defs)
    new = loaded.posts["noustaja-12"]
    assert (new.unit, new.group.value, new.is_full) == ("kriisitoe-talitus", "töötaja", True)
    assert new.manager is not None and [r.post_id for r in new.manager.refs] == ["talituse-juhataja"]
    d = loaded.directives["2026-03"]
    assert d.is_draft and [r.post_id for r in d.annexes] == ["noustaja-12", "noustaja-9"]
    assert [t.value for t in d.legal_basis] == [t.value for t in loaded.directives["2026-02"].legal_basis]
    result = run_build(Project(project), "2026-03", word_only=True)
    assert len(result.directive.annexes) == 2
    assert sorted(p.suffix for p in result.folder.iterdir() if p.suffix == ".docx") == [".docx"] * 3


def test_the_command_line(tmp_path: Path, cli) -> None:
    project = copy_example(tmp_path / "projekt")
    before = tree(project / "definitions")
    bad = cli(project, "uus", "ametikoht", "noustaja-12", "--yksus", "kriisitoe-talitu", code=2)
    assert 'Kas mõtlesid "kriisitoe-talitus"' in bad.stderr and "ei muudetud" in bad.stderr
    assert tree(project / "definitions") == before
    good = cli(project, "uus", "kaskkiri", "2026-03", "--lisad", "noustaja-9")
    text = (project / "definitions/kaskkirjad/2026-03.yaml").read_text(encoding="utf-8")
    lines = ", ".join(map(str, unfilled_lines(text)))
    assert good.stdout == (f"Valmis: definitions/kaskkirjad/2026-03.yaml\n"
                           f"Täida kohad <TÄIDA> (read {lines}); seni faili ei loeta.\n")


@pytest.mark.parametrize("command", ["ametikoht", "kaskkiri"])
def test_the_help_is_estonian(command: str) -> None:
    from typer.testing import CliRunner

    from kaskkiri_builder.cli import app

    out = CliRunner().invoke(app, ["uus", command, "--help"], prog_name="kaskkiri", env={"COLUMNS": "200"}).output
    assert f"Kasutus: kaskkiri uus {command} [VÕTMED]" in out
    assert english_in(out) == [], out


def test_the_optional_samples_are_declared_keys() -> None:
    assert {k for k in POST_OPTIONAL if not any(d.yaml == k for d in POST.keys)} == set()
    assert {k for k in DIRECTIVE_OPTIONAL if not any(d.yaml == k for d in DIRECTIVE.keys)} == set()

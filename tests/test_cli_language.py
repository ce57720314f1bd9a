"""The command line speaks Estonian: every --help, usage line and framework error.

The words below are the framework's English (Click's and Typer's); none may reach a user.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

import kaskkiri_builder
from kaskkiri_builder import cli, cli_language

ENGLISH = re.compile(
    r"\b(Usage|Options|Arguments|Commands|Show this|message|exit|Missing|arguments|option|Error|"
    r"Try|required|default|Invalid|value|such|Got|unexpected|extra|Aborted|valid|integer|float|"
    r"boolean|text|COMMAND|ARGS|OPTIONS|Did you mean|not in the range|range)\b"
)


# The subprocess runs the package this test process imported (not whatever is installed).
_SRC = str(Path(kaskkiri_builder.__file__).resolve().parent.parent)


def run(*args: str) -> str:
    r = subprocess.run([sys.executable, "-m", "kaskkiri_builder", *args], capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "COLUMNS": "200", "PYTHONPATH": _SRC})
    assert "Traceback" not in r.stderr
    return r.stdout + r.stderr


def commands() -> list[str]:
    """Every command, a sub-app's commands too ("klauslid kasutus")."""
    group = typer.main.get_command(cli.app)
    assert isinstance(group, typer.core.TyperGroup)
    names = sorted(group.commands)
    assert {"build", "check", "record", "review"} <= set(names)
    subs = [f"{name} {sub}" for name in names if isinstance(cmd := group.commands[name], typer.core.TyperGroup)
            for sub in sorted(cmd.commands)]
    return sorted(names + subs)


def english_in(text: str) -> list[str]:
    # "--help" and option names are the command's own words, not framework prose
    prose = re.sub(r"--?[a-z][a-z-]*", " ", text)
    return ENGLISH.findall(prose)


def test_the_top_help_is_estonian() -> None:
    out = run("--help")
    assert "Kasutus: kaskkiri [VÕTMED] KÄSK [ARGUMENDID]..." in out
    assert "Näita seda abiteksti ja lõpeta." in out and "Käsud" in out
    assert english_in(out) == []


@pytest.mark.parametrize("command", commands())
def test_every_command_help_is_estonian(command: str) -> None:
    out = run(*command.split(), "--help")
    assert f"Kasutus: kaskkiri {command} [VÕTMED]" in out
    assert "Võtmed" in out and "Näita seda abiteksti ja lõpeta." in out
    assert english_in(out) == [], out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("check",), "Puudub argument 'KASKKIRI'."),
        (("build", "x", "--foo"), "Võtit '--foo' ei ole."),
        (("bild",), "Käsku 'bild' ei ole. Kas mõtlesid 'build'?"),
        (("build", "x", "--aegumine", "abc"), "'abc' ei ole arv."),
        (("build", "x", "--aegumine", "0"), "--aegumine: 0 ei sobi: anna sekundite arv 1 kuni 3600"),
        (("check", "x", "--jsonn"), "Võtit '--jsonn' ei ole. Kas mõtlesid '--json'?"),
        (("build", "x", "y"), "Üleliigne argument (y)"),
        (("build", "x", "--aegumine"), "Võti '--aegumine' vajab väärtust."),
    ],
)
def test_framework_errors_are_estonian(args: tuple[str, ...], expected: str) -> None:
    out = run(*args)
    assert expected in out
    assert english_in(out) == [], out


def test_type_labels() -> None:
    assert cli_language.type_label("<float range>") == "<arv>"
    assert cli_language.type_label("bool") == ""
    assert cli_language.type_label("KAUST") == "KAUST"
    assert cli_language.translate("Missing argument") == "Puudub argument"
    assert cli_language.translate("a message nobody knows") == "a message nobody knows"


_ENDS = """
import atexit, sys, tempfile
left = tempfile.TemporaryDirectory(prefix="kaskkiri-test-")  # cleaned by its finalizer at exit
print(left.name)
atexit.register(lambda: print("exit handler ran"))
sys.argv = ["kaskkiri", *sys.argv[1:]]
from kaskkiri_builder.cli import run
run()
"""


@pytest.mark.parametrize(("args", "code"), [(["--help"], 0), (["build", "../puudub"], 2)])
def test_the_command_ends_after_the_exit_handlers_and_with_its_status(tmp_path, args, code):
    """run() skips the interpreter's teardown (cli._end): the exit handlers still run, tempfile's
    finalizers still remove what they own, the output is whole and the status kept."""
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run([sys.executable, "-c", _ENDS, *args], cwd=tmp_path, capture_output=True,
                          text=True)
    lines = done.stdout.splitlines()
    assert done.returncode == code, done.stderr
    assert lines[-1] == "exit handler ran"
    assert not Path(lines[0]).exists()
    assert ("Kasutus" in done.stdout) if code == 0 else done.stderr.strip()

"""The Estonian user guide (docs/kasutusjuhend.md) keeps up with the commands and exit codes.

A command added to the CLI, or an exit code added to errors.py, must be documented for the users
too: these tests fail until the guide names it.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import typer.main

from kaskkiri_builder import errors
from kaskkiri_builder.cli import app

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "kasutusjuhend.md"
EXIT_HEADING = "## 8. Väljumiskoodid"


def _guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def _command_lines(group: click.Group, prefix: str = "kaskkiri") -> list[str]:
    """Every command as the user types it ("kaskkiri build", "kaskkiri uus ametikoht")."""
    out: list[str] = []
    for name, command in sorted(group.commands.items()):
        line = f"{prefix} {name}"
        out.append(line)
        if isinstance(command, click.Group):
            out.extend(_command_lines(command, line))
    return out


def _exit_codes() -> set[int]:
    """The exit code of KaskkiriError and of every subclass, however deep."""
    codes: set[int] = set()
    todo: list[type[errors.KaskkiriError]] = [errors.KaskkiriError]
    while todo:
        cls = todo.pop()
        codes.add(cls.exit_code)
        todo.extend(cls.__subclasses__())
    return codes


def _exit_table(text: str) -> set[int]:
    """The codes in the first column of the table under the exit-code heading."""
    section = text.split(EXIT_HEADING, 1)[1].split("\n## ", 1)[0]
    return {int(m) for m in re.findall(r"(?m)^\|\s*(\d+)\s*\|", section)}


def test_every_command_is_in_the_guide() -> None:
    cli = typer.main.get_command(app)
    assert isinstance(cli, click.Group)
    commands = _command_lines(cli)
    assert {"kaskkiri build", "kaskkiri record", "kaskkiri uus ametikoht"} <= set(commands)
    text = _guide()
    missing = [c for c in commands if f"`{c}" not in text]
    assert not missing, f"docs/kasutusjuhend.md does not name: {missing}"


def test_every_exit_code_is_in_the_exit_code_table() -> None:
    codes = _exit_codes()
    assert {2, 6, 10, 11} <= codes
    text = _guide()
    assert EXIT_HEADING in text
    table = _exit_table(text)
    missing = sorted(codes - table)
    assert not missing, f"the exit-code table of docs/kasutusjuhend.md lacks: {missing}"


def test_the_exit_table_reader_sees_a_missing_code() -> None:
    """The table reader reads the table, not any number in the text: a row removed is missed."""
    text = _guide()
    without_11 = re.sub(r"(?m)^\|\s*11\s*\|.*\n", "", text)
    assert 11 in _exit_table(text)
    assert 11 not in _exit_table(without_11)

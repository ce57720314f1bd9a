"""The command line's framework text in Estonian: usage lines, help panels, Click's errors.

Click and Typer mark their own user-facing strings with gettext but ship no Estonian catalogue,
so `--help` said "Show this message and exit" and a missing argument "Missing argument". Their
`_` is replaced here by a lookup in `ESTONIAN` (the English text is the key, as in a gettext
catalogue); strings with placeholders keep them, so Click formats them as before. Type labels
in the help's type column ("<str>", "<float range>") are translated the same way.
`install()` runs once, before the typer app is built.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

#: Click's and Typer's messages (as of click 8.1–8.3, typer 0.12–0.29) → Estonian.
ESTONIAN: dict[str, str] = {
    "Usage:": "Kasutus:",
    "Usage": "Kasutus",
    "Options": "Võtmed",
    "Arguments": "Argumendid",
    "Commands": "Käsud",
    "Positional arguments": "Argumendid",
    "Error": "Viga",
    "Error: {message}": "Viga: {message}",
    "Aborted.": "Katkestatud.",
    "Aborted!": "Katkestatud!",
    "Show this message and exit.": "Näita seda abiteksti ja lõpeta.",
    "Show the version and exit.": "Näita versiooni ja lõpeta.",
    "Try '{command} {option}' for help.": "Abi saamiseks: '{command} {option}'.",
    "Try [blue]'{command_path} {help_option}'[/] for help.":
        "Abi saamiseks: [blue]'{command_path} {help_option}'[/].",
    "[default: {}]": "[vaikimisi: {}]",
    "default: {default}": "vaikimisi: {default}",
    "[env var: {}]": "[keskkonnamuutuja: {}]",
    "env var: {var}": "keskkonnamuutuja: {var}",
    "[required]": "[kohustuslik]",
    "required": "kohustuslik",
    "(deprecated) ": "(aegunud) ",
    "deprecated": "aegunud",
    "(dynamic)": "(dünaamiline)",
    "Missing argument": "Puudub argument",
    "Missing option": "Puudub võti",
    "Missing parameter": "Puudub parameeter",
    "Missing parameter: {param_name}": "Puudub parameeter: {param_name}",
    "Missing {param_type}": "Puudub {param_type}",
    "Missing command.": "Käsk puudub. Vaata käske: kaskkiri --help.",
    "No such command {name!r}.": "Käsku {name!r} ei ole.",
    "No such option {name!r}.": "Võtit {name!r} ei ole.",
    "No such option: {name}": "Võtit {name} ei ole.",
    "Did you mean {possibility}?": "Kas mõtlesid {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Kas mõtlesid üht neist: {possibilities}?)",
    "Option {name!r} does not take a value.": "Võti {name!r} ei võta väärtust.",
    "Option {name!r} requires an argument.": "Võti {name!r} vajab väärtust.",
    "Option {name!r} requires {nargs} arguments.": "Võti {name!r} vajab {nargs} väärtust.",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} võtab {nargs} väärtust.",
    "Got unexpected extra argument ({args})": "Üleliigne argument ({args})",
    "Got unexpected extra arguments ({args})": "Üleliigsed argumendid ({args})",
    "Takes {nargs} values but 1 was given.": "Vajab {nargs} väärtust, aga anti 1.",
    "Takes {nargs} values but {len} were given.": "Vajab {nargs} väärtust, aga anti {len}.",
    "Invalid value for {param_hint}: {message}": "Vigane väärtus: {param_hint}: {message}",
    "Invalid value: {message}": "Vigane väärtus: {message}",
    "Invalid start character for option ({option})": "Vigane võtme algus ({option})",
    "{value!r} is not a valid {number_type}.": "{value!r} ei ole {number_type}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} ei ole tõeväärtus. Lubatud: {states}",
    "{value!r} is not a valid UUID.": "{value!r} ei ole UUID.",
    "{value} is not in the range {range}.": "{value} ei ole vahemikus {range}.",
    "{value!r} is not {choice}.": "{value!r} ei ole {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} ei ole üks neist: {choices}.",
    "Choose from:\n\t{choices}": "Vali:\n\t{choices}",
    "{value!r} does not match the format {format}.": "{value!r} ei vasta kujule {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} ei vasta kujudele {formats}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} puudub.",
    "{name} {filename!r} is a file.": "{name} {filename!r} on fail, aga vaja on kausta.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} on kaust, aga vaja on faili.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} ei ole loetav.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} ei ole kirjutatav.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} ei ole käivitatav.",
    "Could not open file {filename!r}: {message}": "Faili {filename!r} ei saa avada: {message}",
    "file": "fail",
    "directory": "kaust",
    "path": "tee",
    "unknown error": "tundmatu viga",
    "Value must be an iterable.": "Väärtus peab olema loetelu.",
    "Name '{name}' defined twice": "Nimi '{name}' on kaks korda",
    "%(prog)s, version %(version)s": "%(prog)s, versioon %(version)s",
    "Do you want to continue?": "Kas jätkata?",
    "Confirm the action without prompting.": "Kinnita tegevus küsimata.",
    "Repeat for confirmation": "Korda kinnituseks",
    "Error: The two entered values do not match.": "Viga: sisestatud väärtused ei ühti.",
    "Error: invalid input": "Viga: vigane sisend",
    "Press any key to continue...": "Jätkamiseks vajuta suvalist klahvi...",
}

#: Type labels of the help's type column and of Click's "is not a valid …" messages.
TYPE_LABELS: dict[str, str] = {
    "str": "tekst",
    "text": "tekst",
    "bool": "",
    "boolean": "",
    "int": "täisarv",
    "integer": "täisarv",
    "integer range": "täisarv",
    "float": "arv",
    "float range": "arv",
    "path": "kaust",
    "Path": "kaust",
    "filename": "fail",
    "datetime": "kuupäev",
    "uuid": "UUID",
}

#: Placeholders of the usage line ("Usage: kaskkiri [OPTIONS] COMMAND [ARGS]...").
USAGE_PIECES: dict[str, str] = {
    "[OPTIONS]": "[VÕTMED]",
    "COMMAND [ARGS]...": "KÄSK [ARGUMENDID]...",
}

_CLICK_MODULES = ("core", "exceptions", "parser", "types", "formatting", "decorators", "termui",
                  "utils", "_termui_impl", "shell_completion")
_TYPER_MODULES = ("core", "rich_utils", "main")
#: Typer's help-panel texts, fixed when rich_utils is imported.
_RICH_CONSTANTS = ("DEPRECATED_STRING", "DEFAULT_STRING", "ENVVAR_STRING", "REQUIRED_LONG_STRING",
                   "ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE",
                   "ERRORS_PANEL_TITLE", "ABORTED_TEXT", "RICH_HELP")

_installed = False


def translate(message: str) -> str:
    """The Estonian of one framework message (the message itself when none is known)."""
    return ESTONIAN.get(message, message)


def ntranslate(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def type_label(label: str | None) -> str | None:
    """'<float range>' → '<arv>', 'bool' → '' (a flag needs no type)."""
    if label is None:
        return None
    bare = label.strip("<>")
    if bare in TYPE_LABELS:
        word = TYPE_LABELS[bare]
        return f"<{word}>" if word and label.startswith("<") else word
    return label


def _wrap_type(method: Callable[..., str | None]) -> Callable[..., str | None]:
    def display(self: Any, ctx: Any) -> str | None:
        return type_label(method(self, ctx))

    return display


def _wrap_usage(method: Callable[..., list[str]]) -> Callable[..., list[str]]:
    def pieces(self: Any, ctx: Any) -> list[str]:
        return [USAGE_PIECES.get(p, p) for p in method(self, ctx)]

    return pieces


def install() -> None:
    """Make Click and Typer speak Estonian in this process (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    for name in _CLICK_MODULES:
        _patch(f"click.{name}")
    for name in _TYPER_MODULES:
        _patch(f"typer.{name}")
    rich_utils = importlib.import_module("typer.rich_utils")
    for constant in _RICH_CONSTANTS:
        value = getattr(rich_utils, constant, None)
        if isinstance(value, str):
            setattr(rich_utils, constant, _estonian_constant(value))
    typer_core = importlib.import_module("typer.core")
    for cls_name in ("TyperOption", "TyperArgument"):
        cls = getattr(typer_core, cls_name, None)
        if cls is not None and hasattr(cls, "display_type_rich"):
            cls.display_type_rich = _wrap_type(cls.display_type_rich)
    click_core = importlib.import_module("click.core")
    click_core.Command.collect_usage_pieces = _wrap_usage(click_core.Command.collect_usage_pieces)
    group = getattr(click_core, "Group", None)
    if group is not None and "collect_usage_pieces" in vars(group):
        group.collect_usage_pieces = _wrap_usage(group.collect_usage_pieces)
    click_types = importlib.import_module("click.types")
    for cls in vars(click_types).values():
        label = getattr(cls, "name", None)
        if isinstance(cls, type) and isinstance(label, str):
            setattr(cls, "name", TYPE_LABELS.get(label, label))  # noqa: B010 - a class attribute


def _estonian_constant(value: str) -> str:
    """A constant already formatted from a message at import: translate it back from the key."""
    for english, estonian in ESTONIAN.items():
        if value == english:
            return estonian
    return value


def _patch(module_name: str) -> None:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return
    if hasattr(module, "_"):
        module._ = translate  # type: ignore[attr-defined]
    if hasattr(module, "ngettext"):
        module.ngettext = ntranslate  # type: ignore[attr-defined]


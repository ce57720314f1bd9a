"""Directive and post ids as they arrive from the user, checked before they name a file or a folder.

An id becomes `definitions/kaskkirjad/<id>.yaml`, `output/<id>/` and `arhiiv/<id>/`; `..` or
`x;rm -rf` there would reach outside those folders, so the id is refused where it enters.
"""

from __future__ import annotations

import re

from .errors import DefinitionError

#: The same pattern as the definitions' ids (definitions/schema.py ID_RE).
ID_PATTERN = "[a-z0-9][a-z0-9-]*"
_ID_RE = re.compile(ID_PATTERN)


def check_directive_id(text: str) -> str:
    """`text` unchanged when it is a valid directive id; otherwise a DefinitionError."""
    return _check_id(text, "käskkirja id", "2026-02", "definitions/kaskkirjad/")


def check_post_id(text: str) -> str:
    """`text` unchanged when it is a valid post id (a file name in ametikohad/); otherwise a
    DefinitionError. The head's reserved id (definitions.model HEAD_ID) names no file."""
    from .definitions.model import HEAD_ID

    if text == HEAD_ID:
        raise DefinitionError(
            f'ametikoha id "{HEAD_ID}" on reserveeritud: see tähistab asutuse juhti '
            '(organisatsioon.yaml "juht"), keda ametikoha failina ei kirjeldata. Asutuse juhile '
            f'alluva ametikoha failis kirjuta "vahetu_juht: {HEAD_ID}"; uuele ametikohale vali teine id.'
        )
    return _check_id(text, "ametikoha id", "noustaja-12", "definitions/ametikohad/")


def _check_id(text: str, what: str, example: str, folder: str) -> str:
    if _ID_RE.fullmatch(text):
        return text
    raise DefinitionError(
        f"{what} {text!r} ei sobi: id võib sisaldada ainult väiketähti a–z, numbreid ja "
        f"sidekriipse ning peab algama tähe või numbriga (muster ^{ID_PATTERN}$), näiteks "
        f'"{example}". Id on faili nimi kaustas {folder} ilma laiendita .yaml.'
    )


def check_directive_number(text: str) -> str:
    """`text` exactly as typed when it is a register number (definitions.shapes NUMBER_RULE);
    otherwise a DefinitionError. Kept as text everywhere: "007" stays "007", "1.10" stays "1.10"."""
    from .definitions.shapes import NUMBER_RULE, is_register_number, shown

    if is_register_number(text):
        return text
    raise DefinitionError(f'--nr: number "{shown(text)}" ei sobi: lubatud on {NUMBER_RULE}.')

"""Directive ids as they arrive from the user, checked before they name a file or a folder.

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
    if _ID_RE.fullmatch(text):
        return text
    raise DefinitionError(
        f"käskkirja id {text!r} ei sobi: id võib sisaldada ainult väiketähti a–z, numbreid ja "
        f"sidekriipse ning peab algama tähe või numbriga (muster ^{ID_PATTERN}$), näiteks "
        f'"2026-02". Id on faili nimi kaustas definitions/kaskkirjad/ ilma laiendita .yaml.'
    )


#: A directive's register number: ASCII digits, or a register index of digit groups joined by
#: ".", "-" and "/" as many agencies number their directives ("12", "1-2/22-015", "3-1/61-1").
NUMBER_PATTERN = r"[0-9]+(?:[./-][0-9]+)*"
_NUMBER_RE = re.compile(NUMBER_PATTERN, re.ASCII)
MAX_NUMBER_LENGTH = 30


def check_directive_number(text: str) -> str:
    """`text` exactly as typed when it is a register number; otherwise a DefinitionError.

    Kept as text everywhere (documents, YAML, ledger, archive): "007" stays "007", "1.10" stays
    "1.10"."""
    if len(text) <= MAX_NUMBER_LENGTH and _NUMBER_RE.fullmatch(text):
        return text
    shown = text if len(text) <= 40 else text[:37] + "…"
    raise DefinitionError(
        f"käskkirja number {shown!r} ei sobi: number koosneb numbritest 0–9, mida võivad "
        'eraldada ".", "-" ja "/" (näiteks 12 või 1-2/22-015), kokku kuni '
        f"{MAX_NUMBER_LENGTH} märki. Kirjuta number nii, nagu register selle andis."
    )

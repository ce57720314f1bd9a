"""The one YAML round trip kaskkiri writes the user's definitions with.

ruamel.yaml's round trip keeps the user's comments, quotes and layout; the width and indents are
the definitions' own (two spaces, lists indented under their key), so a file kaskkiri rewrote
(`record`, `klauslid soovita --rakenda`) differs from the user's only where it had to.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML

#: Lines are folded beyond this many characters.
WIDTH = 100


def round_trip() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = WIDTH
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def dump(data: Any) -> str:
    buf = io.StringIO()
    round_trip().dump(data, buf)
    return buf.getvalue()

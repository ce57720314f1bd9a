"""The agency's logo for the letterhead: a PNG or JPEG file inside the project.

organisatsioon.yaml names it (`kirjaplank.logo`, relative to the project); the definitions only
check how the path is written, so the file itself is checked here, where it is read: it must stay
inside the project (no symbolic link out of it), be a regular file of a sane size, and be a PNG
or a JPEG whose header a Word file can carry. Each fault gets an Estonian message at the key.
"""

from __future__ import annotations

import stat
from pathlib import Path

from .definitions.model import Letterhead, Text
from .errors import DefinitionError

#: A logo is a few KiB to a few hundred KiB; a larger file is a photograph or a mistake.
MAX_LOGO_BYTES = 2 * 1024 * 1024
#: Pixels along either side: a letterhead logo needs a few hundred.
MAX_LOGO_PIXELS = 6000
_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def _fail(logo: Text, what: str) -> DefinitionError:
    return DefinitionError(logo.source.problem(
        f'logo "{logo.value}": {what} Paranda organisatsioon.yaml-i kirjaplank.logo või eemalda see '
        "võti (siis on kirjaplangil ainult asutuse nimi)."))


def logo_bytes(root: Path, letterhead: Letterhead) -> bytes | None:
    """The logo file's bytes, or None when no logo is configured.

    `root` is the project the build reads (an archived directive's archive folder for a recorded
    one), so the logo is looked up where its templates are.
    """
    logo = letterhead.logo
    if logo is None:
        return None
    path = root / logo.value
    try:
        inside = path.resolve().is_relative_to(root.resolve())
        info = path.stat()
    except FileNotFoundError:
        raise _fail(logo, "faili ei ole.") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
        raise _fail(logo, f"faili ei saa lugeda ({getattr(exc, 'strerror', None) or exc}).") from None
    if not inside:
        raise _fail(logo, "fail on väljaspool projekti kausta (sümbolviide?). Kopeeri pilt projekti, "
                          "näiteks templates/ kausta.")
    if not stat.S_ISREG(info.st_mode):
        raise _fail(logo, "see ei ole tavaline fail (kaust, seade või toru).")
    if info.st_size > MAX_LOGO_BYTES:
        raise _fail(logo, f"fail on liiga suur ({info.st_size // 1024} KiB, lubatud "
                          f"{MAX_LOGO_BYTES // 1024} KiB). Salvesta väiksem pilt.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(logo, f"faili ei saa lugeda ({exc.strerror}).") from None
    _check_image(logo, data)
    return data


def _check_image(logo: Text, data: bytes) -> None:
    kind = next((name for magic, name in _MAGIC.items() if data.startswith(magic)), None)
    if kind is None:
        raise _fail(logo, "fail ei ole PNG- ega JPEG-pilt (faili sisu järgi). Salvesta pilt PNG-vormingus.")
    try:
        from docx.image.image import Image  # python-docx: imported when a logo is read

        image = Image.from_blob(data)
        width, height = image.px_width, image.px_height
    except Exception as exc:  # python-docx's header parsers raise whatever a cut header makes them
        raise _fail(logo, f"{kind}-pilt on rikutud ({type(exc).__name__}). Salvesta pilt uuesti.") from None
    if not (0 < width <= MAX_LOGO_PIXELS and 0 < height <= MAX_LOGO_PIXELS):
        raise _fail(logo, f"pildi mõõdud {width}×{height} pikslit ei sobi (lubatud 1–{MAX_LOGO_PIXELS} "
                          "pikslit kummaski suunas).")

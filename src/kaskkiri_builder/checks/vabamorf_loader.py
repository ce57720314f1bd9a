"""Vabamorf's Python class without importing the whole of estnltk.

`from estnltk.vabamorf.morf import Vabamorf` first runs `estnltk/__init__.py`, which pulls in
pandas, its converters and taggers: about 1.4 s of the 1.5 s a check pays before its first word
(measured here; Vabamorf's own lexicon loads in 0.1 s). The spelling and grammar checks need only
`estnltk/vabamorf/`: `morf.py`, its SWIG wrapper `vabamorf.py` and the compiled `_vabamorf`,
which import nothing else of estnltk. So those three are loaded from estnltk's installed folder
as the submodules of a private package (PRIVATE), never under estnltk's names: a later
`import estnltk` elsewhere gets the real package, untouched.

If that folder's layout changes (a new estnltk), the normal import is used instead: slower, never
wrong. One class serves both checks, so a process holds one Vabamorf instance (estnltk: Vabamorf
has global state; one instance per process).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

#: The private package the three files are loaded into.
PRIVATE = "_kaskkiri_vabamorf"


def _vabamorf_folder() -> Path | None:
    """estnltk/vabamorf/ as installed, found without running estnltk/__init__.py."""
    spec = importlib.util.find_spec("estnltk")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "vabamorf"
        if (folder / "morf.py").is_file() and (folder / "vabamorf.py").is_file():
            return folder
    return None


def _load_private(folder: Path) -> Any:
    package = types.ModuleType(PRIVATE)
    package.__path__ = [str(folder)]
    package.__package__ = PRIVATE
    sys.modules[PRIVATE] = package
    try:
        morf = importlib.import_module(f"{PRIVATE}.morf")
    except BaseException:
        for name in [n for n in sys.modules if n == PRIVATE or n.startswith(PRIVATE + ".")]:
            del sys.modules[name]
        raise
    return morf.Vabamorf


@functools.lru_cache(maxsize=1)
def vabamorf_class() -> Any:
    """estnltk's `Vabamorf` class (its `instance()` is the process's analyser)."""
    folder = _vabamorf_folder()
    if folder is not None:
        try:
            return _load_private(folder)
        except Exception:  # another estnltk layout: the normal import below
            pass
    from estnltk.vabamorf.morf import Vabamorf

    return Vabamorf

"""Vabamorf is loaded without estnltk's package import, and answers as estnltk's own class does."""

from __future__ import annotations

import json
import subprocess
import sys

from kaskkiri_builder.checks import vabamorf_loader

WORDS = ["Talituse", "töö", "juhtimine", "juhtimien", "teenistujatele", "püsitatud"]

PROBE = """
import json, sys
{load}
morf = Vabamorf.instance()
print(json.dumps({{
    "estnltk": sorted(n for n in sys.modules if n == "estnltk" or n.startswith("estnltk.")),
    "pandas": "pandas" in sys.modules,
    "spelling": morf.spellcheck({words!r}, suggestions=True),
    "analysis": morf.analyze(["juhtimine"], disambiguate=False),
}}))
"""


def _probe(load: str) -> dict:
    code = PROBE.format(load=load, words=WORDS)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_private_load_imports_nothing_of_estnltk_and_answers_as_estnltk_does() -> None:
    ours = _probe("from kaskkiri_builder.checks.vabamorf_loader import vabamorf_class\n"
                  "Vabamorf = vabamorf_class()")
    theirs = _probe("from estnltk.vabamorf.morf import Vabamorf")
    assert ours["estnltk"] == [] and not ours["pandas"]
    assert "estnltk" in theirs["estnltk"]  # the probe would see the package import
    assert ours["spelling"] == theirs["spelling"]
    assert [v["spelling"] for v in ours["spelling"]] == [True, True, True, False, True, False]
    assert ours["analysis"] == theirs["analysis"]


FALLBACK = """
import sys
from pathlib import Path
from kaskkiri_builder.checks import vabamorf_loader
vabamorf_loader._vabamorf_folder = lambda: {folder}
cls = vabamorf_loader.vabamorf_class()
private = [n for n in sys.modules if n.startswith(vabamorf_loader.PRIVATE)]
print(cls.__module__, private, cls.instance().spellcheck(["juhtimien"], suggestions=False)[0]["spelling"])
"""


def _fallback(folder: str) -> str:
    code = FALLBACK.format(folder=folder)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_without_the_folder_it_falls_back_to_estnltk_s_import() -> None:
    assert _fallback("None").split() == ["estnltk.vabamorf.morf", "[]", "False"]


def test_a_folder_that_will_not_load_falls_back_and_leaves_no_private_modules(tmp_path) -> None:
    (tmp_path / "morf.py").write_text("raise ImportError('another layout')\n", encoding="utf-8")
    (tmp_path / "vabamorf.py").write_text("", encoding="utf-8")
    assert _fallback(f"Path({str(tmp_path)!r})").split() == ["estnltk.vabamorf.morf", "[]", "False"]


def test_the_class_is_loaded_once_per_process() -> None:
    assert vabamorf_loader.vabamorf_class() is vabamorf_loader.vabamorf_class()

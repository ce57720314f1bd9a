"""The conversion cache: LibreOffice's PDFs kept by Word file, LibreOffice, fonts and clock.

The cache module's parts run here without LibreOffice (entries, damage, eviction, concurrent
writers, what the key covers); the build's use of it runs with a LibreOffice stand-in that logs
which files it was asked to convert, and once with the real LibreOffice, whose cached rebuild
must equal a clean build byte for byte.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from kaskkiri_builder.build import Project, build
from kaskkiri_builder.canonical_pdf import canonical_pdf
from kaskkiri_builder.conversion_cache import (
    HEADER,
    ConversionCache,
    cache_folder,
    entry_key,
    environment,
    open_cache,
    pack,
)
from toolkit import DRAFT, cli, copy_example, tree


def pdf_bytes(text: str, size: int = 0) -> bytes:
    """Something shaped like a PDF (start and end marker), `size` bytes of filler inside."""
    return b"%PDF-1.7\n% " + text.encode() + b"\n" + b"x" * size + b"\n%%EOF\n"


# --- entries -----------------------------------------------------------------------------------


def test_an_entry_comes_back_as_it_was_stored(tmp_path: Path) -> None:
    cache = ConversionCache(tmp_path / "c")
    assert cache.get("a" * 64) is None  # no folder yet: a miss, no error
    cache.put("a" * 64, pdf_bytes("one"))
    cache.put("b" * 64, pdf_bytes("two"))
    assert cache.get("a" * 64) == pdf_bytes("one")
    assert cache.get("b" * 64) == pdf_bytes("two")
    assert not [p for p in (tmp_path / "c").iterdir() if p.name.startswith(".tmp-")]


@pytest.mark.parametrize("damage", ["truncated", "changed", "not a pdf", "cut pdf", "empty", "no header"])
def test_a_damaged_entry_is_a_miss_and_is_deleted(tmp_path: Path, damage: str) -> None:
    cache = ConversionCache(tmp_path)
    key = "d" * 64
    cache.put(key, pdf_bytes("whole", 2000))
    path = tmp_path / f"{key}.pdf"
    raw = path.read_bytes()
    broken = {
        "truncated": raw[: len(raw) // 2],
        "changed": raw[:-100] + b"y" + raw[-99:],
        "not a pdf": pack(b"<html>not a pdf</html>%%EOF"),  # a right digest of wrong content
        "cut pdf": pack(pdf_bytes("whole", 2000)[:-20]),  # no end-of-file marker
        "empty": b"",
        "no header": raw[len(HEADER):],
    }[damage]
    assert broken != raw
    path.write_bytes(broken)
    assert cache.get(key) is None
    assert not path.exists()


def test_what_does_not_look_like_a_whole_pdf_is_not_stored(tmp_path: Path) -> None:
    cache = ConversionCache(tmp_path)
    cache.put("e" * 64, b"%PDF-1.7\n1 0 obj")  # cut off before %%EOF
    cache.put("f" * 64, b"PK\x03\x04 a zip")
    assert list(tmp_path.iterdir()) == []


def test_the_entries_used_longest_ago_are_evicted_first(tmp_path: Path) -> None:
    one = len(pack(pdf_bytes("k0", 1000)))
    cache = ConversionCache(tmp_path, limit=3 * one)
    keys = [f"{i}" * 64 for i in range(4)]
    now = time.time()
    for age, key in zip((400, 300, 200), keys, strict=False):
        cache.put(key, pdf_bytes(key[:2], 1000))
        os.utime(tmp_path / f"{key}.pdf", (now - age, now - age))
    assert cache.get(keys[0]) is not None  # the oldest, used now
    stale, fresh = tmp_path / ".tmp-killed", tmp_path / ".tmp-writing"
    stale.write_bytes(b"x")
    os.utime(stale, (now - 7200, now - 7200))
    fresh.write_bytes(b"x")
    cache.put(keys[3], pdf_bytes(keys[3][:2], 1000))
    cache.evict()
    assert [cache.contains(k) for k in keys] == [True, False, True, True]
    assert sum(p.stat().st_size for p in tmp_path.glob("*.pdf")) <= 3 * one
    assert not stale.exists() and fresh.exists()  # a write under way is left alone


def _hammer(folder: str, worker: int) -> list[str]:
    """Write and read the same keys as the other workers; what a read saw that was wrong."""
    cache = ConversionCache(Path(folder), limit=6 * 300_000)
    wrong = []
    for round_ in range(40):
        for k in range(4):
            key = f"{k}" * 64
            expected = pdf_bytes(f"entry {k}", 200_000 + 10_000 * k)
            if (round_ + worker + k) % 2:
                cache.put(key, expected)
            else:
                got = cache.get(key)
                if got not in (None, expected):
                    wrong.append(f"{k}: {len(got)} bytes")
        if round_ % 10 == 0:
            cache.evict()
    return wrong


def test_concurrent_writers_and_readers_never_see_half_an_entry(tmp_path: Path) -> None:
    with ProcessPoolExecutor(4) as pool:
        results = list(pool.map(_hammer, [str(tmp_path)] * 4, range(4)))
    assert results == [[], [], [], []]
    cache = ConversionCache(tmp_path)
    for k in range(4):
        got = cache.get(f"{k}" * 64)
        assert got in (None, pdf_bytes(f"entry {k}", 200_000 + 10_000 * k))
    assert not list(tmp_path.glob(".tmp-*"))


# --- what the key covers -----------------------------------------------------------------------


def test_the_key_covers_the_word_file_its_name_and_the_environment() -> None:
    base = entry_key(b"docx", "lisa-01.docx", "env")
    assert base == entry_key(b"docx", "lisa-01.docx", "env")
    others = {entry_key(b"docx2", "lisa-01.docx", "env"), entry_key(b"docx", "lisa-02.docx", "env"),
              entry_key(b"docx", "lisa-01.docx", "env2")}
    assert base not in others and len(others) == 3


def test_the_environment_changes_with_libreoffice_fonts_clock_and_locale(tmp_path: Path) -> None:
    install = tmp_path / "libreoffice"
    (install / "program").mkdir(parents=True)
    (install / "share/registry").mkdir(parents=True)
    soffice = install / "program/soffice"
    soffice.write_text("#!/bin/sh\n")
    (install / "share/registry/main.xcd").write_text("settings")
    fonts = tmp_path / "fonts"
    (fonts / "truetype").mkdir(parents=True)
    (fonts / "truetype/Carlito-Regular.ttf").write_bytes(b"font")

    def env(options: str = "pdf 2000-01-01", **environ: str) -> str:
        return environment(str(soffice), options, folders=[fonts], environ={"LANG": "et_EE.UTF-8", **environ})

    first = env()
    assert env() == first  # stable
    seen = {first}

    def changed() -> None:
        now = env()
        assert now not in seen
        seen.add(now)

    (fonts / "truetype/Caladea-Regular.ttf").write_bytes(b"font")  # a font installed
    changed()
    os.utime(fonts / "truetype/Carlito-Regular.ttf", ns=(1, 1))  # a font replaced
    changed()
    (install / "share/registry/main.xcd").write_text("other settings")  # LibreOffice upgraded
    changed()
    assert env("pdf 2026-01-07") not in seen  # another clock
    assert env(LANG="en_US.UTF-8") not in seen  # another locale
    stand_in = tmp_path / "bin/soffice"  # not in an installation: the command file itself counts
    stand_in.parent.mkdir()
    stand_in.write_text("#!/bin/sh\nexit 0\n")
    before = environment(str(stand_in), "pdf", folders=[])
    stand_in.write_text("#!/bin/sh\nexit 1\n")
    assert environment(str(stand_in), "pdf", folders=[]) != before


def test_where_the_cache_is_and_how_to_turn_it_off(tmp_path: Path) -> None:
    assert cache_folder({"KASKKIRI_CACHE": str(tmp_path)}) == tmp_path / "pdf"
    assert cache_folder({"KASKKIRI_CACHE": ""}) is None
    assert cache_folder({"KASKKIRI_CACHE": str(tmp_path), "KASKKIRI_CACHE_PDF": ""}) is None
    assert open_cache({"KASKKIRI_CACHE": " "}) is None
    assert cache_folder({"XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"}) == Path("/x/cache/kaskkiri/pdf")
    assert cache_folder({"XDG_CACHE_HOME": "relative", "HOME": "/home/u"}) == Path("/home/u/.cache/kaskkiri/pdf")
    assert cache_folder({"HOME": "/home/u"}) == Path("/home/u/.cache/kaskkiri/pdf")


# --- the build, with a LibreOffice stand-in ----------------------------------------------------

STAND_IN = """#!{python}
# LibreOffice stand-in: logs the files it is asked to convert and writes for each a one-page PDF
# whose text is the Word file's SHA-256 (so that a PDF given to the wrong file would show).
# Started before the build writes its Word files, it gives each a moment to appear, as
# LibreOffice's start does; each call's files go to <log>.calls, one line a call.
import hashlib, io, pathlib, sys, time
from pypdf import PdfWriter
args = sys.argv[1:]
outdir = pathlib.Path(args[args.index("--outdir") + 1])
files = [pathlib.Path(a) for a in args[args.index("--outdir") + 2:]]
with open({log!r} + ".calls", "a") as calls:
    calls.write(" ".join(f.name for f in files) + "\\n")
with open({log!r}, "a") as log:
    for f in files:
        deadline = time.monotonic() + 5
        while not f.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        if not f.exists():
            continue
        log.write(f.name + "\\n")
        w = PdfWriter()
        w.add_blank_page(200, 200)
        w.add_metadata({{"/Subject": hashlib.sha256(f.read_bytes()).hexdigest()}})
        buf = io.BytesIO()
        w.write(buf)
        (outdir / (f.stem + ".pdf")).write_bytes(buf.getvalue())
"""


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, str], Path]:
    """The stand-in and a private cache, for this process and the `cli` runs (given `env`); the
    stand-in's log."""
    log = tmp_path / "converted.log"
    log.touch()
    script = tmp_path / "soffice"
    script.write_text(STAND_IN.format(python=sys.executable, log=str(log)))
    script.chmod(0o755)
    env = {"KASKKIRI_SOFFICE": str(script), "KASKKIRI_CACHE": str(tmp_path / "cache")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("KASKKIRI_CACHE_PDF", raising=False)  # conftest turns the PDF cache off
    return env, log


def build_draft(project: Path, cache: bool = True) -> tuple[dict[str, str], str]:
    """A build in this process (no checks: they do not touch the PDFs): the output's files and
    the progress lines."""
    lines: list[str] = []
    build(Project(project), DRAFT, checks=False, cache=cache, progress=lines.append)
    return tree(project / "output" / DRAFT), "\n".join(lines)


def converted(log: Path) -> list[str]:
    """The files converted since the last call."""
    names = log.read_text().split()
    log.write_text("")
    return sorted(names)


ALL = ["kaskkiri.docx", "lisa-01-peaspetsialist-kriisitugi.docx", "lisa-02-noustaja-10.docx",
       "lisa-03-analuutik-kriisitugi.docx"]


def change_lisa_3(project: Path) -> None:
    post = project / "definitions/ametikohad/analuutik-kriisitugi.yaml"
    text = post.read_text(encoding="utf-8")
    assert "aruannete koostamine." in text
    post.write_text(text.replace("aruannete koostamine.", "aruannete koostamine ja esitamine."),
                    encoding="utf-8")


def test_an_unchanged_word_file_is_not_converted_again(tmp_path: Path, stand_in) -> None:
    env, log = stand_in
    project = copy_example(tmp_path / "projekt")
    first, _ = build_draft(project)
    assert converted(log) == ALL

    again, progress = build_draft(project)
    assert converted(log) == []
    assert "PDF-id vahemälust: 4; LibreOffice teisendab: 0" in progress
    assert again == first

    change_lisa_3(project)
    cached, progress = build_draft(project)
    assert converted(log) == ["lisa-03-analuutik-kriisitugi.docx"]
    assert "PDF-id vahemälust: 3; LibreOffice teisendab: 1" in progress
    assert cached != first
    clean, _ = build_draft(project, cache=False)
    assert converted(log) == ALL
    assert clean == cached  # every file, manifest.json too


def test_libreoffice_starts_before_the_word_files_are_written_for_the_changed_annex(
        tmp_path: Path, stand_in) -> None:
    """The Word files the last build rendered tell which PDFs the cache will lack: LibreOffice
    starts for those at once, while the others are written, and for nothing else."""
    env, log = stand_in
    calls = Path(f"{log}.calls")
    project = copy_example(tmp_path / "projekt")
    first, _ = build_draft(project)
    change_lisa_3(project)
    calls.write_text("")
    cached, progress = build_draft(project)
    assert calls.read_text().splitlines() == ["lisa-03-analuutik-kriisitugi.docx"]
    lines = progress.splitlines()
    early = lines.index("Käivitan LibreOffice'i muutunud failide jaoks")
    assert early < lines.index("Kirjutasin 4 Wordi faili")
    assert "PDF-id vahemälust: 3; LibreOffice teisendab: 1" in progress
    converted(log)
    assert build_draft(project, cache=False)[0] == cached


def test_a_wrong_guess_costs_a_second_libreoffice_not_a_wrong_pdf(
        tmp_path: Path, stand_in, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the rendered Word files to go by, no LibreOffice starts early; the one started
    once they are written converts what the cache lacks."""
    env, log = stand_in
    calls = Path(f"{log}.calls")
    project = copy_example(tmp_path / "projekt")
    build_draft(project)
    change_lisa_3(project)
    calls.write_text("")
    monkeypatch.setattr("kaskkiri_builder.render_pool.render_cache.remembered", lambda key: None)
    cached, progress = build_draft(project)
    assert "muutunud failide jaoks" not in progress
    assert calls.read_text().splitlines() == ["lisa-03-analuutik-kriisitugi.docx"]
    converted(log)
    assert build_draft(project, cache=False)[0] == cached


def test_a_damaged_entry_is_converted_again_not_shipped(tmp_path: Path, stand_in) -> None:
    env, log = stand_in
    project = copy_example(tmp_path / "projekt")
    clean, _ = build_draft(project)
    converted(log)
    entries = sorted((tmp_path / "cache/pdf").glob("*.pdf"))
    assert len(entries) == 4
    entries[0].write_bytes(entries[0].read_bytes()[:300])
    assert build_draft(project)[0] == clean
    assert len(converted(log)) == 1
    assert len(list((tmp_path / "cache/pdf").glob("*.pdf"))) == 4  # stored again


def test_the_cache_can_be_turned_off(tmp_path: Path, stand_in, monkeypatch: pytest.MonkeyPatch) -> None:
    env, log = stand_in
    project = copy_example(tmp_path / "projekt")
    build_draft(project)
    converted(log)
    cli(project, "build", DRAFT, "--ilma-vahemaluta", env=env)
    assert converted(log) == ALL
    monkeypatch.setenv("KASKKIRI_CACHE", "")
    build_draft(project)
    assert converted(log) == ALL


def test_two_builds_at_once_share_the_cache(tmp_path: Path, stand_in) -> None:
    """Two projects built at the same time with one cache: both whole, the cache too."""
    env, log = stand_in
    projects = [copy_example(tmp_path / f"projekt{k}") for k in range(2)]
    with ThreadPoolExecutor(2) as pool:
        trees = [t for t, _ in pool.map(build_draft, projects)]
    assert trees[0] == trees[1]
    cache = ConversionCache(tmp_path / "cache/pdf")
    for entry in (tmp_path / "cache/pdf").glob("*.pdf"):
        assert cache.get(entry.stem) is not None
    converted(log)
    assert build_draft(projects[0])[0] == trees[0]
    assert converted(log) == []


# --- the build, with LibreOffice ---------------------------------------------------------------


@pytest.mark.libreoffice
def test_a_cached_rebuild_equals_a_clean_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One post changed, a damaged entry: the warm build converts those two files, and every
    file it writes (manifest.json too) equals a build that converts everything."""
    monkeypatch.setenv("KASKKIRI_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("KASKKIRI_CACHE_PDF", raising=False)
    project = copy_example(tmp_path / "projekt")
    build_draft(project)
    change_lisa_3(project)
    assert len(list((tmp_path / "cache/pdf").glob("*.pdf"))) == 4
    (keys,) = (tmp_path / "cache/pdf").glob("*.keys")  # the build's keys, in file order
    damaged = tmp_path / "cache/pdf" / f"{keys.read_text().split()[0]}.pdf"  # kaskkiri.docx's
    damaged.write_bytes(damaged.read_bytes()[:-500])
    cached, progress = build_draft(project)
    assert "PDF-id vahemälust: 2; LibreOffice teisendab: 2" in progress
    clean, progress = build_draft(project, cache=False)
    assert "vahemälust" not in progress
    assert clean == cached
    # LibreOffice's PDFs are delivered in canonical form: the same bytes whichever order its
    # fonts' objects came in (CI saw kaskkiri.pdf's two orders in these two builds).
    for pdf in (project / "output" / DRAFT).glob("*.pdf"):
        if not pdf.name.startswith("allkirjastamiseks"):
            assert canonical_pdf(pdf.read_bytes()) == pdf.read_bytes(), pdf.name


"""A cache of LibreOffice's PDFs, so that an unchanged Word file is never converted again.

An entry is the PDF as LibreOffice wrote it (package.py's normalisation runs again on every
build), under a key that covers everything that shapes those bytes: the Word file's SHA-256 and
name, the LibreOffice installation, the fonts with fontconfig's settings and the dictionaries,
the locale, and the conversion's options and clock (libfaketime's frozen date). The installation
and the fonts are fingerprinted by the path, size and modification time of each of their files,
as fontconfig checks its own cache: a few milliseconds for ~300 files, where `soffice --version`
would cost a LibreOffice start-up (0.75 s).

An entry is written to a temporary file in the cache folder and renamed into place, so a reader
sees a whole entry or none, also while another build writes. Each entry carries its own SHA-256:
a truncated or damaged one (or one that is no PDF) is deleted and converted again, never used.
The folder is bounded (`DEFAULT_LIMIT`): past the limit the entries used longest ago go first; a
hit renews an entry's modification time, since access times are often not kept (noatime,
relatime). The cache's own I/O errors make a miss, never a failed build.

Where: $KASKKIRI_CACHE (an empty value: no cache), else $XDG_CACHE_HOME/kaskkiri, else
~/.cache/kaskkiri; the PDFs in its `pdf/` folder.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from pathlib import Path

from .user_cache import cache_root, write_atomically
from .user_cache import home as user_home

ENV_VAR = "KASKKIRI_CACHE"
#: 500 MB: about 5,000 PDFs of a page or three.
DEFAULT_LIMIT = 500 * 1024 * 1024
#: The first line of every entry; the entry's SHA-256 (hex) and a newline follow, then the PDF.
HEADER = b"kaskkiri-pdf-cache 1\n"
_DIGEST = 64
_TMP_PREFIX = ".tmp-"
#: A temporary file this old was left by a killed build.
STALE_TMP_SECONDS = 3600.0
#: The parts of a LibreOffice installation that shape its PDFs: the code (any upgrade changes
#: it), the default settings, its own fonts, filters and dictionaries. Not the rest of share/
#: (user interface, gallery, templates): 1,700 more files, 70 ms more.
INSTALLATION_PARTS = ("program", "share/registry", "share/fonts", "share/extensions", "share/filter")
#: The environment variables that change what LibreOffice or fontconfig do.
_ENV_KEYS = ("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "FONTCONFIG_FILE", "FONTCONFIG_PATH")


#: Set to "", turns off the PDF cache alone (the test suite does: a PDF an earlier test left
#: would hide a conversion a test is about, while the other caches only save time).
PDF_ENV_VAR = "KASKKIRI_CACHE_PDF"


def cache_folder(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The PDF cache's folder, or None when the user turned the cache off (KASKKIRI_CACHE="")."""
    if PDF_ENV_VAR in environ and not environ[PDF_ENV_VAR].strip():
        return None
    root = cache_root(environ)
    return None if root is None else root / "pdf"


def shaping_folders(environ: Mapping[str, str] = os.environ) -> list[Path]:
    """Where the files are that change a PDF besides LibreOffice's own: fonts (fontconfig's
    default folders), fontconfig's settings, and spelling and hyphenation dictionaries."""
    home = user_home(environ)
    data = Path(environ.get("XDG_DATA_HOME") or home / ".local/share")
    config = Path(environ.get("XDG_CONFIG_HOME") or home / ".config")
    folders = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), data / "fonts",
               home / ".fonts", Path("/etc/fonts"), config / "fontconfig",
               Path("/usr/share/hunspell"), Path("/usr/share/hyphen")]
    folders += [Path(p) for key in ("FONTCONFIG_FILE", "FONTCONFIG_PATH")
                for p in environ.get(key, "").split(os.pathsep) if p]
    return folders


def environment(soffice: str, options: str, files: Sequence[Path] = (),
                folders: Sequence[Path] | None = None,
                environ: Mapping[str, str] = os.environ) -> str:
    """The fingerprint of everything but the Word file that shapes LibreOffice's PDF.

    `soffice`: the LibreOffice command (its installation's `INSTALLATION_PARTS` when it lies
    in a `program/` folder, else the command file itself, e.g. a stand-in); `options`: the conversion's filter
    and clock as text; `files`: more files it depends on (libfaketime); `folders`: default
    `shaping_folders()`.
    """
    h = hashlib.sha256()
    _add(h, b"options", HEADER + options.encode())
    program = Path(soffice).resolve()
    if program.parent.name == "program":
        for part in INSTALLATION_PARTS:
            _add_tree(h, program.parent.parent / part)
    else:
        try:
            _add(h, b"command", os.fsencode(program) + b"\0" + program.read_bytes())
        except OSError:
            _add(h, b"command", os.fsencode(program))
    for f in files:
        _add_tree(h, Path(f))
    for folder in shaping_folders(environ) if folders is None else folders:
        _add_tree(h, folder)
    for key in _ENV_KEYS:
        _add(h, key.encode(), environ.get(key, "").encode())
    return h.hexdigest()


def _add(h: hashlib._Hash, label: bytes, value: bytes) -> None:
    h.update(label + b"\0" + len(value).to_bytes(8, "big") + value)


def _add_tree(h: hashlib._Hash, root: Path) -> None:
    """Every file under `root` (or `root` itself): path, size, modification time; symbolic
    links followed, each folder once."""
    _add(h, b"tree", os.fsencode(root))
    try:
        st = os.stat(root)
    except OSError:
        return
    if not os.path.isdir(root):
        _add(h, b"file", f"{st.st_size}\0{st.st_mtime_ns}".encode())
        return
    seen = {(st.st_dev, st.st_ino)}
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for e in reversed(entries):  # popped in name order
            try:
                st = e.stat()
            except OSError:
                continue  # a dangling link
            if e.is_dir():
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    stack.append(e.path)
                _add(h, b"dir", os.fsencode(e.path))
            else:
                _add(h, b"file", os.fsencode(e.path) + f"\0{st.st_size}\0{st.st_mtime_ns}".encode())


def entry_key(docx: bytes, name: str, environment: str) -> str:
    """The key of one Word file's PDF: its bytes, its name and the environment."""
    h = hashlib.sha256()
    _add(h, b"environment", environment.encode())
    _add(h, b"name", name.encode())
    _add(h, b"docx", hashlib.sha256(docx).digest())
    return h.hexdigest()


def pack(pdf: bytes) -> bytes:
    """An entry's bytes: the header, the PDF's SHA-256, the PDF."""
    return HEADER + hashlib.sha256(pdf).hexdigest().encode() + b"\n" + pdf


def unpack(raw: bytes) -> bytes | None:
    """The PDF of an entry, or None when the entry is damaged: truncated, changed, not a PDF."""
    start = len(HEADER) + _DIGEST + 1
    if not raw.startswith(HEADER) or len(raw) <= start or raw[start - 1:start] != b"\n":
        return None
    pdf = raw[start:]
    if hashlib.sha256(pdf).hexdigest().encode() != raw[len(HEADER):start - 1]:
        return None
    return pdf if looks_like_pdf(pdf) else None


def looks_like_pdf(data: bytes) -> bool:
    """Starts like a PDF and ends with an end-of-file marker (a cut-off PDF has none)."""
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


class ConversionCache:
    """The cache folder: entries by key, bounded to `limit` bytes."""

    def __init__(self, folder: Path, limit: int = DEFAULT_LIMIT) -> None:
        self.folder, self.limit = Path(folder), limit

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        """The PDF stored under `key`, or None; a damaged entry is deleted."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        pdf = unpack(raw)
        with suppress(OSError):
            if pdf is None:
                path.unlink()
            else:
                os.utime(path)  # used now: the last to be evicted
        return pdf

    def contains(self, key: str) -> bool:
        return self._path(key).is_file()

    def put(self, key: str, pdf: bytes) -> None:
        """Store `pdf` under `key` (a PDF that does not look whole is not stored)."""
        if looks_like_pdf(pdf):
            self._write(self._path(key), pack(pdf))

    def discard(self, key: str) -> None:
        with suppress(OSError):
            self._path(key).unlink()

    def remember(self, label: str, keys: Sequence[str]) -> None:
        """Note the keys of a build (`label`: which build), for `expected_hits`."""
        self._write(self._label_path(label), "\n".join(keys).encode())

    def expected_hits(self, label: str) -> int:
        """How many of the keys the last build with `label` had are stored: a guess of how many
        PDFs the next such build finds here (its Word files are not written yet)."""
        try:
            keys = self._label_path(label).read_text(encoding="ascii").split()
        except (OSError, UnicodeDecodeError):
            return 0
        return sum(self.contains(k) for k in keys)

    def _label_path(self, label: str) -> Path:
        return self.folder / f"{hashlib.sha256(label.encode()).hexdigest()}.keys"

    def _write(self, path: Path, data: bytes) -> None:
        """Write `path` whole or not at all (a failure means no cache this time)."""
        with suppress(OSError):
            write_atomically(path, data, prefix=_TMP_PREFIX)

    def evict(self) -> None:
        """Delete the entries used longest ago until the folder fits its limit, and temporary
        files that killed builds left."""
        now = time.time()
        entries: list[tuple[int, str, int]] = []
        try:
            with os.scandir(self.folder) as it:
                for e in it:
                    try:
                        st = e.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if e.name.startswith(_TMP_PREFIX):
                        if now - st.st_mtime > STALE_TMP_SECONDS:
                            with suppress(OSError):
                                os.unlink(e.path)
                        continue  # a write under way
                    entries.append((st.st_mtime_ns, e.name, st.st_size))
        except OSError:
            return
        total = sum(size for _, _, size in entries)
        for _, name, size in sorted(entries):
            if total <= self.limit:
                break
            with suppress(OSError):
                os.unlink(self.folder / name)
            total -= size


class BuildCache:
    """The cache as one build uses it: PDFs to and from files, by their Word files' keys."""

    def __init__(self, cache: ConversionCache, environment: str, build: str) -> None:
        self.cache, self.environment = cache, environment
        self.label = f"{environment}\0{build}"
        self.keys: dict[Path, str] = {}

    def key(self, docx: Path) -> str:
        if docx not in self.keys:
            self.keys[docx] = entry_key(docx.read_bytes(), docx.name, self.environment)
        return self.keys[docx]

    def expects_most(self, count: int) -> bool:
        """Whether the last such build's PDFs are mostly here (then LibreOffice is started only
        for what the cache lacks, once the Word files are written)."""
        return 2 * self.cache.expected_hits(self.label) >= count > 0

    def would_have(self, docx: bytes | None, name: str) -> bool:
        """Whether the PDF of a Word file `name` with these bytes is here (None: unknown, no)."""
        return docx is not None and self.cache.contains(entry_key(docx, name, self.environment))

    def fetch(self, docx: Path, pdf: Path) -> bool:
        """Write the PDF of `docx` to `pdf` from the cache; False when it is not there."""
        try:
            data = self.cache.get(self.key(docx))
            if data is None:
                return False
            pdf.write_bytes(data)
        except OSError:
            return False
        return True

    def store(self, docx: Path, pdf: Path) -> None:
        """Keep LibreOffice's `pdf` of `docx`."""
        key = self.key(docx)
        if not self.cache.contains(key):
            with suppress(OSError):
                self.cache.put(key, pdf.read_bytes())

    def forget(self, docx: Path) -> None:
        self.cache.discard(self.key(docx))

    def close(self, docx_files: Sequence[Path]) -> None:
        """Note this build's keys (see `expects_most`) and keep the folder within its limit."""
        with suppress(OSError):
            self.cache.remember(self.label, [self.key(p) for p in docx_files])
        self.cache.evict()


def open_cache(environ: Mapping[str, str] = os.environ) -> ConversionCache | None:
    """The user's PDF cache, or None when it is turned off."""
    folder = cache_folder(environ)
    return None if folder is None else ConversionCache(folder)

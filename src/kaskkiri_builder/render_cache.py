"""Word files remembered between builds: an unchanged document is not rendered again.

A Word file is a function of its `render.Document` (the template's and the logo's bytes, the
context, the properties) and of the code that renders it (this package's render modules and the
versions of docxtpl, python-docx, Jinja and lxml), and all of that is the key. Kept in this
process (`watch` renders only the annex a save changed) and in the user's cache folder (a cold
build after one post changed renders that annex alone). The caller reads every file from the
cache folder back and compares it with the resolved texts (render_pool.py); a remembered file that
fails that is forgotten and rendered again, so a damaged entry never reaches the output. What
this process holds has passed that comparison here, with the texts it was compared with
(`verified`): the same key and the same texts need no second reading.
"""

from __future__ import annotations

import hashlib
import json
import stat
from collections import OrderedDict
from collections.abc import Iterable
from functools import cache
from importlib import metadata, resources

from .render import MAX_TEMPLATE_BYTES, Document
from .user_cache import cache_file, prune, write_atomically

#: The folder in the cache, and how many files it keeps (about 40 KB each).
FOLDER = "word"
KEEP = 2000
#: Files kept in this process (watch: a few directives' documents).
IN_PROCESS = 512
_CODE = ("render.py", "render_cache.py", "template_xml.py", "sandbox.py", "logo.py")
_PACKAGES = ("docxtpl", "python-docx", "jinja2", "lxml")

_memory: OrderedDict[str, bytes] = OrderedDict()
_texts: dict[str, str] = {}  # key -> the digest of the texts its file in _memory was verified with
_pruned = False


@cache
def _code_fingerprint() -> bytes:
    package = resources.files("kaskkiri_builder")
    h = hashlib.sha256()
    for name in _CODE:
        h.update(name.encode() + b"\0" + package.joinpath(name).read_bytes())
    for dist in _PACKAGES:
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=?".encode())
    return h.digest()


def _plain(value: object) -> object:
    raise TypeError(f"not plain data: {type(value).__name__}")  # such a document is not cached


def document_key(doc: Document) -> str | None:
    """The document's key, or None when its context is not plain data (it is then not cached)."""
    try:
        context = json.dumps(doc.context, sort_keys=True, ensure_ascii=False, default=_plain)
        info = doc.template.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_TEMPLATE_BYTES:
            return None  # a device or a huge file: rendering reports it (render._read_template)
        template = doc.template.read_bytes()
    except (TypeError, ValueError, OSError):
        return None
    h = hashlib.sha256(_code_fingerprint())
    for part in (doc.template.name, context, doc.title, doc.subject, doc.author,
                 doc.created.isoformat() if doc.created else "", str(doc.logo.height_mm if doc.logo else "")):
        h.update(part.encode() + b"\0")
    h.update(hashlib.sha256(template).digest())
    h.update(hashlib.sha256(doc.logo.data).digest() if doc.logo else b"-")
    return h.hexdigest()


def texts_digest(texts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for text in texts:
        h.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def verified(key: str, texts: str) -> bytes | None:
    """The Word file this process verified for `key` against the texts of digest `texts`."""
    data = _memory.get(key)
    if data is None or _texts.get(key) != texts:
        return None
    _memory.move_to_end(key)
    return data


def keep(key: str, data: bytes, texts: str | None = None) -> None:
    """Hold a file in this process (`texts`: the digest of the texts it was verified with)."""
    _memory[key] = data
    _memory.move_to_end(key)
    if texts is None:
        _texts.pop(key, None)
    else:
        _texts[key] = texts
    if len(_memory) > IN_PROCESS:
        old, _ = _memory.popitem(last=False)
        _texts.pop(old, None)


def remembered(key: str) -> bytes | None:
    """The Word file for `key` from this process or the cache folder (to be verified), or None."""
    data = _memory.get(key)
    if data is not None:
        _memory.move_to_end(key)
        return data
    path = cache_file(FOLDER, f"{key}.docx")
    if path is None:
        return None
    try:
        data = path.read_bytes()
        path.touch()  # recently used: pruned last
    except OSError:
        return None
    return data if data.startswith(b"PK\x03\x04") else None


def remember(key: str, data: bytes, texts: str | None = None) -> None:
    """Keep a verified file, in this process and in the cache folder."""
    global _pruned
    keep(key, data, texts)
    path = cache_file(FOLDER, f"{key}.docx")
    if path is None:
        return
    try:
        write_atomically(path, data)
        if not _pruned:  # once a run: the folder stays within KEEP and this run's files
            _pruned = True
            prune(path.parent, KEEP)
    except OSError:
        pass  # a read-only or full cache folder costs time, never a result


def forget(key: str) -> None:
    _memory.pop(key, None)
    _texts.pop(key, None)
    path = cache_file(FOLDER, f"{key}.docx")
    if path is not None:
        path.unlink(missing_ok=True)

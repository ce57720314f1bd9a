"""The resident LibreOffice's driver, run by the system Python (Debian's python3-uno).

`resident.py` runs this file by its path under /usr/bin/python3, never under kaskkiri's venv:
python3-uno (`import uno`) exists only for the system Python. So it imports nothing but the
standard library and uno. Started as

    python3 -I uno_worker.py <soffice> <work folder> <pipe name> [<clock file>] [--warm-up]

inside a process group that kaskkiri's watchdog leads (see resident.py), it starts LibreOffice
listening on a UNO pipe, connects, and then converts one document per request. It talks to
kaskkiri in JSON lines: stdin gives requests, stdout the replies (LibreOffice's own output goes
to log files in the work folder, so stdout carries nothing else):

    → {"ready": true}                            once connected
    → {"fatal": "uno"|"soffice", "detail": ...}  could not start (then it exits)
    ← {"op": "convert", "src": ..., "out": ..., "filter": ..., "options": ..., "clock": ...}
    → {"ok": true} | {"ok": false, "error": ..., "crashed": bool}
    ← {"op": "quit"}  (or the end of stdin)

A document is opened and stored as `soffice --convert-to` does (desktop/app/dispatchwatcher:
read-only, hidden, silent; FilterName, FilterOptions, Overwrite), so the PDFs are the batch
conversion's bytes. It is written to `<out>.part` and renamed once whole. With a clock file
(libfaketime's FAKETIME_TIMESTAMP_FILE, re-read on every call: FAKETIME_NO_CACHE), the request's
`clock` is written there before the document is opened: LibreOffice's wall clock is then that
moment, as in a batch run under FAKETIME.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import IO, Any

#: The environment variable that carries LD_PRELOAD (libfaketime) for LibreOffice alone: under
#: a frozen clock this loop's own sleeps would fail.
PRELOAD_VAR = "KASKKIRI_UNO_PRELOAD"
#: What the clock file says when a request gives no clock: libfaketime's "no offset".
REAL_TIME = "+0"


def _reply(out: IO[str], message: dict[str, Any]) -> None:
    out.write(json.dumps(message, ensure_ascii=False) + "\n")
    out.flush()


def _write_clock(path: str | None, clock: str | None) -> None:
    if path is None:
        return
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write((clock or REAL_TIME) + "\n")
    os.replace(tmp, path)  # libfaketime never reads half a line


#: The smallest Word file: converting it once, while kaskkiri still writes the real ones, loads
#: what the first real conversion would otherwise wait for (the Word import filter, Writer, the
#: PDF export and its fonts).
_WARM_DOCX = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
        'application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'),
    "word/document.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats'
        '.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Käskkiri</w:t></w:r></w:p>'
        '</w:body></w:document>'),
}


def _warm_up(desktop: Any, prop: Any, uno: Any, work: str, load_args: tuple[Any, ...]) -> None:
    """Convert a tiny Word file once and delete it; failing here is not an error."""
    import zipfile

    src, out = os.path.join(work, "warm.docx"), os.path.join(work, "warm.pdf")
    try:
        with zipfile.ZipFile(src, "w") as z:
            for name, text in _WARM_DOCX.items():
                z.writestr(name, text)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, load_args)
        try:
            doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", "writer_pdf_Export"),))
        finally:
            doc.close(True)
    except Exception:
        pass
    for path in (src, out):
        if os.path.exists(path):
            os.unlink(path)


def _start_office(soffice: str, work: str, pipe: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    preload = env.pop(PRELOAD_VAR, None)
    if preload:
        env["LD_PRELOAD"] = f"{preload} {env['LD_PRELOAD']}".strip() if env.get("LD_PRELOAD") else preload
    profile = "file://" + os.path.join(os.path.abspath(work), "profile")
    args = [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--nologo",
            "--nodefault", "--nolockcheck", "--norestore", f"--accept=pipe,name={pipe};urp;"]
    log = open(os.path.join(work, "soffice.log"), "ab")
    try:
        return subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env)
    finally:
        log.close()


def main(argv: list[str]) -> int:
    # Our replies keep the original stdout; anything a library prints goes to stderr (a log).
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    try:
        import uno  # type: ignore[import-not-found]
        from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
        from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]
    except ImportError as exc:
        _reply(out, {"fatal": "uno", "detail": str(exc)})
        return 3
    args = [a for a in argv if not a.startswith("--")]
    soffice, work, pipe = args[0], args[1], args[2]
    clock_file = args[3] if len(args) > 3 else None

    def prop(name: str, value: object) -> Any:
        return PropertyValue(Name=name, Value=value)

    try:
        office = _start_office(soffice, work, pipe)
    except OSError as exc:
        _reply(out, {"fatal": "soffice", "detail": f"{soffice}: {exc}"})
        return 4
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            code = office.poll()
            if code is not None:
                _reply(out, {"fatal": "soffice", "detail": f"LibreOffice lõpetas koodiga {code}"})
                return 4
            time.sleep(0.02)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    _reply(out, {"ready": True})

    load_args = (prop("Referer", "private:OpenEvent"), prop("ReadOnly", True),
                 prop("OpenNewView", True), prop("Hidden", True), prop("Silent", True))
    if "--warm-up" in argv:  # requests wait in the pipe meanwhile
        _warm_up(desktop, prop, uno, work, load_args)
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("op") != "convert":
            break
        _write_clock(clock_file, request.get("clock"))
        part = request["out"] + ".part"
        store_args = [prop("ConversionRequestOrigin", "CommandLine"), prop("Overwrite", True),
                      prop("FilterName", request["filter"])]
        if request.get("options"):
            store_args.append(prop("FilterOptions", request["options"]))
        doc = None
        try:
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(os.path.abspath(request["src"])), "_blank", 0, load_args)
            if doc is None:
                raise ValueError("LibreOffice ei avanud faili")
            doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(part)), tuple(store_args))
            os.replace(part, request["out"])
            _reply(out, {"ok": True})
        except Exception as exc:  # a UNO exception, a crash (the bridge is gone) or a file error
            if os.path.exists(part):
                os.unlink(part)
            crashed = office.poll() is not None or type(exc).__name__ in ("DisposedException", "RuntimeException")
            _reply(out, {"ok": False, "error": f"{type(exc).__name__}: {exc}", "crashed": crashed})
            if crashed:
                return 5
        finally:
            if doc is not None:
                try:
                    doc.close(True)
                except Exception:
                    pass
    try:
        desktop.terminate()
    except Exception:
        pass  # the bridge goes as LibreOffice ends
    try:
        office.wait(timeout=5)
    except subprocess.TimeoutExpired:
        office.kill()  # kaskkiri ends the whole group after this process anyway
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The preview server of `kaskkiri watch`: the standard library's HTTP server, on 127.0.0.1 only.

Four addresses: `/` the page, `/olek.json` the state, `/sundmused` the state again at every
change (Server-Sent Events: the page's `EventSource` reconnects by itself), `/fail/<name>` a
file of the last build (only the names its manifest lists, read from output/<id>/). A request
whose Host is not this server's own is refused, so a web page elsewhere cannot read the preview
through a DNS name pointed at 127.0.0.1.
"""

from __future__ import annotations

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import PreviewError, Problem
from .page import PAGE
from .state import PreviewState

HOST = "127.0.0.1"
#: Seconds between two keep-alive comments on an idle event stream.
KEEPALIVE = 15.0

_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".asice": "application/vnd.etsi.asic-e+zip",
    ".json": "application/json",
}
_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "connect-src 'self'; frame-src 'self'; object-src 'self'")


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # an open page never keeps the process alive
    state: PreviewState
    folder: Path  # output/<id>/
    hosts: frozenset[str]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "kaskkiri-watch"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass  # the terminal shows the rebuilds, not every request

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        if self.headers.get("Host", "") not in self.server.hosts:
            self._send(HTTPStatus.FORBIDDEN, b"", "text/plain")
            return
        path = unquote(urlsplit(self.path).path)
        if path == "/":
            self._send(HTTPStatus.OK, PAGE.encode("utf-8"), "text/html; charset=utf-8")
        elif path == "/olek.json":
            _version, data = self.server.state.snapshot()
            self._send(HTTPStatus.OK, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")
        elif path == "/sundmused":
            self._events()
        elif path.startswith("/fail/"):
            self._file(path.removeprefix("/fail/"))
        else:
            self._send(HTTPStatus.NOT_FOUND, b"Sellist lehte pole.", "text/plain; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", _CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _file(self, name: str) -> None:
        files = self.server.state.get("files") or []
        if name not in {f["name"] for f in files}:
            self._send(HTTPStatus.NOT_FOUND, b"Sellist faili pole.", "text/plain; charset=utf-8")
            return
        try:
            data = (self.server.folder / name).read_bytes()
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, b"Faili ei saa lugeda.", "text/plain; charset=utf-8")
            return
        self._send(HTTPStatus.OK, data, _TYPES.get(Path(name).suffix, "application/octet-stream"))

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        version = -1
        try:
            while True:
                got = self.server.state.wait(version, KEEPALIVE)
                if got is None:
                    return  # watch is stopping
                if got[0] == version:
                    self.wfile.write(b": ootan\n\n")
                else:
                    version, data = got
                    self.wfile.write(b"data: " + json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed


class PreviewServer:
    """The server on its own thread; `close()` stops it and ends every open event stream."""

    def __init__(self, state: PreviewState, folder: Path, port: int = 0) -> None:
        try:
            self.httpd = _Server((HOST, port), _Handler)
        except OSError as exc:
            raise PreviewError(Problem(
                f"eelvaate serverit ei saa käivitada pordil {port} ({exc.strerror or exc}). "
                "Vali teine port (--port) või jäta --port ära: siis võetakse vaba port.")) from None
        self.state = state
        self.port = self.httpd.server_address[1]
        self.httpd.state = state
        self.httpd.folder = folder
        self.httpd.hosts = frozenset({f"{HOST}:{self.port}", f"localhost:{self.port}"})
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="kaskkiri-eelvaade", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self.state.close()
        if self._thread.is_alive():
            self.httpd.shutdown()
            self._thread.join()
        self.httpd.server_close()

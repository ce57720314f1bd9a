"""`kaskkiri watch <id>`: rebuild on every save and show the result on a local preview page.

`changes` sees the saves, `session` rebuilds (text first, then checks and files), `state` holds
what the page shows, `server` serves it on 127.0.0.1, `page` draws it. `watch()` wires them for
the CLI and returns when the user presses Ctrl-C, with nothing left running.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from ..build import Project
from ..resident import ResidentConverter, resident_converter
from .server import PreviewServer
from .session import WatchSession
from .state import PreviewState

__all__ = ["watch"]


def watch(
    project: Project,
    directive_id: str,
    *,
    word_only: bool = False,
    timeout: float = 180.0,
    port: int = 0,
    exclusive: Callable[[], AbstractContextManager[Any]] = nullcontext,
    say: Callable[[str], None] = print,
    converter: ResidentConverter | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Serve the preview and rebuild until Ctrl-C (or until `stop` is set).

    Unless given one, a session that makes PDFs keeps its own resident LibreOffice (where
    python3-uno is installed): started by the first build, stopped when the session ends, so a
    save converts without LibreOffice's start-up."""
    own = None
    if converter is None and not word_only:
        own = converter = resident_converter()
    state = PreviewState({"directive": directive_id, "phase": "alustan", "status": "Alustan",
                          "word_only": word_only, "documents": [], "files": [], "notes": []})
    server = PreviewServer(state, project.output / directive_id, port)
    session = WatchSession(project, directive_id, state, word_only=word_only, timeout=timeout,
                           exclusive=exclusive, say=say, converter=converter)
    stop = stop or threading.Event()
    try:
        server.start()
        say(f"Eelvaade: {server.url} (lõpetamiseks vajuta Ctrl+C)")
        session.run(stop)
    except KeyboardInterrupt:
        pass
    finally:
        session.close()
        server.close()
        if own is not None:
            own.stop()
    say("Lõpetasin jälgimise.")

"""The preview's state, shared by the rebuild loop (writer) and the page server (readers).

One JSON-ready dict with a version number: every update bumps the version and wakes the
readers waiting for a newer one (each open page holds one, see server.py). `close()` wakes them
all for good, so that stopping `watch` never waits for a page.
"""

from __future__ import annotations

import threading
from typing import Any

Json = dict[str, Any]


class PreviewState:
    def __init__(self, initial: Json) -> None:
        self._cond = threading.Condition()
        self._data: Json = dict(initial)
        self._version = 0
        self._closed = False

    def update(self, **fields: Any) -> None:
        with self._cond:
            self._data.update(fields)
            self._version += 1
            self._cond.notify_all()

    def get(self, key: str) -> Any:
        with self._cond:
            return self._data.get(key)

    def snapshot(self) -> tuple[int, Json]:
        with self._cond:
            return self._version, {**self._data, "version": self._version}

    def wait(self, after: int, timeout: float) -> tuple[int, Json] | None:
        """The state once its version is not `after` (or as it is after `timeout` seconds);
        None once the state is closed."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._version != after, timeout)
            if self._closed:
                return None
            return self._version, {**self._data, "version": self._version}

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

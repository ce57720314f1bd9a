"""The Jinja environment for clause texts and Word templates: sandboxed, strict and bounded.

Clause texts and templates are data that users edit, so they run sandboxed (no Python
internals) with StrictUndefined (a misspelt name is an error, not empty text). The sandbox alone
bounds neither time nor memory: `'x' * 10**9`, `9**99999999`, nested loops or an exponential
macro would hang a build or exhaust memory. So every render is bounded too:

- operators and calls that can make huge values in one C-level step (`*`, `**`, `%`, `+`, string
  methods and filters given a huge width) are checked before they run;
- the text a render writes is counted as it is produced and stopped at `MAX_OUTPUT` characters;
- a render that runs longer than `MAX_SECONDS` is stopped (by a timer, in the main thread).

Each limit is a `RenderLimit` with an Estonian message; the callers name the file.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

#: Characters one render may write: a whole annex template renders about 60,000.
MAX_OUTPUT = 2_000_000
#: Characters of one value made by an operator or a call (a clause text is a few hundred).
MAX_VALUE = 100_000
#: The largest number a text may compute with or pass as a width (a year, a count, a width).
MAX_NUMBER = 10**12
MAX_INT_ARGUMENT = 100_000
#: Seconds one render may take: a template renders in about 20 ms, a clause in microseconds.
MAX_SECONDS = 5.0

_WIDTH = re.compile(r"\d{6,}|\*")  # a width or precision of 100000 or more, or one given by `*`


class RenderLimit(Exception):
    """A clause text or a template went past one of the bounds (message in Estonian)."""


def _too_big(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) > MAX_NUMBER
    if isinstance(value, (str, list, tuple)):
        return len(value) > MAX_VALUE
    return False


def _check_value(value: Any) -> Any:
    if _too_big(value):
        raise RenderLimit(
            f"avaldise tulemus on liiga suur (üle {MAX_VALUE:,} märgi või üle {MAX_NUMBER:,})."
            .replace(",", " ")
        )
    return value


def _check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT_ARGUMENT:
            raise RenderLimit(f"arv {value} on funktsiooni või filtri argumendiks liiga suur.")
        if isinstance(value, str) and len(value) > MAX_VALUE:
            raise RenderLimit("funktsiooni või filtri argument on liiga pikk.")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _bounded_binop(op: str, left: Any, right: Any) -> None:
    """Refuse, before it runs, an operation whose result would be huge."""
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
    if op == "**" and ints and right > 0 and abs(left) > 1 and left.bit_length() * right > 64:
        raise RenderLimit(f"astendamine {left} ** {right} on liiga suur.")
    if op == "*":
        if ints and left.bit_length() + right.bit_length() > 64:
            raise RenderLimit("korrutis on liiga suur.")
        for seq, n in ((left, right), (right, left)):
            if isinstance(n, int) and _size(seq) * max(n, 0) > MAX_VALUE:
                raise RenderLimit(f"teksti või loetelu kordamine {n} korda on liiga suur.")
    if op == "+" and _size(left) + _size(right) > MAX_VALUE:
        raise RenderLimit("liidetud tekst on liiga pikk.")
    if op == "%" and isinstance(left, str) and _WIDTH.search(left):
        raise RenderLimit("vormingu laius on liiga suur.")


class BoundedTemplate(Template):
    """A template whose `render` stops at MAX_OUTPUT characters and after MAX_SECONDS."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        parts: list[str] = []
        written = 0
        with _time_limit(MAX_SECONDS):
            for chunk in self.generate(*args, **kwargs):
                written += len(chunk)
                if written > MAX_OUTPUT:
                    raise RenderLimit(
                        f"tekst või mall kirjutaks üle {MAX_OUTPUT:,} märgi.".replace(",", " ")
                    )
                parts.append(chunk)
        return "".join(parts)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment with the bounds above."""

    intercepted_binops = frozenset({"*", "**", "%", "+", "//"})
    template_class = BoundedTemplate

    def __init__(self, **options: Any) -> None:
        super().__init__(undefined=StrictUndefined, **options)
        for name in ("lipsum", "namespace", "cycler", "joiner"):
            self.globals.pop(name, None)
        self.filters = {name: _bounded_filter(f) for name, f in self.filters.items()}

    def call_binop(self, context: Context, operator_: str, left: Any, right: Any) -> Any:
        _bounded_binop(operator_, left, right)
        return _check_value(self.binop_table[operator_](left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _check_arguments(args, kwargs)
        if getattr(__obj, "__name__", "") in ("format", "format_map"):
            owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
            if isinstance(owner, str) and re.search(r"\d{6,}", owner):
                raise RenderLimit("vormingu laius on liiga suur.")
        return _check_value(super().call(__context, __obj, *args, **kwargs))


def _bounded_filter(f: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(f)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_arguments(args, kwargs)
        result = f(*args, **kwargs)
        if isinstance(result, Iterator) or not hasattr(result, "__len__"):
            return result
        return _check_value(result)

    return bounded


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the block after `seconds` (main thread only: elsewhere the other bounds hold)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if signal.getitimer(signal.ITIMER_REAL)[0]:  # a limit is already running (nested render)
        yield
        return

    def stop(_signum: int, _frame: Any) -> None:
        raise RenderLimit(f"tekst või mall töötab kauem kui {MAX_SECONDS:g} sekundit.")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class TemplateSandbox(BoundedSandbox):
    """BoundedSandbox that compiles each Word template's XML once.

    docxtpl compiles a template's every part from its XML for each document it renders, and the
    compile is about a third of an annex's rendering; the annexes of a directive all use one
    template. A compiled template holds no state of a render, so it is reused, keyed by its source
    and by `autoescape` (docxtpl sets that on the environment, and it is compiled in).
    """

    #: Distinct sources kept: a template's body, headers, footers and properties.
    KEEP = 64

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[tuple[str, object], Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        key = (source, self.autoescape)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = super().from_string(source)
            if len(self._compiled) >= self.KEEP:
                self._compiled.pop(next(iter(self._compiled)))
            self._compiled[key] = compiled
        return compiled


#: Clause texts and the other text values of the definitions: plain text out.
TEXT_ENVIRONMENT = BoundedSandbox(autoescape=False, keep_trailing_newline=False)
#: Word templates: XML out, so values are escaped (a `&` or `<` must not corrupt the XML).
#: Its own environment: docxtpl sets `autoescape` on the environment it is given.
TEMPLATE_ENVIRONMENT = TemplateSandbox(autoescape=True)

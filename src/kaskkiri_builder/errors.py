"""The error types of kaskkiri.

Every failure the user can cause or meet has its own type here, carries the place it comes from
(file, line) and an Estonian message that says what is wrong and what to do. The CLI catches
`KaskkiriError` once and prints the messages; nothing else prints a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .definitions.load import Source


def place(file: Path | str | None, line: int | None = None) -> str:
    """How every message names a place: "file:line", "file", or "" when there is none."""
    if file is None:
        return ""
    return f"{file}:{line}" if line else str(file)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is and what to do about it (Estonian).

    The place is a definitions `Source` (file and line; see `at`) or, for a problem with an
    output file (a PDF, a template), that file's path.
    """

    message: str
    file: Path | str | None = None
    line: int | None = None

    @classmethod
    def at(cls, source: Source | None, message: str) -> Problem:
        """The problem at a place of the definitions (or at none)."""
        if source is None:
            return cls(message)
        return cls(message, source.file, source.line)

    def where(self) -> str:
        return place(self.file, self.line)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class KaskkiriError(Exception):
    """Base of every error the CLI reports as a message (never as a traceback).

    A subclass names its exit code in its header: `class RenderError(KaskkiriError, exit_code=3)`.
    """

    exit_code = 1

    def __init_subclass__(cls, exit_code: int | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if exit_code is not None:
            cls.exit_code = exit_code

    def __init__(self, problems: list[Problem] | Problem | str, *, changed: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        #: What was changed before the failure (Estonian); None: nothing was changed.
        self.changed = changed
        super().__init__("\n".join(str(p) for p in self.problems))


class DefinitionError(KaskkiriError, exit_code=2):
    """The definitions cannot be read or are not valid (all problems of a run, together)."""


class TemplateError(KaskkiriError, exit_code=2):
    """A Word template or a clause text is broken (Jinja syntax, unknown variable)."""


class RenderError(KaskkiriError, exit_code=3):
    """A document could not be written (a character Word cannot hold, a broken template file)."""


class ConverterMissing(KaskkiriError, exit_code=4):
    """LibreOffice is not installed: PDF and container cannot be made."""


class ConversionError(KaskkiriError, exit_code=4):
    """LibreOffice ran but failed, crashed or hung."""


class PackageError(KaskkiriError, exit_code=5):
    """The signing PDF or the container could not be made."""


class RecordError(KaskkiriError, exit_code=6):
    """A signed directive cannot be recorded (number used, date out of order, recorded twice)."""


class RecordRefused(RecordError):
    """The ledger refuses the directive (`history.record`): its reasons, at the ledger file."""

    def __init__(self, reasons: list[str], file: Path | str | None = None):
        super().__init__([Problem(reason, file) for reason in reasons])

    @property
    def reasons(self) -> list[str]:
        return [p.message for p in self.problems]


class OutputError(KaskkiriError, exit_code=7):
    """The output (output/<id>/, arhiiv/) cannot be written or would be written in the wrong
    place: no write permission, a read-only or full disk, a file where a folder belongs, a
    symbolic link or a path outside the project."""


class ArchiveError(KaskkiriError, exit_code=8):
    """A recorded directive's archive (arhiiv/<id>/) is damaged or no longer rebuilds its approved
    Word files: the build delivers nothing rather than a look-alike."""


class FinalRefused(KaskkiriError, exit_code=10):
    """A final build (`build --nr --kuupaev`) is refused while `check` reports errors."""


class ContainerRefused(KaskkiriError, exit_code=11):
    """The container given to `record --konteiner` is not the signed final build: not an ASiC-E
    container, a file missing, extra or changed, no signature, or a signature that is broken."""


class LockError(KaskkiriError, exit_code=9):
    """Another kaskkiri command is working on the same project (build, record, review)."""


class PreviewError(KaskkiriError, exit_code=2):
    """The preview server of `kaskkiri watch` cannot start (the port asked for is taken)."""

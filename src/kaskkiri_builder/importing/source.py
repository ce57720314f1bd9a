"""What every reader hands the parser: lines of text, each with the place it came from.

A register text gives lines; a Word file gives paragraphs, inside tables cells; a PDF gives the
rows of its tables and its text lines. They all become `Line`s, so one parser reads them all and
every value it finds can say where it was (file, line, page, table row).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """Where a piece of text was found, for the YAML comments and the import report."""

    file: str
    line: int | None = None  # a text file's line
    page: int | None = None  # a PDF's page
    table: int | None = None  # 1-based table of the document
    row: int | None = None  # 1-based row of that table

    def __str__(self) -> str:
        parts = [self.file]
        if self.page is not None:
            parts.append(f"lk {self.page}")
        if self.line is not None:
            parts.append(f"rida {self.line}")
        if self.table is not None:
            parts.append(f"tabel {self.table}")
            if self.row is not None:
                parts.append(f"rida {self.row}")
        return ", ".join(parts)

    def short(self) -> str:
        """The place without the file name (the file is named once at the top of a post file)."""
        text = str(self)
        return text[len(self.file) + 2:] if text.startswith(self.file + ", ") else text


@dataclass(frozen=True)
class Line:
    """One line of text. `column` is the table cell's column (0, 1, ...) when the reader knows
    it (Word, PDF tables): then a duty's text and its results need no guessing."""

    text: str
    origin: Origin
    column: int | None = None
    #: what the row's number column held ("2.1.", "1"), on the first line of the cell after it:
    #: a table of number | duty | results opens a duty with it
    number: str | None = None


@dataclass(frozen=True)
class Source:
    """A read document: its lines and what the reader noticed (tracked changes taken...)."""

    name: str
    lines: tuple[Line, ...]
    notes: tuple[str, ...] = ()
    #: the bookmark a document of a combined PDF had ("Lisa 3. Ekspert"), when split by bookmarks
    title: str | None = None

"""CSV text as records whose fields know their line and column.

Python's ``csv`` module reads the same dialect but says only on which line a
record ended, and an error message must point at the field that is wrong. This
reader follows RFC 4180 as spreadsheets write it: fields separated by one
delimiter (a comma, or the semicolon that a Finnish or Swedish Excel writes),
quoted with ``"`` when they hold a delimiter, a quote (doubled) or a line break,
records ending in CRLF or LF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Field:
    """One field: its text (quotes removed) and where it starts, 1-based."""

    value: str
    line: int
    column: int


@dataclass
class Record:
    """One row of the file; ``end`` is the line and column just after its last field."""

    line: int
    fields: list[Field] = field(default_factory=list)
    end: tuple[int, int] = (0, 0)

    @property
    def blank(self) -> bool:
        """A row with no text (an empty line, or only delimiters as spreadsheets leave)."""
        return all(not f.value.strip() for f in self.fields)


class CsvSyntaxError(ValueError):
    """The text is not CSV; ``line`` and ``column`` say where."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the one it uses most, a comma when none."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def records(text: str, delimiter: str) -> list[Record]:
    """Every record of ``text`` in order, with the place of each field."""
    found: list[Record] = []
    line, column = 1, 1
    index, size = 0, len(text)
    record = Record(line)
    while True:
        start = (line, column)
        value: list[str] = []
        if index < size and text[index] == '"':
            # a quoted field: runs to the quote that is not doubled
            index += 1
            column += 1
            while True:
                if index >= size:
                    raise CsvSyntaxError(
                        'this quoted field has no closing quote ("); close it, and write a '
                        'quote inside a field as two quotes ("")',
                        *start,
                    )
                char = text[index]
                if char == '"':
                    if index + 1 < size and text[index + 1] == '"':
                        value.append('"')
                        index += 2
                        column += 2
                        continue
                    index += 1
                    column += 1
                    break
                value.append(char)
                index += 1
                if char == "\n":
                    line, column = line + 1, 1
                elif char != "\r":
                    column += 1
            if index < size and text[index] not in (delimiter, "\r", "\n"):
                raise CsvSyntaxError(
                    "text after the closing quote of a quoted field; put the whole field "
                    'in quotes, with each quote inside it doubled ("")',
                    line,
                    column,
                )
        else:
            # a quote inside a field that does not start with one is text, as spreadsheets
            # and Python's csv module read it (Cecilia "Cissi" Ek)
            while index < size and text[index] not in (delimiter, "\r", "\n"):
                value.append(text[index])
                index += 1
                column += 1
        record.fields.append(Field("".join(value), *start))
        if index < size and text[index] == delimiter:
            index += 1
            column += 1
            continue
        # the end of a record: a line break, or the end of the text
        record.end = (line, column)
        found.append(record)
        if index < size and text[index] == "\r":
            index += 1
        if index < size and text[index] == "\n":
            index += 1
        if index >= size:
            break
        line, column = line + 1, 1
        record = Record(line)
    return found

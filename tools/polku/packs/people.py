"""The people file of ``polku packs``: one new hire per row, checked like the curriculum.

A CSV file in UTF-8 with a header row. Columns ``name``, ``programme`` and
``start_date`` are required; ``cohort``, ``mentor``, ``location``, ``email``,
``language`` and ``role`` are optional, in any order. Every problem is reported as
``PEOPLE.csv:LINE:COL: error: …`` at the field that is wrong, with how to fix it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..curriculum import Curriculum
from ..diagnostics import Report
from ..i18n import LANGUAGES
from ..model import Cohort, Programme
from ..schedule import programme_days
from .csvtext import CsvSyntaxError, Field, Record, records, sniff_delimiter

REQUIRED = ("name", "programme", "start_date")
OPTIONAL = ("cohort", "mentor", "location", "email", "language", "role")
COLUMNS = REQUIRED + OPTIONAL
MAX_TEXT = 200  # characters of a name, a place or a mentor
MAX_PEOPLE = 5000
MAX_BYTES = 5 * 1024 * 1024
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Person:
    """One new hire: who, which programme, from when, with whom and where."""

    line: int
    name: str
    key: str  # the person's folder and file name: ASCII letters, digits and hyphens
    programme: Programme
    start_date: dt.date
    role: str
    cohort: Cohort | None = None
    mentor: str | None = None
    location: str | None = None
    email: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Identity:
    """Who a row names, and where: one row per person, one person per email address."""

    line: int
    name: str
    key: str
    name_column: int
    email: str | None
    email_column: int


DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def person_key(name: str) -> str:
    """``Äijälä-Öhman, Åsa`` -> ``aijala-ohman-asa``: a folder name any system keeps."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:80].strip("-")


def participant_role(programme: Programme) -> str | None:
    """The role a new hire takes: the one that takes part in most sessions (ties: the first)."""
    if not programme.roles:
        return None
    sessions = [session for _phase, session in programme.sessions()]
    return max(
        programme.roles,
        key=lambda role: sum(1 for s in sessions if s.concerns(role.id)),
    ).id


def parse_date(text: str) -> dt.date | None:
    """``2027-08-16`` or ``16.8.2027``; None when it is neither or no such day."""
    text = text.strip()
    try:
        if _ISO_DATE.match(text):  # not every form fromisoformat takes (20270816, 2027-W33-1)
            return dt.date.fromisoformat(text)
        return _finnish(text)
    except ValueError:
        return None


def _finnish(text: str) -> dt.date | None:
    match = _FINNISH_DATE.match(text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    return dt.date(year, month, day)


def _suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class PeopleReader:
    """Reads and checks a people file against the curriculum; problems go into ``report``."""

    def __init__(self, curriculum: Curriculum, report: Report, shown_path: str) -> None:
        self.curriculum = curriculum
        self.report = report
        self.path = shown_path
        self.delimiter = ","
        self.identities: list[Identity] = []

    def error(self, line: int, column: int, message: str) -> None:
        self.report.error(self.path, line, column, message)

    def read(self, path: Path) -> list[Person]:
        text = self._text(path)
        if text is None:
            return []
        self.delimiter = sniff_delimiter(text)
        try:
            rows = records(text, self.delimiter)
        except CsvSyntaxError as exc:
            self.error(exc.line, exc.column, exc.message)
            return []
        rows = [row for row in rows if not row.blank]
        if not rows:
            self.error(1, 1, "the file is empty; write a header row: " + ",".join(COLUMNS))
            return []
        header, *people = rows
        columns = self._header(header)
        if columns is None:
            return []
        if not people:
            self.error(*header.end, "the file has a header row but no people; add a row each")
            return []
        if len(people) > MAX_PEOPLE:
            self.error(people[MAX_PEOPLE].line, 1, f"more than {MAX_PEOPLE} people; split the file")
            return []
        found = [self._person(row, columns, header) for row in people]
        self._unique()
        return [p for p in found if p is not None]

    def _text(self, path: Path) -> str | None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.error(1, 1, f"cannot read the file: {exc.strerror or exc}")
            return None
        if len(data) > MAX_BYTES:
            self.error(1, 1, f"the file is larger than {MAX_BYTES // 1024 // 1024} MiB; split it")
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = data[: exc.start]
            line = before.count(b"\n") + 1
            column = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
            self.error(
                line,
                column,
                f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as "
                "'CSV UTF-8' in Excel, or as UTF-8 in your editor",
            )
            return None
        if "\x00" in text:
            line = text[: text.index("\x00")].count("\n") + 1
            self.error(line, 1, "the file holds a NUL character; save it as CSV text")
            return None
        return text

    def _header(self, header: Record) -> dict[str, int] | None:
        columns: dict[str, int] = {}
        ok = True
        for index, cell in enumerate(header.fields):
            name = cell.value.strip().lower().replace(" ", "_")
            if not name:
                self.error(cell.line, cell.column, "a column has no name; name it or remove it")
                ok = False
            elif name not in COLUMNS:
                self.error(
                    cell.line,
                    cell.column,
                    f"unknown column '{cell.value.strip()}'{_suggest(name, COLUMNS)}; "
                    f"the columns are {', '.join(COLUMNS)}",
                )
                ok = False
            elif name in columns:
                self.error(cell.line, cell.column, f"column '{name}' is there twice; keep one")
                ok = False
            else:
                columns[name] = index
        missing = [name for name in REQUIRED if name not in columns]
        if missing:
            self.error(
                *header.end,
                f"the header row has no {', '.join(missing)} column; the header needs at least "
                + ", ".join(REQUIRED),
            )
            ok = False
        return columns if ok else None

    def _person(self, row: Record, columns: dict[str, int], header: Record) -> Person | None:
        if len(row.fields) > len(header.fields):
            extra = row.fields[len(header.fields)]
            self.error(
                extra.line,
                extra.column,
                f"this row has {len(row.fields)} fields but the header has "
                f"{len(header.fields)}; put a field that holds a "
                f"{DELIMITER_NAMES[self.delimiter]} in quotes",
            )
            return None
        before = len(self.report.errors)

        def cell(name: str) -> Field:
            index = columns.get(name)
            if index is None or index >= len(row.fields):
                return Field("", *row.end)  # a missing field reads as empty, located at the end
            found = row.fields[index]
            return Field(found.value.strip(), found.line, found.column)

        name_cell, email_cell = cell("name"), cell("email")
        name = self._text_field(name_cell, "name", required=True)
        programme = self._programme(cell("programme"))
        cohort = self._cohort(cell("cohort"), programme)  # before the start it may give
        cohort_cell = cell("cohort")
        start = self._start(cell("start_date"), programme, cohort, bool(cohort_cell.value))
        role = self._role(cell("role"), programme)
        mentor = self._text_field(cell("mentor"), "mentor")
        location = self._text_field(cell("location"), "location")
        email = self._email(email_cell)
        language = self._language(cell("language"))
        key = person_key(name or "") or f"person-{row.line}"
        if name is not None:
            self.identities.append(
                Identity(row.line, name, key, name_cell.column, email, email_cell.column)
            )
        if len(self.report.errors) > before or programme is None or start is None:
            return None
        assert name is not None and role is not None
        return Person(
            row.line,
            name,
            key,
            programme,
            start,
            role,
            cohort,
            mentor,
            location,
            email,
            language,
        )

    # --- fields -----------------------------------------------------------------------------

    def _text_field(self, cell: Field, column: str, *, required: bool = False) -> str | None:
        text = " ".join(cell.value.split())
        if not text:
            if required:
                self.error(cell.line, cell.column, f"the {column} is empty; write it")
            return None
        if _CONTROL.search(cell.value.replace("\n", " ").replace("\r", " ").replace("\t", " ")):
            self.error(cell.line, cell.column, f"the {column} holds a control character; remove it")
            return None
        if len(text) > MAX_TEXT:
            self.error(cell.line, cell.column, f"the {column} is longer than {MAX_TEXT} characters")
            return None
        return text

    def _programme(self, cell: Field) -> Programme | None:
        programmes = self.curriculum.programmes
        if not cell.value:
            self.error(cell.line, cell.column, "the programme is empty; write a programme id")
            return None
        found = programmes.get(cell.value)
        if found is None:
            self.error(
                cell.line,
                cell.column,
                f"unknown programme '{cell.value}'{_suggest(cell.value, programmes)}; "
                f"the programmes are {', '.join(programmes) or 'none yet'}",
            )
        return found

    def _cohort(self, cell: Field, programme: Programme | None) -> Cohort | None:
        if not cell.value or programme is None:
            return None
        cohorts = {c.id: c for c in programme.cohorts}
        found = cohorts.get(cell.value)
        if found is None:
            known = ", ".join(cohorts) if cohorts else "none"
            self.error(
                cell.line,
                cell.column,
                f"programme '{programme.id}' has no cohort '{cell.value}'"
                f"{_suggest(cell.value, cohorts)}; its cohorts are {known}",
            )
        return found

    def _start(
        self, cell: Field, programme: Programme | None, cohort: Cohort | None, named: bool
    ) -> dt.date | None:
        if not cell.value:
            if cohort is not None:
                return cohort.start_date  # the cohort's first day
            if named:
                return None  # an unknown cohort: said already
            self.error(
                cell.line,
                cell.column,
                "the start date is empty; write the first working day as 2027-08-16 "
                "(or 16.8.2027), or name the person's cohort",
            )
            return None
        date = parse_date(cell.value)
        if date is None:
            self.error(
                cell.line,
                cell.column,
                f"'{cell.value}' is not a date; write it as 2027-08-16 (or 16.8.2027)",
            )
            return None
        if programme is not None:
            days = programme_days(programme, date)
            if days is not None and days.first_day != date:
                first = days.first_day
                self.report.warning(
                    self.path,
                    cell.line,
                    cell.column,
                    f"{date.isoformat()} is not a working day; the person's first day is "
                    f"{WEEKDAYS[first.weekday()]} {first.isoformat()}",
                )
        return date

    def _role(self, cell: Field, programme: Programme | None) -> str | None:
        if programme is None:
            return None
        roles = [r.id for r in programme.roles]
        if not cell.value:
            found = participant_role(programme)
            if found is None:
                self.error(
                    cell.line,
                    cell.column,
                    f"programme '{programme.id}' has no roles; give it the role of the new hire",
                )
            return found
        if cell.value not in roles:
            self.error(
                cell.line,
                cell.column,
                f"programme '{programme.id}' has no role '{cell.value}'"
                f"{_suggest(cell.value, roles)}; its roles are {', '.join(roles) or 'none'}",
            )
            return None
        return cell.value

    def _email(self, cell: Field) -> str | None:
        if not cell.value:
            return None
        if not _EMAIL.match(cell.value):
            self.error(
                cell.line,
                cell.column,
                f"'{cell.value}' is not an email address; write it as name@example.fi",
            )
            return None
        return cell.value

    def _language(self, cell: Field) -> str | None:
        if not cell.value:
            return None
        code = cell.value.lower()
        if code not in LANGUAGES:
            self.error(
                cell.line,
                cell.column,
                f"unknown language '{cell.value}'; write one of {', '.join(LANGUAGES)} "
                "(or leave it empty for the programme's language)",
            )
            return None
        return code

    # --- the file as a whole ------------------------------------------------------------------

    def _unique(self) -> None:
        """One row per person: their folder and their email address name only them."""
        by_key: dict[str, Identity] = {}
        by_email: dict[str, Identity] = {}
        for person in self.identities:
            first = by_key.setdefault(person.key, person)
            if first is not person:
                same = "is already"
                if first.name != person.name:
                    same = f"has the folder of {first.name}"
                self.error(
                    person.line,
                    person.name_column,
                    f"{person.name} {same} on line {first.line} ({person.key}/); give each "
                    "person one row, and tell two people of one name apart (a middle name or "
                    "an initial)",
                )
            if person.email is not None:
                mail = by_email.setdefault(person.email.lower(), person)
                if mail is not person:
                    self.error(
                        person.line,
                        person.email_column,
                        f"the email address {person.email} is already {mail.name}'s on line "
                        f"{mail.line}; give each person their own address",
                    )

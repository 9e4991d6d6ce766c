"""Dates of programme days and clock times of agenda items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache, cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

from .curriculum import Curriculum
from .model import (
    Activity,
    ActivityItem,
    BreakItem,
    FreeItem,
    Module,
    ModuleItem,
    Programme,
    Session,
)


def item_minutes(item: object, curriculum: Curriculum) -> int:
    """Minutes an agenda item takes (0 when unknown)."""
    if isinstance(item, ModuleItem):
        module = curriculum.modules.get(item.module)
        return module.total_minutes if module else 0
    if isinstance(item, ActivityItem):
        module = curriculum.modules.get(item.module_id)
        activity = module.activity(item.activity_id) if module else None
        return activity.duration or 0 if activity else 0
    if isinstance(item, BreakItem):
        return item.break_
    if isinstance(item, FreeItem):
        return item.duration or 0
    return 0


def session_minutes(session: Session, curriculum: Curriculum) -> int:
    """The session's stated duration, or the sum of its items."""
    if session.duration is not None:
        return session.duration
    return sum(item_minutes(item, curriculum) for item in session.items)


@cache
def country_holidays(country: str) -> holidays_lib.HolidayBase:
    """The public holidays of ``country``, one calendar for the process: it works out
    each year once, when a day of it is first asked about."""
    return holidays_lib.country_holidays(country)


class WorkingDays:
    """Maps programme day numbers to dates.

    Day 1 is the start date, or the first working day after it; day N is the
    Nth working day from there, and day -N the Nth working day before day 1.
    With ``workdays_only`` off, days are plain calendar days.
    """

    def __init__(self, start: dt.date, *, workdays_only: bool = True, country: str = "FI"):
        self.start = start
        self.workdays_only = workdays_only
        self.country = country.strip().upper()
        self._after: list[dt.date] = []  # day 1, day 2 ...
        self._before: list[dt.date] = []  # day -1, day -2 ...

    @property
    def _holidays(self) -> holidays_lib.HolidayBase:
        return country_holidays(self.country)

    def holiday_name(self, day: dt.date) -> str | None:
        """The name of the public holiday ``day`` is, if it is one."""
        return country_holidays(self.country).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        if not self.workdays_only:
            return True
        return day.weekday() < 5 and day not in self._holidays

    @cached_property
    def first_day(self) -> dt.date:
        day = self.start
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def date_of(self, number: int) -> dt.date:
        """The date of programme day ``number`` (1 = the first day, -1 = the day before it)."""
        if number == 0:
            raise ValueError("day 0 does not exist")
        # the working days found so far, extended as far as asked: a timeline asks for
        # every day of a long programme, and walking from day 1 each time adds up
        if number > 0:
            table, wanted, step = self._after, number - 1, 1
            if not table:
                table.append(self.first_day)
        else:
            table, wanted, step = self._before, -number - 1, -1
        day = table[-1] if table else self.first_day
        while len(table) <= wanted:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                table.append(day)
        return table[wanted]


def valid_country(code: str) -> bool:
    """True when the ``holidays`` package knows the public holidays of ``code`` (FI, SE ...)."""
    if not code or not code.strip():
        return False
    code = code.strip().upper()
    try:
        # the registry of codes answers without importing every country's module
        from holidays.registry import EntityLoader

        return code in EntityLoader.get_country_codes()
    except (ImportError, AttributeError):  # a holidays release without that registry
        pass
    try:
        holidays_lib.country_holidays(code)
    except (NotImplementedError, KeyError, AttributeError, ValueError):
        return False
    return True


def country_codes() -> list[str]:
    """Every country code the ``holidays`` package knows."""
    return sorted(holidays_lib.list_supported_countries())


def valid_timezone(name: str) -> bool:
    """True for an IANA time zone name such as ``Europe/Helsinki``."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, IsADirectoryError, OSError):
        return False
    return True


def programme_days(programme: Programme, start: dt.date | None = None) -> WorkingDays | None:
    start = start or programme.start_date
    if start is None:
        return None
    return WorkingDays(start, workdays_only=programme.workdays_only, country=programme.holidays)


def add_minutes(time: dt.time, minutes: int) -> dt.time:
    total = time.hour * 60 + time.minute + minutes
    return dt.time((total // 60) % 24, total % 60)


@dataclass
class AgendaRow:
    """One line of a run sheet, with its computed clock time."""

    kind: str  # module | activity | break | free
    title: str
    minutes: int
    start: dt.time | None = None
    end: dt.time | None = None
    module: Module | None = None
    activity: Activity | None = None
    description: str | None = None
    children: list[AgendaRow] = field(default_factory=list)

    @property
    def activities(self) -> list[Activity]:
        if self.activity is not None:
            return [self.activity]
        if self.module is not None:
            return list(self.module.activities)
        return []


def agenda(session: Session, curriculum: Curriculum, break_title: str) -> list[AgendaRow]:
    """The session's items with clock times when the session has a start time."""
    clock = session.start
    rows: list[AgendaRow] = []
    for item in session.items:
        minutes = item_minutes(item, curriculum)
        row = _row(item, curriculum, minutes, break_title)
        if clock is not None:
            row.start = clock
            row.end = add_minutes(clock, minutes)
            if row.kind == "module" and row.module is not None:
                child_clock = clock
                for activity in row.module.activities:
                    child_minutes = activity.duration or 0
                    row.children.append(
                        AgendaRow(
                            kind="activity",
                            title=activity.title,
                            minutes=child_minutes,
                            start=child_clock,
                            end=add_minutes(child_clock, child_minutes),
                            module=row.module,
                            activity=activity,
                        )
                    )
                    child_clock = add_minutes(child_clock, child_minutes)
            clock = row.end
        elif row.kind == "module" and row.module is not None:
            row.children = [
                AgendaRow("activity", a.title, a.duration or 0, module=row.module, activity=a)
                for a in row.module.activities
            ]
        rows.append(row)
    return rows


def _row(item: object, curriculum: Curriculum, minutes: int, break_title: str) -> AgendaRow:
    if isinstance(item, ModuleItem):
        module = curriculum.modules[item.module]
        return AgendaRow("module", module.title, minutes, module=module)
    if isinstance(item, ActivityItem):
        module = curriculum.modules[item.module_id]
        activity = module.activity(item.activity_id)
        assert activity is not None
        return AgendaRow("activity", activity.title, minutes, module=module, activity=activity)
    if isinstance(item, BreakItem):
        return AgendaRow("break", break_title, minutes)
    assert isinstance(item, FreeItem)
    return AgendaRow("free", item.title, minutes, description=item.description)


def session_end(session: Session, curriculum: Curriculum) -> dt.time | None:
    if session.start is None:
        return None
    minutes = session_minutes(session, curriculum)
    return add_minutes(session.start, minutes) if minutes else None

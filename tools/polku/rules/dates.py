"""P401, P402, P406–P408: holidays, time zones, start dates and clock times of calendars."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from functools import lru_cache

from ..curriculum import Loc
from ..diagnostics import Severity
from ..model import Programme
from ..plan import Plan, programme_zone
from ..schedule import WorkingDays, country_codes, valid_country, valid_timezone
from .context import Context, suggest
from .registry import Finding, rule

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@rule(
    "P401",
    Severity.ERROR,
    "Holidays are not a known country",
    """
    `holidays` is the two-letter code of the country whose public holidays are not
    working days (FI, SE, DE …). Write a code that the `holidays` package knows; the
    message suggests a close one.
    """,
)
def holiday_countries_exist(context: Context) -> Iterator[Finding]:
    for programme, source in context.programmes():
        if not valid_country(programme.holidays):
            yield context.at(
                source,
                ("holidays",),
                f"'{programme.holidays}' is not a country code with known public holidays; "
                "write a two-letter code such as FI, SE or DE"
                + suggest(programme.holidays.upper(), country_codes()),
            )


@rule(
    "P402",
    Severity.ERROR,
    "The time zone is not a time zone",
    """
    `timezone` is an IANA time zone name such as `Europe/Helsinki` or `Europe/Stockholm`;
    calendar files give every session's time in it. Fix the name; the message suggests a
    close one.
    """,
)
def time_zones_exist(context: Context) -> Iterator[Finding]:
    for programme, source in context.programmes():
        if not valid_timezone(programme.timezone):
            yield context.at(
                source,
                ("timezone",),
                f"'{programme.timezone}' is not a time zone; write an IANA time zone name "
                "such as Europe/Helsinki"
                + suggest(programme.timezone, zoneinfo.available_timezones()),
            )


def _start_dates(programme: Programme) -> Iterator[tuple[dt.date, Loc, str]]:
    """(date, where it is written, whose start it is) of every run of the programme."""
    if programme.start_date is not None:
        yield programme.start_date, ("start_date",), "the programme"
    for index, cohort in enumerate(programme.cohorts):
        yield cohort.start_date, ("cohorts", index, "start_date"), f"cohort '{cohort.id}'"


@rule(
    "P406",
    Severity.WARNING,
    "A start date is not a working day",
    """
    With `workdays_only: true` (the default) day 1 is the first working day on or after
    the start date, so a start on a weekend or a public holiday moves the whole programme
    to the next working day, while the date written in the file says otherwise. Write
    the date of the real first day (the message gives it), or set `workdays_only: false`
    to count calendar days.
    """,
)
def start_dates_are_working_days(context: Context) -> Iterator[Finding]:
    for programme, source in context.programmes():
        if not programme.workdays_only or not valid_country(programme.holidays):
            continue
        for start, loc, whose in _start_dates(programme):
            days = WorkingDays(start, country=programme.holidays)
            if days.is_working_day(start):
                continue
            first = days.first_day
            if start.weekday() >= 5:
                what = f"a {WEEKDAYS[start.weekday()]}"
            else:
                name = days.holiday_name(start)
                what = f"a public holiday ({name})" if name else "not a working day"
            yield context.at(
                source,
                loc,
                f"{start.isoformat()} is {what}; with workdays_only {whose} starts on "
                f"{WEEKDAYS[first.weekday()]} {first.isoformat()} (day 1); write that date "
                "or set workdays_only: false",
            )


# --- clock times on the days the clocks change ---------------------------------------------

UTC = dt.UTC


@lru_cache(maxsize=256)
def _change_days(zone_name: str, year: int) -> tuple[dt.date, ...]:
    """The days of ``year`` around each change of the zone's offset.

    The offset is compared from one local midnight to the next, and the day before and
    the day after a change are kept too, so that a change at midnight is not missed.
    The exact test is ``_trouble``; this only keeps it from running on every date.
    """
    zone = zoneinfo.ZoneInfo(zone_name)
    found: list[dt.date] = []
    day = dt.date(year, 1, 1)
    before = dt.datetime.combine(day, dt.time(), zone).utcoffset()
    while day.year == year:
        after = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone).utcoffset()
        if after != before:
            found += [day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)]
        before = after
        day += dt.timedelta(days=1)
    return tuple(found)


def _trouble(date: dt.date, clock: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """None when ``clock`` happens once on ``date``; else the time as calendars take it.

    A time in a gap (the clocks go forward) does not exist: calendars count it with the
    offset before the change, so it comes out later. A time in a fold (the clocks go
    back) comes twice: calendars take the first.
    """
    naive = dt.datetime.combine(date, clock)
    first = naive.replace(tzinfo=zone, fold=0)
    if first.utcoffset() == naive.replace(tzinfo=zone, fold=1).utcoffset():
        return None
    return first.astimezone(UTC).astimezone(zone)


@lru_cache(maxsize=1024)
def _troubled_days(zone_name: str, clock: dt.time, first: dt.date, last: dt.date) -> bool:
    """Whether ``clock`` is missing or comes twice on some date from ``first`` to ``last``."""
    zone = zoneinfo.ZoneInfo(zone_name)
    return any(
        first <= day <= last and _trouble(day, clock, zone) is not None
        for year in range(first.year, last.year + 1)
        for day in _change_days(zone_name, year)
    )


def _span(programme: Programme, start: dt.date) -> tuple[dt.date, dt.date]:
    """Dates that the programme's days can fall on from ``start``, with room to spare.

    Working days are at least a third of calendar days over any stretch longer than a
    month, so three calendar days per programme day and a month more are enough.
    """
    numbers = [session.day for _phase, session in programme.sessions()]
    low, high = min([*numbers, 0]), max([*numbers, 0])
    back = dt.timedelta(days=-3 * low + 31)
    ahead = dt.timedelta(days=3 * high + 31)
    return max(start - back, dt.date.min), min(start + ahead, dt.date.max)


def _clock_problems(context: Context) -> list[tuple[bool, Finding]]:
    """(twice, finding) of every session start that is missing or comes twice on its date."""
    found: list[tuple[bool, Finding]] = []
    for programme, source in context.programmes():
        if not valid_timezone(programme.timezone) or not valid_country(programme.holidays):
            continue
        zone = programme_zone(programme)
        for run in Plan(programme, context.curriculum).runs:
            first, last = _span(programme, run.days.start)
            for p_index, phase in enumerate(programme.phases):
                for s_index, session in enumerate(phase.sessions):
                    start = session.start
                    # the date needs the holidays: work it out only near a change of clocks
                    if start is None or not _troubled_days(zone.key, start, first, last):
                        continue
                    date = run.days.date_of(session.day)
                    shown = _trouble(date, start, zone)
                    if shown is None:
                        continue
                    whose = (
                        f"cohort '{run.cohort.id}'"
                        if run.cohort
                        else f"the run from start_date {programme.start_date}"
                    )
                    when = f"{date.isoformat()}, day {session.day} of {whose}"
                    clock = start.strftime("%H:%M")
                    twice = shown.time() == start
                    if twice:
                        offset = shown.strftime("%z")
                        what = (
                            f"{clock} comes twice on {when}: the clocks in {zone.key} go back "
                            f"that night; calendars take the first {clock} "
                            f"(UTC{offset[:3]}:{offset[3:]})"
                        )
                    else:
                        what = (
                            f"{clock} does not exist on {when}: the clocks in {zone.key} go "
                            f"forward that night; calendars show {shown.strftime('%H:%M')}"
                        )
                    loc = ("phases", p_index, "sessions", s_index, "start")
                    found.append(
                        (twice, context.at(source, loc, what + "; choose another start time"))
                    )
    return found


@rule(
    "P407",
    Severity.WARNING,
    "A session starts at a time that does not exist that day",
    """
    On the day the clocks go forward (in Europe/Helsinki, 03:00 becomes 04:00 on the last
    Sunday of March), the skipped hour does not exist. A session of a dated run (the
    programme's `start_date` or a cohort) that starts in it is shown later than written
    in every calendar. Choose a start time outside the skipped hour.
    """,
)
def start_times_exist(context: Context) -> Iterator[Finding]:
    for twice, finding in context.memo("clock problems", _clock_problems):
        if not twice:
            yield finding


@rule(
    "P408",
    Severity.WARNING,
    "A session starts at a time that comes twice that day",
    """
    On the day the clocks go back (in Europe/Helsinki, 04:00 becomes 03:00 on the last
    Sunday of October), one hour comes twice. A session of a dated run that starts in it
    could mean either; calendars take the first. Choose a start time outside that hour.
    """,
)
def start_times_are_unambiguous(context: Context) -> Iterator[Finding]:
    for twice, finding in context.memo("clock problems", _clock_problems):
        if twice:
            yield finding

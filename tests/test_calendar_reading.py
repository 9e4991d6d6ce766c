"""Calendars as calendar apps read them: two parsers, events only, the time zone, clock changes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import vobject
from conftest import FIXTURES, CohortSites
from helpers import edit
from icalendar import Calendar
from polku.check import check
from polku.paths import SiteUrls
from polku.plan import local_time
from polku.render.calendar import CalendarWriter
from polku.render.vtimezone import transitions

HELSINKI = ZoneInfo("Europe/Helsinki")
SITE = "https://koulutus.example.fi/perehdytys/"


def site_calendars(cohort_sites: CohortSites) -> dict[str, bytes]:
    folder = cohort_sites.site / "calendars"
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.ics"))}


def instant(value: object) -> object:
    """A start as one comparable value: UTC for a time, the date for an all-day entry."""
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None
        return value.astimezone(dt.UTC)
    return value


def by_icalendar(raw: bytes) -> dict[str, tuple[str, object]]:
    calendar = Calendar.from_ical(raw)
    return {
        str(e["UID"]): (str(e["SUMMARY"]), instant(e.decoded("DTSTART")))
        for e in calendar.walk("VEVENT")
    }


def by_vobject(raw: bytes) -> dict[str, tuple[str, object]]:
    """vobject reads times with the file's own VTIMEZONE, not the time zone database."""
    [calendar] = list(vobject.readComponents(raw.decode("utf-8"), validate=True))
    return {
        e.uid.value: (e.summary.value, instant(e.dtstart.value))
        for e in calendar.components()
        if e.name == "VEVENT"
    }


def test_every_calendar_reads_the_same_with_two_parsers(cohort_sites: CohortSites) -> None:
    files = site_calendars(cohort_sites)
    assert len(files) == 12
    for name, raw in files.items():
        first, second = by_icalendar(raw), by_vobject(raw)
        assert first, name
        assert first == second, name


def test_a_google_style_reading_finds_every_deadline(cohort_sites: CohortSites) -> None:
    """An app that imports events only (VEVENT) and ignores to-dos still shows the tasks."""
    files = site_calendars(cohort_sites)
    curriculum, _report = check(cohort_sites.project)
    programme = curriculum.programmes["ryhmat"]
    for name, raw in files.items():
        [calendar] = list(vobject.readComponents(raw.decode("utf-8")))
        events = [c for c in calendar.components() if c.name == "VEVENT"]
        deadlines = [e for e in events if e.uid.value.startswith("deadline.")]
        last = name.removesuffix(".ics").rsplit("-", 1)[-1]
        role = last if last in ("uusi", "mentori", "hr") else None  # else a run's calendar
        tasks = [t for t in programme.checklist if role is None or t.role == role]
        runs = 3 if name in ("ryhmat-uusi.ics", "ryhmat-mentori.ics", "ryhmat-hr.ics") else 1
        assert len(deadlines) == len(tasks) * runs, name
        for event in deadlines:
            assert isinstance(event.dtstart.value, dt.date)
            assert not isinstance(event.dtstart.value, dt.datetime)
            assert event.transp.value == "TRANSPARENT"
            assert any(event.summary.value.startswith(t.task) for t in tasks), name
        assert not [c for c in calendar.components() if c.name == "VTODO"], name


def test_the_hr_calendar_shows_its_deadlines_among_its_events(cohort_sites: CohortSites) -> None:
    raw = site_calendars(cohort_sites)["ryhmat-syksy-hr.ics"]
    found = sorted(by_vobject(raw).values(), key=lambda entry: str(entry[1]))
    assert found == [
        ("Lähetä tervetuloviesti.", dt.date(2027, 8, 30)),  # day -5 of a Monday start
        ("Aloituspäivä", dt.datetime(2027, 9, 6, 6, 0, tzinfo=dt.UTC)),
    ]


def test_the_vtimezone_changes_the_offset_when_the_zone_does(cohort_sites: CohortSites) -> None:
    """Each onset is the local time before the change (RFC 5545 3.6.5), per tzdata."""
    raw = site_calendars(cohort_sites)["ryhmat.ics"]
    [zone] = Calendar.from_ical(raw).walk("VTIMEZONE")
    onsets = []
    for part in zone.subcomponents:
        before = part.decoded("TZOFFSETFROM")
        values = [part.decoded("DTSTART")]
        found = part.get("RDATE")
        for entry in found if isinstance(found, list) else [found] if found else []:
            assert len(entry.dts) == 1  # one per line: ical.js reads only the first
            values += [value.dt for value in entry.dts]
        for local in values:
            moment = (local - before).replace(tzinfo=dt.UTC)
            onsets.append((moment, part.decoded("TZOFFSETTO")))
    onsets.sort()
    assert onsets[0][0] == dt.datetime(2025, 1, 1, tzinfo=HELSINKI).astimezone(dt.UTC)
    changes = onsets[1:]
    assert len(changes) == 8  # spring and autumn of 2025-2028
    for moment, offset in changes:
        assert (moment - dt.timedelta(seconds=1)).astimezone(HELSINKI).utcoffset() != offset
        assert moment.astimezone(HELSINKI).utcoffset() == offset
    spring = next(m for m, offset in changes if offset == dt.timedelta(hours=3))
    assert spring == dt.datetime(2025, 3, 30, 1, 0, tzinfo=dt.UTC)  # 03:00 EET


def test_transitions_of_a_zone_far_from_helsinki() -> None:
    found = transitions("America/New_York", dt.date(2027, 1, 1), dt.date(2028, 1, 1))
    assert [(t.moment, t.name, t.daylight) for t in found] == [
        (dt.datetime(2027, 3, 14, 7, 0, tzinfo=dt.UTC), "EDT", True),
        (dt.datetime(2027, 11, 7, 6, 0, tzinfo=dt.UTC), "EST", False),
    ]
    assert found[0].local_onset == dt.datetime(2027, 3, 14, 2, 0)


# --- a session on the night the clocks change -------------------------------------------------


def clock_change_project(tmp_path: Path, start_date: str, clock: str) -> Path:
    project = tmp_path / "cohorts"
    shutil.copytree(FIXTURES / "cohorts", project, ignore=shutil.ignore_patterns("site"))
    programme = "curriculum/programmes/ryhmat.yml"
    edit(project, programme, "start_date: 2026-12-21", f"start_date: {start_date}")
    edit(
        project,
        programme,
        "timezone: Europe/Helsinki",
        "timezone: Europe/Helsinki\nworkdays_only: false",
    )
    edit(project, programme, 'start: "09:00"', f'start: "{clock}"')
    return project


@pytest.mark.parametrize(
    ("start_date", "clock", "written", "utc"),
    [
        # the clocks go forward at 03:00: 03:30 does not exist, calendars read it as 04:30
        ("2027-03-28", "03:30", "20270328T043000", dt.datetime(2027, 3, 28, 1, 30)),
        # the clocks go back at 04:00: 03:30 comes twice, calendars take the first
        ("2027-10-31", "03:30", "20271031T033000", dt.datetime(2027, 10, 31, 0, 30)),
        ("2027-03-28", "09:00", "20270328T090000", dt.datetime(2027, 3, 28, 6, 0)),
    ],
)
def test_a_start_time_on_the_night_the_clocks_change(
    tmp_path: Path, start_date: str, clock: str, written: str, utc: dt.datetime
) -> None:
    project = clock_change_project(tmp_path, start_date, clock)
    curriculum, report = check(project)
    assert not report.errors
    raw = CalendarWriter(curriculum, SiteUrls(SITE)).files()["calendars/ryhmat.ics"]
    assert f"DTSTART;TZID=Europe/Helsinki:{written}".encode() in raw
    uid = "session.aloitus._.ryhmat@koulutus.example.fi"
    moment = utc.replace(tzinfo=dt.UTC)
    assert by_icalendar(raw)[uid] == ("Aloituspäivä", moment)
    assert by_vobject(raw)[uid] == ("Aloituspäivä", moment)  # through the file's VTIMEZONE


def test_local_time_is_what_calendars_read() -> None:
    spring = local_time(dt.date(2027, 3, 28), dt.time(3, 30), HELSINKI)
    assert (spring.hour, spring.minute, spring.utcoffset()) == (4, 30, dt.timedelta(hours=3))
    autumn = local_time(dt.date(2027, 10, 31), dt.time(3, 30), HELSINKI)
    assert (autumn.hour, autumn.utcoffset()) == (3, dt.timedelta(hours=3))
    plain = local_time(dt.date(2027, 1, 11), dt.time(9, 0), HELSINKI)
    assert plain == dt.datetime(2027, 1, 11, 9, 0, tzinfo=HELSINKI)

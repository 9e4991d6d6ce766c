"""The dated runs of a programme: every session and checklist task of a group with its date.

A programme runs once from its own ``start_date`` and once for each of its
``cohorts``; each run has its own dates, and a cohort may have its own
location and facilitator. Calendars, dated schedule pages, checklists and the
timeline picture all read their dates from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from . import paths
from .curriculum import Curriculum
from .model import ChecklistTask, Cohort, Phase, Programme, Session, SessionKind
from .schedule import WorkingDays, programme_days, session_minutes, valid_timezone

DEFAULT_TIMEZONE = "Europe/Helsinki"
# Sessions that take place where the group meets: a cohort's location replaces theirs.
IN_PERSON = (SessionKind.CONTACT, SessionKind.MENTORING)
# Run key of the programme's own start date in calendar UIDs (not a valid id, so no clash).
OWN_RUN = "_"


@dataclass(frozen=True)
class Run:
    """One group going through a programme from its start date."""

    programme: Programme
    cohort: Cohort | None
    days: WorkingDays

    @property
    def key(self) -> str:
        return self.cohort.id if self.cohort else OWN_RUN

    @property
    def title(self) -> str:
        return self.cohort.title if self.cohort else self.programme.title

    @property
    def start_date(self) -> dt.date:
        return self.days.first_day

    @property
    def zone(self) -> ZoneInfo:
        return programme_zone(self.programme)


@dataclass(frozen=True)
class DatedSession:
    """A session of one run, with its date, clock times, place and facilitator."""

    run: Run
    phase: Phase
    session: Session
    order: int  # position in the programme, for stable sorting
    date: dt.date
    start: dt.datetime | None  # aware, in the programme's time zone
    end: dt.datetime | None
    minutes: int
    location: str | None
    facilitator_name: str | None  # the cohort's facilitator, when it has one

    @property
    def all_day(self) -> bool:
        return self.start is None

    @property
    def sort_key(self) -> tuple[dt.date, dt.time, int]:
        clock = self.session.start or dt.time(0, 0)
        return (self.date, clock, self.order)


@dataclass(frozen=True)
class DatedTask:
    """A checklist task of one run, with its due date."""

    run: Run
    task: ChecklistTask
    index: int  # position in the programme's checklist
    date: dt.date


def programme_zone(programme: Programme) -> ZoneInfo:
    name = programme.timezone if valid_timezone(programme.timezone) else DEFAULT_TIMEZONE
    return ZoneInfo(name)


def runs(programme: Programme) -> list[Run]:
    """The programme's own start date (when set), then its cohorts in file order."""
    found: list[Run] = []
    own = programme_days(programme)
    if own is not None:
        found.append(Run(programme, None, own))
    for cohort in programme.cohorts:
        days = programme_days(programme, cohort.start_date)
        assert days is not None
        found.append(Run(programme, cohort, days))
    return found


def is_dated(programme: Programme) -> bool:
    return programme.start_date is not None or bool(programme.cohorts)


def session_location(run: Run | None, session: Session) -> str | None:
    if run and run.cohort and run.cohort.location and session.kind in IN_PERSON:
        return run.cohort.location
    return session.location


class Plan:
    """The dated sessions and tasks of every run of a programme, computed once."""

    def __init__(self, programme: Programme, curriculum: Curriculum) -> None:
        self.programme = programme
        self.curriculum = curriculum

    @cached_property
    def runs(self) -> list[Run]:
        return runs(self.programme)

    def run(self, key: str) -> Run | None:
        return next((r for r in self.runs if r.key == key), None)

    @cached_property
    def minutes(self) -> dict[str, int]:
        return {
            s.id: session_minutes(s, self.curriculum) for _phase, s in self.programme.sessions()
        }

    def sessions(self, run: Run) -> list[DatedSession]:
        """The run's sessions in programme order."""
        found = []
        for order, (phase, session) in enumerate(self.programme.sessions()):
            date = run.days.date_of(session.day)
            minutes = self.minutes[session.id]
            start = end = None
            if session.start is not None:
                start = dt.datetime.combine(date, session.start, tzinfo=run.zone)
                if minutes:
                    # wall-clock arithmetic: a session keeps its length across a DST change
                    end = start + dt.timedelta(minutes=minutes)
            name = run.cohort.facilitator if run.cohort and session.facilitator else None
            found.append(
                DatedSession(
                    run=run,
                    phase=phase,
                    session=session,
                    order=order,
                    date=date,
                    start=start,
                    end=end,
                    minutes=minutes,
                    location=session_location(run, session),
                    facilitator_name=name,
                )
            )
        return found

    def tasks(self, run: Run, role_id: str | None = None) -> list[DatedTask]:
        """The run's checklist tasks (of one role, if given) by due date."""
        found = [
            DatedTask(run=run, task=task, index=index, date=run.days.date_of(task.day))
            for index, task in enumerate(self.programme.checklist)
            if role_id is None or task.role == role_id
        ]
        return sorted(found, key=lambda t: (t.task.day, t.index))


def calendar_paths(programme: Programme) -> dict[str, tuple[str, str]]:
    """Every calendar file of a programme -> (what, id): ('run', key) or ('role', id)."""
    found: dict[str, tuple[str, str]] = {}
    if not is_dated(programme):
        return found
    if programme.start_date is not None:
        found[paths.calendar(programme.id)] = ("run", OWN_RUN)
    for cohort in programme.cohorts:
        found.setdefault(paths.calendar(programme.id, cohort.id), ("run", cohort.id))
    for role in programme.roles:
        found.setdefault(paths.calendar(programme.id, role.id), ("role", role.id))
    return found

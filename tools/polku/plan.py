"""The plan of a programme: its sessions with their agendas, and every dated run.

A programme runs once from its own ``start_date`` and once for each of its
``cohorts``; each run has its own dates, and a cohort may have its own location
and facilitator. One :class:`Plan` per programme is made once per build
(:func:`plans`) and every output reads its dates, clock times, agendas and tasks
from it: pages, workbooks, calendars, the timeline, checklists and cohort pages.
No renderer computes a date itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from . import paths
from .curriculum import Curriculum
from .model import (
    ActivityItem,
    ChecklistTask,
    Cohort,
    Module,
    ModuleItem,
    Phase,
    Programme,
    SessionKind,
)
from .model import Session as SessionModel
from .schedule import (
    AgendaRow,
    WorkingDays,
    add_minutes,
    agenda,
    programme_days,
    session_minutes,
    valid_timezone,
)

DEFAULT_TIMEZONE = "Europe/Helsinki"
# Sessions that take place where the group meets: a cohort's location fills in theirs.
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
        """Day 1: the start date, or the first working day after it."""
        return self.days.first_day

    @property
    def written_start(self) -> dt.date:
        """The start date as the programme or cohort file gives it."""
        return self.days.start

    @property
    def zone(self) -> ZoneInfo:
        return programme_zone(self.programme)


@dataclass(frozen=True)
class PlannedSession:
    """A session with what every output shows about it, computed once."""

    phase: Phase
    session: SessionModel
    order: int  # position in the programme
    minutes: int
    end: dt.time | None  # clock time the session ends, when it has a start time
    rows: tuple[AgendaRow, ...]

    @property
    def activities(self) -> list[tuple[Module, object]]:
        """(module, activity) of every activity the session covers, in agenda order."""
        found: list[tuple[Module, object]] = []
        for row in self.rows:
            for activity in row.activities:
                assert row.module is not None
                found.append((row.module, activity))
        return found

    @property
    def modules(self) -> list[Module]:
        """The modules the session covers (wholly or one activity), in agenda order."""
        found: dict[str, Module] = {}
        for row in self.rows:
            if row.module is not None:
                found.setdefault(row.module.id, row.module)
        return list(found.values())

    @property
    def materials(self) -> list[str]:
        seen: dict[str, None] = {}
        for _module, activity in self.activities:
            for material in activity.materials:  # type: ignore[attr-defined]
                seen.setdefault(material, None)
        return list(seen)


@dataclass(frozen=True)
class DatedSession:
    """A session of one run, with its date, clock times, place and facilitator."""

    run: Run
    planned: PlannedSession
    date: dt.date
    start: dt.datetime | None  # aware, in the programme's time zone
    end: dt.datetime | None
    location: str | None
    facilitator_name: str | None  # the cohort's facilitator, when it has one

    @property
    def phase(self) -> Phase:
        return self.planned.phase

    @property
    def session(self) -> SessionModel:
        return self.planned.session

    @property
    def order(self) -> int:
        return self.planned.order

    @property
    def minutes(self) -> int:
        return self.planned.minutes

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


def is_dated(programme: Programme) -> bool:
    return programme.start_date is not None or bool(programme.cohorts)


def session_location(run: Run | None, session: SessionModel) -> str | None:
    """A session's own location wins; a cohort's location fills in where an in-person
    session (contact, mentoring) has none."""
    if session.location:
        return session.location
    if run is not None and run.cohort is not None and session.kind in IN_PERSON:
        return run.cohort.location
    return None


class Plan:
    """The sessions, runs, dated sessions and tasks of one programme, computed once."""

    def __init__(self, programme: Programme, curriculum: Curriculum, break_title: str = "") -> None:
        self.programme = programme
        self.curriculum = curriculum
        self.break_title = break_title
        self._dated: dict[str, list[DatedSession]] = {}

    @cached_property
    def sessions(self) -> list[PlannedSession]:
        """Every session in programme order, with its agenda and clock times."""
        found = []
        for order, (phase, session) in enumerate(self.programme.sessions()):
            minutes = session_minutes(session, self.curriculum)
            end = add_minutes(session.start, minutes) if session.start and minutes else None
            rows = tuple(agenda(session, self.curriculum, self.break_title))
            found.append(PlannedSession(phase, session, order, minutes, end, rows))
        return found

    @cached_property
    def minutes(self) -> dict[str, int]:
        """Minutes of each session by id."""
        return {planned.session.id: planned.minutes for planned in self.sessions}

    def session(self, session_id: str) -> PlannedSession | None:
        return next((p for p in self.sessions if p.session.id == session_id), None)

    @cached_property
    def runs(self) -> list[Run]:
        """The programme's own start date (when set), then its cohorts in file order."""
        found: list[Run] = []
        own = programme_days(self.programme)
        if own is not None:
            found.append(Run(self.programme, None, own))
        for cohort in self.programme.cohorts:
            days = programme_days(self.programme, cohort.start_date)
            assert days is not None
            found.append(Run(self.programme, cohort, days))
        return found

    def run(self, key: str) -> Run | None:
        return next((r for r in self.runs if r.key == key), None)

    @property
    def own_run(self) -> Run | None:
        """The run from the programme's own start date, which its pages show."""
        return self.run(OWN_RUN)

    def date_of(self, day: int, run: Run | None = None) -> dt.date | None:
        """The date of a programme day in ``run`` (default: the programme's own run)."""
        run = run or self.own_run
        return run.days.date_of(day) if run is not None else None

    def dated(self, run: Run) -> list[DatedSession]:
        """The run's sessions in programme order."""
        kept = self._dated.get(run.key)
        if kept is not None:
            return kept
        found = []
        for planned in self.sessions:
            session = planned.session
            date = run.days.date_of(session.day)
            start = end = None
            if session.start is not None:
                start = dt.datetime.combine(date, session.start, tzinfo=run.zone)
                if planned.minutes:
                    # wall-clock arithmetic: a session keeps its length across a DST change
                    end = start + dt.timedelta(minutes=planned.minutes)
            name = run.cohort.facilitator if run.cohort and session.facilitator else None
            found.append(
                DatedSession(
                    run=run,
                    planned=planned,
                    date=date,
                    start=start,
                    end=end,
                    location=session_location(run, session),
                    facilitator_name=name,
                )
            )
        self._dated[run.key] = found
        return found

    def tasks(self, run: Run, role_id: str | None = None) -> list[DatedTask]:
        """The run's checklist tasks (of one role, if given) by due date."""
        found = [
            DatedTask(run=run, task=task, index=index, date=run.days.date_of(task.day))
            for index, task in enumerate(self.programme.checklist)
            if role_id is None or task.role == role_id
        ]
        return sorted(found, key=lambda t: (t.task.day, t.index))

    @cached_property
    def modules(self) -> list[Module]:
        """The modules the programme schedules, in the order it first meets them."""
        found: dict[str, Module] = {}
        for planned in self.sessions:
            for module in planned.modules:
                found.setdefault(module.id, module)
        return list(found.values())


def plans(curriculum: Curriculum, break_title: str = "") -> dict[str, Plan]:
    """One plan per programme, in programme order."""
    return {
        programme.id: Plan(programme, curriculum, break_title)
        for programme in curriculum.programmes.values()
    }


def scheduled_module_ids(programme: Programme) -> set[str]:
    """The ids of the modules a programme schedules (wholly or one activity)."""
    found: set[str] = set()
    for _phase, session in programme.sessions():
        for item in session.items:
            if isinstance(item, ModuleItem):
                found.add(item.module)
            elif isinstance(item, ActivityItem):
                found.add(item.module_id)
    return found


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

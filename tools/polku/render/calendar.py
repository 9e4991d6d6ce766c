"""Calendar files (RFC 5545): the sessions and checklist tasks of every dated run.

Each programme with dates gets ``calendars/<programme>.ics`` for its own start
date, ``calendars/<programme>-<cohort>.ics`` for each cohort,
``calendars/<programme>-<role>.ics`` for each role (every run) and
``calendars/<programme>-<cohort>-<role>.ics`` for each role in each cohort. A
session keeps the same UID in every file and every build, so importing a
calendar again updates the events instead of adding copies.

Checklist deadlines are all-day events shown as free time by default, because
Google Calendar and most Outlook set-ups drop to-dos (VTODO); ``calendar_tasks``
in mkdocs.yml chooses to-dos or both.
"""

from __future__ import annotations

import datetime as dt
import os

from icalendar import Calendar, Event, Todo

from .. import __version__, paths
from ..curriculum import Curriculum
from ..i18n import Labels
from ..model import Programme
from ..paths import SiteUrls
from ..plan import OWN_RUN, DatedSession, DatedTask, Plan, Run, calendar_paths, plans
from .vtimezone import vtimezone

PRODID = f"-//polku//polku {__version__}//EN"
TASK_STYLES = ("events", "todos", "both")
REFRESH = dt.timedelta(hours=12)


def build_stamp(curriculum: Curriculum | None = None) -> dt.datetime:
    """The DTSTAMP of the calendars: when their source last changed.

    SOURCE_DATE_EPOCH when it is set (reproducible builds); else the newest
    modification time of the programme files, so that two builds of the same files
    write the same calendars; now, when there are none.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    times = []
    if curriculum is not None:
        for (kind, _ident), source in curriculum.sources.items():
            if kind == "programme":
                try:
                    times.append((curriculum.root / source.path).stat().st_mtime)
                except OSError:
                    continue
    if times:
        return dt.datetime.fromtimestamp(int(max(times)), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def session_uid(run: Run, session_id: str, urls: SiteUrls) -> str:
    return f"session.{session_id}.{run.key}.{run.programme.id}@{urls.uid_domain}"


def task_uid(task: DatedTask, urls: SiteUrls) -> str:
    """From the task's id, or from its role and text: stable while the task is unchanged."""
    return f"task.{task.ident}.{task.run.key}.{task.run.programme.id}@{urls.uid_domain}"


def deadline_uid(task: DatedTask, urls: SiteUrls) -> str:
    """The all-day event of a task: its own UID, so a to-do and its event can live side by side."""
    return f"deadline.{task.ident}.{task.run.key}.{task.run.programme.id}@{urls.uid_domain}"


class CalendarWriter:
    """Writes every calendar file of a curriculum, and calendars of single runs.

    ``tasks`` says how checklist deadlines are written: ``events`` (all-day events
    shown as free time, which every calendar app shows), ``todos`` (VTODO, which
    Google Calendar and many Outlook set-ups drop) or ``both``.
    """

    def __init__(
        self,
        curriculum: Curriculum,
        urls: SiteUrls | None = None,
        stamp: dt.datetime | None = None,
        programme_plans: dict[str, Plan] | None = None,
        *,
        tasks: str = "events",
    ) -> None:
        if tasks not in TASK_STYLES:
            raise ValueError(f"tasks must be one of {', '.join(TASK_STYLES)}, not {tasks!r}")
        self.curriculum = curriculum
        self.labels = Labels(curriculum.language)
        self.urls = urls or SiteUrls()
        self.stamp = stamp or build_stamp(curriculum)
        self.plans = programme_plans or plans(curriculum, self.labels("break"))
        self.tasks = tasks

    def files(self) -> dict[str, bytes]:
        """Site path -> calendar file, for every programme with dates."""
        found: dict[str, bytes] = {}
        for programme in self.curriculum.programmes.values():
            for path, (what, ident) in calendar_paths(programme).items():
                if what == "run":
                    found[path] = self.run_calendar(programme, ident)
                elif what == "role":
                    found[path] = self.role_calendar(programme, ident)
                else:
                    cohort_id, _, role_id = ident.partition("/")
                    found[path] = self.run_role_calendar(programme, cohort_id, role_id)
        return found

    # --- calendars ------------------------------------------------------------------

    def run_calendar(self, programme: Programme, key: str) -> bytes:
        """Every session and task of one run (the programme's own start date or a cohort)."""
        run = self.plans[programme.id].run(key)
        assert run is not None
        name = programme.title if key == OWN_RUN else f"{programme.title} – {run.title}"
        return self.calendar(name, [run])

    def role_calendar(self, programme: Programme, role_id: str) -> bytes:
        """What concerns one role in every run of the programme."""
        plan = self.plans[programme.id]
        role = programme.role(role_id)
        assert role is not None
        name = f"{programme.title} – {role.title}"
        return self.calendar(name, plan.runs, role_id=role_id)

    def run_role_calendar(self, programme: Programme, key: str, role_id: str) -> bytes:
        """What concerns one role in one run."""
        run = self.plans[programme.id].run(key)
        role = programme.role(role_id)
        assert run is not None and role is not None
        return self.calendar(f"{programme.title} – {run.title} – {role.title}", [run], role_id)

    def calendar(
        self,
        name: str,
        runs: list[Run],
        role_id: str | None = None,
        *,
        since_day: int | None = None,
    ) -> bytes:
        """A calendar of the sessions and tasks of ``runs`` (that concern ``role_id``).

        ``since_day``: leave out what comes before that programme day (a person's own
        calendar starts on their first day, when they have a work calendar to put it in).
        """
        if not runs:
            raise ValueError("a calendar needs at least one run")
        programme = runs[0].programme
        plan = self.plans[programme.id]
        calendar = self._calendar(name, programme)
        with_run = len(runs) > 1
        for run in runs:
            for dated in plan.dated(run):
                if role_id is not None and not dated.session.concerns(role_id):
                    continue
                if since_day is not None and dated.session.day < since_day:
                    continue
                calendar.add_component(self._event(dated, with_run=with_run))
            for task in plan.tasks(run, role_id):
                if since_day is not None and task.task.day < since_day:
                    continue
                if self.tasks in ("events", "both"):
                    calendar.add_component(
                        self._deadline(task, with_run=with_run, with_role=role_id is None)
                    )
                if self.tasks in ("todos", "both"):
                    calendar.add_component(self._todo(task, with_run=with_run))
        return self._finish(calendar, runs)

    def _calendar(self, name: str, programme: Programme) -> Calendar:
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        # these properties are not TEXT to icalendar, so a line break in a title would
        # break the file: they get the text on one line
        name = " ".join(name.split())
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        if programme.summary:
            calendar.add("x-wr-caldesc", " ".join(programme.summary.split()))
        calendar.add("x-wr-timezone", programme.timezone)
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT12H")
        return calendar

    def _finish(self, calendar: Calendar, runs: list[Run]) -> bytes:
        first = min(r.days.date_of(min(self._days(r.programme))) for r in runs)
        last = max(r.days.date_of(max(self._days(r.programme))) for r in runs)
        # a VTIMEZONE that covers the programme's years keeps the file small
        years = (dt.date(first.year - 1, 1, 1), dt.date(last.year + 2, 1, 1))
        calendar.subcomponents.insert(0, vtimezone(runs[0].zone.key, *years))
        return calendar.to_ical()

    @staticmethod
    def _days(programme: Programme) -> list[int]:
        days = [s.day for _phase, s in programme.sessions()]
        days += [t.day for t in programme.checklist]
        return days or [1]

    # --- components --------------------------------------------------------------------

    def _event(self, dated: DatedSession, *, with_run: bool) -> Event:
        session, run, t = dated.session, dated.run, self.labels
        event = Event()
        event.add("uid", session_uid(run, session.id, self.urls))
        event.add("dtstamp", self.stamp)
        summary = session.title
        if with_run and run.cohort is not None:
            summary = f"{summary} ({run.title})"
        event.add("summary", summary)
        if dated.start is not None:
            event.add("dtstart", dated.start)
            if dated.end is not None:
                event.add("dtend", dated.end)
            event.add("transp", "OPAQUE")
        else:
            event.add("dtstart", dated.date)
            event.add("dtend", dated.date + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        if dated.location:
            event.add("location", dated.location)
        event.add("categories", [t(f"kind.{session.kind.value}")])
        url = self.urls.page(paths.programme(run.programme.id), f"session-{session.id}")
        if self.urls.is_absolute:
            event.add("url", url)
        event.add("description", self._description(dated, url))
        return event

    def _description(self, dated: DatedSession, url: str) -> str:
        session, run, t = dated.session, dated.run, self.labels
        lines = [run.programme.title + ("" if run.cohort is None else f" – {run.title}")]
        lines.append(f"{t(f'kind.{session.kind.value}')} · {dated.phase.title}")
        role = run.programme.role(session.facilitator)
        if role is not None:
            who = role.title
            if dated.facilitator_name:
                who = f"{dated.facilitator_name} ({role.title})"
            lines.append(f"{t('facilitator')}: {who}")
        if session.group_size:
            lines.append(f"{t('group_size')}: {session.group_size}")
        rows = dated.planned.rows
        if rows:
            lines += ["", f"{t('agenda')}:"]
            for row in rows:
                clock = f"{row.start:%H:%M}–{row.end:%H:%M} " if row.start and row.end else ""
                length = f" ({t.duration(row.minutes)})" if row.minutes else ""
                lines.append(f"{clock}{row.title}{length}")
        if session.outputs:
            lines += ["", f"{t('outputs')}:"]
            lines += [f"- {output}" for output in session.outputs]
        lines += ["", url]
        return "\n".join(lines)

    def _todo(self, task: DatedTask, *, with_run: bool) -> Todo:
        todo = Todo()
        todo.add("uid", task_uid(task, self.urls))
        todo.add("dtstamp", self.stamp)
        summary = task.task.task
        if with_run and task.run.cohort is not None:
            summary = f"{summary} ({task.run.title})"
        todo.add("summary", summary)
        todo.add("due", task.date)
        todo.add("status", "NEEDS-ACTION")
        todo.add("categories", [self._role_title(task)])
        self._task_text(todo, task)
        return todo

    def _deadline(self, task: DatedTask, *, with_run: bool, with_role: bool) -> Event:
        """A task as an all-day event on its due date, shown as free time."""
        event = Event()
        event.add("uid", deadline_uid(task, self.urls))
        event.add("dtstamp", self.stamp)
        notes = []
        if with_role:
            notes.append(self._role_title(task))
        if with_run and task.run.cohort is not None:
            notes.append(task.run.title)
        summary = task.task.task + (f" ({', '.join(notes)})" if notes else "")
        event.add("summary", summary)
        event.add("dtstart", task.date)
        event.add("dtend", task.date + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        # Outlook reads its own property for free/busy
        event.add("x-microsoft-cdo-busystatus", "FREE")
        event.add("categories", [self.labels("checklist"), self._role_title(task)])
        self._task_text(event, task)
        return event

    def _role_title(self, task: DatedTask) -> str:
        role = task.run.programme.role(task.task.role)
        return role.title if role else task.task.role

    def _task_text(self, component: Event | Todo, task: DatedTask) -> None:
        """The description (and URL) of a task: programme, role, day and checklist page."""
        run, t = task.run, self.labels
        page = self.urls.page(paths.checklist(run.programme.id, task.task.role))
        lines = [
            run.programme.title + ("" if run.cohort is None else f" – {run.title}"),
            f"{t('role')}: {self._role_title(task)}",
            t("day_label", day=task.task.day),
            "",
            page,
        ]
        component.add("description", "\n".join(lines))
        if self.urls.is_absolute:
            component.add("url", page)

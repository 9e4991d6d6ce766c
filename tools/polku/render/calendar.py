"""Calendar files (RFC 5545): the sessions and checklist tasks of every dated run.

Each programme with dates gets ``calendars/<programme>.ics`` for its own start
date, ``calendars/<programme>-<cohort>.ics`` for each cohort and
``calendars/<programme>-<role>.ics`` for each role. A session keeps the same
UID in every file and every build, so importing a calendar again updates the
events instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os

from icalendar import Calendar, Event, Todo

from .. import __version__, paths
from ..curriculum import Curriculum
from ..i18n import Labels
from ..model import Programme
from ..paths import SiteUrls
from ..plan import OWN_RUN, DatedSession, DatedTask, Plan, Run, calendar_paths, plans
from ..schedule import agenda

PRODID = f"-//polku//polku {__version__}//EN"
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
    ident = task.task.id
    if ident is None:
        digest = hashlib.sha256(f"{task.task.role}\n{task.task.task}".encode()).hexdigest()
        ident = f"h{digest[:16]}"
        # the same task twice in one checklist: tell the copies apart by position
        same = [
            i
            for i, other in enumerate(task.run.programme.checklist)
            if other.role == task.task.role and other.task == task.task.task
        ]
        if len(same) > 1:
            ident += f"-{same.index(task.index) + 1}"
    return f"task.{ident}.{task.run.key}.{task.run.programme.id}@{urls.uid_domain}"


class CalendarWriter:
    """Writes every calendar file of a curriculum."""

    def __init__(
        self,
        curriculum: Curriculum,
        urls: SiteUrls | None = None,
        stamp: dt.datetime | None = None,
        programme_plans: dict[str, Plan] | None = None,
    ) -> None:
        self.curriculum = curriculum
        self.labels = Labels(curriculum.language)
        self.urls = urls or SiteUrls()
        self.stamp = stamp or build_stamp(curriculum)
        self.plans = programme_plans or plans(curriculum, self.labels("break"))

    def files(self) -> dict[str, bytes]:
        """Site path -> calendar file, for every programme with dates."""
        found: dict[str, bytes] = {}
        for programme in self.curriculum.programmes.values():
            for path, (what, ident) in calendar_paths(programme).items():
                if what == "run":
                    found[path] = self.run_calendar(programme, ident)
                else:
                    found[path] = self.role_calendar(programme, ident)
        return found

    # --- calendars ------------------------------------------------------------------

    def run_calendar(self, programme: Programme, key: str) -> bytes:
        plan = self.plans[programme.id]
        run = plan.run(key)
        assert run is not None
        name = programme.title if key == OWN_RUN else f"{programme.title} – {run.title}"
        calendar = self._calendar(name, programme)
        for dated in plan.dated(run):
            calendar.add_component(self._event(dated, with_run=False))
        for task in plan.tasks(run):
            calendar.add_component(self._todo(task, with_run=False))
        return self._finish(calendar, plan.runs)

    def role_calendar(self, programme: Programme, role_id: str) -> bytes:
        plan = self.plans[programme.id]
        role = programme.role(role_id)
        assert role is not None
        calendar = self._calendar(f"{programme.title} – {role.title}", programme)
        with_run = len(plan.runs) > 1
        for run in plan.runs:
            for dated in plan.dated(run):
                if dated.session.concerns(role_id):
                    calendar.add_component(self._event(dated, with_run=with_run))
            for task in plan.tasks(run, role_id):
                calendar.add_component(self._todo(task, with_run=with_run))
        return self._finish(calendar, plan.runs)

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
        if runs:
            first = min(r.days.date_of(min(self._days(r.programme))) for r in runs)
            last = max(r.days.date_of(max(self._days(r.programme))) for r in runs)
            # a VTIMEZONE that covers the programme's years keeps the file small
            calendar.add_missing_timezones(
                first_date=dt.date(first.year - 1, 1, 1),
                last_date=dt.date(last.year + 2, 1, 1),
            )
            _one_rdate_per_line(calendar)
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
        rows = agenda(session, self.curriculum, t("break"))
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
        run, t = task.run, self.labels
        role = run.programme.role(task.task.role)
        todo = Todo()
        todo.add("uid", task_uid(task, self.urls))
        todo.add("dtstamp", self.stamp)
        summary = task.task.task
        if with_run and run.cohort is not None:
            summary = f"{summary} ({run.title})"
        todo.add("summary", summary)
        todo.add("due", task.date)
        todo.add("status", "NEEDS-ACTION")
        role_title = role.title if role else task.task.role
        todo.add("categories", [role_title])
        page = self.urls.page(paths.checklist(run.programme.id, task.task.role))
        lines = [
            run.programme.title + ("" if run.cohort is None else f" – {run.title}"),
            f"{t('role')}: {role_title}",
            t("day_label", day=task.task.day),
            "",
            page,
        ]
        todo.add("description", "\n".join(lines))
        if self.urls.is_absolute:
            todo.add("url", page)
        return todo


def _one_rdate_per_line(calendar: Calendar) -> None:
    """Write each time zone transition as its own RDATE property.

    A comma-separated RDATE list is valid RFC 5545, but ical.js (the parser of
    Thunderbird and Nextcloud) reads only its first value and then shows
    summer times an hour off.
    """
    for timezone in calendar.walk("VTIMEZONE"):
        for part in timezone.subcomponents:
            found = part.get("RDATE")
            if found is None:
                continue
            lists = found if isinstance(found, list) else [found]
            moments = [value.dt for entry in lists for value in entry.dts]
            del part["RDATE"]
            for moment in moments:
                part.add("RDATE", moment)

"""What HR hands out: dated schedule pages per cohort, checklists per role, calendar
files, the timeline picture and the links to all of them on the programme page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .. import paths
from ..i18n import Labels
from ..model import ChecklistTask, Phase, Programme, Role, Session
from ..paths import SiteUrls
from ..plan import OWN_RUN, DatedSession, DatedTask, Plan, Run, calendar_paths, is_dated, task_ident
from .calendar import CalendarWriter
from .markup import markdown_attribute, plain
from .output import Output
from .site import SiteRenderer, front_matter
from .timeline import Timeline, standalone_file


@dataclass
class ChecklistRow:
    task: ChecklistTask
    ident: str  # the task's stable key: the ticks of the page are kept under it
    cells: list[tuple[str, str, str]]  # (run key, run title, date) for every run


class ScheduleRenderer:
    """Cohort pages, role checklists, calendars and timelines of every programme."""

    def __init__(
        self,
        site: SiteRenderer,
        urls: SiteUrls | None = None,
        *,
        calendar_tasks: str = "events",
    ) -> None:
        self.site = site
        self.curriculum = site.curriculum
        self.labels: Labels = site.labels
        self.urls = urls or SiteUrls()
        self.plans = site.plans
        self.calendar_tasks = calendar_tasks

    # --- timelines --------------------------------------------------------------------

    @cached_property
    def timelines(self) -> dict[str, Timeline]:
        """Timeline key -> timeline: ``<programme>`` and ``<programme>/<cohort>``."""
        found: dict[str, Timeline] = {}
        for programme in self.curriculum.programmes.values():
            if not programme.phases:
                continue
            plan = self.plans[programme.id]
            found[programme.id] = Timeline(programme, plan, self.labels, plan.run(OWN_RUN))
            for run in plan.runs:
                if run.cohort is not None:
                    found[f"{programme.id}/{run.key}"] = Timeline(programme, plan, self.labels, run)
        return found

    def timeline_svg(self, programme: Programme) -> str:
        """The programme's timeline for print (the learner workbook): no links."""
        timeline = self.timelines.get(programme.id)
        return timeline.svg(print_font=True) if timeline else ""

    def timeline_path(self, key: str) -> str:
        programme_id, _, cohort_id = key.partition("/")
        return paths.timeline(programme_id, cohort_id or None)

    def figure(self, key: str, page: str) -> str:
        """The timeline ``key`` as a figure for the page ``page`` (docs-relative path).

        polku's own SVG with its text escaped, linking each session from where the
        page is; a raw HTML block the engine passes through as it is.
        """
        timeline = self.timelines.get(key)
        if timeline is None:
            return ""
        use_directory_urls = self.urls.use_directory_urls
        programme_page = paths.programme(timeline.programme.id)
        base = "" if programme_page == page else paths.url(programme_page, page, use_directory_urls)

        def link(session: Session) -> str:
            return f"{base}#session-{session.id}"

        linked = Timeline(timeline.programme, timeline.plan, self.labels, timeline.run, link=link)
        svg = linked.svg().replace("\n\n", "\n")  # no blank line ends the HTML block early
        download = paths.url(self.timeline_path(key), page, use_directory_urls)
        return (
            '<figure class="polku-timeline">\n'
            f"{svg}\n"
            f'<figcaption class="polku-no-print"><a href="{markdown_attribute(download)}">'
            f"{plain(self.labels('schedule.timeline_svg'))}</a></figcaption>\n"
            "</figure>"
        )

    # --- files --------------------------------------------------------------------------

    def files(self) -> list[Output]:
        """Calendar files and timeline pictures."""
        writer = CalendarWriter(
            self.curriculum, self.urls, programme_plans=self.plans, tasks=self.calendar_tasks
        )
        found = [Output(path, data) for path, data in writer.files().items()]
        for key, timeline in self.timelines.items():
            svg = standalone_file(timeline.svg(standalone=True)).encode()
            found.append(Output(self.timeline_path(key), svg))
        return found

    # --- pages --------------------------------------------------------------------------

    def pages(self) -> list[Output]:
        """The dated schedule page of every cohort and the checklist page of every role."""
        found: list[Output] = []
        for programme in self.curriculum.programmes.values():
            plan = self.plans[programme.id]
            for run in plan.runs:
                if run.cohort is not None:
                    path = paths.cohort(programme.id, run.key)
                    found.append(
                        Output(path, self.cohort_page(plan, run), title=run.title, in_nav=True)
                    )
            for role in programme.roles:
                if any(task.role == role.id for task in programme.checklist):
                    path = paths.checklist(programme.id, role.id)
                    content = self.checklist_page(plan, role)
                    found.append(Output(path, content, title=role.title, in_nav=True))
        return found

    def cohort_page(self, plan: Plan, run: Run) -> str:
        programme = plan.programme
        assert run.cohort is not None
        page = paths.cohort(programme.id, run.key)
        sessions = plan.dated(run)
        phases: list[tuple[Phase, list[DatedSession]]] = []
        for phase in programme.phases:
            rows = sorted((d for d in sessions if d.phase is phase), key=lambda d: d.sort_key)
            if rows:
                phases.append((phase, rows))
        checklists: list[tuple[Role, list[DatedTask]]] = []
        for role in programme.roles:
            tasks = plan.tasks(run, role.id)
            if tasks:
                checklists.append((role, tasks))
        last = max((d.date for d in sessions), default=None)
        return front_matter(f"{programme.title}: {run.title}") + self.site.render(
            "cohort.md.j2",
            programme=programme,
            run=run,
            last_day=self.labels.date(last) if last else "",
            phases=phases,
            checklists=checklists,
            links=self._run_links(programme, run, page),
            timeline=self.figure(f"{programme.id}/{run.key}", page),
            page=page,
            link=self.site.link,
        )

    def checklist_page(self, plan: Plan, role: Role) -> str:
        programme = plan.programme
        page = paths.checklist(programme.id, role.id)
        tasks = sorted(
            (
                (index, task)
                for index, task in enumerate(programme.checklist)
                if task.role == role.id
            ),
            key=lambda pair: (pair[1].day, pair[0]),
        )
        t = self.labels
        # a programme without dates still gets one column of tick boxes
        runs = [(run.key, run.title, run) for run in plan.runs] or [
            (OWN_RUN, programme.title, None)
        ]
        rows = [
            ChecklistRow(
                task,
                task_ident(programme, index),
                [
                    (key, title, t.date(run.days.date_of(task.day)) if run else "")
                    for key, title, run in runs
                ],
            )
            for index, task in tasks
        ]
        if len(runs) > 1:
            headers = [title for _key, title, _run in runs]
        else:
            headers = [t("date") if plan.runs else t("schedule.done")]
        # the window title names the programme: two programmes can have the same role
        title = f"{t('schedule.checklist_title', role=role.title)} – {programme.title}"
        return front_matter(title) + self.site.render(
            "checklist.md.j2",
            programme=programme,
            role=role,
            headers=headers,
            rows=rows,
            page=page,
            link=self.site.link,
        )

    # --- links on the programme page -----------------------------------------------------

    def programme_links(self, programme: Programme, page: str) -> list[str]:
        """Lines of the programme page that link its calendars, checklists and handouts."""
        t, link = self.labels, self.site.link
        plan = self.plans[programme.id]
        lines: list[str] = []
        own = plan.run(OWN_RUN)
        if own is not None:
            lines.append(self._calendar_line(paths.calendar(programme.id), page))
        for run in plan.runs:
            if run.cohort is None:
                continue
            path = paths.calendar(programme.id, run.key)
            starts = t("schedule.starts", date=t.date(run.start_date))
            dates = link(paths.cohort(programme.id, run.key), page)
            line = (
                f"**{plain(run.title)}** ({plain(starts)}): "
                f"[{plain(t('schedule.dated_schedule'))}]({dates}) · "
                f"[{plain(t('schedule.download_ics'))}]({link(path, page)})"
            )
            subscribe = self.urls.subscribe(path)
            if subscribe:
                line += f" · [{plain(t('schedule.subscribe'))}]({subscribe})"
            roles = self._role_calendar_links(programme, page, run)
            if roles:
                line += f" · {plain(t('schedule.by_role'))}: {roles}"
            lines.append(line)
        if is_dated(programme) and programme.roles:
            label = plain(t("schedule.role_calendars"))
            lines.append(f"**{label}:** " + self._role_calendar_links(programme, page))
        roles = [r for r in programme.roles if any(x.role == r.id for x in programme.checklist)]
        if roles:
            parts = [
                f"[{plain(r.title)}]({link(paths.checklist(programme.id, r.id), page)})"
                for r in roles
            ]
            lines.append(f"**{plain(t('schedule.checklists'))}:** " + " · ".join(parts))
        path = paths.glance(programme.id)
        if path in self.site.available:
            lines.append(f"[{plain(t('schedule.at_a_glance'))}]({link(path, page)})")
        return lines

    def _role_calendar_links(self, programme: Programme, page: str, run: Run | None = None) -> str:
        """Links to the role calendars of every run, or of one cohort's run."""
        parts = []
        for role in programme.roles:
            suffixes = (run.key, role.id) if run is not None and run.cohort else (role.id,)
            path = paths.calendar(programme.id, *suffixes)
            if path in self.site.available:
                parts.append(f"[{plain(role.title)}]({self.site.link(path, page)})")
        return " · ".join(parts)

    def _run_links(self, programme: Programme, run: Run, page: str) -> list[str]:
        lines = [self._calendar_line(paths.calendar(programme.id, run.key), page)]
        roles = self._role_calendar_links(programme, page, run)
        if roles:
            lines.append(f"**{plain(self.labels('schedule.role_calendars'))}:** {roles}")
        path = paths.glance(programme.id, run.key)
        if path in self.site.available:
            url = self.site.link(path, page)
            lines.append(f"[{plain(self.labels('schedule.at_a_glance'))}]({url})")
        return lines

    def _calendar_line(self, path: str, page: str) -> str:
        t = self.labels
        line = (
            f"**{plain(t('calendar'))}:** "
            f"[{plain(t('schedule.download_ics'))}]({self.site.link(path, page)})"
        )
        subscribe = self.urls.subscribe(path)
        if subscribe:
            line += f" · [{plain(t('schedule.subscribe'))}]({subscribe})"
        return line

    # --- what the build says ---------------------------------------------------------------

    def site_url_warning(self) -> str | None:
        """Why the links in calendar entries will not open, when ``site_url`` is unset."""
        if self.urls.is_absolute:
            return None
        calendars = [
            path
            for programme in self.curriculum.programmes.values()
            for path in calendar_paths(programme)
        ]
        if not calendars:
            return None
        more = f" and {len(calendars) - 1} more" if len(calendars) > 1 else ""
        return (
            f"site_url is not set, so the calendar entries ({calendars[0]}{more}) link to "
            "their session with a path that no calendar app can open, and the programme "
            "pages offer no webcal:// subscription; set site_url to the address the site "
            "is published at (https://intranet.example.fi/perehdytys/)"
        )


def nav_entries(programme: Programme, labels: Labels) -> list[Any]:
    """Navigation entries for a programme's cohort pages and checklists."""
    entries: list[Any] = []
    for cohort in programme.cohorts:
        entries.append({cohort.title: paths.cohort(programme.id, cohort.id)})
    checklists = [
        {role.title: paths.checklist(programme.id, role.id)}
        for role in programme.roles
        if any(task.role == role.id for task in programme.checklist)
    ]
    if checklists:
        entries.append({labels("schedule.checklists"): checklists})
    return entries

"""What HR hands out: dated schedule pages per cohort, checklists per role, calendar
files, the timeline picture and the links to all of them on the programme page."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .. import paths
from ..i18n import Labels
from ..model import ChecklistTask, Phase, Programme, Role, Session
from ..paths import SiteUrls
from ..plan import OWN_RUN, DatedSession, DatedTask, Plan, Run, is_dated
from .calendar import CalendarWriter
from .markup import attribute, plain
from .site import SiteRenderer, front_matter
from .timeline import Timeline, standalone_file

_SLOT = re.compile(r'<div\b[^>]*\bdata-polku-timeline="([^"]*)"[^>]*>\s*</div>')


@dataclass
class ChecklistRow:
    task: ChecklistTask
    dates: list[str]


class ScheduleRenderer:
    """Cohort pages, role checklists, calendars and timelines of every programme."""

    def __init__(
        self,
        site: SiteRenderer,
        urls: SiteUrls | None = None,
        *,
        pdf: bool = False,
    ) -> None:
        self.site = site
        self.curriculum = site.curriculum
        self.labels: Labels = site.labels
        self.urls = urls or SiteUrls()
        self.pdf = pdf
        self.plans = site.plans

    def attach(self) -> ScheduleRenderer:
        """Add this renderer's pages and programme-page links to the site renderer."""
        self.site.link_sources.append(self.programme_links)
        self.site.page_sources.append(self.pages)
        return self

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
        return timeline.svg() if timeline else ""

    def timeline_path(self, key: str) -> str:
        programme_id, _, cohort_id = key.partition("/")
        return paths.timeline(programme_id, cohort_id or None)

    def embed(self, html: str, page_url: str) -> str:
        """Put each timeline into its slot of a finished (sanitised) page."""
        local = SiteUrls(None, self.urls.use_directory_urls)

        def figure(match: re.Match[str]) -> str:
            key = match.group(1)
            timeline = self.timelines.get(key)
            if timeline is None:
                return ""
            programme_url = local.page(paths.programme(timeline.programme.id))
            base = _relative(programme_url, page_url)

            def link(session: Session) -> str:
                return f"{base}#session-{session.id}"

            linked = Timeline(
                timeline.programme, timeline.plan, self.labels, timeline.run, link=link
            )
            svg = linked.svg()
            download = _relative(self.timeline_path(key), page_url)
            return (
                '<figure class="polku-timeline">\n'
                f"{svg}\n"
                f'<figcaption class="polku-no-print"><a href="{attribute(download)}">'
                f"{plain(self.labels('schedule.timeline_svg'))}</a></figcaption>\n"
                "</figure>"
            )

        return _SLOT.sub(figure, html)

    # --- files --------------------------------------------------------------------------

    def files(self) -> dict[str, bytes]:
        """Calendar files and timeline pictures: site path -> content."""
        found = CalendarWriter(self.curriculum, self.urls, programme_plans=self.plans).files()
        for key, timeline in self.timelines.items():
            found[self.timeline_path(key)] = standalone_file(timeline.svg(standalone=True)).encode()
        return found

    # --- pages --------------------------------------------------------------------------

    def pages(self) -> dict[str, str]:
        pages: dict[str, str] = {}
        for programme in self.curriculum.programmes.values():
            plan = self.plans[programme.id]
            for run in plan.runs:
                if run.cohort is not None:
                    pages[paths.cohort(programme.id, run.key)] = self.cohort_page(plan, run)
            for role in programme.roles:
                if any(task.role == role.id for task in programme.checklist):
                    pages[paths.checklist(programme.id, role.id)] = self.checklist_page(plan, role)
        return pages

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
            timeline=f"{programme.id}/{run.key}",
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
        rows = [
            ChecklistRow(task, [self.labels.date(run.days.date_of(task.day)) for run in plan.runs])
            for _index, task in tasks
        ]
        title = self.labels("schedule.checklist_title", role=role.title)
        return front_matter(title) + self.site.render(
            "checklist.md.j2",
            programme=programme,
            role=role,
            runs=plan.runs,
            rows=rows,
            page=page,
            link=self.site.link,
        )

    # --- links on the programme page -----------------------------------------------------

    def programme_links(self, programme: Programme, page: str) -> list[tuple[str, str]]:
        t, link = self.labels, self.site.link
        plan = self.plans[programme.id]
        lines: list[tuple[str, str]] = []
        own = plan.run(OWN_RUN)
        if own is not None:
            path = paths.calendar(programme.id)
            lines.append((self._calendar_line(path, page), path))
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
            lines.append((line, path))
        if is_dated(programme) and programme.roles:
            parts = []
            for role in programme.roles:
                url = link(paths.calendar(programme.id, role.id), page)
                parts.append(f"[{plain(role.title)}]({url})")
            label = plain(t("schedule.role_calendars"))
            lines.append((f"**{label}:** " + " · ".join(parts), ""))
        roles = [r for r in programme.roles if any(x.role == r.id for x in programme.checklist)]
        if roles:
            parts = [
                f"[{plain(r.title)}]({link(paths.checklist(programme.id, r.id), page)})"
                for r in roles
            ]
            lines.append((f"**{plain(t('schedule.checklists'))}:** " + " · ".join(parts), ""))
        if self.pdf and programme.phases:
            path = paths.glance(programme.id)
            url = link(path, page)
            lines.append((f"[{plain(t('schedule.at_a_glance'))}]({url})", path))
        return lines

    def _run_links(self, programme: Programme, run: Run, page: str) -> list[str]:
        lines = [self._calendar_line(paths.calendar(programme.id, run.key), page)]
        if self.pdf and programme.phases:
            url = self.site.link(paths.glance(programme.id, run.key), page)
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


def _relative(target: str, page_url: str) -> str:
    """A link from the page at ``page_url`` to the site path ``target``."""
    if target == page_url:
        return ""
    page_dir = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    relative = posixpath.relpath(target or ".", page_dir.rstrip("/") or ".")
    if target.endswith("/") and not relative.endswith("/"):
        relative += "/"
    return relative

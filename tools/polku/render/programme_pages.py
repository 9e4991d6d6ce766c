"""A programme's pages: the overview, one page per session for learners and one per
session for the people who run it, each with links to the previous and next in the
programme's order; and where a module sits in the programmes that schedule it.

A programme's overview stays short whatever its length: the timeline and one line
per session. What happens in a session is on the session's own page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from .. import paths
from ..model import Activity, ActivityItem, Module, ModuleItem, Programme
from ..plan import session_location
from ..schedule import AgendaRow
from .handouts import handout_links
from .markup import front_matter
from .output import Output
from .page_memo import PageJob

if TYPE_CHECKING:
    from .site import SessionView, SiteRenderer

# Pages with polku's own previous/next links hide the theme's (which follow the menu)
OWN_PAGER = ["footer"]


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Pager:
    """Where a page sits in a programme's order: the pages before and after it."""

    label: str
    previous: Link | None = None
    next: Link | None = None
    title: str = ""
    related_label: str = ""
    related: tuple[Link, ...] = ()


@dataclass
class ModuleGroup:
    """The activities of one module that a session covers, in agenda order."""

    module: Module
    activities: list[Activity] = field(default_factory=list)


@dataclass(frozen=True)
class SessionLine:
    """One line of the programme overview's session list."""

    view: SessionView
    url: str
    when: str
    location: str


def module_groups(view: SessionView) -> list[ModuleGroup]:
    """The session's activities grouped by module, each module where it first comes."""
    groups: dict[str, ModuleGroup] = {}
    for module, activity in view.activities:
        group = groups.setdefault(module.id, ModuleGroup(module))
        if activity not in group.activities:
            group.activities.append(activity)
    return list(groups.values())


class ProgrammePages:
    """The overview, session pages and facilitator pages of each programme."""

    def __init__(self, site: SiteRenderer) -> None:
        self.site = site
        self.labels = site.labels

    def outputs(self, programme: Programme) -> list[Output | PageJob]:
        """The programme's pages; its session pages as jobs for the page memo."""
        views = self.site.session_views(programme)
        overview = self.overview(programme, views)
        home = paths.programme(programme.id)
        found: list[Output | PageJob] = [Output(home, overview, title=programme.title, in_nav=True)]
        found.extend(self._session_jobs(programme, views, facilitator=False))
        guide = self.facilitator_index(programme, views)
        title = self.labels("facilitator_guide")
        found.append(Output(paths.facilitator(programme.id), guide, title=title, in_nav=True))
        found.extend(self._session_jobs(programme, views, facilitator=True))
        return found

    def _session_jobs(
        self, programme: Programme, views: list[SessionView], *, facilitator: bool
    ) -> list[PageJob]:
        """A page per session, for learners or for facilitators, kept while unchanged."""
        render = self.facilitator_session if facilitator else self.session_page
        return [
            PageJob(
                view.facilitator_page if facilitator else view.page,
                view.session.title,
                partial(render, programme, views, index),
                tuple(self.shown_modules(view)),
            )
            for index, view in enumerate(views)
        ]

    def shown_modules(self, view: SessionView) -> list[Module]:
        """The modules whose text the session's pages show: those its items name."""
        modules = self.site.curriculum.modules
        found: dict[str, Module] = {}
        for item in view.session.items:
            if isinstance(item, ModuleItem) and item.module in modules:
                found.setdefault(item.module, modules[item.module])
            elif isinstance(item, ActivityItem) and item.module_id in modules:
                found.setdefault(item.module_id, modules[item.module_id])
        return list(found.values())

    # --- the overview ------------------------------------------------------------------

    def overview(self, programme: Programme, views: list[SessionView]) -> str:
        site = self.site
        page = paths.programme(programme.id)
        checklist: dict[str, list[tuple[str, str]]] = {}
        for role in programme.roles:
            tasks = sorted(
                (t for t in programme.checklist if t.role == role.id), key=lambda t: t.day
            )
            if tasks:
                checklist[role.id] = [(site.day_text(programme, t.day), t.task) for t in tasks]
        phases = [
            (phase, [self.session_line(v, page) for v in views if v.planned.phase is phase])
            for phase in programme.phases
        ]
        first = views[0] if views else None
        return front_matter(programme.title) + site.render(
            "programme.md.j2",
            programme=programme,
            views=views,
            phases=phases,
            first=Link(first.session.title, site.href(first.page, page)) if first else None,
            end_text=site.end_text(programme),
            checklist=checklist,
            page=page,
            link=site.link,
            files=[
                *(line for line, _url in site.workbook_links(programme, page)),
                *site.extras.get(programme.id, []),
            ],
            timeline=site.figures.get(programme.id, ""),
        )

    def session_line(self, view: SessionView, page: str) -> SessionLine:
        session = view.session
        when = []
        if view.date:
            when.append(view.date)
        else:
            when.append(self.labels("day_label", day=session.day))
        if session.start:
            clock = session.start.strftime("%H:%M")
            if view.end:
                clock += "–" + view.end.strftime("%H:%M")
            when.append(clock)
        return SessionLine(
            view=view,
            url=self.site.href(view.page, page),
            when=" · ".join(when),
            location=session_location(None, session) or "",
        )

    # --- learner session pages ---------------------------------------------------------

    def session_page(self, programme: Programme, views: list[SessionView], index: int) -> str:
        site = self.site
        view = views[index]
        page = view.page

        def target(row: AgendaRow) -> str:
            """Agenda rows link to where the page shows them."""
            if row.kind == "module" and row.module is not None:
                return f"#module-{row.module.id}"
            if row.kind == "activity" and row.module is not None and row.activity is not None:
                return "#" + paths.activity_anchor(row.module.id, row.activity.id)
            return ""

        title = f"{view.session.title} – {programme.title}"
        meta = front_matter(title, hide=OWN_PAGER, search={"exclude": True})
        return meta + site.render(
            "session.md.j2",
            programme=programme,
            view=view,
            groups=module_groups(view),
            target=target,
            methods=site.curriculum.methods,
            pager=self.pager(programme, views, index, facilitator=False),
            page=page,
            link=site.link,
            md=site.author_text(page, glossed=True),
            gloss=site.gloss,
        )

    # --- facilitator pages -------------------------------------------------------------

    def facilitator_index(self, programme: Programme, views: list[SessionView]) -> str:
        site = self.site
        page = paths.facilitator(programme.id)
        phases = [
            (phase, [view for view in views if view.planned.phase is phase])
            for phase in programme.phases
        ]
        activities = [activity for view in views for _module, activity in view.activities]
        pdf = paths.workbook(programme.id, "facilitator")
        title = f"{self.labels('facilitator_guide')}: {programme.title}"
        return front_matter(title) + site.render(
            "facilitator.md.j2",
            programme=programme,
            phases=phases,
            handouts=handout_links(site, activities, page),
            pdf=site.href(pdf, page) if pdf in site.available else "",
            page=page,
            link=site.link,
        )

    def facilitator_session(
        self, programme: Programme, views: list[SessionView], index: int
    ) -> str:
        site = self.site
        view = views[index]
        page = view.facilitator_page
        pack = paths.session_pack(programme.id, view.session.id)
        title = f"{view.session.title} – {self.labels('facilitator_guide')}: {programme.title}"
        # found by search, after the learner's pages of the same content
        meta = front_matter(title, hide=OWN_PAGER, search={"boost": 0.5})
        return meta + site.render(
            "facilitator_session.md.j2",
            programme=programme,
            view=view,
            handouts=handout_links(site, [a for _m, a in view.activities], page),
            pack=site.href(pack, page) if pack in site.available else "",
            pager=self.pager(programme, views, index, facilitator=True),
            page=page,
            link=site.link,
            href=site.href,
            md=site.author_text(page),
        )

    # --- order -------------------------------------------------------------------------

    def pager(
        self, programme: Programme, views: list[SessionView], index: int, *, facilitator: bool
    ) -> Pager:
        """The sessions before and after ``index``; the overview (or the guide) at the ends."""
        site = self.site
        view = views[index]

        def page_of(other: SessionView) -> str:
            return other.facilitator_page if facilitator else other.page

        here = page_of(view)
        start = paths.facilitator(programme.id) if facilitator else paths.programme(programme.id)
        start_title = (
            f"{self.labels('facilitator_guide')}: {programme.title}"
            if facilitator
            else programme.title
        )
        before = views[index - 1] if index > 0 else None
        after = views[index + 1] if index + 1 < len(views) else None
        return Pager(
            label=self.labels("pager.sessions"),
            previous=Link(before.session.title, site.href(page_of(before), here))
            if before
            else Link(start_title, site.href(start, here)),
            next=Link(after.session.title, site.href(page_of(after), here))
            if after
            else Link(start_title, site.href(start, here)),
        )


def module_trails(site: SiteRenderer, module: Module, page: str) -> list[Pager]:
    """For each programme that schedules ``module``: the modules before and after it in
    the programme's order, and the sessions that cover it."""
    trails = []
    for programme in site.module_programmes.get(module.id, []):
        place = site.module_places(programme).get(module.id)
        if place is None:
            continue
        position, views = place
        order = site.plans[programme.id].modules
        before = order[position - 1] if position > 0 else None
        after = order[position + 1] if position + 1 < len(order) else None
        sessions = tuple(
            Link(view.session.title, site.href(view.page, page, f"module-{module.id}"))
            for view in views
        )
        trails.append(
            Pager(
                label=site.labels("pager.modules", programme=programme.title),
                title=programme.title,
                previous=Link(before.title, site.href(paths.module(before.id), page))
                if before
                else None,
                next=Link(after.title, site.href(paths.module(after.id), page)) if after else None,
                related_label=site.labels("in_sessions"),
                related=sessions,
            )
        )
    return trails

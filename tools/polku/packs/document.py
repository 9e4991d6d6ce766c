"""One person's welcome pack: a letter with their own schedule and tasks, and a calendar.

The person's dates are a run of the programme from their own start date
(:meth:`polku.plan.Plan.personal_run`), as a cohort's are; the letter is print
HTML for the workbooks' PDF processes and stylesheet, and the calendar is written
by the same :class:`~polku.render.calendar.CalendarWriter` as the site's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .. import paths
from ..curriculum import Curriculum
from ..i18n import Labels
from ..model import Phase
from ..paths import SiteUrls
from ..plan import DatedSession, Plan, Run
from ..render.calendar import CalendarWriter
from ..render.workbook import WorkbookDocument, css_label
from .people import Person


@dataclass(frozen=True)
class PackDocument(WorkbookDocument):
    """The letter of one person, rendered like a workbook into ``<key>/<key>.pdf``."""

    key: str = ""

    @property
    def paths(self) -> tuple[str, ...]:
        return (pack_file(self.key, "pdf"),)


def pack_file(key: str, suffix: str) -> str:
    """A file of a person's pack, relative to the packs folder: ``<key>/<key>.<suffix>``."""
    return f"{key}/{key}.{suffix}"


@dataclass(frozen=True)
class Pack:
    """What is written for one person."""

    person: Person
    document: PackDocument
    calendar: bytes
    first_day: dt.date  # the start date, or the first working day after it


class PackWriter:
    """Builds the welcome pack of each person from the programmes' plans."""

    def __init__(
        self,
        curriculum: Curriculum,
        plans: dict[str, Plan],
        urls: SiteUrls,
        *,
        organisation: str = "",
        workbooks: bool = True,
    ) -> None:
        self.curriculum = curriculum
        self.plans = plans
        self.urls = urls
        self.organisation = organisation
        self.workbooks = workbooks  # whether the site publishes the learner workbook
        self.calendars = CalendarWriter(curriculum, urls, programme_plans=plans)
        self.env = Environment(
            loader=PackageLoader("polku.packs", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.template = self.env.get_template("pack.html.j2")

    def pack(self, person: Person) -> Pack:
        programme = person.programme
        plan = self.plans[programme.id]
        run = plan.personal_run(
            person.start_date,
            key=person.key,
            name=person.name,
            cohort=person.cohort,
            place=person.location,
        )
        name = f"{programme.title} – {person.name}"
        calendar = self.calendars.calendar(name, [run], person.role, since_day=1)
        return Pack(person, self.document(person, plan, run), calendar, run.start_date)

    def document(self, person: Person, plan: Plan, run: Run) -> PackDocument:
        programme = plan.programme
        t = Labels(person.language or programme.language)
        sessions = [d for d in plan.dated(run) if d.session.concerns(person.role)]
        before = sorted((d for d in sessions if d.session.day < 1), key=lambda d: d.sort_key)
        from_start = [d for d in sessions if d.session.day >= 1]
        first = min(from_start, key=lambda d: d.sort_key, default=None)
        place = person.location or run.location or (first.location if first else None)
        facts = [(t("pack.first_day"), self._when(first, run, t))]
        if place:
            facts.append((t("location"), place))
        if person.mentor:
            facts.append((t("pack.mentor"), person.mentor))
        if person.cohort is not None:
            facts.append((t("pack.cohort"), person.cohort.title))
        role = programme.role(person.role)
        title = f"{programme.title} – {person.name}"
        html = self.template.render(
            language=t.language,
            title=title,
            author=self.organisation,
            organisation=self.organisation,
            t=t,
            person=person,
            programme=programme,
            role_title=role.title if role else person.role,
            intro=t("pack.intro", programme=programme.title, date=t.date(run.start_date)),
            facts=facts,
            before=[self._row(d, t) for d in before],
            phases=self._phases(programme.phases, from_start, t),
            tasks=[(t.date(task.date), task.task.task) for task in plan.tasks(run, person.role)],
            links=self._links(person),
            calendar_file=pack_file(person.key, "ics").rsplit("/", 1)[-1],
            page_content=Markup(
                css_label(t("page_of"), page="counter(page)", pages="counter(pages)")
            ),
        )
        return PackDocument(
            programme_id=programme.id,
            role=f"pack-{person.key}",  # names the rendered PDF in the private work folder
            title=title,
            html=html,
            fillable=False,
            key=person.key,
        )

    # --- parts ------------------------------------------------------------------------------

    @staticmethod
    def _when(first: DatedSession | None, run: Run, t: Labels) -> str:
        day = t.date(first.date if first else run.start_date)
        if first is not None and first.start is not None:
            return t("pack.date_at", date=day, time=f"{first.start:%H:%M}")
        return day

    @staticmethod
    def _row(dated: DatedSession, t: Labels) -> dict[str, Any]:
        clock = ""
        if dated.start is not None:
            clock = f"{dated.start:%H:%M}"
            if dated.end is not None:
                clock += f"–{dated.end:%H:%M}"
        return {
            "date": t.date(dated.date),
            "time": clock or own_pace(dated, t),
            "title": dated.session.title,
            "kind": t(f"kind.{dated.session.kind.value}"),
            "place": dated.location or "",
        }

    def _phases(
        self, phases: list[Phase], sessions: list[DatedSession], t: Labels
    ) -> list[tuple[str, list[dict[str, Any]]]]:
        found = []
        for phase in phases:
            rows = sorted((d for d in sessions if d.phase is phase), key=lambda d: d.sort_key)
            if rows:
                found.append((phase.title, [self._row(d, t) for d in rows]))
        return found

    def _links(self, person: Person) -> list[tuple[str, str]]:
        """Addresses on the site, printed in full: a letter on paper has no links to click."""
        if not self.urls.is_absolute:
            return []
        t = Labels(person.language or person.programme.language)
        programme = person.programme.id
        found = [(t("pack.programme_page"), self.urls.page(paths.programme(programme)))]
        if person.cohort is not None:
            page = paths.cohort(programme, person.cohort.id)
            found.append((t("pack.cohort_page"), self.urls.page(page)))
        if self.workbooks:
            url = self.urls.absolute(paths.workbook(programme, "learner"))
            found.append((t("learner_workbook"), url))
        found.append((t("learner.journal"), self.urls.page(paths.JOURNAL)))
        return found


def own_pace(dated: DatedSession, t: Labels) -> str:
    """A session without a clock time: done at one's own pace, for how long if known."""
    if dated.minutes:
        return t("schedule.own_pace_for", duration=t.duration(dated.minutes))
    return t("schedule.own_pace")

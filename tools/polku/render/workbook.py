"""Printable workbooks: each programme as print HTML for the learner and the facilitator,
and a short session pack per session that someone runs.

This module only builds the HTML documents (Jinja2 templates under
``templates/workbook/``); ``render/pdf.py`` turns them into PDF files. What the
templates show of a session is built in ``workbook_views.py``, author Markdown
in ``print_markdown.py``. The documents hold nothing that changes from build to
build (no dates of the build, no temporary paths), so the same curriculum gives
the same HTML and the PDF cache can key on it.

A session that runs several times (``repeats.py``) is printed once, with all its
dates, in every document; its session pack is published under each of its
sessions' names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .. import paths
from ..curriculum import Curriculum
from ..i18n import Labels
from ..model import Method, Programme, SessionKind
from ..plan import Plan, plans
from .gloss import Glosser
from .print_markdown import PrintDocument, PrintMarkdown, css_label, split_label
from .repeats import SessionGroup, session_groups
from .sources import SourceGroup, source_groups
from .workbook_views import SessionView, SessionViews

ROLES = ("learner", "facilitator")
TEMPLATES = Path(__file__).parent / "templates" / "workbook"
PRINT_CSS = TEMPLATES / "workbook.css"

# Sessions someone runs get a session pack: these kinds, and any session with a facilitator.
RUN_KINDS = (SessionKind.CONTACT, SessionKind.REMOTE, SessionKind.MENTORING)


@dataclass(frozen=True)
class WorkbookDocument:
    """One printable document as print HTML, ready for the PDF renderer."""

    programme_id: str
    role: str  # learner | facilitator
    title: str
    html: str
    fillable: bool
    assets: tuple[Path, ...] = ()  # local files the HTML loads (images)
    fields: int = 0  # form fields (write-in areas) in the document
    sessions: tuple[str, ...] = ()  # a session pack: the sessions it is for, in order

    @property
    def paths(self) -> tuple[str, ...]:
        """Where the PDF is published: a session pack under each of its sessions' names."""
        if self.sessions:
            return tuple(paths.session_pack(self.programme_id, sid) for sid in self.sessions)
        return (paths.workbook(self.programme_id, self.role),)

    @property
    def path(self) -> str:
        return self.paths[0]

    @property
    def stem(self) -> str:
        """The document's name in the PDF cache."""
        if self.sessions:
            return f"{self.programme_id}-{self.sessions[0]}-pack"
        suffix = "-fillable" if self.fillable else ""
        return f"{self.programme_id}-{self.role}{suffix}"


@dataclass
class ScheduleRow:
    """One session in the schedule at a glance, linked to where it is printed."""

    day: str
    date: str
    time: str
    title: str
    kind: str
    location: str
    anchor: str


@dataclass
class SchedulePhase:
    title: str
    rows: list[ScheduleRow]


def runs_a_session(group: SessionGroup) -> bool:
    """Whether a session is one that someone runs, and so gets a session pack."""
    session = group.first.session
    return session.kind in RUN_KINDS or session.facilitator is not None


class WorkbookRenderer:
    """Builds the learner workbook, the facilitator guide and the session packs."""

    def __init__(
        self,
        curriculum: Curriculum,
        *,
        organisation: str = "",
        author: str | None = None,
        timeline: object | None = None,
        programme_plans: dict[str, Plan] | None = None,
        file_url: object | None = None,
    ) -> None:
        self.curriculum = curriculum
        self.organisation = organisation
        self.author = author or organisation
        # optional callable (programme) -> SVG markup for the schedule at a glance
        self.timeline = timeline
        # optional callable (site path) -> absolute URL of a published file, or None
        self.file_url = file_url
        self.labels = Labels(curriculum.language)
        self.plans = programme_plans or plans(curriculum, self.labels("break"))
        self.markdown = PrintMarkdown(curriculum.curriculum_dir)
        self.env = Environment(
            loader=PackageLoader("polku.render", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            duration=self.labels.duration,
            clock=lambda t: t.strftime("%H:%M") if t else "",
        )
        self.env.globals.update(t=self.labels)

    # --- documents ------------------------------------------------------------------------

    def documents(self, *, fillable: bool = False) -> list[WorkbookDocument]:
        """Both workbooks of every programme, in programme order."""
        found: list[WorkbookDocument] = []
        for programme in self.curriculum.programmes.values():
            found.append(self.learner(programme, fillable=fillable))
            found.append(self.facilitator(programme))
        return found

    def session_packs(self) -> list[WorkbookDocument]:
        """A session pack for every session someone runs (a repeated one once)."""
        found: list[WorkbookDocument] = []
        for programme in self.curriculum.programmes.values():
            for group in session_groups(self.plans[programme.id].sessions):
                if runs_a_session(group):
                    found.append(self.session_pack(programme, group))
        return found

    def learner(self, programme: Programme, *, fillable: bool = False) -> WorkbookDocument:
        labels = Labels(programme.language)
        doc = PrintDocument()
        title = f"{programme.title} – {labels('learner_workbook')}"
        how_to = doc.entry(1, doc.anchor("how-to-use"), labels("workbook.how_to_use"))
        schedule = doc.entry(1, doc.anchor("schedule"), labels("workbook.schedule_glance"))
        sessions = self._views(programme, doc, labels).sessions()
        answered = [
            (plan, views)
            for plan in sessions
            if (views := [view for view in plan.activities if view.questions])
        ]
        answers = (
            doc.entry(1, doc.anchor("answers"), labels("workbook.answers")) if answered else ""
        )
        terms = self._glossary(doc, sessions)
        glossary = doc.entry(1, doc.anchor("glossary"), labels("glossary")) if terms else ""
        sources = self._sources(programme)
        sources_anchor = doc.entry(1, doc.anchor("sources"), labels("sources")) if sources else ""
        prompts = sum(len(view.prompts) for plan in sessions for view in plan.activities)
        page = self.env.get_template("workbook/learner.html.j2").render(
            **self._common(programme, labels, title, doc),
            role="learner",
            subtitle=labels("learner_workbook"),
            fillable=fillable,
            anchors={
                "how_to": how_to,
                "schedule": schedule,
                "answers": answers,
                "glossary": glossary,
                "sources": sources_anchor,
            },
            sessions=sessions,
            schedule=self._schedule(programme, sessions, labels),
            answered=answered,
            terms=terms,
            sources=sources,
            timeline=self._timeline(programme),
        )
        return WorkbookDocument(
            programme_id=programme.id,
            role="learner",
            title=title,
            html=page,
            fillable=fillable,
            assets=tuple(sorted(doc.assets)),
            fields=prompts if fillable else 0,
        )

    def facilitator(self, programme: Programme) -> WorkbookDocument:
        labels = Labels(programme.language)
        doc = PrintDocument()
        title = f"{programme.title} – {labels('facilitator_guide')}"
        schedule = doc.entry(1, doc.anchor("schedule"), labels("workbook.schedule_glance"))
        sessions = self._views(programme, doc, labels).sessions()
        sources = self._sources(programme)
        sources_anchor = doc.entry(1, doc.anchor("sources"), labels("sources")) if sources else ""
        page = self.env.get_template("workbook/facilitator.html.j2").render(
            **self._common(programme, labels, title, doc),
            role="facilitator",
            subtitle=labels("facilitator_guide"),
            fillable=False,
            anchors={"schedule": schedule, "sources": sources_anchor},
            sessions=sessions,
            schedule=self._schedule(programme, sessions, labels),
            sources=sources,
            timeline=self._timeline(programme),
        )
        return WorkbookDocument(
            programme_id=programme.id,
            role="facilitator",
            title=title,
            html=page,
            fillable=False,
            assets=tuple(sorted(doc.assets)),
        )

    def session_pack(self, programme: Programme, group: SessionGroup) -> WorkbookDocument:
        """One session's pack: run sheet, materials, facilitator notes and handouts."""
        labels = Labels(programme.language)
        doc = PrintDocument()
        [view] = self._views(programme, doc, labels, toc=False).sessions([group])
        subtitle = labels("workbook.session_pack")
        title = f"{view.title} – {programme.title} – {subtitle}"
        page = self.env.get_template("workbook/pack.html.j2").render(
            **self._common(programme, labels, title, doc),
            role="facilitator",
            subtitle=subtitle,
            fillable=False,
            plan=view,
            handouts=[handout for handout in view.handouts if handout.printable],
        )
        return WorkbookDocument(
            programme_id=programme.id,
            role="facilitator",
            title=title,
            html=page,
            fillable=False,
            assets=tuple(sorted(doc.assets)),
            sessions=tuple(group.session_ids),
        )

    # --- parts ------------------------------------------------------------------------------

    def _views(
        self, programme: Programme, doc: PrintDocument, labels: Labels, *, toc: bool = True
    ) -> SessionViews:
        return SessionViews(
            self.curriculum,
            self.plans[programme.id],
            self.markdown,
            labels,
            doc,
            toc=toc,
            file_url=self.file_url,
        )

    def _common(
        self, programme: Programme, labels: Labels, title: str, doc: PrintDocument
    ) -> dict[str, object]:
        answers_before, answers_after = split_label(labels("workbook.answers_on_page"), "page")
        page_before, page_after = split_label(labels("workbook.on_page"), "page")
        return {
            "programme": programme,
            "title": title,
            "language": programme.language,
            "organisation": self.organisation,
            "author": self.author,
            "t": labels,
            "toc": doc.toc,
            "page_content": Markup(
                css_label(labels("page_of"), page="counter(page)", pages="counter(pages)")
            ),
            "answers_ref": (answers_before, answers_after),
            "page_ref_label": (page_before, page_after),
            "start_date": self._start_date(programme, labels),
        }

    def _schedule(
        self, programme: Programme, views: list[SessionView], labels: Labels
    ) -> list[SchedulePhase]:
        """Every session by phase, each run on its own row, linked to where it is printed."""
        plan = self.plans[programme.id]
        printed = {sid: view.anchor for view in views for sid in view.session_ids}
        phases: dict[str, SchedulePhase] = {}
        for planned in plan.sessions:
            session = planned.session
            date = plan.date_of(session.day)
            phase = phases.setdefault(planned.phase.id, SchedulePhase(planned.phase.title, []))
            time = session.start.strftime("%H:%M") if session.start else ""
            if session.start and planned.end:
                time += f"–{planned.end.strftime('%H:%M')}"
            phase.rows.append(
                ScheduleRow(
                    day=labels("day_label", day=session.day),
                    date=labels.date(date) if date else "",
                    time=time,
                    title=session.title,
                    kind=labels(f"kind.{session.kind.value}"),
                    location=session.location or "",
                    anchor=printed.get(session.id, ""),
                )
            )
        return list(phases.values())

    def _timeline(self, programme: Programme) -> Markup:
        if self.timeline is None:
            return Markup("")
        svg = self.timeline(programme)  # type: ignore[operator]
        return Markup(svg) if svg else Markup("")  # polku's own SVG, its text escaped

    def _start_date(self, programme: Programme, labels: Labels) -> str:
        run = self.plans[programme.id].own_run
        return labels.date(run.start_date) if run else ""

    def _glossary(
        self, doc: PrintDocument, sessions: list[SessionView]
    ) -> list[tuple[str, Markup, list[str]]]:
        """The terms the workbook's text uses, found as the site finds them.

        Other programmes' terms stay out, and so do the references ("see also") to
        them. When the text uses no term at all (its terms are written only in
        inflected forms, say), every term is printed rather than none.
        """
        glossary = self.curriculum.glossary
        if glossary is None:
            return []
        used = Glosser(glossary).used(text for view in sessions for text in view.texts())
        chosen = [term for term in glossary.terms if not used or term.term in used]
        printed = {term.term for term in chosen}
        return [
            (
                term.term,
                self.markdown.render(term.definition, "glossary", doc, top_level=4),
                [see for see in term.see if see in printed],
            )
            for term in sorted(chosen, key=lambda term: self.labels.sort_key(term.term))
        ]

    def _sources(self, programme: Programme) -> list[SourceGroup]:
        """Sources of the modules and method cards the programme uses, in programme order;
        each work's full reference once (``sources.py``)."""
        cited: list[tuple[str, list[str]]] = []
        seen: set[str] = set()
        for module in self.plans[programme.id].modules:
            if module.sources and module.id not in seen:
                seen.add(module.id)
                cited.append((module.title, list(module.sources)))
        methods: dict[str, Method] = {}
        for module in self.plans[programme.id].modules:
            for activity in module.activities:
                for method_id in activity.methods:
                    method = self.curriculum.methods.get(method_id)
                    if method is not None and method.sources:
                        methods.setdefault(method.id, method)
        cited.extend((method.title, list(method.sources)) for method in methods.values())
        return source_groups(cited)

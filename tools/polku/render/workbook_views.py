"""What the print templates show of a session, built once from the programme's plan.

A session that runs several times (``render/repeats.py``) becomes one view with
every date it runs on; its run sheet gets one clock-time column for each start
time. Activities carry their handouts: Markdown that a session pack prints, or a
ready file under ``assets/`` that it names.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field

from markupsafe import Markup

from ..curriculum import Curriculum
from ..i18n import Labels
from ..model import Activity, Handout, Method, Module, Phase, Programme, Session
from ..plan import Plan, PlannedSession
from ..schedule import AgendaRow
from .print_markdown import PrintDocument, PrintMarkdown
from .repeats import SessionGroup, session_groups

LINE_HEIGHT_MM = 8.5  # a ruled line for handwriting
MAX_WRITE_IN_MM = 220.0  # a prompt with its write-in space always fits on one A4 page
# Write-in space taller than this may go on over a page break (with the question and its
# first lines together) rather than leave a quarter page or more empty before it.
SPLIT_WRITE_IN_MM = 64.0


def prompt_field_name(session_id: str, module_id: str, activity_id: str, number: int) -> str:
    """The form field name of one write-in area (unique within a workbook)."""
    return f"{session_id}:{module_id}:{activity_id}:{number}"


@dataclass
class PromptView:
    text: str
    field: str
    lines: int

    @property
    def line_height(self) -> float:
        """Millimetres between the ruled lines: the space of many lines still fits a page."""
        return round(min(LINE_HEIGHT_MM, MAX_WRITE_IN_MM / self.lines), 2)

    @property
    def splittable(self) -> bool:
        """Whether the write-in space may break over pages (never in a fillable workbook)."""
        return self.lines * self.line_height > SPLIT_WRITE_IN_MM


@dataclass
class QuestionView:
    number: int
    question: str
    answer: Markup


@dataclass
class HandoutView:
    """A handout an activity hands out: printable Markdown, or a ready file."""

    handout: Handout
    anchor: str  # where its page starts in a session pack
    body: Markup  # the printable content; empty for a ready file
    file: str | None = None  # the file's path on the site (assets/...), for a ready file
    file_url: str | None = None  # its address, when the site has one

    @property
    def printable(self) -> bool:
        return bool(self.body)


@dataclass
class ActivityView:
    anchor: str
    module: Module
    activity: Activity
    outcomes: list[str]
    instructions: Markup
    facilitator_notes: Markup
    prompts: list[PromptView]
    questions: list[QuestionView]
    methods: list[Method]
    answers_anchor: str
    label: str  # the activity with its module's name, where the title alone is ambiguous
    handouts: list[HandoutView] = field(default_factory=list)
    start: dt.time | None = None
    end: dt.time | None = None


@dataclass
class BlockView:
    """What a session covers of one agenda item: a whole module or one activity."""

    kind: str  # module | activity
    anchor: str
    module: Module
    title: str
    outcomes: list[str]
    body: Markup
    activities: list[ActivityView]
    start: dt.time | None = None
    end: dt.time | None = None


@dataclass
class RunView:
    """One time a session runs: its own title, day, date, clock time and place."""

    session: Session
    day: str
    date: str
    time: str
    location: str


@dataclass
class RunSheetRow:
    """A run sheet line with its clock time in each start time's column."""

    row: AgendaRow
    times: list[str]
    children: list[RunSheetRow] = field(default_factory=list)


@dataclass
class SessionView:
    anchor: str
    phase: Phase
    session: Session  # the first run's session: agenda, kind, outputs, facilitator role
    title: str
    runs: list[RunView]  # one, or every run of a repeated session
    minutes: int
    facilitator: str
    rows: list[AgendaRow]  # the agenda (clock times of the first run)
    run_sheet: list[RunSheetRow]
    time_headings: list[str]  # one per start time of the runs
    blocks: list[BlockView]
    session_ids: list[str]

    @property
    def repeated(self) -> bool:
        return len(self.runs) > 1

    @property
    def one_clock(self) -> bool:
        """True when every run starts at the same time, so the agenda's times hold for all."""
        return len(self.time_headings) <= 1

    @property
    def activities(self) -> list[ActivityView]:
        return [view for block in self.blocks for view in block.activities]

    @property
    def materials(self) -> list[str]:
        seen: dict[str, None] = {}
        for view in self.activities:
            for material in view.activity.materials:
                seen.setdefault(material, None)
        return list(seen)

    def texts(self) -> Iterator[str]:
        """What a learner reads of the session: plain text and HTML fragments."""
        yield self.title
        yield from self.session.outputs
        yield from (row.title for row in self.rows)
        for block in self.blocks:
            yield block.title
            yield from block.outcomes
            yield block.body
            for view in block.activities:
                activity = view.activity
                yield activity.title
                yield from view.outcomes
                yield view.instructions
                yield from activity.steps
                yield from activity.materials
                yield from (prompt.text for prompt in view.prompts)
                for question in view.questions:
                    yield question.question
                    yield question.answer

    @property
    def handouts(self) -> list[HandoutView]:
        """Every handout of the session's activities, once, in agenda order."""
        seen: dict[str, HandoutView] = {}
        for view in self.activities:
            for handout in view.handouts:
                seen.setdefault(handout.handout.id, handout)
        return list(seen.values())


class SessionViews:
    """Builds the session views of one print document (``doc``)."""

    def __init__(
        self,
        curriculum: Curriculum,
        plan: Plan,
        markdown: PrintMarkdown,
        labels: Labels,
        doc: PrintDocument,
        *,
        toc: bool = True,
        file_url: object | None = None,
    ) -> None:
        self.curriculum = curriculum
        self.plan = plan
        self.programme = plan.programme
        self.markdown = markdown
        self.labels = labels
        self.doc = doc
        self.toc = toc  # whether the sessions and their modules go into the contents
        # optional callable (site path) -> absolute URL of a published file, or None
        self.file_url = file_url
        self._handout_views: dict[str, HandoutView] = {}

    def sessions(self, groups: list[SessionGroup] | None = None) -> list[SessionView]:
        """One view per printed session (repeats once), in programme order."""
        if groups is None:
            groups = session_groups(self.plan.sessions)
        return [self.session(group) for group in groups]

    def session(self, group: SessionGroup) -> SessionView:
        first = group.first
        doc = self.doc
        anchor = doc.anchor("session", first.session.id)
        if self.toc:
            doc.entry(1, anchor, group.title)
        runs = [self._run(planned) for planned in group.runs]
        headings, run_sheet = self._run_sheet(group)
        view = SessionView(
            anchor=anchor,
            phase=first.phase,
            session=first.session,
            title=group.title,
            runs=runs,
            minutes=first.minutes,
            facilitator=_role_title(self.programme, first.session.facilitator),
            rows=list(first.rows),
            run_sheet=run_sheet,
            time_headings=headings,
            blocks=[],
            session_ids=group.session_ids,
        )
        one_clock = view.one_clock
        for row in first.rows:
            block = self._block(view, row, clock=one_clock)
            if block is not None:
                view.blocks.append(block)
        return view

    def _run(self, planned: PlannedSession) -> RunView:
        session = planned.session
        date = self.plan.date_of(session.day)
        return RunView(
            session=session,
            day=self.labels("day_label", day=session.day),
            date=self.labels.date(date) if date else "",
            time=_time(planned),
            location=session.location or "",
        )

    def _run_sheet(self, group: SessionGroup) -> tuple[list[str], list[RunSheetRow]]:
        """Run sheet rows with one clock-time column per distinct start time of the runs."""
        starts: dict[dt.time | None, PlannedSession] = {}
        for planned in group.runs:
            starts.setdefault(planned.session.start, planned)
        clocked = [planned for start, planned in starts.items() if start is not None]
        if len(clocked) <= 1:
            columns = [group.first]
            headings = [self.labels("time")]
        else:
            columns = clocked
            headings = [
                f"{self.labels('time')} {_clock(planned.session.start)}" for planned in clocked
            ]
        rows = []
        for index, row in enumerate(group.first.rows):
            rows.append(
                RunSheetRow(
                    row=row,
                    times=[_span(planned.rows[index]) for planned in columns],
                    children=[
                        RunSheetRow(
                            row=child,
                            times=[
                                _span(planned.rows[index].children[number]) for planned in columns
                            ],
                        )
                        for number, child in enumerate(row.children)
                    ],
                )
            )
        return headings, rows

    def _block(self, plan: SessionView, row: AgendaRow, *, clock: bool) -> BlockView | None:
        module = row.module
        doc, toc = self.doc, self.toc
        if module is None or row.kind not in ("module", "activity"):
            return None
        sid = plan.session.id
        start, end = (row.start, row.end) if clock else (None, None)
        if row.kind == "module":
            anchor = doc.anchor(sid, module.id)
            if toc:
                doc.entry(2, anchor, module.title)
            children = row.children or [
                AgendaRow("activity", a.title, a.duration or 0, module=module, activity=a)
                for a in module.activities
            ]
            activities = [
                self.activity(
                    sid,
                    module,
                    child.activity,
                    child.start if clock else None,
                    child.end if clock else None,
                )
                for child in children
                if child.activity is not None
            ]
            return BlockView(
                kind="module",
                anchor=anchor,
                module=module,
                title=module.title,
                outcomes=[outcome.text for outcome in module.outcomes],
                body=self.markdown.render(module.body, "module", doc, top_level=3),
                activities=activities,
                start=start,
                end=end,
            )
        assert row.activity is not None
        view = self.activity(sid, module, row.activity, start, end)
        if toc:
            doc.entry(2, view.anchor, view.label)
        return BlockView(
            kind="activity",
            anchor=view.anchor,
            module=module,
            title=row.activity.title,
            outcomes=[],
            body=Markup(""),
            activities=[view],
            start=start,
            end=end,
        )

    def activity(
        self,
        session_id: str,
        module: Module,
        activity: Activity,
        start: dt.time | None,
        end: dt.time | None,
    ) -> ActivityView:
        doc = self.doc
        outcome_texts = {outcome.id: outcome.text for outcome in module.outcomes}
        anchor = doc.anchor(session_id, module.id, activity.id)
        return ActivityView(
            anchor=anchor,
            module=module,
            activity=activity,
            outcomes=[outcome_texts[o] for o in activity.outcomes if o in outcome_texts],
            instructions=self.markdown.render(activity.instructions, "module", doc, top_level=4),
            facilitator_notes=self.markdown.render(
                activity.facilitator_notes, "module", doc, top_level=5
            ),
            prompts=[
                PromptView(
                    text=prompt,
                    field=prompt_field_name(session_id, module.id, activity.id, number),
                    lines=activity.answer_lines,
                )
                for number, prompt in enumerate(activity.prompts, start=1)
            ],
            questions=[
                QuestionView(
                    number=number,
                    question=question.question,
                    answer=self.markdown.render(question.answer, "module", doc, top_level=4),
                )
                for number, question in enumerate(activity.questions, start=1)
            ],
            methods=[
                self.curriculum.methods[m] for m in activity.methods if m in self.curriculum.methods
            ],
            answers_anchor=f"answers-{anchor}",
            label=self.labels(
                "workbook.activity_in_module", activity=activity.title, module=module.title
            ),
            handouts=self._handouts(activity),
            start=start,
            end=end,
        )

    def _handouts(self, activity: Activity) -> list[HandoutView]:
        """The activity's handouts; each one's Markdown is rendered once per document."""
        found = []
        for handout_id in activity.handouts:
            handout = self.curriculum.handouts.get(handout_id)
            if handout is None:
                continue
            view = self._handout_views.get(handout_id)
            if view is None:
                view = self._handout(handout)
                self._handout_views[handout_id] = view
            found.append(view)
        return found

    def _handout(self, handout: Handout) -> HandoutView:
        doc = self.doc
        anchor = doc.anchor("handout", handout.id)
        if handout.file and not handout.body:
            site_path = posixpath.normpath(posixpath.join("handouts", handout.file))
            url = self.file_url(site_path) if self.file_url else None  # type: ignore[operator]
            return HandoutView(handout, anchor, Markup(""), site_path, url)
        body = self.markdown.render(handout.body, "handout", doc, top_level=2)
        return HandoutView(handout, anchor, body)


def _clock(time: dt.time | None) -> str:
    return time.strftime("%H:%M") if time else ""


def _span(row: AgendaRow) -> str:
    return f"{_clock(row.start)}–{_clock(row.end)}" if row.start and row.end else ""


def _time(planned: PlannedSession) -> str:
    start = planned.session.start
    if start is None:
        return ""
    text = start.strftime("%H:%M")
    return f"{text}–{planned.end.strftime('%H:%M')}" if planned.end else text


def _role_title(programme: Programme, role_id: str | None) -> str:
    role = programme.role(role_id)
    return role.title if role else ""

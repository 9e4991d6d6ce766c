"""Printable workbooks: each programme as print HTML for the learner and the facilitator.

This module only builds the HTML documents (Jinja2 templates under
``templates/workbook/``); ``render/pdf.py`` turns them into PDF files.
The documents hold nothing that changes from build to build (no dates of the
build, no temporary paths), so the same curriculum gives the same HTML and the
PDF cache can key on it.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown as markdown_lib
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .. import paths
from ..curriculum import Curriculum
from ..i18n import Labels
from ..model import Activity, Method, Module, Phase, Programme, Session
from ..plan import Plan, PlannedSession, plans
from ..schedule import AgendaRow
from .markup import MARKDOWN_EXTENSIONS, SOURCE_DIRS
from .sanitize import sanitize_html

ROLES = ("learner", "facilitator")
TEMPLATES = Path(__file__).parent / "templates" / "workbook"
PRINT_CSS = TEMPLATES / "workbook.css"

LINK_SCHEMES = ("http", "https", "mailto", "tel")
LINE_HEIGHT_MM = 8.5  # a ruled line for handwriting
MAX_WRITE_IN_MM = 220.0  # a prompt with its write-in space always fits on one A4 page

_HEADING = re.compile(r"<(/?)h([1-6])\b")
_ID = re.compile(r'\bid="([^"]*)"')
_LOCAL_HREF = re.compile(r'\bhref="#([^"]*)"')
_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\bsrc="([^"]*)"')
_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.DOTALL)
_HREF = re.compile(r'\bhref="([^"]*)"')


def prompt_field_name(session_id: str, module_id: str, activity_id: str, number: int) -> str:
    """The form field name of one write-in area (unique within a workbook)."""
    return f"{session_id}:{module_id}:{activity_id}:{number}"


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    )
    return f'"{escaped}"'


def css_label(template: str, **counters: str) -> str:
    """A label such as ``page {page} / {pages}`` as CSS ``content``: strings and counters."""
    parts: list[str] = []
    for piece in re.split(r"(\{[a-z_]+\})", template):
        if not piece:
            continue
        name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
        if name in counters:
            parts.append(counters[name])
        else:
            parts.append(css_string(piece))
    return " ".join(parts) or '""'


def split_label(template: str, name: str) -> tuple[str, str]:
    """The text before and after ``{name}`` in a label."""
    before, _sep, after = template.partition("{" + name + "}")
    return before, after


# --- views -------------------------------------------------------------------------


@dataclass
class TocEntry:
    level: int
    anchor: str
    title: str


@dataclass
class PromptView:
    text: str
    field: str
    lines: int

    @property
    def line_height(self) -> float:
        """Millimetres between the ruled lines: the space of many lines still fits a page."""
        return round(min(LINE_HEIGHT_MM, MAX_WRITE_IN_MM / self.lines), 2)


@dataclass
class QuestionView:
    number: int
    question: str
    answer: Markup


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
class SessionPlan:
    anchor: str
    phase: Phase
    session: Session
    day: str
    date: str
    time: str
    minutes: int
    facilitator: str
    rows: list[AgendaRow]
    blocks: list[BlockView]

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


@dataclass
class SourceGroup:
    title: str
    sources: list[str]


@dataclass(frozen=True)
class WorkbookDocument:
    """One workbook as print HTML, ready for the PDF renderer."""

    programme_id: str
    role: str  # learner | facilitator
    title: str
    html: str
    fillable: bool
    assets: tuple[Path, ...] = ()  # local files the HTML loads (images)
    fields: int = 0  # form fields (write-in areas) in the document

    @property
    def path(self) -> str:
        return paths.workbook(self.programme_id, self.role)


# --- author Markdown for print ----------------------------------------------------------


@dataclass
class _Document:
    """What one document collects while it is built: anchors, contents, files."""

    toc: list[TocEntry] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    assets: set[Path] = field(default_factory=set)
    fragments: int = 0

    def anchor(self, *parts: str) -> str:
        base = "-".join(part for part in parts if part)
        candidate, number = base, 1
        while candidate in self.anchors:
            number += 1
            candidate = f"{base}-{number}"
        self.anchors.add(candidate)
        return candidate

    def entry(self, level: int, anchor: str, title: str) -> str:
        self.toc.append(TocEntry(level, anchor, title))
        return anchor


class PrintMarkdown:
    """Author Markdown to sanitised HTML for a print document.

    Headings are shifted under the document's own, ids get a per-fragment prefix
    so fragments never clash, images become file URLs inside ``curriculum/`` and
    links that lead nowhere in print lose their target.
    """

    def __init__(self, curriculum_dir: Path) -> None:
        self.curriculum_dir = curriculum_dir.resolve()
        self._md = markdown_lib.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")

    def render(self, text: str | None, kind: str, doc: _Document, top_level: int = 3) -> Markup:
        if not text or not text.strip():
            return Markup("")
        self._md.reset()
        converted = self._md.convert(text)
        clean = sanitize_html(converted)
        doc.fragments += 1
        prefix = f"f{doc.fragments}"
        clean = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', clean)
        clean = _LOCAL_HREF.sub(lambda m: f'href="#{prefix}-{m.group(1)}"', clean)
        ids = set(_ID.findall(clean))
        clean = self._shift_headings(clean, top_level)
        clean = _IMG.sub(lambda m: self._image(m.group(0), kind, doc), clean)
        clean = _LINK.sub(lambda m: self._link(m.group(1), m.group(2), ids), clean)
        return Markup(clean)

    @staticmethod
    def _shift_headings(text: str, top_level: int) -> str:
        levels = [int(level) for closing, level in _HEADING.findall(text) if not closing]
        if not levels:
            return text
        shift = top_level - min(levels)
        return _HEADING.sub(
            lambda m: f"<{m.group(1)}h{max(1, min(6, int(m.group(2)) + shift))}", text
        )

    def _image(self, tag: str, kind: str, doc: _Document) -> str:
        match = _SRC.search(tag)
        if match is None:
            return ""
        src = html.unescape(match.group(1))
        path = self.resolve(src, kind)
        if path is None:
            return ""
        doc.assets.add(path)
        return tag.replace(match.group(0), f'src="{html.escape(path.as_uri())}"')

    def resolve(self, src: str, kind: str) -> Path | None:
        """The local file an author's relative image path names, if it is inside curriculum/."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return None
        relative = posixpath.normpath(
            posixpath.join(SOURCE_DIRS.get(kind, ""), unquote(parts.path))
        )
        path = (self.curriculum_dir / relative).resolve()
        if not path.is_relative_to(self.curriculum_dir) or not path.is_file():
            return None
        return path

    @staticmethod
    def _link(attributes: str, content: str, ids: set[str]) -> str:
        match = _HREF.search(attributes)
        href = html.unescape(match.group(1)) if match else ""
        keep = (href.startswith("#") and href[1:] in ids) or (
            urlsplit(href).scheme.lower() in LINK_SCHEMES
        )
        if keep:
            return f"<a{attributes}>{content}</a>"
        rest = _HREF.sub("", attributes)
        return f"<span{rest}>{content}</span>"


# --- the renderer ----------------------------------------------------------------------------


class WorkbookRenderer:
    """Builds the learner workbook and the facilitator guide of every programme."""

    def __init__(
        self,
        curriculum: Curriculum,
        *,
        organisation: str = "",
        author: str | None = None,
        timeline: object | None = None,
        programme_plans: dict[str, Plan] | None = None,
    ) -> None:
        self.curriculum = curriculum
        self.organisation = organisation
        self.author = author or organisation
        # optional callable (programme) -> SVG markup for the schedule at a glance
        self.timeline = timeline
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

    def learner(self, programme: Programme, *, fillable: bool = False) -> WorkbookDocument:
        labels = Labels(programme.language)
        doc = _Document()
        title = f"{programme.title} – {labels('learner_workbook')}"
        how_to = doc.entry(1, doc.anchor("how-to-use"), labels("workbook.how_to_use"))
        schedule = doc.entry(1, doc.anchor("schedule"), labels("workbook.schedule_glance"))
        sessions = self._sessions(programme, doc, labels)
        answered = [view for plan in sessions for view in plan.activities if view.questions]
        answers = (
            doc.entry(1, doc.anchor("answers"), labels("workbook.answers")) if answered else ""
        )
        terms = self._glossary(doc)
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
        doc = _Document()
        title = f"{programme.title} – {labels('facilitator_guide')}"
        schedule = doc.entry(1, doc.anchor("schedule"), labels("workbook.schedule_glance"))
        sessions = self._sessions(programme, doc, labels)
        sources = self._sources(programme)
        sources_anchor = doc.entry(1, doc.anchor("sources"), labels("sources")) if sources else ""
        page = self.env.get_template("workbook/facilitator.html.j2").render(
            **self._common(programme, labels, title, doc),
            role="facilitator",
            subtitle=labels("facilitator_guide"),
            fillable=False,
            anchors={"schedule": schedule, "sources": sources_anchor},
            sessions=sessions,
            sources=sources,
        )
        return WorkbookDocument(
            programme_id=programme.id,
            role="facilitator",
            title=title,
            html=page,
            fillable=False,
            assets=tuple(sorted(doc.assets)),
        )

    # --- parts ------------------------------------------------------------------------------

    def _common(
        self, programme: Programme, labels: Labels, title: str, doc: _Document
    ) -> dict[str, object]:
        answers_before, answers_after = split_label(labels("workbook.answers_on_page"), "page")
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
            "start_date": self._start_date(programme, labels),
        }

    def _timeline(self, programme: Programme) -> Markup:
        if self.timeline is None:
            return Markup("")
        svg = self.timeline(programme)  # type: ignore[operator]
        return Markup(svg) if svg else Markup("")  # polku's own SVG, its text escaped

    def _start_date(self, programme: Programme, labels: Labels) -> str:
        run = self.plans[programme.id].own_run
        return labels.date(run.start_date) if run else ""

    def _sessions(self, programme: Programme, doc: _Document, labels: Labels) -> list[SessionPlan]:
        programme_plan = self.plans[programme.id]
        found: list[SessionPlan] = []
        for planned in programme_plan.sessions:
            session = planned.session
            anchor = doc.entry(1, doc.anchor("session", session.id), session.title)
            date = programme_plan.date_of(session.day)
            plan = SessionPlan(
                anchor=anchor,
                phase=planned.phase,
                session=session,
                day=labels("day_label", day=session.day),
                date=labels.date(date) if date else "",
                time=_time(planned),
                minutes=planned.minutes,
                facilitator=_role_title(programme, session.facilitator),
                rows=list(planned.rows),
                blocks=[],
            )
            for row in planned.rows:
                block = self._block(plan, row, doc)
                if block is not None:
                    plan.blocks.append(block)
            found.append(plan)
        return found

    def _block(self, plan: SessionPlan, row: AgendaRow, doc: _Document) -> BlockView | None:
        module = row.module
        if module is None or row.kind not in ("module", "activity"):
            return None
        sid = plan.session.id
        if row.kind == "module":
            anchor = doc.entry(2, doc.anchor(sid, module.id), module.title)
            children = row.children or [
                AgendaRow("activity", a.title, a.duration or 0, module=module, activity=a)
                for a in module.activities
            ]
            activities = [
                self._activity(sid, module, child.activity, doc, child.start, child.end)
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
                start=row.start,
                end=row.end,
            )
        assert row.activity is not None
        view = self._activity(sid, module, row.activity, doc, row.start, row.end)
        doc.toc.append(TocEntry(2, view.anchor, row.activity.title))
        return BlockView(
            kind="activity",
            anchor=view.anchor,
            module=module,
            title=row.activity.title,
            outcomes=[],
            body=Markup(""),
            activities=[view],
            start=row.start,
            end=row.end,
        )

    def _activity(
        self,
        session_id: str,
        module: Module,
        activity: Activity,
        doc: _Document,
        start: dt.time | None,
        end: dt.time | None,
    ) -> ActivityView:
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
            start=start,
            end=end,
        )

    def _glossary(self, doc: _Document) -> list[tuple[str, Markup, list[str]]]:
        glossary = self.curriculum.glossary
        if glossary is None:
            return []
        terms = sorted(glossary.terms, key=lambda term: term.term.casefold())
        return [
            (
                term.term,
                self.markdown.render(term.definition, "glossary", doc, top_level=4),
                term.see,
            )
            for term in terms
        ]

    def _sources(self, programme: Programme) -> list[SourceGroup]:
        """Sources of the modules and method cards the programme uses, in programme order."""
        groups: list[SourceGroup] = []
        seen: set[str] = set()
        for module in self.plans[programme.id].modules:
            if module.sources and module.id not in seen:
                seen.add(module.id)
                groups.append(SourceGroup(module.title, list(module.sources)))
        methods: dict[str, Method] = {}
        for module in self.plans[programme.id].modules:
            for activity in module.activities:
                for method_id in activity.methods:
                    method = self.curriculum.methods.get(method_id)
                    if method is not None and method.sources:
                        methods.setdefault(method.id, method)
        groups.extend(SourceGroup(m.title, list(m.sources)) for m in methods.values())
        return groups


def _time(planned: PlannedSession) -> str:
    start = planned.session.start
    if start is None:
        return ""
    text = start.strftime("%H:%M")
    return f"{text}–{planned.end.strftime('%H:%M')}" if planned.end else text


def _role_title(programme: Programme, role_id: str | None) -> str:
    role = programme.role(role_id)
    return role.title if role else ""

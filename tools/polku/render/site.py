"""Site pages: the curriculum rendered to Markdown pages for MkDocs."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .. import paths
from ..curriculum import Curriculum
from ..i18n import Labels
from ..model import (
    Activity,
    ActivityItem,
    Method,
    Module,
    ModuleItem,
    Programme,
    Session,
    Term,
)
from ..plan import Plan, PlannedSession, plans
from ..schedule import AgendaRow
from ..store import Store
from .author import RAW_END, RAW_START, AuthorMarkdown, PageText, has_heading
from .gloss import Glosser
from .markup import (
    TemplateCache,
    attribute,
    front_matter,
    markdown_attribute,
    plain,
    relative_url,
)
from .output import Output
from .page_memo import PageJob, PageMemo
from .workbook import ROLES

__all__ = ["SessionView", "SiteRenderer", "front_matter", "term_anchor"]

# a preview server makes a renderer for every rebuild; the templates stay the same
_COMPILED_TEMPLATES = TemplateCache()


@dataclass(frozen=True)
class SessionView:
    """A planned session as a page shows it: with its date in the programme's own run."""

    programme: Programme
    planned: PlannedSession
    date: str | None

    @property
    def session(self) -> Session:
        return self.planned.session

    @property
    def phase_title(self) -> str:
        return self.planned.phase.title

    @property
    def minutes(self) -> int:
        return self.planned.minutes

    @property
    def end(self) -> dt.time | None:
        return self.planned.end

    @property
    def rows(self) -> tuple[AgendaRow, ...]:
        return self.planned.rows

    @property
    def activities(self) -> list[tuple[Module, Activity]]:
        return self.planned.activities  # type: ignore[return-value]

    @property
    def materials(self) -> list[str]:
        return self.planned.materials

    @property
    def page(self) -> str:
        """The session's page for learners."""
        return paths.session(self.programme.id, self.session.id)

    @property
    def facilitator_page(self) -> str:
        """The session's page for the people who run it."""
        return paths.facilitator_session(self.programme.id, self.session.id)


def _page_template(name: str) -> bool:
    return "/" not in name and name.endswith(".md.j2")


@dataclass
class SiteRenderer:
    """Renders every generated page of the site as Markdown."""

    curriculum: Curriculum
    plans: dict[str, Plan] = field(default_factory=dict)
    labels: Labels = field(init=False)
    env: Environment = field(init=False)
    use_directory_urls: bool = True
    # paths of the files the build publishes (workbooks, calendars …): pages link to these
    available: frozenset[str] = frozenset()
    # programme id -> more lines for its programme page, linking those files (Markdown)
    extras: dict[str, list[str]] = field(default_factory=dict)
    # programme id -> the timeline figure of its programme page (polku's own HTML)
    figures: dict[str, str] = field(default_factory=dict)
    # converted author Markdown kept between builds
    store: Store | None = None
    # compiled templates kept between builds
    templates: TemplateCache = field(default_factory=lambda: _COMPILED_TEMPLATES)
    # module and session pages kept between builds (none: every page is rendered)
    memo: PageMemo = field(default_factory=lambda: PageMemo(None, ""))

    def __post_init__(self) -> None:
        self._session_views: dict[str, list[SessionView]] = {}
        self._module_places: dict[str, dict[str, tuple[int, list[SessionView]]]] = {}
        self.labels = Labels(self.curriculum.language)
        if not self.plans:
            self.plans = plans(self.curriculum, self.labels("break"))
        self.author = AuthorMarkdown(self.store)
        self.glosser = Glosser(self.curriculum.glossary)
        self.env = Environment(
            loader=PackageLoader("polku.render", "templates"),
            autoescape=False,  # the output is Markdown; values are escaped by filters
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=self.templates,
        )
        self.env.filters.update(
            text=plain,
            attr=markdown_attribute,
            html_attr=attribute,  # inside raw_start … raw_end, which Markdown never reads
            duration=self.labels.duration,
            clock=lambda t: t.strftime("%H:%M") if t else "",
        )
        self.env.globals.update(
            t=self.labels,
            paths=paths,
            gloss=plain,
            href=self.href,
            has_headings=self.has_headings,
            raw_start=RAW_START,
            raw_end=RAW_END,
            start_text=self.start_text,
            activity_anchor=lambda m, a: paths.activity_anchor(m.id, a.id),
            # a section's anchor in the site's language: "#tavoitteet", not "#outcomes"
            section_anchor=lambda key: slug(self.labels(key)) or key,
        )

    # --- shared helpers -------------------------------------------------------------

    def author_text(self, page: str, *, glossed: bool = False) -> Callable[..., Markup]:
        """``md(text, kind)`` for the templates of ``page``: author Markdown as safe HTML."""
        text = PageText(
            self.author,
            page,
            gloss=self.glosser.html if glossed else None,
            use_directory_urls=self.use_directory_urls,
        )
        return lambda source, kind="module": text.block(source, kind)

    def has_headings(self, activity: Activity, view: str = "learner") -> bool:
        """Whether the author text a view of an activity shows holds a heading
        (converted once and kept for the page)."""
        if view == "facilitator":
            texts = [activity.facilitator_notes, activity.instructions]
        else:
            texts = [activity.instructions, *(q.answer for q in activity.questions)]
        return any(
            has_heading(self.author.convert(text)) for text in texts if text and text.strip()
        )

    def gloss(self, raw: object) -> str:
        """Plain text for a page, glossary terms marked up."""
        return self.glosser.text(" ".join(str(raw or "").split()), plain)

    def link(self, target: str, page: str, anchor: str | None = None) -> str:
        """The target of a Markdown link from ``page`` to ``target`` (the engine turns a
        ``.md`` path into the page's URL), percent-encoded: a file name the author chose
        cannot end the link (:func:`paths.quote_path`)."""
        return paths.quote_path(relative_url(target, posixpath.dirname(page)), anchor)

    def href(self, target: str, page: str, anchor: str | None = None) -> str:
        """The URL of ``target`` from ``page`` as raw HTML needs it (not a Markdown link),
        percent-encoded; a template still writes it through ``attr`` or ``html_attr``."""
        return paths.url(target, page, self.use_directory_urls, anchor)

    def session_views(self, programme: Programme) -> list[SessionView]:
        """The programme's sessions in order, with their dates (made once per build)."""
        views = self._session_views.get(programme.id)
        if views is None:
            plan = self.plans[programme.id]
            views = []
            for planned in plan.sessions:
                date = plan.date_of(planned.session.day)
                label = self.labels.date(date) if date else None
                views.append(SessionView(programme, planned, label))
            self._session_views[programme.id] = views
        return views

    def module_places(self, programme: Programme) -> dict[str, tuple[int, list[SessionView]]]:
        """Module id -> its place in the programme's order and the sessions that cover it.

        Made once per programme: looking these up module by module made a large
        curriculum's pages cost the square of its size.
        """
        places = self._module_places.get(programme.id)
        if places is None:
            order = self.plans[programme.id].modules
            places = {}
            for position, module in enumerate(order):
                places.setdefault(module.id, (position, []))
            for view in self.session_views(programme):
                for module in view.planned.modules:
                    if module.id in places:
                        places[module.id][1].append(view)
            self._module_places[programme.id] = places
        return places

    def start_text(self, programme: Programme) -> str:
        """The programme's first day (its start date or the first working day after it)."""
        run = self.plans[programme.id].own_run
        return self.labels.date(run.start_date) if run else ""

    def end_text(self, programme: Programme) -> str:
        """The day of the programme's last session in its own run."""
        plan = self.plans[programme.id]
        if plan.own_run is None or not plan.sessions:
            return ""
        last = max(planned.session.day for planned in plan.sessions)
        date = plan.date_of(last)
        return self.labels.date(date) if date else ""

    def day_text(self, programme: Programme, day: int) -> str:
        """A programme day as a reader looks for it: its date first, the day number after."""
        date = self.plans[programme.id].date_of(day)
        if date:
            return f"{self.labels.date(date)} ({self.labels('day_in_programme', day=day)})"
        return self.labels("day_label", day=day)

    @cached_property
    def method_usage(self) -> dict[str, list[tuple[Module, Activity]]]:
        usage: dict[str, list[tuple[Module, Activity]]] = defaultdict(list)
        for module in self.curriculum.ordered_modules():
            for activity in module.activities:
                for method_id in activity.methods:
                    usage[method_id].append((module, activity))
        return usage

    @cached_property
    def module_programmes(self) -> dict[str, list[Programme]]:
        found: dict[str, list[Programme]] = defaultdict(list)
        for programme in self.curriculum.programmes.values():
            for _phase, session in programme.sessions():
                for item in session.items:
                    module_id = (
                        item.module
                        if isinstance(item, ModuleItem)
                        else item.module_id
                        if isinstance(item, ActivityItem)
                        else None
                    )
                    if module_id and programme not in found[module_id]:
                        found[module_id].append(programme)
        return found

    def render(self, template: str, **context: object) -> str:
        return self.env.get_template(template).render(**context)

    def compile_templates(self) -> None:
        """Compile the page templates now, ahead of the pages: the processes that share
        the rendering are copies of this one and find them compiled."""
        for name in self.env.list_templates(filter_func=_page_template):
            self.env.get_template(name)

    # --- pages ----------------------------------------------------------------------------

    def outputs(self) -> list[Output]:
        """Every generated page of the site."""
        from .handouts import HandoutPages
        from .programme_pages import ProgrammePages

        found: list[Output | PageJob] = []
        self.memo.start(
            self.curriculum,
            json.dumps(
                [self.use_directory_urls, sorted(self.available), self.extras, self.figures],
                ensure_ascii=False,
            ),
        )

        def page(path: str, title: str, content: str, *, in_nav: bool = True) -> None:
            found.append(Output(path, content, title=title, in_nav=in_nav))

        def outlined(path: str, title: str, render: Callable[[], str], shows: str = "") -> None:
            """A page that shows the outline of the curriculum, no module in full."""
            found.append(PageJob(path, title, render, shows=shows))

        programme_pages = ProgrammePages(self)
        for programme in self.curriculum.programmes.values():
            found.extend(programme_pages.outputs(programme))
        page(paths.PROGRAMMES_INDEX, self.labels("programmes"), self.programmes_index())
        for module in self.curriculum.modules.values():
            # reached from sessions, the module index, search and tags: listing every
            # module in the navigation of every page would make each page carry them all
            render = partial(self.module_page, module)
            found.append(
                PageJob(paths.module(module.id), module.title, render, (module,), in_nav=False)
            )
        outlined(paths.MODULES_INDEX, self.labels("modules"), self.modules_index)
        for method in self.curriculum.methods.values():
            outlined(paths.method(method.id), method.title, partial(self.method_page, method))
        page(paths.METHODS_INDEX, self.labels("method_cards"), self.methods_index())
        found.extend(HandoutPages(self).outputs())
        outlined(paths.GLOSSARY, self.labels("glossary"), self.glossary_page)
        page(paths.TAGS, self.labels("tags"), self.tags_page())
        journal = self.labels("learner.journal")
        outlined(paths.JOURNAL, journal, self.journal_page, shows=self.prompts())
        if self.workbooks:
            page(paths.WORKBOOKS_INDEX, self.labels("workbooks"), self.workbooks_page())
        return self.memo.outputs(found)

    def forget_conversions(self) -> None:
        """Let go of the author texts converted and marked up for the pages made; a
        page made later converts its texts again."""
        self.author.forget()
        self.glosser.forget()

    def pages(self) -> dict[str, str]:
        """Every generated page: docs-relative path -> Markdown."""
        return {output.path: output.text for output in self.outputs()}

    @property
    def workbooks(self) -> bool:
        """Whether the build publishes workbooks (and the site lists them)."""
        return any(
            paths.workbook(p.id, role) in self.available
            for p in self.curriculum.programmes.values()
            for role in ROLES
        )

    def programme_list(self, page: str) -> str:
        """The list of programmes, as used on the home page and the programmes index."""
        return self.render(
            "programme_list.md.j2",
            programmes=list(self.curriculum.programmes.values()),
            page=page,
            link=self.link,
            views={p.id: self.session_views(p) for p in self.curriculum.programmes.values()},
        )

    def programmes_index(self) -> str:
        page = paths.PROGRAMMES_INDEX
        return front_matter(self.labels("programmes")) + self.render(
            "programmes_index.md.j2", listing=self.programme_list(page)
        )

    def workbook_links(self, programme: Programme, page: str) -> list[tuple[str, str]]:
        """Links to the programme's learner workbook and facilitator guide PDFs.

        Raw HTML links: the PDFs are written after MkDocs has checked the pages' links.
        """
        links = []
        for role in ROLES:
            if paths.workbook(programme.id, role) not in self.available:
                continue
            url = self.link(paths.workbook(programme.id, role), page)
            text = plain(self.labels(f"workbook.{role}_pdf"))
            links.append((f'<a href="{markdown_attribute(url)}">{text}</a>', url))
        return links

    def workbooks_page(self) -> str:
        page = paths.WORKBOOKS_INDEX
        return front_matter(self.labels("workbooks")) + self.render(
            "workbooks.md.j2",
            programmes=list(self.curriculum.programmes.values()),
            links={p.id: self.workbook_links(p, page) for p in self.curriculum.programmes.values()},
            page=page,
            link=self.link,
        )

    def module_page(self, module: Module) -> str:
        from .programme_pages import module_trails

        page = paths.module(module.id)
        prerequisites = [
            self.curriculum.modules[p] for p in module.prerequisites if p in self.curriculum.modules
        ]
        markdown = front_matter(module.title, tags=module.tags) + self.render(
            "module.md.j2",
            module=module,
            prerequisites=prerequisites,
            methods=self.curriculum.methods,
            programmes=self.module_programmes.get(module.id, []),
            trails=module_trails(self, module, page),
            page=page,
            link=self.link,
            md=self.author_text(page, glossed=True),
            gloss=self.gloss,
        )
        return markdown

    def modules_index(self) -> str:
        page = paths.MODULES_INDEX
        return front_matter(self.labels("modules")) + self.render(
            "modules_index.md.j2",
            modules=self.curriculum.ordered_modules(),
            page=page,
            link=self.link,
        )

    def method_page(self, method: Method) -> str:
        page = paths.method(method.id)
        steps = [
            (number, unnumbered(step.title, number), step)
            for number, step in enumerate(method.steps, 1)
        ]
        return front_matter(method.title, tags=method.tags) + self.render(
            "method.md.j2",
            method=method,
            steps=steps,
            usage=self.method_usage.get(method.id, []),
            page=page,
            link=self.link,
        )

    def methods_index(self) -> str:
        page = paths.METHODS_INDEX
        methods = sorted(
            self.curriculum.methods.values(), key=lambda m: self.labels.sort_key(m.title)
        )
        return front_matter(self.labels("method_cards")) + self.render(
            "methods_index.md.j2", methods=methods, page=page, link=self.link
        )

    def glossary_page(self) -> str:
        page = paths.GLOSSARY
        terms = sorted(
            self.curriculum.glossary.terms if self.curriculum.glossary else [],
            key=lambda t: self.labels.sort_key(t.term),
        )
        letters: dict[str, list[Term]] = {}
        for term in terms:
            letters.setdefault(self.labels.initial(term.term), []).append(term)
        return front_matter(self.labels("glossary")) + self.render(
            "glossary.md.j2",
            letters=letters,
            anchor=term_anchor,
            letter_anchor=letter_anchor,
            md=self.author_text(page),
        )

    def tags_page(self) -> str:
        return front_matter(self.labels("tags")) + self.render("tags.md.j2")

    def prompts(self) -> str:
        """The prompts of every activity, which the journal shows besides the outline."""
        return json.dumps(
            [
                [module.id, [[a.id, a.prompts] for a in module.activities]]
                for module in self.curriculum.modules.values()
            ],
            ensure_ascii=False,
        )

    def journal_page(self) -> str:
        """The learner's journal: every prompt in programme order; answers come from the browser."""
        from .learner import journal_sections, prompt_key

        page = paths.JOURNAL
        # its table of contents: programmes and their modules, each module once
        meta = front_matter(self.labels("learner.journal"), search={"exclude": True}, toc_depth=3)
        return meta + self.render(
            "journal.md.j2",
            sections=journal_sections(self),
            page=page,
            link=self.link,
            key=prompt_key,
        )


def unnumbered(title: str, number: int) -> str:
    """A step title without the number the author wrote when the page numbers the steps."""
    head, _, rest = title.strip().partition(" ")
    if rest and head.rstrip(".):") == str(number) and head[-1:] in ".):":
        return rest.strip()
    return title


def letter_anchor(letter: str) -> str:
    """The anchor of a letter's section in the glossary: ``letter-a``, ``letter-u00e4``."""
    char = letter[:1].casefold()
    name = char if char.isascii() and char.isalnum() else f"u{ord(char or '#'):04x}"
    return f"letter-{name}"


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens: "Päivämäärät" -> "paivamaarat"."""
    import unicodedata

    normal = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = "".join(c for c in normal if not unicodedata.combining(c))
    joined = "".join(c if c.isalnum() else "-" for c in ascii_text)
    return "-".join(part for part in joined.split("-") if part)


def term_anchor(term: str) -> str:
    """A stable, readable anchor for a glossary term."""
    return f"term-{slug(term) or 'x'}"

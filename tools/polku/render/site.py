"""Site pages: the curriculum rendered to Markdown pages for MkDocs."""

from __future__ import annotations

import html
import json
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..curriculum import Curriculum
from ..i18n import Labels
from ..model import Activity, ActivityItem, Method, Module, ModuleItem, Programme, Session
from ..schedule import AgendaRow, WorkingDays, agenda, programme_days, session_end
from ..validate import session_minutes
from .markup import attribute, plain, rebase_links, relative_url


@dataclass(frozen=True)
class Paths:
    """Where every generated page lives, relative to the docs root."""

    def programme(self, programme_id: str) -> str:
        return f"programmes/{programme_id}/index.md"

    def facilitator(self, programme_id: str) -> str:
        return f"programmes/{programme_id}/facilitator.md"

    def module(self, module_id: str) -> str:
        return f"modules/{module_id}.md"

    def method(self, method_id: str) -> str:
        return f"methods/{method_id}.md"

    programmes_index: str = "programmes/index.md"
    modules_index: str = "modules/index.md"
    methods_index: str = "methods/index.md"
    glossary: str = "glossary.md"
    tags: str = "tags.md"


PATHS = Paths()

# Where author Markdown of each kind sits, as a folder of the docs root
SOURCE_DIRS = {"module": "modules", "method": "methods", "glossary": ""}


def front_matter(title: str, **meta: object) -> str:
    """YAML front matter (JSON is valid YAML) with an HTML-escaped title."""
    lines = ["---", f"title: {json.dumps(html.escape(title, quote=False))}"]
    for key, value in meta.items():
        if value:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


@dataclass
class SessionView:
    """A session with everything a page shows about it, computed once."""

    programme: Programme
    session: Session
    phase_title: str
    date: str | None
    minutes: int
    end: object
    rows: list[AgendaRow]

    @property
    def activities(self) -> list[tuple[Module, Activity]]:
        found: list[tuple[Module, Activity]] = []
        for row in self.rows:
            for activity in row.activities:
                assert row.module is not None
                found.append((row.module, activity))
        return found

    @property
    def materials(self) -> list[str]:
        seen: dict[str, None] = {}
        for _module, activity in self.activities:
            for material in activity.materials:
                seen.setdefault(material, None)
        return list(seen)


@dataclass
class SiteRenderer:
    """Renders every generated page of the site as Markdown."""

    curriculum: Curriculum
    labels: Labels = field(init=False)
    env: Environment = field(init=False)

    def __post_init__(self) -> None:
        self.labels = Labels(self.curriculum.language)
        self.env = Environment(
            loader=PackageLoader("polku.render", "templates"),
            autoescape=False,  # the output is Markdown; values are escaped by filters
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            text=plain,
            attr=attribute,
            duration=self.labels.duration,
            clock=lambda t: t.strftime("%H:%M") if t else "",
        )
        self.env.globals.update(t=self.labels, paths=PATHS)

    # --- shared helpers -------------------------------------------------------------

    def markdown(self, text: str | None, kind: str, page: str) -> str:
        """Author Markdown, with relative links moved to work from ``page``."""
        if not text:
            return ""
        return rebase_links(text.strip("\n"), SOURCE_DIRS[kind], posixpath.dirname(page))

    def link(self, target: str, page: str, anchor: str | None = None) -> str:
        url = relative_url(target, posixpath.dirname(page))
        return f"{url}#{anchor}" if anchor else url

    @cached_property
    def days(self) -> dict[str, WorkingDays | None]:
        return {p.id: programme_days(p) for p in self.curriculum.programmes.values()}

    def session_views(self, programme: Programme) -> list[SessionView]:
        days = self.days[programme.id]
        views = []
        for phase, session in programme.sessions():
            date = self.labels.date(days.date_of(session.day)) if days else None
            views.append(
                SessionView(
                    programme=programme,
                    session=session,
                    phase_title=phase.title,
                    date=date,
                    minutes=session_minutes(session, self.curriculum),
                    end=session_end(session, self.curriculum),
                    rows=agenda(session, self.curriculum, self.labels("break")),
                )
            )
        return views

    def day_text(self, programme: Programme, day: int) -> str:
        days = self.days[programme.id]
        text = self.labels("day_label", day=day)
        if days:
            text += f" · {self.labels.date(days.date_of(day))}"
        return text

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

    def abbreviations(self) -> str:
        """Glossary terms as Markdown abbreviations, for hover definitions."""
        glossary = self.curriculum.glossary
        if glossary is None:
            return ""
        lines = []
        for term in glossary.terms:
            definition = " ".join(_strip_markdown(term.definition).split())
            forms = {term.term, term.term.lower(), term.term[:1].upper() + term.term[1:]}
            for form in sorted(forms):
                if form.strip() and "]" not in form:
                    lines.append(f"*[{form}]: {definition}")
        return "\n".join(lines)

    def render(self, template: str, **context: object) -> str:
        return self.env.get_template(template).render(**context)

    # --- pages ----------------------------------------------------------------------------

    def pages(self) -> dict[str, str]:
        """Every generated page: docs-relative path -> Markdown."""
        pages: dict[str, str] = {}
        for programme in self.curriculum.programmes.values():
            pages[PATHS.programme(programme.id)] = self.programme_page(programme)
            pages[PATHS.facilitator(programme.id)] = self.facilitator_page(programme)
        pages[PATHS.programmes_index] = self.programmes_index()
        for module in self.curriculum.modules.values():
            pages[PATHS.module(module.id)] = self.module_page(module)
        pages[PATHS.modules_index] = self.modules_index()
        for method in self.curriculum.methods.values():
            pages[PATHS.method(method.id)] = self.method_page(method)
        pages[PATHS.methods_index] = self.methods_index()
        pages[PATHS.glossary] = self.glossary_page()
        pages[PATHS.tags] = self.tags_page()
        return pages

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
        page = PATHS.programmes_index
        return front_matter(self.labels("programmes")) + self.render(
            "programmes_index.md.j2", listing=self.programme_list(page)
        )

    def programme_page(self, programme: Programme) -> str:
        page = PATHS.programme(programme.id)
        checklist: dict[str, list[tuple[str, str]]] = {}
        for role in programme.roles:
            tasks = sorted(
                (t for t in programme.checklist if t.role == role.id), key=lambda t: t.day
            )
            if tasks:
                checklist[role.id] = [(self.day_text(programme, t.day), t.task) for t in tasks]
        return front_matter(programme.title) + self.render(
            "programme.md.j2",
            programme=programme,
            views=self.session_views(programme),
            checklist=checklist,
            page=page,
            link=self.link,
            extras=self.programme_extras(programme, page),
        )

    def programme_extras(self, programme: Programme, page: str) -> list[tuple[str, str]]:
        """Links to outputs other renderers add (workbooks, calendars); hook for them."""
        return []

    def facilitator_page(self, programme: Programme) -> str:
        page = PATHS.facilitator(programme.id)
        return front_matter(
            f"{self.labels('facilitator_guide')}: {programme.title}"
        ) + self.render(
            "facilitator.md.j2",
            programme=programme,
            views=self.session_views(programme),
            page=page,
            link=self.link,
            md=lambda text, kind="module": self.markdown(text, kind, page),
        )

    def module_page(self, module: Module) -> str:
        page = PATHS.module(module.id)
        prerequisites = [
            self.curriculum.modules[p] for p in module.prerequisites if p in self.curriculum.modules
        ]
        return front_matter(module.title, tags=module.tags) + self.render(
            "module.md.j2",
            module=module,
            prerequisites=prerequisites,
            methods=self.curriculum.methods,
            programmes=self.module_programmes.get(module.id, []),
            page=page,
            link=self.link,
            md=lambda text: self.markdown(text, "module", page),
            abbreviations=self.abbreviations(),
        )

    def modules_index(self) -> str:
        page = PATHS.modules_index
        return front_matter(self.labels("modules")) + self.render(
            "modules_index.md.j2",
            modules=self.curriculum.ordered_modules(),
            page=page,
            link=self.link,
        )

    def method_page(self, method: Method) -> str:
        page = PATHS.method(method.id)
        return front_matter(method.title, tags=method.tags) + self.render(
            "method.md.j2",
            method=method,
            usage=self.method_usage.get(method.id, []),
            page=page,
            link=self.link,
        )

    def methods_index(self) -> str:
        page = PATHS.methods_index
        methods = sorted(self.curriculum.methods.values(), key=lambda m: m.title.casefold())
        return front_matter(self.labels("method_cards")) + self.render(
            "methods_index.md.j2", methods=methods, page=page, link=self.link
        )

    def glossary_page(self) -> str:
        page = PATHS.glossary
        terms = sorted(
            self.curriculum.glossary.terms if self.curriculum.glossary else [],
            key=lambda t: t.term.casefold(),
        )
        return front_matter(self.labels("glossary")) + self.render(
            "glossary.md.j2",
            terms=terms,
            anchor=term_anchor,
            md=lambda text: self.markdown(text, "glossary", page),
        )

    def tags_page(self) -> str:
        return front_matter(self.labels("tags")) + self.render("tags.md.j2")


def term_anchor(term: str) -> str:
    """A stable, readable anchor for a glossary term."""
    import unicodedata

    normal = unicodedata.normalize("NFKD", term.casefold())
    ascii_text = "".join(c for c in normal if not unicodedata.combining(c))
    slug = "".join(c if c.isalnum() else "-" for c in ascii_text)
    slug = "-".join(part for part in slug.split("-") if part)
    return f"term-{slug or 'x'}"


def _strip_markdown(text: str) -> str:
    for char in "*_`#>[]":
        text = text.replace(char, "")
    return text

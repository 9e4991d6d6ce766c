"""P7xx: ids are unique where they must be, and leave room for the pages polku writes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache

from .. import paths
from ..curriculum import Loc, SourceMap
from ..diagnostics import Severity
from .context import Context
from .registry import Finding, rule


def _twice(
    context: Context, source: SourceMap, loc: Loc, ids: list[str | None], what: str, scope: str = ""
) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, ident in enumerate(ids):
        if ident is None:
            continue
        if ident in seen:
            yield context.at(
                source,
                (*loc, index, "id"),
                f"{what} id '{ident}' is used twice{scope}; give each {what} its own id",
            )
        seen.add(ident)


@rule(
    "P701",
    Severity.ERROR,
    "An id is used twice",
    """
    Outcomes and activities are unique within their module; roles, phases, cohorts,
    sessions and checklist tasks within their programme (a session id across all phases).
    Pages, calendar entries and workbook sections are named by these ids. Give each its
    own id.
    """,
)
def ids_are_unique(context: Context) -> Iterator[Finding]:
    for module, source in context.modules():
        yield from _twice(
            context, source, ("outcomes",), [o.id for o in module.outcomes], "outcome"
        )
        activities = [a.id for a in module.activities]
        yield from _twice(context, source, ("activities",), activities, "activity")
    for programme, source in context.programmes():
        yield from _twice(context, source, ("roles",), [r.id for r in programme.roles], "role")
        yield from _twice(context, source, ("phases",), [p.id for p in programme.phases], "phase")
        cohorts = [c.id for c in programme.cohorts]
        yield from _twice(context, source, ("cohorts",), cohorts, "cohort")
        seen: set[str] = set()
        for p_index, phase in enumerate(programme.phases):
            for s_index, session in enumerate(phase.sessions):
                if session.id in seen:
                    yield context.at(
                        source,
                        ("phases", p_index, "sessions", s_index, "id"),
                        f"session id '{session.id}' is used twice in this programme; "
                        "give each session its own id",
                    )
                seen.add(session.id)
        tasks = [task.id for task in programme.checklist]
        yield from _twice(context, source, ("checklist",), tasks, "task")


# --- ids that would take the place of a page polku writes ------------------------------------

PROBE = "p"  # a programme id, to learn where the pages of any programme go
# kind of id -> the pages named by it (programme-scoped kinds take the programme id first)
FILE_PAGES: dict[str, Callable[[str], str]] = {
    "module": paths.module,
    "method": paths.method,
    "handout": paths.handout,
    "programme": paths.programme,
}
PROGRAMME_PAGES: dict[str, tuple[Callable[[str, str], str], ...]] = {
    "session": (paths.session, paths.facilitator_session),
    "cohort": (paths.cohort,),
    "role": (paths.checklist,),
}


def _same_page(first: str, second: str) -> bool:
    return any(a == b for a, b in zip(paths.page_urls(first), paths.page_urls(second), strict=True))


@cache
def reserved_names() -> dict[str, frozenset[str]]:
    """Kind of id -> the ids that would put one of its pages on a page polku writes itself.

    Worked out from the URL scheme (paths.py): every folder and page name of the fixed
    pages is tried as an id of every kind.
    """
    fixed = paths.fixed_pages(PROBE)
    taken = [set(urls) for urls in zip(*map(paths.page_urls, fixed), strict=True)]  # per URL style
    names = {part.removesuffix(".md") for page in fixed for part in page.split("/")} - {PROBE}
    pages_of: dict[str, list[Callable[[str], str]]] = {
        kind: [page] for kind, page in FILE_PAGES.items()
    }
    for kind, pages in PROGRAMME_PAGES.items():
        pages_of[kind] = [lambda ident, page=page: page(PROBE, ident) for page in pages]

    def collides(page: str) -> bool:
        return any(url in urls for url, urls in zip(paths.page_urls(page), taken, strict=True))

    return {
        kind: frozenset(name for name in names if any(collides(page(name)) for page in pages))
        for kind, pages in pages_of.items()
    }


def _taken_page(pages: list[str], fixed: tuple[str, ...]) -> str:
    return next(taken for page in pages for taken in fixed if _same_page(page, taken))


@rule(
    "P702",
    Severity.ERROR,
    "An id would take the place of a page polku writes",
    """
    Modules, method cards and handouts get the page `<folder>/<id>.md`, sessions
    `programmes/<programme>/sessions/<id>.md` and `…/facilitator/<id>.md`, and so on.
    An id that equals the name of a page polku writes itself, such as `index` (the list
    of modules is `modules/index.md`, a programme's facilitator guide
    `programmes/<programme>/facilitator/index.md`), would hide that page or be hidden by
    it. Choose another id (and rename the file to match).
    """,
)
def ids_leave_room_for_pages(context: Context) -> Iterator[Finding]:
    reserved = reserved_names()
    curriculum = context.curriculum
    files = {
        "module": curriculum.modules,
        "method": curriculum.methods,
        "handout": curriculum.handouts,
        "programme": curriculum.programmes,
    }
    fixed = paths.fixed_pages(PROBE)
    for kind, items in files.items():
        for ident in reserved[kind] & items.keys():
            page = _taken_page([FILE_PAGES[kind](ident)], fixed)
            yield context.at(
                context.source(kind, ident),
                ("id",),
                f"{kind} id '{ident}' is reserved: polku writes its own page at {page}; "
                "choose another id and rename the file to match",
            )
    for programme, source in context.programmes():
        fixed = paths.fixed_pages(programme.id)
        named: list[tuple[str, str, Loc]] = [
            ("role", r.id, ("roles", index, "id")) for index, r in enumerate(programme.roles)
        ]
        named += [
            ("cohort", c.id, ("cohorts", index, "id")) for index, c in enumerate(programme.cohorts)
        ]
        named += [
            ("session", s.id, ("phases", p_index, "sessions", s_index, "id"))
            for p_index, phase in enumerate(programme.phases)
            for s_index, s in enumerate(phase.sessions)
        ]
        for kind, ident, loc in named:
            if ident not in reserved[kind]:
                continue
            pages = [page(programme.id, ident) for page in PROGRAMME_PAGES[kind]]
            yield context.at(
                source,
                loc,
                f"{kind} id '{ident}' is reserved: polku writes its own page at "
                f"{_taken_page(pages, fixed)}; choose another id",
            )

"""The site's navigation: the structure a person uses, whatever the curriculum's size.

Programmes with their overview, sessions (by phase), facilitator guide (with its
session pages, by phase), cohorts and checklists; the module index; the journal; method
cards; handouts; the glossary; tags; the workbooks. Modules themselves are not listed:
they are reached from their sessions, the module index, search and tags, so a page's
navigation does not grow with the number of modules. A programme with more phases than
a reader can scan (or a phase with that many sessions) has them in groups ("Phases
11–20"), and groups of groups beyond that: the theme shows the siblings of every open
entry, so an ungrouped list would put every phase of the programme on every one of its
pages.

The navigation is plain data in the shape of ``nav:`` in mkdocs.yml (titles to page
paths or to lists of entries), with titles escaped: the theme writes them into every
page as they are.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import paths
from ..curriculum import Curriculum
from ..i18n import Labels
from ..model import Programme
from .output import Outputs

# A navigation entry in mkdocs.yml's shape: a path, or {title: path or [entries]}.
NavEntry = Any
# An entry in the user's nav that marks where the generated sections go.
PLACEHOLDER = "polku"
# The longest list of phases or sessions shown as it is, and the size of a group when
# a list is longer than that.
LONGEST_LIST = 12
GROUP_SIZE = 10


def generated_navigation(curriculum: Curriculum, outputs: Outputs) -> list[NavEntry]:
    """The generated sections, in reading order; only pages that exist are listed."""
    labels = Labels(curriculum.language)

    def present(path: str) -> bool:
        output = outputs.get(path)
        return output is not None and output.is_page and output.in_nav

    sections: list[NavEntry] = []
    programmes: list[NavEntry] = []
    for programme in curriculum.programmes.values():
        entries: list[NavEntry] = [paths.programme(programme.id)]
        entries += phase_sections(programme, paths.session, present, labels)
        if present(paths.facilitator(programme.id)):
            guide = phase_sections(programme, paths.facilitator_session, present, labels)
            entries.append({labels("facilitator_guide"): [paths.facilitator(programme.id), *guide]})
        for cohort in programme.cohorts:
            if present(paths.cohort(programme.id, cohort.id)):
                entries.append({cohort.title: paths.cohort(programme.id, cohort.id)})
        checklists = [
            {role.title: paths.checklist(programme.id, role.id)}
            for role in programme.roles
            if present(paths.checklist(programme.id, role.id))
        ]
        if checklists:
            entries.append({labels("schedule.checklists"): checklists})
        programmes.append({programme.title: entries})
    if programmes:
        sections.append({labels("programmes"): [paths.PROGRAMMES_INDEX, *programmes]})
    if present(paths.MODULES_INDEX):
        sections.append({labels("modules"): paths.MODULES_INDEX})
    if present(paths.JOURNAL):
        sections.append({labels("learner.journal"): paths.JOURNAL})
    methods = sorted(curriculum.methods.values(), key=lambda m: labels.sort_key(m.title))
    if present(paths.METHODS_INDEX):
        sections.append(
            {
                labels("method_cards"): [
                    paths.METHODS_INDEX,
                    *({m.title: paths.method(m.id)} for m in methods),
                ]
            }
        )
    for title, path in (
        (labels("handouts"), paths.HANDOUTS_INDEX),
        (labels("glossary"), paths.GLOSSARY),
        (labels("tags"), paths.TAGS),
        (labels("workbooks"), paths.WORKBOOKS_INDEX),
    ):
        if present(path):
            sections.append({title: path})
    return escape_titles(sections)


def phase_sections(
    programme: Programme,
    page_of: Callable[[str, str], str],
    present: Callable[[str], bool],
    labels: Labels,
) -> list[NavEntry]:
    """A programme's session pages (``page_of(programme, session)``) under their phases."""
    entries: list[NavEntry] = []
    for phase in programme.phases:
        sessions = [
            {session.title: page_of(programme.id, session.id)}
            for session in phase.sessions
            if present(page_of(programme.id, session.id))
        ]
        if sessions:
            entries.append({phase.title: grouped(sessions, labels, "nav.sessions_range")})
    return grouped(entries, labels, "nav.phases_range")


def grouped(entries: list[NavEntry], labels: Labels, label: str) -> list[NavEntry]:
    """A long list in numbered groups ("Phases 11–20"), and groups of those if need be.

    Every level has at most ``LONGEST_LIST`` entries, so the entries a page shows grow
    with the logarithm of the list's length, not with the length.
    """
    numbered = [(number, number, entry) for number, entry in enumerate(entries, start=1)]
    while len(numbered) > LONGEST_LIST:
        numbered = [
            (
                group[0][0],
                group[-1][1],
                {labels(label, first=group[0][0], last=group[-1][1]): [e for *_, e in group]},
            )
            for group in (
                numbered[start : start + GROUP_SIZE]
                for start in range(0, len(numbered), GROUP_SIZE)
            )
        ]
    return [entry for *_, entry in numbered]


def merge(user_nav: list[NavEntry] | None, generated: list[NavEntry]) -> list[NavEntry]:
    """The user's navigation with the generated sections where it says ``polku`` (or last).

    A generated section whose pages the user's navigation already lists is left out.
    """
    nav = list(user_nav or [])
    referenced = nav_paths(nav)
    added = [entry for entry in generated if not (nav_paths([entry]) & referenced)]
    if PLACEHOLDER in nav:
        at = nav.index(PLACEHOLDER)
        return [*nav[:at], *added, *nav[at + 1 :]]
    return [*nav, *added]


def docs_pages_of(docs_dir: str | Path) -> list[str]:
    """Hand-written pages when mkdocs.yml has no nav: the home page first."""
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        return []
    pages = sorted(
        p.relative_to(docs_dir).as_posix()
        for p in docs_dir.rglob("*.md")
        if not any(part.startswith(".") for part in p.relative_to(docs_dir).parts)
    )
    pages.sort(key=lambda p: (p != "index.md", p.count("/"), p))
    return pages


def escape_titles(entries: NavEntry) -> NavEntry:
    """Navigation with its titles HTML-escaped (they come from plain-text curriculum titles)."""
    if isinstance(entries, list):
        return [escape_titles(entry) for entry in entries]
    if isinstance(entries, dict):
        return {
            html.escape(str(title), quote=False): escape_titles(value)
            for title, value in entries.items()
        }
    return entries


def nav_paths(nav: list[NavEntry]) -> set[str]:
    """Every page path referenced anywhere in a navigation structure."""
    found: set[str] = set()
    stack: list[Any] = list(nav)
    while stack:
        entry = stack.pop()
        if isinstance(entry, str):
            found.add(posixpath.normpath(entry))
        elif isinstance(entry, dict):
            stack.extend(entry.values())
        elif isinstance(entry, list):
            stack.extend(entry)
    return found

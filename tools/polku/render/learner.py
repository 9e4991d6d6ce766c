"""What the learner helpers in the browser need: the journal's prompts and the progress map.

Progress marks and journal answers are kept in the learner's browser only, keyed by
module and activity: the same module in two programmes has one set of answers, and a
programme's progress is counted from the marks of the activities it schedules. The
site tells the browser scripts (``assets/polku/*.js``) how activities group into
modules and sessions, where each session page is, and which interface labels to use,
through a generated script (``assets/polku/polku-data.js``); the journal page lists
every prompt in programme order at build time and the script fills in the answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import paths
from ..i18n import Labels
from ..model import Activity, Module

if TYPE_CHECKING:
    from .site import SiteRenderer

# Version of what the browser stores; 1 kept marks per programme, 2 per module and activity
DATA_FORMAT = 2
# The journal section of modules that no programme schedules; programme ids never start with "_"
UNSCHEDULED = "_"

# Labels the browser script shows; each is ``learner.<name>`` in the i18n tables
SCRIPT_LABELS = (
    "mark_done",
    "done",
    "progress_title",
    "progress_count",  # plural: .one and .other
    "progress_in",
    "reset_progress",
    "reset_progress_confirm",
    "progress_reset",
    "answer_label",
    "answer_saved",
    "answer_hint",
    "no_answer",
    "open_journal",
    "export_journal",
    "print_journal",
    "clear_journal",
    "clear_journal_confirm",
    "journal_cleared",
    "journal_file",
    "journal_tools",
    "exported",
    "storage_unavailable",
    "continue",
    "start",
    "continue_where",
    "menu",  # the button that opens the navigation drawer on a narrow screen
    "all_done",
    "journal_show",
    "journal_programme",
    "journal_all",
    "journal_unanswered",
    "journal_nothing",
    "journal_copy",
    "transfer",
    "transfer_hint",
    "export_file",
    "import_file",
    "transfer_file",
    "imported",
    "imported_nothing",
    "import_added",  # plural
    "import_updated",  # plural
    "import_kept",  # plural
    "import_done",  # plural
    "import_unknown",  # plural
    "import_invalid",
    "import_too_new",
    "print_page",
    "permalink_to",
)
# Labels with a form for each plural category of the language
PLURAL_LABELS = frozenset(
    (
        "progress_count",
        "import_added",
        "import_updated",
        "import_kept",
        "import_done",
        "import_unknown",
    )
)


def activity_key(module: Module, activity: Activity) -> str:
    return f"{module.id}/{activity.id}"


def prompt_key(module: Module, activity: Activity, number: int) -> str:
    """The key of one prompt, the same as ``data-polku-prompt`` on module pages (1-based)."""
    return f"{module.id}/{activity.id}/{number}"


@dataclass
class JournalGroup:
    """Consecutive activities of one module, in programme order."""

    module: Module
    activities: list[Activity] = field(default_factory=list)


@dataclass
class JournalSection:
    """The prompts of one programme (or of the modules no programme schedules)."""

    namespace: str
    title: str
    groups: list[JournalGroup] = field(default_factory=list)

    def add(self, module: Module, activity: Activity) -> None:
        """Add an activity under its module, which keeps the place it was first met."""
        for group in self.groups:
            if group.module.id == module.id:
                group.activities.append(activity)
                return
        self.groups.append(JournalGroup(module, [activity]))


def journal_sections(renderer: SiteRenderer) -> list[JournalSection]:
    """Every activity with prompts, programme by programme in the order they are met."""
    curriculum = renderer.curriculum
    sections: list[JournalSection] = []
    scheduled: set[str] = set()
    for programme in curriculum.programmes.values():
        section = JournalSection(programme.id, programme.title)
        seen: set[str] = set()
        touched: dict[str, Module] = {}
        for view in renderer.session_views(programme):
            for module, activity in view.activities:
                touched.setdefault(module.id, module)
                key = activity_key(module, activity)
                if activity.prompts and key not in seen:
                    seen.add(key)
                    section.add(module, activity)
        # activities the programme does not schedule are still answered on their module's
        # page: list them with the module's scheduled ones
        for module in touched.values():
            for activity in module.activities:
                if activity.prompts and activity_key(module, activity) not in seen:
                    section.add(module, activity)
        scheduled.update(touched)
        if section.groups:
            sections.append(section)
    rest = JournalSection(UNSCHEDULED, renderer.labels("learner.other_modules"))
    for module in curriculum.ordered_modules():
        if module.id in scheduled:
            continue
        for activity in module.activities:
            if activity.prompts:
                rest.add(module, activity)
    if rest.groups:
        sections.append(rest)
    return sections


def learner_data(renderer: SiteRenderer, site: str, url_of: Callable[[str], str]) -> dict[str, Any]:
    """The structure the browser script needs; ``url_of`` maps a page path to its site URL."""
    curriculum = renderer.curriculum
    labels = renderer.labels
    module_programmes: dict[str, list[str]] = {}
    programmes = []
    for programme in curriculum.programmes.values():
        sessions = []
        for view in renderer.session_views(programme):
            keys: list[str] = []
            anchors: dict[str, str] = {}
            for module, activity in view.activities:
                key = activity_key(module, activity)
                if key not in keys:
                    keys.append(key)
                    anchors[key] = paths.activity_anchor(module.id, activity.id)
                ids = module_programmes.setdefault(module.id, [])
                if programme.id not in ids:
                    ids.append(programme.id)
            sessions.append(
                {
                    "id": view.session.id,
                    "title": view.session.title,
                    "url": url_of(view.page),
                    "activities": keys,
                    "anchors": anchors,
                }
            )
        programmes.append(
            {
                "id": programme.id,
                "title": programme.title,
                "url": url_of(paths.programme(programme.id)),
                "sessions": sessions,
            }
        )
    modules = {
        module.id: {
            "title": module.title,
            "url": url_of(paths.module(module.id)),
            "activities": [activity_key(module, a) for a in module.activities],
            "titles": [a.title for a in module.activities],
            "prompts": [len(a.prompts) for a in module.activities],
            "programmes": module_programmes.get(module.id, []),
        }
        for module in curriculum.ordered_modules()
    }
    return {
        "format": DATA_FORMAT,
        "site": site,
        "language": curriculum.language,
        "journal": url_of(paths.JOURNAL),
        "labels": {name: script_label(labels, name) for name in SCRIPT_LABELS},
        "programmes": programmes,
        "modules": modules,
    }


def script_label(labels: Labels, name: str) -> str | dict[str, str]:
    """A label for the browser script: plural ones as {category: text}, with ``{n}`` kept."""
    key = f"learner.{name}"
    if name not in PLURAL_LABELS:
        return labels(key)
    return {
        category: labels.table.get(f"{key}.{category}") or labels(f"{key}.other")
        for category in ("zero", "one", "two", "few", "many", "other")
        if f"{key}.{category}" in labels.table or category == "other"
    }


def data_script(data: dict[str, Any]) -> str:
    """``polku-data.js``: the data as a script, so it loads from file:// too."""
    # on one line: with an indent json uses its Python encoder, ten times slower at
    # a thousand modules, and the preview writes this file after every save
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ": "))
    text = text.replace("</", "<\\/")
    return f"/* Generated by polku. */\nwindow.polkuData = {text};\n"

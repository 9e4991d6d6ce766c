"""Cross-file rules: references, cycles, order, agenda lengths and assets."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from .curriculum import Curriculum, Loc, SourceMap
from .diagnostics import Report
from .model import (
    ActivityItem,
    ActivityType,
    Module,
    ModuleItem,
    Programme,
    Session,
    format_duration,
)
from .plan import calendar_paths
from .schedule import country_codes, item_minutes, valid_country, valid_timezone

# Markdown links and images: [text](target "title"), ![alt](target), [ref]: target
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_HTML_SOURCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _suggest(name: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class Validator:
    def __init__(self, curriculum: Curriculum, report: Report) -> None:
        self.curriculum = curriculum
        self.report = report
        self._roots: dict[int, object] | None = None  # id of a SourceMap -> its model
        self._lines: dict[str, list[str] | None] = {}  # file -> its lines, read once

    # helpers -------------------------------------------------------------------

    def error(self, source: SourceMap, loc: Loc, message: str, *, key: bool = False) -> None:
        line, column = source.key(loc) if key else source.value(loc)
        self.report.error(source.path, line, column, message)

    def warning(self, source: SourceMap, loc: Loc, message: str, *, key: bool = False) -> None:
        line, column = source.key(loc) if key else source.value(loc)
        self.report.warning(source.path, line, column, message)

    def broken(self, kind: str, ident: str) -> bool:
        return (kind, ident) in self.curriculum.broken

    def duplicates(self, source: SourceMap, loc: Loc, ids: list[str], what: str) -> None:
        seen: set[str] = set()
        for index, ident in enumerate(ids):
            if ident in seen:
                self.error(
                    source,
                    (*loc, index, "id"),
                    f"{what} id '{ident}' is used twice; give each {what} its own id",
                )
            seen.add(ident)

    # rules ---------------------------------------------------------------------

    def run(self) -> None:
        for module in self.curriculum.modules.values():
            self.check_module(module)
        self.check_prerequisite_cycles()
        languages: dict[str, str] = {}
        for programme in self.curriculum.programmes.values():
            self.check_programme(programme)
            if languages and programme.language not in languages:
                first_language, first_id = next(iter(languages.items()))
                self.error(
                    self.curriculum.source("programme", programme.id),
                    ("language",),
                    f"language '{programme.language}' differs from programme '{first_id}' "
                    f"('{first_language}'); one site speaks one language",
                )
            languages.setdefault(programme.language, programme.id)
        self.check_calendar_names()
        self.check_glossary()
        for method in self.curriculum.methods.values():
            source = self.curriculum.source("method", method.id)
            self.check_markdown_assets(source, ())

    def check_module(self, module: Module) -> None:
        source = self.curriculum.source("module", module.id)
        outcome_ids = [o.id for o in module.outcomes]
        self.duplicates(source, ("outcomes",), outcome_ids, "outcome")
        self.duplicates(source, ("activities",), [a.id for a in module.activities], "activity")
        for index, prerequisite in enumerate(module.prerequisites):
            loc = ("prerequisites", index)
            if prerequisite == module.id:
                self.error(source, loc, f"module '{module.id}' lists itself as a prerequisite")
            elif prerequisite not in self.curriculum.modules and not self.broken(
                "module", prerequisite
            ):
                self.error(
                    source,
                    loc,
                    f"prerequisite '{prerequisite}' is not a module"
                    + _suggest(prerequisite, self.curriculum.modules),
                )
        practised: set[str] = set()
        for a_index, activity in enumerate(module.activities):
            base: Loc = ("activities", a_index)
            for o_index, outcome in enumerate(activity.outcomes):
                practised.add(outcome)
                if outcome not in outcome_ids:
                    self.error(
                        source,
                        (*base, "outcomes", o_index),
                        f"outcome '{outcome}' is not an outcome of module '{module.id}'"
                        + _suggest(outcome, outcome_ids),
                    )
            for m_index, method in enumerate(activity.methods):
                if method not in self.curriculum.methods and not self.broken("method", method):
                    self.error(
                        source,
                        (*base, "methods", m_index),
                        f"method '{method}' has no card in curriculum/methods/"
                        + _suggest(method, self.curriculum.methods),
                    )
            if activity.questions and activity.type is not ActivityType.SELF_CHECK:
                self.warning(
                    source,
                    (*base, "questions"),
                    "questions are shown only in self-check activities; "
                    "set 'type: self-check' or move them to prompts",
                    key=True,
                )
        for index, outcome in enumerate(module.outcomes):
            if outcome.id not in practised:
                self.warning(
                    source,
                    ("outcomes", index, "id"),
                    f"outcome '{outcome.id}' is not practised by any activity; "
                    "list it in an activity's outcomes",
                )
        body_file = self.curriculum.body_files.get(("module", module.id))
        if body_file and module.body is not None:
            self.check_text_assets(body_file, module.body, 1, 1, block=False, whole_file=True)
        self.check_markdown_assets(source, ())

    def check_prerequisite_cycles(self) -> None:
        modules = self.curriculum.modules
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        reported: set[frozenset[str]] = set()

        def visit(module_id: str, path: list[str]) -> None:
            state[module_id] = 1
            module = modules[module_id]
            for index, prerequisite in enumerate(module.prerequisites):
                if prerequisite not in modules or prerequisite == module_id:
                    continue
                if state.get(prerequisite) == 1:
                    cycle = [*path[path.index(prerequisite) :], module_id, prerequisite]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        self.error(
                            self.curriculum.source("module", module_id),
                            ("prerequisites", index),
                            "prerequisites form a cycle: "
                            + " → ".join(cycle)
                            + "; remove one of these prerequisites",
                        )
                elif prerequisite not in state:
                    visit(prerequisite, [*path, module_id])
            state[module_id] = 2

        for module_id in modules:
            if module_id not in state:
                visit(module_id, [])

    def check_programme(self, programme: Programme) -> None:
        source = self.curriculum.source("programme", programme.id)
        role_ids = [r.id for r in programme.roles]
        self.duplicates(source, ("roles",), role_ids, "role")
        self.duplicates(source, ("phases",), [p.id for p in programme.phases], "phase")
        self.duplicates(source, ("cohorts",), [c.id for c in programme.cohorts], "cohort")
        seen_sessions: set[str] = set()
        scheduled: dict[str, tuple[int, str]] = {}  # module id -> (order, session id)
        order = 0
        for p_index, phase in enumerate(programme.phases):
            for s_index, session in enumerate(phase.sessions):
                base: Loc = ("phases", p_index, "sessions", s_index)
                if session.id in seen_sessions:
                    self.error(
                        source,
                        (*base, "id"),
                        f"session id '{session.id}' is used twice in this programme; "
                        "give each session its own id",
                    )
                seen_sessions.add(session.id)
                if session.facilitator is not None and session.facilitator not in role_ids:
                    self.error(
                        source,
                        (*base, "facilitator"),
                        f"facilitator '{session.facilitator}' is not a role of this programme"
                        + _suggest(session.facilitator, role_ids),
                    )
                for i_index, item in enumerate(session.items):
                    loc: Loc = (*base, "items", i_index)
                    module_id = self.check_item(source, loc, item)
                    order += 1
                    if module_id is None:
                        continue
                    if module_id in scheduled:
                        continue
                    module = self.curriculum.modules[module_id]
                    for prerequisite in module.prerequisites:
                        if (
                            prerequisite in scheduled
                            or prerequisite == module_id  # reported in the module
                            or prerequisite not in self.later_modules(programme)
                            or self.broken("module", prerequisite)  # reported in its own file
                        ):
                            continue
                        self.error(
                            source,
                            loc,
                            f"module '{module_id}' is scheduled before its prerequisite "
                            f"'{prerequisite}'; move it after the session that has "
                            f"'{prerequisite}'",
                        )
                    scheduled.setdefault(module_id, (order, session.id))
                self.check_session_length(source, base, session)
        for index, task in enumerate(programme.checklist):
            if task.role not in role_ids:
                self.error(
                    source,
                    ("checklist", index, "role"),
                    f"role '{task.role}' is not a role of this programme"
                    + _suggest(task.role, role_ids),
                )
        self.check_dates(source, programme, role_ids)

    def check_dates(self, source: SourceMap, programme: Programme, role_ids: list[str]) -> None:
        """Holidays, time zone, cohorts and who takes part: what calendars need."""
        if not valid_country(programme.holidays):
            self.error(
                source,
                ("holidays",),
                f"'{programme.holidays}' is not a country code with known public holidays; "
                "write a two-letter code such as FI, SE or DE"
                + _suggest(programme.holidays.upper(), country_codes()),
            )
        if not valid_timezone(programme.timezone):
            import zoneinfo

            self.error(
                source,
                ("timezone",),
                f"'{programme.timezone}' is not a time zone; write an IANA time zone name "
                "such as Europe/Helsinki"
                + _suggest(programme.timezone, zoneinfo.available_timezones()),
            )
        for c_index, cohort in enumerate(programme.cohorts):
            if cohort.id in role_ids:
                self.error(
                    source,
                    ("cohorts", c_index, "id"),
                    f"cohort id '{cohort.id}' is also a role id, and both would get the "
                    f"calendar calendars/{programme.id}-{cohort.id}.ics; rename the cohort",
                )
        for p_index, phase in enumerate(programme.phases):
            for s_index, session in enumerate(phase.sessions):
                for r_index, role in enumerate(session.roles):
                    if role not in role_ids:
                        self.error(
                            source,
                            ("phases", p_index, "sessions", s_index, "roles", r_index),
                            f"role '{role}' is not a role of this programme"
                            + _suggest(role, role_ids),
                        )
        task_ids = [task.id for task in programme.checklist]
        seen: set[str] = set()
        for index, task_id in enumerate(task_ids):
            if task_id is not None and task_id in seen:
                self.error(
                    source,
                    ("checklist", index, "id"),
                    f"task id '{task_id}' is used twice; give each task its own id",
                )
            if task_id is not None:
                seen.add(task_id)

    def check_calendar_names(self) -> None:
        """Two programmes must not write the same calendar file (a-b + c, a + b-c)."""
        owners: dict[str, str] = {}
        for programme in self.curriculum.programmes.values():
            for path, (what, ident) in calendar_paths(programme).items():
                first = owners.setdefault(path, programme.id)
                if first == programme.id:
                    continue
                cohort_ids = [c.id for c in programme.cohorts]
                loc: Loc = ("id",)
                fix = "rename one of the programmes"
                if what == "role":
                    loc = ("roles", [r.id for r in programme.roles].index(ident), "id")
                    fix = "rename this role or one of the programmes"
                elif ident in cohort_ids:
                    loc = ("cohorts", cohort_ids.index(ident), "id")
                    fix = "rename this cohort or one of the programmes"
                self.error(
                    self.curriculum.source("programme", programme.id),
                    loc,
                    f"programme '{first}' already writes {path}; {fix}",
                )

    def later_modules(self, programme: Programme) -> set[str]:
        """Every module the programme schedules (cached per programme)."""
        cache = self.__dict__.setdefault("_scheduled_cache", {})
        if programme.id not in cache:
            ids: set[str] = set()
            for _phase, session in programme.sessions():
                for item in session.items:
                    if isinstance(item, ModuleItem):
                        ids.add(item.module)
                    elif isinstance(item, ActivityItem):
                        ids.add(item.module_id)
            cache[programme.id] = ids
        return cache[programme.id]

    def check_item(self, source: SourceMap, loc: Loc, item: object) -> str | None:
        """Check an agenda item's reference; return the module it schedules."""
        modules = self.curriculum.modules
        if isinstance(item, ModuleItem):
            if item.module in modules:
                return item.module
            if not self.broken("module", item.module):
                self.error(
                    source,
                    (*loc, "module"),
                    f"module '{item.module}' does not exist in curriculum/modules/"
                    + _suggest(item.module, modules),
                )
            return None
        if isinstance(item, ActivityItem):
            module = modules.get(item.module_id)
            if module is None:
                if not self.broken("module", item.module_id):
                    self.error(
                        source,
                        (*loc, "activity"),
                        f"module '{item.module_id}' of activity '{item.activity}' does not "
                        "exist in curriculum/modules/" + _suggest(item.module_id, modules),
                    )
                return None
            if module.activity(item.activity_id) is None:
                ids = [a.id for a in module.activities]
                self.error(
                    source,
                    (*loc, "activity"),
                    f"module '{module.id}' has no activity '{item.activity_id}'"
                    + _suggest(item.activity_id, ids),
                )
                return None
            return module.id
        return None

    def check_session_length(self, source: SourceMap, base: Loc, session: Session) -> None:
        if session.duration is None:
            return
        total = sum(item_minutes(item, self.curriculum) for item in session.items)
        if total > session.duration:
            self.error(
                source,
                (*base, "duration"),
                f"the agenda of session '{session.id}' takes {format_duration(total)} but the "
                f"session lasts {format_duration(session.duration)}; shorten or remove items, "
                "or lengthen the session",
            )

    def check_glossary(self) -> None:
        glossary = self.curriculum.glossary
        if glossary is None:
            return
        source = self.curriculum.source("glossary", "glossary")
        names = [t.term for t in glossary.terms]
        lowered: dict[str, int] = {}
        for index, term in enumerate(glossary.terms):
            key = term.term.casefold()
            if key in lowered:
                self.error(
                    source,
                    ("terms", index, "term"),
                    f"term '{term.term}' is defined twice; merge the definitions",
                )
            lowered.setdefault(key, index)
        for index, term in enumerate(glossary.terms):
            for s_index, other in enumerate(term.see):
                if other.casefold() not in lowered:
                    self.error(
                        source,
                        ("terms", index, "see", s_index),
                        f"see: term '{other}' is not in the glossary" + _suggest(other, names),
                    )
        self.check_markdown_assets(source, ())

    # assets ------------------------------------------------------------------------

    def check_markdown_assets(self, source: SourceMap, loc: Loc) -> None:
        """Check the asset links of every Markdown field in a YAML file."""
        data_fields = ("body", "instructions", "facilitator_notes", "answer", "definition")
        for value_loc, (line, column) in list(source.values.items()):
            if not value_loc or value_loc[-1] not in data_fields:
                continue
            if value_loc[: len(loc)] != loc:
                continue
            text = self._value_at(source, value_loc)
            if isinstance(text, str) and (links := _links(text)):
                # only a text with links needs its place in the file worked out
                block = self._is_block(source, line, column)
                self.check_text_assets(
                    source.path, text, line, column, block=block, lines=block, links=links
                )

    def _value_at(self, source: SourceMap, loc: Loc) -> object:
        if self._roots is None:
            self._roots = {}
            kind_models = {
                "module": self.curriculum.modules,
                "method": self.curriculum.methods,
                "handout": self.curriculum.handouts,
            }
            for (kind, ident), candidate in self.curriculum.sources.items():
                if id(candidate) in self._roots:
                    continue
                if kind == "glossary":
                    self._roots[id(candidate)] = self.curriculum.glossary
                elif kind == "programme":
                    self._roots[id(candidate)] = self.curriculum.programmes.get(ident)
                else:
                    self._roots[id(candidate)] = kind_models[kind].get(ident)
        current = self._roots.get(id(source))
        for segment in loc:
            if current is None:
                return None
            if isinstance(segment, int):
                current = current[segment] if isinstance(current, list) else None
            else:
                current = getattr(current, segment, None)
        return current

    def _is_block(self, source: SourceMap, line: int, column: int) -> bool:
        try:
            text = self._file_lines(source.path)[line - 1]
        except (OSError, IndexError, UnicodeDecodeError):
            return False
        return text[column - 1 : column] in ("|", ">")

    def check_text_assets(
        self,
        path: str,
        text: str,
        line: int,
        column: int,
        *,
        block: bool,
        lines: bool = True,
        links: list[tuple[int, str]] | None = None,
        whole_file: bool = False,
    ) -> None:
        """Check the links of ``text``; ``lines``: its lines are the file's (not a quoted value).

        ``whole_file``: ``text`` is all of the file, so columns are found in it
        rather than in the file read again.
        """
        base = (self.curriculum.root / path).parent
        for match, target in _links(text) if links is None else links:
            if _SCHEME.match(target) or target.startswith(("#", "/", "//")):
                continue
            target_path = target.split("#", 1)[0].split("?", 1)[0]
            if not target_path:
                continue
            offset = text.count("\n", 0, match) if lines else 0
            at_line = line + offset + (1 if block else 0)
            if whole_file:
                at_column = match - text.rfind("\n", 0, match)
            else:
                at_column = self._column_of(path, at_line, target, column if offset == 0 else 1)
            try:
                resolved = (base / target_path).resolve()
            except (ValueError, OSError, RuntimeError):  # a NUL byte, a symlink loop
                self.report.error(
                    path,
                    at_line,
                    at_column,
                    f"'{target}' is not a usable path; write a path such as '../assets/name.png'",
                )
                continue
            inside = resolved.is_relative_to(self.curriculum.curriculum_dir)
            if not inside:
                self.report.error(
                    path,
                    at_line,
                    at_column,
                    f"'{target}' points outside curriculum/; keep images and attachments "
                    "in curriculum/assets/",
                )
            elif not resolved.exists():
                self.report.error(
                    path,
                    at_line,
                    at_column,
                    f"'{target}' does not exist; check the path (from a module: "
                    "'../assets/name.png')",
                )

    def _column_of(self, path: str, line: int, target: str, default: int) -> int:
        """The column where ``target`` stands on ``line`` of the file."""
        try:
            index = self._file_lines(path)[line - 1].find(target)
        except (OSError, IndexError, UnicodeDecodeError):
            return default
        return index + 1 if index >= 0 else default

    def _file_lines(self, path: str) -> list[str]:
        """The lines of a curriculum file (relative to the root), read once per check."""
        if path not in self._lines:
            try:
                text = (self.curriculum.root / path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self._lines[path] = None
                raise
            self._lines[path] = text.splitlines()
        lines = self._lines[path]
        if lines is None:
            raise OSError(f"cannot read {path}")
        return lines


def _links(text: str) -> list[tuple[int, str]]:
    # each pattern is tried only on texts that hold what it cannot match without
    found = []
    if "](" in text:
        found += [(m.start(1), m.group(1)) for m in _inline_links(text)]
    if "]:" in text:
        found += [(m.start(1), m.group(1)) for m in _REFERENCE_LINK.finditer(text)]
    if "=" in text and _maybe_html_source(text):
        found += [(m.start(1), m.group(1)) for m in _HTML_SOURCE.finditer(text)]
    return sorted(found)


def _inline_links(text: str) -> list[re.Match[str]]:
    """``_INLINE_LINK.finditer(text)``, tried only where a match can start ('[' or '![').

    The pattern starts with an optional '!', which keeps the regular expression engine
    from skipping ahead: on a long body this is a hundred times faster.
    """
    found: list[re.Match[str]] = []
    position = 0
    while (bracket := text.find("[", position)) >= 0:
        match = None
        if bracket > position and text[bracket - 1] == "!":
            match = _INLINE_LINK.match(text, bracket - 1)
        if match is None:
            match = _INLINE_LINK.match(text, bracket)
        if match is None:
            position = bracket + 1
        else:
            found.append(match)
            position = match.end()
    return found


def _maybe_html_source(text: str) -> bool:
    """False when ``_HTML_SOURCE`` cannot match (its IGNORECASE also takes 'ſ' for 's')."""
    lowered = text.lower()
    return "src" in lowered or "href" in lowered or "ſ" in lowered


def validate(curriculum: Curriculum, report: Report) -> None:
    """Apply every cross-file rule; problems go to ``report``."""
    Validator(curriculum, report).run()

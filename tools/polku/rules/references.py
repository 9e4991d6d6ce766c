"""P1xx: every id that a file refers to exists."""

from __future__ import annotations

from collections.abc import Iterator

from ..curriculum import Loc, SourceMap
from ..diagnostics import Severity
from ..model import ActivityItem, ModuleItem
from .context import Context, suggest
from .registry import Finding, rule

ERROR = Severity.ERROR


@rule(
    "P101",
    ERROR,
    "A prerequisite is not a module",
    """
    Every id in a module's `prerequisites` is the id of a module in `curriculum/modules/`.
    Fix the spelling (the message suggests a close id), or remove the prerequisite.
    """,
)
def prerequisites_exist(context: Context) -> Iterator[Finding]:
    modules = context.curriculum.modules
    for module, source in context.modules():
        for index, prerequisite in enumerate(module.prerequisites):
            if prerequisite == module.id or prerequisite in modules:
                continue  # itself: P201
            if context.broken("module", prerequisite):
                continue
            yield context.at(
                source,
                ("prerequisites", index),
                f"prerequisite '{prerequisite}' is not a module" + suggest(prerequisite, modules),
            )


@rule(
    "P102",
    ERROR,
    "An activity practises an outcome its module does not have",
    """
    The `outcomes` of an activity are ids of the outcomes of its own module. Fix the id,
    or add the outcome to the module's `outcomes`.
    """,
)
def activity_outcomes_exist(context: Context) -> Iterator[Finding]:
    for module, source in context.modules():
        outcome_ids = [o.id for o in module.outcomes]
        for a_index, activity in enumerate(module.activities):
            for o_index, outcome in enumerate(activity.outcomes):
                if outcome not in outcome_ids:
                    yield context.at(
                        source,
                        ("activities", a_index, "outcomes", o_index),
                        f"outcome '{outcome}' is not an outcome of module '{module.id}'"
                        + suggest(outcome, outcome_ids),
                    )


@rule(
    "P103",
    ERROR,
    "An activity uses a method that has no card",
    """
    Every id in an activity's `methods` is a method card in `curriculum/methods/`.
    Fix the id, or write the card with `polku new method ID`.
    """,
)
def methods_exist(context: Context) -> Iterator[Finding]:
    methods = context.curriculum.methods
    for module, source in context.modules():
        for a_index, activity in enumerate(module.activities):
            for m_index, method in enumerate(activity.methods):
                if method not in methods and not context.broken("method", method):
                    yield context.at(
                        source,
                        ("activities", a_index, "methods", m_index),
                        f"method '{method}' has no card in curriculum/methods/"
                        + suggest(method, methods),
                    )


def _agenda(context: Context) -> Iterator[tuple[SourceMap, Loc, object]]:
    """(source, loc, item) of every agenda item of every programme."""
    for programme, source in context.programmes():
        for p_index, phase in enumerate(programme.phases):
            for s_index, session in enumerate(phase.sessions):
                for i_index, item in enumerate(session.items):
                    yield source, ("phases", p_index, "sessions", s_index, "items", i_index), item


@rule(
    "P104",
    ERROR,
    "An agenda item names a module that does not exist",
    """
    `- module: ID` in a session's `items` schedules the module `curriculum/modules/ID.yml`.
    Fix the id (the message suggests a close one) or write the module.
    """,
)
def agenda_modules_exist(context: Context) -> Iterator[Finding]:
    modules = context.curriculum.modules
    for source, loc, item in _agenda(context):
        if not isinstance(item, ModuleItem) or item.module in modules:
            continue
        if not context.broken("module", item.module):
            yield context.at(
                source,
                (*loc, "module"),
                f"module '{item.module}' does not exist in curriculum/modules/"
                + suggest(item.module, modules),
            )


@rule(
    "P105",
    ERROR,
    "An agenda activity names a module that does not exist",
    """
    `- activity: MODULE/ACTIVITY` schedules one activity of a module; the part before the
    slash is a module id. Fix the module id.
    """,
)
def agenda_activity_modules_exist(context: Context) -> Iterator[Finding]:
    modules = context.curriculum.modules
    for source, loc, item in _agenda(context):
        if not isinstance(item, ActivityItem) or item.module_id in modules:
            continue
        if not context.broken("module", item.module_id):
            yield context.at(
                source,
                (*loc, "activity"),
                f"module '{item.module_id}' of activity '{item.activity}' does not "
                "exist in curriculum/modules/" + suggest(item.module_id, modules),
            )


@rule(
    "P106",
    ERROR,
    "An agenda activity does not exist in its module",
    """
    In `- activity: MODULE/ACTIVITY`, the part after the slash is the id of one of the
    module's `activities`. Fix the activity id (the message suggests a close one).
    """,
)
def agenda_activities_exist(context: Context) -> Iterator[Finding]:
    for source, loc, item in _agenda(context):
        if not isinstance(item, ActivityItem):
            continue
        module = context.curriculum.modules.get(item.module_id)
        if module is None or module.activity(item.activity_id) is not None:
            continue
        ids = [a.id for a in module.activities]
        yield context.at(
            source,
            (*loc, "activity"),
            f"module '{module.id}' has no activity '{item.activity_id}'"
            + suggest(item.activity_id, ids),
        )


@rule(
    "P107",
    ERROR,
    "A session's facilitator is not a role",
    """
    A session's `facilitator` is the id of one of the programme's `roles`. Fix the id, or
    add the role to `roles`.
    """,
)
def facilitators_are_roles(context: Context) -> Iterator[Finding]:
    for programme, source in context.programmes():
        role_ids = [r.id for r in programme.roles]
        for p_index, phase in enumerate(programme.phases):
            for s_index, session in enumerate(phase.sessions):
                if session.facilitator is None or session.facilitator in role_ids:
                    continue
                yield context.at(
                    source,
                    ("phases", p_index, "sessions", s_index, "facilitator"),
                    f"facilitator '{session.facilitator}' is not a role of this programme"
                    + suggest(session.facilitator, role_ids),
                )


@rule(
    "P108",
    ERROR,
    "A checklist task's role is not a role",
    """
    A checklist task's `role` is the id of one of the programme's `roles`. Fix the id, or
    add the role to `roles`.
    """,
)
def task_roles_exist(context: Context) -> Iterator[Finding]:
    for programme, source in context.programmes():
        role_ids = [r.id for r in programme.roles]
        for index, task in enumerate(programme.checklist):
            if task.role not in role_ids:
                yield context.at(
                    source,
                    ("checklist", index, "role"),
                    f"role '{task.role}' is not a role of this programme"
                    + suggest(task.role, role_ids),
                )


@rule(
    "P109",
    ERROR,
    "A session's roles are not roles",
    """
    The `roles` of a session (who takes part, for the role calendars) are ids of the
    programme's `roles`. Fix the id, or add the role to `roles`.
    """,
)
def session_roles_exist(context: Context) -> Iterator[Finding]:
    for programme, source in context.programmes():
        role_ids = [r.id for r in programme.roles]
        for p_index, phase in enumerate(programme.phases):
            for s_index, session in enumerate(phase.sessions):
                for r_index, role in enumerate(session.roles):
                    if role not in role_ids:
                        yield context.at(
                            source,
                            ("phases", p_index, "sessions", s_index, "roles", r_index),
                            f"role '{role}' is not a role of this programme"
                            + suggest(role, role_ids),
                        )


@rule(
    "P110",
    ERROR,
    "An activity hands out a handout that does not exist",
    """
    Every id in an activity's `handouts` is a handout in `curriculum/handouts/` (`ID.yml`).
    Fix the id (the message suggests a close one) or write the handout.
    """,
)
def handouts_exist(context: Context) -> Iterator[Finding]:
    handouts = context.curriculum.handouts
    for module, source in context.modules():
        for a_index, activity in enumerate(module.activities):
            for h_index, handout in enumerate(activity.handouts):
                if handout in handouts or context.broken("handout", handout):
                    continue
                yield context.at(
                    source,
                    ("activities", a_index, "handouts", h_index),
                    f"handout '{handout}' does not exist in curriculum/handouts/"
                    + suggest(handout, handouts),
                )

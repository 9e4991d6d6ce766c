"""P2xx: prerequisites form no loop, and a programme keeps them in order."""

from __future__ import annotations

from collections.abc import Iterator

from ..curriculum import Curriculum
from ..diagnostics import Severity
from ..model import ActivityItem, ModuleItem
from .context import Context
from .registry import Finding, rule

ERROR = Severity.ERROR


@rule(
    "P201",
    ERROR,
    "A module is its own prerequisite",
    """
    A module cannot come before itself. Remove its own id from its `prerequisites`.
    """,
)
def no_self_prerequisite(context: Context) -> Iterator[Finding]:
    for module, source in context.modules():
        for index, prerequisite in enumerate(module.prerequisites):
            if prerequisite == module.id:
                yield context.at(
                    source,
                    ("prerequisites", index),
                    f"module '{module.id}' lists itself as a prerequisite",
                )


@rule(
    "P202",
    ERROR,
    "Prerequisites form a cycle",
    """
    Module A needs B, and B (directly or through others) needs A: no order satisfies both.
    The message lists the loop; remove the prerequisite that is not really needed. Each
    loop is reported once, at one of its modules.
    """,
)
def no_prerequisite_cycles(context: Context) -> Iterator[Finding]:
    modules = context.curriculum.modules
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()
    found: list[Finding] = []

    def visit(module_id: str, path: list[str]) -> None:
        state[module_id] = 1
        for index, prerequisite in enumerate(modules[module_id].prerequisites):
            if prerequisite not in modules or prerequisite == module_id:
                continue
            if state.get(prerequisite) == 1:
                cycle = [*path[path.index(prerequisite) :], module_id, prerequisite]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    found.append(
                        context.at(
                            context.source("module", module_id),
                            ("prerequisites", index),
                            "prerequisites form a cycle: "
                            + " → ".join(cycle)
                            + "; remove one of these prerequisites",
                        )
                    )
            elif prerequisite not in state:
                visit(prerequisite, [*path, module_id])
        state[module_id] = 2

    for module_id in modules:
        if module_id not in state:
            visit(module_id, [])
    yield from found


def scheduled_module(item: object, curriculum: Curriculum) -> str | None:
    """The module an agenda item schedules, when the module (and activity) exist."""
    if isinstance(item, ModuleItem):
        return item.module if item.module in curriculum.modules else None
    if isinstance(item, ActivityItem):
        module = curriculum.modules.get(item.module_id)
        if module is not None and module.activity(item.activity_id) is not None:
            return module.id
    return None


@rule(
    "P203",
    ERROR,
    "A module is scheduled before its prerequisite",
    """
    When a programme schedules both a module and one of its prerequisites, the
    prerequisite comes first, in the order of phases, sessions and items. Move the module
    after the session that has its prerequisite, or move the prerequisite earlier.
    """,
)
def prerequisites_come_first(context: Context) -> Iterator[Finding]:
    curriculum = context.curriculum
    for programme, source in context.programmes():
        later = context.scheduled(programme)
        scheduled: set[str] = set()
        for p_index, phase in enumerate(programme.phases):
            for s_index, session in enumerate(phase.sessions):
                for i_index, item in enumerate(session.items):
                    module_id = scheduled_module(item, curriculum)
                    if module_id is None or module_id in scheduled:
                        continue
                    for prerequisite in curriculum.modules[module_id].prerequisites:
                        if (
                            prerequisite in scheduled
                            or prerequisite == module_id  # P201
                            or prerequisite not in later
                            or context.broken("module", prerequisite)  # reported in its file
                        ):
                            continue
                        yield context.at(
                            source,
                            ("phases", p_index, "sessions", s_index, "items", i_index),
                            f"module '{module_id}' is scheduled before its prerequisite "
                            f"'{prerequisite}'; move it after the session that has "
                            f"'{prerequisite}'",
                        )
                    scheduled.add(module_id)

"""P3xx: what sessions and activities hold, and whether it fits."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..model import ActivityType, format_duration
from ..schedule import item_minutes
from .context import Context
from .registry import Finding, rule


@rule(
    "P301",
    Severity.ERROR,
    "A session's agenda is longer than the session",
    """
    When a session states its `duration`, its items fit in it: modules count their
    `duration` (or the sum of their activities), activities and free items their
    `duration`, breaks their length. Shorten or remove items, or lengthen the session;
    leave `duration` out to let the session last as long as its items.
    """,
)
def agendas_fit(context: Context) -> Iterator[Finding]:
    curriculum = context.curriculum
    for programme, source in context.programmes():
        for p_index, phase in enumerate(programme.phases):
            for s_index, session in enumerate(phase.sessions):
                if session.duration is None:
                    continue
                total = sum(item_minutes(item, curriculum) for item in session.items)
                if total > session.duration:
                    yield context.at(
                        source,
                        ("phases", p_index, "sessions", s_index, "duration"),
                        f"the agenda of session '{session.id}' takes {format_duration(total)} "
                        f"but the session lasts {format_duration(session.duration)}; shorten "
                        "or remove items, or lengthen the session",
                    )


@rule(
    "P302",
    Severity.WARNING,
    "An outcome is not practised by any activity",
    """
    Each outcome of a module is practised by at least one of its activities, so that
    learners work towards it. List the outcome's id in the `outcomes` of an activity, or
    remove an outcome the module does not teach.
    """,
)
def outcomes_practised(context: Context) -> Iterator[Finding]:
    for module, source in context.modules():
        practised = {o for activity in module.activities for o in activity.outcomes}
        for index, outcome in enumerate(module.outcomes):
            if outcome.id not in practised:
                yield context.at(
                    source,
                    ("outcomes", index, "id"),
                    f"outcome '{outcome.id}' is not practised by any activity; "
                    "list it in an activity's outcomes",
                )


@rule(
    "P303",
    Severity.WARNING,
    "Questions in an activity that is not a self-check",
    """
    `questions`, each with an answer the reader opens, are how a self-check tests the
    learner; an exercise or discussion asks its questions as `prompts`, which get answer
    boxes in the site and write-in lines in the workbook. Set `type: self-check`, or
    move the questions to `prompts`.
    """,
)
def questions_in_self_checks(context: Context) -> Iterator[Finding]:
    for module, source in context.modules():
        for index, activity in enumerate(module.activities):
            if activity.questions and activity.type is not ActivityType.SELF_CHECK:
                yield context.at(
                    source,
                    ("activities", index, "questions"),
                    "questions are shown only in self-check activities; "
                    "set 'type: self-check' or move them to prompts",
                    key=True,
                )

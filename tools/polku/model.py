"""The curriculum format as pydantic models: the single source of the schema.

Every model forbids unknown keys; value types that authors write by hand
(durations, clock times, ids) have their own validators with messages that
say how to write the value correctly.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
import typing
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
ACTIVITY_REF_PATTERN = r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$"
DURATION_PATTERN = r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*min)?\s*$"
CLOCK_PATTERN = r"^([01]?\d|2[0-3]):([0-5]\d)$"

_ID_RE = re.compile(ID_PATTERN)
_ACTIVITY_REF_RE = re.compile(ACTIVITY_REF_PATTERN)
_DURATION_RE = re.compile(DURATION_PATTERN)
_CLOCK_RE = re.compile(CLOCK_PATTERN)


# --- value types -----------------------------------------------------------


def parse_duration(value: Any) -> int:
    """Return a duration in minutes from ``90min``, ``1h``, ``1h 30min`` or an integer."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration; write it as 90min, 1h, 1h 30min or minutes")
    if isinstance(value, int):
        minutes = value
    elif isinstance(value, str):
        match = _DURATION_RE.match(value)
        if not value.strip() or not match or not (match.group(1) or match.group(2)):
            raise ValueError(
                f"'{value}' is not a duration; "
                "write it as 90min, 1h, 1h 30min or a number of minutes"
            )
        minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    else:
        raise ValueError("a duration must be text like 90min, 1h, 1h 30min or a number of minutes")
    if minutes <= 0:
        raise ValueError("a duration must be longer than 0 minutes")
    if minutes > MAX_DURATION_MINUTES:
        raise ValueError(
            f"a duration must be at most {MAX_DURATION_MINUTES // 60}h; split the work into "
            "several sessions or modules"
        )
    return minutes


def format_duration(minutes: int) -> str:
    """Format minutes the way authors write them: ``1h 30min``."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h {rest}min"
    if hours:
        return f"{hours}h"
    return f"{rest}min"


def parse_clock(value: Any) -> dt.time:
    """Return a clock time from ``"09:00"``."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(
            f'{value} is not a clock time; write a 24-hour time in quotes, e.g. "09:00"'
        )
    if not isinstance(value, str) or not _CLOCK_RE.match(value.strip()):
        raise ValueError(
            f"'{value}' is not a clock time; write a 24-hour time in quotes, e.g. \"09:00\""
        )
    hours, minutes = value.strip().split(":")
    return dt.time(int(hours), int(minutes))


def check_id(value: Any) -> str:
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise ValueError(
            f"'{value}' is not a valid id; use lowercase letters a-z, digits and hyphens, "
            "starting with a letter or digit (for example 'active-listening')"
        )
    return value


def check_activity_ref(value: Any) -> str:
    if not isinstance(value, str) or not _ACTIVITY_REF_RE.match(value):
        raise ValueError(
            f"'{value}' is not an activity reference; write it as module-id/activity-id"
        )
    return value


# Programme days and dates stay within bounds that any calendar computes without
# overflowing (day 1000 is about four years of working days from the start).
MAX_DAY = 1000
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_DURATION_MINUTES = 1000 * 60


def not_a_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number such as 1 or -3, found '{str(value).lower()}'")
    return value


def check_day(value: int) -> int:
    if value == 0:
        raise ValueError(
            "day 0 does not exist: day 1 is the first day and day -1 the day before it"
        )
    if abs(value) > MAX_DAY:
        raise ValueError(
            f"day {value} is too far from the start; programme days run from -{MAX_DAY} "
            f"to {MAX_DAY}"
        )
    return value


def parse_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError("a date has no time of day; write it as YYYY-MM-DD, e.g. 2027-01-11")
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2027-01-11"
            ) from None
    if isinstance(value, dt.date) and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(
            f"the year {value.year} is out of range; write a date between {MIN_YEAR} and {MAX_YEAR}"
        )
    return value


Id = Annotated[
    str,
    BeforeValidator(check_id),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN}),
]
ActivityRef = Annotated[
    str,
    BeforeValidator(check_activity_ref),
    WithJsonSchema({"type": "string", "pattern": ACTIVITY_REF_PATTERN}),
]
Duration = Annotated[
    int,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "exclusiveMinimum": 0},
                {"type": "string", "pattern": DURATION_PATTERN},
            ],
            "description": "90min, 1h, 1h 30min, or minutes as an integer",
        }
    ),
]
ClockTime = Annotated[
    dt.time,
    BeforeValidator(parse_clock),
    WithJsonSchema({"type": "string", "pattern": CLOCK_PATTERN, "description": '"09:00"'}),
]
Day = Annotated[
    int,
    BeforeValidator(not_a_bool),
    AfterValidator(check_day),
    WithJsonSchema(
        {"type": "integer", "minimum": -MAX_DAY, "maximum": MAX_DAY, "not": {"const": 0}}
    ),
]
Date = Annotated[
    dt.date,
    BeforeValidator(parse_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]
Markdown = Annotated[str, WithJsonSchema({"type": "string", "contentMediaType": "text/markdown"})]
Language = Literal["fi", "sv", "en"]


class SessionKind(StrEnum):
    CONTACT = "contact"
    REMOTE = "remote"
    SELF_STUDY = "self-study"
    MENTORING = "mentoring"
    ASSIGNMENT = "assignment"


class ActivityType(StrEnum):
    EXERCISE = "exercise"
    REFLECTION = "reflection"
    READING = "reading"
    DISCUSSION = "discussion"
    SELF_CHECK = "self-check"


class Mode(StrEnum):
    SOLO = "solo"
    PAIRS = "pairs"
    GROUP = "group"
    PLENARY = "plenary"


class StrictModel(BaseModel):
    """Base for every model of the format: unknown keys are errors."""

    model_config = ConfigDict(
        extra="forbid",
        coerce_numbers_to_str=True,
        use_enum_values=False,
        populate_by_name=True,
    )


# --- modules ----------------------------------------------------------------


class Outcome(StrictModel):
    id: Id
    text: str


class Question(StrictModel):
    question: str
    answer: Markdown


class Activity(StrictModel):
    id: Id
    type: ActivityType
    title: str
    duration: Duration | None = None
    mode: Mode | None = None
    outcomes: list[Id] = Field(default_factory=list, description="ids of this module's outcomes")
    methods: list[Id] = Field(default_factory=list, description="method card ids")
    instructions: Markdown | None = None
    steps: list[str] = Field(default_factory=list)
    materials: list[str] = Field(default_factory=list)
    prompts: list[str] = Field(default_factory=list)
    answer_lines: int = Field(default=6, ge=1, le=40)
    questions: list[Question] = Field(default_factory=list)
    facilitator_notes: Markdown | None = None
    debrief: list[str] = Field(default_factory=list)
    handouts: list[Id] = Field(
        default_factory=list,
        description="ids of handouts (curriculum/handouts/<id>.yml) the activity hands out",
    )


class Module(StrictModel):
    id: Id
    title: str
    summary: str | None = None
    duration: Duration | None = None
    prerequisites: list[Id] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    body: Markdown | None = None
    activities: list[Activity] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        """The stated duration, or the sum of the activities' durations."""
        if self.duration is not None:
            return self.duration
        return sum(activity.duration or 0 for activity in self.activities)

    def activity(self, activity_id: str) -> Activity | None:
        return next((a for a in self.activities if a.id == activity_id), None)


# --- method cards and glossary -----------------------------------------------


class MethodStep(StrictModel):
    title: str
    description: str | None = None
    prompts: list[str] = Field(default_factory=list)


class Method(StrictModel):
    id: Id
    title: str
    summary: str | None = None
    when: str | None = None
    steps: list[MethodStep] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)


class Term(StrictModel):
    term: str
    definition: Markdown
    see: list[str] = Field(default_factory=list)


class Glossary(StrictModel):
    terms: list[Term] = Field(default_factory=list)


# What a handout's ``file`` may be: documents people open and print. Nothing a browser
# would run from the site (HTML, SVG, scripts).
HANDOUT_FILE_TYPES = (
    ".pdf",
    ".docx",
    ".odt",
    ".rtf",
    ".xlsx",
    ".ods",
    ".csv",
    ".pptx",
    ".odp",
    ".txt",
    ".png",
    ".jpg",
    ".jpeg",
)


class Handout(StrictModel):
    """Material a session hands out: a role-play script, cards, a template.

    Its content is Markdown (``body``, or a sibling ``<id>.md``) that polku prints, or a
    ready ``file`` under ``curriculum/assets/`` (a PDF, an office document) that it links.
    """

    id: Id
    title: str
    summary: str | None = Field(default=None, description="one sentence: what it is for")
    audience: Literal["participants", "facilitator"] = Field(
        default="participants", description="who gets a copy"
    )
    copies: str | None = Field(
        default=None, description="how many to print, plain text (e.g. 'one per pair')"
    )
    body: Markdown | None = None
    file: str | None = Field(
        default=None,
        description="a file under curriculum/assets/, relative to this file: ../assets/x.pdf",
    )


# --- programmes ---------------------------------------------------------------


class ModuleItem(StrictModel):
    module: Id


class ActivityItem(StrictModel):
    activity: ActivityRef

    @property
    def module_id(self) -> str:
        return self.activity.split("/", 1)[0]

    @property
    def activity_id(self) -> str:
        return self.activity.split("/", 1)[1]


class BreakItem(StrictModel):
    break_: Duration = Field(alias="break")


class FreeItem(StrictModel):
    title: str
    duration: Duration | None = None
    description: str | None = None


ITEM_TAGS = {
    "module": "ModuleItem",
    "activity": "ActivityItem",
    "break": "BreakItem",
    "title": "FreeItem",
}
ITEM_KEYS = tuple(ITEM_TAGS)


def item_kind(value: Any) -> str | None:
    """Tell which kind of agenda item a mapping is, by its one kind key."""
    if isinstance(value, BaseModel):
        return type(value).__name__
    if not isinstance(value, dict):
        return None
    present = [key for key in ITEM_KEYS if key in value]
    if len(present) != 1:
        return None
    return ITEM_TAGS[present[0]]


AgendaItem = Annotated[
    Annotated[ModuleItem, Tag("ModuleItem")]
    | Annotated[ActivityItem, Tag("ActivityItem")]
    | Annotated[BreakItem, Tag("BreakItem")]
    | Annotated[FreeItem, Tag("FreeItem")],
    Discriminator(
        item_kind,
        custom_error_type="agenda_item",
        custom_error_message=(
            "an agenda item has exactly one of the keys module, activity, break "
            "or title (a free item: title and duration)"
        ),
    ),
]


class Role(StrictModel):
    id: Id
    title: str
    description: str | None = None


class Session(StrictModel):
    id: Id
    title: str
    kind: SessionKind
    day: Day
    start: ClockTime | None = None
    duration: Duration | None = None
    facilitator: Id | None = Field(default=None, description="a role id")
    group_size: str | None = None
    location: str | None = None
    roles: list[Id] = Field(
        default_factory=list,
        description="role ids of who takes part (for the role calendars); default: every role",
    )
    outputs: list[str] = Field(default_factory=list)
    items: list[AgendaItem] = Field(default_factory=list)

    def concerns(self, role_id: str) -> bool:
        """Whether the session belongs in the calendar of ``role_id``."""
        return not self.roles or role_id in self.roles or role_id == self.facilitator


class Phase(StrictModel):
    id: Id
    title: str
    summary: str | None = None
    sessions: list[Session] = Field(default_factory=list)


class ChecklistTask(StrictModel):
    id: Id | None = Field(
        default=None, description="optional; keeps the task's calendar entry when it is reworded"
    )
    role: Id
    day: Day
    task: str


class Cohort(StrictModel):
    """One group of newcomers who go through the programme from their own start date."""

    id: Id
    title: str
    start_date: Date
    location: str | None = None
    facilitator: str | None = Field(
        default=None, description="who facilitates this cohort's sessions (a name, plain text)"
    )


class Programme(StrictModel):
    id: Id
    title: str
    language: Language = "fi"
    summary: str | None = None
    audience: str | None = None
    outcomes: list[str] = Field(default_factory=list)
    start_date: Date | None = None
    workdays_only: bool = True
    holidays: str = Field(default="FI", description="country code of the public holidays to skip")
    timezone: str = "Europe/Helsinki"
    cohorts: list[Cohort] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    phases: list[Phase] = Field(default_factory=list)
    checklist: list[ChecklistTask] = Field(default_factory=list)

    def sessions(self) -> list[tuple[Phase, Session]]:
        return [(phase, session) for phase in self.phases for session in phase.sessions]

    def role(self, role_id: str | None) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)


KIND_MODELS: dict[str, type[StrictModel]] = {
    "programme": Programme,
    "module": Module,
    "method": Method,
    "handout": Handout,
    "glossary": Glossary,
}


def fields_of(model: type[BaseModel]) -> Iterator[tuple[str, str, Any]]:
    """(key, attribute, type hint with its ``Annotated`` metadata) of every field of ``model``.

    The key is the one written in the files (``break``), the attribute the one of the
    model (``break_``).
    """
    hints = typing.get_type_hints(model, include_extras=True)
    for name, info in model.model_fields.items():
        yield info.alias or name, name, hints[name]


def _models_in(hint: Any) -> Iterator[type[BaseModel]]:
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        yield hint
    for argument in typing.get_args(hint):
        yield from _models_in(argument)


def _holds(hint: Any, alias: Any) -> bool:
    """Whether the type hint is ``alias`` or has it inside (``list[alias] | None``)."""
    return hint == alias or any(_holds(argument, alias) for argument in typing.get_args(hint))


def _is_list(hint: Any) -> bool:
    """Whether the type hint is a list (perhaps optional)."""
    if typing.get_origin(hint) is list:
        return True
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and any(
        _is_list(argument) for argument in typing.get_args(hint)
    )


# A path to values of a file: keys, and "*" for every item of a list.
FieldPath = tuple[str, ...]


@functools.cache
def markdown_paths(model: type[BaseModel]) -> tuple[tuple[FieldPath, FieldPath], ...]:
    """(keys, attributes) of every Markdown value that a file of ``model`` can hold.

    For a module: ``body``, ``activities/*/instructions``, ``activities/*/questions/*/answer``
    and so on, worked out from the models.
    """
    found: list[tuple[FieldPath, FieldPath]] = []
    for key, attribute, hint in fields_of(model):
        step = ("*",) if _is_list(hint) else ()
        if _holds(hint, Markdown):
            found.append(((key, *step), (attribute, *step)))
            continue
        for inner in dict.fromkeys(_models_in(hint)):
            for keys, attributes in markdown_paths(inner):
                found.append(((key, *step, *keys), (attribute, *step, *attributes)))
    return tuple(found)


@functools.cache
def markdown_fields() -> frozenset[str]:
    """The keys whose values are Markdown, in any kind of file."""
    return frozenset(
        keys[-1] for model in KIND_MODELS.values() for keys, _ in markdown_paths(model)
    )

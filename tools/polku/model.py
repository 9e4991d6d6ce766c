"""The curriculum format as pydantic models: the single source of the schema.

Every model forbids unknown keys; value types that authors write by hand
(durations, clock times, ids) have their own validators with messages that
say how to write the value correctly.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    Tag,
    WithJsonSchema,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
ACTIVITY_REF_PATTERN = r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$"
DURATION_PATTERN = r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*min)?\s*$"
CLOCK_PATTERN = r"^([01]?\d|2[0-3]):([0-5]\d)$"

_ID_RE = re.compile(ID_PATTERN)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
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
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)  # an id of digits only, which YAML reads as a number
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):  # not "a\n" either
        raise ValueError(
            f"{str(value)!r} is not a valid id; use lowercase letters a-z, digits and "
            "hyphens, starting with a letter or digit (for example 'active-listening')"
        )
    return value


def check_activity_ref(value: Any) -> str:
    if not isinstance(value, str) or not _ACTIVITY_REF_RE.fullmatch(value):
        raise ValueError(
            f"{str(value)!r} is not an activity reference; write it as module-id/activity-id"
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
            if not _DATE_RE.match(value.strip()):  # fromisoformat takes 20270111, 2027-W02-1
                raise ValueError
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
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": ID_PATTERN}, {"type": "integer", "minimum": 0}]}
    ),
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


def optional(description: str, **more: Any) -> Any:
    """A key that may be left out, absent by default."""
    return Field(default=None, description=description, **more)


def optional_list(description: str, **more: Any) -> Any:
    """A list that may be left out, empty by default."""
    return Field(default_factory=list, description=description, **more)


# --- modules ----------------------------------------------------------------


class Outcome(StrictModel):
    """A learning outcome of a module."""

    id: Id = Field(
        description="Names the outcome within its module; activities list it in `outcomes`.",
        examples=["kasitteet"],
    )
    text: str = Field(
        description="What the learner can do afterwards, as one sentence.",
        examples=["Erotat toisistaan neuvonnan, ohjauksen ja valmennuksen."],
    )


class Question(StrictModel):
    """A self-check question with its answer."""

    question: str = Field(description="The question, as the learner reads it.")
    answer: Markdown = Field(
        description="Hidden until the reader opens it on the site; at the back of the workbook."
    )


class Activity(StrictModel):
    """Something learners do in a module: an exercise, a reflection, a self-check …"""

    id: Id = Field(
        description="Unique within the module; a session schedules it as `module-id/activity-id`."
    )
    type: ActivityType = Field(description="What kind of activity it is.")
    title: str = Field(description="The activity's heading.")
    duration: Duration | None = optional("How long it takes; agendas and run sheets add it up.")
    mode: Mode | None = optional("How learners work.")
    outcomes: list[Id] = optional_list("Ids of the module's outcomes that the activity practises.")
    methods: list[Id] = optional_list(
        "Ids of the method cards it uses (`curriculum/methods/<id>.yml`)."
    )
    instructions: Markdown | None = optional("What the learner does.")
    steps: list[str] = optional_list("Numbered steps, in order.")
    materials: list[str] = optional_list("What to have at hand.")
    prompts: list[str] = optional_list(
        "Questions to reflect on or discuss; each gets an answer box in the site's "
        "journal and write-in lines in the workbook."
    )
    answer_lines: int = Field(
        default=6, ge=1, le=40, description="Write-in lines per prompt in the learner workbook."
    )
    questions: list[Question] = optional_list("Self-check questions (`type: self-check` only).")
    facilitator_notes: Markdown | None = optional(
        "For the facilitator only; never in a learner view."
    )
    debrief: list[str] = optional_list("Questions for the debrief; for the facilitator only.")
    handouts: list[Id] = optional_list(
        "Ids of the handouts (`curriculum/handouts/<id>.yml`) it hands out."
    )


class Module(StrictModel):
    """A unit of learning content: `curriculum/modules/<id>.yml`."""

    id: Id = Field(description="The file's name without `.yml`.", examples=["coaching-approach"])
    title: str = Field(description="The module's title.")
    summary: str | None = optional("One or two sentences.")
    duration: Duration | None = optional("How long it takes; default: the sum of its activities.")
    prerequisites: list[Id] = optional_list(
        "Ids of the modules to take first; a programme schedules them earlier."
    )
    tags: list[str] = optional_list("Words for the tags page.")
    outcomes: list[Outcome] = optional_list("What the learner can do after the module.")
    body: Markdown | None = optional(
        "The learning content; or write it in a sibling `<id>.md` (never both)."
    )
    activities: list[Activity] = optional_list("What learners do, in order.")
    sources: list[str] = optional_list("References, one per item.")

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
    """One step of a method."""

    title: str = Field(description="The step's name.", examples=["Goal – tavoite"])
    description: str | None = optional("What happens in the step.")
    prompts: list[str] = optional_list("Questions to ask in it.")


class Method(StrictModel):
    """A reusable method card: `curriculum/methods/<id>.yml`."""

    id: Id = Field(description="The file's name without `.yml`.", examples=["grow"])
    title: str = Field(description="The method's name.")
    summary: str | None = optional("One or two sentences.")
    when: str | None = optional("When to use the method.")
    steps: list[MethodStep] = optional_list("Its steps, in order.")
    tags: list[str] = optional_list("Words for the tags page.")
    sources: list[str] = optional_list("References, one per item.")


class Term(StrictModel):
    """A term of the glossary."""

    term: str = Field(description="The term as it appears in texts.", examples=["Valmennus"])
    definition: Markdown = Field(
        description="Shown on the glossary page, and on hover where the term appears."
    )
    see: list[str] = optional_list("Related terms of the glossary (capitals do not matter).")


class Glossary(StrictModel):
    """The glossary: `curriculum/glossary.yml`."""

    terms: list[Term] = optional_list("The terms, in any order.")


class Handout(StrictModel):
    """Material a session hands out: a role-play script, cards, a template.

    Its content is Markdown (``body``, or a sibling ``<id>.md``) that polku prints, or a
    ready ``file`` under ``curriculum/assets/`` (a PDF, an office document) that it links.
    """

    id: Id = Field(description="The file's name without `.yml`.", examples=["roolikortit"])
    title: str = Field(description="The handout's title.")
    summary: str | None = optional("One sentence: what it is for.")
    audience: Literal["participants", "facilitator"] = Field(
        default="participants", description="Who gets a copy."
    )
    copies: str | None = optional("How many to print.", examples=["one per pair"])
    body: Markdown | None = optional(
        "The text polku prints; or write it in a sibling `<id>.md`. "
        "Give a body or a `file`, not both."
    )
    file: str | None = optional(
        "A ready file under `curriculum/assets/`, as a path from this file: a PDF "
        "or an office document.",
        examples=["../assets/roolikortit.pdf"],
    )


# --- programmes ---------------------------------------------------------------


class ModuleItem(StrictModel):
    """An agenda item that schedules a whole module."""

    module: Id = Field(description="The module's id: all its activities, in order.")


class ActivityItem(StrictModel):
    """An agenda item that schedules one activity of a module."""

    activity: ActivityRef = Field(
        description="The module's id and the activity's id.", examples=["coaching-approach/listen"]
    )

    @property
    def module_id(self) -> str:
        return self.activity.split("/", 1)[0]

    @property
    def activity_id(self) -> str:
        return self.activity.split("/", 1)[1]


class BreakItem(StrictModel):
    """A break in the agenda."""

    break_: Duration = Field(alias="break", description="How long the break is.")


class FreeItem(StrictModel):
    """An agenda item of its own: a welcome, a round of questions."""

    title: str = Field(description="What happens.", examples=["Tervetuloa"])
    duration: Duration | None = optional("How long it takes.")
    description: str | None = optional("A few words more.")


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
    """Someone who takes part in a programme: the newcomer, the mentor, HR."""

    id: Id = Field(
        description="Names the role in sessions and checklists, and its calendar file.",
        examples=["mentor"],
    )
    title: str = Field(description="The role's name.", examples=["Mentori"])
    description: str | None = optional("A few words on the role.")


class Session(StrictModel):
    """One meeting, assignment or mentoring talk of a programme."""

    id: Id = Field(description="Unique within the programme, across its phases.")
    title: str = Field(description="The session's title.")
    kind: SessionKind = Field(description="What kind of session it is.")
    day: Day = Field(
        description="The programme day it falls on: 1 is the first day, -1 the day before it.",
        examples=[1, 5, -3],
    )
    start: ClockTime | None = optional("When it starts; with durations, gives the run sheet times.")
    duration: Duration | None = optional("How long it lasts; default: the sum of its items.")
    facilitator: Id | None = optional("The id of the role that runs it.")
    group_size: str | None = optional("How many take part.")
    location: str | None = optional("Where it takes place.")
    roles: list[Id] = optional_list(
        "Ids of the roles that take part, for the role calendars; default: every role."
    )
    outputs: list[str] = optional_list("What participants produce or take away.")
    items: list[AgendaItem] = optional_list("The agenda, in order.")

    def concerns(self, role_id: str) -> bool:
        """Whether the session belongs in the calendar of ``role_id``."""
        return not self.roles or role_id in self.roles or role_id == self.facilitator


class Phase(StrictModel):
    """A stage of a programme: a week, a period."""

    id: Id = Field(description="Unique within the programme.", examples=["week-1"])
    title: str = Field(description="The phase's title.", examples=["Viikko 1"])
    summary: str | None = optional("A few words on the phase.")
    sessions: list[Session] = optional_list("Its sessions, in order.")


class ChecklistTask(StrictModel):
    """An onboarding task: who does what, on which day."""

    id: Id | None = optional("Keeps the task's calendar entry when the task is reworded.")
    role: Id = Field(description="The id of the role that does it.")
    day: Day = Field(description="The programme day it is due.", examples=[-5, 1])
    task: str = Field(description="What to do.", examples=["Send the welcome message."])


class Cohort(StrictModel):
    """One group of newcomers who go through the programme from their own start date."""

    id: Id = Field(
        description="Unique within the programme; names the cohort's page and calendar.",
        examples=["spring"],
    )
    title: str = Field(description="The cohort's name.", examples=["Kevään ryhmä"])
    start_date: Date = Field(description="The cohort's day 1 (or the working day after it).")
    location: str | None = optional(
        "Where its contact and mentoring sessions that name no place meet."
    )
    facilitator: str | None = optional(
        "Who facilitates this cohort's sessions: a name, shown with the role."
    )


class Programme(StrictModel):
    """An onboarding programme or a workshop series: `curriculum/programmes/<id>.yml`."""

    id: Id = Field(
        description="The file's name without `.yml`.", examples=["omavalmentaja-perehdytys"]
    )
    title: str = Field(description="The programme's title.")
    language: Language = Field(
        default="fi",
        description="The site's language: labels, search and hyphenation. One per site.",
    )
    summary: str | None = optional("One paragraph on what the programme is and for whom.")
    audience: str | None = optional("Who the programme is for.")
    outcomes: list[str] = optional_list("What participants can do after the programme.")
    start_date: Date | None = optional("Gives every session a date: day 1 is this date.")
    workdays_only: StrictBool = Field(
        default=True,
        description="Day numbers count working days, skipping weekends and public holidays.",
    )
    holidays: str = Field(
        default="FI",
        description="Country code of the public holidays that are not working days.",
        examples=["FI", "SE"],
    )
    timezone: str = Field(
        default="Europe/Helsinki",
        description="IANA time zone of the clock times, for calendar files.",
        examples=["Europe/Helsinki"],
    )
    cohorts: list[Cohort] = optional_list(
        "Groups that go through the programme from their own date."
    )
    roles: list[Role] = optional_list("Everyone who takes part.")
    phases: list[Phase] = optional_list("The stages, in order.")
    checklist: list[ChecklistTask] = optional_list("Onboarding tasks of the roles.")

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

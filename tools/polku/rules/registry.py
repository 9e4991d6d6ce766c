"""The registry of cross-file rules: one small function per rule, each with a stable code.

A code is ``P`` and three digits. The first digit names the group of the rule, the
other two number the rules of the group in the order they were added; a code is
never reused for another rule, so that a ``# polku: allow`` directive or a search
for a code keeps meaning the same thing. ``docs/reference/checks.md`` is written
from this registry (``make reference``).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..diagnostics import Severity

if TYPE_CHECKING:
    from .context import Context

CODE_PATTERN = re.compile(r"P\d{3}")

# first digit of a code -> (group title, what its rules look at)
GROUPS: dict[str, tuple[str, str]] = {
    "0": ("Directives", "The `# polku: allow` comments that silence warnings."),
    "1": ("References", "An id that points at nothing: modules, activities, roles, handouts …"),
    "2": ("Order and prerequisites", "Prerequisites and the order in which modules come."),
    "3": ("Agendas, activities and lengths", "What sessions and activities hold, and how long."),
    "4": (
        "Dates, calendars and language",
        "Holidays, time zones, start dates, calendar files and the site's language.",
    ),
    "5": ("Glossary", "Terms and their cross-references."),
    "6": ("Assets, links and handouts", "Files that Markdown links to and handouts hand out."),
    "7": ("Ids", "Ids used twice, and ids that would take the place of a page polku writes."),
}


@dataclass(frozen=True)
class Finding:
    """One problem a rule found, located; the registry adds its code and severity."""

    path: str
    line: int
    column: int
    message: str


RuleCheck = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str  # one line
    explanation: str  # what the rule checks, why, and how to fix what it reports
    check: RuleCheck

    @property
    def group(self) -> str:
        return self.code[1]


RULES: dict[str, Rule] = {}


def rule(
    code: str, severity: Severity, title: str, explanation: str
) -> Callable[[RuleCheck], RuleCheck]:
    """Register the decorated function as the rule ``code``."""
    if not CODE_PATTERN.fullmatch(code) or code[1] not in GROUPS:
        raise ValueError(f"{code} is not a rule code of a known group")
    if code in RULES:
        raise ValueError(f"{code} is registered twice")

    def register(check: RuleCheck) -> RuleCheck:
        RULES[code] = Rule(code, severity, title, textwrap.dedent(explanation).strip(), check)
        return check

    return register


def rules_in_order() -> list[Rule]:
    return [RULES[code] for code in sorted(RULES)]

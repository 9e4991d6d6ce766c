"""Problems found in a curriculum, reported as ``PATH:LINE:COL: severity: message``."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem, located at a 1-based line and column of a file."""

    path: str
    line: int
    column: int
    severity: Severity
    message: str
    # the stable code of the rule that found the problem (P101 ...): see docs/reference/checks.md
    code: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity.value}: {self.message}"
        return f"{text} ({self.code})" if self.code else text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass
class Report:
    """Every diagnostic of one check run, kept in file order."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False, compare=False)

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    def error(
        self, path: str, line: int, column: int, message: str, code: str | None = None
    ) -> None:
        self.add(Diagnostic(path, line, column, Severity.ERROR, message, code))

    def warning(
        self, path: str, line: int, column: int, message: str, code: str | None = None
    ) -> None:
        self.add(Diagnostic(path, line, column, Severity.WARNING, message, code))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if not d.is_error]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.path, d.line, d.column))

    def lines(self) -> list[str]:
        """The report as the commands print it: every problem in file order, then the count."""
        return [*(str(diagnostic) for diagnostic in self.sorted()), self.summary()]

    def summary(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        if not errors and not warnings:
            return "polku: no problems found"
        parts = []
        if errors:
            parts.append(f"{errors} error{'s' if errors != 1 else ''}")
        if warnings:
            parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        return "polku: " + " and ".join(parts) + " found"


class CurriculumError(Exception):
    """Raised when a curriculum has errors; carries the full report."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report

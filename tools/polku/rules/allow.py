"""P0xx: ``# polku: allow P302 P406`` comments, which silence warnings in one file.

A curriculum file may hold comment lines that name warning codes; a warning with one of
those codes located in that file is not reported. In YAML the line is a comment
(``# polku: allow P302``), in a Markdown body an HTML comment
(``<!-- polku: allow P302 -->``). Errors are never silenced.

The fast YAML reader drops comments, so the directives are found by a plain look at
the text, and only in files that have a problem to report: a file without one is not
read again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..diagnostics import Severity
from .context import Context
from .registry import CODE_PATTERN, RULES, Finding, rule

DIRECTIVE = re.compile(
    r"^[ \t]*(?P<mark>#|<!--)[ \t]*polku:[ \t]*allow\b(?P<codes>.*)$", re.MULTILINE
)
_CODE = re.compile(r"[^\s,]+")
# far more than a curriculum file may hold (the reader refuses files over 500 kB)
MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Named:
    """One code named by a directive, where it is written."""

    path: str
    line: int
    column: int
    code: str


@dataclass(frozen=True)
class Directives:
    """The codes each file allows, and every code the directives name."""

    allowed: dict[str, frozenset[str]]  # path -> warning codes silenced in it
    named: list[Named]
    empty: list[Named]  # directives that name no code (code is "")

    def allows(self, path: str, code: str | None) -> bool:
        return code is not None and code in self.allowed.get(path, ())


def read_directives(context: Context, files: set[str]) -> Directives:
    allowed: dict[str, frozenset[str]] = {}
    named: list[Named] = []
    empty: list[Named] = []
    for path in sorted(files):
        data = _read(context, path)
        if data is None or b"polku:" not in data:
            continue
        text = data.decode("utf-8-sig", errors="replace")
        codes: set[str] = set()
        for match in DIRECTIVE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            line_start = text.rfind("\n", 0, match.start()) + 1
            written = match.group("codes")
            base = match.start("codes")
            if written.rstrip().endswith("-->"):
                written = written.rstrip()[:-3]
            found = list(_CODE.finditer(written))
            if not found:
                empty.append(Named(path, line, match.start("mark") - line_start + 1, ""))
            for code in found:
                column = base + code.start() - line_start + 1
                named.append(Named(path, line, column, code.group()))
                known = RULES.get(code.group())
                if known is not None and known.severity is Severity.WARNING:
                    codes.add(code.group())
        allowed[path] = frozenset(codes)
    return Directives(allowed, named, empty)


def _read(context: Context, path: str) -> bytes | None:
    """The bytes of a regular file inside the curriculum; None for anything else.

    The files come from the problems found, which include pipes, devices, folders and
    links that lead outside: those are reported, never read.
    """
    curriculum = context.curriculum
    try:
        resolved = (curriculum.root / path).resolve()
        if not resolved.is_relative_to(curriculum.curriculum_dir) or not resolved.is_file():
            return None
        with resolved.open("rb") as handle:
            return handle.read(MAX_BYTES)
    except (OSError, ValueError, RuntimeError):
        return None


def directives(context: Context) -> Directives:
    """The directives of the files with a problem to report, read once per check."""
    return context.memo("directives", lambda c: read_directives(c, c.reported_files))


@rule(
    "P001",
    Severity.WARNING,
    "An allow directive names an unknown code",
    """
    `# polku: allow` is followed by the codes of the warnings to silence in that file,
    separated by spaces: `# polku: allow P302 P406`. A code that no rule has (a typo, or
    a directive with no code) silences nothing. Fix the code; the codes are listed on
    this page.
    """,
)
def directives_name_known_codes(context: Context) -> Iterator[Finding]:
    found = directives(context)
    for named in found.empty:
        yield Finding(
            named.path,
            named.line,
            named.column,
            "'polku: allow' names no code; write the codes of the warnings to silence, "
            "such as '# polku: allow P302'",
        )
    for named in found.named:
        if named.code not in RULES:
            hint = "" if CODE_PATTERN.fullmatch(named.code) else " (codes are P and three digits)"
            yield Finding(
                named.path,
                named.line,
                named.column,
                f"'{named.code}' is not the code of a check{hint}; see the list of checks "
                "for the code of the warning to silence",
            )


@rule(
    "P002",
    Severity.WARNING,
    "An allow directive names an error",
    """
    Only warnings can be silenced: an error stops the build because the output would be
    wrong. Remove the error's code from the directive and fix the problem it reports.
    """,
)
def directives_name_warnings(context: Context) -> Iterator[Finding]:
    for named in directives(context).named:
        known = RULES.get(named.code)
        if known is not None and known.severity is Severity.ERROR:
            yield Finding(
                named.path,
                named.line,
                named.column,
                f"{named.code} is an error, and errors cannot be silenced; remove it from "
                "the directive and fix the problem",
            )

"""Parse one curriculum file's YAML 1.2 text into plain data and positions.

The fast reader takes the ordinary files; the rest are checked against the
limits and read by the round-trip reader, which reports what is wrong.
"""

from __future__ import annotations

import re
from typing import Any

from ..curriculum import Loc, SourceMap
from ..diagnostics import Report
from .fast_yaml import read_plain
from .limits import LoadLimitError
from .prescan import check_limits
from .roundtrip import read_roundtrip
from .text import BAD_CHARACTER, bad_character, character_name, shorten

# ``plain`` not given: the fast reader has not looked at the text yet
NOT_READ: Any = object()

_DIRECTIVE = re.compile(r"^%YAML[ \t]+(\S+)", re.MULTILINE)


def parse_yaml(
    text: str,
    rel: str,
    report: Report,
    *,
    characters_checked: bool = False,
    plain: tuple[Any, SourceMap] | None = NOT_READ,
) -> tuple[Any, SourceMap] | None:
    """Parse YAML 1.2 text; report syntax errors with their position.

    ``characters_checked``: ``read_text`` has refused control characters already.
    ``plain``: what the fast reader made of the text already (None: it declined).
    """
    problem = None if characters_checked else bad_character(text)
    if problem is not None:
        report.error(rel, *problem)
        return None
    if not _is_yaml_12(text, rel, report):
        return None
    parsed = read_plain(text, rel) if plain is NOT_READ else plain
    if parsed is None:  # out of the ordinary: the limits first, then the round-trip reader
        try:
            check_limits(text)
        except LoadLimitError as exc:
            report.error(rel, *exc.position, str(exc))
            return None
        parsed = read_roundtrip(text, rel, report)
    if parsed is None:
        return None
    # the text has no control characters (checked above), so only an escape in a
    # double-quoted value can put one in
    problems = _bad_strings(*parsed) if "\\" in text else []
    for line, column, message in problems:
        report.error(rel, line, column, message)
    return None if problems else parsed


def _is_yaml_12(text: str, rel: str, report: Report) -> bool:
    """False (reported) when a ``%YAML`` directive names another version."""
    directive = _DIRECTIVE.search(text)
    if directive is None or directive.group(1) == "1.2":
        return True
    line = text.count("\n", 0, directive.start()) + 1
    report.error(
        rel,
        line,
        1,
        f"polku reads YAML 1.2, not {shorten(directive.group(1))}; "
        f"remove the line '{shorten(directive.group(0))}'",
    )
    return False


def _bad_strings(data: Any, source: SourceMap) -> list[tuple[int, int, str]]:
    """Control characters and lone surrogates that YAML escapes ("\\0", "\\ud800") put in."""
    found: list[tuple[int, int, str]] = []
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack and len(found) < 10:
        loc, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if BAD_CHARACTER.search(key):
                    found.append((*source.key((*loc, key)), _escape_message(key)))
                stack.append(((*loc, key), item))
        elif isinstance(value, list):
            stack.extend(((*loc, index), item) for index, item in enumerate(value))
        elif isinstance(value, str) and BAD_CHARACTER.search(value):
            found.append((*source.value(loc), _escape_message(value)))
    return sorted(found)


def _escape_message(text: str) -> str:
    match = BAD_CHARACTER.search(text)
    assert match is not None
    char = match.group()
    what = (
        f"the escape for {character_name(char)}, which is not a character"
        if "\ud800" <= char <= "\udfff"
        else f"the control character {character_name(char)}"
    )
    return f"this text contains {what}; remove the escape ('\\' code) from the quoted text"

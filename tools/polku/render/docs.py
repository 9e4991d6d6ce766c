"""Markers in hand-written pages that polku fills in: the list of programmes."""

from __future__ import annotations

import re
from typing import Protocol

PROGRAMMES_MARKER = "<!-- polku:programmes -->"
_FENCE = re.compile(r"^\s{0,3}(```+|~~~+)")


class ProgrammeLister(Protocol):
    def programme_list(self, page: str) -> str: ...


def expand_markers(markdown: str, page: str, site: ProgrammeLister) -> str:
    """Replace each marker that stands alone on its line, outside code blocks.

    A marker written inside backticks or a fenced code block documents the marker
    and stays as it is.
    """
    if PROGRAMMES_MARKER not in markdown:
        return markdown
    lines = markdown.split("\n")
    fence: str | None = None
    listing: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if match is not None:
            marker = match.group(1)
            if fence is None:
                fence = marker
            elif marker.startswith(fence[0]) and len(marker) >= len(fence):
                fence = None
            continue
        if fence is None and line.strip() == PROGRAMMES_MARKER:
            if listing is None:
                listing = site.programme_list(page)
            lines[index] = "\n" + listing + "\n"
    return "\n".join(lines)

"""Refuse alias bombs, deep nesting, huge values and tags before a file is read.

libyaml's event parser (C, through PyYAML) streams the file without building
anything. The expanded size of every anchor is counted, so an alias bomb is
refused as soon as it would pass the limit, in milliseconds and without using
more memory than the file itself.
"""

from __future__ import annotations

from typing import Any

import yaml as pyyaml

from .limits import (
    MAX_ANCHOR_CHARS,
    MAX_DEPTH,
    MAX_NODES,
    MAX_SCALAR_CHARS,
    LoadLimitError,
    long_anchor,
    too_deep,
    too_long,
    too_many_values,
)
from .text import shorten
from .yaml_base import CORE_TAGS, LIBYAML, refused_tag_message, shown_tag


def check_limits(text: str) -> None:
    """Raise LoadLimitError at the first value past a limit.

    A syntax error ends the check: the readers report it, with the limits of
    what came before already checked.
    """
    if LIBYAML is None:
        return
    scan = _Scan()
    try:
        for event in pyyaml.parse(text, Loader=LIBYAML):
            scan.event(event)
    except pyyaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None and "maximum nesting depth" in str(getattr(exc, "problem", "")):
            raise too_deep((mark.line + 1, mark.column + 1)) from None


class _Scan:
    """The running count of values (aliases expanded) and the open containers."""

    def __init__(self) -> None:
        self.total = 0
        self.sizes: dict[str, int] = {}  # anchor -> values it expands to
        self.stack: list[tuple[str | None, int]] = []  # open containers: (anchor, count at start)

    def event(self, event: Any) -> None:
        kind = type(event)
        _check_tag_and_anchor(event, kind)
        if kind is pyyaml.ScalarEvent:
            self.scalar(event)
        elif kind is pyyaml.MappingStartEvent or kind is pyyaml.SequenceStartEvent:
            self.total += 1
            self.stack.append((event.anchor, self.total))
            if len(self.stack) > MAX_DEPTH:
                raise too_deep(_mark(event))
        elif kind is pyyaml.MappingEndEvent or kind is pyyaml.SequenceEndEvent:
            anchor, start = self.stack.pop()
            if anchor is not None:
                self.sizes[anchor] = self.total - start + 1
        elif kind is pyyaml.AliasEvent:
            self.total += self.sizes.get(event.anchor, 1)
        else:
            return
        if self.total > MAX_NODES:
            raise too_many_values(_mark(event))

    def scalar(self, event: Any) -> None:
        self.total += 1
        if len(event.value) > MAX_SCALAR_CHARS:
            raise too_long(len(event.value), _mark(event))
        if event.anchor is not None:
            self.sizes[event.anchor] = 1


def _check_tag_and_anchor(event: Any, kind: type) -> None:
    tag = getattr(event, "tag", None)
    if tag is not None and tag not in CORE_TAGS and kind is not pyyaml.DocumentStartEvent:
        raise LoadLimitError(refused_tag_message(shorten(shown_tag(tag))), _mark(event))
    if len(getattr(event, "anchor", None) or "") > MAX_ANCHOR_CHARS:
        raise long_anchor(_mark(event))


def _mark(event: Any) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)

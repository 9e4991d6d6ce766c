"""The round-trip reader (ruamel.yaml, YAML 1.2): every file the fast reader declines.

It is pure Python and slow, but it reads everything YAML allows and says where
a problem is; its nodes become plain data and a SourceMap of every key and value.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..curriculum import Loc, Position, SourceMap
from ..diagnostics import Report
from .limits import MAX_DEPTH, MAX_NODES, LoadLimitError, too_deep, too_many_values
from .text import shorten
from .yaml_base import key_text, plain_scalar, ruamel_yaml
from .yaml_messages import yaml_message

_TOO_DEEP = "values are nested too deeply to read; flatten the structure"


def read_roundtrip(text: str, rel: str, report: Report) -> tuple[Any, SourceMap] | None:
    """Data and positions of ``text``; None when it has a problem (reported)."""
    source = SourceMap(rel)
    try:
        document = ruamel_yaml().load(text)
    except MarkedYAMLError as exc:
        report.error(rel, *error_position(exc, text), yaml_message(exc))
        return None
    except RecursionError:
        report.error(rel, 1, 1, _TOO_DEEP)
        return None
    except (YAMLError, ValueError, TypeError, AssertionError, LookupError) as exc:
        # the YAML library gave up without a position (a malformed directive, an escape
        # it cannot decode): still a problem of this file, not a crash
        report.error(
            rel,
            1,
            1,
            f"cannot read this file as YAML ({shorten(str(exc), 120)}); "
            "check its syntax against the format reference",
        )
        return None
    try:
        data = Converter(source).convert(document, (), (1, 1))
    except LoadLimitError as exc:
        report.error(rel, *exc.position, str(exc))
        return None
    except RecursionError:
        report.error(rel, 1, 1, _TOO_DEEP)
        return None
    return data, source


def error_position(exc: MarkedYAMLError, text: str) -> Position:
    """Where the author should look: the opening of an unclosed quote or bracket, the
    start of a second document, or the mark the library gives."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or ""
    if exc.context_mark and ("end of stream" in problem or "<stream end>" in problem):
        mark = exc.context_mark  # an unclosed quote or bracket: where it was opened
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "single document" in f"{exc.context} {problem}":
        # the '---' or '...' line that starts the second document
        lines = text.splitlines()
        for number in range(min(line, len(lines)), 0, -1):
            if lines[number - 1].startswith(("---", "...")):
                return number, 1
    return line, column


class Converter:
    """Turn ruamel's round-trip nodes into plain data and record positions."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.nodes = 0

    def convert(self, node: Any, loc: Loc, position: Position, depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise too_many_values(position)
        if depth > MAX_DEPTH:
            raise too_deep(position)
        self.source.values.setdefault(loc, position)
        if isinstance(node, CommentedMap):
            return self._mapping(node, loc, position, depth)
        if isinstance(node, CommentedSeq):
            return self._sequence(node, loc, position, depth)
        if isinstance(node, dict):  # merged or plain containers without positions
            return {
                key_text(k): self.convert(v, (*loc, key_text(k)), position, depth + 1)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [self.convert(v, (*loc, i), position, depth + 1) for i, v in enumerate(node)]
        return plain_scalar(node)

    def _mapping(self, node: CommentedMap, loc: Loc, position: Position, depth: int) -> Any:
        result: dict[str, Any] = {}
        for key in node:
            name = key if isinstance(key, str) else key_text(key)
            known = key in node.lc.data
            key_pos = _pos(node.lc.key(key)) if known else position
            value_pos = _pos(node.lc.value(key)) if known else position
            if node[key] is None and value_pos[0] > key_pos[0]:
                # left empty: the library gives where the next thing starts, a line (or
                # the end of the file) further on; the author looks at the key
                value_pos = key_pos
            self.source.keys.setdefault((*loc, name), key_pos)
            result[name] = self.convert(node[key], (*loc, name), value_pos, depth + 1)
        return result

    def _sequence(self, node: CommentedSeq, loc: Loc, position: Position, depth: int) -> Any:
        items = []
        for index, item in enumerate(node):
            item_pos = _pos(node.lc.item(index)) if index in node.lc.data else position
            items.append(self.convert(item, (*loc, index), item_pos, depth + 1))
        return items


def _pos(pair: Any) -> Position:
    line, column = pair[0], pair[1]
    return (line + 1, column + 1)

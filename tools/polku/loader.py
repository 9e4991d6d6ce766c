"""Read curriculum YAML files (YAML 1.2) into models, keeping every node's position.

The loader refuses what would hurt a build machine (huge files, alias bombs,
deep nesting) and turns every YAML and schema problem into a located
diagnostic instead of an exception.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import hashlib
import marshal
import os
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any, get_args, get_origin

import ruamel.yaml
import yaml as pyyaml
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode

from . import parallel
from .curriculum import Curriculum, Loc, SourceMap
from .diagnostics import Report
from .model import KIND_MODELS, Glossary, Method, Module, Programme

# Limits that no real curriculum file comes near (the largest has about 1,500 values,
# nested 8 deep, in 32 kB) but that keep a hostile or broken file from tying up a build
# machine: every file is checked against them in milliseconds, before it is read.
MAX_FILE_BYTES = 500_000
MAX_NODES = 20_000
MAX_DEPTH = 32
MAX_SCALAR_CHARS = 100_000
MAX_NUMBER_CHARS = 20
MAX_ANCHOR_CHARS = 100

KIND_DIRS = {"programme": "programmes", "module": "modules", "method": "methods"}


class LoadLimitError(Exception):
    """A file is too large, too deep or expands to too many nodes."""

    def __init__(self, message: str, position: tuple[int, int] = (1, 1)) -> None:
        super().__init__(message)
        self.position = position


class RefusedError(MarkedYAMLError):
    """YAML that is well-formed but not allowed in a curriculum file (tags, merge keys)."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(problem=message, problem_mark=mark)


_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)


def _shown_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag


class _Constructor(RoundTripConstructor):
    """Round-trip constructor for plain data only.

    Dates stay text: the model parses them itself, so an impossible date such as
    2027-02-30 becomes a located error instead of an exception inside the YAML
    library. Tags other than the core ones (``!!python/object``, ``!!binary``,
    ``!!set``, ``!custom``) and merge keys are refused, and so are numbers too
    long to be meant as numbers.
    """

    def construct_non_recursive_object(self, node: Any, tag: Any = None) -> Any:
        name = str(tag if tag is not None else node.tag)
        if name not in _CORE_TAGS:
            raise RefusedError(
                node.start_mark,
                f"the tag '{_shown_tag(name)}' is not allowed in a curriculum file; remove it "
                "(write plain text, numbers, lists and 'key: value' lines)",
            )
        return super().construct_non_recursive_object(node, tag)

    def flatten_mapping(self, node: Any) -> Any:
        for key_node, _value in node.value:
            if str(key_node.tag) == "tag:yaml.org,2002:merge":
                raise RefusedError(
                    key_node.start_mark,
                    "merge keys ('<<') are not part of YAML 1.2; write the keys out in full",
                )
        return super().flatten_mapping(node)

    def construct_yaml_int(self, node: Any) -> Any:
        text = str(node.value)
        if len(text.replace("_", "")) > MAX_NUMBER_CHARS:
            raise RefusedError(
                node.start_mark,
                f"the number {_shorten(text)} is too long; write a smaller number, "
                "or put the value in quotes if it is text",
            )
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


def _shorten(text: str, limit: int = 40) -> str:
    """``text`` on one line, cut to ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    return yaml


# --- reading text --------------------------------------------------------------


def read_text(path: Path, rel: str, report: Report) -> str | None:
    """Read a UTF-8 file (a BOM is fine); report size, type and encoding problems."""
    try:
        if not path.is_file():  # follows symbolic links; a folder, pipe or device is refused
            report.error(rel, 1, 1, _not_a_file(path))
            return None
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            size = max(path.stat().st_size, len(data))
            report.error(
                rel,
                1,
                1,
                f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}; "
                "split it into smaller files",
            )
            return None
    except OSError as exc:
        report.error(
            rel,
            1,
            1,
            f"cannot read the file ({exc.strerror or exc}); "
            "check that it exists and that you may read it",
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        report.error(
            rel,
            line,
            column,
            f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8 text",
        )
        return None
    problem = _bad_character(text, data)
    if problem is not None:
        report.error(rel, *problem)
        return None
    return text


def _not_a_file(path: Path) -> str:
    if path.is_symlink() and not path.exists():
        return "a broken symbolic link; remove it or point it at a file"
    if path.is_dir():
        return (
            f"'{path.name}' is a folder, not a file; rename the folder so that its name "
            f"does not end in '{path.suffix}'"
        )
    return "not a regular file (a pipe or a device); replace it with a text file"


# Characters that YAML 1.2 does not allow in a file (C0 and C1 controls but tab, line
# feed, carriage return and next line; surrogates; U+FFFE and U+FFFF). Authors get
# them by pasting from other programs, and they would end up in the published pages.
_BAD_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)


def _character_name(char: str) -> str:
    import unicodedata

    names = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x0c": "FORM FEED"}
    name = names.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


# Bytes whose UTF-8 text cannot hold a _BAD_CHARACTER: no C0 control byte, no lead
# byte of U+0080-U+00BF (C1 controls) and none of U+FFFE/U+FFFF; strict decoding
# refuses surrogates. Deleting the allowed bytes is ten times faster than the search.
_ALLOWED_BYTES = bytes(sorted({*range(32, 127), 9, 10, 13, *range(128, 256)} - {0xC2}))


def _bad_character(text: str, data: bytes | None = None) -> tuple[int, int, str] | None:
    """Line, column and message of the first character a curriculum file must not hold.

    ``data``: the UTF-8 bytes ``text`` was decoded from, for a quick first look.
    """
    if data is not None and not data.translate(None, _ALLOWED_BYTES) and b"\xef\xbf" not in data:
        return None
    match = _BAD_CHARACTER.search(text)
    if match is None:
        return None
    start = match.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return (
        line,
        column,
        f"the control character {_character_name(match.group())} is not allowed here; "
        "delete it (it often comes with text copied from another program)",
    )


def _check_limits(text: str) -> None:
    """Refuse alias bombs, deep nesting and huge values before the file is read.

    libyaml's event parser (C, through PyYAML) streams the file without building
    anything; the expanded size of every anchor is counted, so an alias bomb is
    refused as soon as it would pass the limit. A syntax error ends the check:
    the readers report it, with the limits of what came before already checked.
    """
    if _LIBYAML is None:
        return
    total = 0
    sizes: dict[str, int] = {}
    stack: list[tuple[str | None, int]] = []
    try:
        for event in pyyaml.parse(text, Loader=_LIBYAML):
            kind = type(event)
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in _CORE_TAGS and kind is not pyyaml.DocumentStartEvent:
                raise LoadLimitError(
                    f"the tag '{_shorten(_shown_tag(tag))}' is not allowed in a curriculum file; "
                    "remove it (write plain text, numbers, lists and 'key: value' lines)",
                    _mark(event),
                )
            if len(getattr(event, "anchor", None) or "") > MAX_ANCHOR_CHARS:
                raise LoadLimitError(
                    f"this anchor name is over {MAX_ANCHOR_CHARS} characters long; "
                    "use a short name",
                    _mark(event),
                )
            if kind is pyyaml.ScalarEvent:
                total += 1
                if len(event.value) > MAX_SCALAR_CHARS:
                    raise LoadLimitError(
                        f"this value is {len(event.value):,} characters long, over the limit "
                        f"of {MAX_SCALAR_CHARS:,}; split the text (a long module body goes in "
                        "a sibling .md file, and very long texts into several modules)",
                        _mark(event),
                    )
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif kind is pyyaml.MappingStartEvent or kind is pyyaml.SequenceStartEvent:
                total += 1
                stack.append((event.anchor, total))
                if len(stack) > MAX_DEPTH:
                    raise LoadLimitError(
                        f"values are nested more than {MAX_DEPTH} levels deep; "
                        "flatten the structure",
                        _mark(event),
                    )
            elif kind is pyyaml.MappingEndEvent or kind is pyyaml.SequenceEndEvent:
                anchor, start = stack.pop()
                if anchor is not None:
                    sizes[anchor] = total - start + 1
            elif kind is pyyaml.AliasEvent:
                total += sizes.get(event.anchor, 1)
            else:
                continue
            if total > MAX_NODES:
                raise LoadLimitError(
                    f"the file expands to more than {MAX_NODES:,} values (aliases or a huge "
                    "list); write the content out plainly and split it into smaller files",
                    _mark(event),
                )
    except pyyaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None and "maximum nesting depth" in str(getattr(exc, "problem", "")):
            raise LoadLimitError(
                f"values are nested more than {MAX_DEPTH} levels deep; flatten the structure",
                (mark.line + 1, mark.column + 1),
            ) from None


def _mark(event: Any) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


_DIRECTIVE = re.compile(r"^%YAML[ \t]+(\S+)", re.MULTILINE)


# --- YAML to plain data with positions -------------------------------------------


def _plain_scalar(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dt.datetime):
        return dt.datetime(*value.timetuple()[:6])
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return value


class _Converter:
    """Turn ruamel's round-trip nodes into plain data and record positions."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.nodes = 0

    def convert(self, node: Any, loc: Loc, position: tuple[int, int], depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise LoadLimitError(
                f"the file expands to more than {MAX_NODES:,} values (aliases or a huge list); "
                "write the content out plainly and split it into smaller files",
                position,
            )
        if depth > MAX_DEPTH:
            raise LoadLimitError(
                f"values are nested more than {MAX_DEPTH} levels deep; flatten the structure",
                position,
            )
        self.source.values.setdefault(loc, position)
        if isinstance(node, CommentedMap):
            result: dict[str, Any] = {}
            for key in node:
                name = key if isinstance(key, str) else _key_text(key)
                key_pos = _pos(node.lc.key(key)) if key in node.lc.data else position
                value_pos = _pos(node.lc.value(key)) if key in node.lc.data else position
                self.source.keys.setdefault((*loc, name), key_pos)
                result[name] = self.convert(node[key], (*loc, name), value_pos, depth + 1)
            return result
        if isinstance(node, CommentedSeq):
            items = []
            for index, item in enumerate(node):
                item_pos = _pos(node.lc.item(index)) if index in node.lc.data else position
                items.append(self.convert(item, (*loc, index), item_pos, depth + 1))
            return items
        if isinstance(node, (dict, list)):  # merged or plain containers without positions
            if isinstance(node, dict):
                return {
                    _key_text(k): self.convert(v, (*loc, _key_text(k)), position, depth + 1)
                    for k, v in node.items()
                }
            return [self.convert(v, (*loc, i), position, depth + 1) for i, v in enumerate(node)]
        return _plain_scalar(node)


def _key_text(key: Any) -> str:
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (dict, list, tuple, set)) or hasattr(key, "keys"):
        return "{…}" if hasattr(key, "keys") else "[…]"  # a key that is itself a collection
    return str(key)


def _pos(pair: Any) -> tuple[int, int]:
    line, column = pair[0], pair[1]
    return (line + 1, column + 1)


# --- the fast reader ------------------------------------------------------------------
#
# ruamel's round-trip reader is pure Python and reads about 0.2 MB of YAML a second,
# which is most of the time of checking a large curriculum. Plain, well-formed files
# are read with libyaml's event parser (through PyYAML's C binding) instead: the events
# carry every node's line and column, and each plain scalar is resolved and constructed
# by ruamel with the YAML 1.2 rules, so the data and positions are the same. Anything
# out of the ordinary (a syntax error, a duplicate key, tags, anchors and aliases,
# directives, several documents, tabs, YAML 1.1 line breaks, a file over the limits) is
# left to the round-trip reader, which gives the located messages.

_LIBYAML: Any = getattr(pyyaml, "CSafeLoader", None) if pyyaml.__with_libyaml__ else None
_ODD_CHARACTERS = ("\t", "\x85", "\u2028", "\u2029")
_BLOCK_HEADER = re.compile(r"^[|>](?:[1-9][-+]?|[-+][1-9]?)?(?: +(?:#.*)?)?$")


class _Declined(Exception):
    """The fast reader leaves this file to the round-trip reader."""


class _PlainScalars:
    """ruamel's YAML 1.2 rules for plain scalars, shared by every file the fast reader reads."""

    def __init__(self) -> None:
        self._ruamel: YAML | None = None
        self._first: frozenset[str] | None = None
        self._rules: dict[Any, tuple[Any, ...]] | None = None  # first character -> matchers

    @property
    def ruamel(self) -> YAML:
        if self._ruamel is None:
            self._ruamel = _yaml()
        return self._ruamel

    @property
    def first_characters(self) -> frozenset[str]:
        """Characters that can start a value the rules read as other than text."""
        if self._first is None:
            table = self.ruamel.resolver.versioned_resolver
            # rules under None apply to every value: then no character can be skipped
            self._first = _ANY_CHARACTER if table.get(None) else frozenset(k for k in table if k)
        return self._first

    def construct(self, value: str) -> Any:
        if self._rules is None:
            table = self.ruamel.resolver.versioned_resolver
            every = [regexp.match for _tag, regexp in table.get(None, ())]
            self._rules = {
                first: tuple([*(regexp.match for _tag, regexp in rules), *every])
                for first, rules in table.items()
            }
            self._rules[None] = tuple(every)
        rules = self._rules.get(value[0]) or self._rules[None]
        if not any(match(value) for match in rules):
            return value  # the common case, decided without the resolver's overhead
        tag = self.ruamel.resolver.resolve(ScalarNode, value, (True, False))
        if tag == "tag:yaml.org,2002:str":
            return value
        constructor = self.ruamel.constructor
        constructed = constructor.construct_object(ScalarNode(tag, value), deep=True)
        constructor.constructed_objects.clear()
        return _plain_scalar(constructed)


class _AnyCharacter(frozenset[str]):
    def __contains__(self, item: object) -> bool:
        return True


_ANY_CHARACTER = _AnyCharacter()
_scalars = _PlainScalars()


class _FastReader:
    """Plain data and positions from libyaml events; raises _Declined when unsure."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.nodes = 0
        self.text = ""
        self.anchors: dict[str, tuple[Any, Loc]] = {}  # name -> (data, where it stands)
        self.aliases = 0

    def _scalar(self, event: Any) -> Any:
        if event.tag is not None:
            raise _Declined
        if len(event.value) > MAX_SCALAR_CHARS:
            raise _Declined  # the limits check says so, with the position
        if not event.implicit[0]:  # quoted or block: always text
            if (
                event.style in ("'", '"')
                and self.text[event.end_mark.index : event.end_mark.index + 1] == ":"
            ):
                raise _Declined  # "key":value, which only some readers take
            if event.style in ("|", ">"):
                # a block that opens with a blank line: the readers' indentation rules differ
                raw = self.text[event.start_mark.index : event.end_mark.index].split("\n", 2)
                if not _BLOCK_HEADER.match(raw[0]) or (len(raw) > 1 and not raw[1].strip()):
                    raise _Declined
            return event.value
        value = event.value
        if not value:  # an empty value: its position is the round-trip reader's to say
            raise _Declined
        if value[0] not in _scalars.first_characters:
            return value  # no YAML 1.2 rule for numbers, booleans or null starts so: text
        return _scalars.construct(value)

    def _enter(self, loc: Loc, position: tuple[int, int], depth: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise _Declined
        self.source.values.setdefault(loc, position)

    def _alias(self, anchor: str, loc: Loc, depth: int, stack: list[list[Any]]) -> Any:
        """A copy of the anchored value for an alias at ``loc``.

        The round-trip reader shares one node between the anchor and its aliases, so
        every value under an alias has the position of the value it repeats; its
        expanded size counts against the limits like any other value.
        """
        self.aliases += 1
        anchored = self.anchors.get(anchor)
        if anchored is None or self.aliases > 100:
            raise _Declined  # an undefined alias, or a file the limits check should see
        node, origin = anchored
        if any(entry[0] is node for entry in stack):
            raise _Declined  # an alias inside the value it names
        keys, values = self.source.keys, self.source.values
        size = len(origin)
        copied_values = [(at, where) for at, where in values.items() if at[:size] == origin]
        copied_keys = [(at, where) for at, where in keys.items() if at[:size] == origin]
        self.nodes += len(copied_values)
        deepest = max(len(at) for at, _where in copied_values) - size
        if self.nodes > MAX_NODES or depth + deepest > MAX_DEPTH:
            raise _Declined
        for at, where in copied_values:
            values.setdefault((*loc, *at[size:]), where)
        for at, where in copied_keys:
            if len(at) > size:
                keys.setdefault((*loc, *at[size:]), where)
        return copy.deepcopy(node)

    def read(self, text: str, events: list[Any] | None = None) -> Any:
        """The data of ``text``; ``events`` are its libyaml events when already parsed."""
        if _LIBYAML is None or any(char in text for char in _ODD_CHARACTERS):
            raise _Declined
        self.text = text
        if events is None:
            try:
                events = list(pyyaml.parse(text, Loader=_LIBYAML))
            except pyyaml.YAMLError:
                raise _Declined from None
        keys, values = self.source.keys, self.source.values
        root: Any = None
        documents = 0
        # open containers: [result, loc, depth, pending key name or None, key position,
        #                   keys as values (true and 1 are the same key)]
        stack: list[list[Any]] = []
        for event in events:
            kind = type(event)
            if (
                kind is pyyaml.ScalarEvent
                or kind is pyyaml.MappingStartEvent
                or (kind is pyyaml.SequenceStartEvent)
            ):
                mark = event.start_mark
                position = (mark.line + 1, mark.column + 1)
                if not stack:
                    loc: Loc = ()
                    depth = 0
                    position = (1, 1)
                else:
                    parent = stack[-1]
                    container = parent[0]
                    depth = parent[2] + 1
                    if isinstance(container, dict):
                        if parent[3] is None:  # a key
                            if kind is not pyyaml.ScalarEvent or event.anchor is not None:
                                raise _Declined
                            if event.value == "<<" and event.implicit[0]:
                                raise _Declined  # a merge key: the round-trip reader refuses it
                            value = self._scalar(event)
                            name = value if isinstance(value, str) else _key_text(value)
                            if name in container or value in parent[5]:
                                raise _Declined
                            parent[5].add(value)
                            parent[3], parent[4] = name, position
                            continue
                        name = parent[3]
                        loc = (*parent[1], name)
                        keys.setdefault(loc, parent[4])
                    else:
                        loc = (*parent[1], len(container))
                if event.tag is not None or len(event.anchor or "") > MAX_ANCHOR_CHARS:
                    raise _Declined
                self._enter(loc, position, depth)
                if kind is pyyaml.ScalarEvent:
                    node: Any = self._scalar(event)
                else:
                    node = {} if kind is pyyaml.MappingStartEvent else []
                if event.anchor is not None:
                    self.anchors[event.anchor] = (node, loc)
                if stack:
                    _attach(stack[-1], node)
                else:
                    root = node
                if kind is not pyyaml.ScalarEvent:
                    stack.append([node, loc, depth, None, None, set()])
            elif kind is pyyaml.AliasEvent:
                if not stack:
                    raise _Declined
                parent = stack[-1]
                if isinstance(parent[0], dict):
                    if parent[3] is None:  # an alias as a key
                        raise _Declined
                    loc = (*parent[1], parent[3])
                    keys.setdefault(loc, parent[4])
                else:
                    loc = (*parent[1], len(parent[0]))
                _attach(parent, self._alias(event.anchor, loc, parent[2] + 1, stack))
            elif kind is pyyaml.MappingEndEvent or kind is pyyaml.SequenceEndEvent:
                stack.pop()
            elif kind is pyyaml.DocumentStartEvent:
                documents += 1
                if documents > 1 or event.version is not None or event.tags:
                    raise _Declined
            elif kind is pyyaml.DocumentEndEvent and event.explicit:
                raise _Declined
        if documents == 0:
            values.setdefault((), (1, 1))
            self.nodes += 1
        return root


def _attach(parent: list[Any], node: Any) -> None:
    """Put ``node`` into the open container ``parent`` (under its pending key)."""
    if isinstance(parent[0], dict):
        parent[0][parent[3]] = node
        parent[3] = None
    else:
        parent[0].append(node)


_NOT_READ: Any = object()


def parse_yaml(
    text: str,
    rel: str,
    report: Report,
    *,
    characters_checked: bool = False,
    plain: tuple[Any, SourceMap] | None = _NOT_READ,
) -> tuple[Any, SourceMap] | None:
    """Parse YAML 1.2 text; report syntax errors with their position.

    ``characters_checked``: ``read_text`` has refused control characters already.
    ``plain``: what the fast reader made of the text already (None: it declined).
    """
    problem = None if characters_checked else _bad_character(text)
    if problem is not None:
        report.error(rel, *problem)
        return None
    directive = _DIRECTIVE.search(text)
    if directive is not None and directive.group(1) != "1.2":
        line = text.count("\n", 0, directive.start()) + 1
        report.error(
            rel,
            line,
            1,
            f"polku reads YAML 1.2, not {_shorten(directive.group(1))}; "
            f"remove the line '{_shorten(directive.group(0))}'",
        )
        return None
    parsed = _read_plain(text, rel) if plain is _NOT_READ else plain
    if parsed is None:  # out of the ordinary: the limits first, then the round-trip reader
        try:
            _check_limits(text)
        except LoadLimitError as exc:
            report.error(rel, *exc.position, str(exc))
            return None
        parsed = _read(text, rel, report)
    if parsed is None:
        return None
    # the text has no control characters (checked above), so only an escape in a
    # double-quoted value can put one in
    problems = _bad_strings(parsed[0], parsed[1]) if "\\" in text else []
    for line, column, message in problems:
        report.error(rel, line, column, message)
    return None if problems else parsed


def _bad_strings(data: Any, source: SourceMap) -> list[tuple[int, int, str]]:
    """Control characters and lone surrogates that YAML escapes ("\\0", "\\ud800") put in."""
    found: list[tuple[int, int, str]] = []
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack and len(found) < 10:
        loc, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if _BAD_CHARACTER.search(key):
                    found.append((*source.key((*loc, key)), _escape_message(key)))
                stack.append(((*loc, key), item))
        elif isinstance(value, list):
            stack.extend(((*loc, index), item) for index, item in enumerate(value))
        elif isinstance(value, str) and _BAD_CHARACTER.search(value):
            found.append((*source.value(loc), _escape_message(value)))
    return sorted(found)


def _escape_message(text: str) -> str:
    match = _BAD_CHARACTER.search(text)
    assert match is not None
    char = match.group()
    what = (
        f"the escape for {_character_name(char)}, which is not a character"
        if "\ud800" <= char <= "\udfff"
        else f"the control character {_character_name(char)}"
    )
    return f"this text contains {what}; remove the escape ('\\' code) from the quoted text"


def _read_plain(text: str, rel: str) -> tuple[Any, SourceMap] | None:
    """The fast reader's data and positions, or None when it leaves the file to ruamel."""
    if _LIBYAML is None:
        return None
    # a file within the limits has at most two events a value (plus the stream's and
    # the document's); past that, stop collecting and let the limits check report
    most = 2 * MAX_NODES + 4
    events: list[Any] = []
    try:
        for event in pyyaml.parse(text, Loader=_LIBYAML):
            events.append(event)
            if len(events) > most:
                return None
    except pyyaml.YAMLError:
        return None  # the round-trip reader says where and what
    source = SourceMap(rel)
    try:
        return _FastReader(source).read(text, events), source
    except (_Declined, MarkedYAMLError, LoadLimitError):
        return None  # refused values too: the round-trip reader reports them


def _read(text: str, rel: str, report: Report) -> tuple[Any, SourceMap] | None:
    """The round-trip reader: every file the fast reader declines, with located errors."""
    source = SourceMap(rel)
    try:
        document = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or ""
        if exc.context_mark and ("end of stream" in problem or "<stream end>" in problem):
            # an unclosed quote or bracket: point where it was opened
            mark = exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "single document" in f"{exc.context} {problem}":
            # point at the '---' or '...' line that starts the second document
            lines = text.splitlines()
            for number in range(min(line, len(lines)), 0, -1):
                if lines[number - 1].startswith(("---", "...")):
                    line, column = number, 1
                    break
        report.error(rel, line, column, _yaml_message(exc))
        return None
    except RecursionError:
        report.error(rel, 1, 1, "values are nested too deeply to read; flatten the structure")
        return None
    except (YAMLError, ValueError, TypeError, AssertionError, LookupError) as exc:
        # the YAML library gave up without a position (a malformed directive, an escape
        # it cannot decode): still a problem of this file, not a crash
        report.error(
            rel,
            1,
            1,
            f"cannot read this file as YAML ({_shorten(str(exc), 120)}); "
            "check its syntax against the format reference",
        )
        return None
    try:
        data = _Converter(source).convert(document, (), (1, 1))
    except LoadLimitError as exc:
        report.error(rel, *exc.position, str(exc))
        return None
    except RecursionError:
        report.error(rel, 1, 1, "values are nested too deeply to read; flatten the structure")
        return None
    return data, source


def _yaml_message(exc: MarkedYAMLError) -> str:
    return " ".join(_explain(exc).split())  # always one line


def _explain(exc: MarkedYAMLError) -> str:
    """A message that says what is wrong in the author's terms and how to fix it."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if isinstance(exc, RefusedError):
        return problem
    if "found duplicate key" in problem or type(exc).__name__ == "DuplicateKeyError":
        key = problem.split('"')[1] if '"' in problem else ""
        return f"key '{key}' is given twice in this mapping; keep one of them"
    if "\\t" in problem or "tab" in problem.lower():
        return "a tab character cannot indent YAML; indent with spaces"
    if "quoted scalar" in context and "end of stream" in problem:
        return "this quoted text is not closed; add the closing quote"
    if "flow sequence" in context or "flow mapping" in context:
        opener, closer = ("[", "]") if "sequence" in context else ("{", "}")
        opened = exc.context_mark
        where = f" at line {opened.line + 1}, column {opened.column + 1}" if opened else ""
        return (
            f"the '{opener}' opened{where} is not closed where expected; add the '{closer}', "
            "and put an item that contains ',', ':' or '#' in quotes"
        )
    if "end of stream" in problem:
        return f"YAML syntax error: {context or problem}; close the quote or bracket that is open"
    if "mapping values are not allowed" in problem:
        return (
            "YAML syntax error: a ':' where it is not allowed; check the indentation, "
            "or quote a text that contains ': '"
        )
    if "expected <block end>" in problem or "expected the node content" in problem:
        return (
            "this line is indented differently from the lines before it; indent it like "
            "the other keys or items of the same level (with spaces)"
        )
    if "could not find expected ':'" in problem:
        return (
            "a line here is not 'key: value'; add the ':' after the key, or indent the line "
            "if it continues the text above"
        )
    if "single document" in f"{context} {problem}" or "<document start>" in problem:
        return (
            "a curriculum file holds one YAML document; remove the '---' or '...' line and "
            "what follows it, or move that into a file of its own"
        )
    if "found undefined alias" in problem:
        return (
            f"YAML syntax error: {problem}; an alias '*name' needs an anchor '&name' "
            "earlier in the file, or write the value out"
        )
    if "cannot start any token" in problem:
        return f"YAML syntax error: {problem}; put this value in quotes"
    message = "; ".join(part for part in (context, problem) if part)
    return f"YAML syntax error: {message}; check the quotes, brackets and indentation of this line"


# --- schema validation -------------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional from a type annotation."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
            return [_unwrap(a) for a in args]
        return annotation


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the key at the end of ``loc``."""
    current: Any = root
    for segment in loc[:-1]:
        current = _unwrap(current)
        if isinstance(current, list):  # a union: pick the member named by the tag
            current = next((m for m in current if getattr(m, "__name__", "") == segment), None)
            if current is None:
                return None
            continue
        if get_origin(current) is list and isinstance(segment, int):
            current = get_args(current)[0]
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = _field(current, segment)
            if field is None:
                return None
            current = (
                field.annotation
                if not field.metadata
                else typing.Annotated[field.annotation, *field.metadata]
            )
            continue
        return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _field(model: type[BaseModel], name: Any) -> Any:
    for field_name, field in model.model_fields.items():
        if name in (field_name, field.alias):
            return field
    return None


def _keys(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def _data_loc(data: Any, loc: Loc) -> Loc:
    """The part of a pydantic error location that exists in the data (drops union tags)."""
    result: list[str | int] = []
    current = data
    for segment in loc:
        if (isinstance(current, dict) and segment in current) or (
            isinstance(current, list) and isinstance(segment, int) and segment < len(current)
        ):
            result.append(segment)
            current = current[segment]
    return tuple(result)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {_shorten(str(value))}"
    return f"'{_shorten(str(value))}'"


def _message(error: dict[str, Any], data: Any, root: type[BaseModel]) -> tuple[Loc, bool, str]:
    """Return (data location, point at the key?, message) for one pydantic error."""
    loc = tuple(error["loc"])
    kind = error["type"]
    data_loc = _data_loc(data, loc)
    value = error.get("input")
    key = next((seg for seg in reversed(data_loc) if isinstance(seg, str)), None)
    label = f"{key}: " if key else ""
    if kind == "extra_forbidden" and loc[-1] == "<<":
        return data_loc, True, "merge keys ('<<') are not part of YAML 1.2; write the keys out"
    if kind == "extra_forbidden":
        name = _shorten(str(loc[-1]))
        model = _model_at(root, loc)
        allowed = _keys(model) if model else []
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = (
            f"; did you mean '{close[0]}'?"
            if close
            else (f"; allowed keys: {', '.join(allowed)}" if allowed else "")
        )
        return data_loc, True, f"unknown key '{name}'{hint}"
    if kind == "missing":
        name = str(loc[-1])
        model = _model_at(root, loc)
        where = f" in this {_human(model)}" if model else ""
        if model is root:
            where = f" in this {_human(root)} file"
        return data_loc, False, f"missing required key '{name}'{where}; add '{name}: ...'"
    if kind == "agenda_item":
        return data_loc, False, error["msg"]
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        return data_loc, False, f"{label}{message}"
    if kind == "enum" or kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        options = [o for o in options if o]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return (
            data_loc,
            False,
            (f"{label}{_describe(value)} is not allowed; use one of {', '.join(options)}{hint}"),
        )
    if kind in ("string_type",):
        hint = "; a text that contains ': ' must be in quotes" if isinstance(value, dict) else ""
        return data_loc, False, f"{label}expected text, found {_describe(value)}{hint}"
    if kind in ("list_type",):
        return (
            data_loc,
            False,
            (f"{label}expected a list, found {_describe(value)}; write one '- item' per line"),
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (
            data_loc,
            False,
            (f"{label}expected a mapping of 'key: value' lines, found {_describe(value)}"),
        )
    if kind in ("int_type", "int_parsing", "int_from_float", "finite_number"):
        return data_loc, False, f"{label}expected a whole number, found {_describe(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return data_loc, False, f"{label}expected true or false, found {_describe(value)}"
    if kind.startswith("date"):
        return (
            data_loc,
            False,
            (f"{label}{_describe(value)} is not a date; write it as YYYY-MM-DD, e.g. 2027-01-11"),
        )
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return data_loc, False, f"{label}{error['msg'].lower()}, found {_describe(value)}"
    return data_loc, False, f"{label}{error['msg']}"


def validate_schema(
    data: Any, model: type[BaseModel], source: SourceMap, report: Report
) -> BaseModel | None:
    """Validate plain data against a model; report each error at its key or value."""
    if data is None:
        report.error(
            source.path,
            1,
            1,
            f"the file is empty; a {_human(model)} file needs at least "
            + ", ".join(f"'{k}'" for k in _required(model)),
        )
        return None
    if not isinstance(data, dict):
        report.error(
            source.path,
            1,
            1,
            f"expected a mapping of 'key: value' lines at the top of the file, "
            f"found {_describe(data)}",
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            data_loc, at_key, message = _message(error, data, model)
            line, column = source.key(data_loc) if at_key else source.value(data_loc)
            report.error(source.path, line, column, message)
        return None


def _human(model: type[BaseModel]) -> str:
    """'MethodStep' -> 'method step'."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()


def _required(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items() if f.is_required()]


# --- the whole curriculum ------------------------------------------------------------


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


class ParseCache:
    """Parsed files (data and positions) by content hash, in ``<project>/.cache/polku/``.

    Authors check after every few edits, and a large curriculum spends most of a
    check reading YAML; a file whose text is unchanged is taken from here instead.
    Only files that were read without a problem are kept, so every problem is
    found and reported afresh. The cache is one file, written again only when
    something changed and holding only the files of the last check; its entries
    are plain data (``marshal`` of dicts, lists, tuples, text and numbers: reading
    it never runs code). A cache that cannot be read is ignored, and removing it
    is always safe.
    """

    FORMAT = "3"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._salt: bytes | None = None
        self._stored: dict[str, Any] | None = None
        self._kept: dict[str, Any] = {}  # what the next cache file holds
        self._changed = False

    def key(self, text: str) -> str:
        """The cache key of a file's text: its hash, salted with the reader's versions."""
        if self._salt is None:
            from . import __version__

            versions = (self.FORMAT, __version__, sys.version, pyyaml.__version__)
            self._salt = "\n".join((*versions, ruamel.yaml.__version__)).encode() + b"\n"
        return hashlib.sha256(self._salt + text.encode("utf-8", "surrogatepass")).hexdigest()

    def _entries(self) -> dict[str, Any]:
        if self._stored is None:
            try:
                stored = marshal.loads(self.path.read_bytes())
            except (OSError, ValueError, EOFError, TypeError):
                stored = None
            self._stored = stored if isinstance(stored, dict) else {}
        return self._stored

    def get(self, key: str, rel: str) -> tuple[Any, SourceMap] | None:
        entry = self._entries().get(key)
        try:
            data, keys, values = entry  # type: ignore[misc]
        except (TypeError, ValueError):
            return None
        if not (isinstance(keys, dict) and isinstance(values, dict)):
            return None
        self._kept[key] = entry
        return data, SourceMap(rel, keys, values)

    def put(self, key: str, parsed: tuple[Any, SourceMap]) -> None:
        data, source = parsed
        self._kept[key] = (data, source.keys, source.values)
        self._changed = True

    def save(self) -> None:
        """Write the entries of this check, when they differ from the stored ones."""
        if not (self._changed or len(self._kept) != len(self._entries())):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(marshal.dumps(self._kept))
            os.replace(temporary, self.path)  # a reader never sees half a cache
        except (OSError, ValueError):
            pass  # not writable (or not plain data): the next check reads the files


def _plain_entry(item: tuple[str, str]) -> tuple[Any, dict[Loc, Any], dict[Loc, Any]] | None:
    """The fast reader's result for (text, rel) as plain data, for ``parallel.map_plain``."""
    parsed = _read_plain(*item)
    if parsed is None:
        return None
    data, source = parsed
    return data, source.keys, source.values


# below this many files to read a second process costs more than it saves
PARALLEL_MIN_FILES = 100


def load_files(
    files: list[tuple[Path, str]], root: Path, report: Report, cache: ParseCache | None = None
) -> list[tuple[BaseModel, SourceMap] | None]:
    """Load each (path, kind); None for a file with problems (reported).

    Every text is read first, so the files that are neither in the parse cache nor
    out of the ordinary can be read by the fast reader in several processes at once.
    """
    rels = [relative(path, root) for path, _kind in files]
    texts: list[str | None] = []
    for (path, kind), rel in zip(files, rels, strict=True):
        text = read_text(path, rel, report)
        if text is not None and not text.strip() and kind == "glossary":
            text = "terms: []"
        texts.append(text)
    keys = [cache.key(text) if cache is not None and text is not None else "" for text in texts]
    cached = [
        cache.get(key, rel) if cache is not None and text is not None else None
        for key, rel, text in zip(keys, rels, texts, strict=True)
    ]
    unread = [i for i, text in enumerate(texts) if text is not None and cached[i] is None]
    entries = parallel.map_plain(
        _plain_entry,
        [(texts[index], rels[index]) for index in unread],
        min_share=PARALLEL_MIN_FILES,
    )
    plain: list[tuple[Any, SourceMap] | None] = [_NOT_READ] * len(files)
    for index, entry in zip(unread, entries, strict=True):
        plain[index] = None if entry is None else (entry[0], SourceMap(rels[index], *entry[1:]))
    loaded: list[tuple[BaseModel, SourceMap] | None] = []
    for index, ((path, kind), rel, text) in enumerate(zip(files, rels, texts, strict=True)):
        parsed = cached[index]
        if parsed is None and text is not None:
            parsed = parse_yaml(text, rel, report, characters_checked=True, plain=plain[index])
            if parsed is not None and cache is not None:
                cache.put(keys[index], parsed)
        loaded.append(_model(path, kind, parsed, report))
    return loaded


def _model(
    path: Path, kind: str, parsed: tuple[Any, SourceMap] | None, report: Report
) -> tuple[BaseModel, SourceMap] | None:
    if parsed is None:
        return None
    data, source = parsed
    model = validate_schema(data, KIND_MODELS[kind], source, report)
    if model is None:
        return None
    ident = getattr(model, "id", None)
    if ident is not None and ident != path.stem:
        line, column = source.value(("id",))
        report.error(
            source.path,
            line,
            column,
            f"id '{ident}' does not match the file name '{path.name}'; "
            f"rename the file to '{ident}.yml' or set 'id: {path.stem}'",
        )
        return None
    return model, source


def load(
    root: Path, report: Report, curriculum_dir: str = "curriculum", *, cache: bool = True
) -> Curriculum:
    """Load every file under ``curriculum/``; problems go to ``report``."""
    root = root.resolve()
    base = (root / curriculum_dir).resolve()
    curriculum = Curriculum(root=root, curriculum_dir=base)
    parsed = ParseCache(root / ".cache" / "polku" / "parsed.marshal") if cache else None
    if not base.is_dir():
        report.error(
            curriculum_dir,
            1,
            1,
            f"no '{curriculum_dir}/' folder here; run 'polku init' or pass --root",
        )
        return curriculum
    files: list[tuple[Path, str]] = []  # (path, kind) of every file to load, in order
    inside: dict[Path, bool] = {}  # whether the file's folder is inside curriculum/
    for kind, folder in KIND_DIRS.items():
        directory = base / folder
        if not directory.is_dir():
            continue
        names = sorted(
            p.name
            for p in directory.iterdir()
            if not p.name.startswith(".")  # editor files
        )
        for name in list(names):
            shown = _printable(name)
            if shown != name:  # control characters or bytes that are not UTF-8
                names.remove(name)
                report.error(
                    f"{relative(directory, root)}/{shown}",
                    1,
                    1,
                    "the file name has a control character or bytes that are not UTF-8; "
                    "rename the file (ids use the letters a-z, digits and hyphens)",
                )
                continue
            stem, dot, suffix = name.rpartition(".")
            if dot and suffix.lower() in ("yml", "yaml") and suffix != "yml":
                report.error(
                    relative(directory / name, root),
                    1,
                    1,
                    f"curriculum files end in .yml; rename it to '{stem}.yml'",
                )
            elif (
                kind == "module"
                and dot
                and suffix == "md"
                and f"{stem}.yml" not in names
                and stem != "index"
            ):
                report.warning(
                    relative(directory / name, root),
                    1,
                    1,
                    f"no module '{stem}.yml' beside this body file, so it is not published; "
                    f"create '{stem}.yml' or move the text into the module it belongs to",
                )
        folder_inside = directory.resolve().is_relative_to(base)
        for path in (directory / name for name in names if name.endswith(".yml")):
            if _leaves(path, base, folder_inside):
                report.error(relative(path, root), 1, 1, _outside_message(path.resolve()))
                curriculum.broken.add((kind, path.stem))
            else:
                files.append((path, kind))
                inside[path] = folder_inside
    glossary_path = base / "glossary.yml"
    if glossary_path.exists() and not glossary_path.resolve().is_relative_to(base):
        report.error(relative(glossary_path, root), 1, 1, _outside_message(glossary_path.resolve()))
    elif glossary_path.exists() or glossary_path.is_symlink():
        files.append((glossary_path, "glossary"))
    for (path, kind), loaded in zip(files, load_files(files, root, report, parsed), strict=True):
        if loaded is None:
            if kind != "glossary":
                curriculum.broken.add((kind, path.stem))
            continue
        model, source = loaded
        if isinstance(model, Glossary):
            curriculum.glossary = model
            curriculum.sources[("glossary", "glossary")] = source
            continue
        ident = model.id  # type: ignore[attr-defined]
        curriculum.sources[(kind, ident)] = source
        if isinstance(model, Programme):
            curriculum.programmes[ident] = model
        elif isinstance(model, Module):
            _attach_body(model, path, source, root, curriculum, report, inside[path])
            curriculum.modules[ident] = model
        elif isinstance(model, Method):
            curriculum.methods[ident] = model
    if parsed is not None:
        parsed.save()
    return curriculum


def _attach_body(
    module: Module,
    path: Path,
    source: SourceMap,
    root: Path,
    curriculum: Curriculum,
    report: Report,
    folder_inside: bool = False,
) -> None:
    body_path = path.with_suffix(".md")
    if not (body_path.exists() or body_path.is_symlink()):
        return  # a pipe, a folder or a broken link is reported by read_text below
    rel = relative(body_path, root)
    if _leaves(body_path, curriculum.curriculum_dir, folder_inside):
        report.error(rel, 1, 1, _outside_message(body_path.resolve()))
        return
    if module.body is not None:
        line, column = source.key(("body",))
        report.error(
            source.path,
            line,
            column,
            f"the body is given twice: here and in '{body_path.name}'; keep one of them",
        )
        return
    text = read_text(body_path, rel, report)
    if text is None:
        return
    module.body = text
    curriculum.body_files[("module", module.id)] = rel


def _leaves(path: Path, base: Path, folder_inside: bool) -> bool:
    """True when ``path`` is, or links to, a file outside ``base``.

    A file that is not a symbolic link, in a folder known to be inside, is inside:
    that saves resolving every path of a large curriculum.
    """
    if folder_inside and not path.is_symlink():
        return False
    return path.exists() and not path.resolve().is_relative_to(base)


def _printable(name: str) -> str:
    """A file name as it can be printed on one terminal line, escapes for the rest."""
    raw = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in raw
    )


def _outside_message(target: Path) -> str:
    return (
        f"a symbolic link to '{target}', outside curriculum/; polku publishes only files "
        "inside curriculum/, so copy the file here instead of linking to it"
    )

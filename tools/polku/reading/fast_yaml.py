"""The fast reader: plain, well-formed files read from libyaml's events.

ruamel's round-trip reader is pure Python and reads about 0.2 MB of YAML a second,
which is most of the time of checking a large curriculum. Plain, well-formed files
are read with libyaml's event parser (through PyYAML's C binding) instead: the events
carry every node's line and column, and each plain scalar is resolved and constructed
by ruamel with the YAML 1.2 rules, so the data and positions are the same. Anything
out of the ordinary (a syntax error, a duplicate key, tags, anchors and aliases,
directives, several documents, tabs, YAML 1.1 line breaks, a file over the limits) is
declined and left to the round-trip reader, which gives the located messages.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import ScalarNode

from ..curriculum import Loc, Position, SourceMap
from .limits import MAX_ANCHOR_CHARS, MAX_DEPTH, MAX_NODES, MAX_SCALAR_CHARS, LoadLimitError
from .yaml_base import LIBYAML, key_text, plain_scalar, ruamel_yaml

_ODD_CHARACTERS = ("\t", "\x85", "\u2028", "\u2029")
_BLOCK_HEADER = re.compile(r"^[|>](?:[1-9][-+]?|[-+][1-9]?)?(?: +(?:#.*)?)?$")
_MAX_ALIASES = 100  # past this, the limits check should see the file

_Scalar = pyyaml.ScalarEvent
_MappingStart = pyyaml.MappingStartEvent
_SequenceStart = pyyaml.SequenceStartEvent
_MappingEnd = pyyaml.MappingEndEvent
_SequenceEnd = pyyaml.SequenceEndEvent


class Declined(Exception):
    """The fast reader leaves this file to the round-trip reader."""


def read_plain(text: str, rel: str) -> tuple[Any, SourceMap] | None:
    """The fast reader's data and positions, or None when it leaves the file to ruamel."""
    if LIBYAML is None:
        return None
    # a file within the limits has at most two events a value (plus the stream's and
    # the document's); past that, stop collecting and let the limits check report
    most = 2 * MAX_NODES + 4
    events: list[Any] = []
    try:
        for event in pyyaml.parse(text, Loader=LIBYAML):
            events.append(event)
            if len(events) > most:
                return None
    except pyyaml.YAMLError:
        return None  # the round-trip reader says where and what
    source = SourceMap(rel)
    try:
        return FastReader(source).read(text, events), source
    except (Declined, MarkedYAMLError, LoadLimitError):
        return None  # refused values too: the round-trip reader reports them


def _parsed(text: str) -> list[Any]:
    try:
        return list(pyyaml.parse(text, Loader=LIBYAML))
    except pyyaml.YAMLError:
        raise Declined from None


class _PlainScalars:
    """ruamel's YAML 1.2 rules for plain scalars, shared by every file the fast reader reads."""

    def __init__(self) -> None:
        self._ruamel: YAML | None = None
        self._first: frozenset[str] | None = None
        self._rules: dict[Any, tuple[Any, ...]] | None = None  # first character -> matchers

    @property
    def ruamel(self) -> YAML:
        if self._ruamel is None:
            self._ruamel = ruamel_yaml()
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
        return plain_scalar(constructed)


class _AnyCharacter(frozenset[str]):
    def __contains__(self, item: object) -> bool:
        return True


_ANY_CHARACTER = _AnyCharacter()
_scalars = _PlainScalars()


class _Open:
    """A mapping or list being read, with the key whose value comes next."""

    __slots__ = ("data", "depth", "key", "key_position", "loc", "seen")

    def __init__(self, data: Any, loc: Loc, depth: int) -> None:
        self.data = data
        self.loc = loc
        self.depth = depth
        self.key: str | None = None  # a mapping's pending key
        self.key_position: Position | None = None
        self.seen: set[Any] = set()  # keys as values: true and 1 are the same key

    def attach(self, node: Any) -> None:
        """Put ``node`` into this container, under the pending key of a mapping."""
        if isinstance(self.data, dict):
            self.data[self.key] = node
            self.key = None
        else:
            self.data.append(node)


class FastReader:
    """Plain data and positions from libyaml events; raises Declined when unsure."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.nodes = 0
        self.text = ""
        self.anchors: dict[str, tuple[Any, Loc]] = {}  # name -> (data, where it stands)
        self.aliases = 0
        self.stack: list[_Open] = []
        self.root: Any = None
        self.documents = 0

    def read(self, text: str, events: list[Any] | None = None) -> Any:
        """The data of ``text``; ``events`` are its libyaml events when already parsed."""
        if LIBYAML is None or any(char in text for char in _ODD_CHARACTERS):
            raise Declined
        self.text = text
        for event in _parsed(text) if events is None else events:
            kind = type(event)
            if kind is _Scalar or kind is _MappingStart or kind is _SequenceStart:
                self._node(event, kind)
            elif kind is _MappingEnd or kind is _SequenceEnd:
                self.stack.pop()
            elif kind is pyyaml.AliasEvent:
                self._alias_event(event)
            else:
                self._document(event, kind)
        if self.documents == 0:
            self.source.values.setdefault((), (1, 1))
            self.nodes += 1
        return self.root

    def _document(self, event: Any, kind: type) -> None:
        """Decline several documents, directives and an explicit end ('...')."""
        if kind is pyyaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1 or event.version is not None or event.tags:
                raise Declined
        elif kind is pyyaml.DocumentEndEvent and event.explicit:
            raise Declined

    def _node(self, event: Any, kind: type) -> None:
        """A scalar, or the start of a mapping or list: a key, a value or the document."""
        mark = event.start_mark
        position = (mark.line + 1, mark.column + 1)
        if not self.stack:
            loc: Loc = ()
            depth = 0
            position = (1, 1)
        else:
            parent = self.stack[-1]
            depth = parent.depth + 1
            if isinstance(parent.data, dict):
                if parent.key is None:
                    self._key(parent, event, kind, position)
                    return
                loc = (*parent.loc, parent.key)  # a value: its key's position is kept too
                self.source.keys.setdefault(loc, parent.key_position)  # type: ignore[arg-type]
            else:
                loc = (*parent.loc, len(parent.data))
        if event.tag is not None or len(event.anchor or "") > MAX_ANCHOR_CHARS:
            raise Declined
        self._enter(loc, position, depth)
        if kind is _Scalar:
            node: Any = self._scalar(event)
        else:
            node = {} if kind is _MappingStart else []
        if event.anchor is not None:
            self.anchors[event.anchor] = (node, loc)
        if self.stack:
            self.stack[-1].attach(node)
        else:
            self.root = node
        if kind is not _Scalar:
            self.stack.append(_Open(node, loc, depth))

    def _key(self, parent: _Open, event: Any, kind: type, position: Position) -> None:
        if kind is not _Scalar or event.anchor is not None:
            raise Declined
        if event.value == "<<" and event.implicit[0]:
            raise Declined  # a merge key: the round-trip reader refuses it
        value = self._scalar(event)
        name = value if isinstance(value, str) else key_text(value)
        if name in parent.data or value in parent.seen:
            raise Declined
        parent.seen.add(value)
        parent.key, parent.key_position = name, position

    def _value_loc(self, parent: _Open) -> Loc:
        """Where the value of a mapping's pending key stands; the key's position is kept."""
        loc = (*parent.loc, parent.key)
        self.source.keys.setdefault(loc, parent.key_position)  # type: ignore[arg-type]
        return loc

    def _alias_event(self, event: Any) -> None:
        if not self.stack:
            raise Declined
        parent = self.stack[-1]
        if isinstance(parent.data, dict):
            if parent.key is None:  # an alias as a key
                raise Declined
            loc = self._value_loc(parent)
        else:
            loc = (*parent.loc, len(parent.data))
        parent.attach(self._alias(event.anchor, loc, parent.depth + 1))

    def _scalar(self, event: Any) -> Any:
        if event.tag is not None:
            raise Declined
        if len(event.value) > MAX_SCALAR_CHARS:
            raise Declined  # the limits check says so, with the position
        if not event.implicit[0]:  # quoted or block: always text
            self._check_quoted(event)
            return event.value
        value = event.value
        if not value:  # an empty value: its position is the round-trip reader's to say
            raise Declined
        if value[0] not in _scalars.first_characters:
            return value  # no YAML 1.2 rule for numbers, booleans or null starts so: text
        return _scalars.construct(value)

    def _check_quoted(self, event: Any) -> None:
        """Decline quoted and block text that the two readers would read differently."""
        if (
            event.style in ("'", '"')
            and self.text[event.end_mark.index : event.end_mark.index + 1] == ":"
        ):
            raise Declined  # "key":value, which only some readers take
        if event.style in ("|", ">"):
            # a block that opens with a blank line: the readers' indentation rules differ
            raw = self.text[event.start_mark.index : event.end_mark.index].split("\n", 2)
            if not _BLOCK_HEADER.match(raw[0]) or (len(raw) > 1 and not raw[1].strip()):
                raise Declined

    def _enter(self, loc: Loc, position: Position, depth: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise Declined
        self.source.values.setdefault(loc, position)

    def _alias(self, anchor: str, loc: Loc, depth: int) -> Any:
        """A copy of the anchored value for an alias at ``loc``.

        The round-trip reader shares one node between the anchor and its aliases, so
        every value under an alias has the position of the value it repeats; its
        expanded size counts against the limits like any other value.
        """
        self.aliases += 1
        anchored = self.anchors.get(anchor)
        if anchored is None or self.aliases > _MAX_ALIASES:
            raise Declined  # an undefined alias, or a file the limits check should see
        node, origin = anchored
        if any(open_.data is node for open_ in self.stack):
            raise Declined  # an alias inside the value it names
        self._repeat_positions(origin, loc, depth)
        return copy.deepcopy(node)

    def _repeat_positions(self, origin: Loc, loc: Loc, depth: int) -> None:
        """Give every key and value under ``loc`` the position of the one under ``origin``."""
        keys, values = self.source.keys, self.source.values
        size = len(origin)
        copied_values = [(at, where) for at, where in values.items() if at[:size] == origin]
        copied_keys = [(at, where) for at, where in keys.items() if at[:size] == origin]
        self.nodes += len(copied_values)
        deepest = max(len(at) for at, _where in copied_values) - size
        if self.nodes > MAX_NODES or depth + deepest > MAX_DEPTH:
            raise Declined
        for at, where in copied_values:
            values.setdefault((*loc, *at[size:]), where)
        for at, where in copied_keys:
            if len(at) > size:
                keys.setdefault((*loc, *at[size:]), where)

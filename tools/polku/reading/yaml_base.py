"""YAML 1.2 the way curriculum files use it, shared by the fast and the round-trip reader.

Only plain data is allowed: the core tags, no merge keys, no numbers too long
to be meant as numbers. Dates stay text, so that the model can give an
impossible date (2027-02-30) a located error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError

from .limits import MAX_NUMBER_CHARS
from .text import shorten

# libyaml's parser (C, through PyYAML), when PyYAML was built with it
LIBYAML: Any = getattr(pyyaml, "CSafeLoader", None) if pyyaml.__with_libyaml__ else None

CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)


def shown_tag(tag: str) -> str:
    """A tag as an author writes it: ``!!binary`` rather than ``tag:yaml.org,2002:binary``."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag


def refused_tag_message(tag: str) -> str:
    return (
        f"the tag '{tag}' is not allowed in a curriculum file; remove it "
        "(write plain text, numbers, lists and 'key: value' lines)"
    )


class RefusedError(MarkedYAMLError):
    """YAML that is well-formed but not allowed in a curriculum file (tags, merge keys)."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(problem=message, problem_mark=mark)


class Constructor(RoundTripConstructor):
    """Round-trip constructor for plain data only.

    Dates stay text: the model parses them itself, so an impossible date such as
    2027-02-30 becomes a located error instead of an exception inside the YAML
    library. Tags other than the core ones (``!!python/object``, ``!!binary``,
    ``!!set``, ``!custom``) and merge keys are refused, and so are numbers too
    long to be meant as numbers.
    """

    def construct_non_recursive_object(self, node: Any, tag: Any = None) -> Any:
        name = str(tag if tag is not None else node.tag)
        if name not in CORE_TAGS:
            raise RefusedError(node.start_mark, refused_tag_message(shown_tag(name)))
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
                f"the number {shorten(text)} is too long; write a smaller number, "
                "or put the value in quotes if it is text",
            )
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)


Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_timestamp)
Constructor.add_constructor("tag:yaml.org,2002:int", Constructor.construct_yaml_int)


def ruamel_yaml() -> YAML:
    """A ruamel reader for YAML 1.2 with the plain-data constructor; duplicate keys refused."""
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = Constructor
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    return yaml


def plain_scalar(value: Any) -> Any:
    """A constructed scalar as a plain Python value (no ruamel subclasses)."""
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


def key_text(key: Any) -> str:
    """A mapping key that is not text, as the text it stands for."""
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (dict, list, tuple, set)) or hasattr(key, "keys"):
        return "{…}" if hasattr(key, "keys") else "[…]"  # a key that is itself a collection
    return str(key)

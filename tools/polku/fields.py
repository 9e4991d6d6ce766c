"""What the models say about the keys of the format, for the rules and the reference.

Which keys hold Markdown, what type each key has: worked out from the models of
model.py, so that a key added there is checked and documented without a list to
keep in step.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .model import KIND_MODELS, Markdown


def fields_of(model: type[BaseModel]) -> Iterator[tuple[str, str, Any]]:
    """(key, attribute, type hint with its ``Annotated`` metadata) of every field of ``model``.

    The key is the one written in the files (``break``), the attribute the one of the
    model (``break_``).
    """
    hints = typing.get_type_hints(model, include_extras=True)
    for name, info in model.model_fields.items():
        yield info.alias or name, name, hints[name]


def models_in(hint: Any) -> Iterator[type[BaseModel]]:
    """Every model a type hint names: ``list[Role]`` -> Role."""
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        yield hint
    for argument in typing.get_args(hint):
        yield from models_in(argument)


def _holds(hint: Any, alias: Any) -> bool:
    """Whether the type hint is ``alias`` or has it inside (``list[alias] | None``)."""
    return hint == alias or any(_holds(argument, alias) for argument in typing.get_args(hint))


def _is_list(hint: Any) -> bool:
    """Whether the type hint is a list (perhaps optional)."""
    if typing.get_origin(hint) is list:
        return True
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and any(
        _is_list(argument) for argument in typing.get_args(hint)
    )


# A path to values of a file: keys, and "*" for every item of a list.
FieldPath = tuple[str, ...]


@functools.cache
def markdown_paths(model: type[BaseModel]) -> tuple[tuple[FieldPath, FieldPath], ...]:
    """(keys, attributes) of every Markdown value that a file of ``model`` can hold.

    For a module: ``body``, ``activities/*/instructions``, ``activities/*/questions/*/answer``
    and so on, worked out from the models.
    """
    found: list[tuple[FieldPath, FieldPath]] = []
    for key, attribute, hint in fields_of(model):
        step = ("*",) if _is_list(hint) else ()
        if _holds(hint, Markdown):
            found.append(((key, *step), (attribute, *step)))
            continue
        for inner in dict.fromkeys(models_in(hint)):
            for keys, attributes in markdown_paths(inner):
                found.append(((key, *step, *keys), (attribute, *step, *attributes)))
    return tuple(found)


@functools.cache
def markdown_fields() -> frozenset[str]:
    """The keys whose values are Markdown, in any kind of file."""
    return frozenset(
        keys[-1] for model in KIND_MODELS.values() for keys, _ in markdown_paths(model)
    )

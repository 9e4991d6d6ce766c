"""Validate plain data against a model; each pydantic error becomes a located message.

pydantic says where a problem is as a path through the model (with union tags
that are not in the file) and what it is in its own words. Here the path is
cut back to what is in the file, so the SourceMap gives the line and column
of the key or value, and the words are the author's: what was found, what is
allowed, and the near miss ("did you mean") when there is one.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..curriculum import Loc, SourceMap
from ..diagnostics import Report
from ..model import ITEM_KEYS
from .text import shorten


def validate_schema(
    data: Any, model: type[BaseModel], source: SourceMap, report: Report
) -> BaseModel | None:
    """Validate plain data against a model; report each error at its key or value."""
    if data is None:
        report.error(
            source.path,
            1,
            1,
            f"the file is empty; a {human(model)} file needs at least "
            + ", ".join(f"'{k}'" for k in _required(model)),
        )
        return None
    if not isinstance(data, dict):
        report.error(
            source.path,
            1,
            1,
            f"expected a mapping of 'key: value' lines at the top of the file, "
            f"found {describe(data)}",
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            data_loc, at_key, message = located_message(error, data, model)
            line, column = source.key(data_loc) if at_key else source.value(data_loc)
            report.error(source.path, line, column, message)
        return None


def human(model: type[BaseModel]) -> str:
    """'MethodStep' -> 'method step'."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()


def describe(value: Any) -> str:
    """What an author wrote, in words: 'a list', "the number 3", "'kolme'"."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {shorten(str(value))}"
    return f"'{shorten(str(value))}'"


def _required(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items() if f.is_required()]


# --- one pydantic error ---------------------------------------------------------------


@dataclass
class _Problem:
    """One pydantic error, with its location cut back to what is in the data."""

    error: dict[str, Any]
    loc: Loc  # pydantic's location, union tags included
    data_loc: Loc  # the part of ``loc`` that is in the data
    root: type[BaseModel]

    @property
    def value(self) -> Any:
        return self.error.get("input")

    @property
    def label(self) -> str:
        """``key: `` for the nearest key, to start a message about a value."""
        key = next((seg for seg in reversed(self.data_loc) if isinstance(seg, str)), None)
        return f"{key}: " if key else ""

    @property
    def found(self) -> str:
        return describe(self.value)


def located_message(
    error: dict[str, Any], data: Any, root: type[BaseModel]
) -> tuple[Loc, bool, str]:
    """Return (data location, point at the key?, message) for one pydantic error."""
    loc = tuple(error["loc"])
    problem = _Problem(error, loc, _data_loc(data, loc), root)
    kind = error["type"]
    if kind == "extra_forbidden":
        return problem.data_loc, True, _unknown_key(problem)
    if kind == "agenda_item":
        return _agenda_item(problem)
    words = _MESSAGES.get(kind)
    if words is None:
        words = _date if kind.startswith("date") else _as_given
    return problem.data_loc, False, words(problem)


def _unknown_key(problem: _Problem) -> str:
    if problem.loc[-1] == "<<":
        return "merge keys ('<<') are not part of YAML 1.2; write the keys out"
    name = shorten(str(problem.loc[-1]))
    model = _model_at(problem.root, problem.loc)
    allowed = _keys(model) if model else []
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    if close:
        hint = f"; did you mean '{close[0]}'?"
    else:
        hint = f"; allowed keys: {', '.join(allowed)}" if allowed else ""
    return f"unknown key '{name}'{hint}"


def _agenda_item(problem: _Problem) -> tuple[Loc, bool, str]:
    """An agenda item that is none, or more than one, of the kinds: the key to look at."""
    kinds = ", ".join(ITEM_KEYS[:-1]) + f" or {ITEM_KEYS[-1]}"
    rule = f"an agenda item has exactly one of the keys {kinds} (a free item: title and duration)"
    item = problem.value
    if not isinstance(item, dict):
        return problem.data_loc, False, f"{rule}, found {problem.found}"
    present = [key for key in item if key in ITEM_KEYS]  # as written: point at the second
    if len(present) > 1:
        both = " and ".join(f"'{key}'" for key in present)
        message = f"this agenda item has {both}; make it one item of each, or keep one key"
        return (*problem.data_loc, present[1]), True, message
    for key in item:
        close = difflib.get_close_matches(str(key), ITEM_KEYS, n=1, cutoff=0.6)
        if close:
            message = (
                f"unknown key '{shorten(str(key))}' in an agenda item; did you mean '{close[0]}'?"
            )
            return (*problem.data_loc, key), True, message
    return problem.data_loc, False, rule


def _missing(problem: _Problem) -> str:
    name = str(problem.loc[-1])
    model = _model_at(problem.root, problem.loc)
    where = f" in this {human(model)}" if model else ""
    if model is problem.root:
        where = f" in this {human(problem.root)} file"
    return f"missing required key '{name}'{where}; add '{name}: ...'"


def _value_error(problem: _Problem) -> str:
    message = str(problem.error["msg"]).removeprefix("Value error, ")
    return f"{problem.label}{message}"


def _not_allowed(problem: _Problem) -> str:
    expected = problem.error.get("ctx", {}).get("expected", "")
    options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
    options = [o for o in options if o]
    close = difflib.get_close_matches(str(problem.value), options, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"{problem.label}{problem.found} is not allowed; use one of {', '.join(options)}{hint}"


def _expected_text(problem: _Problem) -> str:
    hint = (
        "; a text that contains ': ' must be in quotes" if isinstance(problem.value, dict) else ""
    )
    return f"{problem.label}expected text, found {problem.found}{hint}"


def _expected_list(problem: _Problem) -> str:
    return f"{problem.label}expected a list, found {problem.found}; write one '- item' per line"


def _expected_mapping(problem: _Problem) -> str:
    return f"{problem.label}expected a mapping of 'key: value' lines, found {problem.found}"


def _expected_number(problem: _Problem) -> str:
    return f"{problem.label}expected a whole number, found {problem.found}"


def _expected_bool(problem: _Problem) -> str:
    hint = ""
    if str(problem.value).lower() in ("yes", "no", "on", "off", "y", "n"):
        hint = " (in YAML 1.2 that is text, not a yes or no)"
    return f"{problem.label}expected true or false, found {problem.found}{hint}"


def _date(problem: _Problem) -> str:
    return f"{problem.label}{problem.found} is not a date; write it as YYYY-MM-DD, e.g. 2027-01-11"


def _out_of_range(problem: _Problem) -> str:
    return f"{problem.label}{problem.error['msg'].lower()}, found {problem.found}"


def _as_given(problem: _Problem) -> str:
    return f"{problem.label}{problem.error['msg']}"


_MESSAGES: dict[str, Callable[[_Problem], str]] = {
    "missing": _missing,
    "value_error": _value_error,
    "enum": _not_allowed,
    "literal_error": _not_allowed,
    "string_type": _expected_text,
    "list_type": _expected_list,
    "model_type": _expected_mapping,
    "model_attributes_type": _expected_mapping,
    "dict_type": _expected_mapping,
    "int_type": _expected_number,
    "int_parsing": _expected_number,
    "int_from_float": _expected_number,
    "finite_number": _expected_number,
    "bool_type": _expected_bool,
    "bool_parsing": _expected_bool,
    "greater_than_equal": _out_of_range,
    "less_than_equal": _out_of_range,
    "greater_than": _out_of_range,
    "less_than": _out_of_range,
}


# --- where in the model -------------------------------------------------------------


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
        current = _step(_unwrap(current), segment)
        if current is None:
            return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _step(current: Any, segment: str | int) -> Any:
    """The type one ``segment`` below ``current``; None when the path leaves the model."""
    if isinstance(current, list):  # a union: pick the member named by the tag
        return next((m for m in current if getattr(m, "__name__", "") == segment), None)
    if get_origin(current) is list and isinstance(segment, int):
        return get_args(current)[0]
    if isinstance(current, type) and issubclass(current, BaseModel):
        field = _field(current, segment)
        if field is None:
            return None
        if not field.metadata:
            return field.annotation
        return typing.Annotated[field.annotation, *field.metadata]
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

"""Read curriculum YAML files (YAML 1.2) into models, keeping every node's position.

The loader refuses what would hurt a build machine (huge files, alias bombs,
deep nesting) and turns every YAML and schema problem into a located
diagnostic instead of an exception.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .curriculum import Curriculum, Loc, SourceMap
from .diagnostics import Report
from .model import KIND_MODELS, Glossary, Method, Module, Programme

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 100_000
MAX_DEPTH = 64

KIND_DIRS = {"programme": "programmes", "module": "modules", "method": "methods"}


class LoadLimitError(Exception):
    """A file is too large, too deep or expands to too many nodes."""

    def __init__(self, message: str, position: tuple[int, int] = (1, 1)) -> None:
        super().__init__(message)
        self.position = position


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that keeps dates as text.

    The model parses dates itself, so an impossible date such as 2027-02-30
    becomes a located error instead of an exception inside the YAML library.
    """

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    return yaml


# --- reading text --------------------------------------------------------------


def read_text(path: Path, rel: str, report: Report) -> str | None:
    """Read a UTF-8 file (a BOM is fine); report size and encoding problems."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.error(
                rel,
                1,
                1,
                f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}; "
                "split it into smaller files",
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        report.error(rel, 1, 1, f"cannot read the file: {exc.strerror}")
        return None
    try:
        return data.decode("utf-8-sig")
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
    return str(key)


def _pos(pair: Any) -> tuple[int, int]:
    line, column = pair[0], pair[1]
    return (line + 1, column + 1)


def parse_yaml(text: str, rel: str, report: Report) -> tuple[Any, SourceMap] | None:
    """Parse YAML 1.2 text; report syntax errors with their position."""
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
        report.error(rel, line, column, _yaml_message(exc))
        return None
    except RecursionError:
        report.error(rel, 1, 1, "values are nested too deeply to read; flatten the structure")
        return None
    except YAMLError as exc:
        report.error(rel, 1, 1, f"YAML error: {exc}")
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
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if "found duplicate key" in problem or type(exc).__name__ == "DuplicateKeyError":
        key = problem.split('"')[1] if '"' in problem else ""
        return f"key '{key}' is given twice in this mapping; keep one of them"
    if "\\t" in problem or "tab" in problem.lower():
        return "a tab character cannot indent YAML; indent with spaces"
    if "found unexpected end of stream" in problem or "end of stream" in problem:
        return f"YAML syntax error: {context or problem}; close the quote or bracket that is open"
    if "mapping values are not allowed" in problem:
        return (
            "YAML syntax error: a ':' where it is not allowed; check the indentation, "
            "or quote a text that contains ': '"
        )
    message = "; ".join(part for part in (context, problem) if part)
    return f"YAML syntax error: {message}"


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
        return f"the number {value}"
    return f"'{value}'"


def _message(error: dict[str, Any], data: Any, root: type[BaseModel]) -> tuple[Loc, bool, str]:
    """Return (data location, point at the key?, message) for one pydantic error."""
    loc = tuple(error["loc"])
    kind = error["type"]
    data_loc = _data_loc(data, loc)
    value = error.get("input")
    key = next((seg for seg in reversed(data_loc) if isinstance(seg, str)), None)
    label = f"{key}: " if key else ""
    if kind == "extra_forbidden":
        name = str(loc[-1])
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
    if kind in ("int_type", "int_parsing", "int_from_float"):
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


def load_file(
    path: Path, kind: str, root: Path, report: Report
) -> tuple[BaseModel, SourceMap] | None:
    rel = relative(path, root)
    text = read_text(path, rel, report)
    if text is None:
        return None
    if not text.strip() and kind == "glossary":
        text = "terms: []"
    parsed = parse_yaml(text, rel, report)
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
            rel,
            line,
            column,
            f"id '{ident}' does not match the file name '{path.name}'; "
            f"rename the file to '{ident}.yml' or set 'id: {path.stem}'",
        )
        return None
    return model, source


def load(root: Path, report: Report, curriculum_dir: str = "curriculum") -> Curriculum:
    """Load every file under ``curriculum/``; problems go to ``report``."""
    root = root.resolve()
    base = (root / curriculum_dir).resolve()
    curriculum = Curriculum(root=root, curriculum_dir=base)
    if not base.is_dir():
        report.error(
            curriculum_dir,
            1,
            1,
            f"no '{curriculum_dir}/' folder here; run 'polku init' or pass --root",
        )
        return curriculum
    for kind, folder in KIND_DIRS.items():
        directory = base / folder
        if not directory.is_dir():
            continue
        for stray in sorted(directory.glob("*.yaml")):
            report.error(
                relative(stray, root),
                1,
                1,
                f"curriculum files end in .yml; rename it to '{stray.stem}.yml'",
            )
        for path in sorted(directory.glob("*.yml")):
            loaded = load_file(path, kind, root, report)
            if loaded is None:
                curriculum.broken.add((kind, path.stem))
                continue
            model, source = loaded
            ident = model.id  # type: ignore[attr-defined]
            curriculum.sources[(kind, ident)] = source
            if isinstance(model, Programme):
                curriculum.programmes[ident] = model
            elif isinstance(model, Module):
                _attach_body(model, path, source, root, curriculum, report)
                curriculum.modules[ident] = model
            elif isinstance(model, Method):
                curriculum.methods[ident] = model
    glossary_path = base / "glossary.yml"
    if glossary_path.is_file():
        loaded = load_file(glossary_path, "glossary", root, report)
        if loaded is not None:
            glossary, source = loaded
            assert isinstance(glossary, Glossary)
            curriculum.glossary = glossary
            curriculum.sources[("glossary", "glossary")] = source
    return curriculum


def _attach_body(
    module: Module,
    path: Path,
    source: SourceMap,
    root: Path,
    curriculum: Curriculum,
    report: Report,
) -> None:
    body_path = path.with_suffix(".md")
    if not body_path.is_file():
        return
    rel = relative(body_path, root)
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
    curriculum.body_files[module.id] = rel

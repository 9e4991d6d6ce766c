"""The generated parts of the format reference, written from the models and the rules.

``docs/reference/format.md`` is prose written by hand, with the key tables of each kind
of file between ``<!-- polku:fields KIND -->`` and ``<!-- /polku:fields -->``;
``docs/reference/checks.md`` is written whole from the registry of rules. Run
``make reference`` (``python -m polku.reference``) after changing a model or a rule;
a test fails while the committed pages differ from what this writes.
"""

from __future__ import annotations

import argparse
import enum
import re
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, StrictBool
from pydantic.fields import FieldInfo

from . import model as m
from .fields import fields_of, models_in
from .rules import GROUPS, rules_in_order

FORMAT_PAGE = Path("docs/reference/format.md")
CHECKS_PAGE = Path("docs/reference/checks.md")
BLOCK = re.compile(
    r"(?P<start><!-- polku:fields (?P<kind>[a-z]+) -->\n).*?(?P<end><!-- /polku:fields -->)",
    re.DOTALL,
)
GENERATED = "<!-- Written by `make reference` from the models; edit tools/polku/model.py. -->"

# value types of the format, in the words of the format page (and their plurals)
VALUE_TYPES: list[tuple[Any, str, str]] = [
    (m.Id, "id", "ids"),
    (m.ActivityRef, "module-id/activity-id", "module-id/activity-ids"),
    (m.Duration, "duration", "durations"),
    (m.ClockTime, "clock time", "clock times"),
    (m.Day, "day", "days"),
    (m.Date, "date", "dates"),
    (m.Markdown, "Markdown", "Markdown texts"),
    (str, "text", "text"),
    (bool, "true or false", "true or false"),
    (StrictBool, "true or false", "true or false"),
    (int, "whole number", "whole numbers"),
]
# the agenda item models, under one heading
AGENDA_ITEMS = (m.ModuleItem, m.ActivityItem, m.BreakItem, m.FreeItem)


def heading(model: type[BaseModel]) -> str:
    """A model's name as a heading: ``ChecklistTask`` -> ``Checklist task``."""
    if model in AGENDA_ITEMS:
        return "Agenda item"
    words = re.findall(r"[A-Z][a-z]*", model.__name__)
    return " ".join([words[0], *(word.lower() for word in words[1:])])


def anchor(model: type[BaseModel]) -> str:
    """The id MkDocs gives the heading of ``model``."""
    return heading(model).lower().replace(" ", "-")


def _optional(hint: Any) -> Any:
    """``X`` of ``X | None``."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return hint


def type_name(hint: Any, plural: bool = False) -> str:
    """The type of a key in the words of an author: "id", "list of ids", "duration" …"""
    hint = _optional(hint)
    for alias, one, many in VALUE_TYPES:
        if hint == alias:
            return many if plural else one
    if typing.get_origin(hint) is list:
        return "list of " + type_name(typing.get_args(hint)[0], plural=True)
    if typing.get_origin(hint) is typing.Literal:
        return _choice(str(value) for value in typing.get_args(hint))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _choice(str(member.value) for member in hint)
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        name = heading(hint).lower()
        return f"[{_plural(name) if plural else name}](#{anchor(hint)})"
    if hint == m.AgendaItem:
        return f"[agenda items](#{anchor(m.ModuleItem)})" if plural else "agenda item"
    raise ValueError(f"no author's name for the type {hint!r}; add it to VALUE_TYPES")


def _plural(name: str) -> str:
    """``activity`` -> ``activities``, ``term`` -> ``terms``."""
    if name.endswith("y") and name[-2:-1] not in "aeiou":
        return name[:-1] + "ies"
    return name + "s"


def _choice(values: Iterator[str] | Any) -> str:
    quoted = [f"`{value}`" for value in values]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def need(info: FieldInfo) -> str:
    """ "required", "optional" or "default `x`"."""
    if info.is_required():
        return "required"
    if info.default_factory is not None or info.default is None:
        return "optional"
    return f"default `{_value(info.default)}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def describe(info: FieldInfo) -> str:
    text = info.description or ""
    bounds = [item for item in info.metadata if hasattr(item, "ge") or hasattr(item, "le")]
    low = next((item.ge for item in bounds if hasattr(item, "ge")), None)
    high = next((item.le for item in bounds if hasattr(item, "le")), None)
    if low is not None and high is not None:
        text += f" From {low} to {high}."
    if info.examples:
        shown = ", ".join(f"`{_value(example)}`" for example in info.examples)
        text += f" For example {shown}."
    return _cell(text)


def field_table(model: type[BaseModel]) -> list[str]:
    lines = ["| key | type | required or default | what it is |", "| --- | --- | --- | --- |"]
    for key, name, hint in fields_of(model):
        info = model.model_fields[name]
        lines.append(f"| `{key}` | {type_name(hint)} | {need(info)} | {describe(info)} |")
    return lines


def models_of(kind_model: type[BaseModel]) -> list[type[BaseModel]]:
    """The model of a kind of file and every model inside it, in the order keys name them."""
    found: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in found:
            return
        found.append(model)
        for _key, _name, hint in fields_of(model):
            for inner in models_in(hint):
                visit(inner)

    visit(kind_model)
    return found


def kind_tables(kind: str) -> str:
    """The key tables of one kind of file: its own keys, then those of what it holds."""
    lines = [GENERATED, ""]
    models = models_of(m.KIND_MODELS[kind])
    for index, model in enumerate(models):
        if model in AGENDA_ITEMS and model is not AGENDA_ITEMS[0]:
            continue
        if index:
            lines += [f"#### {heading(model)}", ""]
        if model in AGENDA_ITEMS:
            lines += [
                "Each item of `items` is one of these four, told apart by its key `module`, "
                "`activity`, `break` or `title`:",
                "",
            ]
            for item in AGENDA_ITEMS:
                lines += [f"*{_first_line(item.__doc__)}*", "", *field_table(item), ""]
            continue
        lines += [*field_table(model), ""]
    return "\n".join(lines)


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0]


def format_page(text: str) -> str:
    """``text`` (format.md) with every table block written afresh."""

    def fill(match: re.Match[str]) -> str:
        kind = match.group("kind")
        if kind not in m.KIND_MODELS:
            raise ValueError(f"format.md names an unknown kind of file: {kind}")
        return match.group("start") + kind_tables(kind) + "\n" + match.group("end")

    return BLOCK.sub(fill, text)


def checks_page() -> str:
    """All of checks.md."""
    lines = [
        "# Checks",
        "",
        "<!-- Written by `make reference` from tools/polku/rules/; edit the rules there. -->",
        "",
        "Besides reading every file (YAML syntax, keys, values; those problems have no code),",
        "`polku check` applies the checks below. Each problem it prints ends with the code of",
        "its check:",
        "",
        "```",
        "curriculum/programmes/perehdytys.yml:34:21: error: module 'kohtaamine' does not exist "
        "in curriculum/modules/; did you mean 'kohtaaminen'? (P104)",
        "```",
        "",
        "A code is `P` and three digits: the first names the group of the check, the other",
        "two number the checks of the group. A code always means the same check.",
        "",
        "## Silencing a warning",
        "",
        "A warning that is right in general but not in one place can be silenced for one",
        "file: a comment line naming its code, anywhere in the file, silences that warning",
        "for every problem located in the file (for a programme, in its file: the whole",
        "programme).",
        "",
        "```yaml",
        "# The autumn cohort starts on a Saturday on purpose.",
        "# polku: allow P406",
        "id: ryhmat",
        "```",
        "",
        "In a Markdown body the line is an HTML comment: `<!-- polku: allow P302 -->`.",
        "Several codes are separated by spaces. Errors cannot be silenced, and a code that is",
        "not a check's is itself a warning (P001, P002). The directive is read in files that",
        "have a problem to report.",
        "",
    ]
    for group, (title, summary) in GROUPS.items():
        rules = [r for r in rules_in_order() if r.group == group]
        if not rules:
            continue
        lines += [f"## P{group}xx: {title}", "", summary, ""]
        lines += ["| code | severity | check |", "| --- | --- | --- |"]
        for r in rules:
            lines.append(f"| [{r.code}](#{r.code.lower()}) | {r.severity.value} | {r.title} |")
        lines.append("")
        for r in rules:
            lines += [f"### {r.code}", "", f"**{r.title}** ({r.severity.value})", ""]
            lines += [" ".join(r.explanation.split()), ""]
    return "\n".join(lines).rstrip() + "\n"


def pages(root: Path) -> dict[Path, str]:
    """Path under ``root`` -> its generated text."""
    format_text = (root / FORMAT_PAGE).read_text("utf-8")
    return {root / FORMAT_PAGE: format_page(format_text), root / CHECKS_PAGE: checks_page()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="the repository")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when a page is out of date"
    )
    args = parser.parse_args(argv)
    stale = []
    for path, text in pages(args.root).items():
        current = path.read_text("utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.write_text(text, "utf-8")
            print(f"wrote {path}")
    if args.check and stale:
        print("out of date (run 'make reference'): " + ", ".join(map(str, stale)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

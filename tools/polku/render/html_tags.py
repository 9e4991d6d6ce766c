"""The tags of sanitised HTML, read one whole tag at a time.

polku adjusts author HTML after the sanitiser (ids made unique in a page, links moved
to work from the page, glossary terms marked up, print links and images). A pattern
for one attribute run over the whole text also matches inside another attribute's
value: in ``<span title="src=">`` it takes the closing quote of ``title`` for the
opening quote of a ``src``, and a rewrite of that "value" swallows the ``>`` that
ends the tag, turning the text after it into attributes. So every such change goes
through here: a tag is matched from its name to its end, quoted values as a whole,
and its attributes are read one after another from the start.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

# a start or end tag, its attributes, and "/" of a self-closing tag; values may hold ">"
TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)"
    r"((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)"
    r"\s*(/?)>"
)
_ATTRIBUTE = re.compile(
    r"(\s+)([^\s\"'>/=]+)(?:(\s*=\s*)(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?"
)

# change(tag name, attribute name, value as written): the new value, written (escaped) for
# a double-quoted attribute, or None to keep it; names in lower case
Change = Callable[[str, str, str], str | None]


def tags(fragment: str) -> Iterator[re.Match[str]]:
    """Every tag of ``fragment``: group 1 "/" for an end tag, 2 the name, 3 the attributes."""
    return TAG.finditer(fragment)


def attributes(written: str) -> Iterator[tuple[str, str | None]]:
    """(name in lower case, value as written or None) of a tag's attributes (group 3)."""
    for match in _ATTRIBUTE.finditer(written):
        value = match.group(4)
        if value is None:
            value = match.group(5) if match.group(5) is not None else match.group(6)
        yield match.group(2).lower(), value


def attribute(tag: re.Match[str], name: str) -> str | None:
    """The value of attribute ``name`` of ``tag`` as written, or None."""
    return next((value for key, value in attributes(tag.group(3)) if key == name), None)


def without(written: str, name: str) -> str:
    """A tag's attributes (group 3) as written, but for attribute ``name``."""
    return "".join(
        match.group(0) for match in _ATTRIBUTE.finditer(written) if match.group(2).lower() != name
    )


def rewrite_attributes(fragment: str, names: frozenset[str], change: Change) -> str:
    """``fragment`` with the attributes ``names`` of its start tags changed by ``change``."""
    if not any(f"{name}=" in fragment for name in names):
        return fragment

    def rewrite(tag: re.Match[str]) -> str:
        written = tag.group(3)
        if tag.group(1) or not any(f"{name}=" in written for name in names):
            return tag.group(0)
        parts: list[str] = []
        changed = False
        for match in _ATTRIBUTE.finditer(written):
            name = match.group(2).lower()
            value = match.group(4)
            new = change(tag.group(2).lower(), name, value) if name in names and value else None
            if new is None or new == value:
                parts.append(match.group(0))
            else:
                parts.append(f'{match.group(1)}{match.group(2)}="{new}"')
                changed = True
        if not changed:
            return tag.group(0)
        return f"<{tag.group(2)}{''.join(parts)}{tag.group(4)}>"

    return TAG.sub(rewrite, fragment)


def attribute_values(fragment: str, name: str) -> list[str]:
    """Every value of attribute ``name`` in the start tags of ``fragment``, as written."""
    if f"{name}=" not in fragment:
        return []
    found = []
    for tag in TAG.finditer(fragment):
        if not tag.group(1):
            value = attribute(tag, name)
            if value is not None:
                found.append(value)
    return found

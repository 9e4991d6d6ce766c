"""Escaping plain text for Markdown pages, moving author links between pages, templates."""

from __future__ import annotations

import contextlib
import html
import json
import os
import posixpath
import re
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache

from .. import paths

# Characters that start Markdown or extension syntax anywhere in a line (emphasis, code,
# links, footnotes and abbreviations, attribute lists, table cells), and those that do
# only at the start of a line (headings, lists, definitions, quotes, setext lines).
# Plain text gets them as numeric character references, which show literally both in
# Markdown and inside raw HTML blocks.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]|]")
_LINE_START = re.compile(r"^(?:[#+=:>~-]|\d+(?=[.)]))")
_INLINE_LINK = re.compile(r"(!?\[[^\]]*\]\(\s*<?)([^)\s>]+)")
_REFERENCE_LINK = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*<?)(\S+)", re.MULTILINE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

# The Markdown dialect of author fields, the same on site pages and in workbooks
MARKDOWN_EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "def_list",
    "footnotes",
    "pymdownx.details",
    "pymdownx.superfences",
]

# Where author Markdown of each kind sits, as a folder of the docs root
# (curriculum/modules/ is published as modules/)
SOURCE_DIRS = {"module": "modules", "method": "methods", "glossary": "", "handout": "handouts"}


def plain(text: object) -> str:
    """Escape plain text so that Markdown and HTML show it exactly as written."""
    if text is None:
        return ""
    escaped = html.escape(" ".join(str(text).split()), quote=True)
    escaped = _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", escaped)
    return _LINE_START.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(0)), escaped)


def attribute(text: object) -> str:
    """Escape text for an HTML attribute value."""
    return html.escape(" ".join(str(text or "").split()), quote=True)


def markdown_attribute(text: object) -> str:
    """Escape text for an HTML attribute value written into a Markdown page.

    Markdown reads raw HTML too: a ``|`` ends a table cell in the middle of the tag and a
    ``[`` starts a link, so those become character references as in :func:`plain`.
    """
    return plain(text)


def rebase_links(markdown: str, source_dir: str, page_dir: str) -> str:
    """Rewrite relative link targets written for ``source_dir`` to work from ``page_dir``.

    Both are folders relative to the docs root; author Markdown from
    ``curriculum/modules/`` lives in ``modules/`` of the site.
    """
    if source_dir == page_dir:
        return markdown

    def move(target: str) -> str:
        if _SCHEME.match(target) or target.startswith(("#", "/")):
            return target
        joined = posixpath.normpath(posixpath.join(source_dir, target))
        return paths.relative_path(joined, page_dir or ".")

    markdown = _INLINE_LINK.sub(lambda m: m.group(1) + move(m.group(2)), markdown)
    return _REFERENCE_LINK.sub(lambda m: m.group(1) + move(m.group(2)), markdown)


def relative_url(target: str, page_dir: str) -> str:
    """A link from a page in ``page_dir`` to the docs-relative path ``target``."""
    return paths.relative_path(target, page_dir or ".")


class TemplateCache(BytecodeCache):
    """Compiled Jinja templates, kept in memory and (given a folder) between processes.

    Compiling the theme's templates and polku's own costs every build a second or
    more; Jinja checks each entry against the template's source, so an edited
    template is compiled again.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.code: dict[str, bytes] = {}
        self.folder = folder

    def _path(self, key: str) -> Path | None:
        return self.folder / f"{key}.jinja" if self.folder is not None else None

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        path = self._path(bucket.key)
        if code is None and path is not None:
            with contextlib.suppress(OSError):
                code = path.read_bytes()
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        self.code[bucket.key] = code
        path = self._path(bucket.key)
        if path is not None:
            with contextlib.suppress(OSError):
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_name(f".{path.name}.{os.getpid()}")
                temporary.write_bytes(code)
                os.replace(temporary, path)


def front_matter(title: str, *, tags: list[str] | None = None, **meta: object) -> str:
    """YAML front matter (JSON is valid YAML).

    The theme writes the title and the tags into the page header, the navigation,
    the tag index and the search index as they are, so both go in HTML-escaped.
    """
    lines = ["---", f"title: {json.dumps(html.escape(title, quote=False))}"]
    if tags:
        escaped = [html.escape(" ".join(tag.split()), quote=True) for tag in tags]
        lines.append(f"tags: {json.dumps(escaped, ensure_ascii=False)}")
    for key, value in meta.items():
        if value:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"

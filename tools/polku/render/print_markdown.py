"""Author Markdown for print documents, and what one print document collects.

Every print document (a workbook, a facilitator guide, a session pack) is one
HTML file: fragments of author Markdown must not clash in it, their headings
sit under the document's own, and their images are local files that the PDF
renderer may load.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown as markdown_lib
from markupsafe import Markup

from .html_tags import attribute, attribute_values, rewrite_attributes, tags, without
from .markup import MARKDOWN_EXTENSIONS, SOURCE_DIRS
from .sanitize import sanitize_html

LINK_SCHEMES = ("http", "https", "mailto", "tel")
# where author Markdown of each kind sits under curriculum/ (handouts are print-only here)
PRINT_SOURCE_DIRS = {**SOURCE_DIRS, "handout": "handouts"}

_HEADING = re.compile(r"<(/?)h([1-6])\b")
_ID_ATTRIBUTE = frozenset({"id"})
_HREF_ATTRIBUTE = frozenset({"href"})
_SRC_ATTRIBUTE = frozenset({"src"})


def _leads_somewhere(href: str | None, ids: set[str]) -> bool:
    """Whether a link of author HTML leads somewhere in print: an anchor in the same
    document or an address of a scheme a reader can follow from paper."""
    target = html.unescape(href or "")
    return (target.startswith("#") and target[1:] in ids) or (
        urlsplit(target).scheme.lower() in LINK_SCHEMES
    )


def _unlinked(tag: re.Match[str]) -> str:
    """An ``<a>`` start tag as a ``<span>`` with its other attributes."""
    return f"<span{without(tag.group(3), 'href')}>"


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    )
    return f'"{escaped}"'


def css_label(template: str, **counters: str) -> str:
    """A label such as ``page {page} / {pages}`` as CSS ``content``: strings and counters."""
    parts: list[str] = []
    for piece in re.split(r"(\{[a-z_]+\})", template):
        if not piece:
            continue
        name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
        if name in counters:
            parts.append(counters[name])
        else:
            parts.append(css_string(piece))
    return " ".join(parts) or '""'


def split_label(template: str, name: str) -> tuple[str, str]:
    """The text before and after ``{name}`` in a label."""
    before, _sep, after = template.partition("{" + name + "}")
    return before, after


@dataclass
class TocEntry:
    level: int
    anchor: str
    title: str


@dataclass
class PrintDocument:
    """What one document collects while it is built: anchors, contents, files."""

    toc: list[TocEntry] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    assets: set[Path] = field(default_factory=set)
    fragments: int = 0

    def anchor(self, *parts: str) -> str:
        base = "-".join(part for part in parts if part)
        candidate, number = base, 1
        while candidate in self.anchors:
            number += 1
            candidate = f"{base}-{number}"
        self.anchors.add(candidate)
        return candidate

    def entry(self, level: int, anchor: str, title: str) -> str:
        self.toc.append(TocEntry(level, anchor, title))
        return anchor


class PrintMarkdown:
    """Author Markdown to sanitised HTML for a print document.

    Headings are shifted under the document's own, ids get a per-fragment prefix
    so fragments never clash, images become file URLs inside ``curriculum/`` and
    links that lead nowhere in print lose their target.
    """

    def __init__(self, curriculum_dir: Path) -> None:
        self.curriculum_dir = curriculum_dir.resolve()
        self._md = markdown_lib.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")

    def render(self, text: str | None, kind: str, doc: PrintDocument, top_level: int = 3) -> Markup:
        if not text or not text.strip():
            return Markup("")
        self._md.reset()
        converted = self._md.convert(text)
        clean = sanitize_html(converted)
        doc.fragments += 1
        prefix = f"f{doc.fragments}"
        clean = rewrite_attributes(clean, _ID_ATTRIBUTE, lambda _t, _n, v: f"{prefix}-{v}")
        clean = rewrite_attributes(
            clean, _HREF_ATTRIBUTE, lambda _t, _n, v: f"#{prefix}-{v[1:]}" if v[:1] == "#" else None
        )
        ids = set(attribute_values(clean, "id"))
        clean = self._shift_headings(clean, top_level)
        return Markup(self._images_and_links(clean, kind, doc, ids))

    @staticmethod
    def _shift_headings(text: str, top_level: int) -> str:
        levels = [int(level) for closing, level in _HEADING.findall(text) if not closing]
        if not levels:
            return text
        shift = top_level - min(levels)
        return _HEADING.sub(
            lambda m: f"<{m.group(1)}h{max(1, min(6, int(m.group(2)) + shift))}", text
        )

    def _images_and_links(self, fragment: str, kind: str, doc: PrintDocument, ids: set[str]) -> str:
        """Images as local files (or left out), links that lead nowhere in print as text."""
        parts: list[str] = []
        position = 0
        unlinked = False  # the open <a> became a <span>
        for tag in tags(fragment):
            parts.append(fragment[position : tag.start()])
            position = tag.end()
            closing, name = tag.group(1), tag.group(2).lower()
            if name == "img" and not closing:
                parts.append(self._image(tag, kind, doc))
            elif name == "a" and not closing:
                unlinked = not _leads_somewhere(attribute(tag, "href"), ids)
                parts.append(_unlinked(tag) if unlinked else tag.group(0))
            elif name == "a" and unlinked:
                parts.append("</span>")
                unlinked = False
            else:
                parts.append(tag.group(0))
        parts.append(fragment[position:])
        return "".join(parts)

    def _image(self, tag: re.Match[str], kind: str, doc: PrintDocument) -> str:
        src = attribute(tag, "src")
        path = self.resolve(html.unescape(src), kind) if src else None
        if path is None:
            return ""
        doc.assets.add(path)
        uri = html.escape(path.as_uri())
        return rewrite_attributes(tag.group(0), _SRC_ATTRIBUTE, lambda _t, _n, _v: uri)

    def resolve(self, src: str, kind: str) -> Path | None:
        """The local file an author's relative image path names, if it is inside curriculum/."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return None
        relative = posixpath.normpath(
            posixpath.join(PRINT_SOURCE_DIRS.get(kind, ""), unquote(parts.path))
        )
        path = (self.curriculum_dir / relative).resolve()
        if not path.is_relative_to(self.curriculum_dir) or not path.is_file():
            return None
        return path

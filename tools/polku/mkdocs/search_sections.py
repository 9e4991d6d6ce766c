"""Material's search sections of a page, read in a third of the time; its index file,
written in pieces.

Material's search plugin cuts each page's HTML into sections (one per heading) with
a parser built on :class:`html.parser.HTMLParser`, which calls a Python method for
every tag and run of text: about an eighth of a build's time. The HTML of a site's
pages is regular (sanitised author text and the engine's own markup), so it is read
here with one regular expression, to the same sections: each start tag, end tag and
run of text is handed on as ``HTMLParser`` would hand it to Material's parser, whose
rules follow below as they are. Anything this reading does not know for certain how
``HTMLParser`` would take (a ``<`` that starts no plain tag, a script, an attribute
value without quotes, an odd comment) sends the whole page to Material's own parser.

:func:`speed_up` puts this in front of Material's search index of a build, if the
index is the one it was written for.

Material writes ``search/search_index.json`` as one ``json.dumps`` of the index, which
it then encodes: at 5000 modules two copies of 120 MB held at once, on top of the
entries. :func:`write_in_pieces` has the same bytes written a few hundred entries at a
time.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from html import escape, unescape
from html.parser import HTMLParser
from typing import Any

from material.plugins.search import plugin as material_search
from mkdocs.config.defaults import MkDocsConfig

# a start tag with quoted or no attribute values, an end tag, or a comment
_TOKEN = re.compile(
    r"<(?:"
    r"(?P<start>[a-zA-Z][a-zA-Z0-9-]*)"
    r"(?P<attributes>(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)"
    r"\s*(?P<closed>/?)>"
    r"|/(?P<end>[a-zA-Z][a-zA-Z0-9-]*)>"
    r"|!--(?P<comment>.*?)-->"
    r")",
    re.S,
)
_ATTRIBUTE = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)(\s*=\s*(?:\"([^\"]*)\"|'([^']*)'))?")


# elements whose content HTMLParser reads as raw text: script and style up to Python
# 3.13; later versions (and security releases of earlier ones) read more elements so,
# and where they do, every element any version reads so goes to Material's parser
def _raw_text_elements() -> frozenset[str]:
    read_raw = set(HTMLParser.CDATA_CONTENT_ELEMENTS)
    read_raw |= set(getattr(HTMLParser, "RCDATA_CONTENT_ELEMENTS", ()))
    if read_raw - {"script", "style"}:
        read_raw |= {"textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"}
    return frozenset(read_raw | {"plaintext"})


_RAW_TEXT = _raw_text_elements()
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
_KEPT = frozenset(("p", "code", "pre", "li", "ol", "ul", "sub", "sup"))  # Parser.keep
_ALWAYS_SKIPPED = frozenset(("object", "script", "style"))  # Parser.skip at the start
_VOID = frozenset(material_search.void)
Element = material_search.Element
Section = material_search.Section


class _Unusual(Exception):
    """HTML this reading does not take on: Material's parser reads the page."""


def sections(html: str) -> list[Any]:
    """The page's sections, as Material's ``Parser`` makes them."""
    try:
        return _read(html)
    except _Unusual:
        parser = material_search.Parser()
        parser.feed(html)
        parser.close()
        return parser.data


def _read(html: str) -> list[Any]:
    reader = _SectionReader()
    position = 0
    for match in _TOKEN.finditer(html):
        if match.start() > position:
            reader.text(html[position : match.start()])
        position = match.end()
        tag, attribute_text, closed, end, comment = match.groups()
        if tag is not None:
            tag = tag.lower()
            if tag in _RAW_TEXT:
                raise _Unusual
            attributes: dict[str, str | None] = {}
            if attribute_text:
                for name, assigned, double, single in _ATTRIBUTE.findall(attribute_text):
                    value = unescape(double or single) if assigned else None
                    attributes[name.lower()] = value
            reader.start(tag, attributes)
            if closed:
                reader.end(tag)
        elif end is not None:
            reader.end(end.lower())
        elif comment.startswith((">", "->")) or "--" in comment or comment.endswith("-"):
            raise _Unusual
    if position < len(html):
        reader.text(html[position:])
    return reader.data


class _SectionReader:
    """Material's ``Parser`` rules, with the open elements counted by tag.

    Material compares its elements by tag alone (``Element.__eq__``, ``__hash__``), so
    "an open element is in the skip set" and "the section's heading is open" are
    questions about tags, answered here from counts instead of scans of the open ones.
    """

    def __init__(self) -> None:
        self.open: list[Any] = []  # Parser.context
        self.open_tags: defaultdict[str, int] = defaultdict(int)
        self.skipped = set(_ALWAYS_SKIPPED)  # the tags of Parser.skip
        self.skipping = 0  # open elements whose tag is skipped
        self.section: Any = None
        self.data: list[Any] = []

    def _target(self) -> list[str]:
        section = self.section
        return section.title if self.open_tags[section.el.tag] else section.text

    def start(self, tag: str, attributes: dict[str, str | None]) -> None:
        if tag in _VOID:
            return
        element = Element(tag, attributes)
        self.open.append(element)
        self.open_tags[tag] += 1
        if tag in self.skipped:
            self.skipping += 1
        if tag in _HEADINGS and "id" in attributes:
            depth = len(self.open)
            if tag != "h1" and not self.data:
                self.section = Section(Element("hx"), depth)
                self.data.append(self.section)
            self.section = Section(element, depth)
            if self.data:
                self.section.id = attributes["id"]
            self.data.append(self.section)
        if not self.section:
            self.section = Section(Element("hx"))
            self.data.append(self.section)
        if attributes and (
            "data-search-exclude" in attributes or attributes.get("class") == "linenodiv"
        ):
            if tag not in self.skipped:
                self.skipped.add(tag)
                self.skipping += self.open_tags[tag]
            return
        if tag in _KEPT and not self.skipping:
            self._target().append(f"<{tag}>")

    def end(self, tag: str) -> None:
        if not self.open or self.open[-1].tag != tag:
            return
        if self.section.depth > len(self.open):
            for section in reversed(self.data):
                if section.depth <= len(self.open):
                    self.section.depth = float("inf")
                    self.section = section
                    break
        self.open.pop()
        self.open_tags[tag] -= 1
        if tag in self.skipped:
            self.skipping -= 1
            if tag not in _ALWAYS_SKIPPED:
                self.skipped.discard(tag)
                self.skipping -= self.open_tags[tag]
            return
        if tag in _KEPT and not self.skipping:
            data = self._target()
            index = data.index(f"<{tag}>")
            if any(not piece.isspace() for piece in data[index + 1 :]):
                data.append(f"</{tag}>")
            else:  # an empty element (or only whitespace) is left out
                del data[index:]

    def text(self, data: str) -> None:
        if "<" in data:
            raise _Unusual
        if self.skipping:
            return
        if "&" in data:
            data = unescape(data)
        in_pre = self.open_tags["pre"]
        if not in_pre:
            data = " " if data.isspace() else data.replace("\n", " ")
        section = self.section
        if not section:
            section = self.section = Section(Element("hx"))
            self.data.append(section)
        if self.open_tags[section.el.tag]:
            permalink = any(
                element.tag == "a" and element.attrs.get("class") == "headerlink"
                for element in self.open
            )
            if not permalink:
                section.title.append(escape(data, quote=False))
        elif data.isspace():
            text = section.text
            if not text or not text[-1].isspace() or in_pre:
                text.append(data)
        else:
            section.text.append(escape(data, quote=False))


def speed_up(index: Any) -> bool:
    """Have Material's search ``index`` read its pages' sections here; False when the
    index is not the one this was written for, which is then left as it is."""
    kind = type(index)
    if kind is not getattr(material_search, "SearchIndex", None) or not hasattr(
        kind, "create_entry_for_section"
    ):
        return False
    if "add_entry_from_context" in vars(index):
        return True  # already

    def add_entry_from_context(page: Any) -> None:
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        for section in sections(page.content):
            if not section.is_excluded():
                index.create_entry_for_section(section, page.toc, page.url, page)

    index.add_entry_from_context = add_entry_from_context
    return True


# --- the index file ----------------------------------------------------------------------

ENTRIES_PER_PIECE = 500


def write_in_pieces(config: MkDocsConfig) -> bool:
    """Have Material's search plugin of ``config`` write its index file in pieces (this
    build and those after it with the same plugins); False when the plugin is not the
    one this was written for, which is then left as it is."""
    plugin = next(
        (found for name in ("material/search", "search") if (found := config.plugins.get(name))),
        None,
    )
    kind = getattr(material_search, "SearchPlugin", None)
    if kind is None or type(plugin) is not kind:
        return False
    handlers = config.plugins.events.get("post_build", [])
    for position, handler in enumerate(handlers):
        owner = getattr(handler, "__self__", None)
        if isinstance(owner, _IndexFile) and owner.plugin is plugin:
            return True  # already
        if owner is plugin and getattr(handler, "__func__", None) is kind.on_post_build:
            handlers[position] = _IndexFile(plugin).on_post_build  # in its place: its turn
            return True
    return False


class _IndexFile:
    """Material's ``on_post_build``: the same file, never held whole."""

    def __init__(self, plugin: Any) -> None:
        self.plugin = plugin

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        plugin = self.plugin
        if plugin.is_dirty or plugin.search_index_prev is not None or not plugin.config.enabled:
            plugin.on_post_build(config=config)  # merges with the previous index: as it is
            return
        index = plugin.search_index
        entries = index.entries
        path = os.path.join(config.site_dir, "search", "search_index.json")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(index_head(index).encode())
            for start in range(0, len(entries), ENTRIES_PER_PIECE):
                piece = entry_json(entries[start : start + ENTRIES_PER_PIECE])[1:-1]  # [ ]
                file.write((("," if start else "") + piece).encode())
            file.write(INDEX_END.encode())


INDEX_END = "]}"


def index_head(index: Any) -> str:
    """The index file up to its first entry, as Material's ``generate_search_index``
    writes it."""
    config = {key: index.config[key] for key in ("lang", "separator", "pipeline", "fields")}
    return f'{{"config":{entry_json(config)},"docs":['


_ENCODER = json.JSONEncoder(separators=(",", ":"), default=str)  # one: making one costs


def entry_json(value: Any) -> str:
    """An entry of the index file (or a list of them), as Material's
    ``generate_search_index`` writes it: ASCII, so pieces of the file are joined as
    text or as bytes alike."""
    return _ENCODER.encode(value)

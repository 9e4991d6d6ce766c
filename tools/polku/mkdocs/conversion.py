"""What MkDocs makes of a page's Markdown, as plain data a cache can keep.

MkDocs' own conversion (``Page.render``) of a page, with the messages it logged, its
table of contents, title from the text and anchors, taken apart into data that
``marshal`` carries between processes and builds, and put back on a page.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable, Container, Iterator
from types import ModuleType
from typing import Any

import markdown as markdown_module
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import meta

from ..render.output import Packed

PAGES_LOGGER = "mkdocs.structure.pages"

# Extensions whose every trace of a document is cleared by ``Markdown.reset()``: a page
# converted with one instance used before converts as with a new one. (Python-Markdown's
# footnotes count their resets into the ids they write with UNIQUE_IDS: see _reusable.)
RESETTABLE_EXTENSIONS = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "def_list",
        "fenced_code",
        "footnotes",
        "md_in_html",
        "meta",
        "sane_lists",
        "tables",
        "toc",
        "pymdownx.details",
        "pymdownx.superfences",
        "polku.mkdocs.raw_html",
    }
)

# the page's HTML (compressed: see packed), table of contents, title from the text,
# anchors, links to anchors of other pages, log messages, digest of the HTML
Converted = tuple[
    bytes, list[Any], str | None, list[str], dict[str, dict[str, str]], list[Any], str
]


def convert_page(page: Page, markdown: str, config: MkDocsConfig, files: Files) -> Converted:
    """MkDocs' own conversion of ``markdown`` for ``page``, with the messages it logged.

    The page keeps neither the Markdown nor the HTML: the result carries them until
    the page is read (:func:`apply`), and a page of every conversion held at once
    would hold the whole site's text twice.
    """
    logger = logging.getLogger(PAGES_LOGGER)
    captured = _Capture()
    propagate = logger.propagate
    logger.addHandler(captured)
    logger.propagate = False
    markdown_before, content_before = page.markdown, page.content
    try:
        page.markdown = markdown
        with _one_markdown_instance(config):
            page.render(config, files)
        links = {
            target.src_uri: dict(anchors)
            for target, anchors in (page.links_to_anchors or {}).items()
        }
        html = page.content or ""
        return (
            packed(html),
            toc_data(page.toc),
            page._title_from_render,
            sorted(page.present_anchor_ids or ()),
            links,
            captured.records,
            content_digest(html),
        )
    finally:
        logger.removeHandler(captured)
        logger.propagate = propagate
        page.markdown, page.content = markdown_before, content_before


class _ReusedMarkdown(ModuleType):
    """The ``markdown`` module as MkDocs' page module sees it while polku converts pages:
    ``Markdown(...)`` hands out one reset instance per settings instead of a new one.

    Setting up an instance (loading every extension) was a tenth of converting a
    page. MkDocs registers its own processors on the instance for each page, under the
    same names, so each page gets fresh ones.
    """

    def __init__(self) -> None:
        super().__init__(markdown_module.__name__)
        self.__dict__.update(markdown_module.__dict__)
        del self.__dict__["Markdown"]  # the method below, not the class
        self._instances: dict[str, markdown_module.Markdown] = {}

    def Markdown(self, **settings: Any) -> markdown_module.Markdown:  # named as the module names it
        key = repr(sorted(settings.items()))
        instance = self._instances.get(key)
        if instance is None:
            instance = self._instances[key] = markdown_module.Markdown(**settings)
        else:
            instance.reset()
        return instance


_reused = _ReusedMarkdown()


@contextlib.contextmanager
def _one_markdown_instance(config: MkDocsConfig) -> Iterator[None]:
    if not _reusable(config) or mkdocs_pages.markdown is not markdown_module:
        yield
        return
    mkdocs_pages.markdown = _reused  # type: ignore[assignment]
    try:
        yield
    finally:
        mkdocs_pages.markdown = markdown_module


def _reusable(config: MkDocsConfig) -> bool:
    """Whether every Markdown extension of the site is one known to reset fully."""
    for extension in config.markdown_extensions:
        if not isinstance(extension, str):
            return False
        name = extension.removeprefix("markdown.extensions.")
        if name not in RESETTABLE_EXTENSIONS:
            return False
    footnotes = config.mdx_configs.get("footnotes") or {}
    return not footnotes.get("UNIQUE_IDS")


class HtmlHeldElsewhere(str):
    """A page's content while its HTML is kept packed by the page cache: an empty text
    that is this very object, so that the cache can tell no plugin replaced it."""

    __slots__ = ()


def apply(page: Page, result: Converted, files: Files, *, unpack: bool = True) -> None:
    """Put a conversion on ``page``; without ``unpack``, its content is a
    :class:`HtmlHeldElsewhere` for whoever holds the packed HTML to fill in later."""
    content, toc_entries, title, anchors, links, records, _digest = result
    logger = logging.getLogger(PAGES_LOGGER)
    for level, message in records:
        logger.log(level, message)
    page.content = unpacked(content) if unpack else HtmlHeldElsewhere()
    page.toc = toc(toc_entries)
    page._title_from_render = title
    page.present_anchor_ids = set(anchors)
    page.links_to_anchors = {
        target: dict(anchors)
        for uri, anchors in links.items()
        if (target := files.get_file_from_path(uri)) is not None
    }


def content_digest(html: str) -> str:
    """What tells a page's HTML from another in the keys of rendered pages."""
    return hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()


def packed(text: str) -> bytes:
    """Text kept for later, in a fifth of the memory."""
    return Packed.of(text).data


def unpacked(data: bytes) -> str:
    return Packed(data).text()


class PackedPageFile(File):
    """A generated page whose Markdown can be kept compressed until MkDocs reads it.

    A build reads each page once; the texts of a large site would otherwise take a
    good part of its memory while the pages are converted. Only a page converted in
    this build is worth it (:meth:`pack`): the text of a page whose conversion is
    cached is read once, and compressing it would cost a rebuild more than it saves.
    """

    @classmethod
    def of(cls, config: MkDocsConfig, src_uri: str, markdown: Any, **kwargs: Any) -> File:
        """The page ``src_uri`` of ``markdown`` (text, or :class:`Packed` already)."""
        if isinstance(markdown, Packed):
            file = cls.generated(config, src_uri, content="", **kwargs)
            assert isinstance(file, PackedPageFile)
            file._content, file._packed = markdown.data, True
            return file
        file = cls.generated(config, src_uri, content=markdown, **kwargs)
        assert isinstance(file, PackedPageFile)
        return file

    _packed = False
    # keep the text next unpacked for :meth:`take_text`, and that text
    keep_next_text = False
    _kept: str | None = None

    def packed(self) -> bytes | None:
        """The compressed text, if it is kept so."""
        return self._content if self._packed and isinstance(self._content, bytes) else None

    def pack(self) -> None:
        """Keep the text compressed from now on."""
        if not self._packed and isinstance(self._content, str):
            self._content = packed(self._content)
            self._packed = True

    def _get_text(self) -> str:
        if self._packed:
            assert isinstance(self._content, bytes)
            text = unpacked(self._content)
            if self.keep_next_text:
                self.keep_next_text, self._kept = False, text
            return text
        return File.content_string.__get__(self)

    def take_text(self) -> str | None:
        """The text unpacked after :attr:`keep_next_text` was set (by MkDocs reading the
        page), once: the page cache compares it with the page's Markdown instead of
        unpacking the page a second time."""
        text, self._kept = self._kept, None
        return text

    def _set_text(self, value: str) -> None:
        self._packed = False
        File.content_string.__set__(self, value)

    content_string = property(_get_text, _set_text)  # type: ignore[assignment]

    @property  # type: ignore[override]
    def content_bytes(self) -> bytes:
        return self._get_text().encode("utf-8") if self._packed else super().content_bytes

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self._packed = False
        File.content_bytes.__set__(self, value)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


def toc_data(toc: TableOfContents) -> list[Any]:
    def item(link: AnchorLink) -> list[Any]:
        return [link.title, link.id, link.level, [item(child) for child in link.children]]

    return [item(link) for link in toc]


def toc(data: list[Any]) -> TableOfContents:
    def link(entry: list[Any]) -> AnchorLink:
        anchor = AnchorLink(entry[0], entry[1], entry[2])
        anchor.children = [link(child) for child in entry[3]]
        return anchor

    items = [link(entry) for entry in data]
    if items:  # as MkDocs marks it: the first entry is the active one
        items[0].active = True  # type: ignore[attr-defined]
    return TableOfContents(items)


def page_source(file: File, generated: Container[str] = ()) -> str | None:
    """The Markdown of a documentation page as MkDocs will read it (front matter off);
    None when it cannot be read.

    The front matter of a page polku ``generated`` is a mapping polku wrote itself: it
    is cut off without parsing it. Should it ever read differently, the page's Markdown
    differs from MkDocs' and MkDocs converts the page itself (:meth:`reuse_conversion`).
    """
    try:
        source = file.content_string
    except (OSError, ValueError):
        return None
    return markdown_of(source, file.src_uri in generated)


def markdown_of(source: str, generated: bool) -> str:
    """A page's Markdown from its source, front matter off; see :func:`page_source`."""
    matched = meta.YAML_RE.match(source) if generated else None
    if matched is not None:
        return source[matched.end() :].lstrip("\n")
    return meta.get_data(source)[0]


def source_reader(
    generated: Container[str], expand: Callable[[str, str], str]
) -> Callable[[File], str | None]:
    """:func:`page_source`, with ``expand(markdown, src_uri)`` applied to the pages
    polku did not generate (the hand-written ones)."""

    def read(file: File) -> str | None:
        markdown = page_source(file, generated)
        if markdown is not None and file.src_uri not in generated:
            markdown = expand(markdown, file.src_uri)
        return markdown

    return read

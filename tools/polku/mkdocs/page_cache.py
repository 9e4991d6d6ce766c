"""What MkDocs makes of each page, made in parallel and kept between builds.

A performance measure that reaches into MkDocs 1.6 (the adapter only; the rest of
polku runs the same without it). MkDocs converts and renders every page of every
build in one process. Here:

- **Conversion** (Markdown to HTML, with MkDocs' own ``Page.render``) is done for
  every page at once before MkDocs asks for it, shared between the machine's cores
  (:func:`polku.parallel.map_plain`), and kept under the hash of everything it
  depends on: the page's Markdown and place, the site's files and their URLs, the
  Markdown settings, the versions. A page whose Markdown differs from what was
  converted (another plugin changed it) is converted by MkDocs as usual.
- **Rendering** (the theme template around the content) and the page's **search
  index entries** are kept under the hash of the converted page, its metadata, the
  navigation, the theme's templates and the configuration; a page whose inputs are
  all unchanged is written from the cache and its entries go into the search index
  in their place, so the site is byte-identical to one built without the cache.

Log messages a conversion printed are stored with it and printed again when it is
reused, so warnings (and ``--strict``) see the same as without the cache.

MkDocs reads every page before it writes the first and keeps each page's Markdown and
HTML to the end of the build. A build of a large site (:meth:`PageCache.read_lean`)
has each converted page let go of both once read: the HTML is kept compressed here and
put back on the page only while the page is written.

An unchanged page is not even read from the cache when the site being replaced holds
it: the live preview moves it from there, ``polku build`` links it
(:mod:`polku.mkdocs.carry_over`). A build records, next to the cache, each page's key,
search entries and file (size, modification time, inode) as written; the next build
takes a published page only while its file is still that very file.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import zlib
from collections.abc import Callable, Container, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .. import background, parallel
from ..store import FileStore
from . import carry_over as over
from . import page_keys, search_sections
from .carry_over import Published, carry_over, link_over
from .conversion import (
    Converted,
    PackedPageFile,
    apply,
    content_digest,
    convert_page,
    unpacked,
)

# below this many pages to convert, sharing them with another process costs more than it saves
PARALLEL_MIN_PAGES = 40
# pages whose content another plugin fills in after conversion (Material's tag listings)
LISTING_MARK = "material/tags"

# the events of plugins that might read a page's Markdown or HTML after MkDocs read it
AFTER_READING = (
    "page_content",
    "env",
    "pre_template",
    "template_context",
    "page_context",
    "post_template",
    "post_page",
    "post_build",
)


class PackedEntries(NamedTuple):
    """A page's search entries as they came from the process that rendered the page:
    the text of the whole site is held until MkDocs writes each page, and held packed
    it is a fifth of the memory while the page writers run."""

    key: str  # the page's, as rendered
    data: bytes

    @staticmethod
    def pack(entries: list[Any]) -> bytes:
        """The ``data`` of ``entries``: plain data, as the forked processes send it back."""
        return zlib.compress(marshal.dumps(entries), 1)

    def unpacked(self) -> list[Any]:
        return marshal.loads(zlib.decompress(self.data))  # type: ignore[no-any-return]


def _record(html: bytes, entries: bytes) -> tuple[bytes, bytes]:
    """A rendered page as the cache keeps it: its HTML and its packed search entries
    (:meth:`PackedEntries.pack`, made once for the process taking them in and for the
    cache), each compressed, so that the record is stored as it is."""
    return zlib.compress(html, 1), entries


def _from_record(stored: Any) -> tuple[bytes, list[Any]] | None:
    """The HTML and search entries of a :func:`_record` read back; None when the record
    is damaged (the page is made again)."""
    try:
        return zlib.decompress(stored[0]), PackedEntries("", stored[1]).unpacked()
    except (zlib.error, ValueError, EOFError, TypeError, IndexError):
        return None


class PageCache:
    """Conversions, rendered pages and search entries of one site, between builds."""

    def __init__(self, folder: Path) -> None:
        self.store = FileStore(folder, page_keys.salt())
        # src_uri -> (key, token of the Markdown converted, conversion); no token once applied
        self.ready: dict[str, tuple[str, int | None, Converted]] = {}
        self.settings = ""  # digest of what every conversion depends on
        self.layout = ""  # digest of what every rendered page depends on
        self.search: Any = None  # Material's search index, when the site has search
        self.converted: list[str] = []  # the pages this build converted (not from the cache)
        self._original_build_page: Callable[..., None] | None = None
        # this build's pages made ahead of MkDocs' asking: src_uri -> (HTML to write, entries)
        self._built: dict[str, tuple[bytes | None, list[Any] | PackedEntries]] | None = None
        # the live preview: the site the previous build published, to move unchanged pages from
        self.previous: Published | None = None
        self.published: dict[str, tuple[str, list[Any]]] = {}  # dest_uri -> (key, entries)
        self.carried: dict[str, str] = {}  # dest_uri -> key: to move from the previous site
        self._original_populate_page: Callable[..., None] | None = None
        self._applied: dict[str, str] = {}  # src_uri -> the HTML given to the page being read
        # pages holding neither Markdown nor HTML now: src_uri -> digest of the HTML
        self._released: dict[str, str] = {}
        self._folders: over.Folders = None  # the page folders made ahead (make_folders)

    # --- before the pages: digests and conversions ------------------------------------

    def start(self, config: MkDocsConfig, files: Files, nav: Navigation) -> None:
        """Note what pages depend on, and convert every page that is not in the cache."""
        site_files = sorted((f.src_uri, f.url, f.dest_uri) for f in files)
        self.settings = page_keys.digest(
            repr(config.markdown_extensions),
            repr(sorted(config.mdx_configs.items(), key=lambda item: item[0])),
            str(config.use_directory_urls),
            str(config.site_url),
            repr(config.validation),
            json.dumps(site_files),
        )
        self.layout = page_keys.digest(
            self.settings,
            page_keys.navigation_digest(nav),
            page_keys.config_digest(config),
            page_keys.theme_digest(config),
        )
        self.search = _search_index(config)
        if self.search is not None:
            search_sections.speed_up(self.search)
            search_sections.write_in_pieces(config)
        pages = {file.dest_uri for file in files.documentation_pages()}
        self._folders = over.make_folders(Path(config.site_dir), self.previous, pages)
        self.ready = {}
        # this build's: the plugin and this cache outlive a build of the live preview
        self.published, self.carried = {}, {}
        self._applied, self._released = {}, {}
        self.store.used.clear()

    def convert_all(
        self,
        config: MkDocsConfig,
        files: Files,
        read: Callable[[File], str | None],
        only: Container[str] | None = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        """Have every documentation page (or those named ``only``) converted, in parallel.

        ``read`` gives a page's Markdown as MkDocs will read it. It is asked again
        where a page is converted: a large site's texts are never all held at once.
        ``meanwhile``: other work of this process, done while the others convert.
        """
        # (key, page, token of its Markdown: None when the Markdown was not read here)
        todo: list[tuple[str, str, int | None]] = []
        sizes: dict[str, int] = {}
        for file in files.documentation_pages():
            if only is not None and file.src_uri not in only:
                continue
            packed = file.packed() if isinstance(file, PackedPageFile) else None
            if packed is not None:
                # a page polku made, kept compressed: keyed by those bytes (the same text
                # packs to the same bytes), unpacked only where it is converted
                key = self.store.key("packed", self.settings, file.src_uri, file.url, packed)
                markdown, size = None, 5 * len(packed)
            else:
                markdown = read(file)
                if markdown is None or LISTING_MARK in markdown:
                    continue
                key = self.store.key("conversion", self.settings, file.src_uri, file.url, markdown)
                size = len(markdown)
            stored = self.store.get(key, shared=True)  # _apply copies what it changes
            if stored is not None:
                if markdown is None:  # compared with the text MkDocs unpacks (same_text)
                    assert isinstance(file, PackedPageFile)
                    file.keep_next_text = True
                    self.ready[file.src_uri] = (key, page_keys.AS_PACKED, tuple(stored))  # type: ignore[arg-type]
                    continue
                self.ready[file.src_uri] = (key, page_keys.token(markdown), tuple(stored))  # type: ignore[arg-type]
            else:
                todo.append((key, file.src_uri, page_keys.token(markdown) if markdown else None))
                sizes[file.src_uri] = size
                if isinstance(file, PackedPageFile):  # held until read: a large site's text
                    file.pack()

        def convert(item: tuple[str, str, int | None]) -> tuple[Converted, int] | None:
            key, src_uri, token = item
            file = files.get_file_from_path(src_uri)
            assert file is not None
            markdown = read(file)
            if markdown is None or LISTING_MARK in markdown:
                return None  # MkDocs converts what it reads
            read_token = page_keys.token(markdown)
            if token is not None and read_token != token:
                return None  # changed meanwhile
            page = file.page if file.page is not None else Page(None, file, config)
            converted = convert_page(page, markdown, config, files)
            # kept by the process that made it; the HTML in it is compressed already
            self.store.put(key, list(converted), packed=True)
            return converted, read_token  # tokens hold across forked copies of a process

        self.converted = [src_uri for _key, src_uri, _token in todo]
        todo.sort(key=lambda item: -sizes[item[1]])  # the longest first: see _size
        results = parallel.map_plain(
            convert,
            todo,
            min_share=PARALLEL_MIN_PAGES,
            give_back_memory=True,
            meanwhile=meanwhile,
        )
        for (key, src_uri, _token), result in zip(todo, results, strict=True):
            if result is None:
                continue
            self.store.adopt(key)
            converted, token = result
            self.ready[src_uri] = (key, token, tuple(converted))  # type: ignore[arg-type]

    def reuse_conversion(self, page: Page) -> None:
        """Let ``page.render`` take the conversion made for it, when its Markdown is the same."""
        # MkDocs' own, also when the preview reads a page of the shown site again
        render = getattr(page.render, "__wrapped__", page.render)

        def converted(config: MkDocsConfig, files: Files) -> None:
            src_uri = page.file.src_uri
            entry = self.ready.get(src_uri)
            if entry is None or page.markdown is None or not page_keys.same_text(page, entry[1]):
                render(config, files)
                return
            lean = self._original_populate_page is not None
            # a lean build lets go of the HTML once the page is read (_release): it is
            # unpacked only while the page is written (_held)
            apply(page, entry[2], files, unpack=not lean)
            self.ready[src_uri] = (entry[0], None, entry[2])  # the page holds the Markdown
            if lean:
                self._applied[page.file.src_uri] = page.content  # type: ignore[assignment]

        converted.__wrapped__ = render  # type: ignore[attr-defined]
        page.render = converted  # type: ignore[method-assign]

    def read_lean(
        self, config: MkDocsConfig, released: Callable[[File], None] = lambda file: None
    ) -> None:
        """Have each page converted here let go of its Markdown and HTML once MkDocs has
        read it (this build only; undone by :meth:`uninstall`).

        Only when every plugin acting on pages after they are read is one known not to
        look at other pages' text: a page's HTML is put back only while it is written.
        ``released``: told of each page's file, to let go of what else holds its text.
        """
        if self._original_populate_page is not None or not _plain_page_hooks(config, AFTER_READING):
            return
        original = mkdocs_build._populate_page
        self._original_populate_page = original

        def populate_page(page: Page, *args: Any, **kwargs: Any) -> None:
            original(page, *args, **kwargs)
            if self._release(page):
                released(page.file)

        mkdocs_build._populate_page = populate_page  # type: ignore[assignment]

    def _release(self, page: Page) -> bool:
        applied = self._applied.pop(page.file.src_uri, None)
        src_uri = page.file.src_uri
        if applied is None:
            return False  # converted by MkDocs: kept as it is
        # only plugins known to leave the HTML as it is act on pages here (read_lean)
        assert page.content is applied, src_uri
        # "" and not None: MkDocs takes a page without Markdown for one never read
        page.markdown = ""
        page.content = None
        key, token, converted = self.ready[src_uri]
        self._released[src_uri] = converted[6]
        # the page holds its table of contents, anchors and links now: only the HTML is
        # kept here, for the time the page is written
        self.ready[src_uri] = (key, token, (converted[0], [], None, [], {}, [], converted[6]))
        return True

    @contextlib.contextmanager
    def _held(self, page: Page) -> Iterator[None]:
        """The page's HTML on the page for the time being, if it was let go of."""
        src_uri = page.file.src_uri
        if src_uri not in self._released or page.content is not None:
            yield
            return
        page.content = unpacked(self.ready[src_uri][2][0])
        try:
            yield
        finally:
            page.content = None

    # --- while MkDocs writes the pages: rendered pages and search entries ----------------

    def install(self) -> None:
        """Have MkDocs' page writer take unchanged pages from the cache (this build only)."""
        if self._original_build_page is not None:
            return
        original = mkdocs_build._build_page
        self._original_build_page = original

        def build_page(page: Page, config: MkDocsConfig, *args: Any, **kwargs: Any) -> None:
            self._build_page(original, page, config, *args, **kwargs)

        mkdocs_build._build_page = build_page  # type: ignore[assignment]
        self._built = None

    def uninstall(self) -> None:
        over.folders_made(self._folders)
        self._folders = None
        if self._original_build_page is not None:
            mkdocs_build._build_page = self._original_build_page  # type: ignore[assignment]
            self._original_build_page = None
        if self._original_populate_page is not None:
            mkdocs_build._populate_page = self._original_populate_page  # type: ignore[assignment]
            self._original_populate_page = None

    def wait_for_pages(self) -> None:
        """Return once every page is on disk; raise the first error of writing one."""
        background.wait()

    def _build_page(
        self,
        original: Callable[..., None],
        page: Page,
        config: MkDocsConfig,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        if not _cacheable(page, kwargs.get("excluded", False)):
            with self._held(page):
                original(page, config, *args, **kwargs)
            return
        if self._built is None:  # the first page: then every other one at once
            self._built = {}
            self._write(original, page, config, args, kwargs)
            self._build_all(original, config, args, kwargs)
            return
        built = self._built.pop(page.file.src_uri, None)
        if built is None:
            self._write(original, page, config, args, kwargs)
            return
        self._publish(page, *built)

    def _key(self, page: Page) -> str:
        """The key of the page as rendered."""
        content = self._released.get(page.file.src_uri)
        if content is None or page.content is not None:
            content = content_digest(page.content or "")
        return self.store.key("page", self.layout, page_keys.page_digest(page, content))

    def _publish(self, page: Page, html: bytes | None, entries: list[Any] | PackedEntries) -> None:
        """Write a page rendered earlier (in the background) and add its search entries."""
        if html:
            # creating folders and files waits on the disk far more than on Python, and
            # a preview rebuild of a small site is mostly that waiting
            background.submit(_write_page, html, page.file.abs_dest_path)
        if isinstance(entries, PackedEntries):
            key, entries = entries.key, entries.unpacked()
            self.published[page.file.dest_uri] = (key, entries)
        if self.search is not None:
            self.search.entries.extend(entries)

    def _write(
        self,
        original: Callable[..., None],
        page: Page,
        config: MkDocsConfig,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        """One page from the cache, or rendered by MkDocs and kept."""
        key = self._key(page)
        known = self._known(page, key)
        if known is None:
            with self._held(page):
                entries, _packed = self._render(original, page, config, args, kwargs, key)
            self.published[page.file.dest_uri] = (key, entries)
            if self.search is not None:
                self.search.entries.extend(entries)
            return
        self._publish(page, *known)

    def _known(self, page: Page, key: str) -> tuple[bytes | None, list[Any]] | None:
        """The page's HTML (None: moved from the previous site) and search entries, if known."""
        dest = page.file.dest_uri
        if self.previous is not None:
            published = self.previous.pages.get(dest)
            if published is not None and published[0] == key:
                self.carried[dest] = key
                self.store.used.add(key)  # kept: the next build may need to write it
                self.published[dest] = published
                return None, published[1]
        record = _from_record(self.store.get(key))
        if record is None:
            return None
        html, entries = record
        self.published[dest] = (key, entries)
        return html or None, entries

    def _render(
        self,
        original: Callable[..., None],
        page: Page,
        config: MkDocsConfig,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        key: str,
    ) -> tuple[list[Any], bytes]:
        """MkDocs renders and writes the page; its search entries are returned (and
        packed), not added."""
        before = len(self.search.entries) if self.search is not None else 0
        original(page, config, *args, **kwargs)
        entries: list[Any] = []
        if self.search is not None:
            entries = list(self.search.entries[before:])
            del self.search.entries[before:]
        try:
            html = Path(page.file.abs_dest_path).read_bytes()
        except OSError:
            html = b""
        packed = PackedEntries.pack(entries)
        self.store.put(key, _record(html, packed), packed=True)
        return entries, packed

    def _build_all(
        self,
        original: Callable[..., None],
        config: MkDocsConfig,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        """Every other page: from the cache, or rendered by several processes at once.

        The pages are written in MkDocs' order afterwards (``_build_page``), so the
        search index lists them as it would without this.
        """
        assert self._built is not None
        doc_files = args[0]
        todo: list[tuple[str, str]] = []
        for file in doc_files:
            page = file.page
            if page is None or not _cacheable(page, file.inclusion.is_excluded()):
                continue
            if file.dest_uri in self.published:  # the first page, written already
                continue
            key = self._key(page)
            known = self._known(page, key)
            if known is not None:
                self._built[file.src_uri] = known
            else:
                todo.append((file.src_uri, key))
        if not _plain_page_hooks(config):
            return  # another plugin acts on each page: MkDocs renders them one by one
        pages = {file.src_uri: file.page for file in doc_files}
        todo.sort(key=lambda item: -self._size(pages[item[0]]))  # see _size

        def render(item: tuple[str, str]) -> bytes:
            src_uri, key = item
            page = pages[src_uri]
            with self._held(page):
                return self._render(original, page, config, args, kwargs, key)[1]

        results = parallel.map_plain(
            render, todo, min_share=PARALLEL_MIN_PAGES, give_back_memory=True
        )
        for (src_uri, key), packed in zip(todo, results, strict=True):
            self.store.used.add(key)  # written by whichever process rendered it
            self._built[src_uri] = (None, PackedEntries(key, packed))  # on disk already

    def _size(self, page: Page) -> int:
        """About how long the page's HTML is (kept compressed: a fifth of it).

        Pages shared between processes go largest first: the work left at the end,
        when one process may wait for another, is then that of small pages.
        """
        if page.content is not None:
            return len(page.content)
        entry = self.ready.get(page.file.src_uri)
        return 5 * len(entry[2][0]) if entry is not None else 0

    def rebuild(
        self, page: Page, config: MkDocsConfig, doc_files: Any, nav: Navigation, env: Any
    ) -> tuple[str, list[Any]]:
        """One page of the shown preview made again (:mod:`.preview_update`), written to
        its ``abs_dest_path``: its key and search entries, for :meth:`published_again`."""
        assert self._original_build_page is None, "not while MkDocs writes a site"
        key = self._key(page)
        record = _from_record(self.store.get(key))
        if record is not None and record[0]:
            _write_page(record[0], page.file.abs_dest_path)
            return key, record[1]
        original = mkdocs_build._build_page
        with self._held(page):
            arguments = (doc_files, nav, env)
            return key, self._render(original, page, config, arguments, {}, key)[0]

    def published_again(self, dest_uri: str, key: str, entries: list[Any]) -> None:
        """The shown site now holds ``dest_uri`` as made under ``key``."""
        self.published[dest_uri] = (key, entries)
        self.store.used.add(key)

    def finish(self) -> None:
        """Forget what no page of this build used."""
        self.wait_for_pages()
        self.uninstall()
        self.store.prune()

    def carry_into(self, site_dir: Path) -> None:
        """Move (the preview) or link (a build) the unchanged pages from the previous site
        into ``site_dir``.

        Done last before the new site is published: the previous one is served until
        then, whole.
        """
        over.folders_made(self._folders)
        self._folders = None
        if not self.carried or self.previous is None:
            return
        if self.previous.link:
            missing = link_over(self.previous.site, site_dir, set(self.carried))
        else:
            missing = carry_over(self.previous.site, site_dir, set(self.carried))
        for dest in sorted(missing):  # gone from the previous site: written from the cache
            record = _from_record(self.store.get(self.carried[dest]))
            html = record[0] if record is not None else b""
            if not html:
                raise OSError(f"{self.previous.site / dest}: gone, and not in the cache")
            _write_page(html, str(site_dir / dest))


def _write_page(html: bytes, path: str | None) -> None:
    assert path is not None
    try:
        with open(path, "wb") as file:
            file.write(html)
    except FileNotFoundError:  # the first page of its folder
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(html)


def _cacheable(page: Page, excluded: bool) -> bool:
    return not excluded and page.markdown is not None and LISTING_MARK not in page.markdown


# plugins whose page hooks only read the page or add to what the build keeps here
_PAGE_HOOK_MODULES = ("polku.", "material.plugins.search.", "material.plugins.tags.")


def _plain_page_hooks(
    config: MkDocsConfig, events: tuple[str, ...] = ("page_context", "post_page", "page_content")
) -> bool:
    """Whether every plugin acting on rendered pages is one whose work is kept here."""
    for event in events:
        for handler in config.plugins.events.get(event, []):
            owner = getattr(handler, "__self__", handler)
            if not type(owner).__module__.startswith(_PAGE_HOOK_MODULES):
                return False
    return True


def _search_index(config: MkDocsConfig) -> Any:
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None:
            return getattr(plugin, "search_index", None)
    return None

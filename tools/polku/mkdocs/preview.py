"""The live preview keeps serving the last good site while the curriculum has errors.

MkDocs' development server holds every request after a failed rebuild until a
build succeeds ("the server will appear stuck"), and prints a traceback for an
unexpected error. polku's preview instead logs the located problems (the plugin
has done that already), says that the last good version is still shown, and goes
on serving it; builds there are staged and swapped in whole, so a failed build
never leaves a half-written preview behind. The next save that fixes the file
rebuilds and reloads the browser as usual.

MkDocs' file watcher also stops for good when a watched folder disappears (a branch
switch deletes and re-creates ``curriculum/``; a folder is moved away and back); polku
watches it again once it is back, and rebuilds.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from watchdog.events import FileModifiedEvent

from ..environment import fault_of
from ..render.markup import MemoryBytecodeCache

log = logging.getLogger("mkdocs.plugins.polku")

KEPT = "polku: the preview still shows the last good version; fix the problem above and save"


def keep_last_good_site(server: Any) -> Any:
    """Wrap the development server's builder so that a failed rebuild is not fatal."""
    build = server.builder

    def builder(config: Any = None) -> None:
        try:
            build(config)
        except (Abort, BuildError):
            log.error(KEPT)
        except Exception as exc:
            fault = fault_of(exc)
            if fault is not None:  # a full disk, a folder without access: not a bug
                log.error(f"{fault.message}. {KEPT}")
                return
            from ..cli import ISSUES_URL, _write_crash_log

            path = _write_crash_log()
            log.error(
                "polku: internal error while rebuilding; this is a bug in polku, please report "
                f"it at {ISSUES_URL} with the details in {path}. {KEPT}"
            )

    server.builder = builder
    return server


def keep_watching(server: Any, interval: float = 0.5) -> Any:
    """Watch a watched folder again when it is back after being deleted or moved away.

    The development server polls each watched path; when one vanishes, its poller
    stops for good, so a curriculum re-created by a branch switch would never be
    rebuilt. A thread looks every ``interval`` seconds for a stopped poller whose path
    exists again, starts a new one through the server's own ``unwatch``/``watch``, and
    requests a rebuild (the new poller knows only the folder as it is now).
    """

    def look() -> None:
        observer = server.observer
        while not observer.is_alive():  # the server starts watching after this hook
            if observer.stopped_event.wait(interval):
                return
        paths = {emitter.watch.path for emitter in list(observer.emitters)}
        while not observer.stopped_event.wait(interval):
            running = {e.watch.path for e in list(observer.emitters) if e.is_alive()}
            for path in sorted(paths - running):
                if os.path.exists(path) and _watch_again(server, path):
                    log.info("polku: watching %s again", path)

    threading.Thread(target=look, name="polku-watch", daemon=True).start()
    return server


def _watch_again(server: Any, path: str) -> bool:
    """Replace the stopped watch of ``path``; True when a rebuild was requested."""
    with contextlib.suppress(KeyError):  # the server forgets the path after its last unwatch
        while True:
            server.unwatch(path)
    try:
        server.watch(path)
    except OSError:  # gone again already; the next look retries
        return False
    observer = server.observer
    for emitter in list(observer.emitters):
        if emitter.watch.path == path:
            # the server rebuilds on any event but a folder's
            observer.event_queue.put((FileModifiedEvent(path), emitter.watch))
            return True
    return False


# --- what one preview rebuild keeps for the next ---------------------------------------
#
# MkDocs' development server rebuilds the whole site after every save, with a new
# configuration (the polku plugin instance stays). Most of that work gives the same result as
# last time: the Markdown of every page but the one edited, the calendar files when
# no programme changed, the compiled theme templates. The memo below lives as long as
# the server process and hands those results back; a page is converted again whenever
# its Markdown, the Markdown settings or the site's set of pages and URLs changed.


@dataclass
class _Rendered:
    key: tuple[int, str]
    content: str | None
    toc: Any
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None  # target page's src_uri -> anchors


@dataclass
class PreviewMemo:
    """Results one preview rebuild hands to the next."""

    pages: dict[str, _Rendered] = field(default_factory=dict)
    outputs: dict[str, tuple[Hashable, dict[str, bytes]]] = field(default_factory=dict)
    templates: MemoryBytecodeCache = field(default_factory=MemoryBytecodeCache)
    context: int = 0

    def start(self, config: MkDocsConfig, files: Files) -> None:
        """Note what every page's HTML depends on besides its own Markdown."""
        self.context = hash(
            (
                repr(config.markdown_extensions),
                repr(config.mdx_configs),
                config.use_directory_urls,
                config.site_url,
                tuple((file.src_uri, file.url) for file in files),
            )
        )

    def remember_rendering(self, page: Page) -> None:
        """Let ``page`` take its HTML from the last rebuild when nothing it uses changed."""
        render = page.render

        def memoised(config: MkDocsConfig, files: Files) -> None:
            key = (self.context, page.markdown or "")
            kept = self.pages.get(page.file.src_uri)
            if kept is not None and kept.key == key:
                page.content, page.toc = kept.content, copy.deepcopy(kept.toc)
                page._title_from_render = kept.title
                page.present_anchor_ids = kept.anchors
                if kept.links is not None:
                    page.links_to_anchors = {
                        target: links
                        for uri, links in kept.links.items()
                        if (target := files.get_file_from_path(uri)) is not None
                    }
                return
            render(config, files)
            links = page.links_to_anchors
            self.pages[page.file.src_uri] = _Rendered(
                key,
                page.content,
                copy.deepcopy(page.toc),
                page._title_from_render,
                page.present_anchor_ids,
                None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
            )

        page.render = memoised  # type: ignore[method-assign]

    def outputs_for(
        self, name: str, key: Hashable, make: Callable[[], dict[str, bytes]]
    ) -> dict[str, bytes]:
        """``make()``, or what it returned last time for the same ``key``."""
        kept = self.outputs.get(name)
        if kept is not None and kept[0] == key:
            return kept[1]
        made = make()
        self.outputs[name] = (key, made)
        return made


def files_key(folder: Path, pattern: str) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of the files under ``folder`` that match."""
    found = []
    for path in sorted(folder.rglob(pattern)):
        with contextlib.suppress(OSError):
            stat = path.stat()
            found.append((path.as_posix(), stat.st_mtime_ns, stat.st_size))
    return tuple(found)

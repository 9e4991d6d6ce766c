"""The live preview keeps serving the last good site while the curriculum has errors.

MkDocs' development server holds every request after a failed rebuild until a
build succeeds ("the server will appear stuck"), and prints a traceback for an
unexpected error. polku's preview instead logs the located problems (the plugin
has done that already), says that the last good version is still shown, and goes
on serving it; builds there are staged and swapped in whole, so a failed build
never leaves a half-written preview behind. The next save that fixes the file
rebuilds and reloads the browser as usual.
"""

from __future__ import annotations

import contextlib
import copy
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

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
        except Exception:
            from ..cli import ISSUES_URL, _write_crash_log

            path = _write_crash_log()
            log.error(
                "polku: internal error while rebuilding; this is a bug in polku, please report "
                f"it at {ISSUES_URL} with the details in {path}. {KEPT}"
            )

    server.builder = builder
    return server


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

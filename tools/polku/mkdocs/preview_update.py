"""The live preview updates the shown site in place when a save changes page text only.

MkDocs' development server builds the whole site again for every save: it reads the
configuration, lists and reads every page, makes the navigation, and writes every
page and the search index. polku's caches make most of that cheap, but at a thousand
modules the structures of two thousand pages still cost a second and more.

Most saves change the text of a module, a session or a programme and nothing else.
For those, polku prepares its outputs as for any build (read, check, plan, render:
the check still sees every file) and compares them with the outputs of the site the
preview shows. When

- ``mkdocs.yml``, the hand-written pages, the theme overrides and every other watched
  path outside the curriculum are as they were,
- the same pages and files are published, with the same navigation,
- and every changed page keeps its front matter, title and search entries' place,

only the changed pages are converted and rendered, with MkDocs' own functions and the
structures of the last whole build (the files, the navigation, the templates), and
they, the changed files and the search index replace their counterparts in the shown
site, each file whole. The result is the site a whole build makes (tested byte for
byte). Anything else builds the whole site, as before; so does a failed update.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.utils import meta

from .. import build
from ..render.docs import expand_markers
from ..render.output import Output
from . import offline
from .conversion import source_reader
from .page_cache import LISTING_MARK, PageCache
from .search_sections import INDEX_END, entry_json, index_head

log = logging.getLogger("mkdocs.plugins.polku")

# A file changed this recently before a whole build looked at it may have changed while
# MkDocs read it: the next save builds the whole site again rather than trust it.
UNSURE_SECONDS = 2.0

Stamp = tuple[int, int]  # modification time (ns) and size of a file


class NotInPlace(Exception):
    """This change needs a whole build; the message says why (for the debug log)."""


@dataclass
class ShownSite:
    """The site the preview shows and what its whole build was made of."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any  # the theme's Jinja environment
    prepared: build.Prepared
    engine_files: set[str]
    target: Path  # the folder the preview serves
    # watched inputs outside the curriculum, as the whole build read them; None: unsure
    inputs: dict[str, Stamp] | None
    # the files published as they are (curriculum assets, polku's own), as read
    sources: dict[str, Stamp]
    search_text: SearchIndexText | None = None

    @functools.cached_property
    def doc_files(self) -> list[File]:
        """The pages as the preview's build listed them (the files stay those of that build)."""
        return list(self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve))


def stamps_outside_curriculum(config: MkDocsConfig, curriculum: Path) -> dict[str, Stamp]:
    """The state of every watched input a whole build reads but polku's update does not:
    ``mkdocs.yml``, the hand-written pages, the project's theme folders, other watched
    paths (the curriculum excluded, wherever it lies)."""
    roots = [config.config_file_path, config.docs_dir, *config.watch, *_own_theme_dirs(config)]
    found: dict[str, Stamp] = {}
    for root in roots:
        if root:
            _stamp_tree(Path(root), curriculum.resolve(), found)
    return found


def recent(stamps: dict[str, Stamp], now_ns: int) -> bool:
    """Whether a file changed a moment ago: it may have changed while a build read it."""
    limit = now_ns - int(UNSURE_SECONDS * 1e9)
    return any(mtime > limit for mtime, _size in stamps.values())


def _own_theme_dirs(config: MkDocsConfig) -> list[str]:
    """Theme folders of the project (``custom_dir``), not of installed packages."""
    project = Path(config.config_file_path or ".").resolve().parent
    return [d for d in config.theme.dirs if Path(d).resolve().is_relative_to(project)]


def _stamp_tree(root: Path, curriculum: Path, found: dict[str, Stamp]) -> None:
    try:
        resolved = root.resolve()
        if resolved == curriculum or resolved.is_relative_to(curriculum):
            return
        status = os.stat(resolved)
    except OSError:
        found[str(root)] = (-1, -1)  # absent: its appearing changes the stamps
        return
    if not os.path.isdir(resolved):
        found[str(resolved)] = (status.st_mtime_ns, status.st_size)
        return
    found[str(resolved)] = (status.st_mtime_ns, 0)
    for parent, folders, names in os.walk(resolved):
        folders[:] = sorted(f for f in folders if Path(parent, f).resolve() != curriculum)
        for name in [*sorted(names), *folders]:
            path = os.path.join(parent, name)
            try:
                status = os.stat(path)
            except OSError:
                continue
            found[path] = (status.st_mtime_ns, status.st_size if name in names else 0)


def source_stamps(prepared: build.Prepared) -> dict[str, Stamp]:
    """The state of every output published from a file as it is."""
    found: dict[str, Stamp] = {}
    for output in prepared.outputs:
        if output.content is None and output.source is not None:
            try:
                status = os.stat(output.source)
            except OSError:
                found[output.path] = (-1, -1)
            else:
                found[output.path] = (status.st_mtime_ns, status.st_size)
    return found


# --- the update ----------------------------------------------------------------------------


@dataclass
class Changes:
    pages: list[str] = field(default_factory=list)  # src_uri of pages to make again
    files: list[Output] = field(default_factory=list)  # files to publish again
    sources: dict[str, Stamp] = field(default_factory=dict)  # source_stamps of the new outputs


def changes(shown: ShownSite, new: build.Prepared) -> Changes:
    """What differs between the shown site's outputs and ``new``'s; NotInPlace if much."""
    old = shown.prepared
    if new.language != old.language or new.navigation != old.navigation:
        raise NotInPlace("the navigation changed")
    old_outputs, new_outputs = list(old.outputs), list(new.outputs)
    if [o.path for o in old_outputs] != [o.path for o in new_outputs]:
        raise NotInPlace("pages or files were added or removed")
    found = Changes(sources=source_stamps(new))
    sources = found.sources
    for before, after in zip(old_outputs, new_outputs, strict=True):
        if (before.is_page, before.in_nav, before.deferred, before.title) != (
            after.is_page,
            after.in_nav,
            after.deferred,
            after.title,
        ):
            raise NotInPlace(f"{after.path} is published differently")
        if after.deferred or (after.is_page and after.path not in shown.engine_files):
            continue  # the PDFs (never in the preview), a page docs/ holds by hand
        if after.content is None:
            unchanged = before.source == after.source and (
                shown.sources.get(after.path) == sources.get(after.path)
            )
        else:
            unchanged = before.content == after.content
        if unchanged:
            continue
        if after.is_page:
            found.pages.append(after.path)
        else:
            found.files.append(after)
    for file in shown.doc_files:  # hand-written pages that list the programmes
        if file.src_uri in new.outputs or file.page is None:
            continue
        try:
            source = meta.get_data(file.content_string)[0]
        except (OSError, ValueError) as exc:
            raise NotInPlace(f"{file.src_uri}: {exc}") from None
        src = file.src_uri
        if expand_markers(source, src, new.site) != expand_markers(source, src, old.site):
            found.pages.append(src)
    return found


def update(
    shown: ShownSite,
    pages: PageCache,
    prepare: Callable[[], build.Prepared],
) -> build.Prepared:
    """Bring the shown site up to date in place; the new prepared outputs.

    Raises :class:`NotInPlace` before anything is written when a whole build is needed,
    and any error of preparing (the curriculum has errors) as a whole build would.
    """
    if shown.inputs is None:
        raise NotInPlace("a watched file changed during the last whole build")
    if shown.prepared.workbooks is not None:
        raise NotInPlace("the preview makes the PDFs")
    config = shown.config
    if stamps_outside_curriculum(config, shown.prepared.curriculum.curriculum_dir) != shown.inputs:
        raise NotInPlace("a file outside the curriculum changed")
    new = prepare()
    found = changes(shown, new)
    by_uri = {file.src_uri: file for file in shown.doc_files}
    targets = []
    for src_uri in found.pages:
        file = by_uri.get(src_uri)
        if file is None or file.page is None or file.inclusion.is_excluded():
            raise NotInPlace(f"{src_uri} is not a page of the shown site")
        targets.append(file)
    written: list[tuple[str, str]] = []  # (temporary, final) paths
    made: list[tuple[str, str, list[Any]]] = []  # (dest_uri, key, entries) of each page
    try:
        made = _make_pages(shown, pages, new, targets, written)
        for output in found.files:
            final = shown.target / _published_path(shown, output.path)
            written.append((_write_beside(final, output.data()), str(final)))
        if targets and shown.search_text is not None:
            index = shown.target / "search" / "search_index.json"
            text = shown.search_text.text()
            written.append((_write_beside(index, text.encode("utf-8")), str(index)))
    except BaseException:
        for temporary, _final in written:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
    for temporary, final in written:  # the site as a whole build would leave it
        os.replace(temporary, final)
    for dest_uri, key, entries in made:
        pages.published_again(dest_uri, key, entries)
    if targets and new.project.options.offline:
        offline.inline_search_index(shown.target)
    shown.prepared = new
    shown.sources = found.sources
    return new


def _make_pages(
    shown: ShownSite,
    pages: PageCache,
    new: build.Prepared,
    targets: list[File],
    written: list[tuple[str, str]],
) -> list[tuple[str, str, list[Any]]]:
    """Convert and render the changed pages into files beside the shown ones."""
    config, files = shown.config, shown.files
    outputs = {output.path: output for output in new.outputs}
    before: dict[str, tuple[Any, Any, list[Any]]] = {}
    for file in targets:
        page = file.page
        assert page is not None
        published = pages.published.get(file.dest_uri)
        if published is None or (shown.search_text is not None and not published[1]):
            raise NotInPlace(f"{file.src_uri}: its search entries are not known")
        before[file.src_uri] = (dict(page.meta), page.title, published[1])
        output = outputs.get(file.src_uri)
        if output is not None and file.src_uri in shown.engine_files:
            file.content_string = output.text
    read = source_reader(new.outputs, lambda text, src_uri: expand_markers(text, src_uri, new.site))
    pages.convert_all(config, files, read, only={file.src_uri for file in targets})
    for file in targets:
        page = file.page
        assert page is not None
        mkdocs_build._populate_page(page, config, files)
        old_meta, old_title, _entries = before[file.src_uri]
        if page.meta != old_meta or page.title != old_title:
            raise NotInPlace(f"{file.src_uri}: its front matter or title changed")
        if page.markdown is not None and LISTING_MARK in page.markdown:
            raise NotInPlace(f"{file.src_uri} lists tags")
    doc_files = shown.doc_files
    made = []
    for file in targets:
        page = file.page
        assert page is not None
        final = os.path.join(shown.target, file.dest_uri)
        temporary = _temporary_name(final)
        file.abs_dest_path = temporary  # type: ignore[misc]
        try:
            key, entries = pages.rebuild(page, config, doc_files, shown.nav, shown.env)
        finally:
            file.abs_dest_path = final  # type: ignore[misc]
        written.append((temporary, final))
        made.append((file.dest_uri, key, entries))
        if shown.search_text is not None:
            shown.search_text.replace(before[file.src_uri][2], entries)
    for file in doc_files:
        if file.page is not None:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    return made


def _published_path(shown: ShownSite, path: str) -> str:
    if path in shown.engine_files:
        file = shown.files.get_file_from_path(path)
        if file is not None:
            return file.dest_uri
    return path


def _temporary_name(final: str) -> str:
    folder, name = os.path.split(final)
    return os.path.join(folder, f".{name}.{os.getpid()}.polku-update")


def _write_beside(final: Path, data: bytes) -> str:
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary_name(str(final))
    with open(temporary, "wb") as handle:
        handle.write(data)
    return temporary


# --- the search index as text ------------------------------------------------------------


class SearchIndexText:
    """Material's ``search_index.json`` as text, kept beside the index it was made of.

    Material writes the index as one ``json.dumps`` of every entry (a tenth of a second
    and more at a thousand modules). An update changes the entries of a few pages, so
    the JSON of each entry is made once, in a thread after a whole build, kept in the
    index's order, and replaced with the entries it stands for; the file is joined
    from it. The bytes are Material's own (``generate_search_index``).
    """

    def __init__(self, search_index: Any) -> None:
        self.index = search_index
        self._head = index_head(search_index)
        self._parts: list[str] = []
        self._thread = threading.Thread(
            target=self._learn, args=(list(search_index.entries),), name="polku-search-text"
        )
        self._thread.daemon = True
        self._thread.start()

    def _learn(self, entries: list[Any]) -> None:
        self._parts = [entry_json(entry) for entry in entries]

    def wait(self) -> None:
        self._thread.join()

    def replace(self, old: list[Any], new: list[Any]) -> None:
        """Put a page's ``new`` entries where its ``old`` ones (the very objects) are."""
        self.wait()
        entries = self.index.entries
        first = old[0] if old else None
        position = next((i for i, entry in enumerate(entries) if entry is first), -1)
        end = position + len(old)
        window = entries[position:end] if position >= 0 else []
        if (
            not old
            or len(window) != len(old)
            or any(a is not b for a, b in zip(window, old, strict=True))
        ):
            raise NotInPlace("a page's search entries are not where the index had them")
        entries[position:end] = new
        self._parts[position:end] = [entry_json(entry) for entry in new]

    def text(self) -> str:
        self.wait()
        if len(self._parts) != len(self.index.entries):
            raise NotInPlace("the search index changed outside the preview's update")
        return self._head + ",".join(self._parts) + INDEX_END

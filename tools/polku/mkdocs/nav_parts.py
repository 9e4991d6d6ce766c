"""The parts of the navigation that come out the same on many pages, rendered once.

Material renders the whole navigation into every page. A part of it (an item and what
it holds) that neither holds the page nor links below the page's own folder comes out
the same on every page whose folder has the same parent: nothing in it is marked as
the page's, and its links, relative to the page's folder (MkDocs' ``url`` filter),
climb to the same parent and go down the same way. Such a part is rendered once per
build and folder level (the theme's ``partials/nav-item.html`` asks :meth:`key`, and
takes the part from :meth:`rendered`); a site's module pages and the sessions of one
programme share most of their navigation.
"""

from __future__ import annotations

import bisect
import posixpath
from collections.abc import Callable
from typing import Any

from jinja2 import Undefined
from markupsafe import Markup


class NavParts:
    """The navigation of one build, with the parts rendered so far."""

    def __init__(self, nav: Any) -> None:
        self._nav = nav  # keeps its items, whose ids key the parts, from being reused
        self._urls: dict[int, list[str]] = {}  # id(item) -> its links, as folders, sorted
        self._rendered: dict[tuple[Any, ...], Markup] = {}
        for item in nav.items:
            self._collect(item)

    def _collect(self, item: Any) -> list[str]:
        urls = [] if getattr(item, "url", None) is None else [_folder(item.url)]
        for child in getattr(item, "children", None) or ():
            urls.extend(self._collect(child))
        self._urls[id(item)] = sorted(urls)
        return urls

    def key(self, item: Any, path: str, level: int, parent: Any, page: Any) -> tuple[Any, ...]:
        """What the part rendered for ``item`` on ``page`` depends on; () when it is the
        page's own (rendered on each page)."""
        urls = self._urls.get(id(item))
        if urls is None or item.active or page is None or getattr(page, "url", None) is None:
            return ()
        folder = _folder(page.url)
        below = folder.rstrip("/") + "/"
        if _holds(urls, folder, below):
            return ()  # a link into the page's own folder: relative to it alone
        # a top-level item has no parent (Jinja's Undefined): only one below asks for it
        parent_active = None if parent is None or isinstance(parent, Undefined) else parent.active
        return (
            id(item),
            path,
            level,
            bool(parent_active) if parent_active is not None else None,
            posixpath.dirname(folder.rstrip("/")),
        )

    def rendered(self, key: tuple[Any, ...], caller: Callable[[], str]) -> Markup:
        """The part under ``key``: rendered by ``caller`` the first time."""
        found = self._rendered.get(key)
        if found is None:
            found = self._rendered[key] = Markup(caller())
        return found


def _folder(url: str) -> str:
    """The folder links on a page of ``url`` are relative to, as MkDocs' ``url`` filter
    takes it (``mkdocs.utils.get_relative_url``): absolute, without a trailing slash."""
    head, tail = posixpath.split(url)
    return posixpath.normpath("/" + (head if "." in tail else url))


def _holds(urls: list[str], folder: str, below: str) -> bool:
    """Whether the sorted ``urls`` hold ``folder`` or anything below it."""
    at = bisect.bisect_left(urls, folder)
    if at < len(urls) and urls[at] == folder:
        return True
    at = bisect.bisect_left(urls, below)  # "/a/b-c" sorts between "/a/b" and "/a/b/c"
    return at < len(urls) and urls[at].startswith(below)

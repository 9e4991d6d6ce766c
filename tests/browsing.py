"""Browser test plumbing: Debian's Chromium through Playwright, the learner site served on
127.0.0.1, fresh browser contexts that record every request, and Material's search box.

The fixtures ``server``, ``chromium`` and ``browsing`` are in conftest.py; the site is
tests/fixtures/learner, built once per test session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


@dataclass
class Browsing:
    """A fresh browser context (empty localStorage) and every URL it requested."""

    context: Any
    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def page(self, path: str = "") -> Any:
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        if path is not None:
            page.goto(self.base + path)
        return page

    def outside(self) -> list[str]:
        allowed = (self.base, "data:", "blob:", "about:")
        return [url for url in self.requests if not url.startswith(allowed)]


def new_browsing(browser: Any, base: str, **options: Any) -> Browsing:
    """A fresh context (a new browser profile) on ``base``; ``options`` for Playwright."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(accept_downloads=True, **options)
    browsing = Browsing(context, base)
    context.on("request", lambda request: browsing.requests.append(request.url))
    return browsing


# --- helpers ------------------------------------------------------------------------------


def search(page: Any, query: str) -> Any:
    """Type into Material's search box; the result links once they are shown."""
    box = page.locator(".md-search__input")
    box.focus()
    # Material ignores what is typed before its search index has loaded; it shows its
    # "type to start searching" line once it is ready
    ready = page.evaluate(
        "JSON.parse(document.getElementById('__config').textContent)"
        ".translations['search.result.placeholder']"
    )
    meta = page.locator(".md-search-result__meta")
    if box.input_value() == "":
        expect(meta).to_have_text(ready)
    box.fill("")
    box.press_sequentially(query)  # Material searches on key presses
    results = page.locator(".md-search-result__list a.md-search-result__link")
    expect(results.first).to_be_visible()
    return results


def accept_dialogs(page: Any) -> None:
    page.on("dialog", lambda dialog: dialog.accept())

"""Material's page frame in headless Chromium, with polku's fixes: the navigation drawer on
a phone by keyboard, and the colour palette toggle on a first visit in the OS's scheme.

The site is tests/fixtures/learner (see ``learner_sites`` in conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from browsing import Browsing, expect, new_browsing

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}

FOCUSED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  return {tag: el.tagName, name: el.getAttribute('aria-label') || el.textContent.trim(),
          left: box.left, right: box.right, width: box.width, height: box.height,
          drawer: !!el.closest('.md-sidebar--primary'), search: !!el.closest('.md-search')};
}"""


def tab(page: Any) -> dict[str, Any]:
    page.keyboard.press("Tab")
    result: dict[str, Any] = page.evaluate(FOCUSED)
    return result


def test_the_drawer_opens_by_keyboard_on_a_phone(chromium: Any, server: str) -> None:
    browsing = new_browsing(chromium, server, **PHONE)
    try:
        page = browsing.page("programmes/perehdytys/")
        drawer = page.locator(".md-sidebar--primary")
        # closed: inert, so Tab never lands on its links, which are off the screen
        expect(drawer).to_have_attribute("inert", "")
        stops = [tab(page) for _ in range(25)]
        assert not [s for s in stops if s["drawer"]]
        # (Material's search dialog, closed, has a Tab stop of no size: not the drawer's)
        outside = [s for s in stops if not s["search"] and (s["right"] <= 0 or s["left"] >= 390)]
        assert outside == []
        # the menu button is the second stop, after the skip link, and has a name
        assert stops[1]["tag"] == "LABEL" and stops[1]["name"] == "Valikko"
        button = page.locator('label.md-header__button[for="__drawer"]')
        expect(button).to_have_attribute("role", "button")
        expect(button).to_have_attribute("aria-expanded", "false")
        # Enter opens it; focus moves into it; its links are then reachable
        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(drawer).not_to_have_attribute("inert", "")
        assert page.evaluate(FOCUSED)["drawer"]
        expect(drawer.locator("a", has_text="Valmentajan perehdytys").first).to_be_in_viewport()
        assert tab(page)["drawer"]
        # Escape closes it and gives focus back to the button; Space opens it again
        page.keyboard.press("Escape")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(drawer).to_have_attribute("inert", "")
        assert page.evaluate(FOCUSED)["name"] == "Valikko"
        page.keyboard.press(" ")
        expect(button).to_have_attribute("aria-expanded", "true")
        # a tap on the overlay closes it too, and the drawer is inert again
        page.locator("label.md-overlay").click(position={"x": 370, "y": 400})
        expect(drawer).to_have_attribute("inert", "")
    finally:
        browsing.context.close()
    assert browsing.errors == [] and browsing.outside() == []


def test_the_drawer_is_not_inert_on_a_wide_screen(browsing: Browsing) -> None:
    page = browsing.page("programmes/perehdytys/")
    drawer = page.locator(".md-sidebar--primary")
    expect(drawer).not_to_have_attribute("inert", "")
    expect(drawer.locator("a", has_text="Valmentajan perehdytys").first).to_be_visible()
    assert page.locator('label.md-header__button[for="__drawer"]').is_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_palette_toggle_names_the_other_scheme_on_a_first_visit(
    chromium: Any, server: str, scheme: str
) -> None:
    """With the OS in dark mode, the toggle's Tab stop says "switch to light" and Enter
    switches to light (and the other way round)."""
    other = {"light": ("slate", "Vaihda tummaan"), "dark": ("default", "Vaihda vaaleaan")}
    browsing = new_browsing(chromium, server, color_scheme=scheme)
    try:
        page = browsing.page("")
        body = page.locator("body")
        shown = "slate" if scheme == "dark" else "default"
        expect(body).to_have_attribute("data-md-color-scheme", shown)
        checked = page.locator('input[name="__palette"]:checked')
        expect(checked).to_have_count(1)
        expect(checked).to_have_attribute("data-md-color-scheme", shown)
        for _ in range(8):  # skip link, logo, then the toggle
            if tab(page)["tag"] == "INPUT" and page.evaluate("document.activeElement.name"):
                break
        focused = page.evaluate(FOCUSED)
        assert focused["name"].startswith(other[scheme][1]), focused
        # its visible label shows the focus ring
        ring = page.evaluate(
            "() => getComputedStyle(document.activeElement.nextElementSibling).outlineStyle"
        )
        assert ring != "none"
        page.keyboard.press("Enter")
        expect(body).to_have_attribute("data-md-color-scheme", other[scheme][0])
    finally:
        browsing.context.close()
    assert browsing.errors == [] and browsing.outside() == []

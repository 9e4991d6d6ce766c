"""Titles cut off with an ellipsis never run as script, and still show their full text.

Material for MkDocs copies the text of every cut-off element of class ``md-ellipsis`` into
a title that its ``content.tooltips`` feature renders as HTML: a title such as
``<img src=x onerror=...>``, correctly escaped in the page, ran when a reader pointed at
the navigation item, table of contents entry, header title or footer link that showed it
cut off. polku's templates (tools/polku/theme/partials/, and this repository's own
overrides/) say ``polku-ellipsis`` instead, polku.css styles it as Material styles its
own, and polku-chrome.js puts the full text in a plain ``title``.

A copy of tests/fixtures/basic with content.tooltips on and hostile, long programme,
module, session and activity titles is built once; its pages are read, then shown in
headless Chromium with both sidebars narrow enough to cut the titles off.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, copy_fixture, run_polku
from helpers import edit, serve_directory
from polku.mkdocs.theme import THEME_TEMPLATES

playwright_api = pytest.importorskip("playwright.sync_api")

# what a payload that runs calls (defined by an init script), besides alert()
RUNS = "polkuTooltipRuns"
LONG_WORD = "Perehdytysohjelmakokonaisuudenhallintajärjestelmäkoulutus"


def hostile(name: str) -> str:
    """A title that runs ``name`` if it is ever parsed as HTML, cut off in any sidebar."""
    return f"{name} <img src=x onerror={RUNS}('{name}')> <svg onload=alert('{name}')> {LONG_WORD}"


TITLES = {
    "programme": hostile("Ohjelma"),
    "session": hostile("Tapaaminen"),
    "module": hostile("Moduuli"),
    "activity": hostile("Tehtava"),
}


@pytest.fixture(scope="module")
def tooltip_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("basic", tmp_path_factory.mktemp("tooltips"))
    features = "    - navigation.footer\n    - navigation.path\n    - content.tooltips\n"
    edit(project, "mkdocs.yml", "  name: material\n", f"  name: material\n  features:\n{features}")
    for rel, old, key in (
        ("curriculum/programmes/perehdytys.yml", "title: Valmentajan perehdytys", "programme"),
        ("curriculum/programmes/perehdytys.yml", "title: Aloituspäivä", "session"),
        ("curriculum/modules/valmennus.yml", "title: Valmentava työote", "module"),
        ("curriculum/modules/valmennus.yml", "title: Tavoitteen asettaminen", "activity"),
    ):
        edit(project, rel, old, "title: " + json.dumps(TITLES[key], ensure_ascii=False))
    result = run_polku("build", "--root", project, "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


# --- what is written ------------------------------------------------------------------------


def test_no_page_carries_materials_ellipsis_class(tooltip_site: Path) -> None:
    pages = sorted(tooltip_site.rglob("*.html"))
    assert len(pages) > 10
    assert [str(p.relative_to(tooltip_site)) for p in pages if "md-ellipsis" in p.read_text()] == []
    session = (tooltip_site / "programmes/perehdytys/sessions/aloitus/index.html").read_text()
    # the header, the navigation, the table of contents, the path and the footer
    for where in ("md-header__topic", "md-nav__link", "md-path__link", "md-footer__title"):
        direction = r'<span class="md-footer__direction">[^<]*</span>'
        found = where + rf'[^>]*>(?:\s|{direction})*<(?:span|div) class="polku-ellipsis"'
        assert re.search(found, session), where
    # escaped, as before
    assert "<img src=x" not in session and "&lt;img src=x onerror=" in session


def _templates(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html")) if folder.is_dir() else []


def test_no_template_of_polku_or_of_this_site_says_md_ellipsis() -> None:
    """polku's own theme templates and this repository's overrides (comments aside)."""
    found = []
    for template in _templates(Path(THEME_TEMPLATES)) + _templates(REPO / "overrides"):
        text = re.sub(r"\{#.*?#\}", "", template.read_text("utf-8"), flags=re.S)
        if "md-ellipsis" in text:
            found.append(str(template))
    assert found == []
    names = {p.name for p in _templates(Path(THEME_TEMPLATES) / "partials")}
    assert {"header.html", "nav-item.html", "toc-item.html", "path-item.html"} <= names
    assert "footer.html" in names


def test_the_ellipsis_has_materials_styles() -> None:
    css = (Path(THEME_TEMPLATES).parent / "assets/polku.css").read_text("utf-8")
    css = re.sub(r"\s+", " ", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    assert ".polku-ellipsis { overflow: hidden; text-overflow: ellipsis; }" in css
    assert ".md-nav__link .polku-ellipsis { position: relative; }" in css
    assert ".md-nav__link .polku-ellipsis code { word-break: normal; }" in css


# --- in Chromium ----------------------------------------------------------------------------

# just wider than Material's breakpoint for both sidebars (76.25em): each about 240px
NARROW = {"viewport": {"width": 1240, "height": 700}}
# either class: a title Material handles must fail here, not go unfound
ELLIPSIS = ".polku-ellipsis, .md-ellipsis"
INIT = f"window.{RUNS}Log = []; window.{RUNS} = function (what) {{ window.{RUNS}Log.push(what); }};"


def _ran(page: Any) -> list[str]:
    runs: list[str] = page.evaluate(f"window.{RUNS}Log")
    # an <img src=x> or <svg> put in the page by a tooltip, even one that has not run yet
    if page.evaluate("document.querySelectorAll('img[src=\"x\"], svg[onload]').length"):
        runs = [*runs, "an element from a title"]
    return runs


def _point_at(page: Any, title: Any, holder: Any, text: str, dialogs: list[str]) -> None:
    """Point at a cut-off ``title`` (its text ``text``): no script runs, and ``holder`` (the
    link around it, or itself) gets its text as a plain title."""
    from browsing import expect

    title.scroll_into_view_if_needed()
    cut = title.evaluate("e => e.offsetWidth < e.scrollWidth")
    assert cut, f"not cut off: {text}"
    title.hover()
    # until the title is set, or something from it is in the page
    done = f"""([holder, text]) => holder.getAttribute("title") === text
      || window.{RUNS}Log.length || document.querySelector('img[src="x"], svg[onload]')"""
    with contextlib.suppress(playwright_api.TimeoutError):  # told below
        page.wait_for_function(done, arg=[holder.element_handle(), text], timeout=5000)
    assert _ran(page) == [] and dialogs == [], text
    expect(holder).to_have_attribute("title", text)


@pytest.mark.browser
def test_cut_off_titles_show_plain_text_and_run_nothing(chromium: Any, tooltip_site: Path) -> None:
    from browsing import expect, new_browsing

    with serve_directory(tooltip_site) as base:
        browsing = new_browsing(chromium, base, **NARROW)
        dialogs: list[str] = []
        try:
            browsing.context.add_init_script(INIT)
            page = browsing.page(None)
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(base + "programmes/perehdytys/sessions/aloitus/")
            session, module, activity = (TITLES[k] for k in ("session", "module", "activity"))
            # the navigation item of the page
            nav = page.locator(".md-sidebar--primary a.md-nav__link--active")
            _point_at(page, nav.locator(ELLIPSIS), nav, session, dialogs)
            # the table of contents: a module's and an activity's heading
            toc = page.locator(".md-sidebar--secondary")
            link = toc.locator('a.md-nav__link[href^="#"]', has_text="Moduuli")
            _point_at(page, link.locator(ELLIPSIS), link, module, dialogs)
            # a title is there only while pointed at (no later tooltip of Material's takes it)
            expect(nav).not_to_have_attribute("title", re.compile(""))
            # by keyboard too (focus), without pointing
            link = toc.locator('a.md-nav__link[href^="#"]', has_text="Tehtava")
            link.focus()
            expect(link).to_have_attribute("title", activity)
            # the header shows the page's title once its heading has scrolled away
            page.mouse.move(600, 400)
            page.mouse.wheel(0, 800)
            expect(page.locator(".md-header__title")).to_have_class(
                re.compile("md-header__title--active")
            )
            title = page.locator(f'[data-md-component="header-topic"] :is({ELLIPSIS})')
            _point_at(page, title, title, f"{session} – {TITLES['programme']}", dialogs)
            # the footer's link to the next page, on the programme's page
            page.goto(base + "programmes/perehdytys/")
            link = page.locator("a.md-footer__link--next")
            _point_at(page, link.locator(ELLIPSIS), link, session, dialogs)
            page.wait_for_timeout(300)  # a broken image reports its error a moment later
            assert _ran(page) == [] and dialogs == []
        finally:
            browsing.context.close()
    assert browsing.errors == [] and browsing.outside() == []

"""Dated schedule pages per cohort and printable checklists per role."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from pathlib import Path
from typing import Any, TypeVar

import pytest
from conftest import CohortSites
from helpers import CHROMIUM, LAUNCH_ARGS, require_chromium, serve_directory
from PIL import Image
from polku.model import SessionKind
from polku.render.timeline import DARK, DARK_INK, LIGHT
from pypdf import PdfReader

T = TypeVar("T")


def text_of(path: Path) -> str:
    html = path.read_text("utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    article = re.sub(r"<svg\b.*?</svg>", " ", article, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", article).split())


def rows(path: Path) -> list[list[str]]:
    html = path.read_text("utf-8")
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        found.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return found


def test_a_checklist_page_per_role_with_tasks(cohort_sites: CohortSites) -> None:
    folder = cohort_sites.site / "programmes/ryhmat/checklists"
    assert sorted(p.name for p in folder.iterdir()) == ["hr", "mentori", "uusi"]
    page = folder / "hr/index.html"
    html = page.read_text("utf-8")
    assert "<h1" in html and "Tehtävälista: HR" in html
    # the window title names the programme too (WCAG 2.4.2): roles repeat across programmes
    assert re.search(r"<title>Tehtävälista: HR – Ryhmien perehdytys - ", html)
    # a tick box and a date for every run of the programme
    assert rows(page) == [
        ["Tehtävä", "Päivä", "Ryhmien perehdytys", "Kevään ryhmä", "Syksyn ryhmä"],
        ["Lähetä tervetuloviesti.", "-5", "ma 14.12.2026", "ma 14.6.2027", "ma 30.8.2027"],
    ]
    ticks = [
        unescape(tick)
        for tick in re.findall(r'<span class="polku-tick" data-polku-tick="([^"]+)"', html)
    ]
    assert ticks == ["_/tervetuloviesti", "kevat/tervetuloviesti", "syksy/tervetuloviesti"]
    assert 'data-polku-checklist="ryhmat/hr"' in html
    assert "assets/polku/polku-checklist.js" in html


def test_checklist_without_dates_lists_days(basic_site: Path) -> None:
    page = basic_site / "programmes/perehdytys/checklists/hr/index.html"
    assert rows(page) == [
        ["Tehtävä", "Päivä", "Päivämäärä"],
        ["Lähetä tervetuloviesti ja ennakkotehtävät.", "-5", "to 31.12.2026"],
        ["Anna tunnukset.", "1", "ma 11.1.2027"],
    ]


def test_a_dated_schedule_page_per_cohort(cohort_sites: CohortSites) -> None:
    page = cohort_sites.site / "programmes/ryhmat/cohorts/kevat/index.html"
    text = text_of(page)
    assert "Ryhmien perehdytys: Kevään ryhmä" in text
    assert "Ensimmäinen päivä: ma 21.6.2027" in text
    assert "Paikka: Tampereen toimisto" in text and "Vetäjä: Liisa Virtanen" in text
    table = rows(page)
    assert [
        "ma 21.6.2027",
        "09:00–11:00",
        "Aloituspäivä",
        "Lähitapaaminen",
        "Helsingin toimisto",  # the session's own place wins over the cohort's
    ] in table
    assert ["ke 23.6.2027", "13:00–15:00", "Etäpäivä", "Etätapaaminen", "Teams"] in table
    assert ["to 24.6.2027", "Omaan tahtiin", "Oma opiskelu", "Itsenäinen opiskelu", ""] in table
    # over Midsummer: day 10 is Monday 5 July
    assert [
        "ma 5.7.2027",
        "10:00–11:00",
        "Mentorointikeskustelu",
        "Mentorointi",
        "Tampereen toimisto",
    ] in table
    assert "to 1.7.2027: Valmistele kysymykset mentorille." in text
    autumn = text_of(cohort_sites.site / "programmes/ryhmat/cohorts/syksy/index.html")
    assert "Ensimmäinen päivä: ma 6.9.2027" in autumn  # the start date is a Saturday


def test_navigation_lists_cohorts_and_checklists(cohort_sites: CohortSites) -> None:
    # the menu shows the open programme's entries
    html = (cohort_sites.site / "programmes/ryhmat/index.html").read_text("utf-8")
    nav = html[html.index("md-nav--primary") :]
    for label in ("Kevään ryhmä", "Syksyn ryhmä", "Tehtävälistat"):
        assert label in nav
    assert nav.index("Kevään ryhmä") < nav.index("Syksyn ryhmä") < nav.index("Tehtävälistat")


def test_programme_page_links_cohorts_and_checklists(cohort_sites: CohortSites) -> None:
    text = text_of(cohort_sites.site / "programmes/ryhmat/index.html")
    assert "Kevään ryhmä (alkaa ma 21.6.2027): Päivämäärät · Lataa (.ics) · Tilaa" in text
    assert "Kalenterit rooleittain: Uusi työntekijä · Mentori · HR" in text
    assert "Tehtävälistat: Uusi työntekijä · Mentori · HR" in text
    # built without PDFs: no link to a PDF that is not there
    assert "(PDF)" not in text


def test_internal_links_of_the_new_pages_resolve(cohort_sites: CohortSites) -> None:
    site = cohort_sites.site
    pages = [
        *site.glob("programmes/ryhmat/cohorts/*/index.html"),
        *site.glob("programmes/ryhmat/checklists/*/index.html"),
        site / "programmes/ryhmat/index.html",
    ]
    for page in pages:
        html = page.read_text("utf-8")
        html = html[html.index("<article") : html.index("</article>")]
        for link in re.findall(r'href="([^"]+)"', html):
            if re.match(r"^[a-z]+:", link) or link.startswith("#"):
                continue
            target, _, anchor = link.partition("#")
            resolved = (page.parent / target).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            assert resolved.exists(), (page, link)
            if anchor:
                assert f'id="{anchor}"' in resolved.read_text("utf-8"), (page, link)


# --- in the browser ----------------------------------------------------------------------


def in_chromium(work: Callable[[Any], T]) -> T:
    """Run ``work(browser)`` with headless Chromium, in a thread of its own.

    Playwright's sync API refuses to start where another sync session (the
    session-wide browser of test_browser.py) already runs an event loop; a new
    thread has none.
    """
    playwright_api = pytest.importorskip("playwright.sync_api")
    require_chromium()

    def run() -> T:
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            try:
                return work(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.mark.browser
def test_the_checklist_prints_on_one_page(cohort_sites: CohortSites, tmp_path: Path) -> None:
    url = (cohort_sites.site / "programmes/ryhmat/checklists/uusi/index.html").as_uri()
    pdf = tmp_path / "checklist.pdf"

    def work(browser: Any) -> tuple[Any, bool]:
        page = browser.new_page()
        page.goto(url)
        page.emulate_media(media="print")
        box = page.locator(".polku-tick").first.bounding_box()
        hidden = page.locator(".md-sidebar").first.is_hidden()
        page.pdf(path=str(pdf), format="A4")
        return box, hidden

    box, sidebar_hidden = in_chromium(work)
    # tick boxes are drawn as empty square boxes; the site's navigation is not printed
    assert box is not None and 8 <= box["width"] <= 24 and box["width"] == box["height"]
    assert sidebar_hidden
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Valmistele kysymykset mentorille." in text
    assert "ma 4.1.2027" in text and "to 1.7.2027" in text and "ke 15.9.2027" in text


def dark_share(png: bytes) -> float:
    """The share of dark pixels in a screenshot (a tick mark is dark, an empty box is not)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    pixels = image.tobytes()
    return sum(1 for p in pixels if p < 128) / len(pixels)


@pytest.mark.browser
def test_ticks_are_kept_per_run_and_printed(cohort_sites: CohortSites) -> None:
    def work(browser: Any) -> dict[str, Any]:
        found: dict[str, Any] = {}
        with serve_directory(cohort_sites.site) as root:
            page = browser.new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            url = root + "programmes/ryhmat/checklists/hr/"
            page.goto(url)
            spring = page.locator('[data-polku-tick="kevat/tervetuloviesti"] input')
            own = page.locator('[data-polku-tick="_/tervetuloviesti"] input')
            found["name"] = spring.get_attribute("aria-label")
            found["role"] = page.get_by_role(
                "checkbox", name="Tehty: Lähetä tervetuloviesti. (Kevään ryhmä, ma 14.6.2027)"
            ).count()
            spring.focus()
            page.keyboard.press("Space")
            found["status"] = page.locator(".polku-checklist__status").text_content()
            page.reload()
            found["after_reload"] = (spring.is_checked(), own.is_checked())
            found["stored"] = page.evaluate(
                "Object.keys(localStorage).filter(k => k.includes(':checklist:')).sort()"
            )
            # another role's page of the same run keeps its own ticks
            page.goto(root + "programmes/ryhmat/checklists/mentori/")
            found["mentor"] = [box.is_checked() for box in page.locator(".polku-tick input").all()]
            page.goto(url)
            page.emulate_media(media="print")
            found["ticked"] = dark_share(page.locator('[data-polku-tick^="kevat/"]').screenshot())
            found["empty"] = dark_share(page.locator('[data-polku-tick^="_/"]').screenshot())
            found["button_printed"] = page.locator(".polku-checklist__tools").is_visible()
            page.emulate_media(media="screen")
            page.get_by_role("button", name="Poista rastit").click()
            found["cleared"] = (
                spring.is_checked(),
                page.evaluate("Object.keys(localStorage).filter(k => k.includes(':checklist:'))"),
            )
        return found

    found = in_chromium(work)
    assert found["name"] == "Tehty: Lähetä tervetuloviesti. (Kevään ryhmä, ma 14.6.2027)"
    assert found["role"] == 1
    assert found["status"] == "Tallennettu tähän selaimeen."
    assert found["after_reload"] == (True, False)  # the spring group's tick, not the others
    assert found["stored"] == ["polku:v1:Ryhmäkoulutus:checklist:ryhmat/kevat"]
    assert found["mentor"] == [False, False, False]
    assert found["ticked"] > found["empty"] + 0.1  # the printed box shows its tick
    assert not found["button_printed"]
    assert found["cleared"] == (False, [])


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_timeline_colours_follow_the_colour_scheme(cohort_sites: CohortSites, scheme: str) -> None:
    url = (cohort_sites.site / "programmes/ryhmat/index.html").as_uri()

    def work(browser: Any) -> tuple[str, dict[str, str], str]:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(url)
        found = page.evaluate("document.body.dataset.mdColorScheme")
        fills = page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll(
                   '.polku-timeline rect[class^="polku-tl-kind--"]')].map(
                   r => [r.getAttribute('class'), getComputedStyle(r).fill]))"""
        )
        text = page.evaluate(
            "getComputedStyle(document.querySelector('.polku-timeline .polku-tl-text')).fill"
        )
        context.close()
        return found, fills, text

    found, fills, text = in_chromium(work)
    assert found == ("slate" if scheme == "dark" else "default")
    palette = DARK if scheme == "dark" else LIGHT
    for kind in SessionKind:
        assert fills[f"polku-tl-kind--{kind.value}"] == _rgb(palette[kind])
    ink = DARK_INK["text"] if scheme == "dark" else "#1f2328"
    assert text == _rgb(ink)


def _rgb(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"

"""The learner site in headless Chromium: search, progress, journal, offline use, accessibility.

The site is tests/fixtures/learner, built once per test session (see ``learner_sites`` in
conftest.py) and served by a local http.server on 127.0.0.1; the offline build is opened
from the file system. Every browser context records its requests: nothing may go to a
host other than the local server (or, offline, anywhere but the files).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browsing import Browsing, accept_dialogs, expect, new_browsing, search
from conftest import LearnerSites, run_polku
from helpers import edit, serve_directory

axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.browser

# One page of every type the site has
PAGE_TYPES = {
    "home": "",
    "programmes": "programmes/",
    "programme": "programmes/perehdytys/",
    "session": "programmes/perehdytys/sessions/aloitus/",
    "facilitator": "programmes/perehdytys/facilitator/",
    "facilitator session": "programmes/perehdytys/facilitator/aloitus/",
    "modules": "modules/",
    "module": "modules/kohtaaminen/",
    "method": "methods/grow/",
    "handout": "handouts/roolikortti/",
    "glossary": "glossary/",
    "journal": "journal/",
    "tags": "tags/",
}
SCHEMES = ("light", "dark")


# --- search -------------------------------------------------------------------------------


def test_search_finds_inflected_finnish_words(browsing: Browsing) -> None:
    page = browsing.page("")
    # the module says "Valmentaja keskittyy ..." and "Valmentajan tehtävä ..."
    for word in ("valmentajan", "valmentajasta"):
        search(page, word)
        found = page.locator('.md-search-result__list a[href*="modules/kohtaaminen/"]')
        expect(found.first).to_be_visible()
    # the module only says "Kuntoutujalle": found through the Finnish stem "kuntoutu"
    for word in ("kuntoutujan", "kuntoutujaa"):
        search(page, word)
        found = page.locator('.md-search-result__list a[href*="modules/tyoelama/"]')
        expect(found.first).to_be_visible()
        assert "kuntoutujan" not in found.first.get_attribute("href")
    # nothing of the facilitator notes is found on a learner page
    search(page, "SALAINEN")
    expect(page.locator('.md-search-result__list a[href*="modules/"]')).to_have_count(0)


# A sentence for the module of 'polku init' in each interface language, and a word that
# finds it only through the language's stemmer (it is not a prefix of any word there)
SEARCH_IN_LANGUAGE = {
    "fi": ("Valmentaja keskittyy asiakkaaseen.", "valmentajasta"),
    "sv": ("Handledaren tar emot nya medarbetare.", "handledarens"),
    "en": ("Mentors welcomed every newcomer.", "welcoming"),
}


@pytest.fixture(scope="module")
def language_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A site made by 'polku init' in each interface language polku offers."""
    sites = {}
    for language, (sentence, _word) in SEARCH_IN_LANGUAGE.items():
        project = tmp_path_factory.mktemp(f"search-{language}") / "project"
        result = run_polku("init", project)
        assert result.returncode == 0, result.stdout + result.stderr
        edit(
            project, "curriculum/programmes/onboarding.yml", "language: en", f"language: {language}"
        )
        edit(
            project,
            "curriculum/modules/welcome.yml",
            "The learning content, in Markdown.",
            sentence,
        )
        result = run_polku("build", "--root", project, "--no-pdf")
        assert result.returncode == 0, result.stdout + result.stderr
        sites[language] = project / "site"
    return sites


@pytest.mark.parametrize("language", SEARCH_IN_LANGUAGE)
def test_search_finds_inflected_words_in_every_interface_language(
    chromium: Any, language_sites: dict[str, Path], language: str
) -> None:
    with serve_directory(language_sites[language]) as base:
        browsing = new_browsing(chromium, base)
        try:
            page = browsing.page(None)
            console: list[str] = []
            page.on("console", lambda message: console.append(message.text))
            page.goto(base)
            assert page.locator("html").get_attribute("lang") == language
            search(page, SEARCH_IN_LANGUAGE[language][1])
            found = page.locator('.md-search-result__list a[href*="modules/welcome/"]')
            expect(found.first).to_be_visible()
            # the worker reports a failed query on the console (Material's "Invalid query")
            assert [text for text in console if "query" in text or "Error" in text] == []
            assert browsing.errors == []
            assert browsing.outside() == []
        finally:
            browsing.context.close()


# --- learner pages ------------------------------------------------------------------------


def test_learner_pages_show_no_facilitator_notes(browsing: Browsing) -> None:
    for path in (
        "modules/kohtaaminen/",
        "modules/tyoelama/",
        "journal/",
        "programmes/perehdytys/",
        "programmes/perehdytys/sessions/aloitus/",
        "programmes/tiimi/sessions/kohtaamispaiva/",
    ):
        page = browsing.page(path)
        text = page.locator("body").inner_text()
        assert "SALAINEN" not in text, path
        page.close()
    guide = browsing.page("programmes/perehdytys/facilitator/aloitus/")
    expect(guide.locator("article")).to_contain_text("SALAINEN-OHJAAJAN-MUISTIINPANO")
    expect(guide.locator("article")).to_contain_text("SALAINEN-TYOELAMA-MUISTIINPANO")


def test_self_check_answer_is_hidden_until_opened(browsing: Browsing) -> None:
    page = browsing.page("modules/kohtaaminen/")
    answer = page.get_by_text("VASTAUS-PIILOSSA")
    expect(answer).to_be_hidden()
    summary = page.locator("details.polku-answer summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(answer).to_be_visible()


# --- progress -----------------------------------------------------------------------------


def test_progress_survives_a_reload_and_shows_per_module_and_session(
    browsing: Browsing,
) -> None:
    page = browsing.page("modules/kohtaaminen/")
    boxes = page.locator(".polku-done__input")
    expect(boxes).to_have_count(3)
    expect(page.locator("[data-polku-module]")).to_contain_text("0 / 3 tehtävää tehty")
    boxes.nth(1).check()
    page.reload()
    boxes = page.locator(".polku-done__input")
    expect(boxes.nth(1)).to_be_checked()
    expect(boxes.nth(0)).not_to_be_checked()
    expect(page.locator("[data-polku-module]")).to_contain_text("1 / 3 tehtävää tehty")
    # modules are reached from sessions and the module index, not listed in the navigation;
    # the programme's entry there carries the count
    nav = page.locator('.md-nav--primary a.md-nav__link[href$="programmes/perehdytys/"]').first
    expect(nav).to_contain_text("1/6")

    programme = browsing.page("programmes/perehdytys/")
    # day 1: tyoelama/keskustelu, the three activities of kohtaaminen, valmennus/tavoite
    first = programme.locator('[data-polku-session="perehdytys/aloitus"] a')
    expect(first).to_contain_text("1/5")
    second = programme.locator('[data-polku-session="perehdytys/etatehtava"] a')
    expect(second).to_contain_text("0/2")
    expect(programme.locator(".md-nav--primary a.md-nav__link--active").first).to_contain_text(
        "1/6"
    )
    # the other programme that has the module counts the same mark
    other = programme.locator('.md-nav--primary a.md-nav__link[href$="tiimi/"]')
    expect(other.first).to_contain_text("1/4")
    session = browsing.page("programmes/perehdytys/sessions/aloitus/")
    expect(session.locator("[data-polku-session-page]")).to_contain_text("1 / 5 tehtävää tehty")
    read = session.get_by_role("link", name="Lue moduuli: Asiakkaan kohtaaminen")
    expect(read).to_contain_text("1/3")
    expect(
        session.locator("#activity-kohtaaminen--pohdinta ~ .polku-activity").first
    ).to_be_visible()
    expect(session.locator(".polku-done__input").nth(2)).to_be_checked()  # the same mark
    panel = programme.locator("[data-polku-programme]")
    expect(panel).to_contain_text("1 / 6 tehtävää tehty")

    accept_dialogs(programme)
    panel.get_by_role("button", name="Nollaa edistymiseni").click()
    expect(panel).to_contain_text("0 / 6 tehtävää tehty")
    expect(panel.get_by_role("status")).to_have_text("Edistyminen nollattu.")
    page.reload()
    expect(page.locator(".polku-done__input").nth(1)).not_to_be_checked()


def test_progress_is_kept_in_one_record_per_site(browsing: Browsing) -> None:
    page = browsing.page("modules/arvot/")  # in no programme
    page.locator(".polku-done__input").check()
    page.goto(browsing.base + "modules/kohtaaminen/")
    page.locator(".polku-done__input").first.check()
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('polku:'))")
    assert keys == ["polku:v2:Oppijan testisivusto"]
    record = page.evaluate("JSON.parse(localStorage.getItem('polku:v2:Oppijan testisivusto'))")
    assert sorted(record["done"]) == ["arvot/oma-arvo", "kohtaaminen/kuuntelu-harjoitus"]


# --- journal ------------------------------------------------------------------------------


def test_journal_text_survives_a_reload_and_is_gathered_in_programme_order(
    browsing: Browsing,
) -> None:
    page = browsing.page("modules/kohtaaminen/")
    answer = page.get_by_role("textbox", name="Mitä teet toisin?")
    answer.fill("Kysyn enemmän.\nKuuntelen loppuun.")
    expect(page.locator(".polku-answer-status").nth(1)).to_have_text("Tallennettu tähän selaimeen.")
    page.reload()
    expect(page.get_by_role("textbox", name="Mitä teet toisin?")).to_have_value(
        "Kysyn enemmän.\nKuuntelen loppuun."
    )
    page.goto(browsing.base + "modules/arvot/")
    page.get_by_role("textbox", name="Mikä arvo ohjaa työtäsi?").fill("Kunnioitus.")

    journal = browsing.page("journal/")
    expect(journal.locator('[data-polku-answer="kohtaaminen/pohdinta/2"]').first).to_have_text(
        "Kysyn enemmän.\nKuuntelen loppuun."
    )
    expect(journal.locator('[data-polku-answer="arvot/oma-arvo/1"]')).to_have_text("Kunnioitus.")
    expect(journal.locator('[data-polku-answer="kohtaaminen/pohdinta/1"]').first).to_have_text(
        "Ei vielä vastausta."
    )
    journal.get_by_label("Ohjelma", exact=True).select_option(label="Kaikki ohjelmat")
    journal.get_by_label("Näytä myös kysymykset, joihin et ole vielä vastannut").check()
    order = journal.locator("[data-polku-answer]:visible").evaluate_all(
        "nodes => nodes.map(n => n.dataset.polkuAnswer)"
    )
    # perehdytys schedules tyoelama first, then kohtaaminen, then valmennus; tiimi
    # kohtaaminen, then tyoelama; arvot is in no programme
    assert order == [
        "tyoelama/keskustelu/1",
        "kohtaaminen/pohdinta/1",
        "kohtaaminen/pohdinta/2",
        "valmennus/pohdinta/1",
        "kohtaaminen/pohdinta/1",
        "kohtaaminen/pohdinta/2",
        "tyoelama/keskustelu/1",
        "arvot/oma-arvo/1",
    ]
    expect(journal.locator(".polku-privacy")).to_contain_text("vain tämän laitteen selaimeen")


def test_journal_export_downloads_the_answers(browsing: Browsing, tmp_path: Path) -> None:
    page = browsing.page("modules/tyoelama/")
    page.get_by_role("textbox", name="Mikä säännöistä on tärkein?").fill("Luottamus.")
    page.goto(browsing.base + "modules/valmennus/")
    page.get_by_role("textbox", name="Millainen valmentaja olet?").fill("Utelias ja *rauhallinen*.")
    journal = browsing.page("journal/")
    with journal.expect_download() as info:
        journal.get_by_role("button", name="Lataa luettava kopio (.md)").click()
    download = info.value
    assert re.fullmatch(r"oppimispaivakirja-\d{4}-\d{2}-\d{2}\.md", download.suggested_filename)
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Oppimispäiväkirja – Oppijan testisivusto\n")
    assert "## Valmentajan perehdytys" in text and "### Työelämän pelisäännöt" in text
    assert "**1. Mikä säännöistä on tärkein?**\n\nLuottamus." in text
    assert "**1. Millainen valmentaja olet?**\n\nUtelias ja *rauhallinen*." in text
    assert text.index("Luottamus.") < text.index("Utelias")
    # by default the copy holds the learner's own programme (where they have answered
    # most) and only what they have answered
    assert "Ei vielä vastausta" not in text and "Mitä teet toisin?" not in text
    assert "## Tiimin mentorointi" not in text and "## Muut moduulit" not in text
    assert "SALAINEN" not in text


def test_journal_answers_can_be_deleted(browsing: Browsing) -> None:
    page = browsing.page("modules/valmennus/")
    page.get_by_role("textbox", name="Millainen valmentaja olet?").fill("Poistettava.")
    journal = browsing.page("journal/")
    box = journal.locator('[data-polku-answer="valmennus/pohdinta/1"]')
    expect(box).to_have_text("Poistettava.")
    expect(box).to_be_visible()
    accept_dialogs(journal)
    journal.get_by_role("button", name="Poista vastaukseni").click()
    expect(box).to_have_text("Ei vielä vastausta.")
    page.reload()
    expect(page.get_by_role("textbox", name="Millainen valmentaja olet?")).to_have_value("")


# --- keyboard and focus ------------------------------------------------------------------


def _focus_is_visible(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(),
                done: el.classList.contains('polku-done__input'),
                visible: el.matches(':focus-visible') && style.outlineStyle !== 'none'
                    && parseFloat(style.outlineWidth) >= 1,
            };
        }"""
    )


def test_activities_work_by_keyboard_with_visible_focus(browsing: Browsing) -> None:
    page = browsing.page("modules/kohtaaminen/")
    # the last link of the first activity, then onwards with the Tab key
    page.locator('[data-polku-activity="kohtaaminen/kuuntelu-harjoitus"] .polku-methods a').focus()
    page.keyboard.press("Tab")
    focused = _focus_is_visible(page)
    assert focused["done"] and focused["visible"], focused
    page.keyboard.press("Space")
    expect(page.locator(".polku-done__input").first).to_be_checked()
    # on to the first answer box, past the permalink of the next heading
    for _ in range(3):
        page.keyboard.press("Tab")
        focused = _focus_is_visible(page)
        assert focused["visible"], focused
        if focused["tag"] == "textarea":
            break
    assert focused["tag"] == "textarea", focused
    page.keyboard.type("Näppäimistöllä kirjoitettu.")
    page.reload()
    expect(page.get_by_role("textbox", name="Mitä opit?")).to_have_value(
        "Näppäimistöllä kirjoitettu."
    )
    expect(page.locator(".polku-done__input").first).to_be_checked()

    journal = browsing.page("journal/")
    journal.locator(".polku-privacy").click()
    for tag in ("select", "input", "button"):  # the programme, unanswered ones, a copy
        journal.keyboard.press("Tab")
        focused = _focus_is_visible(journal)
        assert focused["tag"] == tag and focused["visible"], focused


# --- print --------------------------------------------------------------------------------


def test_print_hides_navigation_and_controls(browsing: Browsing) -> None:
    page = browsing.page("modules/kohtaaminen/")
    page.get_by_role("textbox", name="Mitä opit?").fill("Tulostuva vastaus.")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        expect(page.locator(selector)).to_be_hidden()
    expect(page.locator(".polku-done").first).to_be_hidden()
    expect(page.locator("textarea").first).to_be_hidden()
    expect(page.locator(".polku-answer-print").first).to_have_text("Tulostuva vastaus.")
    expect(page.locator(".polku-answer-print").first).to_be_visible()
    expect(page.locator("article h1")).to_be_visible()

    journal = browsing.page("journal/")
    journal.emulate_media(media="print")
    expect(journal.locator(".md-sidebar--primary")).to_be_hidden()
    expect(journal.locator(".polku-journal-tools")).to_be_hidden()
    answer = journal.locator('[data-polku-answer="kohtaaminen/pohdinta/1"]').first
    expect(answer).to_have_text("Tulostuva vastaus.")
    expect(answer).to_be_visible()


# --- accessibility ------------------------------------------------------------------------


def _with_state(browsing: Browsing) -> None:
    """Marks and answers, so the components are checked in their filled-in state too."""
    page = browsing.page("modules/kohtaaminen/")
    page.locator(".polku-done__input").first.check()
    page.get_by_role("textbox", name="Mitä opit?").fill("Vastaus.")
    page.close()


# WCAG 2.1 AA contrast of polku's own components, computed from the rendered colours:
# 4.5:1 for text, 3:1 for the borders of form fields and buttons.
CONTRAST_JS = """() => {
  const parse = (value) => {
    let m = value.match(/^rgba?\\(([^)]+)\\)$/);
    if (m) {
      const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    m = value.match(/^color\\(srgb ([^)]+)\\)$/);
    if (m) {
      const p = m[1].split(/[ \\/]+/).filter(Boolean).map(Number);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    throw new Error('colour not understood: ' + value);
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const visible = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
  const found = [];
  const text = [
    '.polku-badge', '.polku-progress__title', '.polku-progress__text', '.polku-button',
    '.polku-done__label', '.polku-answer-status', '.polku-answer-hint', '.polku-count',
    '.polku-journal__prompt', '.polku-journal__answer', '.polku-privacy p',
    '.polku-prompt__text', '.polku-answer-input', '.polku-status', '.polku-summary',
    '.polku-sessions__meta', '.polku-pager__direction', '.polku-pager__target',
    '.polku-continue__where', '.polku-continue__done', '.polku-hint', '.polku-select',
    '.md-search-result__meta', '.md-search-result__teaser', '.md-search-result mark',
  ];
  for (const el of document.querySelectorAll(text.join(','))) {
    if (!visible(el) || !(el.textContent.trim() || el.value)) continue;
    const bg = background(el);
    const fg = over(parse(getComputedStyle(el).color), bg);
    found.push({what: el.className, kind: 'text', ratio: ratio(fg, bg), need: 4.5});
  }
  for (const el of document.querySelectorAll('.polku-answer-input, .polku-button')) {
    if (!visible(el)) continue;
    const bg = background(el.parentElement);
    const border = over(parse(getComputedStyle(el).borderTopColor), bg);
    found.push({what: el.className, kind: 'border', ratio: ratio(border, bg), need: 3});
  }
  return found;
}"""


def _contrast_problems(page: Any, name: str) -> tuple[int, list[str]]:
    """Contrast of polku's components at rest and with the first button hovered."""
    checked, low = 0, []
    for state in ("rest", "hover"):
        if state == "hover":
            buttons = page.locator(".polku-button")
            if not buttons.count() or name == "search results":  # the dialog covers them
                break
            buttons.first.hover()
        for item in page.evaluate(CONTRAST_JS):
            checked += 1
            if item["ratio"] < item["need"]:
                low.append(f"{name} ({state}): {item}")
    return checked, low


def _focus_outline_problems(page: Any, name: str) -> list[str]:
    """The focus ring of a polku button reached by keyboard stands out 3:1 from the page."""
    page.locator(".polku-progress-panel .polku-button--link").focus()
    page.keyboard.press("Tab")
    cls, outline, background = page.evaluate(
        "() => { const el = document.activeElement; "
        "return [String(el.className), getComputedStyle(el).outlineColor, "
        "getComputedStyle(document.body).backgroundColor]; }"
    )
    if "polku-button" not in cls:
        return [f"{name}: Tab did not reach the reset button but {cls!r}"]
    ratio = _contrast(outline, background)
    return [] if ratio >= 3 else [f"{name}: focus outline {outline} on {background}: {ratio:.2f}"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_type_passes_axe_and_contrast_checks(
    chromium: Any, server: str, scheme: str
) -> None:
    """No serious or critical axe-core violation on any page type; polku's components
    meet WCAG 2.1 AA contrast; in the light and the dark (slate) scheme."""
    browsing = new_browsing(chromium, server, color_scheme=scheme)
    try:
        _with_state(browsing)
        axe = axe_api.Axe()
        violations: list[str] = []
        low: list[str] = []
        checked = 0
        for name, path in [*PAGE_TYPES.items(), ("search results", "")]:
            page = browsing.page(path)
            expected = "slate" if scheme == "dark" else "default"
            assert page.locator("body").get_attribute("data-md-color-scheme") == expected
            if name == "search results":
                search(page, "valmentaja")  # the dialog open with its results and highlights
                expect(page.locator(".md-search-result mark").first).to_be_visible()
            for violation in axe.run(page).response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"]][:5]
                    rule, impact = violation["id"], violation["impact"]
                    violations.append(f"{name}: {rule} ({impact}) {targets}")
            if name in ("home", "module", "programme", "session", "journal", "search results"):
                count, problems = _contrast_problems(page, name)
                checked += count
                low += problems
            if name == "programme":
                low += _focus_outline_problems(page, name)
            page.close()
        assert violations == []
        assert checked > 20
        assert low == []
        assert browsing.outside() == []
    finally:
        browsing.context.close()


def _channels(colour: str) -> tuple[float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)[:3]]
    return numbers[0], numbers[1], numbers[2]


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        def linear(v: float) -> float:
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(v) for v in _channels(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --- requests -----------------------------------------------------------------------------


def test_no_page_requests_another_host(browsing: Browsing, learner_sites: LearnerSites) -> None:
    pages = sorted(
        p.relative_to(learner_sites.site).as_posix() for p in learner_sites.site.rglob("*.html")
    )
    assert len(pages) >= 15
    page = browsing.page(None)
    for path in pages:
        page.goto(browsing.base + path)
    search(page, "valmentaja")
    assert any(url.endswith("/search/search_index.json") for url in browsing.requests)
    assert browsing.outside() == []


# --- offline ------------------------------------------------------------------------------


def test_offline_site_works_from_the_file_system(
    chromium: Any, learner_sites: LearnerSites
) -> None:
    root = learner_sites.offline.as_uri() + "/"
    browsing = new_browsing(chromium, root)
    try:
        page = browsing.page("index.html")
        search(page, "kuntoutujan")
        found = page.locator('.md-search-result__list a[href*="modules/tyoelama.html"]')
        expect(found.first).to_be_visible()
        found.first.click()
        expect(page.locator("article h1")).to_contain_text("Työelämän pelisäännöt")
        page.locator(".polku-done__input").check()
        page.get_by_role("textbox", name="Mikä säännöistä on tärkein?").fill("Tiedostosta.")
        page.goto(root + "journal.html")
        expect(page.locator('[data-polku-answer="tyoelama/keskustelu/1"]').first).to_have_text(
            "Tiedostosta."
        )
        page.goto(root + "modules/index.html")
        row = page.locator('article a[href$="tyoelama.html"]').first
        expect(row).to_contain_text("1/1")
        assert browsing.outside() == []
        assert browsing.errors == []
    finally:
        browsing.context.close()

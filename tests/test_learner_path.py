"""The learner's path through a programme in headless Chromium: session pages in the
programme's order, "continue", answers that belong to the learner (not to a page), the
journal's transfer file between browsers, and the move of what older sites stored.

The site is tests/fixtures/learner: the programmes ``perehdytys`` and ``tiimi`` share the
module ``kohtaaminen`` (and the activity ``tyoelama/keskustelu``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from browsing import Browsing, expect, new_browsing

pytestmark = pytest.mark.browser

SITE = "Oppijan testisivusto"
RECORD = f"polku:v2:{SITE}"


def record(page: Any) -> dict[str, Any]:
    return page.evaluate(f"JSON.parse(localStorage.getItem({json.dumps(RECORD)}))")


def test_home_page_has_one_card_per_programme(browsing: Browsing) -> None:
    for path in ("", "programmes/"):
        page = browsing.page(path)
        cards = page.locator(".grid.cards > ul > li")
        expect(cards).to_have_count(2)
        expect(cards.nth(0)).to_contain_text("Valmentajan perehdytys")
        expect(cards.nth(0)).to_contain_text("2 tapaamista · ma 11.1.2027")
        expect(cards.nth(1)).to_contain_text("Tiimin mentorointi")
        expect(cards.nth(1)).to_contain_text("1 tapaaminen · ma 1.3.2027")
        page.close()


def test_a_shared_module_keeps_its_answers_when_the_programme_changes(
    browsing: Browsing,
) -> None:
    page = browsing.page("programmes/perehdytys/sessions/aloitus/")
    page.get_by_role("textbox", name="Mitä teet toisin?").fill("Kuuntelen loppuun.")
    page.get_by_role("checkbox", name="Merkitse tehdyksi: Oma kohtaamiseni").check()
    # the other programme: its overview, then its session with the same module
    page.goto(browsing.base + "programmes/tiimi/")
    expect(page.locator('[data-polku-session="tiimi/kohtaamispaiva"] a')).to_contain_text("1/4")
    page.goto(browsing.base + "programmes/tiimi/sessions/kohtaamispaiva/")
    expect(page.get_by_role("textbox", name="Mitä teet toisin?")).to_have_value(
        "Kuuntelen loppuun."
    )
    expect(page.get_by_role("checkbox", name="Merkitse tehdyksi: Oma kohtaamiseni")).to_be_checked()
    page.get_by_role("textbox", name="Mitä opit?").fill("Kysymään.")
    # back to the first programme and to the module page: everything is there
    page.goto(browsing.base + "programmes/perehdytys/sessions/aloitus/")
    expect(page.get_by_role("textbox", name="Mitä teet toisin?")).to_have_value(
        "Kuuntelen loppuun."
    )
    expect(page.get_by_role("textbox", name="Mitä opit?")).to_have_value("Kysymään.")
    page.goto(browsing.base + "modules/kohtaaminen/")
    expect(page.get_by_role("textbox", name="Mitä opit?")).to_have_value("Kysymään.")
    expect(page.locator("[data-polku-module]")).to_contain_text("1 / 3 tehtävää tehty")


def test_continue_lands_on_the_first_unfinished_activity(browsing: Browsing) -> None:
    page = browsing.page("programmes/perehdytys/")
    panel = page.locator("[data-polku-programme]")
    start = panel.get_by_role("link", name="Aloita: Pelisäännöt ryhmässä")
    expect(start).to_be_visible()
    # the first two activities of the first session done (on the session page)
    page.goto(browsing.base + "programmes/perehdytys/sessions/aloitus/")
    page.get_by_role("checkbox", name="Merkitse tehdyksi: Pelisäännöt ryhmässä").check()
    page.get_by_role("checkbox", name="Merkitse tehdyksi: Aktiivinen kuuntelu pareittain").check()
    page.goto(browsing.base + "programmes/perehdytys/")
    go = page.locator("[data-polku-programme]").get_by_role("link", name="Jatka: Oma kohtaamiseni")
    go.click()
    expect(page).to_have_url(
        browsing.base + "programmes/perehdytys/sessions/aloitus/#activity-kohtaaminen--pohdinta"
    )
    target = page.locator("#activity-kohtaaminen--pohdinta")
    expect(target).to_be_in_viewport()
    # the home page offers the same step in the learner's own programme
    page.goto(browsing.base)
    box = page.locator("[data-polku-continue]")
    expect(box).to_contain_text("Valmentajan perehdytys · Aloituspäivä")
    expect(box).to_contain_text("2 / 6 tehtävää tehty")
    box.get_by_role("link", name="Jatka: Oma kohtaamiseni").click()
    expect(page).to_have_url(
        browsing.base + "programmes/perehdytys/sessions/aloitus/#activity-kohtaaminen--pohdinta"
    )
    # everything done: the programme says so
    for checkbox in page.locator(".polku-done__input").all():
        checkbox.check()
    page.goto(browsing.base + "programmes/perehdytys/sessions/etatehtava/")
    for checkbox in page.locator(".polku-done__input").all():
        checkbox.check()
    page.goto(browsing.base + "programmes/perehdytys/")
    expect(page.locator("[data-polku-programme]")).to_contain_text(
        "Olet merkinnyt kaikki ohjelman tehtävät tehdyiksi."
    )


def test_session_pages_follow_the_programme_order(browsing: Browsing) -> None:
    page = browsing.page("programmes/perehdytys/")
    page.locator("ol.polku-sessions").get_by_role("link", name="Aloituspäivä").click()
    expect(page.locator("article h1")).to_contain_text("Aloituspäivä")
    # a heading's permalink says where it leads, not just "¶"
    expect(page.locator("article h1 a.headerlink")).to_have_accessible_name(
        "Pysyvä linkki: Aloituspäivä"
    )
    pager = page.locator("nav.polku-pager")
    expect(pager.get_by_role("link", name="Edellinen Valmentajan perehdytys")).to_be_visible()
    pager.get_by_role("link", name="Seuraava Etätehtävä").click()
    expect(page.locator("article h1")).to_contain_text("Etätehtävä")
    # the theme's own previous/next (the menu's order) is not shown twice
    expect(page.locator(".md-footer__inner")).to_be_hidden()
    # a module page: the modules before and after it in each programme that has it
    page.goto(browsing.base + "modules/kohtaaminen/")
    trails = page.locator("nav.polku-pager")
    expect(trails).to_have_count(2)
    expect(trails.nth(0)).to_contain_text("Valmentajan perehdytys")
    expect(
        trails.nth(0).get_by_role("link", name="Edellinen Työelämän pelisäännöt")
    ).to_be_visible()
    expect(trails.nth(0).get_by_role("link", name="Seuraava Valmentava työote")).to_be_visible()
    expect(trails.nth(1).get_by_role("link", name="Seuraava Työelämän pelisäännöt")).to_be_visible()
    trails.nth(1).get_by_role("link", name="Kohtaamispäivä").click()
    expect(page.locator("article h1")).to_contain_text("Kohtaamispäivä")
    # the facilitator's pages go session by session too
    page.goto(browsing.base + "programmes/perehdytys/facilitator/aloitus/")
    guide = page.locator("nav.polku-pager")
    expect(guide.get_by_role("link", name="Seuraava Etätehtävä")).to_have_attribute(
        "href", "../etatehtava/"
    )


def _answer_everything(page: Any, base: str) -> dict[str, str]:
    """Answers and marks in both programmes; the answers by prompt key."""
    answers = {
        "kohtaaminen/pohdinta/1": "Kuuntelemaan.\nRauhassa.",
        "kohtaaminen/pohdinta/2": "Kysyn ennen kuin neuvon – ja odotan.",
        "tyoelama/keskustelu/1": "Luottamus ”ensin”.",
        "valmennus/pohdinta/1": "Utelias.",
        "arvot/oma-arvo/1": "Kunnioitus.",
    }
    page.goto(base + "programmes/perehdytys/sessions/aloitus/")
    page.get_by_role("textbox", name="Mitä opit?").fill(answers["kohtaaminen/pohdinta/1"])
    page.get_by_role("textbox", name="Mitä teet toisin?").fill(answers["kohtaaminen/pohdinta/2"])
    page.get_by_role("textbox", name="Mikä säännöistä on tärkein?").fill(
        answers["tyoelama/keskustelu/1"]
    )
    page.get_by_role("checkbox", name="Merkitse tehdyksi: Pelisäännöt ryhmässä").check()
    page.goto(base + "programmes/perehdytys/sessions/etatehtava/")
    page.get_by_role("textbox", name="Millainen valmentaja olet?").fill(
        answers["valmennus/pohdinta/1"]
    )
    page.get_by_role("checkbox", name="Merkitse tehdyksi: Valmentajaidentiteetti").check()
    page.goto(base + "modules/arvot/")
    page.get_by_role("textbox", name="Mikä arvo ohjaa työtäsi?").fill(answers["arvot/oma-arvo/1"])
    page.locator(".polku-done__input").check()
    return answers


def test_the_transfer_file_restores_every_answer_in_a_fresh_browser(
    browsing: Browsing, chromium: Any, server: str, tmp_path: Path
) -> None:
    page = browsing.page("")
    answers = _answer_everything(page, browsing.base)
    page.goto(browsing.base + "journal/")
    with page.expect_download() as info:
        page.get_by_role("button", name="Tallenna siirtotiedosto (.json)").click()
    download = info.value
    assert download.suggested_filename.startswith("oppimispaivakirja-siirto-")
    assert download.suggested_filename.endswith(".json")
    transfer = tmp_path / download.suggested_filename
    download.save_as(transfer)
    saved = json.loads(transfer.read_text("utf-8"))
    assert saved["format"] == "polku-journal" and saved["version"] == 1
    assert {key: entry["text"] for key, entry in saved["answers"].items()} == answers
    assert set(saved["done"]) == {
        "tyoelama/keskustelu",
        "valmennus/pohdinta",
        "arvot/oma-arvo",
    }

    # another browser profile: nothing stored until the file is imported
    fresh = new_browsing(chromium, server)
    try:
        other = fresh.page("journal/")
        assert other.evaluate(f"localStorage.getItem({json.dumps(RECORD)})") is None
        other.get_by_label("Tuo siirtotiedosto").set_input_files(str(transfer))
        status = other.locator(".polku-journal-tools [role=status]")
        expect(status).to_have_text(
            f"Tuotu tiedostosta {transfer.name}: 5 uutta vastausta, 3 uutta tehdyksi-merkintää."
        )
        for key, text in answers.items():
            expect(other.locator(f'[data-polku-answer="{key}"]').first).to_have_text(text)
        other.goto(fresh.base + "programmes/tiimi/sessions/kohtaamispaiva/")
        expect(other.get_by_role("textbox", name="Mitä teet toisin?")).to_have_value(
            answers["kohtaaminen/pohdinta/2"]
        )
        expect(
            other.get_by_role("checkbox", name="Merkitse tehdyksi: Pelisäännöt ryhmässä")
        ).to_be_checked()
        other.goto(fresh.base + "modules/arvot/")
        expect(other.locator(".polku-done__input")).to_be_checked()
        # importing the same file again changes nothing, and says so
        other.goto(fresh.base + "journal/")
        other.get_by_label("Tuo siirtotiedosto").set_input_files(str(transfer))
        expect(other.locator(".polku-journal-tools [role=status]")).to_have_text(
            f"Tiedostossa {transfer.name} ei ollut mitään uutta."
        )
        assert fresh.errors == [] and fresh.outside() == []
    finally:
        fresh.context.close()


def test_import_merges_by_activity_and_says_what_it_changed(
    browsing: Browsing, tmp_path: Path
) -> None:
    page = browsing.page("modules/kohtaaminen/")
    page.get_by_role("textbox", name="Mitä opit?").fill("Tämän selaimen uusi vastaus.")
    page.get_by_role("textbox", name="Mitä teet toisin?").fill("Vanha tässä selaimessa.")
    transfer = tmp_path / "siirto.json"
    transfer.write_text(
        json.dumps(
            {
                "format": "polku-journal",
                "version": 1,
                "site": SITE,
                "answers": {
                    # older than this browser's answer: kept as it is here
                    "kohtaaminen/pohdinta/1": {"text": "Vanha.", "updated": "2020-01-01T00:00Z"},
                    # newer: replaces this browser's
                    "kohtaaminen/pohdinta/2": {"text": "Uudempi.", "updated": "2999-01-01T00:00Z"},
                    "valmennus/pohdinta/1": {"text": "Uusi.", "updated": "2027-01-01T00:00Z"},
                    "poistettu/tehtava/1": {"text": "Ei sivustolla.", "updated": "2027-01-01"},
                    "kohtaaminen/pohdinta/9": {"text": "Ei kysymystä.", "updated": "2027-01-01"},
                },
                "done": {"kohtaaminen/tarkistus": "2027-01-01T00:00:00Z"},
            }
        ),
        "utf-8",
    )
    page.goto(browsing.base + "journal/")
    page.get_by_label("Tuo siirtotiedosto").set_input_files(str(transfer))
    expect(page.locator(".polku-journal-tools [role=status]")).to_have_text(
        "Tuotu tiedostosta siirto.json: 1 uusi vastaus, 1 vastaus päivitetty uudempaan, "
        "1 uusi tehdyksi-merkintä, 1 vastaus jätetty ennalleen, koska tämän selaimen versio "
        "on uudempi, 2 kohtaa ohitettu, koska niitä ei ole tällä sivustolla."
    )
    answers = record(page)["answers"]
    assert answers["kohtaaminen/pohdinta/1"]["text"] == "Tämän selaimen uusi vastaus."
    assert answers["kohtaaminen/pohdinta/2"]["text"] == "Uudempi."
    assert answers["valmennus/pohdinta/1"]["text"] == "Uusi."
    assert "poistettu/tehtava/1" not in answers and "kohtaaminen/pohdinta/9" not in answers
    # a file that is not a transfer file changes nothing
    before = record(page)
    for name, content in (("muistiinpanot.json", "{ei json"), ("toinen.json", '{"a": 1}')):
        wrong = tmp_path / name
        wrong.write_text(content, "utf-8")
        page.get_by_label("Tuo siirtotiedosto").set_input_files(str(wrong))
        expect(page.locator(".polku-journal-tools [role=status]")).to_have_text(
            f"Tiedostoa {name} ei tuotu: se ei ole tämän sivuston oppimispäiväkirjan "
            "siirtotiedosto."
        )
    assert record(page) == before


CHECKLIST = f"polku:v1:{SITE}:checklist:perehdytys/_"
TICK = "2027-01-05T08:00:00.000Z"


def test_marks_and_answers_of_older_sites_move_into_the_learner_record(
    browsing: Browsing,
) -> None:
    """Sites before this stored one entry per programme; the first visit moves them."""
    page = browsing.page("ohje/")
    old = {
        f"polku:v1:{SITE}:perehdytys": {
            "done": {"kohtaaminen/pohdinta": "2027-01-12T10:00:00.000Z"},
            "journal": {
                "kohtaaminen/pohdinta/1": {"text": "Perehdytyksessä.", "updated": "2027-01-12"},
                "tyoelama/keskustelu/1": {"text": "Sama.", "updated": "2027-01-12"},
            },
        },
        f"polku:v1:{SITE}:tiimi": {
            "done": {"tyoelama/keskustelu": "2027-03-01T10:00:00.000Z"},
            "journal": {
                "kohtaaminen/pohdinta/1": {"text": "Tiimissä.", "updated": "2027-03-01"},
                "tyoelama/keskustelu/1": {"text": "Sama.", "updated": "2027-03-01"},
            },
        },
        f"polku:v1:{SITE}:_": {
            "done": {},
            "journal": {"arvot/oma-arvo/1": {"text": "Arvo.", "updated": "2027-01-01"}},
        },
        f"polku:v1:{SITE}:current-programme": "tiimi",
        "polku:v1:Toinen sivusto:perehdytys": {"done": {"x/y": "2027"}, "journal": {}},
        # a checklist page's ticks: their own entry, which the move leaves alone
        CHECKLIST: {"perehdytys/tervetuloviesti": TICK},
    }
    for key, value in old.items():
        text = value if isinstance(value, str) else json.dumps(value)
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, text])
    page.goto(browsing.base + "modules/kohtaaminen/")
    # nothing is lost: two different answers to one prompt are both kept, the newer first
    expect(page.get_by_role("textbox", name="Mitä opit?")).to_have_value(
        "Tiimissä.\n\nPerehdytyksessä."
    )
    moved = record(page)
    assert moved["answers"]["tyoelama/keskustelu/1"]["text"] == "Sama."
    assert moved["answers"]["arvot/oma-arvo/1"]["text"] == "Arvo."
    assert set(moved["done"]) == {"kohtaaminen/pohdinta", "tyoelama/keskustelu"}
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('polku:'))")
    assert sorted(keys) == [CHECKLIST, "polku:v1:Toinen sivusto:perehdytys", RECORD]
    assert json.loads(page.evaluate("k => localStorage.getItem(k)", CHECKLIST)) == {
        "perehdytys/tervetuloviesti": TICK
    }


def test_the_journal_shows_the_own_programme_and_answered_prompts(browsing: Browsing) -> None:
    page = browsing.page("modules/valmennus/")
    page.get_by_role("textbox", name="Millainen valmentaja olet?").fill("Utelias.")
    page.goto(browsing.base + "journal/")
    choice = page.get_by_label("Ohjelma", exact=True)
    expect(choice).to_have_value("perehdytys")
    shown = page.locator("[data-polku-answer]:visible")
    expect(shown).to_have_count(1)
    expect(shown).to_have_text("Utelias.")
    expect(page.get_by_role("heading", name="Tiimin mentorointi")).to_be_hidden()
    # the other programme has no answers yet: the page says so
    choice.select_option("tiimi")
    expect(page.locator("[data-polku-answer]:visible")).to_have_count(0)
    expect(page.locator(".polku-journal-nothing")).to_be_visible()
    page.get_by_label("Näytä myös kysymykset, joihin et ole vielä vastannut").check()
    # the programme's three prompts and the one of the module no programme has
    expect(page.locator("[data-polku-answer]:visible")).to_have_count(4)
    # the choice of programme is remembered
    page.reload()
    expect(page.get_by_label("Ohjelma", exact=True)).to_have_value("tiimi")


def test_the_timeline_is_readable_on_a_phone(chromium: Any, server: str) -> None:
    browsing = new_browsing(chromium, server, viewport={"width": 390, "height": 844})
    try:
        page = browsing.page("programmes/perehdytys/")
        figure = page.locator("figure.polku-timeline")
        figure.scroll_into_view_if_needed()
        sizes = page.evaluate(
            """() => Array.from(document.querySelectorAll('.polku-timeline svg text'))
                .map(t => t.getBoundingClientRect().height)"""
        )
        assert sizes and min(sizes) >= 11, sizes[:5]
        # the picture scrolls sideways inside its figure; the page does not
        widths = figure.evaluate("f => [f.scrollWidth, f.clientWidth]")
        assert widths[0] > widths[1]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # the session list under it says the same in text
        expect(page.locator("ol.polku-sessions li").first).to_contain_text("ma 11.1.2027")
    finally:
        browsing.context.close()

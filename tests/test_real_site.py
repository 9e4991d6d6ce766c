"""The site of this repository's own curriculum, and of a fresh ``polku init`` project in
English, built for real (no PDFs): the pages a learner, a mentor and an author meet."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from conftest import REPO, run_polku
from polku.i18n import collation_key

pytestmark = pytest.mark.slow

PROGRAMMES = ("omavalmentaja-perehdytys", "valmennuskuukausi", "vertaismentorointi")


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("real") / "polku"
    project.mkdir()
    shutil.copy(REPO / "mkdocs.yml", project)
    for folder in ("docs", "overrides", "curriculum"):
        shutil.copytree(REPO / folder, project / folder)
    result = run_polku("build", "--root", project, "--no-pdf", timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def article(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return html[html.index("<article") : html.index("</article>")]


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_one_card_per_programme(real_site: Path) -> None:
    for page in ("index.html", "programmes/index.html"):
        html = article(real_site / page)
        cards = html[html.index('class="grid cards') :]
        cards = cards[: cards.index("</ul>")]
        assert cards.count("<li>") == len(PROGRAMMES), page
        # Finnish counts take the partitive: "35 tapaamista", never "35 tapaamiset"
        assert re.search(r"\b\d+ tapaamista\b", text_of(cards)), page
        assert "tapaamiset" not in text_of(cards)
    # the marker written in a code span documents it and stays as it is
    reference = article(real_site / "reference/format/index.html")
    assert "grid cards" not in reference and "&lt;!-- polku:programmes --&gt;" in reference


def test_every_session_has_a_learner_and_a_facilitator_page(real_site: Path) -> None:
    for programme in PROGRAMMES:
        folder = real_site / "programmes" / programme
        sessions = sorted(p.name for p in (folder / "sessions").iterdir())
        guide = sorted(p.name for p in (folder / "facilitator").iterdir() if p.is_dir())
        assert sessions and sessions == guide, programme
        overview = article(folder / "index.html")
        for session in sessions:
            assert f'href="sessions/{session}/"' in overview, (programme, session)
        # the overview is short: one line per session, no run sheets or activities
        assert "polku-activity" not in overview and "Ajo-ohjelma" not in text_of(overview)


def test_english_author_pages_come_last_and_say_their_language(real_site: Path) -> None:
    home = (real_site / "index.html").read_text("utf-8")
    nav = home[home.index("md-nav--primary") : home.index("md-sidebar--secondary")]
    assert nav.index("Ohjelmat") < nav.index("Menetelmäkortit") < nav.index("Kirjoittajille")
    assert re.search(r'<span class="polku-ellipsis" lang="en">\s*The curriculum format', nav)
    for page in ("reference/format/index.html", "benchmarks/index.html"):
        html = (real_site / page).read_text("utf-8")
        assert '<html lang="fi"' in html and '<div lang="en">' in html, page
        assert re.search(r'data-md-component="toc"[^>]*lang="en"', html), page
    # Finnish pages are not marked
    assert '<div lang="en">' not in (real_site / "glossary/index.html").read_text("utf-8")


def test_glossary_and_method_cards_read_as_finnish(real_site: Path) -> None:
    glossary = article(real_site / "glossary/index.html")
    terms = [text_of(t) for t in re.findall(r"<h3[^>]*>(.*?)<a class=\"headerlink", glossary)]
    assert len(terms) > 40
    assert terms == sorted(terms, key=collation_key("fi"))
    # no heading level is skipped: letters (h2) hold the terms (h3)
    assert re.search(r"</h1>.*?<h2", glossary, re.S)
    for path in (real_site / "methods").glob("*/index.html"):
        headings = text_of(" ".join(re.findall(r"<h3[^>]*>(.*?)</h3>", article(path))))
        assert not re.search(r"\b(\d+)\. \1\.", headings), path  # "1. 1. Valmistaudu"


def test_pages_speak_finnish_to_learners(real_site: Path) -> None:
    """Anchors in Finnish, no command line on the learners' help page, self-study with its
    length instead of "all day", dates first, checklist titles with their programme."""
    overview = (real_site / "programmes/omavalmentaja-perehdytys/index.html").read_text("utf-8")
    for anchor in ("tavoitteet", "ohjelma", "tiedostot-ja-kalenterit"):
        assert f'id="{anchor}"' in overview, anchor
    for english in ("outcomes", "schedule", "files", "roles", "checklist"):
        assert f'id="{english}"' not in overview, english
    # what to do comes first: the downloads follow the list of sessions
    assert overview.rindex("polku-sessions__item") < overview.index('id="tiedostot-ja-kalenterit"')
    assert 'id="osaamistavoitteet"' in (
        real_site / "modules/valmennuksen-periaatteet/index.html"
    ).read_text("utf-8")
    assert "polku build" not in text_of(article(real_site / "kaytto/index.html"))
    cohort = text_of(
        article(real_site / "programmes/omavalmentaja-perehdytys/cohorts/syksy-2027/index.html")
    )
    assert "koko päivä" not in cohort
    assert re.search(r"Omaan tahtiin, (\d+ h)?( ?\d+ min)?", cohort)
    # the timeline's description: the date first, the day of the programme after it
    assert re.search(r"to 12\.8\.2027 \(päivä -2\) – pe 8\.10\.2027 \(päivä 40\)", cohort)
    titles = {
        re.search(r"<title>(.*?)</title>", path.read_text("utf-8")).group(1)  # type: ignore[union-attr]
        for path in (real_site / "programmes").glob("*/checklists/*/index.html")
    }
    assert len(titles) == len(list((real_site / "programmes").glob("*/checklists/*/index.html")))


def test_fresh_init_project_in_english(tmp_path: Path) -> None:
    project = tmp_path / "training"
    assert run_polku("init", project).returncode == 0
    result = run_polku("build", "--root", project, "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    home = article(site / "index.html")
    assert home.count("<li>") >= 1 and "1 session" in text_of(home)
    overview = article(site / "programmes/onboarding/index.html")
    assert "Start: First day" in text_of(overview)  # the first step without the script
    assert 'href="sessions/first-day/"' in overview
    session = article(site / "programmes/onboarding/sessions/first-day/index.html")
    assert "Read the module: Welcome" in text_of(session)
    assert 'data-polku-activity="welcome/reflection"' in session
    guide = article(site / "programmes/onboarding/facilitator/first-day/index.html")
    assert "Run sheet" in text_of(guide) and "Participant page: First day" in text_of(guide)
    assert 'title="Permanent link"' in (site / "index.html").read_text("utf-8")
    # anchors from the English labels, the menu button and its script
    overview_html = (site / "programmes/onboarding/index.html").read_text("utf-8")
    assert 'id="schedule"' in overview_html
    assert "assets/polku/polku-chrome.js" in overview_html
    assert '"menu": "Menu"' in (site / "assets/polku/polku-data.js").read_text("utf-8")

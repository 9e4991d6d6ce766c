"""The built learner site without a browser: links, the journal page, the data for the
browser script, the offline build and the search worker."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import LearnerSites, copy_fixture, run_polku
from helpers import edit
from linkcheck import check_site


def _article(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return html[html.index("<article") : html.index("</article>")]


def _data(site: Path) -> dict:
    script = (site / "assets/polku/polku-data.js").read_text(encoding="utf-8")
    return json.loads(script[script.index("{") : script.rindex("}") + 1])


def test_no_broken_internal_link_or_anchor(learner_sites: LearnerSites) -> None:
    for site in (learner_sites.site, learner_sites.offline):
        report = check_site(site)
        assert report.pages >= 15 and report.links > 300, (site, report.pages, report.links)
        assert report.broken == [], site
        assert report.unreachable == [], site
        # links to other hosts are only ever followed by the reader, never loaded
        loaded = re.compile(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"')
        for html in site.rglob("*.html"):
            for url in loaded.findall(html.read_text(encoding="utf-8")):
                assert not re.match(r"^(?:https?:)?//", url), (html, url)


def test_journal_page_lists_every_prompt_in_programme_order(learner_sites: LearnerSites) -> None:
    page = _article(learner_sites.site / "journal/index.html")
    keys = re.findall(r'data-polku-answer="([^"]+)"', page)
    # perehdytys: day 1 starts with tyoelama, then kohtaaminen; valmennus is day 6;
    # tiimi: kohtaaminen, then tyoelama; arvot is unscheduled
    assert keys == [
        "tyoelama/keskustelu/1",
        "kohtaaminen/pohdinta/1",
        "kohtaaminen/pohdinta/2",
        "valmennus/pohdinta/1",
        "kohtaaminen/pohdinta/1",
        "kohtaaminen/pohdinta/2",
        "tyoelama/keskustelu/1",
        "arvot/oma-arvo/1",
    ]
    assert page.index("Valmentajan perehdytys") < page.index("Tiimin mentorointi")
    assert page.index("Tiimin mentorointi") < page.index("Muut moduulit")
    for section in ("perehdytys", "tiimi", "_"):
        assert f'data-polku-journal="{section}"' in page
    assert "Mitä teet toisin?" in page and "Pelisäännöt ryhmässä" in page
    assert "vain tämän laitteen selaimeen" in page  # the privacy note
    assert "SALAINEN" not in page
    # the prompts on module pages carry the same keys
    module = _article(learner_sites.site / "modules/kohtaaminen/index.html")
    assert 'data-polku-prompt="kohtaaminen/pohdinta/2"' in module
    # the journal is in the navigation and left out of the search index
    home = (learner_sites.site / "index.html").read_text(encoding="utf-8")
    assert 'href="journal/"' in home and "Oppimispäiväkirja" in home
    index = json.loads((learner_sites.site / "search/search_index.json").read_text("utf-8"))
    assert not [doc for doc in index["docs"] if doc["location"].startswith("journal/")]


def _toc(html: str) -> list[tuple[int, str]]:
    """The entries of Material's table of contents: (nesting depth, title)."""
    toc = html[html.index('data-md-component="toc"') :]
    depth, found = 1, []  # inside the list that data-md-component="toc" marks, to its end
    for tag in re.finditer(
        r'<(/?)ul\b|<a href="#[^"]*" class="md-nav__link">\s*'
        r'<span class="polku-ellipsis">\s*([^<]*?)\s*<',
        toc,
    ):
        if tag.group(2) is not None:
            found.append((depth, tag.group(2)))
        else:
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                break
    return found


def test_journal_contents_list_programmes_and_their_modules_once(
    learner_sites: LearnerSites,
) -> None:
    html = (learner_sites.site / "journal/index.html").read_text(encoding="utf-8")
    entries = _toc(html)
    programmes = [title for depth, title in entries if depth == 1]
    assert programmes[:2] == ["Valmentajan perehdytys", "Tiimin mentorointi"]
    assert {depth for depth, _title in entries} == {1, 2}  # no activities under modules
    # a module is listed once under each programme that has it
    under: dict[str, list[str]] = {}
    current = ""
    for depth, title in entries:
        if depth == 1:
            current = title
        else:
            under.setdefault(current, []).append(title)
    for titles in under.values():
        assert len(titles) == len(set(titles)), titles
    # the headings themselves stay on the page
    assert html.count('<h4 id="journal-') >= len(entries) - len(programmes)


def test_browser_script_data_matches_the_site(learner_sites: LearnerSites) -> None:
    for site, module_url in (
        (learner_sites.site, "modules/kohtaaminen/"),
        (learner_sites.offline, "modules/kohtaaminen.html"),
    ):
        data = _data(site)
        assert data["site"] == "Oppijan testisivusto" and data["language"] == "fi"
        assert data["labels"]["mark_done"] == "Merkitse tehdyksi"
        assert data["format"] == 2
        module = data["modules"]["kohtaaminen"]
        assert module["url"] == module_url and module["programmes"] == ["perehdytys", "tiimi"]
        assert module["titles"][1] == "Oma kohtaamiseni" and module["prompts"] == [0, 2, 0]
        assert data["labels"]["progress_count"] == {
            "one": "{done} / {total} tehtävä tehty",
            "other": "{done} / {total} tehtävää tehty",
        }
        assert module["activities"] == [
            "kohtaaminen/kuuntelu-harjoitus",
            "kohtaaminen/pohdinta",
            "kohtaaminen/tarkistus",
        ]
        assert data["modules"]["arvot"]["programmes"] == []
        first = data["programmes"][0]["sessions"][0]
        assert first["anchors"]["kohtaaminen/pohdinta"] == "activity-kohtaaminen--pohdinta"
        session_url = "programmes/perehdytys/sessions/aloitus"
        assert first["url"] in (session_url + "/", session_url + ".html")
        sessions = {s["id"]: s["activities"] for s in data["programmes"][0]["sessions"]}
        assert sessions["aloitus"] == [
            "tyoelama/keskustelu",
            "kohtaaminen/kuuntelu-harjoitus",
            "kohtaaminen/pohdinta",
            "kohtaaminen/tarkistus",
            "valmennus/tavoite",
        ]
        assert sessions["etatehtava"] == ["valmennus/tavoite", "valmennus/pohdinta"]
        pages = [*data["modules"].values(), *data["programmes"]]
        pages += [s for p in data["programmes"] for s in p["sessions"]]
        for item in pages:
            target = site / item["url"]
            assert (target / "index.html" if item["url"].endswith("/") else target).is_file()
        journal = site / data["journal"]
        assert (journal / "index.html" if data["journal"].endswith("/") else journal).is_file()


def test_offline_build_opens_from_files(learner_sites: LearnerSites) -> None:
    site = learner_sites.offline
    assert (site / "modules/kohtaaminen.html").is_file()
    assert not (site / "modules/kohtaaminen/index.html").exists()
    script = (site / "search/search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = {")
    index = json.loads(script[len("var __index = ") :].rstrip().rstrip(";"))
    assert index["config"]["lang"] == ["fi"]
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "unpkg.com" not in text, html
        if html.name != "404.html":
            shim = text.index("assets/polku/iframe-worker.js")
            assert shim < text.index("assets/javascripts/bundle."), html
    # the served build needs none of it
    served = learner_sites.site
    assert not (served / "search/search_index.js").exists()
    assert "iframe-worker.js" not in (served / "index.html").read_text(encoding="utf-8")


def test_pages_use_the_stemming_search_worker(learner_sites: LearnerSites) -> None:
    workers = learner_sites.site / "assets/javascripts/workers"
    material = [p.name for p in workers.glob("search.*.min.js")]
    assert len(material) == 1
    wrapper = (workers / "polku-search.js").read_text(encoding="utf-8")
    assert f'new URL("{material[0]}", here)' in wrapper
    for site, page, worker in (
        (learner_sites.site, "modules/kohtaaminen/index.html", "../../assets"),
        (learner_sites.offline, "modules/kohtaaminen.html", "../assets"),
    ):
        html = (site / page).read_text(encoding="utf-8")
        found = re.search(r'id="__config"[^>]*>(.*?)</script>', html, re.S)
        assert found is not None
        config = json.loads(found.group(1))
        assert config["search"] == f"{worker}/javascripts/workers/polku-search.js"


def test_material_offline_plugin_uses_the_shipped_shim(tmp_path: Path) -> None:
    """``offline`` in mkdocs.yml (Material's plugin) gets polku's shim, not a CDN copy."""
    project = copy_fixture("learner", tmp_path)
    edit(project, "mkdocs.yml", "  - polku\n", "  - offline\n  - polku\n")
    result = run_polku("build", "--root", project, "--no-pdf", "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "unpkg.com" not in html and "assets/polku/iframe-worker.js" in html
    assert (site / "journal.html").is_file()
    assert (site / "search/search_index.js").read_text("utf-8").startswith("var __index = ")
    assert not list(tmp_path.glob("learner/.polku-staging-*"))


def test_handouts_are_printable_pages_linked_from_the_facilitator_pages(
    learner_sites: LearnerSites,
) -> None:
    site = learner_sites.site
    guide = _article(site / "programmes/perehdytys/facilitator/aloitus/index.html")
    # a Markdown handout has a page of its own; a ready file links the published file
    assert '<a href="../../../../handouts/roolikortti/">Moniste: Roolikortti' in guide
    assert '<a href="../../../../assets/kaavio.png">Lataa tiedosto: Havaintolomake' in guide
    assert "yksi paria kohden" in guide  # how many to print
    assert (site / "assets/kaavio.png").is_file()
    handout = _article(site / "handouts/roolikortti/index.html")
    assert "Kuuntelija:" in handout and 'src="../../assets/kaavio.png"' in handout
    assert "data-polku-print" in handout  # the print button's place
    # where it is used: every facilitator page of a session that hands it out
    assert "../../programmes/perehdytys/facilitator/aloitus/" in handout
    assert "../../programmes/tiimi/facilitator/kohtaamispaiva/" in handout
    index = _article(site / "handouts/index.html")
    assert index.index("Havaintolomake") < index.index("Roolikortti")  # in Finnish order
    assert not (site / "handouts/havaintolomake").exists()  # a file handout is its file
    # learners' pages do not list the facilitator's material
    learner = _article(site / "programmes/perehdytys/sessions/aloitus/index.html")
    assert "Havaintolomake" not in learner

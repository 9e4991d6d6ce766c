"""Real MkDocs builds of the small example curriculum, checked in the generated HTML."""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from conftest import run_polku
from helpers import edit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang")
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if tag in ("a", "img", "link", "script") and values.get(name):
                self.links.append(values[name] or "")


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def article(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return html[html.index("<article") : html.index("</article>")]


def test_every_page_is_generated(basic_site: Path) -> None:
    for page in (
        "index.html",
        "ohje/index.html",
        "programmes/index.html",
        "programmes/perehdytys/index.html",
        "programmes/perehdytys/facilitator/index.html",
        "programmes/perehdytys/sessions/aloitus/index.html",
        "programmes/perehdytys/sessions/etatehtava/index.html",
        "programmes/perehdytys/facilitator/aloitus/index.html",
        "programmes/perehdytys/facilitator/etatehtava/index.html",
        "modules/index.html",
        "modules/kohtaaminen/index.html",
        "modules/valmennus/index.html",
        "methods/index.html",
        "methods/grow/index.html",
        "glossary/index.html",
        "tags/index.html",
        "assets/kaavio.png",
        "assets/polku/polku.css",
    ):
        assert (basic_site / page).is_file(), page


def test_internal_links_and_anchors_resolve(basic_site: Path) -> None:
    broken = []
    for page in basic_site.rglob("*.html"):
        if page.name == "404.html":  # links from the root, for any missing URL
            continue
        for link in parse(page).links:
            if re.match(r"^[a-z]+:", link) or link.startswith("//"):
                continue
            target, _, anchor = link.partition("#")
            resolved = (page.parent / target).resolve() if target else page
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.exists():
                broken.append(f"{page.relative_to(basic_site)} -> {link}")
            elif anchor and resolved.suffix == ".html" and anchor not in parse(resolved).ids:
                broken.append(f"{page.relative_to(basic_site)} -> {link} (anchor)")
    assert broken == []


def test_no_markdown_syntax_is_left_unrendered(basic_site: Path) -> None:
    """A Markdown link inside raw HTML that md_in_html does not reach stays as text."""
    leftovers = []
    for page in basic_site.rglob("*.html"):
        text = re.sub(r"<(script|code|pre)\b.*?</\1>", "", article(page), flags=re.S)
        for match in re.finditer(r"\]\([^)\s]*\.md[)#]", text):
            leftovers.append(f"{page.relative_to(basic_site)}: {match.group()}")
    assert leftovers == []


def test_pages_speak_the_programme_language(basic_site: Path) -> None:
    assert parse(basic_site / "modules/kohtaaminen/index.html").html_lang == "fi"
    module = article(basic_site / "modules/kohtaaminen/index.html")
    assert "Harjoitus" in module and "Pareittain" in module and "Osaamistavoitteet" in module


def test_learner_pages_hide_facilitator_content(basic_site: Path) -> None:
    learner_pages = [
        *(basic_site / "modules").rglob("*.html"),
        *(basic_site / "programmes/perehdytys/sessions").rglob("*.html"),
        basic_site / "programmes/perehdytys/index.html",
        basic_site / "journal/index.html",
    ]
    assert len(learner_pages) >= 6
    for page in learner_pages:
        html = page.read_text(encoding="utf-8")
        assert "SALAINEN" not in html, page
    # the notes and debriefs are on the facilitator page of the session that runs them
    facilitator = article(basic_site / "programmes/perehdytys/facilitator/aloitus/index.html")
    assert "SALAINEN-OHJAAJAN-MUISTIINPANO" in facilitator
    assert "SALAINEN-PURKU" in facilitator


def test_self_check_answer_is_behind_a_details_element(basic_site: Path) -> None:
    module = article(basic_site / "modules/kohtaaminen/index.html")
    details = re.search(r"<details class=\"polku-answer\">(.*?)</details>", module, re.S)
    assert details and "VASTAUS-PIILOSSA" in details.group(1)
    assert " open" not in module[module.index("<details") : module.index("<details") + 40]


def test_run_sheet_clock_times(basic_site: Path) -> None:
    page = basic_site / "programmes/perehdytys/facilitator/aloitus/index.html"
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article(page))).split())
    # 09:00 welcome (30) → 09:30 module kohtaaminen (35: 20 + 10 + 5) → 10:05 break (15) → 10:20
    assert re.search(r"09:00 Tervetuloa 30 min", text)
    assert re.search(r"09:30 Asiakkaan kohtaaminen 35 min", text)
    assert re.search(r"09:30 Aktiivinen kuuntelu pareittain 20 min", text)
    assert re.search(r"09:50 Oma kohtaamiseni 10 min", text)
    assert re.search(r"10:05 Tauko 15 min", text)
    assert re.search(r"10:20 Tavoitteen asettaminen 45 min", text)
    assert "Ajastin" in text  # materials to prepare
    # the guide's first page lists the sessions with their times, each linking its page
    guide = article(basic_site / "programmes/perehdytys/facilitator/index.html")
    guide_text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", guide)).split())
    assert "09:00–13:00 Aloituspäivä" in guide_text
    assert 'href="aloitus/"' in guide and 'href="etatehtava/"' in guide


def test_programme_page_has_dates_roles_and_checklist(basic_site: Path) -> None:
    text = re.sub(r"<[^>]+>", " ", article(basic_site / "programmes/perehdytys/index.html"))
    text = " ".join(text.split())
    assert "Alkaa: ma 11.1.2027" in text  # day 1
    assert "Päättyy: ma 18.1.2027" in text  # day 6 = the sixth working day
    assert "ma 11.1.2027 · 09:00–13:00" in text
    assert "Koulutustila 2" in text
    assert "Lähetä tervetuloviesti" in text
    # day -5 counts back over Epiphany (6.1.) and New Year's Day (1.1.); the date comes first
    assert "to 31.12.2026 (päivä -5)" in text
    session = article(basic_site / "programmes/perehdytys/sessions/aloitus/index.html")
    session = " ".join(re.sub(r"<[^>]+>", " ", session).split())
    assert "Päivämäärä: ma 11.1.2027 (päivä 1)" in session
    assert "25–30" in session or "25-30" in session


def test_search_index_has_finnish_settings_and_body_text(basic_site: Path) -> None:
    index = json.loads((basic_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["fi"]
    texts = " ".join(doc["text"] for doc in index["docs"])
    assert "Valmentaja keskittyy asiakkaaseen" in texts
    assert "SALAINEN" not in " ".join(
        doc["text"] for doc in index["docs"] if doc["location"].startswith("modules/")
    )


def test_glossary_is_alphabetical_with_anchors_and_hover_definitions(basic_site: Path) -> None:
    glossary = article(basic_site / "glossary/index.html")
    assert glossary.index("Ohjaus") < glossary.index("Valmennus")
    assert 'id="term-ohjaus"' in glossary and 'href="#term-ohjaus"' in glossary
    module = article(basic_site / "modules/valmennus/index.html")
    assert '<abbr title="Tavoitteellinen prosessi' in module


def test_method_card_lists_the_activities_that_use_it(basic_site: Path) -> None:
    card = article(basic_site / "methods/grow/index.html")
    assert "Tavoitteen asettaminen" in card and "../../modules/valmennus/#activity-tavoite" in card


def test_navigation_keeps_hand_written_pages_first(basic_site: Path) -> None:
    html = (basic_site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary") :]
    assert nav.index("Ohje") < nav.index("Ohjelmat") < nav.index("Moduulit")
    # on a session's page the menu opens its programme: the overview, then the sessions
    html = (basic_site / "programmes/perehdytys/sessions/aloitus/index.html").read_text("utf-8")
    nav = html[html.index("md-nav--primary") : html.index("md-sidebar--secondary")]
    assert nav.index("Valmentajan perehdytys") < nav.index("Aloituspäivä") < nav.index("Moduulit")


def test_navigation_does_not_grow_with_the_modules(basic_site: Path) -> None:
    """Modules are reached from sessions, the module index, search and tags."""
    html = (basic_site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary") : html.index("</nav>", html.index("md-nav--primary"))]
    assert "modules/index" not in nav or "Moduulit" in nav
    assert "Asiakkaan kohtaaminen" not in nav and "Valmentava työote" not in nav
    index = article(basic_site / "modules/index.html")
    assert "Asiakkaan kohtaaminen" in index and "Valmentava työote" in index


def _long_programme(project: Path, phases: int, sessions_in_last: int) -> None:
    """A second programme of many phases, one session each, and a long last phase."""
    lines = ["id: pitka", "title: Pitkä ohjelma", "language: fi", "start_date: 2027-01-11"]
    lines.append("phases:")
    for number in range(1, phases + 1):
        count = sessions_in_last if number == phases else 1
        lines += [f"  - id: vaihe-{number}", f"    title: Jakso {number}", "    sessions:"]
        for session in range(1, count + 1):
            lines += [
                f"      - id: s-{number}-{session}",
                f"        title: Kerta {number}.{session}",
                "        kind: assignment",
                f"        day: {number}",
                "        items:",
                "          - module: kohtaaminen",
            ]
    (project / "curriculum/programmes/pitka.yml").write_text("\n".join(lines) + "\n", "utf-8")


def _primary_nav(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return html[html.index("md-nav--primary") : html.index("md-sidebar--secondary")]


def test_long_lists_in_the_navigation_come_in_groups(basic_project: Path) -> None:
    """A page's menu stays short however many phases and sessions a programme has."""
    _long_programme(basic_project, phases=130, sessions_in_last=25)
    assert run_polku("build", "--root", basic_project, "--no-pdf").returncode == 0
    sessions = basic_project / "site/programmes/pitka/sessions"
    nav = _primary_nav(sessions / "s-35-1/index.html")
    # open: the groups down to phase 35 and its session; the siblings on the way are links
    for title in ("Vaiheet 1–100", "Vaiheet 31–40", "Jakso 35", "Kerta 35.1", "Vaiheet 101–130"):
        assert title in nav, title
    assert "Vaiheet 121–130" not in nav and "Jakso 34" in nav and "Jakso 41" not in nav
    # the last phase's 25 sessions are grouped too
    nav = _primary_nav(sessions / "s-130-24/index.html")
    assert "Tapaamiset 21–25" in nav and "Kerta 130.24" in nav and "Kerta 130.3" not in nav
    # the facilitator guide is grouped the same way
    nav = _primary_nav(basic_project / "site/programmes/pitka/facilitator/s-35-1/index.html")
    assert "Vaiheet 31–40" in nav and "Jakso 35" in nav and "Jakso 41" not in nav
    # every page shows at most a dozen entries per level: far fewer than the 154 sessions
    for page in (sessions / "s-35-1/index.html", sessions / "s-130-24/index.html"):
        assert _primary_nav(page).count('class="md-nav__item') < 80
    # a short programme is shown as it is, with no groups
    nav = _primary_nav(basic_project / "site/programmes/perehdytys/sessions/aloitus/index.html")
    assert "Vaiheet" not in nav and "Viikko 2 – Valmennus" in nav


def test_a_heading_in_an_activity_reaches_the_table_of_contents(basic_project: Path) -> None:
    """Activities are raw HTML for the engine, except where an author wrote a heading."""
    edit(
        basic_project,
        "curriculum/modules/valmennus.yml",
        "    instructions: Käytä GROW-mallia.",
        "    instructions: |\n      #### Valmistelu\n\n      Käytä **GROW-mallia**.",
    )
    assert run_polku("build", "--root", basic_project, "--no-pdf").returncode == 0
    html = (basic_project / "site/modules/valmennus/index.html").read_text("utf-8")
    toc = html[html.index("md-nav--secondary") :]
    toc = toc[: toc.index("</nav>")]
    assert "Valmistelu" in toc and "Tavoitteen asettaminen" in toc
    page = article(basic_project / "site/modules/valmennus/index.html")
    assert re.search(
        r'<h4 id="valmistelu">Valmistelu<a class="headerlink" href="#valmistelu"', page
    )
    # both kinds of activity carry the same markup around the author's text
    for activity in ("tavoite", "pohdinta"):
        start = page.index(f'data-polku-activity="valmennus/{activity}"')
        block = page[start : page.index("</div>", start)]
        assert '<p class="polku-badges">' in block and "markdown" not in block
    assert "<strong>GROW-mallia</strong>" in page and "<strong>Menetelmät:</strong>" in page
    assert '<a href="../../methods/grow/">GROW-malli</a>' in page
    # the facilitator's page of the session shows the same heading in its contents
    html = (basic_project / "site/programmes/perehdytys/facilitator/aloitus/index.html").read_text()
    toc = html[html.index("md-nav--secondary") :]
    assert "Valmistelu" in toc[: toc.index("</nav>")]


def test_no_request_leaves_the_site(basic_site: Path) -> None:
    for page in basic_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
        for link in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html):
            assert not link.startswith(("http:", "https:", "//")), (page, link)


def _tree_hash(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_failed_build_leaves_the_previous_site_untouched(basic_project: Path) -> None:
    assert run_polku("build", "--root", basic_project, "--no-pdf").returncode == 0
    before = _tree_hash(basic_project / "site")
    edit(basic_project, "curriculum/modules/valmennus.yml", "type: exercise", "type: harjoitus")
    result = run_polku("build", "--root", basic_project, "--no-pdf")
    assert result.returncode == 1
    assert "curriculum/modules/valmennus.yml:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert _tree_hash(basic_project / "site") == before
    assert not list(basic_project.glob(".polku-staging-*"))


def test_a_file_at_the_path_of_polku_s_own_script_is_a_located_error(
    basic_project: Path,
) -> None:
    """polku's own assets are not replaced silently, nor do they lose to a user's file:
    the build stops and says which file to rename; any other name there is published."""
    assert run_polku("build", "--root", basic_project, "--no-pdf").returncode == 0
    before = _tree_hash(basic_project / "site")
    own = basic_project / "docs/assets/polku"
    own.mkdir(parents=True)
    (own / "polku.js").write_text("console.log('oma');\n", "utf-8")
    result = run_polku("build", "--root", basic_project, "--no-pdf")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith(
        "docs/assets/polku/polku.js:1:1: error: polku publishes its own polku.js at this path"
    )
    assert "rename it" in result.stdout and "Traceback" not in result.stdout + result.stderr
    assert _tree_hash(basic_project / "site") == before
    (own / "polku.js").rename(own / "oma.js")
    result = run_polku("build", "--root", basic_project, "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    site = basic_project / "site/assets/polku"
    assert (site / "oma.js").read_text("utf-8") == "console.log('oma');\n"
    assert "oma" not in (site / "polku.js").read_text("utf-8")


def test_plain_mkdocs_build_works_and_fails_cleanly(basic_project: Path) -> None:
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
    result = subprocess.run(mkdocs, cwd=basic_project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (basic_project / "site/modules/kohtaaminen/index.html").is_file()
    before = _tree_hash(basic_project / "site")
    edit(basic_project, "curriculum/modules/valmennus.yml", "- id: tavoite", "- id: Tavoite")
    result = subprocess.run(mkdocs, cwd=basic_project, capture_output=True, text=True)
    assert result.returncode != 0
    assert "curriculum/modules/valmennus.yml:" in result.stderr
    assert _tree_hash(basic_project / "site") == before


def test_plain_mkdocs_build_takes_settings_mkdocs_yml_inherits(basic_project: Path) -> None:
    """What the user wrote is read as MkDocs reads it, INHERIT merged, without MkDocs'
    deprecated copy of it."""
    config = basic_project / "mkdocs.yml"
    (basic_project / "base.yml").write_text(
        "theme:\n  name: material\n  language: en\n  font:\n    text: Roboto\n", "utf-8"
    )
    config.write_text(
        "INHERIT: base.yml\n" + config.read_text("utf-8").replace("theme:\n  name: material\n", ""),
        "utf-8",
    )
    mkdocs = [sys.executable, "-W", "error:user_configs:DeprecationWarning", "-m", "mkdocs"]
    result = subprocess.run([*mkdocs, "build"], cwd=basic_project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "theme.font loads fonts from Google Fonts" in result.stderr
    page = (basic_project / "site/modules/valmennus/index.html").read_text("utf-8")
    assert '<html lang="en"' in page


def test_plain_text_is_escaped_and_markdown_rendered(basic_project: Path) -> None:
    edit(
        basic_project,
        "curriculum/modules/valmennus.yml",
        "title: Valmentava työote",
        "title: Valmennus *ei* <b>lihavoitu</b> [linkki](x) 10-10-10",
    )
    assert run_polku("build", "--root", basic_project, "--no-pdf").returncode == 0
    page = article(basic_project / "site/modules/valmennus/index.html")
    assert "<b>lihavoitu</b>" not in page and "&lt;b&gt;lihavoitu&lt;/b&gt;" in page
    assert "<em>ei</em>" not in page
    assert "<strong>" in page  # Markdown in the body still renders
    assert "<table>" in page


def test_the_theme_s_static_files_are_those_mkdocs_lists(tmp_path: Path) -> None:
    """polku lists the theme's files without walking hidden folders (Material's 14,000
    icons), which MkDocs' own filter drops anyway: the same files, in the same order,
    with a custom_dir holding a hidden folder and files of every kind."""
    from conftest import copy_fixture
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files
    from polku.mkdocs import theme

    project = copy_fixture("basic", tmp_path)
    overrides = project / "overrides"
    for name in (".secret/kept.js", "assets/.hidden.css", "assets/own.css", "main.html", "x.md"):
        (overrides / name).parent.mkdir(parents=True, exist_ok=True)
        (overrides / name).write_text("/* */", "utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config_file:
        config_file.write("\n")
    config = load_config(
        str(project / "mkdocs.yml"), theme={"name": "material", "custom_dir": str(overrides)}
    )
    plain = Files([])
    plain.add_files_from_theme(config.theme.get_env(), config)  # Jinja's own listing
    theme.remember_theme_files(config)
    listed = Files([])
    listed.add_files_from_theme(config.theme.get_env(), config)
    assert [f.src_uri for f in listed] == [f.src_uri for f in plain]
    assert "assets/own.css" in [f.src_uri for f in listed]
    assert not any("/." in f"/{f.src_uri}" for f in listed)


def test_the_theme_s_templates_are_compiled_ahead_with_those_they_include() -> None:
    """Compiled before the pages are shared out, the theme's templates are compiled
    once, not again by every process that writes pages."""
    from mkdocs.config import load_config
    from polku.mkdocs import theme

    config = load_config(str(Path(__file__).parent / "fixtures/basic/mkdocs.yml"))
    env = config.theme.get_env()
    theme.compile_ahead(env, ["main.html", "404.html", "no-such.html"])
    compiled = {template.name for template in env.cache.values()}
    assert {"main.html", "base.html", "404.html", "partials/header.html"} <= compiled
    assert {"partials/nav.html", "partials/toc.html", "partials/footer.html"} <= compiled

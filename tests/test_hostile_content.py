"""Hostile content: XSS payloads in every field of a curriculum never execute or survive.

A curriculum is written with a list of payloads in every plain-text and every Markdown
field (plus a Markdown body that uses the features real content needs: tables,
admonitions, links, images, emphasis, lists). It is built once with the real command,
PDFs included. Then every HTML page is loaded in headless Chromium with dialog, console
and page-error listeners, the generated HTML is searched for active content, and the
PDFs are read back with pypdf: no script, event handler, javascript:/data: URL, frame,
object, form or style injection gets through, and the Markdown features still render.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from conftest import FIXTURES, run_polku
from helpers import CHROMIUM, LAUNCH_ARGS, require_chromium, serve_directory

playwright_api = pytest.importorskip("playwright.sync_api")


# Every payload that would run calls xss(<number>) or alert(<number>); xss is not defined,
# so a payload that runs shows as a dialog, a console error or a page error. (Links that
# hide their scheme behind character references, such as "jav&#97;script:", are not here:
# `polku check` already refuses them as relative paths that do not exist.)
PAYLOADS = [
    # (first: an unclosed element below takes the rest of a text into it)
    # what the engine reads again: the text of an element that holds a heading
    '## Otsikko \\{ tabindex=0 autofocus onfocus="alert(170)" \\}',
    "### *Korostus* [linkki](#) {: onclick=alert(171) }",
    # an attribute value that ends like the start of another attribute: rewrites of
    # ids and links after the sanitiser must not take its closing quote for an opening
    '<span title="src&#61;">" autofocus tabindex=0 onfocus=alert(172) x=</span>',
    '<span title="href&#61;">" autofocus tabindex=0 onfocus=alert(173) x=</span>',
    '<span title="id&#61;">" autofocus tabindex=0 onfocus=alert(174) x=</span>',
    "<script>alert(101)</script>",
    "<img src=x onerror=alert(102)>",
    "<svg onload=alert(103)>",
    '<iframe src="javascript:alert(104)"></iframe>',
    '<a href="javascript:alert(105)">linkki</a>',
    "[linkki](javascript:alert(106))",
    '<object data="data:text/html,<script>alert(107)</script>"></object>',
    '<form action="https://example.invalid/"><input name=x><button>Lähetä</button></form>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(108))">tyyli</div>',
    '"><script>alert(109)</script>',
    "'><img src=x onerror=alert(110)>",
    "![kuva](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTExKT4=)",
    "<details open ontoggle=alert(112)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(113)>",
    "javascript:alert(114)",
    '<base href="https://example.invalid/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(115)">',
    "<span onmouseover=alert(117)>hover</span>",
    'Teksti\n{: onclick="alert(118)" }',
    "<link rel=stylesheet href=https://example.invalid/x.css>",
    '<embed src="javascript:alert(119)">',
    "<input autofocus onfocus=alert(120)>",
    "<body onload=alert(121)>",
    '<a href="JaVaScRiPt:alert(122)">iso</a>',
    '<img src="https://example.invalid/x.png" alt="" onerror="xss(123)"/>',
    "`<script>alert(124)</script>`",
    "{{ config }} {% if true %}jinja{% endif %}",
    "<!--<script>alert(125)</script>-->",
    "</title><script>alert(126)</script>",
    "</textarea></noscript><script>alert(127)</script>",
    # attributes the theme turns into HTML: Material assigns every title to innerHTML
    '<abbr title="<img src=x onerror=alert(140)>">ABBR</abbr>',
    '[otsikko](https://example.org/ "<img src=x onerror=alert(141)>")',
    '![kuvateksti](../assets/kaavio.png "<img src=x onerror=alert(142)>")',
    'Attribuutti\n{: title="<img src=x onerror=alert(143)>" }',
    '<span title="&lt;img src=x onerror=alert(144)&gt;">koodattu</span>',
    # ids and classes the theme acts on: its configuration, a diagram loader, components
    '<p id="__config">{"base": "https://example.invalid/", "features": []}</p>',
    '<pre class="mermaid">graph TD; A-->B</pre>',
    '<div class="md-typeset annotate" data-md-component="announce">x</div>',
    '<div data-tabs="1:1" data-copy="x" id="__drawer">tabs</div>',
    "```mermaid\ngraph TD; A-->B\n```",
]
# tags reach the page header, the tag index and the search index
TAGS = ["<img src=x onerror=alert(150)>", '"><svg onload=alert(151)>', "turvallisuus"]
ONE = " ".join(PAYLOADS)
MARKDOWN_FEATURES = """\
## Ominaisuudet

Tavallinen kappale, jossa on *korostus*, **lihavointi** ja [linkki](https://example.org/).

Sanaston termit Vaarallinen ja Toinen saavat selityksen.

| Käsite | Merkitys |
| --- | --- |
| Ohjaus | Vuorovaikutus |

!!! note "Muista"
    Asiakas päättää itse.

- ensimmäinen kohta
- toinen kohta

Vaiheet:

1. yksi
2. kaksi

![Kaavio](../assets/kaavio.png)
"""


def q(text: str) -> str:
    """A YAML 1.2 double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def ql(items: list[str]) -> str:
    return "[" + ", ".join(q(item) for item in items) + "]"


def markdown(extra: str = "") -> str:
    return q(extra + "\n\n" + "\n\n".join(PAYLOADS))


def programme() -> str:
    return f"""\
id: vihamielinen
title: {q("Ohjelma " + ONE)}
language: fi
summary: {q(ONE)}
audience: {q(ONE)}
outcomes: {ql(PAYLOADS)}
start_date: 2027-01-11
roles:
  - id: uusi
    title: {q("Uusi " + ONE)}
    description: {q(ONE)}
  - id: mentori
    title: {q("Mentori " + ONE)}
phases:
  - id: vaihe
    title: {q("Vaihe " + ONE)}
    summary: {q(ONE)}
    sessions:
      - id: aloitus
        title: {q("Aloitus " + ONE)}
        kind: contact
        day: 1
        start: "09:00"
        facilitator: mentori
        group_size: {q(ONE)}
        location: {q(ONE)}
        outputs: {ql(PAYLOADS)}
        items:
          - title: {q("Vapaa " + ONE)}
            duration: 30min
            description: {q(ONE)}
          - module: vihamielinen
          - break: 15min
          - activity: vihamielinen/harjoitus
cohorts:
  - id: kevat
    title: {q("Kevät " + ONE)}
    start_date: 2027-03-01
    location: {q(ONE)}
    facilitator: {q(ONE)}
checklist:
  - role: uusi
    day: -2
    task: {q(ONE)}
"""


def module() -> str:
    return f"""\
id: vihamielinen
title: {q("Moduuli " + ONE)}
summary: {q(ONE)}
duration: 90min
tags: {ql(TAGS)}
outcomes:
  - id: tavoite
    text: {q(ONE)}
body: {markdown(MARKDOWN_FEATURES)}
activities:
  - id: harjoitus
    type: self-check
    title: {q("Harjoitus " + ONE)}
    duration: 20min
    mode: pairs
    outcomes: [tavoite]
    methods: [vihamielinen]
    handouts: [tiedosto]
    instructions: {markdown()}
    steps: {ql(PAYLOADS)}
    materials: {ql(PAYLOADS)}
    prompts: {ql(PAYLOADS)}
    questions:
      - question: {q(ONE)}
        answer: {markdown()}
    facilitator_notes: {markdown()}
    debrief: {ql(PAYLOADS)}
  - id: pohdinta
    type: reflection
    title: {q("Pohdinta " + ONE)}
    duration: 10min
    outcomes: [tavoite]
    prompts: {ql(PAYLOADS)}
sources: {ql(PAYLOADS)}
"""


def method() -> str:
    return f"""\
id: vihamielinen
title: {q("Menetelmä " + ONE)}
summary: {q(ONE)}
when: {q(ONE)}
steps:
  - title: {q("Vaihe " + ONE)}
    description: {q(ONE)}
    prompts: {ql(PAYLOADS)}
tags: [turvallisuus]
sources: {ql(PAYLOADS)}
"""


def glossary() -> str:
    return f"""\
terms:
  - term: {q("Termi <img src=x onerror=alert(130)>")}
    definition: {markdown()}
  - term: Vaarallinen
    definition: {q("<img src=x onerror=alert(131)> &lt;svg onload=alert(132)&gt; *korostus*")}
    see: [Toinen]
  - term: Toinen
    definition: {markdown("Toinen *termi*.")}
    see: [{q("Termi <img src=x onerror=alert(130)>")}]
"""


# A file handout's file is named by its author: the name goes into links on the handout
# index and the facilitator pages (raw HTML after a ")" once ended the Markdown link)
HOSTILE_FILE = "a) <img src=x onerror=alert(160)> \"q\" 's' [b] #1 100% (c).pdf"


def handout() -> str:
    return f"""\
id: tiedosto
title: {q("Moniste " + ONE)}
summary: {q(ONE)}
audience: facilitator
copies: {q(ONE)}
file: {q("../assets/" + HOSTILE_FILE)}
"""


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(72, 72)
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("hostile") / "hostile"
    shutil.copytree(FIXTURES / "hardening", project)
    curriculum = project / "curriculum"
    for folder in ("programmes", "modules", "methods"):
        shutil.rmtree(curriculum / folder)
        (curriculum / folder).mkdir()
    (curriculum / "programmes/vihamielinen.yml").write_text(programme(), "utf-8")
    (curriculum / "modules/vihamielinen.yml").write_text(module(), "utf-8")
    (curriculum / "methods/vihamielinen.yml").write_text(method(), "utf-8")
    (curriculum / "glossary.yml").write_text(glossary(), "utf-8")
    (curriculum / "handouts").mkdir()
    (curriculum / "handouts/tiedosto.yml").write_text(handout(), "utf-8")
    (curriculum / "assets" / HOSTILE_FILE).write_bytes(blank_pdf())
    result = run_polku("build", "--root", project, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class _ActiveContent(HTMLParser):
    """Collects what could run: tags, handlers and URLs outside the theme's own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.in_article += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "data", "formaction", "xlink:href") and value:
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text", "data:image/svg")):
                    self.found.append(f"<{tag} {name}={value[:40]}>")
            if name == "style" and self.in_article and "url(" in (value or ""):
                self.found.append(f"<{tag} style=url(...)>")
        if self.in_article and tag in (
            "script",
            "iframe",
            "object",
            "embed",
            "form",
            "input",
            "button",
            "style",
            "base",
            "meta",
            "link",
            "math",
        ):  # fmt: skip  (an <svg> here is polku's own timeline; handlers are checked above)
            self.found.append(f"<{tag}> in the page content")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article -= 1


def test_no_active_content_in_the_html(hostile_site: Path) -> None:
    pages = html_pages(hostile_site)
    assert len(pages) > 10
    for page in pages:
        parser = _ActiveContent()
        parser.feed(page.read_text("utf-8"))
        assert parser.found == [], f"{page.relative_to(hostile_site)}: {parser.found}"


def test_payloads_show_as_text(hostile_site: Path) -> None:
    """Plain text is escaped, not dropped: a reader sees exactly what the author wrote."""
    module = (hostile_site / "modules/vihamielinen/index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(101)&lt;/script&gt;" in module
    assert "{{ config }}" in module or "{{ config }}" in module.replace("&#123;", "{")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs.extend(value for name, value in attrs if tag == "a" and name == "href" and value)


def test_a_file_name_stays_in_its_link(hostile_site: Path) -> None:
    """The handout's file name never reaches a page as markup, and every link to the
    file, decoded as a browser decodes it, leads to the file the site publishes."""
    published = hostile_site / "assets" / HOSTILE_FILE
    assert published.is_file()
    pages = [
        hostile_site / "handouts/index.html",
        hostile_site / "programmes/vihamielinen/facilitator/aloitus/index.html",
    ]
    for page in html_pages(hostile_site):
        html = page.read_text("utf-8")
        assert "<img src=x onerror=alert(160)>" not in html, page.relative_to(hostile_site)
        links = _Links()
        links.feed(html)
        to_file = [h for h in links.hrefs if "(c).pdf" in unquote(h)]
        if page in pages:
            assert to_file, f"{page.relative_to(hostile_site)} does not link the handout"
        for href in to_file:
            assert not set(href) & set(" ()<>[]\"'#"), href  # encoded, as written
            target = (page.parent / unquote(href)).resolve()
            assert target == published.resolve(), (page.relative_to(hostile_site), href)


def test_addresses_are_encoded_once() -> None:
    """A file's URL and the site's address as calendars, PDFs and links need them:
    nothing that ends a Markdown link or an attribute, and a ``%`` escape kept."""
    from polku import paths

    name = quote("assets/" + HOSTILE_FILE)
    assert "(" not in name and " " not in name and "%25" in name
    urls = paths.SiteUrls("https://example.org/a b)<x>/%C3%A4/")
    assert (
        urls.absolute("assets/" + HOSTILE_FILE)
        == f"https://example.org/a%20b%29%3Cx%3E/%C3%A4/{name}"
    )
    assert (
        urls.subscribe("calendars/x.ics")
        == "webcal://example.org/a%20b%29%3Cx%3E/%C3%A4/calendars/x.ics"
    )
    assert paths.SiteUrls().page("modules/x.md", "activity-y") == "modules/x/#activity-y"
    assert paths.url("assets/" + HOSTILE_FILE, "handouts/index.md") == f"../{name}"


def test_markdown_features_still_render(hostile_site: Path) -> None:
    html = (hostile_site / "modules/vihamielinen/index.html").read_text("utf-8")
    assert "<table>" in html
    assert 'class="admonition note"' in html
    assert "<em>korostus</em>" in html and "<strong>lihavointi</strong>" in html
    assert '<a href="https://example.org/">linkki</a>' in html
    assert re.search(r'<img alt="Kaavio" src="[./]*assets/kaavio.png"', html)
    assert re.search(r"<ul>\s*<li>(<p>)?ensimmäinen kohta", html)
    assert re.search(r"<ol>\s*<li>\s*(<p>)?yksi", html)


def test_pdfs_hold_no_active_content(hostile_site: Path) -> None:
    from pypdf import PdfReader

    pdfs = sorted(hostile_site.rglob("*.pdf"))
    assert pdfs, "the build made no PDFs"
    for pdf in pdfs:
        raw = pdf.read_bytes()
        assert b"/JavaScript" not in raw and b"/JS " not in raw and b"/JS(" not in raw, pdf.name
        reader = PdfReader(pdf)
        for page in reader.pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A")
                if action is None:
                    continue
                uri = str(action.get_object().get("/URI", ""))
                assert not uri.lower().startswith(("javascript:", "data:")), (pdf.name, uri)


# --- in a real browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(hostile_site: Path) -> Iterator[str]:
    with serve_directory(hostile_site) as url:
        yield url


@pytest.mark.browser
def test_nothing_runs_by_any_route_in_chromium(hostile_site: Path, served: str) -> None:
    """Every page, every tooltip, the search results and every published file.

    Fails on a dialog, a page error, a console message from a payload, a request to
    any other host, or a page that navigates away.
    """
    require_chromium()
    dialogs: list[str] = []
    messages: list[str] = []
    errors: list[str] = []
    foreign: list[str] = []
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
        )
        try:
            context = browser.new_context()

            def on_request(route: Any) -> None:
                if route.request.url.startswith((served, "data:", "blob:")):
                    route.continue_()
                else:
                    foreign.append(route.request.url)
                    route.abort()

            context.route("**/*", on_request)
            page = context.new_page()

            def on_dialog(dialog: Any) -> None:
                dialogs.append(f"{page.url}: {dialog.type} {dialog.message}")
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.on(
                "console",
                lambda message: messages.append(f"{page.url}: {message.type}: {message.text}"),
            )
            page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
            visited = tooltips = 0
            for path in html_pages(hostile_site):
                rel = path.relative_to(hostile_site).as_posix()
                page.goto(served + rel.removesuffix("index.html"), wait_until="load")
                # give handlers that need a user (hover, toggle, focus) their chance
                page.mouse.move(200, 200)
                page.keyboard.press("Tab")
                for summary in page.locator("article details summary").all()[:20]:
                    if summary.is_visible():
                        summary.click()
                # the theme turns a title into a tooltip when the pointer enters the element
                # or it gets focus (its listeners, whatever covers the element on screen)
                for element in page.locator("article [title], .md-sidebar [title]").all()[:80]:
                    element.dispatch_event("mouseenter")
                    element.dispatch_event("focus")
                    tooltips += 1
                page.wait_for_timeout(50)
                visited += 1
                assert page.url.startswith(served), f"navigated away to {page.url}"
            assert visited > 10 and tooltips > 10
            # search: results show titles, text and tags of the pages
            page.goto(served, wait_until="load")
            for query in ("alert", "onerror", "Termi", "turvallisuus", "img"):
                page.locator(".md-search__input").click()
                page.locator(".md-search__input").fill("")
                page.keyboard.type(query, delay=20)
                page.wait_for_timeout(600)
                for result in page.locator(".md-search-result__item").all()[:10]:
                    result.dispatch_event("mouseenter")
                    for element in result.locator("[title]").all():
                        element.dispatch_event("mouseenter")
                page.keyboard.press("Escape")
            # every published file opened on its own: pictures, calendars, PDFs, scripts
            for path in sorted(p for p in hostile_site.rglob("*") if p.is_file()):
                if path.suffix in (".svg", ".png", ".jpg", ".html") and "assets/images" not in str(
                    path
                ):
                    page.goto(served + path.relative_to(hostile_site).as_posix())
                    page.wait_for_timeout(50)
        finally:
            browser.close()
    assert dialogs == []
    # (images with made-up sources fail to load; that is not code running)
    ran = [m for m in messages if "alert" in m or "xss" in m or "is not defined" in m]
    assert ran == []
    assert errors == []
    assert foreign == []

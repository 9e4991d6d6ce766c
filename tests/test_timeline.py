"""The timeline picture: well-formed SVG, coloured by kind, on the site and in print."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXTURES, CohortSites
from polku.check import check
from polku.i18n import Labels
from polku.model import SessionKind
from polku.plan import OWN_RUN, Plan
from polku.render.schedules import ScheduleRenderer
from polku.render.site import SiteRenderer
from polku.render.timeline import DARK, LIGHT, Timeline

SVG = "{http://www.w3.org/2000/svg}"
POLKU_CSS = Path(__file__).parents[1] / "tools/polku/assets/polku.css"


def inline_svgs(html: str) -> list[ET.Element]:
    """Every <svg> of a page's content, parsed as XML (so: well-formed)."""
    if "<article" in html and "</article>" in html:
        html = html[html.index("<article") : html.index("</article>")]
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.S)]


def bars(svg: ET.Element) -> list[ET.Element]:
    return [
        rect
        for rect in svg.iter(f"{SVG}rect")
        if "polku-tl-kind--" in rect.get("class", "") and rect.get("width") != "12"
    ]


@pytest.fixture(scope="module")
def ryhmat():  # type: ignore[no-untyped-def]
    curriculum, _report = check(FIXTURES / "cohorts")
    return curriculum, curriculum.programmes["ryhmat"]


def test_programme_page_shows_the_timeline_inline(cohort_sites: CohortSites) -> None:
    html = (cohort_sites.site / "programmes/ryhmat/index.html").read_text("utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    # near the top of the schedule: right after its heading, before the first phase
    schedule = article.index('id="ohjelma"')  # the anchor in the site's language
    assert (
        schedule
        < article.index('<figure class="polku-timeline">')
        < article.index('id="phase-ennen"')
    )
    [svg] = inline_svgs(article)
    assert svg.get("role") == "group"  # it has links: a group to browse, not one image
    labelled = svg.get("aria-labelledby", "").split()
    assert [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")] == labelled
    assert svg.find(f"{SVG}title").text == "Aikajana: Ryhmien perehdytys"
    assert "5 tapaamista 3 vaiheessa" in svg.find(f"{SVG}desc").text
    # a dated programme names its first and last day by the date first
    assert re.search(r"\w\w \d+\.\d+\.\d{4} \(päivä -?\d+\) – ", svg.find(f"{SVG}desc").text)
    # one bar per session, coloured by its kind
    kinds = [rect.get("class").removeprefix("polku-tl-kind--") for rect in bars(svg)]
    assert kinds == ["assignment", "contact", "remote", "self-study", "mentoring"]
    for rect in bars(svg):
        kind = SessionKind(rect.get("class").removeprefix("polku-tl-kind--"))
        assert rect.get("fill") == LIGHT[kind]
    texts = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    assert "Aloituspäivä" in texts and "ma 21.12. 09:00–11:00" in texts
    # a text fallback: the same schedule follows as text, and the picture as a file
    assert 'href="timeline.svg"' in article
    assert article.count("Aloituspäivä") >= 2


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_bar_stands_out_three_to_one(cohort_sites: CohortSites) -> None:
    """WCAG 1.4.11: a bar's fill, or else its edge, has 3:1 against the page (white in
    light, Material's slate in dark), and so has each legend swatch."""
    html = (cohort_sites.site / "programmes/ryhmat/index.html").read_text("utf-8")
    [svg] = inline_svgs(html)
    swatches = [r for r in svg.iter(f"{SVG}rect") if "polku-tl-kind--" in r.get("class", "")]
    assert len(swatches) > len(bars(svg)) >= 5  # the bars and the legend
    for rect in swatches:
        best = max(_contrast(rect.get(a) or "#ffffff", "#ffffff") for a in ("fill", "stroke"))
        assert best >= 3, (rect.get("class"), rect.get("fill"), rect.get("stroke"))
    for kind, colour in DARK.items():
        assert _contrast(colour, "#1e2129") >= 3, kind


def test_timeline_links_go_to_the_sessions(cohort_sites: CohortSites) -> None:
    html = (cohort_sites.site / "programmes/ryhmat/cohorts/kevat/index.html").read_text("utf-8")
    [svg] = inline_svgs(html)
    links = [a.get("href") for a in svg.iter(f"{SVG}a")]
    assert links[0] == "../../#session-ennakko" and len(links) == 5
    target = (cohort_sites.site / "programmes/ryhmat/index.html").read_text("utf-8")
    for link in links:
        assert f'id="{link.split("#")[1]}"' in target


def test_the_cohort_timeline_has_the_cohort_dates(cohort_sites: CohortSites) -> None:
    html = (cohort_sites.site / "programmes/ryhmat/cohorts/kevat/index.html").read_text("utf-8")
    [svg] = inline_svgs(html)
    texts = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    assert "ma 21.6. 09:00–11:00" in texts and "ma 5.7. 10:00–11:00" in texts
    assert svg.find(f"{SVG}title").text == "Aikajana: Ryhmien perehdytys – Kevään ryhmä"


def test_timeline_files_are_well_formed_svg(cohort_sites: CohortSites) -> None:
    folder = cohort_sites.site / "programmes/ryhmat"
    names = sorted(p.name for p in folder.glob("*.svg"))
    assert names == ["timeline-kevat.svg", "timeline-syksy.svg", "timeline.svg"]
    for name in names:
        root = ET.parse(folder / name).getroot()
        assert root.tag == f"{SVG}svg" and root.get("viewBox", "").startswith("0 0 960 ")
        style = root.find(f"{SVG}style").text
        assert "prefers-color-scheme: dark" in style
        assert all(colour in style for colour in DARK.values())


def test_dark_mode_and_print_styles_for_every_kind() -> None:
    css = POLKU_CSS.read_text("utf-8")
    for kind, colour in DARK.items():
        rule = f'[data-md-color-scheme="slate"] .polku-timeline .polku-tl-kind--{kind.value}'
        assert f"{rule} {{ fill: {colour}; }}" in css
    assert "print-color-adjust: exact" in css


def test_an_undated_programme_counts_days(ryhmat) -> None:  # type: ignore[no-untyped-def]
    curriculum, programme = ryhmat
    undated = programme.model_copy(update={"start_date": None, "cohorts": []})
    plan = Plan(undated, curriculum)
    svg = ET.fromstring(Timeline(undated, plan, Labels("en")).svg())
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Day 1" in texts[0] or "Day" in texts
    assert "Day 10 10:00–11:00" in texts
    assert not any(text and text == "Date" for text in texts)
    # columns: day -2, -1, then 1..10 (there is no day 0)
    assert "-2" in texts and "1" in texts and "0" not in texts


def test_titles_are_escaped(ryhmat) -> None:  # type: ignore[no-untyped-def]
    curriculum, programme = ryhmat
    changed = programme.model_copy(deep=True)
    changed.phases[1].sessions[0].title = 'Tervetuloa <b>"&</b> ]]>'
    plan = Plan(changed, curriculum)
    text = Timeline(changed, plan, Labels("fi"), plan.run(OWN_RUN)).svg()
    svg = ET.fromstring(text)  # well-formed
    assert "<b>" not in text
    assert any((t.text or "").startswith('Tervetuloa <b>"&') for t in svg.iter(f"{SVG}text"))


def test_a_long_programme_stays_readable(ryhmat) -> None:  # type: ignore[no-untyped-def]
    curriculum, programme = ryhmat
    long = programme.model_copy(deep=True)
    template = long.phases[1].sessions[0]
    long.phases[1].sessions = [
        template.model_copy(update={"id": f"s{n}", "day": n, "title": f"Tapaaminen {n} " * 4})
        for n in range(1, 121)
    ]
    plan = Plan(long, curriculum)
    svg = ET.fromstring(Timeline(long, plan, Labels("fi"), plan.run(OWN_RUN)).svg())
    assert len(bars(svg)) == 122  # 120 + the sessions of the other phases
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.startswith("Tapa")]
    assert all(len(label) <= 40 for label in labels)  # long titles are shortened …
    assert all(label.endswith("…") for label in labels)
    # … and the axis labels do not crowd: at least 52 px apart
    axis = sorted(
        float(t.get("x")) for t in svg.iter(f"{SVG}text") if t.get("y") == "18" and t.get("x")
    )[1:]
    assert all(b - a >= 52 for a, b in itertools.pairwise(axis))


def test_the_learner_workbook_starts_with_the_timeline(ryhmat) -> None:  # type: ignore[no-untyped-def]
    from polku.render.workbook import WorkbookRenderer

    curriculum, programme = ryhmat
    schedules = ScheduleRenderer(SiteRenderer(curriculum))
    renderer = WorkbookRenderer(curriculum, timeline=schedules.timeline_svg)
    html = renderer.learner(programme).html
    [svg] = inline_svgs(html)
    assert len(bars(svg)) == 5
    assert not list(svg.iter(f"{SVG}a")) and svg.get("role") == "img"  # print: no links


def test_in_print_the_titles_column_widens_before_a_title_is_cut(ryhmat) -> None:  # type: ignore[no-untyped-def]
    from polku.render.timeline import MAX_PRINT_LABEL_WIDTH, text_width

    curriculum, programme = ryhmat
    changed = programme.model_copy(deep=True)
    whole = "Työparina mentorin asiakastapaamisissa ja purussa"
    too_long = "Itseopiskelu: työhönvalmennuksen arvoperusta, periaatteet ja menetelmät " * 2
    changed.phases[1].sessions[0].title = whole
    changed.phases[1].sessions[1].title = too_long
    plan = Plan(changed, curriculum)
    timeline = Timeline(changed, plan, Labels("fi"), plan.run(OWN_RUN))
    texts = [t.text or "" for t in ET.fromstring(timeline.svg(print_font=True)).iter(f"{SVG}text")]
    assert whole in texts  # wider than the site's column, printed whole
    [cut] = [text for text in texts if text.startswith("Itseopiskelu")]
    assert cut.endswith("…") and text_width(cut) <= MAX_PRINT_LABEL_WIDTH
    # the site keeps its column and its estimate: a browser may show another font
    site = [t.text or "" for t in ET.fromstring(timeline.svg()).iter(f"{SVG}text")]
    assert whole not in site and any(text.startswith("Työparina") for text in site)

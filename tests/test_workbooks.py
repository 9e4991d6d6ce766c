"""PDF workbooks: real builds of tests/fixtures/workbooks, read back with pypdf and PDFium."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from conftest import copy_fixture, run_polku
from polku.check import check
from polku.model import ActivityItem, ModuleItem
from polku.render.pdf import WorkbookBuild, cache_dir
from polku.render.print_markdown import PrintDocument, PrintMarkdown, css_label
from polku.render.sources import sentences, source_groups
from polku.render.timeline import _fit, text_width
from polku.render.workbook import WorkbookRenderer
from polku.render.workbook_views import PromptView

PROGRAMME = "tyokirja"
TITLE = "Työkirjaohjelma"
AUTHOR = "Testiorganisaatio ry"
A4 = (595.28, 841.89)


# --- helpers ---------------------------------------------------------------------------


def squash(text: str) -> str:
    """Text without white space and hyphens, so line breaks and hyphenation do not matter."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def pdf_pages(path: Path, *, layout: bool = False) -> list[str]:
    """The text of each page, from pypdf; ``layout``: lines laid out as on the page."""
    mode = "layout" if layout else "plain"
    return [page.extract_text(extraction_mode=mode) for page in pypdf.PdfReader(path).pages]


def expected_items(project: Path) -> tuple[list[str], list[str], list[str]]:
    """Prompts, facilitator notes and debrief questions in programme order, from the YAML."""
    curriculum, report = check(project)
    assert not report.errors
    programme = curriculum.programmes[PROGRAMME]
    prompts: list[str] = []
    notes: list[str] = []
    debriefs: list[str] = []
    for _phase, session in programme.sessions():
        for item in session.items:
            if isinstance(item, ModuleItem):
                activities = curriculum.modules[item.module].activities
            elif isinstance(item, ActivityItem):
                activity = curriculum.modules[item.module_id].activity(item.activity_id)
                activities = [activity] if activity else []
            else:
                continue
            for activity in activities:
                prompts.extend(activity.prompts)
                if activity.facilitator_notes:
                    notes.append(activity.facilitator_notes.strip())
                debriefs.extend(activity.debrief)
    return prompts, notes, debriefs


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int, float]]:
    """(level, title, page number, top) of every bookmark, in order."""
    found: list[tuple[int, str, int, float]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                page = reader.get_destination_page_number(item) + 1
                found.append((level, str(item.title), page, float(item.top or 0)))

    walk(reader.outline, 1)
    return found


def toc_entries(path: Path) -> list[tuple[str, int]]:
    """(title, page) of each line of the printed table of contents (page 2)."""
    entries = []
    for line in pdf_pages(path, layout=True)[1].splitlines():
        match = re.match(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", line)
        if match:
            entries.append((match.group(1).strip(), int(match.group(2))))
    return entries


def form_fields(reader: pypdf.PdfReader) -> list[tuple[int, str, str]]:
    """(page number, name, tooltip) of every text field widget."""
    return [(page, name, tooltip) for page, name, tooltip, _height in field_boxes(reader)]


def field_boxes(reader: pypdf.PdfReader) -> list[tuple[int, str, str, float]]:
    """(page number, name, tooltip, height in points) of every text field widget."""
    found = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/FT") == "/Tx":
                rect = [float(value) for value in annotation["/Rect"]]
                found.append(
                    (
                        number,
                        str(annotation["/T"]),
                        str(annotation.get("/TU", "")),
                        abs(rect[3] - rect[1]),
                    )
                )
    return found


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def workbook_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/workbooks built once with the workbooks."""
    project = copy_fixture("workbooks", tmp_path_factory.mktemp("workbooks"))
    result = run_polku("build", "--root", project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 workbook PDFs and 2 session packs: 4 rendered" in result.stderr
    return project


@pytest.fixture(scope="session")
def learner_pdf(workbook_project: Path) -> Path:
    return workbook_project / "site" / "workbooks" / f"{PROGRAMME}-learner.pdf"


@pytest.fixture(scope="session")
def facilitator_pdf(workbook_project: Path) -> Path:
    return workbook_project / "site" / "workbooks" / f"{PROGRAMME}-facilitator.pdf"


@pytest.fixture(scope="session")
def fillable_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("workbooks", tmp_path_factory.mktemp("fillable"))
    result = run_polku("build", "--root", project, "--fillable")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site" / "workbooks" / f"{PROGRAMME}-learner.pdf"


# --- the site --------------------------------------------------------------------------------


def test_build_writes_both_workbooks_and_links_them(workbook_project: Path) -> None:
    site = workbook_project / "site"
    for role in ("learner", "facilitator"):
        pdf = site / "workbooks" / f"{PROGRAMME}-{role}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
    programme_page = (site / "programmes" / PROGRAMME / "index.html").read_text("utf-8")
    assert f'href="../../workbooks/{PROGRAMME}-learner.pdf"' in programme_page
    assert f'href="../../workbooks/{PROGRAMME}-facilitator.pdf"' in programme_page
    listing = (site / "workbooks" / "index.html").read_text("utf-8")
    assert f'href="{PROGRAMME}-learner.pdf"' in listing
    assert f'href="{PROGRAMME}-facilitator.pdf"' in listing
    assert "Työkirjat" in listing
    home = (site / "index.html").read_text("utf-8")
    assert 'href="workbooks/"' in home  # in the navigation
    # the cache lives in the project, not in the site
    assert list(cache_dir(workbook_project).glob(f"{PROGRAMME}-learner-*.pdf"))
    assert not list((site / "workbooks").glob("*.json"))


def test_no_pdf_builds_no_workbooks_and_no_links(basic_site: Path) -> None:
    assert not (basic_site / "workbooks").exists()
    programme_page = (basic_site / "programmes" / "perehdytys" / "index.html").read_text("utf-8")
    assert ".pdf" not in programme_page


# --- the learner workbook ---------------------------------------------------------------------


def test_learner_has_every_prompt_in_programme_order(
    workbook_project: Path, learner_pdf: Path
) -> None:
    prompts, _notes, _debriefs = expected_items(workbook_project)
    # the goal activity comes twice: alone on day 1, with its module on day 3
    assert len(prompts) == 12
    text = squash("".join(pdf_pages(learner_pdf)))
    position = 0
    for prompt in prompts:
        found = text.find(squash(prompt), position)
        assert found >= 0, f"{prompt!r} is missing or out of order"
        position = found + 1


def test_learner_has_no_facilitator_notes_or_debriefs(
    workbook_project: Path, learner_pdf: Path
) -> None:
    _prompts, notes, debriefs = expected_items(workbook_project)
    text = squash("".join(pdf_pages(learner_pdf)))
    for secret in [*notes, *debriefs]:
        marker = secret.split()[0]
        assert marker not in text
        assert squash(secret) not in text
    assert "OHJAAJA" not in text and "PURKU" not in text


def test_learner_sections_and_back_matter(learner_pdf: Path) -> None:
    pages = pdf_pages(learner_pdf)
    cover = pages[0]
    assert TITLE in cover and "Osallistujan työkirja" in cover and "Nimi" in cover
    assert "Työkirjatesti" in cover  # the organisation (site name)
    reader = pypdf.PdfReader(learner_pdf)
    sections = [(title, page) for level, title, page, _top in outline(reader) if level == 1]
    assert [title for title, _page in sections] == [
        "Näin käytät työkirjaa",
        "Ohjelma yhdellä silmäyksellä",
        "Aloitustapaaminen",
        "Etäpäivä",
        "Itsenäinen tehtävä",
        "Itsearvioinnin vastaukset",
        "Sanasto",
        "Lähteet",
    ]
    start = dict(sections)
    # self-check answers only at the back
    answer_pages = [n for n, text in enumerate(pages, start=1) if "VASTAUSAVOIN" in squash(text)]
    assert answer_pages and min(answer_pages) >= start["Itsearvioinnin vastaukset"]
    assert "SANASTOVALMENNUS" in squash(pages[start["Sanasto"] - 1])
    assert squash("Rogers, C. (1951). Client-centered therapy.") in squash(
        "".join(pages[start["Lähteet"] - 1 :])
    )
    # the schedule at a glance: every session with its day and place
    glance = squash(pages[start["Ohjelma yhdellä silmäyksellä"] - 1])
    for expected in ("Aloitustapaaminen", "Etäpäivä", "Itsenäinentehtävä", "KoulutustilaAalto"):
        assert expected in glance


def test_session_header_shows_day_date_time_and_place(learner_pdf: Path) -> None:
    reader = pypdf.PdfReader(learner_pdf)
    page = next(p for _level, title, p, _top in outline(reader) if title == "Aloitustapaaminen")
    first = pdf_pages(learner_pdf)[page - 1]
    assert "Vaihe 1 – Alku" in first
    assert "Päivä 1 · ma 11.1.2027" in first
    assert "09:00–12:00" in first
    assert "Koulutustila Aalto" in first


def test_toc_page_numbers_point_at_the_headings(learner_pdf: Path) -> None:
    entries = toc_entries(learner_pdf)
    titles = [title for title, _page in entries]
    for expected in ("Aloitustapaaminen", "Etäpäivä", "Itsenäinen tehtävä", "Lähteet"):
        assert expected in titles
    pages = pdf_pages(learner_pdf)
    for title, page in entries:
        # an activity printed on its own is listed with its module, named above it
        for part in title.split(" – "):
            assert squash(part) in squash(pages[page - 1]), f"{title} is not on page {page}"
    # the bookmarks follow the table of contents
    reader = pypdf.PdfReader(learner_pdf)
    assert [(title, page) for _level, title, page, _top in outline(reader)] == entries


def test_every_session_starts_on_a_new_page(learner_pdf: Path, facilitator_pdf: Path) -> None:
    sessions = {"Aloitustapaaminen", "Etäpäivä", "Itsenäinen tehtävä"}
    for pdf in (learner_pdf, facilitator_pdf):
        reader = pypdf.PdfReader(pdf)
        marks = [m for m in outline(reader) if m[0] == 1 and m[1] in sessions]
        assert {m[1] for m in marks} == sessions
        for _level, title, page, top in marks:
            assert top > A4[1] - 120, f"{title} does not start at the top of page {page}"
            assert title in pdf_pages(pdf)[page - 1]


def test_page_numbers_running_header_and_size(learner_pdf: Path) -> None:
    reader = pypdf.PdfReader(learner_pdf)
    total = len(reader.pages)
    pages = pdf_pages(learner_pdf, layout=True)  # top to bottom, so the header comes first
    assert f"sivu 1 / {total}" not in pages[0]  # the cover has no page number
    for number in range(2, total + 1):
        assert f"sivu {number} / {total}" in pages[number - 1]
        assert pages[number - 1].lstrip().startswith(TITLE)  # the running header
    page = next(p for _level, title, p, _top in outline(reader) if title == "Etäpäivä")
    assert pages[page - 1].count("Etäpäivä") >= 2  # header and heading
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1


def test_metadata_language_and_tags(learner_pdf: Path, facilitator_pdf: Path) -> None:
    for pdf, kind in ((learner_pdf, "Osallistujan työkirja"), (facilitator_pdf, "Ohjaajan opas")):
        reader = pypdf.PdfReader(pdf)
        meta = reader.metadata
        assert meta is not None
        assert meta.title == f"{TITLE} – {kind}"
        assert meta.author == AUTHOR
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "fi"
        assert root["/MarkInfo"]["/Marked"]
        assert "/StructTreeRoot" in root
        assert root["/ViewerPreferences"]["/DisplayDocTitle"]
        xmp = root["/Metadata"].get_object().get_data()
        assert b'pdfuaid:part="1"' in xmp  # PDF/UA-1
        assert f"<rdf:li>{AUTHOR}</rdf:li>".encode() in xmp
        assert reader.pdf_header == "%PDF-1.7"


def test_fonts_are_the_projects_own_and_embedded(learner_pdf: Path, facilitator_pdf: Path) -> None:
    for pdf in (learner_pdf, facilitator_pdf):
        fonts = pdf_fonts(pypdf.PdfReader(pdf))
        assert fonts
        for name, (descriptor, unicode) in fonts.items():
            # a subset (a six-letter tag) of polku's own fonts, embedded, with Unicode mapping
            assert re.match(r"^[A-Z]{6}\+Polku-(Serif|Sans)", name), name
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), name
            assert unicode, name


def pdf_fonts(reader: pypdf.PdfReader) -> dict[str, tuple[dict[str, object], bool]]:
    """Every font the pages use: its font descriptor and whether it maps to Unicode."""
    fonts: dict[str, tuple[dict[str, object], bool]] = {}
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for reference in resources.get("/Font", {}).values():
            font = reference.get_object()
            # a composite (Type 0) font keeps its descriptor in its descendant font
            described = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = dict(described["/FontDescriptor"].get_object())
            fonts[str(font["/BaseFont"]).removeprefix("/")] = (descriptor, "/ToUnicode" in font)
    return fonts


def test_pages_are_not_blank(learner_pdf: Path, facilitator_pdf: Path) -> None:
    for pdf in (learner_pdf, facilitator_pdf):
        document = pypdfium2.PdfDocument(pdf)
        try:
            for number in range(5):  # the first five pages, drawn at 30 dots per inch
                grey = document[number].render(scale=30 / 72).to_pil().convert("L")
                dark = sum(grey.histogram()[:200])
                assert dark / (grey.width * grey.height) > 0.002, f"{pdf.name} page {number + 1}"
        finally:
            document.close()


# --- the facilitator guide ---------------------------------------------------------------------


def test_facilitator_has_every_note_next_to_its_activity(
    workbook_project: Path, facilitator_pdf: Path
) -> None:
    _prompts, notes, debriefs = expected_items(workbook_project)
    assert len(notes) == 6 and len(debriefs) == 5
    text = squash("".join(pdf_pages(facilitator_pdf)))
    for secret in [*notes, *debriefs]:
        assert squash(secret) in text, secret
    label = squash("Ohjaajan muistiinpanot")
    curriculum, _report = check(workbook_project)
    for module in curriculum.modules.values():
        for activity in module.activities:
            if not activity.facilitator_notes:
                continue
            note = label + squash(activity.facilitator_notes)
            found = [m.start() for m in re.finditer(re.escape(note), text)]
            # once per time the activity is on the programme, each under its title and badges
            assert len(found) == notes.count(activity.facilitator_notes.strip())
            title = squash(activity.title)
            for position in found:
                assert title in text[max(0, position - len(title) - 60) : position]


def test_facilitator_run_sheet_materials_and_learner_content(facilitator_pdf: Path) -> None:
    pages = pdf_pages(facilitator_pdf, layout=True)
    first = next(p for p in pages if "Vaihe 1" in p and "Ajo-ohjelma" in p)
    for expected in (
        "09:00–09:15",
        "09:15–10:30",
        "09:15–09:45",  # the first activity of the module, with its own clock time
        "10:30–10:45",
        "10:45–11:15",
        "Ryhmäkoko",
        "12-16",
        "Koulutustila Aalto",
        "Valmisteltavat tarvikkeet",
        "Ajastin",
        "Muistilaput",
    ):
        assert expected in first, expected
    text = squash("".join(pages))
    # learner content for reference: prompts and self-check answers
    assert squash("KYSYMYS-A1 Mikä kuuntelussa oli helppoa?") in text
    assert "VASTAUSAVOIN" in text
    assert squash("Etäpäivä") in text and squash("GROW-kortit") in text


# --- speed: the content-hash cache ---------------------------------------------------------------


def test_unchanged_workbooks_come_from_the_cache(tmp_path: Path) -> None:
    project = copy_fixture("workbooks", tmp_path)
    first = run_polku("build", "--root", project)
    assert first.returncode == 0, first.stderr
    site = project / "site" / "workbooks"
    learner = (site / f"{PROGRAMME}-learner.pdf").read_bytes()
    facilitator = (site / f"{PROGRAMME}-facilitator.pdf").read_bytes()

    # --force: with nothing changed, a build would leave the site as it is
    second = run_polku("build", "--root", project, "--force")
    assert second.returncode == 0, second.stderr
    assert (
        "2 workbook PDFs and 2 session packs: 4 unchanged, copied from the cache" in second.stderr
    )
    assert (site / f"{PROGRAMME}-learner.pdf").read_bytes() == learner
    assert (site / f"{PROGRAMME}-facilitator.pdf").read_bytes() == facilitator

    glossary = project / "curriculum" / "glossary.yml"
    glossary.write_text(
        glossary.read_text("utf-8").replace("SANASTO-VALMENNUS", "SANASTO-MUUTETTU"), "utf-8"
    )
    third = run_polku("build", "--root", project)
    assert third.returncode == 0, third.stderr
    # only the learner workbook has the glossary: nothing else is rendered again
    assert "1 rendered" in third.stderr and "3 unchanged" in third.stderr
    assert "SANASTOMUUTETTU" in squash("".join(pdf_pages(site / f"{PROGRAMME}-learner.pdf")))
    assert (site / f"{PROGRAMME}-facilitator.pdf").read_bytes() == facilitator
    # old versions are pruned down to a few
    assert len(list(cache_dir(project).glob(f"{PROGRAMME}-learner-*.pdf"))) <= 3


# --- other languages and the pieces ------------------------------------------------------------


# Loaded at the start of every Python process of a build (the PDF processes too): makes
# WeasyPrint find no HarfBuzz subsetting library, as on a machine without libharfbuzz-subset0
WITHOUT_HARFBUZZ_SUBSET = """
import importlib.abc, importlib.util, sys

class WithoutHarfBuzzSubset(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "weasyprint.text.ffi":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            module.harfbuzz_subset = None

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, WithoutHarfBuzzSubset())
"""


def test_a_machine_without_harfbuzz_subsetting_gets_one_line(tmp_path: Path) -> None:
    """WeasyPrint warns for every font of every PDF; the build says it once."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(WITHOUT_HARFBUZZ_SUBSET, "utf-8")
    project = tmp_path / "project"
    assert run_polku("init", project).returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "polku", "build", "--root", str(project)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(hook)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fontTools instead of HarfBuzz" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "libharfbuzz-subset0" in line]
    assert len(lines) == 1, result.stderr
    assert lines[0].endswith(
        "polku: HarfBuzz font subsetting (the Debian package libharfbuzz-subset0) is not "
        "installed, so the workbook fonts were subset with fontTools, which is slower; install "
        "it with 'sudo apt-get install libharfbuzz-subset0' (make site does, run as root)"
    )
    assert re.search(r"2 workbook PDFs( and \d+ session packs?)?: \d+ rendered", result.stderr)
    for role in ("learner", "facilitator"):
        assert pypdf.PdfReader(project / f"site/workbooks/onboarding-{role}.pdf").pages
    # where the library is there (as make site and make test install it), not a word of it
    shutil.rmtree(project / ".cache")
    again = run_polku("build", "--root", project)
    assert again.returncode == 0, again.stdout + again.stderr
    assert re.search(r"2 workbook PDFs( and \d+ session packs?)?: \d+ rendered", again.stderr)
    assert "HarfBuzz" not in again.stderr


def test_swedish_programme_gets_swedish_labels(tmp_path: Path) -> None:
    project = copy_fixture("workbooks", tmp_path)
    programme = project / "curriculum" / "programmes" / f"{PROGRAMME}.yml"
    programme.write_text(
        programme.read_text("utf-8").replace("language: fi", "language: sv"), "utf-8"
    )
    curriculum, report = check(project)
    assert not report.errors
    documents = WorkbookRenderer(curriculum, organisation="Test").documents()
    build = WorkbookBuild(documents, tmp_path / "cache", [curriculum.curriculum_dir])
    build.start()
    stats = build.finish(tmp_path / "site")
    assert [r.path for r in stats.results] == [
        f"workbooks/{PROGRAMME}-learner.pdf",
        f"workbooks/{PROGRAMME}-facilitator.pdf",
    ]
    pdf = tmp_path / "site" / "workbooks" / f"{PROGRAMME}-learner.pdf"
    reader = pypdf.PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    pages = pdf_pages(pdf)
    assert f"sida 2 / {len(reader.pages)}" in pages[1]
    assert "Innehåll" in pages[1]
    assert "Deltagarens arbetsbok" in pages[0]


def test_print_markdown_is_sanitised_and_rebased(tmp_path: Path) -> None:
    curriculum = tmp_path / "curriculum"
    (curriculum / "assets").mkdir(parents=True)
    (curriculum / "modules").mkdir()
    image = curriculum / "assets" / "x.png"
    shutil.copyfile(
        Path(__file__).parent / "fixtures/workbooks/curriculum/assets/kaavio.png", image
    )
    (tmp_path / "secret.png").write_bytes(image.read_bytes())
    markdown = PrintMarkdown(curriculum)
    doc = PrintDocument()
    html = markdown.render(
        "## Otsikko\n\n### Ala\n\n![Kuva](../assets/x.png) ![Ulkona](../../secret.png) "
        "![Verkko](https://example.org/x.png)\n\n[sivu](other.md) [verkko](https://example.org) "
        '[ankkuri](#puuttuu)\n\n<script>alert(1)</script><img src=x onerror="alert(1)">\n\n'
        "Teksti[^1].\n\n[^1]: Alaviite.",
        "module",
        doc,
        top_level=3,
    )
    assert "<h3" in html and "<h4" in html and "<h2" not in html
    assert f'src="{image.resolve().as_uri()}"' in html
    assert "secret.png" not in html and "example.org/x.png" not in html
    assert '<a href="https://example.org">verkko</a>' in html
    assert "other.md" not in html and "#puuttuu" not in html and "sivu" in html
    assert "<script" not in html and "onerror" not in html
    # footnote ids are prefixed per fragment and the links still point at them
    ids = re.findall(r'id="([^"]+)"', html)
    assert ids and all(i.startswith("f1-") for i in ids)
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids
    assert doc.assets == {image.resolve()}


def test_many_answer_lines_still_fit_a_page() -> None:
    assert PromptView("?", "f", 6).line_height == 8.5
    assert PromptView("?", "f", 25).line_height == 8.5
    assert PromptView("?", "f", 40).line_height * 40 <= 220


def test_css_label_quotes_text_and_places_counters() -> None:
    assert (
        css_label("sivu {page} / {pages}", page="counter(page)", pages="counter(pages)")
        == '"sivu " counter(page) " / " counter(pages)'
    )
    assert css_label('a "b" \\ {page}', page="counter(page)") == '"a \\"b\\" \\\\ " counter(page)'


def test_serve_makes_pdfs_only_when_asked(tmp_path: Path) -> None:
    from polku.project import Project

    for command, setting, expected in (
        ("build", None, True),
        ("serve", None, False),
        ("serve", True, True),
        ("build", False, False),
    ):
        project = Project(root=tmp_path).with_options(pdf=setting)
        assert project.pdf_enabled(command) is expected, (command, setting)


def test_finnish_text_is_hyphenated(learner_pdf: Path) -> None:
    lines = "\n".join(pdf_pages(learner_pdf)).splitlines()
    hyphenated = [
        (line, following)
        for line, following in itertools.pairwise(lines)
        if re.search(r"[a-zäö][\u2010-]$", line) and following[:1].islower()
    ]
    assert hyphenated, "no word of the Finnish text was hyphenated"
    body = squash("".join(lines))
    assert squash("Työllisyyspalveluiden asiakaslähtöisyys") in body


# --- the back matter and finding things in print ---------------------------------------------


def sections(pdf: Path) -> dict[str, tuple[int, int]]:
    """Each level-1 bookmark's first and last page."""
    reader = pypdf.PdfReader(pdf)
    starts = [(title, page) for level, title, page, _top in outline(reader) if level == 1]
    found = {}
    for number, (title, page) in enumerate(starts):
        end = starts[number + 1][1] - 1 if number + 1 < len(starts) else len(reader.pages)
        found[title] = (page, max(page, end))
    return found


def section_text(pdf: Path, title: str) -> str:
    first, last = sections(pdf)[title]
    return "\n".join(pdf_pages(pdf)[first - 1 : last])


def test_an_activity_printed_alone_is_listed_with_its_module(learner_pdf: Path) -> None:
    titles = [title for title, _page in toc_entries(learner_pdf)]
    assert "Oma oppimistavoitteeni – Tavoitteiden asettaminen" in titles
    assert "Tarkista vuorovaikutusosaamisesi – Vuorovaikutus valmennuksessa" in titles
    # the bookmarks say the same
    reader = pypdf.PdfReader(learner_pdf)
    bookmarks = [title for _level, title, _page, _top in outline(reader)]
    assert "Tarkista vuorovaikutusosaamisesi – Vuorovaikutus valmennuksessa" in bookmarks
    # a module printed whole lists its activities under it, by their titles alone
    assert "Tavoitekeskustelu asiakkaan kanssa" not in " ".join(titles)  # not in the TOC


def test_answers_are_headed_by_session_and_module(learner_pdf: Path) -> None:
    text = squash(section_text(learner_pdf, "Itsearvioinnin vastaukset"))
    activity = squash("Tarkista vuorovaikutusosaamisesi – Vuorovaikutus valmennuksessa")
    # the self-check is done in two sessions: with its module, then alone
    first = text.find(squash("Aloitustapaaminen"))
    second = text.find(squash("Itsenäinen tehtävä"))
    assert 0 <= first < text.find(activity) < second < text.rfind(activity)
    assert text.count(activity) == 2
    assert text.find("VASTAUSAVOIN") > text.find(activity)


def test_glossary_has_only_the_terms_the_workbook_uses(learner_pdf: Path) -> None:
    glossary = squash(section_text(learner_pdf, "Sanasto"))
    assert "SANASTOVALMENNUS" in glossary  # "Valmennus" is in a module's text
    assert "Vertaiskahvila" not in glossary and "SANASTOMUUOHJELMA" not in glossary
    # nor are references to terms it leaves out ("Ohjaus" is not used)
    assert "Ohjaus" not in glossary and "Katsomyös" not in glossary


def test_sources_give_each_work_in_full_once(learner_pdf: Path) -> None:
    text = squash(section_text(learner_pdf, "Lähteet"))
    # cited by a module, then by a method card: in full once, then by author and year
    full = squash("Whitmore, J. (2009). Coaching for Performance. 4th ed.")
    assert text.count(full) == 1
    assert text.find(squash("Tavoitteiden asettaminen")) < text.find(full)
    assert text.count(squash("Whitmore, J. (2009).")) == 2
    assert text.index(squash("GROW-malli Whitmore, J. (2009).")) > text.find(full)
    # cited twice by one module, once bare and once with a note: the reference once
    assert text.count(squash("Rogers, C. (1951). Client-centered therapy.")) == 1
    assert squash("Rogers, C. (1951). LÄHDE-HUOMIO Luku 2, kuunteleminen.") in text


def test_source_groups_shorten_only_whole_sentences() -> None:
    assert sentences("Miller, W. R. & Rollnick, S. (2013). Motivational Interviewing. 3rd ed.") == [
        "Miller, W. R. & Rollnick, S. (2013).",
        "Motivational Interviewing.",
        "3rd ed.",
    ]
    groups = source_groups(
        [
            ("A", ["Pikkusaari, S. (2012). Taitolaji. Turenki. Luku 3.", "Oma sovellus: A."]),
            ("B", ["Pikkusaari, S. (2012). Taitolaji. Turenki.", "  Oma sovellus:   A. "]),
            ("C", ["Pikkusaari, S. (2012). Taitolaji. Turenki. Luku 4.", "Pikkusaari, S. (2012)."]),
            ("D", ["Pikkusaari, S. (2012). Toinen teos.", ""]),
            ("E", []),
        ]
    )
    assert [(group.title, group.sources) for group in groups] == [
        ("A", ["Pikkusaari, S. (2012). Taitolaji. Turenki. Luku 3.", "Oma sovellus: A."]),
        ("B", ["Pikkusaari, S. (2012).", "Oma sovellus: A."]),
        # an author and year alone name no work: printed as written
        ("C", ["Pikkusaari, S. (2012). Luku 4.", "Pikkusaari, S. (2012)."]),
        ("D", ["Pikkusaari, S. (2012). Toinen teos."]),
    ]


def test_long_write_in_space_may_go_on_over_a_page() -> None:
    assert not PromptView("Q", "f", 6).splittable  # kept whole with its question
    assert PromptView("Q", "f", 8).splittable
    assert PromptView("Q", "f", 40).splittable


def test_only_long_write_in_space_is_split_and_never_a_form_field(tmp_path: Path) -> None:
    project = copy_fixture("workbooks", tmp_path)
    curriculum, report = check(project)
    assert not report.errors
    renderer = WorkbookRenderer(curriculum)
    programme = curriculum.programmes[PROGRAMME]
    printed = renderer.learner(programme).html
    # the fixture's 8-line prompt, and only it (three times: it is printed in two sessions)
    assert printed.count('class="prompt prompt--split"') == 1
    assert printed.count('class="prompt"') == 11
    assert "prompt--split" not in renderer.learner(programme, fillable=True).html


def test_timeline_titles_for_print_are_cut_only_where_they_do_not_fit() -> None:
    title = "Työparina mentorin asiakastapaamisissa"
    room = 228.0  # the label column of the timeline, less its margins
    assert text_width(title) <= room
    assert _fit(title, room, measure=text_width) == title  # printed whole
    assert _fit(title, room).endswith("…")  # the site's estimate is cautious
    long = "Itseopiskelu: työhönvalmennuksen arvoperusta ja periaatteet"
    cut = _fit(long, room, measure=text_width)
    assert cut.endswith("…") and text_width(cut) <= room
    assert text_width(long[: len(cut)] + "…") > room  # one letter more would not fit

"""The "programme at a glance" PDF, read back with pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, copy_fixture, run_polku
from pdf_structure import TaggedPdf, cell_id, header_ids
from polku.check import check
from polku.paths import SiteUrls
from polku.render import glance
from polku.render.glance import GlanceRenderer
from polku.render.schedules import ScheduleRenderer
from polku.render.site import SiteRenderer
from pypdf import PdfReader

A4_LANDSCAPE = (841.89, 595.28)  # points


def renderer(curriculum) -> GlanceRenderer:  # type: ignore[no-untyped-def]
    urls = SiteUrls("https://koulutus.example.fi/perehdytys/", True)
    schedules = ScheduleRenderer(SiteRenderer(curriculum), urls)
    return GlanceRenderer(schedules, organisation="Ryhmäkoulutus")


def read(pdf: bytes, tmp_path: Path) -> PdfReader:
    path = tmp_path / "glance.pdf"
    path.write_bytes(pdf)
    return PdfReader(path)


def assert_a4_landscape(reader: PdfReader, pages: int = 1) -> None:
    assert len(reader.pages) == pages
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A4_LANDSCAPE


def session_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """The column headers and the rows of the tagged sessions table, from the structure tree.

    A table that goes on over a page is one Table element per page, each with its headers.
    """
    pdf = TaggedPdf(path)
    tables = pdf.elements("Table")
    assert tables
    headers = [" ".join(th.all_text().split()) for th in tables[0].find("TH")]
    rows = []
    for table in tables:
        assert [" ".join(th.all_text().split()) for th in table.find("TH")] == headers
        ids = {cell_id(th): th for th in table.find("TH")}
        for row in table.find("TR"):
            cells = row.find("TD")
            if not cells:
                continue
            rows.append([" ".join(td.all_text().split()) for td in cells])
            for column, td in enumerate(cells):
                # each cell's header is its own column's, and only that
                assert [ids[h].all_text().strip() for h in header_ids(td)] == [headers[column]]
    return headers, rows


@pytest.fixture(scope="module")
def cohorts_curriculum():  # type: ignore[no-untyped-def]
    curriculum, _report = check(FIXTURES / "cohorts")
    return curriculum


def test_one_document_per_run(cohorts_curriculum) -> None:  # type: ignore[no-untyped-def]
    paths = [doc.path for doc in renderer(cohorts_curriculum).documents()]
    assert paths == [
        "workbooks/ryhmat-at-a-glance.pdf",
        "workbooks/ryhmat-kevat-at-a-glance.pdf",
        "workbooks/ryhmat-syksy-at-a-glance.pdf",
    ]


def test_a_cohort_page_at_a_glance(cohorts_curriculum, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = renderer(cohorts_curriculum).documents()[1]
    reader = read(glance.render_pdf(document.html), tmp_path)
    assert_a4_landscape(reader)
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Ryhmien perehdytys: Kevään ryhmä" in text
    assert "to 17.6.2027 – ma 5.7.2027" in text  # from day -2 to day 10, over Midsummer
    assert "Paikka: Tampereen toimisto" in text and "Vetäjä: Liisa Virtanen" in text
    assert "Aloituspäivä ma 21.6. 09:00–11:00" in text  # the timeline, as text
    assert "https://koulutus.example.fi/perehdytys/programmes/ryhmat/" in text
    assert reader.metadata.title == "Ryhmien perehdytys: Kevään ryhmä – Yhdellä silmäyksellä"
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert fonts and all("Polku-Sans" in name for name in fonts), fonts


def test_the_sessions_are_a_tagged_table_under_the_picture(  # type: ignore[no-untyped-def]
    cohorts_curriculum, tmp_path: Path
) -> None:
    document = renderer(cohorts_curriculum).documents()[1]
    read(glance.render_pdf(document.html), tmp_path)
    pdf = TaggedPdf(tmp_path / "glance.pdf")
    # the picture is one figure with a text alternative; the same sessions follow as text
    [figure] = pdf.elements("Figure")
    assert str(figure.obj["/Alt"]).startswith("Aikajana: ")
    headers, rows = session_table(tmp_path / "glance.pdf")
    assert headers == ["Päivämäärä", "Aika", "Tapaaminen", "Muoto", "Paikka"]
    programme = cohorts_curriculum.programmes["ryhmat"]
    titles = [session.title for _phase, session in programme.sessions()]
    assert sorted(row[2] for row in rows) == sorted(titles)  # whole titles, none cut short
    assert rows[0][:3] == ["to 17.6.2027", "", "Ennakkotehtävä"]  # day -2, all day
    # every painted text is tagged content or a pagination artifact
    assert pdf.artifact_text_operators()[1] == 0
    assert pdf.mcids_in_content() <= {m for e in pdf.root.walk() for m in e.mcids}


def test_a_long_programme_keeps_its_picture_on_one_page(  # type: ignore[no-untyped-def]
    cohorts_curriculum, tmp_path: Path
) -> None:
    programme = cohorts_curriculum.programmes["ryhmat"]
    template = programme.phases[1].sessions[0]
    programme = programme.model_copy(deep=True)
    programme.phases[1].sessions = [
        template.model_copy(update={"id": f"s{n}", "day": n, "title": f"Tapaaminen {n}"})
        for n in range(1, 81)
    ]
    cohorts_curriculum = cohorts_curriculum.__class__(
        root=cohorts_curriculum.root,
        curriculum_dir=cohorts_curriculum.curriculum_dir,
        programmes={"ryhmat": programme},
    )
    document = renderer(cohorts_curriculum).documents()[0]
    reader = read(glance.render_pdf(document.html), tmp_path)
    assert len(reader.pages) > 1
    assert_a4_landscape(reader, len(reader.pages))
    # the whole timeline on the first page, the table of 80 sessions from the second
    assert "Tapaaminen 80" in reader.pages[0].extract_text()
    table = TaggedPdf(tmp_path / "glance.pdf").elements("Table")[0]
    assert min(page for element in table.walk() for page, _mcid in element.mcids) == 1
    _headers, rows = session_table(tmp_path / "glance.pdf")
    assert [row[2] for row in rows if row[2].startswith("Tapaaminen ")] == [
        f"Tapaaminen {n}" for n in range(1, 81)
    ]


def test_an_unchanged_page_comes_from_the_cache(
    cohorts_curriculum,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    pages = renderer(cohorts_curriculum)
    document = pages.documents()[0]
    first = pages.render(document, tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("ryhmat-at-a-glance-*.pdf"))) == 1

    def fail(html: str) -> bytes:
        raise AssertionError("rendered again")

    monkeypatch.setattr(glance, "render_pdf", fail)
    assert pages.render(document, tmp_path / "cache") == first


def test_a_build_writes_and_links_the_pdfs(tmp_path: Path) -> None:
    project = copy_fixture("cohorts", tmp_path)
    result = run_polku("build", "--root", project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    for name in ("ryhmat", "ryhmat-kevat", "ryhmat-syksy"):
        assert_a4_landscape(PdfReader(site / "workbooks" / f"{name}-at-a-glance.pdf"))
    programme = (site / "programmes/ryhmat/index.html").read_text("utf-8")
    assert 'href="../../workbooks/ryhmat-at-a-glance.pdf"' in programme
    cohort = (site / "programmes/ryhmat/cohorts/kevat/index.html").read_text("utf-8")
    assert 'href="../../../../workbooks/ryhmat-kevat-at-a-glance.pdf"' in cohort
    # the learner workbook starts with the same timeline
    assert (site / "workbooks/ryhmat-learner.pdf").is_file()

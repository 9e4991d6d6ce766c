"""The one-page "programme at a glance" PDF, read back with pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, copy_fixture, run_polku
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


def assert_one_a4_landscape_page(reader: PdfReader) -> None:
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4_LANDSCAPE


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
    assert_one_a4_landscape_page(reader)
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


def test_a_long_programme_still_fits_one_page(cohorts_curriculum, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
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
    assert_one_a4_landscape_page(reader)
    assert "Tapaaminen 80" in reader.pages[0].extract_text()


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
        assert_one_a4_landscape_page(PdfReader(site / "workbooks" / f"{name}-at-a-glance.pdf"))
    programme = (site / "programmes/ryhmat/index.html").read_text("utf-8")
    assert 'href="../../workbooks/ryhmat-at-a-glance.pdf"' in programme
    cohort = (site / "programmes/ryhmat/cohorts/kevat/index.html").read_text("utf-8")
    assert 'href="../../../../workbooks/ryhmat-kevat-at-a-glance.pdf"' in cohort
    # the learner workbook starts with the same timeline
    assert (site / "workbooks/ryhmat-learner.pdf").is_file()

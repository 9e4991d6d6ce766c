"""Session packs, handouts in print and repeated sessions printed once.

tests/fixtures/packs is built once with the real command line; its PDFs are read
back with pypdf. Its workshop runs three times (day 10 at 09:00, day 12 at 13:00,
day 15 at 09:00) with the same agenda; two assignments share an agenda but not a
title; an activity hands out a Markdown handout, a handout with a sibling .md and
a ready PDF file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from conftest import FIXTURES, copy_fixture, run_polku
from pdf_structure import TaggedPdf
from polku import paths
from polku.check import check
from polku.i18n import Labels
from polku.plan import plans
from polku.render.pdf import WorkbookBuild
from polku.render.repeats import session_groups, title_stem
from polku.render.workbook import WorkbookRenderer

PROGRAMME = "tyopajat"
WORKSHOP = ["tyopaja-1", "tyopaja-2", "tyopaja-3"]


def page_texts(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]


def outline_titles(path: Path) -> list[str]:
    reader = pypdf.PdfReader(path)
    found: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append(str(item.title))

    walk(reader.outline)
    return found


@pytest.fixture(scope="module")
def packs_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("packs", tmp_path_factory.mktemp("packs"))
    result = run_polku("build", "--root", project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 workbook PDFs and 2 session packs: 4 rendered" in result.stderr
    # links to the PDFs are raw HTML: MkDocs checks Markdown links before they exist
    assert "WARNING" not in result.stderr, result.stderr
    return project


@pytest.fixture(scope="module")
def curriculum():  # type: ignore[no-untyped-def]
    loaded, report = check(FIXTURES / "packs")
    assert not report.errors, report.summary()
    return loaded


def site_file(project: Path, path: str) -> Path:
    return project / "site" / path


# --- recognising a repeat ------------------------------------------------------------------------


def test_a_repeat_is_the_same_agenda_under_the_same_title_stem(curriculum) -> None:  # type: ignore[no-untyped-def]
    plan = plans(curriculum)[PROGRAMME]
    groups = session_groups(plan.sessions)
    assert [group.session_ids for group in groups] == [
        ["aloitus"],
        ["loki-mentorit"],
        WORKSHOP,
        ["itseopiskelu"],
        ["loki-uudet"],  # the same agenda as loki-mentorit, but another title
    ]
    [workshop] = [group for group in groups if group.repeated]
    assert workshop.title == "Kohtaamisen työpaja"


def test_a_changed_agenda_or_title_is_another_session(curriculum) -> None:  # type: ignore[no-untyped-def]
    programme = curriculum.programmes[PROGRAMME].model_copy(deep=True)
    sessions = programme.phases[1].sessions
    sessions[1].items = sessions[1].items[:1]  # group 2 drops the second half
    sessions[2].title = "Jatkotyöpaja, ryhmä 3"
    changed = curriculum.__class__(
        root=curriculum.root,
        curriculum_dir=curriculum.curriculum_dir,
        programmes={PROGRAMME: programme},
        modules=curriculum.modules,
        handouts=curriculum.handouts,
    )
    groups = session_groups(plans(changed)[PROGRAMME].sessions)
    assert not any(group.repeated for group in groups)


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("Kohtaamisen työpaja, ryhmä 2", "Kohtaamisen työpaja"),
        ("Loppukeskustelut, osa 1", "Loppukeskustelut"),
        ("Mentorikahvila 4", "Mentorikahvila"),
        ("Workshop – group 3", "Workshop"),
        ("Tapaaminen (2)", "Tapaaminen"),
        ("Mentorikoulutus 1 – Työote tutuksi", "Mentorikoulutus 1 – Työote tutuksi"),
        ("2", "2"),
    ],
)
def test_title_stem(title: str, stem: str) -> None:
    assert title_stem(title) == stem


# --- the packs -----------------------------------------------------------------------------------


def test_a_pack_for_every_session_someone_runs(packs_project: Path) -> None:
    folder = packs_project / "site" / "workbooks" / PROGRAMME
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [f"{sid}-facilitator.pdf" for sid in ["aloitus", *WORKSHOP]]
    )  # not for self-study or the assignments
    # a repeated session's pack is one PDF, published under each run's name
    packs = {
        site_file(packs_project, paths.session_pack(PROGRAMME, sid)).read_bytes()
        for sid in WORKSHOP
    }
    assert len(packs) == 1


def test_the_repeated_workshop_is_printed_once_with_all_its_dates(
    packs_project: Path,
    curriculum,  # type: ignore[no-untyped-def]
) -> None:
    pack = site_file(packs_project, paths.session_pack(PROGRAMME, "tyopaja-2"))
    pages = page_texts(pack)
    text = " ".join(pages)
    assert "Työpajaohjelma · Ohjaajan paketti" in pages[0]
    assert "Kohtaamisen työpaja Ajankohdat" in pages[0]
    plan = plans(curriculum)[PROGRAMME]
    labels = Labels("fi")
    titles = {s.id: s.title for _phase, s in curriculum.programmes[PROGRAMME].sessions()}
    for sid, day, time, place in [
        ("tyopaja-1", 10, "09:00–10:30", "Verkkokokous"),
        ("tyopaja-2", 12, "13:00–14:30", "Verkkokokous, toinen linkki"),
        ("tyopaja-3", 15, "09:00–10:30", "Verkkokokous"),
    ]:
        date = labels.date(plan.date_of(day))
        assert f"{titles[sid]} Päivä {day} · {date} {time} {place}" in text
    # one clock-time column per start time in the run sheet
    assert "Aika 09:00 Aika 13:00 Kulku Kesto" in pages[0]
    assert "09:00–09:40 13:00–13:40 Kaksi tapaamista 40 min" in pages[0]
    assert "09:50–10:30 13:50–14:30 Oma teko 40 min" in pages[0]
    # the activities once each, with their notes and debriefs
    assert text.count("OHJAAJA-ROOLIPELI") == 1 and text.count("PURKU-ROOLIPELI") == 1
    assert text.count("OHJAAJA-SITOUMUS") == 1
    # the facilitator's pack does not carry the learning content of the module
    assert "MODUULIN-SISALTO" not in text


def test_a_repeated_session_prints_as_many_pages_as_one_run(
    curriculum,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """The pack of the workshop that runs three times is as long as its pack for one run."""
    single = curriculum.programmes[PROGRAMME].model_copy(deep=True)
    single.phases[1].sessions = [
        s for s in single.phases[1].sessions if s.id not in ("tyopaja-2", "tyopaja-3")
    ]
    once = curriculum.__class__(
        root=curriculum.root,
        curriculum_dir=curriculum.curriculum_dir,
        programmes={PROGRAMME: single},
        modules=curriculum.modules,
        handouts=curriculum.handouts,
    )
    documents = []
    for variant in (curriculum, once):
        packs = WorkbookRenderer(variant).session_packs()
        [workshop] = [doc for doc in packs if doc.sessions[0] == "tyopaja-1"]
        documents.append(workshop)
    assert documents[0].sessions == tuple(WORKSHOP) and documents[1].sessions == ("tyopaja-1",)
    build = WorkbookBuild(documents, tmp_path / "cache", [curriculum.curriculum_dir])
    build.start()
    stats = build.finish()
    three_runs, one_run = (result.pages for result in stats.results)
    assert three_runs == one_run == 4  # first page, activities, two handouts


def test_handouts_are_pages_of_their_own_and_named_in_the_materials(packs_project: Path) -> None:
    pack = site_file(packs_project, paths.session_pack(PROGRAMME, "tyopaja-1"))
    pages = page_texts(pack)
    materials = pages[0]
    found = re.search(
        r"Moniste: Roolikortti – asiakas Jari – yksi pienryhmää kohden \(sivu (\d+)\)", materials
    )
    assert found, materials
    roolikortti = int(found.group(1))
    found = re.search(r"Moniste: Palautelomake – yksi jokaiselle \(sivu (\d+)\)", materials)
    assert found, materials
    palaute = int(found.group(1))
    # a ready file cannot be printed into the pack: named, with where to find it
    assert (
        "Tiedosto: Kohtaamisen portaat -esite – yksi ohjaajalle (sivustolla: assets/esite.pdf)"
        in materials
    )
    assert site_file(packs_project, "assets/esite.pdf").is_file()
    # each printable handout starts a page of its own, once, without the pack's page numbers
    assert pages[roolikortti - 1].startswith("MONISTE Roolikortti – asiakas Jari")
    assert "MONISTE-ROOLIKORTTI" in pages[roolikortti - 1]
    assert pages[palaute - 1].startswith("MONISTE Palautelomake MONISTE-PALAUTE")
    assert " ".join(pages).count("MONISTE-PALAUTE") == 1  # two activities, one handout
    assert "sivu" not in pages[roolikortti - 1] and "sivu" not in pages[palaute - 1]
    assert "sivu 1 / 4" in pages[0]
    assert outline_titles(pack) == [
        "Kohtaamisen työpaja",
        "Kaksi tapaamista",
        "Oma teko",
        "Roolikortti – asiakas Jari",
        "Palautelomake",
    ]
    # the page references are links that say where they lead
    descriptions = {str(link.get("/Contents")) for link in TaggedPdf(pack).link_annotations()}
    assert {"Roolikortti – asiakas Jari", "Palautelomake"} <= descriptions


def test_guide_and_workbook_print_the_workshop_once(packs_project: Path) -> None:
    for role in ("facilitator", "learner"):
        pdf = site_file(packs_project, paths.workbook(PROGRAMME, role))
        titles = outline_titles(pdf)
        assert titles.count("Kohtaamisen työpaja") == 1, titles
        assert not any("ryhmä" in title for title in titles), titles
        text = " ".join(page_texts(pdf))
        # the roleplay is printed for the first session (the whole module) and the workshop
        assert text.count("Missä kohdassa hypättiin neuvontaan?") == 2
        # the schedule still lists every run, each linking to the one printed workshop
        for sid in WORKSHOP:
            assert f"Kohtaamisen työpaja, ryhmä {sid[-1]}" in text
        destinations = {
            str(link["/Dest"])
            for link in TaggedPdf(pdf).link_annotations()
            if str(link.get("/Contents", "")).startswith("Kohtaamisen työpaja, ryhmä")
        }
        assert destinations == {"session-tyopaja-1"}


def test_the_facilitator_guide_shows_the_timeline_at_a_glance(packs_project: Path) -> None:
    pdf = TaggedPdf(site_file(packs_project, paths.workbook(PROGRAMME, "facilitator")))
    [figure] = pdf.elements("Figure")
    assert str(figure.obj["/Alt"]) == "Aikajana: Työpajaohjelma"
    [heading] = [h for h in pdf.elements("H1") if "yhdellä silmäyksellä" in h.all_text()]
    # the figure is on the page of the heading (whose text may sit in a child element)
    heading_pages = {page for element in heading.walk() for page, _ in element.mcids}
    assert heading_pages
    assert {page for page, _ in figure.mcids} == heading_pages

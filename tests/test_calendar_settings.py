"""What HR sets for calendars: site_url, calendar_tasks, cohort ids, cohort and session places."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_polku
from helpers import edit, line_of, problems
from icalendar import Calendar
from polku import build
from polku.check import check
from polku.model import Session, SessionKind
from polku.plan import Plan, session_location
from polku.project import Project

PROGRAMME = "curriculum/programmes/ryhmat.yml"


def project_copy(tmp_path: Path, name: str = "cohorts") -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("site"))
    return target


# --- site_url -----------------------------------------------------------------------------


def test_a_build_without_site_url_warns_where_it_is_set(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    edit(project, "mkdocs.yml", "site_url: https://koulutus.example.fi/perehdytys/\n", "")
    prepared = build.prepare(Project.load(project).with_options(pdf=False))
    [warning] = [str(d) for d in prepared.report.warnings]
    assert warning.startswith(
        "mkdocs.yml:1:1: warning: site_url is not set, so the calendar entries "
        "(calendars/ryhmat.ics and 11 more) link to their session with a path that no "
        "calendar app can open"
    )
    assert "set site_url to the address the site is published at" in warning
    # an empty site_url is located on its line
    text = (project / "mkdocs.yml").read_text("utf-8")
    (project / "mkdocs.yml").write_text(text.replace("theme:", "site_url:\ntheme:"), "utf-8")
    prepared = build.prepare(Project.load(project).with_options(pdf=False))
    line = line_of(project, "mkdocs.yml", "site_url:")
    assert [d.line for d in prepared.report.warnings] == [line]


def test_no_warning_with_site_url_or_without_calendars(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    prepared = build.prepare(Project.load(project).with_options(pdf=False))
    assert prepared.report.items == []
    # a programme without dates writes no calendar, so nothing links from one
    edit(project, "mkdocs.yml", "site_url: https://koulutus.example.fi/perehdytys/\n", "")
    text = (project / PROGRAMME).read_text("utf-8")
    start = text.index("start_date: 2026-12-21")
    end = text.index("roles:")
    (project / PROGRAMME).write_text(text[:start] + text[end:], "utf-8")
    prepared = build.prepare(Project.load(project).with_options(pdf=False))
    assert prepared.report.items == []


def test_polku_build_prints_the_warning_and_calendar_tasks_chooses_todos(
    tmp_path: Path,
) -> None:
    project = project_copy(tmp_path)
    edit(project, "mkdocs.yml", "site_url: https://koulutus.example.fi/perehdytys/\n", "")
    edit(project, "mkdocs.yml", "  - polku\n", "  - polku:\n      calendar_tasks: todos\n")
    result = run_polku("build", "--root", project, "--no-pdf", "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("mkdocs.yml:1:1: warning: site_url is not set")
    calendar = Calendar.from_ical((project / "site/calendars/ryhmat-hr.ics").read_bytes())
    assert [str(t["SUMMARY"]) for t in calendar.walk("VTODO")][:1] == ["Lähetä tervetuloviesti."]
    assert not [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("deadline.")]


def test_an_unknown_calendar_tasks_is_a_located_error(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    edit(project, "mkdocs.yml", "  - polku\n", "  - polku:\n      calendar_tasks: tasks\n")
    result = run_polku("build", "--root", project, "--no-pdf")
    assert result.returncode == 1
    assert "calendar_tasks must be one of events, todos, both, not 'tasks'" in result.stderr
    assert "Traceback" not in result.stderr


# --- calendar names ---------------------------------------------------------------------------


def test_a_cohort_and_role_whose_names_join_to_another_id_are_an_error(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    # cohort "kevat" with role "hr" and a role "kevat-hr" both name calendars/ryhmat-kevat-hr.ics
    edit(
        project,
        PROGRAMME,
        "  - id: hr\n    title: HR\n",
        "  - id: hr\n    title: HR\n  - id: kevat-hr\n    title: Kevään HR\n",
    )
    cohort_line = line_of(project, PROGRAMME, "- id: kevat")
    assert problems(project) == [
        f"{PROGRAMME}:{cohort_line}:9: error: the calendar of role 'hr' in cohort 'kevat' and "
        "the calendar of role 'kevat-hr' would both be written to "
        "calendars/ryhmat-kevat-hr.ics, because calendar names join ids with hyphens; "
        "rename one of them (P409)"
    ]


def test_a_cohort_named_like_another_cohort_and_a_role(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    edit(project, PROGRAMME, "  - id: syksy\n", "  - id: kevat-uusi\n")
    cohort_line = line_of(project, PROGRAMME, "- id: kevat")
    assert problems(project) == [
        f"{PROGRAMME}:{cohort_line}:9: error: the calendar of role 'uusi' in cohort 'kevat' "
        "and the calendar of cohort 'kevat-uusi' would both be written to "
        "calendars/ryhmat-kevat-uusi.ics, because calendar names join ids with hyphens; "
        "rename one of them (P409)"
    ]


OTHER_PROGRAMME = """\
id: ryhmat-kevat
title: Toinen ohjelma
language: fi
start_date: 2027-01-04
roles:
  - id: hr
    title: HR
phases: []
"""


def test_a_programme_whose_calendars_a_cohort_writes_too(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    other = "curriculum/programmes/ryhmat-kevat.yml"
    (project / other).write_text(OTHER_PROGRAMME, "utf-8")
    # ryhmat's cohort kevat writes ryhmat-kevat.ics and, for role hr, ryhmat-kevat-hr.ics:
    # one error at the cohort (programme files are read in name order: ryhmat-kevat first)
    cohort_line = line_of(project, PROGRAMME, "- id: kevat")
    assert problems(project) == [
        f"{PROGRAMME}:{cohort_line}:9: error: programme 'ryhmat-kevat' already writes "
        "calendars/ryhmat-kevat.ics; rename this cohort or one of the programmes (P405)"
    ]


# --- places ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(SessionKind))
def test_a_cohort_place_fills_in_only_in_person_sessions_without_one(kind: SessionKind) -> None:
    curriculum, _report = check(FIXTURES / "cohorts")
    plan = Plan(curriculum.programmes["ryhmat"], curriculum)
    cohort = plan.run("kevat")
    own = plan.run("_")
    assert cohort is not None and own is not None
    in_person = kind in (SessionKind.CONTACT, SessionKind.MENTORING)
    bare = Session(id="x", title="X", kind=kind, day=1)
    placed = Session(id="y", title="Y", kind=kind, day=1, location="Mentorin työpiste")
    assert session_location(cohort, bare) == ("Tampereen toimisto" if in_person else None)
    assert session_location(cohort, placed) == "Mentorin työpiste"  # its own place wins
    assert session_location(own, bare) is None  # the programme's own run has no place
    person = plan.personal_run(dt.date(2027, 5, 3), key="a", name="A", place="Oulu")
    assert session_location(person, bare) == ("Oulu" if in_person else None)
    assert session_location(person, placed) == "Mentorin työpiste"
    member = plan.personal_run(dt.date(2027, 5, 3), key="b", name="B", cohort=cohort.cohort)
    assert session_location(member, bare) == ("Tampereen toimisto" if in_person else None)


def test_a_cohort_calendar_places_each_session(tmp_path: Path) -> None:
    curriculum, _report = check(FIXTURES / "cohorts")
    plan = Plan(curriculum.programmes["ryhmat"], curriculum)
    run = plan.run("kevat")
    assert run is not None
    places = {d.session.id: d.location for d in plan.dated(run)}
    assert places == {
        "ennakko": None,  # an assignment is done where the newcomer is
        "aloitus": "Helsingin toimisto",  # its own place
        "etapaiva": "Teams",  # remote: its own link, never the cohort's room
        "omaopiskelu": None,
        "mentorointi": "Tampereen toimisto",  # in person, no place of its own
    }

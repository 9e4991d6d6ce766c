"""Programme days to dates: working days, Finnish holidays, year ends, cohorts, validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import FIXTURES
from helpers import edit, line_of, problems
from polku.check import check
from polku.model import Programme
from polku.plan import OWN_RUN, Plan, calendar_paths
from polku.schedule import WorkingDays, valid_country, valid_timezone
from polku.schema import json_schema

PROGRAMME = "curriculum/programmes/perehdytys.yml"
RYHMAT = "curriculum/programmes/ryhmat.yml"
START = "start_date: 2027-01-11\n"
D = dt.date


def dates(start: dt.date, days: list[int], **options: object) -> list[dt.date]:
    working = WorkingDays(start, **options)  # type: ignore[arg-type]
    return [working.date_of(day) for day in days]


# --- working days ---------------------------------------------------------------------------


def test_day_one_is_the_start_and_weekends_are_skipped() -> None:
    # Monday 11 January 2027
    assert dates(D(2027, 1, 11), [1, 2, 5, 6, 10, 11]) == [
        D(2027, 1, 11),
        D(2027, 1, 12),
        D(2027, 1, 15),
        D(2027, 1, 18),  # Friday -> Monday
        D(2027, 1, 22),
        D(2027, 1, 25),
    ]


def test_a_start_on_a_weekend_or_holiday_moves_day_one_to_the_next_working_day() -> None:
    assert dates(D(2027, 9, 4), [1])[0] == D(2027, 9, 6)  # Saturday -> Monday
    assert dates(D(2027, 1, 1), [1])[0] == D(2027, 1, 4)  # New Year's Day (Fri) -> Monday
    assert dates(D(2027, 1, 6), [1])[0] == D(2027, 1, 7)  # Epiphany (Wed) -> Thursday


def test_christmas_and_the_year_end_are_skipped() -> None:
    # Monday 21 December 2026: 24 (Christmas Eve), 25, 26 and 1 January are holidays
    assert dates(D(2026, 12, 21), [1, 2, 3, 4, 5, 6, 7, 8]) == [
        D(2026, 12, 21),
        D(2026, 12, 22),
        D(2026, 12, 23),
        D(2026, 12, 28),
        D(2026, 12, 29),
        D(2026, 12, 30),
        D(2026, 12, 31),
        D(2027, 1, 4),
    ]


def test_epiphany_is_skipped() -> None:
    # Monday 4 January 2027: Wednesday 6 January is Epiphany
    assert dates(D(2027, 1, 4), [1, 2, 3, 4]) == [
        D(2027, 1, 4),
        D(2027, 1, 5),
        D(2027, 1, 7),
        D(2027, 1, 8),
    ]


def test_midsummer_eve_is_skipped() -> None:
    # Monday 21 June 2027: Friday 25 June is Midsummer Eve, Saturday 26 Midsummer Day
    assert dates(D(2027, 6, 21), [4, 5]) == [D(2027, 6, 24), D(2027, 6, 28)]
    # 2026: Midsummer Eve is Friday 19 June
    assert dates(D(2026, 6, 15), [5, 6]) == [D(2026, 6, 22), D(2026, 6, 23)]


def test_negative_days_count_back_in_working_days_from_day_one() -> None:
    # day -1 is the working day before day 1; -5 crosses Epiphany and New Year's Day
    assert dates(D(2027, 1, 11), [-1, -2, -3, -4, -5, -6]) == [
        D(2027, 1, 8),
        D(2027, 1, 7),
        D(2027, 1, 5),
        D(2027, 1, 4),
        D(2026, 12, 31),
        D(2026, 12, 30),
    ]
    # from a Saturday start, day 1 is Monday and day -1 the Friday before it
    assert dates(D(2027, 9, 4), [-1])[0] == D(2027, 9, 3)


def test_calendar_days_when_workdays_only_is_off() -> None:
    assert dates(D(2026, 12, 21), [1, 4, 5, 12, -1], workdays_only=False) == [
        D(2026, 12, 21),
        D(2026, 12, 24),
        D(2026, 12, 25),
        D(2027, 1, 1),
        D(2026, 12, 20),
    ]
    assert dates(D(2027, 9, 4), [1], workdays_only=False)[0] == D(2027, 9, 4)


def test_other_countries_and_lowercase_codes() -> None:
    # Sweden's National Day, Tuesday 6 June 2028
    assert dates(D(2028, 6, 5), [2], country="se")[0] == D(2028, 6, 7)
    # Germany has no holiday on Epiphany nationally
    assert dates(D(2027, 1, 4), [3], country="DE")[0] == D(2027, 1, 6)


def test_day_zero_does_not_exist() -> None:
    with pytest.raises(ValueError, match="day 0"):
        WorkingDays(D(2027, 1, 11)).date_of(0)


def test_country_and_time_zone_names() -> None:
    assert valid_country("FI") and valid_country("fi") and valid_country("SE")
    assert not valid_country("XX") and not valid_country("")
    assert valid_timezone("Europe/Helsinki") and valid_timezone("UTC")
    assert not valid_timezone("Europe/Helsinky") and not valid_timezone("../etc/passwd")


# --- cohorts ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ryhmat() -> tuple[Programme, Plan]:
    curriculum, report = check(FIXTURES / "cohorts")
    assert not report.items, [str(d) for d in report.items]
    programme = curriculum.programmes["ryhmat"]
    return programme, Plan(programme, curriculum)


def test_the_start_date_and_every_cohort_are_runs(ryhmat: tuple[Programme, Plan]) -> None:
    programme, plan = ryhmat
    assert [(r.key, r.title, r.start_date) for r in plan.runs] == [
        (OWN_RUN, "Ryhmien perehdytys", D(2026, 12, 21)),
        ("kevat", "Kevään ryhmä", D(2027, 6, 21)),
        ("syksy", "Syksyn ryhmä", D(2027, 9, 6)),  # starts on a Saturday
    ]
    without_start = programme.model_copy(update={"start_date": None})
    assert [r.key for r in Plan(without_start, plan.curriculum).runs] == ["kevat", "syksy"]
    undated = without_start.model_copy(update={"cohorts": []})
    assert Plan(undated, plan.curriculum).runs == [] and calendar_paths(undated) == {}


def test_each_run_has_its_own_dates(ryhmat: tuple[Programme, Plan]) -> None:
    _programme, plan = ryhmat
    by_run = {run.key: {d.session.id: d.date for d in plan.dated(run)} for run in plan.runs}
    assert by_run[OWN_RUN]["omaopiskelu"] == D(2026, 12, 28)  # day 4 after Christmas
    assert by_run[OWN_RUN]["mentorointi"] == D(2027, 1, 7)  # day 10 after Epiphany
    assert by_run[OWN_RUN]["ennakko"] == D(2026, 12, 17)  # day -2
    assert by_run["kevat"]["mentorointi"] == D(2027, 7, 5)  # over Midsummer
    assert by_run["syksy"]["aloitus"] == D(2027, 9, 6)


def test_clock_times_are_in_the_programme_time_zone(ryhmat: tuple[Programme, Plan]) -> None:
    _programme, plan = ryhmat
    winter = {d.session.id: d for d in plan.dated(plan.runs[0])}["aloitus"]
    summer = {d.session.id: d for d in plan.dated(plan.runs[1])}["aloitus"]
    assert winter.start is not None and winter.end is not None
    assert winter.start.utcoffset() == dt.timedelta(hours=2)
    assert summer.start is not None and summer.start.utcoffset() == dt.timedelta(hours=3)
    assert (winter.start.hour, winter.end.hour) == (9, 11)  # 30 + 15 + 75 minutes
    omaopiskelu = {d.session.id: d for d in plan.dated(plan.runs[0])}["omaopiskelu"]
    assert omaopiskelu.all_day and omaopiskelu.start is None


def test_cohort_location_and_facilitator_override(ryhmat: tuple[Programme, Plan]) -> None:
    _programme, plan = ryhmat
    own, kevat, syksy = ({d.session.id: d for d in plan.dated(r)} for r in plan.runs)
    # a session's own place always wins
    assert kevat["aloitus"].location == syksy["aloitus"].location == "Helsingin toimisto"
    assert own["aloitus"].location == "Helsingin toimisto"
    assert kevat["etapaiva"].location == "Teams"
    # the cohort's place fills in where an in-person session has none
    assert kevat["mentorointi"].location == "Tampereen toimisto"
    assert own["mentorointi"].location is None
    # self-study has no place to fill in
    assert kevat["omaopiskelu"].location is None
    assert kevat["aloitus"].facilitator_name == "Liisa Virtanen"
    assert kevat["omaopiskelu"].facilitator_name is None  # no facilitator to replace
    assert own["aloitus"].facilitator_name is None


def test_tasks_are_dated_per_run(ryhmat: tuple[Programme, Plan]) -> None:
    _programme, plan = ryhmat
    tasks = plan.tasks(plan.runs[0])
    assert [(t.task.role, t.date) for t in tasks] == [
        ("hr", D(2026, 12, 14)),
        ("mentori", D(2026, 12, 21)),
        ("uusi", D(2027, 1, 4)),
    ]
    assert [t.date for t in plan.tasks(plan.runs[2], "hr")] == [D(2027, 8, 30)]


def test_calendar_files_of_a_programme(ryhmat: tuple[Programme, Plan]) -> None:
    programme, _plan = ryhmat
    assert sorted(calendar_paths(programme)) == [
        "calendars/ryhmat-hr.ics",
        "calendars/ryhmat-kevat-hr.ics",
        "calendars/ryhmat-kevat-mentori.ics",
        "calendars/ryhmat-kevat-uusi.ics",
        "calendars/ryhmat-kevat.ics",
        "calendars/ryhmat-mentori.ics",
        "calendars/ryhmat-syksy-hr.ics",
        "calendars/ryhmat-syksy-mentori.ics",
        "calendars/ryhmat-syksy-uusi.ics",
        "calendars/ryhmat-syksy.ics",
        "calendars/ryhmat-uusi.ics",
        "calendars/ryhmat.ics",
    ]


def test_the_schema_knows_cohorts_time_zone_and_session_roles() -> None:
    schema = json_schema()
    text = str(schema)
    for key in ("cohorts", "timezone", "holidays", "workdays_only"):
        assert f"'{key}'" in text
    definitions = schema.get("$defs", {})
    assert set(definitions["Cohort"]["properties"]) >= {
        "id",
        "title",
        "start_date",
        "location",
        "facilitator",
    }
    assert "roles" in definitions["Session"]["properties"]


# --- validation -------------------------------------------------------------------------------


def test_unknown_holidays_country_is_a_located_error(basic_project: Path) -> None:
    edit(basic_project, PROGRAMME, START, START + "holidays: Suomi\n")
    line = line_of(basic_project, PROGRAMME, "holidays:")
    [message] = problems(basic_project)
    assert message.startswith(
        f"{PROGRAMME}:{line}:11: error: 'Suomi' is not a country code with known public "
        "holidays; write a two-letter code such as FI, SE or DE"
    )


def test_lowercase_holidays_country_is_accepted(basic_project: Path) -> None:
    edit(basic_project, PROGRAMME, START, START + "holidays: fi\n")
    assert problems(basic_project) == []


def test_unknown_time_zone_is_a_located_error(basic_project: Path) -> None:
    edit(
        basic_project,
        PROGRAMME,
        "start_date: 2027-01-11\n",
        "start_date: 2027-01-11\ntimezone: Europe/Helsinky\n",
    )
    line = line_of(basic_project, PROGRAMME, "timezone:")
    assert problems(basic_project) == [
        f"{PROGRAMME}:{line}:11: error: 'Europe/Helsinky' is not a time zone; write an IANA "
        "time zone name such as Europe/Helsinki; did you mean 'Europe/Helsinki'? (P402)"
    ]


@pytest.fixture
def cohorts_project(tmp_path: Path) -> Path:
    from conftest import copy_fixture

    return copy_fixture("cohorts", tmp_path)


def test_cohort_needs_id_title_and_start_date(cohorts_project: Path) -> None:
    edit(cohorts_project, RYHMAT, "    start_date: 2027-09-04\n", "")
    [message] = problems(cohorts_project)
    line = line_of(cohorts_project, RYHMAT, "- id: syksy")
    assert message.startswith(f"{RYHMAT}:{line}:")
    assert "start_date" in message


def test_cohort_id_that_is_a_role_id_is_an_error(cohorts_project: Path) -> None:
    edit(cohorts_project, RYHMAT, "  - id: syksy\n", "  - id: hr\n")
    line = line_of(cohorts_project, RYHMAT, "  - id: hr", 1)
    assert problems(cohorts_project) == [
        f"{RYHMAT}:{line}:9: error: cohort id 'hr' is also a role id, and both would get the "
        "calendar calendars/ryhmat-hr.ics; rename the cohort (P404)"
    ]


def test_duplicate_cohort_ids(cohorts_project: Path) -> None:
    edit(cohorts_project, RYHMAT, "  - id: syksy\n", "  - id: kevat\n")
    line = line_of(cohorts_project, RYHMAT, "  - id: kevat", 2)
    assert problems(cohorts_project) == [
        f"{RYHMAT}:{line}:9: error: cohort id 'kevat' is used twice; give each cohort its own id "
        "(P701)"
    ]


def test_session_roles_must_be_roles(cohorts_project: Path) -> None:
    edit(cohorts_project, RYHMAT, "roles: [uusi, hr]", "roles: [uusi, hrr]")
    line = line_of(cohorts_project, RYHMAT, "roles: [uusi, hrr]")
    assert problems(cohorts_project) == [
        f"{RYHMAT}:{line}:23: error: role 'hrr' is not a role of this programme; "
        "did you mean 'hr'? (P109)"
    ]


def test_two_programmes_must_not_write_the_same_calendar(cohorts_project: Path) -> None:
    # programme "ryhmat-kevat" would write calendars/ryhmat-kevat.ics, like the cohort
    source = (cohorts_project / RYHMAT).read_text("utf-8")
    other = source.replace("id: ryhmat\n", "id: ryhmat-kevat\n", 1)
    other = other.split("cohorts:")[0] + "roles:" + other.split("\nroles:", 1)[1]
    (cohorts_project / "curriculum/programmes/ryhmat-kevat.yml").write_text(other, "utf-8")
    found = problems(cohorts_project)
    assert len(found) == 1, found
    assert "already writes calendars/ryhmat-kevat.ics" in found[0]


def test_duplicate_task_ids(cohorts_project: Path) -> None:
    edit(
        cohorts_project,
        RYHMAT,
        "  - role: mentori\n",
        "  - id: tervetuloviesti\n    role: mentori\n",
    )
    line = line_of(cohorts_project, RYHMAT, "id: tervetuloviesti", 2)
    assert problems(cohorts_project) == [
        f"{RYHMAT}:{line}:9: error: task id 'tervetuloviesti' is used twice; "
        "give each task its own id (P701)"
    ]

"""Calendar files of real builds, parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import CohortSites
from icalendar import Calendar
from polku.paths import SiteUrls

HELSINKI = ZoneInfo("Europe/Helsinki")
SITE = "https://koulutus.example.fi/perehdytys/"
CALENDARS = [
    "ryhmat.ics",
    "ryhmat-kevat.ics",
    "ryhmat-syksy.ics",
    "ryhmat-uusi.ics",
    "ryhmat-mentori.ics",
    "ryhmat-hr.ics",
]


def load(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events(calendar: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def todos(calendar: Calendar) -> dict[str, object]:
    return {str(t["UID"]): t for t in calendar.walk("VTODO")}


def by_summary(calendar: Calendar) -> dict[str, object]:
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture(scope="module")
def calendars(cohort_sites: CohortSites) -> dict[str, Calendar]:
    folder = cohort_sites.site / "calendars"
    return {path.name: load(path) for path in folder.glob("*.ics")}


def test_one_calendar_per_start_cohort_and_role(calendars: dict[str, Calendar]) -> None:
    assert sorted(calendars) == sorted(CALENDARS)


def test_the_programme_calendar_of_the_contract(basic_site: Path) -> None:
    # calendars/<programme-id>.ics when start_date is set
    calendar = load(basic_site / "calendars" / "perehdytys.ics")
    assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} == {"Aloituspäivä", "Etätehtävä"}


def test_calendars_are_valid_icalendar(cohort_sites: CohortSites) -> None:
    for name in CALENDARS:
        raw = (cohort_sites.site / "calendars" / name).read_bytes()
        # CRLF line ends, lines folded at 75 octets (RFC 5545 3.1)
        lines = raw.split(b"\r\n")
        assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
        assert max(len(line) for line in lines) <= 75
        calendar = load(cohort_sites.site / "calendars" / name)
        assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
        assert calendar["METHOD"] == "PUBLISH"
        for component in [*calendar.walk("VEVENT"), *calendar.walk("VTODO")]:
            for required in ("UID", "DTSTAMP", "SUMMARY"):
                assert required in component, (name, required)


def test_every_calendar_carries_its_time_zone(calendars: dict[str, Calendar]) -> None:
    for name, calendar in calendars.items():
        zones = calendar.walk("VTIMEZONE")
        assert [str(z["TZID"]) for z in zones] == ["Europe/Helsinki"], name
        # one transition per RDATE line: ical.js (Thunderbird, Nextcloud) reads only the
        # first value of a comma-separated list and then puts summer times an hour off
        for part in zones[0].subcomponents:
            found = part.get("RDATE")
            for entry in found if isinstance(found, list) else [found] if found else []:
                assert len(entry.dts) == 1, name


def test_sessions_with_a_start_time_are_in_the_programme_time_zone(
    calendars: dict[str, Calendar],
) -> None:
    programme = by_summary(calendars["ryhmat.ics"])
    start = programme["Aloituspäivä"].decoded("DTSTART")
    end = programme["Aloituspäivä"].decoded("DTEND")
    assert start == dt.datetime(2026, 12, 21, 9, 0, tzinfo=HELSINKI)
    assert end == dt.datetime(2026, 12, 21, 11, 0, tzinfo=HELSINKI)
    assert programme["Aloituspäivä"]["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert start.utcoffset() == dt.timedelta(hours=2)
    summer = by_summary(calendars["ryhmat-kevat.ics"])["Aloituspäivä"].decoded("DTSTART")
    assert summer == dt.datetime(2027, 6, 21, 9, 0, tzinfo=HELSINKI)
    assert summer.astimezone(dt.UTC).hour == 6  # EEST, UTC+3
    # day 10 of the December run falls after Christmas, New Year and Epiphany
    mentoring = programme["Mentorointikeskustelu"]
    assert mentoring.decoded("DTSTART") == dt.datetime(2027, 1, 7, 10, 0, tzinfo=HELSINKI)


def test_sessions_without_a_start_time_are_all_day(calendars: dict[str, Calendar]) -> None:
    programme = by_summary(calendars["ryhmat.ics"])
    study = programme["Oma opiskelu"]
    assert study.decoded("DTSTART") == dt.date(2026, 12, 28)  # day 4, after Christmas
    assert study.decoded("DTEND") == dt.date(2026, 12, 29)
    assert study["DTSTART"].params["VALUE"] == "DATE"
    assert str(study["TRANSP"]) == "TRANSPARENT"
    # day -2: two working days before day 1
    assert programme["Ennakkotehtävä"].decoded("DTSTART") == dt.date(2026, 12, 17)


def test_summary_location_and_description(calendars: dict[str, Calendar]) -> None:
    event = by_summary(calendars["ryhmat.ics"])["Aloituspäivä"]
    assert str(event["LOCATION"]) == "Helsingin toimisto"
    description = str(event["DESCRIPTION"])
    assert "09:00–09:30 Tervetuloa (30 min)" in description
    assert "09:45–11:00 Talon kierros (1 h 15 min)" in description
    assert "Vetäjä: Mentori" in description
    link = f"{SITE}programmes/ryhmat/#session-aloitus"
    assert description.endswith(link)
    assert str(event["URL"]) == link


def test_a_cohort_has_its_own_place_and_facilitator(calendars: dict[str, Calendar]) -> None:
    spring = by_summary(calendars["ryhmat-kevat.ics"])
    assert str(spring["Aloituspäivä"]["LOCATION"]) == "Helsingin toimisto"  # its own place
    assert str(spring["Etäpäivä"]["LOCATION"]) == "Teams"
    # a mentoring talk with no place of its own meets where the cohort meets
    assert str(spring["Mentorointikeskustelu"]["LOCATION"]) == "Tampereen toimisto"
    assert "Vetäjä: Liisa Virtanen (Mentori)" in str(spring["Aloituspäivä"]["DESCRIPTION"])
    assert str(calendars["ryhmat-kevat.ics"]["X-WR-CALNAME"]) == (
        "Ryhmien perehdytys – Kevään ryhmä"
    )


def test_without_site_url_the_link_is_site_relative(basic_site: Path) -> None:
    calendar = load(basic_site / "calendars" / "perehdytys.ics")
    event = by_summary(calendar)["Aloituspäivä"]
    assert str(event["DESCRIPTION"]).endswith("\nprogrammes/perehdytys/#session-aloitus")
    assert "URL" not in event


def test_checklist_tasks_are_todos_with_due_dates(calendars: dict[str, Calendar]) -> None:
    tasks = {str(t["SUMMARY"]): t for t in calendars["ryhmat.ics"].walk("VTODO")}
    assert {name: t.decoded("DUE") for name, t in tasks.items()} == {
        "Lähetä tervetuloviesti.": dt.date(2026, 12, 14),  # day -5
        "Esittele työyhteisö.": dt.date(2026, 12, 21),
        "Valmistele kysymykset mentorille.": dt.date(2027, 1, 4),  # day 8, after New Year
    }
    for task in tasks.values():
        assert str(task["STATUS"]) == "NEEDS-ACTION"
    spring = {
        str(t["SUMMARY"]): t.decoded("DUE") for t in calendars["ryhmat-kevat.ics"].walk("VTODO")
    }
    assert spring["Valmistele kysymykset mentorille."] == dt.date(2027, 7, 1)  # over Midsummer


def test_role_calendars_hold_what_concerns_the_role(calendars: dict[str, Calendar]) -> None:
    def summaries(name: str, kind: str = "VEVENT") -> list[str]:
        return sorted(str(c["SUMMARY"]) for c in calendars[name].walk(kind))

    # HR takes part only in the first day; three runs
    assert summaries("ryhmat-hr.ics") == [
        "Aloituspäivä",
        "Aloituspäivä (Kevään ryhmä)",
        "Aloituspäivä (Syksyn ryhmä)",
    ]
    assert len(summaries("ryhmat-hr.ics", "VTODO")) == 3
    # the mentor facilitates three sessions in each run, and is not at the others
    mentor = summaries("ryhmat-mentori.ics")
    assert len(mentor) == 9 and not any("Oma opiskelu" in s for s in mentor)
    assert summaries("ryhmat-mentori.ics", "VTODO") == [
        "Esittele työyhteisö.",
        "Esittele työyhteisö. (Kevään ryhmä)",
        "Esittele työyhteisö. (Syksyn ryhmä)",
    ]
    # the newcomer is at every session
    assert len(summaries("ryhmat-uusi.ics")) == 15


def test_uids_are_unique_and_shared_between_files(calendars: dict[str, Calendar]) -> None:
    for name, calendar in calendars.items():
        uids = [str(c["UID"]) for c in [*calendar.walk("VEVENT"), *calendar.walk("VTODO")]]
        assert len(uids) == len(set(uids)), name
    # the same session of the same run is the same event in every file
    assert set(events(calendars["ryhmat-hr.ics"])) <= (
        set(events(calendars["ryhmat.ics"]))
        | set(events(calendars["ryhmat-kevat.ics"]))
        | set(events(calendars["ryhmat-syksy.ics"]))
    )
    # runs do not share events
    assert not set(events(calendars["ryhmat-kevat.ics"])) & set(events(calendars["ryhmat.ics"]))


def test_uids_stay_the_same_from_build_to_build(cohort_sites: CohortSites) -> None:
    for name in CALENDARS:
        first = load(cohort_sites.site / "calendars" / name)
        second = load(cohort_sites.again / "calendars" / name)
        assert set(events(first)) == set(events(second)), name
        assert set(todos(first)) == set(todos(second)), name
        assert set(events(first)) and all("@koulutus.example.fi" in u for u in events(first))


def test_a_task_id_keeps_its_uid_when_the_task_is_reworded() -> None:
    from conftest import FIXTURES
    from polku.check import check
    from polku.render.calendar import CalendarWriter

    curriculum, _report = check(FIXTURES / "cohorts")
    programme = curriculum.programmes["ryhmat"]
    before = todos(Calendar.from_ical(CalendarWriter(curriculum).files()["calendars/ryhmat.ics"]))
    programme.checklist[0].task = "Lähetä tervetuloviesti ja ohjeet."
    programme.checklist[1].task = "Esittele koko työyhteisö."
    after = todos(Calendar.from_ical(CalendarWriter(curriculum).files()["calendars/ryhmat.ics"]))
    kept = set(before) & set(after)
    assert [u for u in kept if u.startswith("task.tervetuloviesti.")]  # has an id: kept
    assert len(kept) == 2  # the task without an id is a new to-do


def test_programme_page_links_the_calendars(cohort_sites: CohortSites) -> None:
    page = (cohort_sites.site / "programmes/ryhmat/index.html").read_text("utf-8")
    for name in CALENDARS:
        assert f'href="../../calendars/{name}"' in page, name
    assert 'href="webcal://koulutus.example.fi/perehdytys/calendars/ryhmat.ics"' in page
    assert 'href="cohorts/kevat/"' in page and 'href="cohorts/syksy/"' in page
    cohort = (cohort_sites.site / "programmes/ryhmat/cohorts/kevat/index.html").read_text("utf-8")
    assert 'href="../../../../calendars/ryhmat-kevat.ics"' in cohort
    assert "webcal://koulutus.example.fi/perehdytys/calendars/ryhmat-kevat.ics" in cohort


def test_site_urls_follow_use_directory_urls() -> None:
    pretty = SiteUrls(SITE, True)
    plain = SiteUrls(None, False)
    assert pretty.page("programmes/x/index.md", "session-a") == f"{SITE}programmes/x/#session-a"
    assert pretty.page("programmes/x/cohorts/c.md") == f"{SITE}programmes/x/cohorts/c/"
    assert plain.page("programmes/x/index.md") == "programmes/x/index.html"
    assert plain.page("programmes/x/cohorts/c.md") == "programmes/x/cohorts/c.html"
    assert pretty.subscribe("calendars/x.ics") == (
        "webcal://koulutus.example.fi/perehdytys/calendars/x.ics"
    )
    assert plain.subscribe("calendars/x.ics") is None
    assert re.fullmatch(r"[a-z.]+", pretty.uid_domain)

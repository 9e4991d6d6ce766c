"""polku packs: a welcome pack per new hire, from a checked people file."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import vobject
from bad_people import CASES, Case
from bench import packs as bench_packs
from conftest import FIXTURES, run_polku
from icalendar import Calendar
from polku.check import check
from polku.diagnostics import Report
from polku.packs.people import PeopleReader, parse_date, person_key
from polku.packs.write import MARKER as PACKS_MARKER
from pypdf import PdfReader

PEOPLE = """\
name,programme,start_date,mentor,location,email,cohort,language
Anna Virtanen,ryhmat,2027-01-04,Liisa Virtanen,Helsingin toimisto,anna@example.fi,,
Åsa Äijälä-Öhman,ryhmat,19.6.2027,Pekka Mäki,,asa@example.fi,,
Jörg Ümit Ek,ryhmat,,,,,syksy,en
"""


@dataclass(frozen=True)
class Packs:
    project: Path
    out: Path
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Packs:
    base = tmp_path_factory.mktemp("packs")
    project = base / "cohorts"
    shutil.copytree(FIXTURES / "cohorts", project)
    people = base / "people.csv"
    people.write_text(PEOPLE, "utf-8")
    result = run_polku("packs", "--root", project, "--people", people, "--out", base / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    return Packs(project, base / "out", result.stdout, result.stderr)


def text_of(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())


def test_a_folder_per_person_with_a_letter_and_a_calendar(packs: Packs) -> None:
    folders = sorted(p.name for p in packs.out.iterdir() if p.name != PACKS_MARKER)
    assert folders == ["anna-virtanen", "asa-aijala-ohman", "jorg-umit-ek", "packs.csv"]
    assert (packs.out / PACKS_MARKER).is_file()  # the folder is polku's own
    for key in folders[:-1]:
        assert sorted(p.name for p in (packs.out / key).iterdir()) == [f"{key}.ics", f"{key}.pdf"]
    manifest = (packs.out / "packs.csv").read_text("utf-8").splitlines()
    assert manifest == [
        "name,email,programme,first_day,pdf,calendar",
        "Anna Virtanen,anna@example.fi,ryhmat,2027-01-04,"
        "anna-virtanen/anna-virtanen.pdf,anna-virtanen/anna-virtanen.ics",
        "Åsa Äijälä-Öhman,asa@example.fi,ryhmat,2027-06-21,"
        "asa-aijala-ohman/asa-aijala-ohman.pdf,asa-aijala-ohman/asa-aijala-ohman.ics",
        "Jörg Ümit Ek,,ryhmat,2027-09-06,"
        "jorg-umit-ek/jorg-umit-ek.pdf,jorg-umit-ek/jorg-umit-ek.ics",
    ]
    # a start on a Saturday is said, and the packs are written all the same
    assert packs.stdout.splitlines()[0].endswith(
        "people.csv:3:25: warning: 2027-06-19 is not a working day; the person's first day "
        "is Monday 2027-06-21"
    )
    assert "wrote 3 welcome packs" in packs.stderr


def test_the_letter_has_the_persons_own_dates_place_and_mentor(packs: Packs) -> None:
    pdf = packs.out / "asa-aijala-ohman/asa-aijala-ohman.pdf"
    reader = PdfReader(pdf)
    assert reader.metadata is not None and reader.metadata.title == (
        "Ryhmien perehdytys – Åsa Äijälä-Öhman"
    )
    text = text_of(pdf)
    assert "Tervetuloa, Åsa Äijälä-Öhman!" in text
    assert "Ensimmäinen päivä ma 21.6.2027 klo 09:00" in text
    assert "Paikka Helsingin toimisto" in text  # the first day's own place
    assert "Mentori Pekka Mäki" in text
    assert "Ennen ensimmäistä päivää" in text and "to 17.6.2027 Ennakkotehtävä" in text
    # the dated schedule with clock times, over Midsummer
    for row in (
        "ma 21.6.2027 09:00–11:00 Aloituspäivä",
        "ke 23.6.2027 13:00–15:00 Etäpäivä",
        "to 24.6.2027 Omaan tahtiin Oma opiskelu",
        "ma 5.7.2027 10:00–11:00 Mentorointikeskustelu",
    ):
        assert row in text, row
    # the newcomer's own task, dated; not the tasks of HR or the mentor
    assert "to 1.7.2027 Valmistele kysymykset mentorille." in text
    assert "Lähetä tervetuloviesti." not in text
    assert "https://koulutus.example.fi/perehdytys/programmes/ryhmat/" in text


def test_a_cohort_member_and_a_letter_in_english(packs: Packs) -> None:
    text = text_of(packs.out / "jorg-umit-ek/jorg-umit-ek.pdf")
    assert "Welcome, Jörg Ümit Ek!" in text
    assert "First day Mon 6 Sep 2027 at 09:00" in text
    assert "Mon 6 Sep 2027 09:00–11:00 Aloituspäivä Contact session Helsingin toimisto" in text
    assert "Group Syksyn ryhmä" in text
    assert "https://koulutus.example.fi/perehdytys/programmes/ryhmat/cohorts/syksy/" in text
    # the person's own place fills in an in-person session without one; a cohort's too
    anna = text_of(packs.out / "anna-virtanen/anna-virtanen.pdf")
    assert "Mentorointikeskustelu Mentorointi Helsingin toimisto" in anna


@pytest.mark.parametrize(
    ("key", "first_day"),
    [
        ("anna-virtanen", dt.date(2027, 1, 4)),
        ("asa-aijala-ohman", dt.date(2027, 6, 21)),  # written as a Saturday
        ("jorg-umit-ek", dt.date(2027, 9, 6)),  # the cohort's start, a Saturday
    ],
)
def test_the_calendar_starts_on_the_first_working_day(
    packs: Packs, key: str, first_day: dt.date
) -> None:
    raw = (packs.out / key / f"{key}.ics").read_bytes()
    calendar = Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")

    def day(event: object) -> dt.date:
        start = event.decoded("DTSTART")  # type: ignore[attr-defined]
        return start.date() if isinstance(start, dt.datetime) else start

    first = min(events, key=lambda e: (day(e), str(e.decoded("DTSTART"))))
    assert day(first) == first_day
    assert str(first["SUMMARY"]) == "Aloituspäivä"
    assert all(day(e) >= first_day for e in events)
    assert all(f".person.{key}.ryhmat@koulutus.example.fi" in str(e["UID"]) for e in events)
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "Valmistele kysymykset mentorille." in summaries  # the deadline, as an event
    assert "Ennakkotehtävä" not in summaries  # before the first day: in the letter only
    [second] = list(vobject.readComponents(raw.decode("utf-8"), validate=True))
    assert len([c for c in second.components() if c.name == "VEVENT"]) == len(events)


def test_people_data_stays_in_the_packs_folder(packs: Packs) -> None:
    names = ("Äijälä".encode(), "Ümit".encode(), b"anna@example.fi", b"aijala")
    for path in packs.project.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(name in data for name in names), path
            assert "aijala" not in path.name
    leftovers = [p.name for p in packs.out.iterdir() if p.name.startswith(".")]
    assert leftovers == [PACKS_MARKER]  # the private work folder is gone


def test_a_broken_file_writes_nothing(tmp_path: Path) -> None:
    project = tmp_path / "cohorts"
    shutil.copytree(FIXTURES / "cohorts", project)
    people = tmp_path / "people.csv"
    case = next(c for c in CASES if c.name == "every-problem-of-a-file")
    people.write_text(str(case.text), "utf-8")
    out = tmp_path / "out"
    result = run_polku("packs", "--root", project, "--people", people, "--out", out)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:-1] == [line.replace("people.csv", str(people)) for line in case.expected]
    assert lines[-1] == "polku: 7 errors found"
    assert "no welcome pack was written" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not out.exists()


def test_packs_are_never_written_into_the_site(tmp_path: Path) -> None:
    project = tmp_path / "cohorts"
    shutil.copytree(FIXTURES / "cohorts", project)
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, "utf-8")
    for inside in ("site/packs", "docs", "curriculum/packs", ".cache/polku/packs", "."):
        result = run_polku(
            "packs", "--root", project, "--people", people, "--out", project / inside
        )
        assert result.returncode == 2, inside
        assert "welcome packs hold people's data and must not be published" in result.stderr
    assert not (project / "site").exists()


def test_a_second_run_replaces_a_persons_pack_and_keeps_the_others(
    packs: Packs, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(packs.out, out)
    people = tmp_path / "people.csv"
    people.write_text("name,programme,start_date\nAnna Virtanen,ryhmat,2027-02-01\n", "utf-8")
    before = (out / "asa-aijala-ohman/asa-aijala-ohman.pdf").read_bytes()
    result = run_polku("packs", "--root", packs.project, "--people", people, "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ma 1.2.2027" in text_of(out / "anna-virtanen/anna-virtanen.pdf")
    assert (out / "asa-aijala-ohman/asa-aijala-ohman.pdf").read_bytes() == before
    assert len((out / "packs.csv").read_text("utf-8").splitlines()) == 2


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def test_a_folder_of_someone_elses_files_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    """polku writes only into a folder of its own: a user's folder that holds a letter
    and a packs.csv of their own (and a folder of a person's name) is not replaced."""
    project = tmp_path / "cohorts"
    shutil.copytree(FIXTURES / "cohorts", project)
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, "utf-8")
    mine = tmp_path / "omat"
    (mine / "anna-virtanen").mkdir(parents=True)
    (mine / "anna-virtanen/anna-virtanen.pdf").write_bytes(b"Annan oma kirje")
    (mine / "kirje.docx").write_bytes("Hyvä Anna, tervetuloa!".encode())
    (mine / "packs.csv").write_text("nimi,osoite\nAnna,anna@example.fi\n", "utf-8")
    before = _snapshot(mine)
    for out in (mine, project / "packs"):
        if out != mine:  # the default folder, when the project has a packs/ of its own
            shutil.copytree(mine, out)
        args = ["--out", out] if out == mine else []
        result = run_polku("packs", "--root", project, "--people", people, *args)
        assert result.returncode == 2, result.stdout + result.stderr
        assert result.stderr.startswith(f"polku: error: {out.resolve()}: this folder is not empty")
        assert "polku did not write it" in result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert _snapshot(out) == before


def test_a_home_folder_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "cohorts"
    shutil.copytree(FIXTURES / "cohorts", project)
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, "utf-8")
    result = run_polku("packs", "--root", project, "--people", people, "--out", Path.home())
    assert result.returncode == 2
    assert "polku does not write welcome packs into this folder" in result.stderr


def test_a_folder_from_an_earlier_run_is_written_again(packs: Packs, tmp_path: Path) -> None:
    """Marked by the run that wrote it, or (from before the marker) recognised by its
    packs.csv and people's folders; an empty folder is fine too."""
    people = tmp_path / "people.csv"
    people.write_text("name,programme,start_date\nAnna Virtanen,ryhmat,2027-02-01\n", "utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    unmarked = tmp_path / "unmarked"
    shutil.copytree(packs.out, unmarked)
    (unmarked / PACKS_MARKER).unlink()
    for out in (empty, unmarked):
        result = run_polku("packs", "--root", packs.project, "--people", people, "--out", out)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "ma 1.2.2027" in text_of(out / "anna-virtanen/anna-virtanen.pdf")
        assert (out / PACKS_MARKER).is_file()
    # a site folder is not a packs folder, nor a packs folder a site folder
    site = tmp_path / "site"
    site.mkdir()
    (site / ".polku-site").write_text("polku\n")
    (site / "index.html").write_text("<p>sivusto</p>")
    result = run_polku("packs", "--root", packs.project, "--people", people, "--out", site)
    assert result.returncode == 2 and "not empty" in result.stderr
    result = run_polku("build", "--root", packs.project, "--no-pdf", "--site-dir", unmarked)
    assert result.returncode == 2 and "not empty" in result.stderr
    assert (unmarked / "packs.csv").is_file()


# --- the people file -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def curriculum():  # type: ignore[no-untyped-def]
    found, report = check(FIXTURES / "cohorts")
    assert not report.errors
    return found


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_people_file(case: Case, tmp_path: Path, curriculum) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "people.csv"
    if isinstance(case.text, bytes):
        path.write_bytes(case.text)
    else:
        path.write_text(case.text, "utf-8", newline="")
    report = Report()
    PeopleReader(curriculum, report, "people.csv").read(path)
    assert [str(d) for d in report.sorted()] == list(case.expected)


def test_the_corpus_covers_every_check() -> None:
    assert len(CASES) >= 25
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Anna Virtanen", "anna-virtanen"),
        ("Äijälä-Öhman, Åsa", "aijala-ohman-asa"),
        ("Jörg Ümit Ek", "jorg-umit-ek"),
        ("Straße", "strasse"),
        ("Ἀθηνᾶ", ""),  # no ASCII letters: the row's line names the folder instead
    ],
)
def test_a_persons_folder_name(name: str, key: str) -> None:
    assert person_key(name) == key


def test_the_packs_benchmark_runs_on_a_tiny_size(tmp_path: Path) -> None:
    """tools/bench/packs.py, as ``make bench`` would run it, for three people."""
    figures = bench_packs.measure(FIXTURES / "cohorts", 3, tmp_path)
    assert figures["people"] == 3 and figures["pages"] >= 3
    assert figures["programmes"] == ["ryhmat"]
    assert figures["processor_seconds"] > 0
    assert "polku packs: 3 people" in bench_packs.summary(figures)


def test_a_start_date_is_written_as_in_the_format_or_the_finnish_way() -> None:
    assert parse_date("2027-08-16") == parse_date("16.8.2027") == dt.date(2027, 8, 16)
    for other in ("20270816", "2027-W33-1", "2027-228", "31.2.2027", "16/8/2027"):
        assert parse_date(other) is None

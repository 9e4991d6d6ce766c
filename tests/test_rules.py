"""The registry of rules: stable codes, their documentation, and rules run in-process."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from bad_inputs import CASES
from conftest import REPO
from helpers import edit, line_of, problems
from polku import fields, reference
from polku import model as m
from polku.curriculum import Curriculum, SourceMap
from polku.diagnostics import Diagnostic, Report, Severity
from polku.rules import GROUPS, RULES, validate
from polku.rules.ids import reserved_names
from polku.rules.registry import rule
from polku.schema import json_schema

CODE = re.compile(r" \((P\d{3})\)$")


# --- the registry and its documentation -------------------------------------------------------


def test_codes_are_well_formed_grouped_and_registered_once() -> None:
    assert len(RULES) >= 30
    for code, registered in RULES.items():
        assert re.fullmatch(r"P\d{3}", code) and registered.code == code
        assert registered.group in GROUPS
        assert registered.title and "\n" not in registered.title
        assert len(registered.explanation) > 60, code  # says what to do, not just what
    with pytest.raises(ValueError, match="registered twice"):
        rule("P101", Severity.ERROR, "again", "again")(lambda context: [])
    with pytest.raises(ValueError, match="known group"):
        rule("P901", Severity.ERROR, "no group", "none")(lambda context: [])


def test_every_code_is_documented_in_checks_md() -> None:
    page = (REPO / "docs/reference/checks.md").read_text("utf-8")
    for code, registered in RULES.items():
        assert f"\n### {code}\n" in page, code
        assert f"**{registered.title}** ({registered.severity.value})" in page


def test_every_code_has_a_case_in_the_corpus() -> None:
    used = {
        match.group(1) for case in CASES for line in case.expected if (match := CODE.search(line))
    }
    assert set(RULES) - used == set()
    assert used - set(RULES) == set()


def test_the_corpus_severities_are_the_registered_ones() -> None:
    for case in CASES:
        for line in case.expected:
            if match := CODE.search(line):
                severity = RULES[match.group(1)].severity.value
                assert f": {severity}: " in line, (case.name, line)


def test_the_committed_reference_pages_are_what_the_generator_writes() -> None:
    for path, text in reference.pages(REPO).items():
        assert path.read_text("utf-8") == text, f"{path} is out of date: run 'make reference'"


def test_a_diagnostic_shows_its_code_at_the_end() -> None:
    with_code = Diagnostic("a.yml", 3, 5, Severity.ERROR, "what is wrong", "P104")
    assert str(with_code) == "a.yml:3:5: error: what is wrong (P104)"
    assert str(Diagnostic("a.yml", 3, 5, Severity.WARNING, "what")) == "a.yml:3:5: warning: what"


# --- the format written down once --------------------------------------------------------------


def every_model() -> set[type[Any]]:
    return {model for kind in m.KIND_MODELS.values() for model in reference.models_of(kind)}


def test_every_key_of_every_model_is_described() -> None:
    undescribed = [
        f"{model.__name__}.{name}"
        for model in every_model()
        for name, info in model.model_fields.items()
        if not info.description
    ]
    assert undescribed == []


def test_the_format_page_has_a_table_row_for_every_key() -> None:
    page = (REPO / "docs/reference/format.md").read_text("utf-8")
    for model in every_model():
        for key, _name, _hint in fields.fields_of(model):
            assert f"| `{key}` |" in page, f"{model.__name__}.{key}"


def test_author_type_names() -> None:
    names = {key: reference.type_name(hint) for key, _n, hint in fields.fields_of(m.Session)}
    assert names["id"] == "id" and names["day"] == "day" and names["start"] == "clock time"
    assert names["duration"] == "duration" and names["outputs"] == "list of text"
    assert names["roles"] == "list of ids"
    assert names["items"] == "list of [agenda items](#agenda-item)"
    activity = {key: reference.type_name(hint) for key, _n, hint in fields.fields_of(m.Activity)}
    assert activity["instructions"] == "Markdown"
    assert activity["type"] == "`exercise`, `reflection`, `reading`, `discussion` or `self-check`"


def test_the_schema_has_handouts_and_the_descriptions() -> None:
    schema = json_schema()
    assert "handout" in [branch["title"] for branch in schema["anyOf"]]
    definitions = schema["$defs"]
    assert definitions["Handout"]["additionalProperties"] is False
    file = definitions["Handout"]["properties"]["file"]
    assert "curriculum/assets/" in file["description"]
    assert file["examples"] == ["../assets/roolikortit.pdf"]
    assert definitions["Session"]["properties"]["day"]["description"].startswith("The programme")


def test_markdown_keys_come_from_the_models() -> None:
    assert fields.markdown_fields() == {
        "body",
        "instructions",
        "facilitator_notes",
        "answer",
        "definition",
    }
    assert (("terms", "*", "definition"), ("terms", "*", "definition")) in fields.markdown_paths(
        m.Glossary
    )


# --- rules run in-process on small curricula ---------------------------------------------------

FOLDERS = {
    "programme": "programmes",
    "module": "modules",
    "method": "methods",
    "handout": "handouts",
}


def curriculum(root: Path, **kinds: list[dict[str, Any]]) -> Curriculum:
    """A curriculum of the given files (kind -> list of their data), none of them on disk."""
    built = Curriculum(root=root, curriculum_dir=root / "curriculum")
    stores = {
        "programme": built.programmes,
        "module": built.modules,
        "method": built.methods,
        "handout": built.handouts,
    }
    for kind, items in kinds.items():
        for data in items:
            item = m.KIND_MODELS[kind].model_validate(data)
            stores[kind][item.id] = item  # type: ignore[index]
            path = f"curriculum/{FOLDERS[kind]}/{item.id}.yml"  # type: ignore[attr-defined]
            built.sources[(kind, item.id)] = SourceMap(path)  # type: ignore[attr-defined]
    return built


def found(curriculum: Curriculum) -> list[tuple[str | None, str]]:
    report = Report()
    validate(curriculum, report)
    return [(d.code, d.message) for d in report.sorted()]


def module(**extra: Any) -> dict[str, Any]:
    activity = {"id": "harjoitus", "type": "exercise", "title": "Harjoitus", **extra}
    return {"id": "moduuli", "title": "Moduuli", "activities": [activity]}


def handout(**extra: Any) -> dict[str, Any]:
    return {"id": "kortti", "title": "Kortti", **extra}


def test_handouts_an_activity_hands_out_exist(tmp_path: Path) -> None:
    given = curriculum(
        tmp_path, module=[module(handouts=["kortti", "korti", "muu"])], handout=[handout(body="x")]
    )
    assert found(given) == [
        ("P110", "handout 'korti' does not exist in curriculum/handouts/; did you mean 'kortti'?"),
        ("P110", "handout 'muu' does not exist in curriculum/handouts/"),
    ]


def test_a_handout_has_a_body_or_a_file(tmp_path: Path) -> None:
    assets = tmp_path / "curriculum" / "assets"
    assets.mkdir(parents=True)
    (assets / "kortti.pdf").write_bytes(b"%PDF-1.7\n")
    good = [handout(body="Teksti."), {**handout(file="../assets/kortti.pdf"), "id": "toinen"}]
    assert found(curriculum(tmp_path, handout=good)) == []
    both = curriculum(tmp_path, handout=[handout(body="Teksti.", file="../assets/kortti.pdf")])
    [(code, message)] = found(both)
    assert code == "P604" and "has both a body and a file" in message
    body_file = curriculum(tmp_path, handout=[handout(body="Teksti.", file="../assets/kortti.pdf")])
    body_file.body_files[("handout", "kortti")] = "curriculum/handouts/kortti.md"
    [(code, message)] = found(body_file)
    assert "has both a body (in 'kortti.md') and a file" in message
    [(code, message)] = found(curriculum(tmp_path, handout=[handout()]))
    assert code == "P604" and "has neither a body nor a file" in message


def test_a_handout_file_is_a_document_in_the_assets(tmp_path: Path) -> None:
    curriculum_dir = tmp_path / "curriculum"
    (curriculum_dir / "assets" / "alikansio").mkdir(parents=True)
    (curriculum_dir / "modules").mkdir()
    (curriculum_dir / "assets" / "alikansio" / "kortti.docx").write_bytes(b"PK")
    (curriculum_dir / "assets" / "sivu.html").write_text("<p>x</p>")
    (curriculum_dir / "modules" / "kortti.pdf").write_bytes(b"%PDF")
    (tmp_path / "salainen.pdf").write_bytes(b"%PDF")

    def problems_of(file: str) -> list[str | None]:
        return [
            code for code, _message in found(curriculum(tmp_path, handout=[handout(file=file)]))
        ]

    assert problems_of("../assets/alikansio/kortti.docx") == []
    assert problems_of("../assets/puuttuu.pdf") == ["P606"]
    assert problems_of("../modules/kortti.pdf") == ["P605"]
    assert problems_of("../../salainen.pdf") == ["P605"]
    assert problems_of("../assets/sivu.html") == ["P607"]
    assert problems_of("../assets/alikansio") == ["P606", "P607"]  # a folder is not a file


def test_links_in_a_handout_body_are_checked_like_module_bodies(tmp_path: Path) -> None:
    folder = tmp_path / "curriculum" / "handouts"
    folder.mkdir(parents=True)
    text = "# Kortti\n\n![Kuva](../assets/puuttuu.png) ja [ulos](../../salaisuus.txt)\n"
    (folder / "kortti.md").write_text(text)
    given = curriculum(tmp_path, handout=[handout(body=text)])
    given.body_files[("handout", "kortti")] = "curriculum/handouts/kortti.md"
    report = Report()
    validate(given, report)
    assert [(d.line, d.column, d.code) for d in report.sorted()] == [
        (3, 9, "P603"),
        (3, 42, "P602"),
    ]


def test_reserved_ids_come_from_the_url_scheme() -> None:
    reserved = reserved_names()
    assert reserved["module"] == reserved["method"] == reserved["handout"] == {"index"}
    # modules/index.md lists the modules; a programme's facilitator/index.md is its guide
    assert reserved["session"] == {"index"}
    assert reserved["programme"] == reserved["cohort"] == reserved["role"] == frozenset()


def test_reserved_ids_of_every_kind(tmp_path: Path) -> None:
    programme = {
        "id": "ohjelma",
        "title": "Ohjelma",
        "roles": [{"id": "index", "title": "Rooli"}],
        "phases": [
            {
                "id": "vaihe",
                "title": "Vaihe",
                "sessions": [{"id": "index", "title": "S", "kind": "contact", "day": 1}],
            }
        ],
    }
    given = curriculum(
        tmp_path,
        programme=[programme],
        module=[{"id": "index", "title": "Moduuli"}],
        method=[{"id": "index", "title": "Menetelmä"}],
    )
    messages = [message for code, message in found(given) if code == "P702"]
    assert messages == [
        "method id 'index' is reserved: polku writes its own page at methods/index.md; choose "
        "another id and rename the file to match",
        "module id 'index' is reserved: polku writes its own page at modules/index.md; choose "
        "another id and rename the file to match",
        "session id 'index' is reserved: polku writes its own page at "
        "programmes/ohjelma/facilitator/index.md; choose another id",
    ]


def dated(timezone: str, start: str, day: int, clock: str, **extra: Any) -> dict[str, Any]:
    session = {"id": "yo", "title": "Yö", "kind": "remote", "day": day, "start": clock}
    return {
        "id": "ohjelma",
        "title": "Ohjelma",
        "timezone": timezone,
        "start_date": start,
        "workdays_only": False,
        "phases": [{"id": "vaihe", "title": "Vaihe", "sessions": [session]}],
        **extra,
    }


def test_clock_times_that_do_not_exist_in_any_time_zone(tmp_path: Path) -> None:
    # New York: on 2027-03-14 the clocks go from 02:00 to 03:00
    given = curriculum(tmp_path, programme=[dated("America/New_York", "2027-03-01", 14, "02:30")])
    assert found(given) == [
        (
            "P407",
            "02:30 does not exist on 2027-03-14, day 14 of the run from start_date 2027-03-01: "
            "the clocks in America/New_York go forward that night; calendars show 03:30; "
            "choose another start time",
        )
    ]
    for clock in ("01:59", "03:00"):
        assert (
            found(
                curriculum(tmp_path, programme=[dated("America/New_York", "2027-03-01", 14, clock)])
            )
            == []
        )


def test_clock_times_that_come_twice(tmp_path: Path) -> None:
    # New York: on 2027-11-07 the clocks go from 02:00 back to 01:00
    given = curriculum(tmp_path, programme=[dated("America/New_York", "2027-11-01", 7, "01:30")])
    [(code, message)] = found(given)
    assert code == "P408"
    assert message.startswith("01:30 comes twice on 2027-11-07, day 7 of the run from start_date")
    assert "calendars take the first 01:30 (UTC-04:00)" in message
    assert (
        found(curriculum(tmp_path, programme=[dated("America/New_York", "2027-11-01", 8, "01:30")]))
        == []
    )


def test_clock_changes_follow_each_cohort(tmp_path: Path) -> None:
    cohorts = [
        {"id": "kevat", "title": "Kevät", "start_date": "2027-03-22"},  # day 7: 2027-03-28
        {"id": "syksy", "title": "Syksy", "start_date": "2027-09-06"},
    ]
    programme = dated("Europe/Helsinki", "2027-01-04", 7, "03:15", cohorts=cohorts)
    del programme["start_date"]
    [(code, message)] = found(curriculum(tmp_path, programme=[programme]))
    assert code == "P407"
    assert "03:15 does not exist on 2027-03-28, day 7 of cohort 'kevat'" in message
    assert "calendars show 04:15" in message


def test_a_weekday_session_never_meets_a_sunday_clock_change(tmp_path: Path) -> None:
    # with working days only, day 55 from 2027-01-11 is a Monday, not the Sunday of the change
    programme = dated("Europe/Helsinki", "2027-01-11", 55, "03:30", workdays_only=True)
    assert found(curriculum(tmp_path, programme=[programme])) == []


def test_start_dates_on_days_off(tmp_path: Path) -> None:
    programme = {
        "id": "ohjelma",
        "title": "Ohjelma",
        "holidays": "SE",
        "start_date": "2027-06-06",  # Sweden's national day, a Sunday in 2027
        "cohorts": [
            {"id": "a", "title": "A", "start_date": "2027-01-06"},  # Epiphany, a Wednesday
            {"id": "b", "title": "B", "start_date": "2027-12-27"},  # a Monday, a working day
        ],
    }
    assert found(curriculum(tmp_path, programme=[programme])) == [
        (
            "P406",
            "2027-06-06 is a Sunday; with workdays_only the programme starts on Monday "
            "2027-06-07 (day 1); write that date or set workdays_only: false",
        ),
        (
            "P406",
            "2027-01-06 is a public holiday (Epiphany); with workdays_only cohort 'a' starts "
            "on Thursday 2027-01-07 (day 1); write that date or set workdays_only: false",
        ),
    ]
    calendar_days = {**programme, "workdays_only": False}
    assert found(curriculum(tmp_path, programme=[calendar_days])) == []


# --- allow directives, end to end ---------------------------------------------------------------

PROGRAMME = "curriculum/programmes/perehdytys.yml"


def test_an_allow_comment_silences_warnings_of_its_file_only(basic_project: Path) -> None:
    edit(basic_project, PROGRAMME, "start_date: 2027-01-11", "start_date: 2027-01-09")
    edit(basic_project, PROGRAMME, "facilitator: mentori", "facilitator: mentor")
    weekend, wrong_role = problems(basic_project)
    assert weekend.endswith("(P406)") and ": warning: " in weekend
    assert wrong_role.endswith("(P107)")
    path = basic_project / PROGRAMME
    path.write_text(path.read_text("utf-8") + "# polku: allow P406 P107\n", "utf-8")
    line = line_of(basic_project, PROGRAMME, "polku: allow")
    # the warning is gone; the error stays, and the directive says why
    assert problems(basic_project) == [
        wrong_role,
        f"{PROGRAMME}:{line}:21: warning: P107 is an error, and errors cannot be silenced; "
        "remove it from the directive and fix the problem (P002)",
    ]


def test_an_allow_comment_in_another_file_silences_nothing(basic_project: Path) -> None:
    edit(basic_project, PROGRAMME, "start_date: 2027-01-11", "start_date: 2027-01-09")
    module = "curriculum/modules/kohtaaminen.yml"
    edit(basic_project, module, "id: kohtaaminen\n", "# polku: allow P406\nid: kohtaaminen\n")
    [weekend] = problems(basic_project)
    assert weekend.startswith(f"{PROGRAMME}:") and weekend.endswith("(P406)")


def test_a_check_of_the_real_curriculum_finds_nothing() -> None:
    assert problems(REPO) == []


def test_calendars_show_what_the_clock_warnings_say(tmp_path: Path) -> None:
    """The time a warning says calendars show is the one polku's calendars carry."""
    from polku.plan import Plan

    programme = dated("Europe/Helsinki", "2027-01-11", 77, "03:30")  # day 77: 2027-03-28
    given = curriculum(tmp_path, programme=[programme])
    [(_code, message)] = found(given)
    assert "calendars show 04:30" in message
    plan = Plan(given.programmes["ohjelma"], given)
    [session] = plan.dated(plan.runs[0])
    assert session.date == dt.date(2027, 3, 28)
    assert session.start is not None
    shown = session.start.astimezone(dt.UTC).astimezone(session.start.tzinfo)
    assert shown.strftime("%H:%M") == "04:30"

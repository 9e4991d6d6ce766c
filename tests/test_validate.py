"""Every validation rule fails with a located message that says how to fix it."""

from __future__ import annotations

import os
from pathlib import Path

from helpers import edit, line_of, problems

PROGRAMME = "curriculum/programmes/perehdytys.yml"
KOHTAAMINEN = "curriculum/modules/kohtaaminen.yml"
VALMENNUS = "curriculum/modules/valmennus.yml"
GLOSSARY = "curriculum/glossary.yml"


def test_the_example_is_valid(basic_project: Path) -> None:
    assert problems(basic_project) == []


def test_unknown_key_suggests_the_right_one(basic_project: Path) -> None:
    edit(basic_project, PROGRAMME, '        start: "09:00"', '        strat: "09:00"')
    line = line_of(basic_project, PROGRAMME, "strat:")
    assert problems(basic_project) == [
        f"{PROGRAMME}:{line}:9: error: unknown key 'strat'; did you mean 'start'?"
    ]


def test_wrong_type(basic_project: Path) -> None:
    edit(basic_project, VALMENNUS, "prerequisites: [kohtaaminen]", "prerequisites: kohtaaminen")
    assert problems(basic_project) == [
        f"{VALMENNUS}:5:16: error: prerequisites: expected a list, found 'kohtaaminen'; "
        "write one '- item' per line"
    ]


def test_bad_id(basic_project: Path) -> None:
    edit(basic_project, PROGRAMME, "  - id: mentori\n", "  - id: Mentori\n")
    line = line_of(basic_project, PROGRAMME, "id: Mentori")
    [message] = problems(basic_project)
    assert message.startswith(f"{PROGRAMME}:{line}:9: error: id: 'Mentori' is not a valid id;")


def test_an_id_may_not_end_in_a_line_break(basic_project: Path) -> None:
    """A quoted id's trailing "\\n" once passed (``$`` matches before it) and named a
    page folder with a line break in it."""
    edit(basic_project, PROGRAMME, "      - id: aloitus\n", '      - id: "aloitus\\n"\n')
    line = line_of(basic_project, PROGRAMME, 'id: "aloitus')
    [message] = problems(basic_project)
    assert message.startswith(f"{PROGRAMME}:{line}:13: error: id: 'aloitus\\n' is not a valid id;")


def test_bad_duration_time_and_date(basic_project: Path) -> None:
    edit(basic_project, PROGRAMME, "duration: 4h", "duration: 4 hours")
    edit(basic_project, PROGRAMME, 'start: "09:00"', 'start: "9.00"')
    edit(basic_project, PROGRAMME, "start_date: 2027-01-11", "start_date: 2027-13-01")
    found = problems(basic_project)
    assert any(":9:13: error: start_date: '2027-13-01' is not a date" in p for p in found)
    time_line = line_of(basic_project, PROGRAMME, "start:")
    assert (
        f"{PROGRAMME}:{time_line}:16: error: start: '9.00' is not a clock time; "
        in (
            found[1][
                : len(f"{PROGRAMME}:{time_line}:16: error: start: '9.00' is not a clock time; ")
            ]
        )
    )
    duration_line = line_of(basic_project, PROGRAMME, "duration: 4 hours")
    assert any(
        f":{duration_line}:19: error: duration: '4 hours' is not a duration" in p for p in found
    )


def test_day_zero(basic_project: Path) -> None:
    edit(basic_project, PROGRAMME, "        day: 6", "        day: 0")
    line = line_of(basic_project, PROGRAMME, "day: 0")
    assert problems(basic_project) == [
        f"{PROGRAMME}:{line}:14: error: day: day 0 does not exist: day 1 is the first day "
        "and day -1 the day before it"
    ]


def test_file_name_must_equal_id(basic_project: Path) -> None:
    edit(basic_project, "curriculum/methods/grow.yml", "id: grow", "id: grow-malli")
    assert problems(basic_project) == [
        "curriculum/methods/grow.yml:1:5: error: id 'grow-malli' does not match the file name "
        "'grow.yml'; rename the file to 'grow-malli.yml' or set 'id: grow'"
    ]


def test_an_id_of_digits_only_needs_no_quotes(basic_project: Path) -> None:
    """``id: 123`` is a number to YAML and a valid id to polku, in the file that has it
    and in every reference to it; with leading zeros the number is no longer the id."""
    (basic_project / KOHTAAMINEN).rename(basic_project / "curriculum/modules/123.yml")
    edit(basic_project, "curriculum/modules/123.yml", "id: kohtaaminen", "id: 123")
    edit(basic_project, VALMENNUS, "prerequisites: [kohtaaminen]", "prerequisites: [123]")
    edit(basic_project, PROGRAMME, "- module: kohtaaminen", "- module: 123")
    assert problems(basic_project) == []
    (basic_project / "curriculum/modules/123.yml").rename(
        basic_project / "curriculum/modules/007.yml"
    )
    edit(basic_project, "curriculum/modules/007.yml", "id: 123", "id: 007")
    assert problems(basic_project)[0] == (
        "curriculum/modules/007.yml:1:5: error: id '7' does not match the file name "
        """'007.yml'; write the id in quotes, 'id: "007"', and so every reference to it"""
    )


def test_unknown_module_and_activity(basic_project: Path) -> None:
    edit(basic_project, PROGRAMME, "- module: kohtaaminen", "- module: kohtaamine")
    edit(basic_project, PROGRAMME, "- activity: valmennus/tavoite", "- activity: valmennus/tavoit")
    found = problems(basic_project)
    module_line = line_of(basic_project, PROGRAMME, "module: kohtaamine")
    activity_line = line_of(basic_project, PROGRAMME, "activity: valmennus/tavoit")
    assert found == [
        f"{PROGRAMME}:{module_line}:21: error: module 'kohtaamine' does not exist in "
        "curriculum/modules/; did you mean 'kohtaaminen'? (P104)",
        f"{PROGRAMME}:{activity_line}:23: error: module 'valmennus' has no activity 'tavoit'; "
        "did you mean 'tavoite'? (P106)",
    ]


def test_unknown_roles(basic_project: Path) -> None:
    edit(basic_project, PROGRAMME, "facilitator: mentori", "facilitator: mentor")
    edit(basic_project, PROGRAMME, "  - role: hr\n    day: -5", "  - role: henkilosto\n    day: -5")
    found = problems(basic_project)
    assert len(found) == 2
    assert (
        "error: facilitator 'mentor' is not a role of this programme; did you mean 'mentori'?"
        in (found[0])
    )
    assert "error: role 'henkilosto' is not a role of this programme" in found[1]


def test_unknown_method_and_outcome(basic_project: Path) -> None:
    edit(basic_project, KOHTAAMINEN, "methods: [aktiivinen-kuuntelu]", "methods: [kuuntelu]")
    edit(
        basic_project,
        KOHTAAMINEN,
        "outcomes: [kuuntelu, nelja-minuuttia]",
        "outcomes: [kuuntelu, nelja]",
    )
    found = problems(basic_project)
    line = line_of(basic_project, KOHTAAMINEN, "outcomes: [kuuntelu, nelja]")
    method_line = line_of(basic_project, KOHTAAMINEN, "methods: [kuuntelu]")
    assert (
        f"{KOHTAAMINEN}:{line}:26: error: outcome 'nelja' is not an outcome of module 'kohtaaminen'"
        in found[0]
    )
    assert found[1].startswith(
        f"{KOHTAAMINEN}:{method_line}:15: error: method 'kuuntelu' has no card in "
        "curriculum/methods/"
    )


def test_outcome_not_practised_is_a_warning(basic_project: Path) -> None:
    edit(
        basic_project,
        VALMENNUS,
        "outcomes:\n  - id: periaatteet",
        "outcomes:\n  - id: uusi\n    text: x\n  - id: periaatteet",
    )
    assert problems(basic_project) == [
        f"{VALMENNUS}:8:9: warning: outcome 'uusi' is not practised by any activity; "
        "list it in an activity's outcomes (P302)"
    ]


def test_prerequisites_exist_and_form_no_cycle(basic_project: Path) -> None:
    edit(
        basic_project,
        KOHTAAMINEN,
        "tags: [kohtaaminen, vuorovaikutus]",
        "prerequisites: [valmennus]\ntags: [a]",
    )
    found = problems(basic_project)
    assert any("error: prerequisites form a cycle: " in p for p in found)
    edit(basic_project, KOHTAAMINEN, "prerequisites: [valmennus]", "prerequisites: [valmenus]")
    assert problems(basic_project) == [
        f"{KOHTAAMINEN}:4:17: error: prerequisite 'valmenus' is not a module; "
        "did you mean 'valmennus'? (P101)"
    ]


def test_prerequisite_order_in_a_programme(basic_project: Path) -> None:
    # valmennus needs kohtaaminen; schedule valmennus first
    edit(
        basic_project,
        PROGRAMME,
        "          - module: kohtaaminen\n          - break",
        "          - module: valmennus\n          - break",
    )
    edit(
        basic_project,
        PROGRAMME,
        "        items:\n          - module: valmennus\ncheck",
        "        items:\n          - module: kohtaaminen\ncheck",
    )
    text = (basic_project / PROGRAMME).read_text()
    assert text.index("module: valmennus") < text.index("module: kohtaaminen")
    line = line_of(basic_project, PROGRAMME, "module: valmennus")
    found = problems(basic_project)
    assert any(
        p.startswith(
            f"{PROGRAMME}:{line}:13: error: module 'valmennus' is scheduled before its "
            "prerequisite 'kohtaaminen'"
        )
        for p in found
    ), found


def test_agenda_overflowing_the_session(basic_project: Path) -> None:
    edit(basic_project, PROGRAMME, "duration: 4h", "duration: 1h")
    line = line_of(basic_project, PROGRAMME, "duration: 1h")
    assert problems(basic_project) == [
        f"{PROGRAMME}:{line}:19: error: the agenda of session 'aloitus' takes 2h 5min but the "
        "session lasts 1h; shorten or remove items, or lengthen the session (P301)"
    ]


def test_body_given_twice(basic_project: Path) -> None:
    edit(basic_project, VALMENNUS, "activities:", "body: Lyhyt.\nactivities:")
    line = line_of(basic_project, VALMENNUS, "body: Lyhyt.")
    assert problems(basic_project) == [
        f"{VALMENNUS}:{line}:1: error: the body is given twice: here and in 'valmennus.md'; "
        "keep one of them"
    ]


def test_missing_asset_and_asset_outside(basic_project: Path) -> None:
    edit(basic_project, KOHTAAMINEN, "../assets/kaavio.png", "../assets/puuttuu.png")
    line = line_of(basic_project, KOHTAAMINEN, "puuttuu.png")
    assert problems(basic_project) == [
        f"{KOHTAAMINEN}:{line}:13: error: '../assets/puuttuu.png' does not exist; check the path "
        "(from a module: '../assets/name.png') (P603)"
    ]
    edit(basic_project, KOHTAAMINEN, "../assets/puuttuu.png", "../../mkdocs.yml")
    assert problems(basic_project) == [
        f"{KOHTAAMINEN}:{line}:13: error: '../../mkdocs.yml' points outside curriculum/; keep "
        "images and attachments in curriculum/assets/ (P602)"
    ]


def test_links_that_are_no_path_from_their_file(basic_project: Path) -> None:
    """A path from the server's root, a file: address or a drive letter is an error in
    every form of link; other sites, addresses of their own kind and anchors are not."""
    body = (
        "![a](/etc/passwd)\n\n[b](file:///tmp/x.png)\n\n<img src='C:\\kuva.png'>\n\n"
        "[c](/sivu/ 'otsikko')\n\n[d]: /viite.png\n\n"
        "[ok](https://a.fi/) [ok](//cdn.example/x) [ok](mailto:a@b.fi) [ok](#ankkuri)\n"
    )
    (basic_project / "curriculum/modules/valmennus.md").write_text(body)
    fix = (
        "is not a path from this file; copy the file into curriculum/assets/ and link it as "
        "'../assets/NAME' (from a module), or link a page elsewhere with its full address "
        "(https://...) (P608)"
    )
    md = "curriculum/modules/valmennus.md"
    assert problems(basic_project) == [
        f"{md}:1:6: error: '/etc/passwd' {fix}",
        f"{md}:3:5: error: 'file:///tmp/x.png' {fix}",
        f"{md}:5:11: error: 'C:\\kuva.png' {fix}",
        f"{md}:7:5: error: '/sivu/' {fix}",
        f"{md}:9:6: error: '/viite.png' {fix}",
    ]


def test_asset_symlink_leaving_the_curriculum(basic_project: Path) -> None:
    os.symlink(basic_project / "mkdocs.yml", basic_project / "curriculum/assets/linkki.png")
    (basic_project / "curriculum/modules/valmennus.md").write_text("![x](../assets/linkki.png)\n")
    assert problems(basic_project) == [
        f"curriculum/assets/linkki.png:1:1: error: a symbolic link to "
        f"'{(basic_project / 'mkdocs.yml').resolve()}', outside curriculum/; polku publishes "
        "only files inside curriculum/, so copy the file here instead of linking to it",
        "curriculum/modules/valmennus.md:1:6: error: '../assets/linkki.png' points outside "
        "curriculum/; keep images and attachments in curriculum/assets/ (P602)",
    ]


def test_body_link_position_on_a_later_line(basic_project: Path) -> None:
    body = basic_project / "curriculum/modules/valmennus.md"
    body.write_bytes(
        "\ufeff# Otsikko\r\n\r\nKatso kuva ääkkösten jälkeen ![kuva](../assets/poissa.png) ja "
        "[toinen](../assets/poissa.png).\n".encode()
    )
    assert problems(basic_project) == [
        "curriculum/modules/valmennus.md:3:38: error: '../assets/poissa.png' does not exist; "
        "check the path (from a module: '../assets/name.png') (P603)",
        "curriculum/modules/valmennus.md:3:72: error: '../assets/poissa.png' does not exist; "
        "check the path (from a module: '../assets/name.png') (P603)",
    ]


def test_glossary_see_and_duplicates(basic_project: Path) -> None:
    edit(basic_project, GLOSSARY, "see: [Ohjaus]", "see: [Ohjaaminen]")
    edit(basic_project, GLOSSARY, "  - term: Ohjaus", "  - term: valmennus")
    found = problems(basic_project)
    assert found == [
        f"{GLOSSARY}:4:11: error: see: term 'Ohjaaminen' is not in the glossary (P502)",
        f"{GLOSSARY}:5:11: error: term 'valmennus' is defined twice; merge the definitions (P501)",
    ]


def test_duplicate_ids(basic_project: Path) -> None:
    edit(basic_project, KOHTAAMINEN, "  - id: pohdinta\n", "  - id: kuuntelu-harjoitus\n")
    line = line_of(basic_project, KOHTAAMINEN, "id: kuuntelu-harjoitus", 2)
    assert (
        f"{KOHTAAMINEN}:{line}:9: error: activity id 'kuuntelu-harjoitus' is used twice; "
        in (problems(basic_project)[0])
    )


def test_programmes_of_different_languages(basic_project: Path) -> None:
    other = (basic_project / PROGRAMME).read_text().replace("id: perehdytys", "id: toinen")
    other = other.replace("language: fi", "language: sv")
    (basic_project / "curriculum/programmes/toinen.yml").write_text(other)
    found = problems(basic_project)
    assert found == [
        "curriculum/programmes/toinen.yml:3:11: error: language 'sv' differs from programme "
        "'perehdytys' ('fi'); one site speaks one language (P403)"
    ]

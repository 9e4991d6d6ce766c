"""The command line: exit codes, init, new, schema."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_polku
from helpers import edit


def test_check_exit_codes(basic_project: Path) -> None:
    result = run_polku("check", "--root", basic_project)
    assert result.returncode == 0
    assert result.stdout.strip().splitlines()[-1] == "polku: no problems found"

    edit(basic_project, "curriculum/modules/valmennus.yml", "duration: 90min", "duration: lots")
    result = run_polku("check", "--root", basic_project)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("curriculum/modules/valmennus.yml:4:11: error: duration:")
    assert lines[-1] == "polku: 1 error found"
    assert "Traceback" not in result.stderr


def test_warnings_do_not_fail_the_check(basic_project: Path) -> None:
    edit(
        basic_project,
        "curriculum/modules/valmennus.yml",
        "outcomes:\n  - id: periaatteet",
        "outcomes:\n  - id: extra\n    text: Extra.\n  - id: periaatteet",
    )
    result = run_polku("check", "--root", basic_project)
    assert result.returncode == 0
    assert ": warning: outcome 'extra' is not practised" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "polku: 1 warning found"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_polku("check", "--root", tmp_path / "missing").returncode == 2
    assert run_polku("check", "--no-such-option").returncode == 2
    assert run_polku("new", "module", "Bad Id", "--root", tmp_path).returncode == 2


def test_init_creates_a_project_that_builds(tmp_path: Path) -> None:
    project = tmp_path / "koulutus"
    result = run_polku("init", project)
    assert result.returncode == 0, result.stderr
    assert "language" not in (project / "mkdocs.yml").read_text()
    check = run_polku("check", "--root", project)
    assert check.returncode == 0 and "no problems found" in check.stdout, check.stdout
    build = run_polku("build", "--root", project, "--no-pdf")
    assert build.returncode == 0, build.stdout + build.stderr
    assert (project / "site/programmes/onboarding/index.html").is_file()
    assert (project / "site/modules/welcome/index.html").is_file()
    assert '<html lang="en"' in (project / "site/index.html").read_text()


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = run_polku("init", tmp_path)
    assert result.returncode == 2
    assert (tmp_path / "keep.txt").read_text() == "mine"
    assert not (tmp_path / "mkdocs.yml").exists()


def test_new_files_are_valid_and_never_overwrite(basic_project: Path) -> None:
    for kind, ident in (
        ("module", "uusi-moduuli"),
        ("programme", "uusi-ohjelma"),
        ("method", "uusi"),
    ):
        result = run_polku("new", kind, ident, "--root", basic_project)
        assert result.returncode == 0, result.stderr
    programme = basic_project / "curriculum/programmes/uusi-ohjelma.yml"
    assert programme.read_text().startswith("# yaml-language-server: $schema=")
    # a programme in the site's language: a second language would be an error
    assert "\nlanguage: fi " in programme.read_text()
    check = run_polku("check", "--root", basic_project)
    assert check.returncode == 0 and "no problems found" in check.stdout, check.stdout

    before = programme.read_text()
    again = run_polku("new", "programme", "uusi-ohjelma", "--root", basic_project)
    assert again.returncode == 2 and "does not overwrite" in again.stderr
    assert programme.read_text() == before


def test_a_new_programme_speaks_the_language_of_the_others(tmp_path: Path) -> None:
    from polku.scaffold import new_file

    programmes = tmp_path / "curriculum/programmes"
    assert "\nlanguage: en " in new_file(tmp_path, "programme", "first").read_text()
    (programmes / "first.yml").write_text("id: first\ntitle: Första\nlanguage: sv\n")
    assert "\nlanguage: sv " in new_file(tmp_path, "programme", "second").read_text()


def test_schema_is_json_schema_of_every_kind() -> None:
    result = run_polku("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    definitions = schema["$defs"]
    for name in ("Programme", "Module", "Method", "Glossary", "Session", "Activity"):
        assert name in definitions
    assert definitions["Module"]["additionalProperties"] is False
    assert "duration" in definitions["Activity"]["properties"]

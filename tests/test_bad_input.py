"""The bad-input corpus (tests/bad_inputs.py): every broken file gets its exact located message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bad_inputs import CASES, Case
from conftest import FIXTURES, run_polku
from polku.check import check


def project_with(case: Case, tmp_path: Path) -> Path:
    project = tmp_path / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    case.change(project, case.path)
    return project


def expected(case: Case, project: Path) -> list[str]:
    return [line.replace("{project}", str(project.resolve())) for line in case.expected]


def test_the_corpus_is_large_and_unique() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 50


def test_the_unchanged_fixture_is_valid(tmp_path: Path) -> None:
    project = tmp_path / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    _curriculum, report = check(project)
    assert [str(d) for d in report.items] == []


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    project = project_with(case, tmp_path)
    _curriculum, report = check(project)
    assert [str(d) for d in report.sorted()] == expected(case, project)


CLI_CASES = ["unclosed-double-quote", "non-utf8-markdown-body", "alias-bomb", "missing-module"]


@pytest.mark.parametrize("name", CLI_CASES)
def test_bad_input_through_the_command_line(name: str, tmp_path: Path) -> None:
    """The real command prints the same lines, a summary, no traceback, and exits 1."""
    case = next(case for case in CASES if case.name == name)
    project = project_with(case, tmp_path)
    result = run_polku("check", "--root", project)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[:-1] == expected(case, project)
    assert lines[-1] == "polku: 1 error found"
    assert "Traceback" not in result.stdout + result.stderr


def test_a_utf8_bom_is_fine(tmp_path: Path) -> None:
    project = tmp_path / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    for path in (project / "curriculum").rglob("*.yml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    _curriculum, report = check(project)
    assert [str(d) for d in report.items] == []


def test_the_quick_look_for_control_characters_agrees_with_the_search() -> None:
    # read_text first looks at the bytes; it may only skip the search when the
    # search would find nothing, for every character there is
    from polku.reading.text import bad_character

    missed = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # not in text decoded from UTF-8
        text = f"a{chr(code)}b"
        quick = bad_character(text, text.encode("utf-8"))
        if (quick is None) != (bad_character(text) is None):
            missed.append(f"U+{code:04X}")
    assert missed == []

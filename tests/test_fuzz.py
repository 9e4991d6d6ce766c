"""Fuzzing: mutated curricula either build cleanly or fail with located errors, never a traceback.

Hypothesis mutates the files of tests/fixtures/hardening the way hurried hands do:
lines deleted, duplicated and re-indented, keys renamed and mistyped, values replaced
by values of other types, files cut off in the middle. Every outcome must be either a
clean check whose pages render, or diagnostics that each carry a path, a line and a
column inside the file. The number of examples is bounded so that this runs in CI in
well under a minute; a few mutations also go through real ``polku build`` runs.
"""

from __future__ import annotations

import random
import re
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import FIXTURES, run_polku
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polku.check import check
from polku.render.site import SiteRenderer

FILES = [
    "curriculum/programmes/perehdytys.yml",
    "curriculum/modules/kohtaaminen.yml",
    "curriculum/modules/valmennus.yml",
    "curriculum/modules/valmennus.md",
    "curriculum/methods/grow.yml",
    "curriculum/methods/aktiivinen-kuuntelu.yml",
    "curriculum/glossary.yml",
]
KEYS = [
    "id", "title", "summary", "language", "start_date", "workdays_only", "holidays", "roles",
    "phases", "sessions", "kind", "day", "start", "duration", "facilitator", "items", "module",
    "activity", "break", "checklist", "role", "task", "outcomes", "activities", "type", "mode",
    "methods", "instructions", "prompts", "questions", "answer", "answer_lines", "body",
    "prerequisites", "terms", "term", "definition", "see", "steps", "text", "tittle", "Title",
    "strat", "<<", "durations", "",
]  # fmt: skip
VALUES = [
    "", "[]", "{}", "1.5", "-1", "0", "1", "7", "true", "false", "null", "~", "yes", "no",
    "'x'", '"09:00"', "09:00", "[a, b]", "{a: 1}", "2027-02-30", "2027-01-11", "0001-01-01",
    "99999999999999999999", "!!binary aGk=", "!!python/object:os.system {}", "*nope", "&a x",
    "|", ">-", "90min", "0min", "1h 30min", "1001h", "25:00", "abc: def", "kohtaaminen",
    "valmennus", "valmennus/tavoite", "valmennus/", "mentori", "[kohtaaminen]", "[valmennus]",
    "'<script>alert(1)</script>'", "- a", "-5", "1000", "-1001", '"\\ud800"', '"\\0"',
    "'a' 'b'", "#", "@x", "`x`", "%", "[", "{", '"', "'", ".nan", ".inf", "0x1F", "1e400",
    "[../../mkdocs.yml](../../mkdocs.yml)", "![x](../assets/nope.png)", "FI", "XX", "sv",
]  # fmt: skip
LINE_POOL = [
    "id: x", "- module: valmennus", "- break: 15min", "- activity: kohtaaminen/pohdinta",
    "  - id: uusi", "    day: 3", "body: |", "  ## Otsikko", "---", "...", "%YAML 1.1",
    "? a", ": b", "- - -", "<<: {a: 1}", "\t- x", "title: 'auki", "x: [1, 2", "x: {a: 1",
]  # fmt: skip

Mutation = tuple[str, int, str]


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, list[Mutation]]:
    rel = draw(st.sampled_from(FILES))
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(
                ["delete", "duplicate", "value", "key", "indent", "dedent", "insert", "truncate"]
            )
        )
        where = draw(st.integers(0, 10_000))
        if kind == "value":
            text = draw(st.one_of(st.sampled_from(VALUES), st.text(max_size=12)))
        elif kind == "key":
            text = draw(st.sampled_from(KEYS))
        elif kind == "insert":
            text = draw(st.sampled_from(LINE_POOL))
        else:
            text = ""
        steps.append((kind, where, text))
    return rel, steps


_KEY_LINE = re.compile(r"^(\s*(?:- )?)([^:#\s][^:#]*?)(:\s*)(.*)$")


def mutate(text: str, steps: list[Mutation]) -> str:
    lines = text.split("\n")
    for kind, where, new in steps:
        if not lines:
            lines = [""]
        index = where % len(lines)
        line = lines[index]
        if kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, line)
        elif kind == "indent":
            lines[index] = "  " + line
        elif kind == "dedent":
            lines[index] = line[2:] if line.startswith("  ") else line
        elif kind == "insert":
            indent = len(line) - len(line.lstrip(" "))
            lines.insert(index, " " * indent + new)
        elif kind == "truncate":
            joined = "\n".join(lines)
            return joined[: where % (len(joined) + 1)]
        else:
            match = _KEY_LINE.match(line)
            if match is None:
                lines[index] = line + (f" {new}" if kind == "value" else "")
            elif kind == "value":
                lines[index] = match.group(1) + match.group(2) + match.group(3) + new
            else:
                lines[index] = match.group(1) + new + match.group(3) + match.group(4)
    return "\n".join(lines)


@contextmanager
def no_hang(seconds: int) -> Iterator[None]:
    """Turn a hang into a failure instead of a stuck test run."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"no result after {seconds} s: polku hangs on this input")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("fuzz") / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    return project


def assert_located(project: Path, diagnostics: list[object]) -> None:
    for diagnostic in diagnostics:
        printed = str(diagnostic)
        assert "\n" not in printed and "\r" not in printed, printed
        path, line, column = diagnostic.path, diagnostic.line, diagnostic.column  # type: ignore[attr-defined]
        assert diagnostic.message.strip(), printed  # type: ignore[attr-defined]
        assert line >= 1 and column >= 1, printed
        target = project / path
        assert target.exists() or target.is_symlink(), printed
        if target.is_file():
            text = target.read_bytes().decode("utf-8", errors="replace")
            assert line <= text.count("\n") + 2, printed


@settings(
    max_examples=60,
    deadline=None,  # no timed assertions; a hang is caught by no_hang
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=mutations())
def test_mutated_files_check_cleanly_or_fail_located(
    case: tuple[str, list[Mutation]], pristine: Path
) -> None:
    rel, steps = case
    path = pristine / rel
    original = path.read_text("utf-8")
    try:
        path.write_text(mutate(original, steps), "utf-8")
        with no_hang(60):
            curriculum, report = check(pristine)
            assert_located(pristine, report.items)
            if not report.errors:
                pages = SiteRenderer(curriculum).pages()
                assert pages
    finally:
        path.write_text(original, "utf-8")


SEEDS = [3, 17, 29]


@pytest.mark.parametrize("seed", SEEDS)
def test_mutated_files_through_a_real_build(seed: int, tmp_path: Path) -> None:
    """A few mutations go through the real command: exit 0 or 1, never a traceback or bug."""
    project = tmp_path / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    chooser = random.Random(seed)
    for rel in chooser.sample(FILES, 2):
        path = project / rel
        steps = [
            (
                chooser.choice(["delete", "duplicate", "value", "key", "indent", "insert"]),
                chooser.randrange(10_000),
                chooser.choice(VALUES + KEYS + LINE_POOL),
            )
            for _ in range(2)
        ]
        path.write_text(mutate(path.read_text("utf-8"), steps), "utf-8")
    result = run_polku("build", "--root", project, "--no-pdf", timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode in (0, 1), output
    assert "Traceback" not in output and "internal error" not in output
    if result.returncode == 1:
        located = re.compile(r"^[^:\s]+:\d+:\d+: (error|warning): \S")
        problems = [line for line in result.stdout.splitlines() if not line.startswith("polku:")]
        assert problems and all(located.match(line) for line in problems), output
    else:
        assert (project / "site/index.html").is_file()

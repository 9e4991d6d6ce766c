"""Shared fixtures: example projects copied to a temporary folder, real builds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent
# the benchmark package (tools/bench), which the tests import like polku
if str(REPO / "tools") not in sys.path:
    sys.path.append(str(REPO / "tools"))


def run_polku(
    *args: str | Path, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "polku", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def copy_fixture(name: str, destination: Path) -> Path:
    target = destination / name
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("site", ".polku-*"))
    return target


@pytest.fixture
def basic_project(tmp_path: Path) -> Path:
    """A copy of the small example curriculum in tests/fixtures/basic."""
    return copy_fixture("basic", tmp_path)


@pytest.fixture(scope="session")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small example curriculum built once (no PDFs) for read-only tests."""
    project = copy_fixture("basic", tmp_path_factory.mktemp("basic-site"))
    result = run_polku("build", "--root", project, "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@dataclass(frozen=True)
class LearnerSites:
    """tests/fixtures/learner built once as a served site and once for file://."""

    project: Path
    site: Path
    offline: Path


@pytest.fixture(scope="session")
def learner_sites(tmp_path_factory: pytest.TempPathFactory) -> LearnerSites:
    project = copy_fixture("learner", tmp_path_factory.mktemp("learner-site"))
    offline = project.parent / "offline-site"
    for extra in ((), ("--offline", "--site-dir", offline)):
        result = run_polku("build", "--root", project, "--no-pdf", *extra)
        assert result.returncode == 0, result.stdout + result.stderr
    return LearnerSites(project, project / "site", offline)


@dataclass(frozen=True)
class CohortSites:
    """tests/fixtures/cohorts (a programme with a start date and two cohorts) built twice."""

    project: Path
    site: Path  # the first build
    again: Path  # a second build of the same project, for what must stay the same


@pytest.fixture(scope="session")
def cohort_sites(tmp_path_factory: pytest.TempPathFactory) -> CohortSites:
    project = copy_fixture("cohorts", tmp_path_factory.mktemp("cohort-site"))
    again = project.parent / "again"
    for extra in ((), ("--site-dir", again)):
        result = run_polku("build", "--root", project, "--no-pdf", *extra)
        assert result.returncode == 0, result.stdout + result.stderr
    return CohortSites(project, project / "site", again)

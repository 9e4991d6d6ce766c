"""Shared fixtures: example projects copied to a temporary folder, real builds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent


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

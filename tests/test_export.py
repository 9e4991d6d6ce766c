"""`polku export`: the generated site as a plain docs tree that builds without polku."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import copy_fixture, run_polku


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def article(path: Path) -> str:
    html = path.read_text("utf-8")
    return html[html.index("<article") : html.index("</article>")]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The cohorts example built by polku and exported, then built by plain MkDocs."""
    base = tmp_path_factory.mktemp("export")
    project = copy_fixture("cohorts", base)
    result = run_polku("build", "--root", project, "--no-pdf")
    assert result.returncode == 0, result.stderr
    target = base / "exported"
    result = run_polku("export", target, "--root", project, "--no-pdf")
    assert result.returncode == 0, result.stderr
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=target,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return project / "site", target


def test_the_exported_config_has_no_polku_plugin(exported: tuple[Path, Path]) -> None:
    _site, target = exported
    config = yaml.safe_load((target / "mkdocs.yml").read_text("utf-8"))
    names = [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]
    assert "polku" not in names and "search" in names
    assert config["theme"]["language"] == "fi" and config["theme"]["font"] is False
    assert (target / "docs" / "modules").is_dir()


def test_plain_mkdocs_builds_the_same_pages(exported: tuple[Path, Path]) -> None:
    site, target = exported
    assert pages(target / "site") == pages(site)


def test_the_pages_say_the_same(exported: tuple[Path, Path]) -> None:
    site, target = exported
    for page in sorted(pages(site)):
        if page == "404.html":
            continue
        ours, theirs = article(site / page), article(target / "site" / page)
        assert re.sub(r"\s+", " ", ours) == re.sub(r"\s+", " ", theirs), page


def test_the_export_carries_no_polku_markers(exported: tuple[Path, Path]) -> None:
    """The raw-HTML markers are for polku's engine extension, which the export has not."""
    _site, target = exported
    for page in (target / "docs").rglob("*.md"):
        assert "polku:raw" not in page.read_text("utf-8"), page
    for page in (target / "site").rglob("*.html"):
        assert "polku:raw" not in page.read_text("utf-8"), page


def test_files_are_in_the_export(exported: tuple[Path, Path]) -> None:
    site, target = exported
    for name in ("calendars/ryhmat.ics", "programmes/ryhmat/timeline.svg"):
        assert (target / "docs" / name).read_bytes() == (site / name).read_bytes()


def test_export_refuses_a_folder_that_is_not_its_own(tmp_path: Path) -> None:
    project = copy_fixture("basic", tmp_path)
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("keep me")
    result = run_polku("export", folder, "--root", project, "--no-pdf")
    assert result.returncode == 2
    assert (folder / "todo.txt").read_text() == "keep me"

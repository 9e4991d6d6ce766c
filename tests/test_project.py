"""A project's settings are read once and mean the same to every command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_fixture, run_polku
from polku.project import Project, ProjectError, read_config


def moved_curriculum(tmp_path: Path) -> Path:
    project = copy_fixture("basic", tmp_path)
    shutil.move(project / "curriculum", project / "content")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("  - polku", "  - polku:\n      curriculum_dir: content"),
        "utf-8",
    )
    return project


def test_every_command_honours_curriculum_dir(tmp_path: Path) -> None:
    project = moved_curriculum(tmp_path)
    check = run_polku("check", "--root", project)
    assert check.returncode == 0, check.stdout + check.stderr
    build = run_polku("build", "--root", project, "--no-pdf")
    assert build.returncode == 0, build.stderr
    assert (project / "site/modules/valmennus/index.html").is_file()
    shutil.rmtree(project / "site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    mkdocs = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert mkdocs.returncode == 0, mkdocs.stderr
    assert (project / "site/modules/valmennus/index.html").is_file()


def test_an_error_in_the_moved_curriculum_is_found(tmp_path: Path) -> None:
    project = moved_curriculum(tmp_path)
    module = project / "content/modules/valmennus.yml"
    module.write_text(module.read_text("utf-8").replace("title:", "titel:", 1), "utf-8")
    result = run_polku("check", "--root", project)
    assert result.returncode == 1
    assert "content/modules/valmennus.yml" in result.stdout


def test_settings_from_mkdocs_yml(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: !ENV [POLKU_TEST_SITE_NAME, Oletus]\n"
        "site_url: https://example.org/koulutus/\n"
        "use_directory_urls: false\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n"
        "  - search\n"
        "  - polku:\n"
        "      pdf: false\n"
        "      calendar_tasks: todos\n",
        "utf-8",
    )
    project = Project.load(tmp_path)
    assert project.site_name == "Oletus"
    assert project.site_url == "https://example.org/koulutus/"
    assert project.use_directory_urls is False
    assert project.options.pdf is False and project.options.calendar_tasks == "todos"
    assert project.site_dir == tmp_path / "site"
    assert project.curriculum_dir == tmp_path / "curriculum"


def test_unusable_settings_are_located(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nplugins: [search\n", "utf-8")
    with pytest.raises(ProjectError, match=r"^mkdocs.yml:\d+:\d+: error: "):
        read_config(config)
    config.write_text("site_name: x\nplugins:\n  - search\n", "utf-8")
    with pytest.raises(ProjectError, match="the polku plugin is not enabled"):
        Project.load(tmp_path)
    assert Project.load(tmp_path, require_plugin=False).options.curriculum_dir == "curriculum"

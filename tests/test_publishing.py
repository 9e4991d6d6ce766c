"""What polku init writes for publishing: CI files for GitLab Pages and GitHub Pages."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import run_polku
from polku import __version__


def init(tmp_path: Path) -> Path:
    project = tmp_path / "perehdytys"
    result = run_polku("init", project)
    assert result.returncode == 0, result.stderr
    return project


def test_gitlab_pages_job(tmp_path: Path) -> None:
    project = init(tmp_path)
    config = yaml.safe_load((project / ".gitlab-ci.yml").read_text("utf-8"))
    job = config["pages"]  # GitLab publishes the artifacts of the job named pages
    assert job["artifacts"]["paths"] == ["public"]
    script = "\n".join(job["script"])
    assert "polku build --site-dir public" in script  # with the PDFs: no --no-pdf
    assert "--no-pdf" not in script
    assert 'SITE_URL="$CI_PAGES_URL/"' in script
    assert "pip install -r requirements.txt" in job["before_script"]
    assert any("libpango-1.0-0" in line for line in job["before_script"])
    assert job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert ".cache/polku/workbooks" in job["cache"]["paths"]


def test_github_pages_workflow(tmp_path: Path) -> None:
    project = init(tmp_path)
    workflow = yaml.safe_load((project / ".github/workflows/pages.yml").read_text("utf-8"))
    # PyYAML reads the key "on" as True (YAML 1.1); GitHub reads it as "on"
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "") for step in build]
    assert "actions/configure-pages@v5" in uses
    assert "actions/upload-pages-artifact@v3" in uses
    run = next(step for step in build if step.get("run", "").startswith("polku build"))
    assert run["run"] == "polku build --site-dir site"
    assert run["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    upload = next(step for step in build if step.get("uses", "").startswith("actions/upload"))
    assert upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"] == "actions/deploy-pages@v4"


def test_site_url_comes_from_the_ci_and_packs_stay_out_of_git(tmp_path: Path) -> None:
    project = init(tmp_path)
    config = (project / "mkdocs.yml").read_text("utf-8")
    assert "site_url: !ENV SITE_URL" in config
    assert "webcal://" in config  # the comment says what site_url is for
    assert (project / "requirements.txt").read_text("utf-8") == f"polku=={__version__}\n"
    assert "packs/" in (project / ".gitignore").read_text("utf-8").splitlines()


def test_the_ci_build_has_absolute_links(tmp_path: Path) -> None:
    """What the CI runs: SITE_URL set, so calendars link to the published site."""
    import os
    import subprocess
    import sys

    project = init(tmp_path)
    env = {**os.environ, "SITE_URL": "https://hr.gitlab.io/perehdytys/"}
    result = subprocess.run(
        [sys.executable, "-m", "polku", "build", "--site-dir", "public", "--no-pdf"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site_url is not set" not in result.stdout
    calendar = (project / "public/calendars/onboarding.ics").read_text("utf-8")
    assert "URL:https://hr.gitlab.io/perehdytys/programmes/onboarding/" in calendar.replace(
        "\r\n ", ""
    )
    page = (project / "public/programmes/onboarding/index.html").read_text("utf-8")
    assert "webcal://hr.gitlab.io/perehdytys/calendars/onboarding.ics" in page
    # and without it, the build says what is missing, where
    local = run_polku("build", "--root", project, "--no-pdf", "-q")
    assert local.returncode == 0
    assert "mkdocs.yml:6:1: warning: site_url is not set" in local.stdout

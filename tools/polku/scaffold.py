"""Starting files: a new project (``polku init``) and new curriculum files (``polku new``)."""

from __future__ import annotations

import json
from pathlib import Path

from . import __version__
from .i18n import LANGUAGES
from .schema import json_schema

SCHEMA_FILE = "curriculum/polku.schema.json"
SCHEMA_COMMENT = "# yaml-language-server: $schema=../polku.schema.json\n"


class FileExistsProblem(Exception):
    """polku never overwrites a file that exists."""


MKDOCS_YML = """\
site_name: {title}
# The address the site is published at. Calendar entries and welcome packs link to the
# site with it, and programme pages offer webcal:// subscriptions. The CI files set
# SITE_URL to the address GitLab Pages or GitHub Pages gives; for an intranet server,
# write it here: site_url: https://intranet.example.fi/perehdytys/
site_url: !ENV SITE_URL
theme:
  name: material
  features:
    - navigation.indexes
    - navigation.sections
    - content.tooltips
    - search.highlight
  font: false
plugins:
  - search
  - tags
  - polku
"""

INDEX_MD = """\
# {title}

Welcome. These are the training programmes of this site:

<!-- polku:programmes -->
"""

# .cache/: rendered PDFs kept between builds; packs/: welcome packs, people's data
GITIGNORE = "site/\n.venv/\n.polku-*\n.cache/\npacks/\n"

# What CI installs: polku at the version that wrote the project. Where polku is not
# installed from the package index, name it as pip understands, e.g. a Git URL.
REQUIREMENTS = """\
polku=={version}
"""

# Debian packages WeasyPrint needs for the PDF workbooks
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"

GITLAB_CI = """\
# Builds the site with its PDF workbooks and calendars and publishes it on GitLab
# Pages at every push to the default branch. GitLab gives the site's address as
# CI_PAGES_URL: calendar entries link to it and programme pages offer webcal://
# subscriptions. Settings > Pages shows the address; Settings > General > Visibility
# says who may see the site.
pages:
  image: python:3.12-slim
  variables:
    PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"
  cache:
    key: polku
    paths:
      - .cache/pip
      - .cache/polku/workbooks   # unchanged workbooks are not rendered again
  before_script:
    - apt-get update -qq
    - apt-get install -y -qq --no-install-recommends {packages}
    - pip install -r requirements.txt
  script:
    - export SITE_URL="$CI_PAGES_URL/"
    - polku build --site-dir public
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""

GITHUB_PAGES = """\
# Builds the site with its PDF workbooks and calendars and publishes it on GitHub
# Pages at every push to main. Turn it on once: Settings > Pages > Source: GitHub
# Actions. The site's address comes from GitHub (configure-pages), so calendar
# entries link to it and programme pages offer webcal:// subscriptions.
name: pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
      - name: Libraries of the PDF renderer
        run: |
          sudo apt-get update -qq
          sudo apt-get install -y -qq --no-install-recommends {packages}
      - run: pip install -r requirements.txt
      - uses: actions/cache@v4
        with:
          path: .cache/polku/workbooks
          key: polku-workbooks-${{{{ github.sha }}}}
          restore-keys: polku-workbooks-
      - id: pages
        uses: actions/configure-pages@v5
      - name: Build the site, workbooks and calendars
        env:
          SITE_URL: ${{{{ steps.pages.outputs.base_url }}}}/
        run: polku build --site-dir site
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def programme_yaml(ident: str, module: str | None = None, language: str = "en") -> str:
    module_item = f"          - module: {module}\n" if module else ""
    return f"""\
{SCHEMA_COMMENT}id: {ident}
title: {ident.replace("-", " ").capitalize()}
language: {language}                 # fi | sv | en
summary: What the programme is and for whom.
audience: New staff in their first weeks.
outcomes:
  - Knows the team and the main tools.
start_date: {_next_monday()}       # optional: gives every session a date and a calendar
workdays_only: true          # day numbers count working days, skipping weekends
holidays: FI                 #   and this country's public holidays
timezone: Europe/Helsinki    # the time zone of the calendar files
# cohorts:                   # groups that start on their own dates; each gets a dated
#   - id: spring             #   schedule page, a calendar and an at-a-glance PDF
#     title: Spring group
#     start_date: {_next_monday(weeks=8)}
#     location: Meeting room 2       # optional: where its contact and mentoring sessions are
#     facilitator: Maria Example     # optional: who facilitates this group
roles:
  - id: newcomer
    title: Newcomer
  - id: mentor
    title: Mentor
  - id: hr
    title: HR
phases:
  - id: week-1
    title: Week 1 – Welcome
    sessions:
      - id: first-day
        title: First day
        kind: contact        # contact | remote | self-study | mentoring | assignment
        day: 1
        start: "09:00"
        duration: 2h 30min
        facilitator: mentor
        location: Meeting room 1
        items:
          - title: Welcome and introductions
            duration: 45min
          - break: 15min
{module_item}          - title: Tour of the workplace
            duration: 1h
checklist:
  - role: hr
    day: -5
    task: Send the welcome message.
  - role: mentor
    day: 1
    task: Introduce the newcomer to the team.
"""


def module_yaml(ident: str) -> str:
    return f"""\
{SCHEMA_COMMENT}id: {ident}
title: {ident.replace("-", " ").capitalize()}
summary: One or two sentences on what this module is about.
tags: []
outcomes:
  - id: first-outcome
    text: What the learner can do after this module.
body: |
  ## Introduction

  The learning content, in Markdown. Put a long text in a sibling
  file {ident}.md instead (and remove this body).
activities:
  - id: reflection
    type: reflection         # exercise | reflection | reading | discussion | self-check
    title: Reflect on your own work
    duration: 15min
    mode: solo               # solo | pairs | group | plenary
    outcomes: [first-outcome]
    instructions: |
      Think about the questions below and write down your answers.
    prompts:
      - What did you learn?
      - What will you do differently?
sources: []
"""


def method_yaml(ident: str) -> str:
    return f"""\
{SCHEMA_COMMENT}id: {ident}
title: {ident.replace("-", " ").capitalize()}
summary: What the method is for.
when: When to use it.
steps:
  - title: First step
    prompts:
      - An example question?
sources: []
"""


NEW_FILES = {
    "module": ("modules", module_yaml),
    "programme": ("programmes", programme_yaml),
    "method": ("methods", method_yaml),
}


def site_language(programmes: Path) -> str:
    """The language of the programmes in ``programmes`` (the format's default, fi, where
    one leaves it out); en for a project with none yet."""
    from .diagnostics import Report
    from .model import Programme
    from .reading import parse_yaml

    for path in sorted(programmes.glob("*.yml")):
        try:
            parsed = parse_yaml(path.read_text("utf-8"), path.name, Report())
        except (OSError, UnicodeDecodeError):
            continue
        data = parsed[0] if parsed else None
        if isinstance(data, dict):
            language = data.get("language", Programme.model_fields["language"].default)
            if language in LANGUAGES:
                return str(language)
    return "en"


def _next_monday(weeks: int = 0) -> str:
    import datetime as dt

    today = dt.date.today()
    return (today + dt.timedelta(days=7 - today.weekday(), weeks=weeks)).isoformat()


def _write_new(path: Path, text: str) -> None:
    """Create a file; refuse if it exists (exclusive create, no race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise FileExistsProblem(f"{path} exists; polku does not overwrite files") from None


def write_schema(root: Path) -> Path:
    """Write (or refresh) the JSON Schema that editors use for the YAML files."""
    path = root / SCHEMA_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def new_file(root: Path, kind: str, ident: str) -> Path:
    folder, template = NEW_FILES[kind]
    path = root / "curriculum" / folder / f"{ident}.yml"
    if kind == "programme":  # one language per site: the one the programmes have
        text = programme_yaml(ident, language=site_language(root / "curriculum" / folder))
    else:
        text = template(ident)
    _write_new(path, text)
    if not (root / SCHEMA_FILE).exists():  # never overwrite a file; 'polku schema' refreshes it
        write_schema(root)
    return path


def create_project(directory: Path) -> list[Path]:
    title = directory.resolve().name.replace("-", " ").capitalize() or "Training"
    files = {
        directory / "mkdocs.yml": MKDOCS_YML.format(title=title),
        directory / "docs" / "index.md": INDEX_MD.format(title=title),
        directory / ".gitignore": GITIGNORE,
        directory / "requirements.txt": REQUIREMENTS.format(version=__version__),
        directory / ".gitlab-ci.yml": GITLAB_CI.format(packages=SYSTEM_PACKAGES),
        directory / ".github" / "workflows" / "pages.yml": GITHUB_PAGES.format(
            packages=SYSTEM_PACKAGES
        ),
        directory / "curriculum" / "programmes" / "onboarding.yml": programme_yaml(
            "onboarding", module="welcome"
        ),
        directory / "curriculum" / "modules" / "welcome.yml": module_yaml("welcome"),
    }
    written = []
    for path, text in files.items():
        _write_new(path, text)
        written.append(path)
    written.append(write_schema(directory))
    return written

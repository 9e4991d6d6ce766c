"""A build that reuses the cache gives exactly the site a build from scratch gives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_fixture
from helpers import edit

# the same build date for every build of a test (the sitemap carries it)
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1798761600", NO_MKDOCS_2_WARNING="1")


def build(project: Path, site: Path) -> None:
    command = ["build", "--root", str(project), "--no-pdf", "-q", "--site-dir", str(site)]
    result = subprocess.run(
        [sys.executable, "-m", "polku", *command],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def body(project: Path) -> None:
    page = project / "curriculum/modules/valmennus.md"
    page.write_text(page.read_text("utf-8") + "\nUusi kappale välimuistin testiin.\n", "utf-8")


def title(project: Path) -> None:
    """A programme's title is in every page's navigation."""
    edit(
        project,
        "curriculum/programmes/perehdytys.yml",
        "title: Valmentajan perehdytys",
        "title: Uusi nimi",
    )


def glossary(project: Path) -> None:
    """A glossary definition is the hover text of its term on every page that uses it."""
    edit(
        project,
        "curriculum/glossary.yml",
        "Tavoitteellinen prosessi",
        "Tavoitteellinen ja muuttunut prosessi",
    )


def instructions(project: Path) -> None:
    """An activity's text is on its module page and on the pages of its session."""
    edit(
        project,
        "curriculum/modules/valmennus.yml",
        "instructions: Käytä GROW-mallia.",
        "instructions: Käytä GROW-mallia pareittain.",
    )


def facilitator_notes(project: Path) -> None:
    """Notes for facilitators are on the facilitator's session page only."""
    edit(project, "curriculum/modules/valmennus.yml", "Jaa ryhmät.", "Jaa kolmen ryhmät.")


def method(project: Path) -> None:
    """A method card's summary shows on the module and session pages that use it."""
    edit(
        project,
        "curriculum/methods/grow.yml",
        "summary: Neljän vaiheen keskustelurunko.",
        "summary: Neljän vaiheen runko.",
    )


def asset(project: Path) -> None:
    """A new asset is one more published file; pages only link to what is there."""
    source = project / "curriculum/assets/kaavio.png"
    shutil.copyfile(source, project / "curriculum/assets/toinen.png")


def template(project: Path) -> None:
    overrides = project / "overrides"
    overrides.mkdir(exist_ok=True)
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}<meta name="x-test" content="1">'
        "{{ super() }}{% endblock %}\n",
        "utf-8",
    )
    edit(project, "mkdocs.yml", "  name: material", "  name: material\n  custom_dir: overrides")


def config(project: Path) -> None:
    edit(project, "mkdocs.yml", "site_name: Testikoulutus", "site_name: Toinen koulutus")


CHANGES = [body, title, glossary, instructions, facilitator_notes, method, asset, template, config]


@pytest.mark.parametrize("change", CHANGES)
def test_a_cached_build_is_byte_identical_to_a_cold_one(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    project = copy_fixture("basic", tmp_path)
    build(project, tmp_path / "first")  # fills the cache
    change(project)
    build(project, tmp_path / "cached")
    shutil.rmtree(project / ".cache")
    build(project, tmp_path / "cold")
    cached, cold = files(tmp_path / "cached"), files(tmp_path / "cold")
    assert sorted(cached) == sorted(cold)
    different = [name for name in cold if cached[name] != cold[name]]
    assert different == []
    assert files(tmp_path / "first") != cold  # the change did reach the site


def test_the_cache_is_not_published_and_safe_to_delete(tmp_path: Path) -> None:
    project = copy_fixture("basic", tmp_path)
    build(project, project / "site")
    assert (project / ".cache" / "polku" / "pages").is_dir()
    assert not any(
        ".cache" in name or name.endswith(".marshal") for name in files(project / "site")
    )
    shutil.rmtree(project / ".cache")
    build(project, project / "site")


def test_an_edited_body_renders_again_only_the_pages_that_show_it(tmp_path: Path) -> None:
    """The page memo: the module's page and its sessions' pages, nothing else."""
    from polku import build as pipeline
    from polku.project import Project

    project = copy_fixture("basic", tmp_path)
    first = pipeline.prepare(Project.load(project).with_options(pdf=False))
    memo_pages = len(first.curriculum.modules) + 2 * sum(
        len(first.plans[p].sessions) for p in first.curriculum.programmes
    )
    # the pages that show only the outline: the module index, the method cards, the
    # glossary and the journal
    outlined = 3 + len(first.curriculum.methods)
    assert first.site.memo.made == memo_pages + outlined  # an empty cache: every page is made

    unchanged = pipeline.prepare(Project.load(project).with_options(pdf=False))
    assert unchanged.site.memo.made == 0

    body(project)
    edited = pipeline.prepare(Project.load(project).with_options(pdf=False))
    showing = [
        planned
        for plan in edited.plans.values()
        for planned in plan.sessions
        if any(
            getattr(item, "module", None) == "valmennus"
            or getattr(item, "module_id", None) == "valmennus"
            for item in planned.session.items
        )
    ]
    assert showing  # the fixture schedules the module
    assert edited.site.memo.made == 1 + 2 * len(showing)

    # a prompt is shown by the journal as well
    edit(
        project,
        "curriculum/modules/valmennus.yml",
        "prompts: [Millainen valmentaja olet?]",
        "prompts: [Millainen valmentaja haluat olla?]",
    )
    prompted = pipeline.prepare(Project.load(project).with_options(pdf=False))
    assert prompted.site.memo.made == 1 + 2 * len(showing) + 1


def test_pages_rendered_by_forked_processes_are_the_ones_this_process_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memo shares rendering with forked processes: the pages and their order hold."""
    from polku import build as pipeline
    from polku import parallel
    from polku.project import Project
    from polku.render import page_memo

    project = copy_fixture("learner", tmp_path)
    options = {"pdf": False}

    def pages() -> list[tuple[str, str, bool, object]]:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        prepared = pipeline.prepare(Project.load(project).with_options(**options))
        return [(o.path, o.title, o.in_nav, o.content) for o in prepared.outputs.pages()]

    forks: list[int] = []
    original_fork = parallel._fork

    def counted_fork(*args: object) -> object:
        forks.append(1)
        return original_fork(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "_fork", counted_fork)
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    # threads other tests left behind would keep the work in this process
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    monkeypatch.setattr(page_memo, "PARALLEL_MIN_PAGES", 10**6)
    alone = pages()
    assert not forks
    monkeypatch.setattr(page_memo, "PARALLEL_MIN_PAGES", 1)
    shared = pages()
    assert forks  # the pages were shared with a forked process
    assert shared == alone

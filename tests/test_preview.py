"""Rebuilds reuse what did not change (the live preview and every build), and only that."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import edit
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from polku import store
from polku.mkdocs import carry_over as carried
from polku.mkdocs import preview as live_preview
from polku.mkdocs.carry_over import carry_over


@pytest.fixture(autouse=True)
def results_kept_for_this_test_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A preview keeps cached results in this process: not past the test that made them."""
    monkeypatch.setattr(store, "_memory", None)
    monkeypatch.setattr(store, "_decoded", {})
    monkeypatch.setattr(carried, "_published", {})


@pytest.fixture
def quiet_logs() -> Iterator[None]:
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


class Preview:
    """Rebuilds of one project the way MkDocs' development server makes them."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.site = project / "preview-site"
        self.converted: list[str] = []
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=False)
        self.plugin: Any = config.plugins["polku"]
        self.build(config)

    def config(self) -> Any:
        return load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))

    def build(self, config: Any = None) -> list[str]:
        """Rebuild; the pages whose Markdown was converted again (not from the cache)."""
        build(config or self.config())
        return sorted(self.plugin.pages.converted)

    def page(self, path: str) -> str:
        return (self.site / path / "index.html").read_text("utf-8")


def test_an_edited_module_body_converts_that_page_only(
    basic_project: Path, quiet_logs: None
) -> None:
    preview = Preview(basic_project)
    assert preview.plugin.pages is not None
    body = basic_project / "curriculum/modules/valmennus.md"
    body.write_text(body.read_text("utf-8") + "\nUusi kappale esikatselussa.\n", "utf-8")
    converted = preview.build()
    assert converted == ["modules/valmennus.md"]
    assert "Uusi kappale esikatselussa." in preview.page("modules/valmennus")
    # pages taken from the memo are whole: the other module still has its text and nav
    other = preview.page("modules/kohtaaminen")
    assert "Asiakkaan kohtaaminen" in other and 'href="../../programmes/perehdytys/"' in other


def test_nothing_changed_converts_nothing(basic_project: Path, quiet_logs: None) -> None:
    preview = Preview(basic_project)
    before = preview.page("modules/kohtaaminen")
    assert preview.build() == []
    assert preview.page("modules/kohtaaminen") == before


def test_a_new_page_converts_every_page_again(basic_project: Path, quiet_logs: None) -> None:
    """Links between pages depend on the set of pages: a new one invalidates them all."""
    preview = Preview(basic_project)
    (basic_project / "docs/uusi.md").write_text("# Uusi sivu\n", "utf-8")
    converted = preview.build()
    assert "modules/kohtaaminen.md" in converted and "uusi.md" in converted


def test_calendars_follow_an_edited_programme(cohort_project: Path, quiet_logs: None) -> None:
    preview = Preview(cohort_project)
    calendar = preview.site / "calendars" / "ryhmat.ics"
    assert "Avajaispäivä" not in calendar.read_text("utf-8")
    programme = "curriculum/programmes/ryhmat.yml"
    edit(cohort_project, programme, "title: Aloituspäivä", "title: Avajaispäivä")
    preview.build()
    assert "Avajaispäivä" in calendar.read_text("utf-8")


@pytest.fixture
def cohort_project(tmp_path: Path) -> Path:
    from conftest import copy_fixture

    return copy_fixture("cohorts", tmp_path)


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.fixture
def results_in_memory() -> None:
    """The preview's setting: cached results kept in this process (reset after the test)."""
    store.keep_results_in_memory()


def test_results_kept_in_memory_rebuild_the_site_a_cold_build_makes(
    basic_project: Path, quiet_logs: None, results_in_memory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = Preview(basic_project)
    body = basic_project / "curriculum/modules/valmennus.md"
    body.write_text(body.read_text("utf-8") + "\nUusi kappale muistista.\n", "utf-8")
    preview.build()
    edit(  # in every page's navigation
        basic_project,
        "curriculum/programmes/perehdytys.yml",
        "title: Valmentajan perehdytys",
        "title: Uusi nimi",
    )
    preview.build()
    preview.build()  # nothing changed: every page from memory
    kept = site_files(preview.site)
    assert "Uusi nimi" in preview.page("modules/kohtaaminen")
    # from scratch: no cache, nothing in memory, no site to move pages from
    monkeypatch.setattr(store, "_memory", None)
    monkeypatch.setattr(store, "_decoded", {})
    monkeypatch.setattr(carried, "_published", {})
    shutil.rmtree(basic_project / ".cache")
    shutil.rmtree(preview.site)
    cold = Preview(basic_project)
    assert site_files(cold.site) == kept


def test_a_file_store_in_memory_hands_out_copies_and_forgets_unused_results(
    tmp_path: Path, results_in_memory: None
) -> None:
    first = store.FileStore(tmp_path / "results", "salt")
    used, unused = first.key("used"), first.key("unused")
    first.put(used, {"entries": [1, 2]})
    first.put(unused, ["old"])
    taken = first.get(used)
    assert taken == {"entries": [1, 2]}
    taken["entries"].append(3)  # a caller changing its copy changes nothing kept
    second = store.FileStore(tmp_path / "results", "salt")  # the next build
    assert second.get(used) == {"entries": [1, 2]}
    second.prune()
    assert second.get(unused) is None
    assert store._memory is not None and len(store._memory) == 1


def test_the_preview_looks_for_changes_often_while_scans_stay_cheap(tmp_path: Path) -> None:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    small = tmp_path / "curriculum"
    small.mkdir()
    (small / "a.md").write_text("x", "utf-8")
    server.watch(str(small))
    live_preview.look_often(server, [str(small)])
    assert [e.timeout for e in server.observer.emitters] == [live_preview.QUICKEST_LOOK]
    assert server.build_delay == live_preview.SETTLE
    assert live_preview.polling_interval([str(small)]) == live_preview.QUICKEST_LOOK
    # a tree that takes long to scan is looked at no more often than MkDocs does by itself
    large = tmp_path / "large"
    for number in range(6000):
        (large / str(number % 60)).mkdir(parents=True, exist_ok=True)
        (large / str(number % 60) / f"{number}.md").write_text("x", "utf-8")
    interval = live_preview.polling_interval([str(large)])
    assert live_preview.QUICKEST_LOOK < interval <= live_preview.SLOWEST_LOOK


def test_the_preview_moves_unchanged_pages_instead_of_writing_them(
    basic_project: Path, quiet_logs: None
) -> None:
    preview = Preview(basic_project)
    other = preview.site / "modules/kohtaaminen/index.html"
    edited = preview.site / "modules/valmennus/index.html"
    before = other.stat().st_ino, edited.stat().st_ino
    body = basic_project / "curriculum/modules/valmennus.md"
    body.write_text(body.read_text("utf-8") + "\nSiirretty kappale.\n", "utf-8")
    preview.build()
    assert other.stat().st_ino == before[0]  # the same file, moved into the new site
    assert edited.stat().st_ino != before[1] and "Siirretty kappale." in edited.read_text("utf-8")
    assert not list(basic_project.glob(".polku-staging-*"))


def test_carry_over_moves_whole_folders_and_reports_what_it_could_not_move(
    tmp_path: Path,
) -> None:
    previous, staging = tmp_path / "previous", tmp_path / "staging"
    for name in ("a/x/index.html", "a/y/index.html", "b/index.html", "b/kalenteri.ics"):
        (previous / name).parent.mkdir(parents=True, exist_ok=True)
        (previous / name).write_text(name, "utf-8")
    (staging / "a/y").mkdir(parents=True)
    (staging / "a/y/index.html").write_text("new", "utf-8")  # written by this build
    pages = {"a/x/index.html", "a/y/index.html", "b/index.html", "gone/index.html"}
    missing = carry_over(previous, staging, pages)
    assert missing == {"a/y/index.html", "gone/index.html"}
    assert not (previous / "a/x").exists()  # a folder of carried pages only: moved whole
    assert (staging / "a/x/index.html").read_text("utf-8") == "a/x/index.html"
    assert (staging / "a/y/index.html").read_text("utf-8") == "new"
    assert (staging / "b/index.html").is_file() and not (staging / "b/kalenteri.ics").exists()
    assert (previous / "b/kalenteri.ics").is_file()  # not a page: left to be discarded

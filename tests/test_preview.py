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
from polku.mkdocs import preview as live_preview


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
def results_in_memory(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The preview's setting: cached results kept in this process (reset after the test)."""
    monkeypatch.setattr(store, "_memory", None)
    store.keep_results_in_memory()
    yield


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
    monkeypatch.setattr(store, "_memory", None)
    shutil.rmtree(basic_project / ".cache")
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

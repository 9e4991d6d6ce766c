"""Rebuilds reuse what did not change (the live preview and every build), and only that."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import edit
from mkdocs.commands.build import build
from mkdocs.config import load_config


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

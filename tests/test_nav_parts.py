"""Parts of the navigation rendered once per build give every page the same bytes.

polku's ``partials/nav-item.html`` takes a part of the navigation that many pages
share from ``mkdocs.nav_parts.NavParts``. A site built so must be byte-identical to
one that renders the whole navigation on every page, with directory URLs and with
file URLs (the offline site), and the parts must really be shared.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO
from mkdocs.commands.build import build
from mkdocs.config import load_config
from polku import parallel
from polku.mkdocs import nav_parts, theme
from polku.mkdocs.nav_parts import NavParts


@pytest.fixture
def quiet_logs() -> Iterator[None]:
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


def copy_project(name: str, destination: Path, *, directory_urls: bool) -> Path:
    target = destination / name
    if name == "hardening":
        shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("site", ".cache"))
    else:
        target.mkdir()
        for folder in ("curriculum", "docs", "overrides"):
            if (REPO / folder).is_dir():
                shutil.copytree(REPO / folder, target / folder)
        config = (REPO / "mkdocs.yml").read_text("utf-8")
        assert "\n  - polku\n" in config
        config = config.replace("\n  - polku\n", "\n  - polku:\n      pdf: false\n", 1)
        (target / "mkdocs.yml").write_text(config, "utf-8")
    if not directory_urls:
        config_file = target / "mkdocs.yml"
        config_file.write_text(
            config_file.read_text("utf-8") + "\nuse_directory_urls: false\n", "utf-8"
        )
    return target


def site_files(site: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.suffix == ".html"
    }


@pytest.mark.parametrize(
    ("name", "directory_urls"), [("real", True), ("real", False), ("hardening", True)]
)
def test_shared_parts_of_the_navigation_give_the_same_pages(
    name: str,
    directory_urls: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    quiet_logs: None,
) -> None:
    monkeypatch.setattr(parallel, "available_cores", lambda: 1)  # every part counted here
    project = copy_project(name, tmp_path, directory_urls=directory_urls)
    shared_site, whole_site = tmp_path / "shared", tmp_path / "whole"
    asked: list[tuple[Any, ...]] = []
    rendered: list[tuple[Any, ...]] = []
    key, render = NavParts.key, NavParts.rendered

    def counted_key(self: NavParts, *args: Any) -> tuple[Any, ...]:
        found = key(self, *args)
        asked.append(found)
        return found

    def counted_render(self: NavParts, found: tuple[Any, ...], caller: Any) -> Any:
        if found not in self._rendered:
            rendered.append(found)
        return render(self, found, caller)

    monkeypatch.setattr(NavParts, "key", counted_key)
    monkeypatch.setattr(NavParts, "rendered", counted_render)
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(shared_site)))
    shared = [found for found in asked if found]
    # most parts come from those rendered once (the small example has few pages a folder)
    assert len(shared) > (3 if name == "real" else 1) * len(rendered) > 0

    monkeypatch.setattr(NavParts, "key", lambda self, *args: ())  # nothing shared
    shutil.rmtree(project / ".cache", ignore_errors=True)
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(whole_site)))

    shared_pages, whole_pages = site_files(shared_site), site_files(whole_site)
    assert shared_pages.keys() == whole_pages.keys() and len(shared_pages) > 10
    different = [page for page in shared_pages if shared_pages[page] != whole_pages[page]]
    assert different == []


def test_a_part_linking_into_the_pages_own_folder_is_the_pages_own() -> None:
    class Item:
        def __init__(self, url: str | None, children: list[Any] = (), active: bool = False):
            self.url, self.children, self.active = url, list(children), active

    class Nav:
        def __init__(self, items: list[Item]) -> None:
            self.items = items

    inside = Item("modules/a/more/")
    beside = Item("modules/a-b/")
    section = Item(None, [beside, Item("methods/x/")])
    parts = NavParts(Nav([Item(None, [inside]), section, Item("index.html")]))
    page = Item("modules/a/")
    assert parts.key(beside, "p", 2, section, page)
    assert parts.key(section, "p", 1, None, page)  # "modules/a-b/" is not below "modules/a/"
    assert parts.key(Item("x/"), "p", 1, None, page) == ()  # not in this navigation
    assert parts.key(section, "p", 1, None, Item("")) == ()  # the home page's folder holds all
    holder = Nav([Item(None, [inside])]).items[0]
    parts = NavParts(Nav([holder]))
    assert parts.key(holder, "p", 1, None, page) == ()  # a link below the page's folder
    assert parts.key(holder, "p", 1, None, Item("modules/b/"))
    assert parts.key(holder, "p", 1, None, Item("methods/b.html"))
    assert parts.key(holder, "p", 1, None, Item("modules/b.html")) == ()  # its folder: modules/
    active = Item(None, [Item("methods/y/")], active=True)
    assert NavParts(Nav([active])).key(active, "p", 1, None, page) == ()


def test_polkus_templates_come_after_the_projects_own(tmp_path: Path) -> None:
    config = load_config(str(REPO / "mkdocs.yml"))
    theme.add_templates(config)
    theme.add_templates(config)  # once
    dirs = config.theme.dirs
    assert dirs.count(theme.THEME_TEMPLATES) == 1
    assert dirs.index(theme.THEME_TEMPLATES) == 1 and dirs[0].endswith("overrides")
    assert Path(theme.THEME_TEMPLATES, "partials", "nav-item.html").is_file()
    assert nav_parts.__doc__

"""Rebuilds reuse what did not change (the live preview and every build), and only that."""

from __future__ import annotations

import json
import logging
import os
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
from polku.mkdocs import preview_update
from polku.mkdocs.carry_over import carry_over


@pytest.fixture(autouse=True)
def results_kept_for_this_test_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A preview keeps cached results in this process: not past the test that made them."""
    monkeypatch.setattr(store, "_memory", None)
    monkeypatch.setattr(store, "_decoded", {})
    monkeypatch.setattr(store, "_stores", {})
    monkeypatch.setattr(store, "_on_disk", {})
    monkeypatch.setattr(carried, "_published", {})
    # a preview keeps MkDocs' page functions wrapped while it runs: not past the test
    from mkdocs.commands import build as mkdocs_build

    monkeypatch.setattr(mkdocs_build, "_build_page", mkdocs_build._build_page)
    monkeypatch.setattr(mkdocs_build, "_populate_page", mkdocs_build._populate_page)
    # the projects are copied a moment before they are built
    monkeypatch.setattr(preview_update, "UNSURE_SECONDS", 0.0)


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

    def save(self) -> str:
        """What the development server does after a save: "updated" in place or "built"."""
        if self.plugin.update_preview():
            return "updated"
        self.build()
        return "built"

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
    monkeypatch.setattr(store, "_stores", {})
    monkeypatch.setattr(store, "_on_disk", {})
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


def test_a_shared_store_is_read_once_per_preview_while_its_file_stays_its_own(
    tmp_path: Path, results_in_memory: None
) -> None:
    import marshal

    from polku import background

    path = tmp_path / "results.marshal"
    first = store.Store(path, "salt", shared=True)
    first.put(first.key("a"), "A")
    first.save()
    background.wait()  # written while the preview goes on
    assert marshal.loads(path.read_bytes()) == {first.key("a"): "A"}
    second = store.Store(path, "salt", shared=True)
    assert second.get(second.key("a")) == "A"
    assert second._stored is store._stores[str(path)][2]  # from memory, not decoded again
    # another process writes the file: it is read again
    path.write_bytes(marshal.dumps({first.key("b"): "B"}))
    third = store.Store(path, "salt", shared=True)
    assert third.get(third.key("a")) is None and third.get(third.key("b")) == "B"
    # a store whose results may be changed by its callers is always decoded afresh
    plain = store.Store(path, "salt")
    assert plain.get(plain.key("b")) == "B" and plain._stored is not third._stored


def test_the_preview_reads_again_only_the_files_whose_state_changed(
    tmp_path: Path, results_in_memory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from polku.diagnostics import Report
    from polku.reading import text as reading

    monkeypatch.setattr(reading, "_texts", {})
    path = tmp_path / "moduuli.md"
    path.write_text("Ensimmäinen.", "utf-8")
    first = reading.read_text(path, "moduuli.md", Report())
    assert reading.read_text(path, "moduuli.md", Report()) is first  # not read again
    path.write_text("Toinen, pidempi.", "utf-8")
    assert reading.read_text(path, "moduuli.md", Report()) == "Toinen, pidempi."
    path.write_bytes(b"Rikki \x1b.")  # a problem is reported every time
    for _ in range(2):
        report = Report()
        assert reading.read_text(path, "moduuli.md", report) is None
        assert "ESC" in str(report.items[0])


def test_a_preview_prunes_the_results_its_last_build_left_without_listing_them(
    tmp_path: Path, results_in_memory: None
) -> None:
    folder = tmp_path / "pages"
    first = store.FileStore(folder, "salt")
    kept, dropped = first.key("kept"), first.key("dropped")
    first.put(kept, "k")
    first.put(dropped, "d")
    first.prune()
    first.flush()  # written in the background
    assert {p.name for p in folder.glob("*/*")} == {kept, dropped}
    second = store.FileStore(folder, "salt")
    assert second.get(kept) == "k"
    second.prune()
    assert {p.name for p in folder.glob("*/*")} == {kept}
    assert store._on_disk[str(folder)] == {kept}


def test_pruning_a_file_store_leaves_the_results_being_written_alone(tmp_path: Path) -> None:
    """A build prunes while its results are still written in the background: their
    temporary files are left to become the results; those a stopped build left go."""
    import os

    folder = tmp_path / "pages"
    results = store.FileStore(folder, "salt")
    kept = results.key("kept")
    (folder / kept[:2]).mkdir(parents=True)
    writing = folder / kept[:2] / f".{kept}.{os.getpid()}.1.tmp"
    left = folder / kept[:2] / f".{kept}.{os.getpid() + 1}.1.tmp"
    old = folder / "00" / ("0" * 64)
    old.parent.mkdir()
    for path in (writing, left, old):
        path.write_bytes(b"")
    results.used.add(kept)
    results.prune()
    assert writing.exists() and not left.exists() and not old.exists()


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


def test_a_build_links_unchanged_pages_into_folders_made_ahead(tmp_path: Path) -> None:
    previous, staging = tmp_path / "previous", tmp_path / "staging"
    published = {}
    for name in ("a/x/index.html", "a/y/index.html", "index.html", "old/index.html"):
        (previous / name).parent.mkdir(parents=True, exist_ok=True)
        (previous / name).write_text(name, "utf-8")
        published[name] = ("key", [])
    staging.mkdir()
    pages = {"a/x/index.html", "a/y/index.html", "index.html", "new/index.html"}
    moved = carried.Published(previous, published)  # the preview moves whole folders
    assert carried.make_folders(staging, moved, pages) is None
    assert carried.make_folders(staging, None, pages) is None
    process = carried.make_folders(staging, carried.Published(previous, published, True), pages)
    assert process is not None
    carried.folders_made(process)
    assert process.returncode == 0
    made = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*"))
    assert made == ["a", "a/x", "a/y"]  # of the pages both sites have
    assert carried.link_over(previous, staging, pages - {"new/index.html"}) == set()
    assert (staging / "a/x/index.html").stat().st_ino == (previous / "a/x/index.html").stat().st_ino
    assert (previous / "a/x/index.html").is_file()  # linked: the published site stays whole


# --- saves of page text update the shown site in place ------------------------------------


def cold_site(project: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The site of ``project`` built from scratch: no cache, nothing kept in this process."""
    monkeypatch.setattr(store, "_memory", None)
    monkeypatch.setattr(store, "_decoded", {})
    monkeypatch.setattr(store, "_stores", {})
    monkeypatch.setattr(store, "_on_disk", {})
    monkeypatch.setattr(carried, "_published", {})
    shutil.rmtree(project / ".cache", ignore_errors=True)
    cold = Preview(project)
    try:
        return site_files(cold.site)
    finally:
        shutil.rmtree(cold.site)


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def test_a_saved_module_body_updates_that_page_in_place(
    basic_project: Path, quiet_logs: None, results_in_memory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = Preview(basic_project)
    edited = preview.site / "modules/valmennus/index.html"
    other = preview.site / "modules/kohtaaminen/index.html"
    index = preview.site / "search/search_index.json"
    before = other.stat().st_ino, edited.stat().st_mtime_ns
    append(basic_project / "curriculum/modules/valmennus.md", "\nPäivitetty paikallaan.\n")
    assert preview.save() == "updated"
    assert preview.plugin.pages.converted == ["modules/valmennus.md"]
    assert "Päivitetty paikallaan." in edited.read_text("utf-8")
    assert any(
        "Päivitetty paikallaan." in entry["text"]
        for entry in json.loads(index.read_text("utf-8"))["docs"]
    )
    assert other.stat().st_ino == before[0]  # untouched
    assert not [p for p in preview.site.rglob("*") if p.name.endswith(".polku-update")]
    kept = site_files(preview.site)
    assert kept == cold_site(basic_project, monkeypatch)


def test_updates_in_place_and_whole_builds_in_turn_give_the_site_a_cold_build_gives(
    basic_project: Path, quiet_logs: None, results_in_memory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = Preview(basic_project)
    body = basic_project / "curriculum/modules/valmennus.md"
    original = body.read_text("utf-8")
    append(body, "\nEnsimmäinen muutos.\n")
    assert preview.save() == "updated"
    body.write_text(original, "utf-8")  # back as it was: the page comes from the cache
    assert preview.save() == "updated"
    assert preview.plugin.pages.converted == []
    assert "Ensimmäinen muutos." not in preview.page("modules/valmennus")
    # a whole build after updates moves only pages the shown site holds as they should be
    edit(
        basic_project,
        "curriculum/programmes/perehdytys.yml",
        "title: Valmentajan perehdytys",
        "title: Uusi nimi",
    )
    assert preview.save() == "built"
    append(body, "\nToinen muutos.\n")
    assert preview.save() == "updated"
    assert preview.save() == "updated"  # nothing changed
    kept = site_files(preview.site)
    assert "Toinen muutos." in preview.page("modules/valmennus")
    assert "Uusi nimi" in preview.page("modules/kohtaaminen")
    assert kept == cold_site(basic_project, monkeypatch)


@pytest.mark.parametrize(
    ("path", "old", "new", "why"),
    [
        # a module's title: in its front matter, its tags listing, other pages' links
        ("curriculum/modules/valmennus.yml", "title: ", "title: Uusi ", "differently"),
        ("mkdocs.yml", "site_name: Testikoulutus", "site_name: Toinen", "outside"),
        ("docs/ohje.md", "\n", "\nKäsin kirjoitettu lisäys.\n", "outside"),
    ],
)
def test_a_change_beyond_page_text_builds_the_whole_site(
    basic_project: Path,
    quiet_logs: None,
    results_in_memory: None,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    old: str,
    new: str,
    why: str,
) -> None:
    preview = Preview(basic_project)
    reasons: list[str] = []
    update = preview_update.update

    def noted(*args: Any) -> Any:
        try:
            return update(*args)
        except preview_update.NotInPlace as reason:
            reasons.append(str(reason))
            raise

    monkeypatch.setattr(preview_update, "update", noted)
    edit(basic_project, path, old, new)
    assert preview.save() == "built"
    assert why in reasons[0]
    kept = site_files(preview.site)
    monkeypatch.setattr(preview_update, "update", update)
    assert kept == cold_site(basic_project, monkeypatch)


def test_a_hand_written_page_listing_the_programmes_follows_their_summary(
    cohort_project: Path, quiet_logs: None, results_in_memory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = Preview(cohort_project)
    edit(
        cohort_project,
        "curriculum/programmes/ryhmat.yml",
        "summary: Sama perehdytys usealle ryhmälle vuodessa.",
        "summary: Uusi kuvaus ryhmille.",
    )
    assert preview.save() == "updated"
    assert "Uusi kuvaus ryhmille." in (preview.site / "index.html").read_text("utf-8")
    kept = site_files(preview.site)
    assert kept == cold_site(cohort_project, monkeypatch)


def test_an_update_leaves_a_hand_written_page_in_place_of_a_generated_one(
    basic_project: Path, quiet_logs: None, results_in_memory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = basic_project / "docs/programmes/index.md"
    own.parent.mkdir()
    own.write_text("# Omat ohjelmat\n\nKäsin kirjoitettu luettelo.\n", "utf-8")
    preview = Preview(basic_project)
    edit(  # shown by the generated programmes index, which docs/ replaces
        basic_project,
        "curriculum/programmes/perehdytys.yml",
        "summary: Kahden viikon perehdytys uusille valmentajille.",
        "summary: Uusi yhteenveto.",
    )
    assert preview.save() == "updated"
    assert "Käsin kirjoitettu luettelo." in preview.page("programmes")
    assert "Uusi yhteenveto." in preview.page("programmes/perehdytys")
    kept = site_files(preview.site)
    assert kept == cold_site(basic_project, monkeypatch)


def test_an_update_that_finds_errors_changes_nothing_and_the_fix_updates(
    basic_project: Path, results_in_memory: None, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.exceptions import PluginError

    preview = Preview(basic_project)
    before = site_files(preview.site)
    module = basic_project / "curriculum/modules/valmennus.yml"
    text = module.read_text("utf-8")
    module.write_text(text.replace("title: ", "title: [", 1), "utf-8")
    with pytest.raises(PluginError):
        preview.plugin.update_preview()
    assert "valmennus.yml" in caplog.text
    assert site_files(preview.site) == before
    module.write_text(text, "utf-8")
    append(basic_project / "curriculum/modules/valmennus.md", "\nKorjattu.\n")
    assert preview.save() == "updated"
    assert "Korjattu." in preview.page("modules/valmennus")


def test_an_update_that_fails_midway_leaves_the_shown_site_and_builds_whole_next(
    basic_project: Path, quiet_logs: None, results_in_memory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = Preview(basic_project)
    before = site_files(preview.site)
    append(basic_project / "curriculum/modules/valmennus.md", "\nKesken jäänyt.\n")
    search_text = preview_update.SearchIndexText

    def broken(self: Any) -> str:
        raise OSError("the disk is full")

    monkeypatch.setattr(search_text, "text", broken)
    with pytest.raises(OSError):
        preview.plugin.update_preview()
    assert site_files(preview.site) == before  # no page, no temporary file
    monkeypatch.setattr(search_text, "text", preview_update.SearchIndexText.text)
    assert preview.plugin.shown is None
    assert preview.save() == "built"
    assert "Kesken jäänyt." in preview.page("modules/valmennus")


def test_a_file_changed_while_the_whole_build_read_it_is_not_trusted(
    basic_project: Path, quiet_logs: None, results_in_memory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview_update, "UNSURE_SECONDS", 60.0)
    os.utime(basic_project / "mkdocs.yml")  # saved a moment before the build read it
    preview = Preview(basic_project)
    append(basic_project / "curriculum/modules/valmennus.md", "\nUusi.\n")
    assert preview.save() == "built"


def test_the_search_index_text_is_materials_own(basic_site: Path) -> None:
    from material.plugins.search.plugin import SearchIndex

    data = json.loads((basic_site / "search/search_index.json").read_text("utf-8"))
    index = SearchIndex(lang=["fi"], separator=data["config"]["separator"], pipeline=[], fields={})
    index.config.update(data["config"])
    index.entries = [*data["docs"], {"location": "x/", "title": "Ä <b>", "text": "\u2028 ö"}]
    text = preview_update.SearchIndexText(index)
    assert text.text() == index.generate_search_index(None)
    # a page's entries replaced by fewer and by more
    text.replace(
        index.entries[0:2], [{"location": "y/", "title": "uusi", "text": "", "tags": ["a"]}]
    )
    assert text.text() == index.generate_search_index(None)
    text.replace(index.entries[-1:], [{"location": "z/", "title": "1", "text": "2"}] * 3)
    assert text.text() == index.generate_search_index(None)
    with pytest.raises(preview_update.NotInPlace):  # entries that are not the index's
        text.replace([{"location": "y/", "title": "uusi", "text": ""}], [])

"""``polku build`` with nothing changed leaves the published site as it is, and only then.

Every kind of input gets its own case: a change of any of them must build again, and
the build after that must find the site up to date. The site a skipped build leaves is
the one a forced build writes, byte for byte.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_fixture, run_polku

UP_TO_DATE = "is up to date"
BUILT = "polku: built"


def build(project: Path, *args: str | Path, env: dict[str, str] | None = None) -> str:
    """Build ``project`` without PDFs; what it said on both streams."""
    if env:
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
    try:
        result = run_polku("build", "--root", project, "--no-pdf", *args)
    finally:
        if env:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of a site: its bytes and its inode (a rewritten file gets a new one)."""
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_ino)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def contents(folder: Path) -> dict[str, bytes]:
    return {name: data for name, (data, _inode) in files(folder).items()}


def same_size_edit(path: Path, *, after: str = "", keep_time: bool = False) -> None:
    """Change a file's text but not its size (and, with ``keep_time``, its modification time).

    Keeping the time of a file changed moments before is the worst case for a comparison
    by size and time: only the content tells (as with make and Git, a file changed long
    after with its old size and time restored is not seen).
    """
    stat = path.stat()
    text = path.read_text("utf-8")
    index = text.index("a", text.index(after))
    path.write_text(text[:index] + "e" + text[index + 1 :], "utf-8")
    if keep_time:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("basic", tmp_path_factory.mktemp("freshness"))
    assert BUILT in build(project)
    return project


def test_a_second_build_leaves_the_site_as_it_is(project: Path) -> None:
    build(project)  # up to date or not, after the cases before
    before = files(project / "site")
    said = build(project)
    assert UP_TO_DATE in said and BUILT not in said
    assert files(project / "site") == before  # not one file written again
    forced = build(project, "--force")
    assert BUILT in forced
    assert contents(project / "site") == {name: data for name, (data, _) in before.items()}


def test_quiet_says_nothing_when_up_to_date(project: Path) -> None:
    build(project)
    result = run_polku("build", "--root", project, "--no-pdf", "-q")
    assert result.returncode == 0
    assert UP_TO_DATE not in result.stderr


CHANGES: dict[str, Callable[[Path], object]] = {
    "module body": lambda p: append(p / "curriculum/modules/valmennus.md", "\nLisää tekstiä.\n"),
    "module body, same size and time": lambda p: same_size_edit(
        p / "curriculum/modules/valmennus.md", keep_time=True
    ),
    "module title": lambda p: same_size_edit(
        p / "curriculum/modules/kohtaaminen.yml", after="\ntitle:"
    ),
    "glossary": lambda p: append(p / "curriculum/glossary.yml", "\n"),
    "programme": lambda p: append(p / "curriculum/programmes/perehdytys.yml", "\n"),
    "asset": lambda p: append(p / "curriculum/assets/kaavio.png", "\0"),
    "new module file": lambda p: (p / "curriculum/modules/uusi.yml").write_text(
        (p / "curriculum/modules/kohtaaminen.yml")
        .read_text("utf-8")
        .replace("id: kohtaaminen", "id: uusi"),
        "utf-8",
    ),
    "removed module file": lambda p: (p / "curriculum/modules/uusi.yml").unlink(),
    "hand-written page": lambda p: append(p / "docs/ohje.md", "\nUusi kappale.\n"),
    "new page in docs": lambda p: (p / "docs/lisa.md").write_text("# Lisä\n", "utf-8"),
    "hidden file in docs": lambda p: (p / "docs/.piilo").write_text("x", "utf-8"),
    "config": lambda p: append(p / "mkdocs.yml", "\n# a comment\n"),
    "theme override": lambda p: (
        (p / "overrides").mkdir()
        or (p / "overrides/main.html").write_text('{% extends "base.html" %}\n', "utf-8")
    ),
    "site file edited": lambda p: append(p / "site/index.html", "<!-- edited -->"),
    "site file removed": lambda p: (p / "site/sitemap.xml").unlink(),
    "site file added": lambda p: (p / "site/extra.txt").write_text("x", "utf-8"),
    "cache removed": lambda p: shutil.rmtree(p / ".cache"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_builds_again(project: Path, change: str) -> None:
    build(project)  # the cases share the project: start from a recorded build
    CHANGES[change](project)
    said = build(project)
    assert BUILT in said and UP_TO_DATE not in said, change
    assert UP_TO_DATE in build(project)


def test_other_options_and_settings_build_again(project: Path) -> None:
    build(project)
    assert BUILT in build(project, "--offline")
    assert BUILT in build(project)
    assert BUILT in build(project, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert UP_TO_DATE in build(project, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert BUILT in build(project)


def test_each_site_folder_has_its_own_record(project: Path, tmp_path: Path) -> None:
    build(project)
    other = project / "toinen"  # inside the project: a site is never an input of another
    assert BUILT in build(project, "--site-dir", other)
    assert UP_TO_DATE in build(project)
    assert UP_TO_DATE in build(project, "--site-dir", other)
    shutil.rmtree(other)
    assert BUILT in build(project, "--site-dir", other)


def test_the_problems_are_told_again(tmp_path: Path) -> None:
    project = copy_fixture("basic", tmp_path)
    module = project / "curriculum/modules/valmennus.yml"
    outcome = "  - id: uusi\n    text: Uusi.\n  - id: periaatteet\n"  # practised by none
    text = module.read_text("utf-8").replace("  - id: periaatteet\n", outcome)
    module.write_text(text, "utf-8")
    first = run_polku("build", "--root", project, "--no-pdf")
    second = run_polku("build", "--root", project, "--no-pdf")
    assert first.returncode == second.returncode == 0
    assert "(P302)" in first.stdout and "site_url" in first.stdout  # the check's, the build's
    assert UP_TO_DATE in second.stderr
    assert second.stdout == first.stdout


def test_a_build_that_logged_warnings_builds_every_time(tmp_path: Path) -> None:
    project = copy_fixture("basic", tmp_path)
    append(project / "docs/ohje.md", "\n[puuttuva](puuttuva.md)\n")
    for _ in range(2):
        said = build(project)
        assert BUILT in said and "puuttuva.md" in said


def test_a_linked_folder_in_the_sources_is_never_vouched_for(tmp_path: Path) -> None:
    project = copy_fixture("basic", tmp_path)
    shared = tmp_path / "yhteiset"
    shared.mkdir()
    (shared / "liite.md").write_text("# Liite\n", "utf-8")
    (project / "docs/yhteiset").symlink_to(shared, target_is_directory=True)
    build(project)
    assert BUILT in build(project)  # the linked files could change unseen

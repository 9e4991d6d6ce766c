"""The site folder is polku's alone: the marker rule, locks, staging and permissions."""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_fixture, run_polku
from polku.site_dir import MARKER, BuildLockedError, SiteDir, SiteDirError, check_target


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_absent_empty_and_marked_folders_are_polkus(tmp_path: Path) -> None:
    check_target(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    check_target(tmp_path / "empty")
    marked = tmp_path / "marked"
    marked.mkdir()
    (marked / MARKER).write_text("polku\n")
    (marked / "index.html").write_text("<p>old</p>")
    check_target(marked)


def test_a_folder_with_someone_elses_files_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"jpeg")
    with pytest.raises(SiteDirError, match="not empty and polku did not build it"):
        check_target(folder)
    a_file = tmp_path / "site"
    a_file.write_text("notes")
    with pytest.raises(SiteDirError, match="is a file"):
        check_target(a_file)
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SiteDirError):
        check_target(link)


def test_sources_the_project_home_and_root_are_always_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    curriculum, docs = root / "curriculum", root / "docs"
    for folder in (curriculum / "assets", docs):
        folder.mkdir(parents=True)
    sources = [curriculum, docs]
    for target in (root, curriculum, curriculum / "assets", docs, tmp_path, Path("/")):
        with pytest.raises(SiteDirError):
            check_target(target, root=root, sources=sources)
    with pytest.raises(SiteDirError):
        check_target(Path.home(), root=root, sources=sources)
    with pytest.raises(SiteDirError, match="inside"):
        check_target(docs / "site", root=root, sources=sources)
    check_target(root / "site", root=root, sources=sources)


def test_the_lock_covers_the_target(tmp_path: Path) -> None:
    first = SiteDir(tmp_path / "site")
    first.open()
    with pytest.raises(BuildLockedError):
        SiteDir(tmp_path / "site").open()
    first.abandon()
    again = SiteDir(tmp_path / "site")
    again.open()
    again.abandon()


def test_no_lock_file_is_left_once_a_build_ends(tmp_path: Path) -> None:
    """The lock lives as long as the build: a user's folder keeps no file of polku's
    (nor the system's temporary folder, where ``mkdocs serve`` builds)."""
    site = SiteDir(tmp_path / "site")
    staging = site.open()
    assert site.lock_path.is_file()
    (staging / "index.html").write_text("x")
    site.publish()
    failed = SiteDir(tmp_path / "site")
    failed.open()
    failed.abandon()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_lock_on_a_removed_lock_file_is_not_taken_for_the_lock(tmp_path: Path) -> None:
    """A build that opened the lock file just before the build holding it removed it
    must not take that file's lock for its own."""
    first = SiteDir(tmp_path / "site")
    first.open()
    opened_before = os.open(first.lock_path, os.O_RDWR)  # then the first build ends
    first.abandon()
    second = SiteDir(tmp_path / "site")
    second.open()  # a new lock file
    fcntl.flock(opened_before, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the old file's lock is free
    os.close(opened_before)
    with pytest.raises(BuildLockedError):
        SiteDir(tmp_path / "site").open()
    second.abandon()
    # the holder lets go between this build's open and lock: the lock is taken again
    real_flock, calls = fcntl.flock, []

    def flock_after_the_holder_let_go(handle: int, operation: int) -> None:
        if not calls:
            second.lock_path.unlink()
            second.lock_path.write_text("")  # and the next build made a new one
        calls.append(operation)
        real_flock(handle, operation)

    racing = SiteDir(tmp_path / "site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fcntl, "flock", flock_after_the_holder_let_go)
        racing.open()
        assert racing._lock is not None
        assert os.fstat(racing._lock).st_ino == racing.lock_path.stat().st_ino
        assert len(calls) == 2
        racing.abandon()
    # a lock file an older polku left is taken and removed
    second.lock_path.write_text("123")
    third = SiteDir(tmp_path / "site")
    third.open()
    third.abandon()
    assert not third.lock_path.exists()


def test_a_build_never_touches_another_builds_staging(tmp_path: Path) -> None:
    """Two targets whose names share a prefix: each build keeps to its own folders."""
    one, two = SiteDir(tmp_path / "site"), SiteDir(tmp_path / "site-x")
    staging_one = one.open()
    (staging_one / "index.html").write_text("one")
    staging_two = two.open()  # cleans up only what belongs to site-x
    (staging_two / "index.html").write_text("two")
    assert staging_one.is_dir()
    one.publish()
    two.publish()
    assert (tmp_path / "site" / "index.html").read_text() == "one"
    assert (tmp_path / "site-x" / "index.html").read_text() == "two"
    assert (tmp_path / "site" / MARKER).is_file()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".polku-staging")]
    assert leftovers == []


def test_a_killed_builds_staging_is_cleaned_up_by_the_next(tmp_path: Path) -> None:
    crashed = SiteDir(tmp_path / "site")
    stale = crashed.open()
    crashed._release()  # the process died holding its staging folder
    other = SiteDir(tmp_path / "site-2")
    other_staging = other.open()
    SiteDir(tmp_path / "site").open()
    assert not stale.exists()
    assert other_staging.exists()


def test_published_folders_have_normal_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        site = SiteDir(tmp_path / "site")
        staging = site.open()
        (staging / "index.html").write_text("x")
        site.publish()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "site").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "site" / "index.html").stat().st_mode) == 0o644


@pytest.mark.parametrize("where", ["curriculum", "curriculum/assets", "docs", ".", "..", "home"])
def test_build_refuses_folders_that_are_not_its_own(tmp_path: Path, where: str) -> None:
    project = copy_fixture("basic", tmp_path)
    before = tree(project)
    target = Path.home() if where == "home" else project / where
    result = run_polku("build", "--root", project, "--no-pdf", "--site-dir", target)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "polku: error:" in result.stderr and "Traceback" not in result.stderr
    assert tree(project) == before


def test_build_refuses_a_file_named_site(tmp_path: Path) -> None:
    project = copy_fixture("basic", tmp_path)
    (project / "site").write_text("my notes")
    result = run_polku("build", "--root", project, "--no-pdf")
    assert result.returncode == 2
    assert (project / "site").read_text() == "my notes"


def test_two_builds_into_two_folders_both_publish_whole_sites(tmp_path: Path) -> None:
    project = copy_fixture("basic", tmp_path)
    command = [sys.executable, "-m", "polku", "build", "--root", str(project), "--no-pdf", "-q"]
    runs = [
        subprocess.Popen(
            [*command, "--site-dir", str(tmp_path / name)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("site", "site-2")
    ]
    for process in runs:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    one, two = tree(tmp_path / "site"), tree(tmp_path / "site-2")
    assert "modules/valmennus/index.html" in one
    assert sorted(one) == sorted(two)

"""Unchanged pages are moved (live preview) or linked (build) from the previous site.

The preview builds every version of the site in a new staging folder and swaps it
in whole (:mod:`polku.site_dir`). Writing all of a large site's pages again for
each save cost more than everything else a rebuild does: a folder and a file per
page. A page whose rendered HTML is known to be the same as the one the previous
version published (same cache key, same place) is instead moved from the previous
site, which is discarded after the swap anyway; a folder whose every file is such
a page is moved whole, in one rename.

``polku build`` must leave the published site whole until the new one replaces it
(and if the build fails), so it links each unchanged page into the new site instead:
the file then belongs to both until the previous site is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def carry_over(previous: Path, staging: Path, pages: set[str]) -> set[str]:
    """Move the files ``pages`` (paths relative to the site) from ``previous`` to ``staging``.

    Returns the pages that could not be moved (gone from ``previous``, or already
    written in ``staging``): the caller writes those itself.
    """
    whole = _whole_folders(previous, pages)
    moved: set[str] = set()

    def move(folder: str) -> None:
        try:
            entries = list(os.scandir(previous / folder))
        except OSError:
            return
        for entry in entries:
            relative = f"{folder}/{entry.name}" if folder else entry.name
            target = staging / relative
            if entry.is_dir(follow_symlinks=False):
                if relative not in whole:
                    move(relative)
                elif not os.path.lexists(target):
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.rename(entry.path, target)
                    moved.update(whole[relative])
                else:
                    move(relative)
            elif relative in pages and not os.path.lexists(target):
                target.parent.mkdir(parents=True, exist_ok=True)
                os.rename(entry.path, target)
                moved.add(relative)

    move("")
    return pages - moved


def _whole_folders(previous: Path, pages: set[str]) -> dict[str, set[str]]:
    """The folders under ``previous`` that hold only ``pages`` (and at least one), with them."""
    whole: dict[str, set[str]] = {}
    for root, folders, files in os.walk(previous, topdown=False):  # a folder after its own
        relative = os.path.relpath(root, previous).replace(os.sep, "/")
        if relative == ".":
            continue  # the site folder itself is never moved
        held = {f"{relative}/{name}" for name in files}
        complete = held <= pages
        for name in folders:
            child = whole.get(f"{relative}/{name}")
            if child is None:  # other files, an empty folder or a link: moved file by file
                complete = False
            else:
                held |= child
        if complete and held:
            whole[relative] = held
    return whole


def link_over(previous: Path, staging: Path, pages: set[str]) -> set[str]:
    """Hard-link the files ``pages`` of ``previous`` into ``staging``; those that could not be."""
    missing: set[str] = set()
    made: set[str] = set()
    # paths as text: pathlib's objects, and its mkdir failing up to each new folder's
    # parent, were two thirds of linking a large site
    source, folder = str(previous), str(staging)
    for page in sorted(pages):
        target = os.path.join(folder, page)
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        try:
            os.link(os.path.join(source, page), target, follow_symlinks=False)
        except OSError:  # gone, another file system, links not allowed: written instead
            missing.add(page)
    return missing


Folders = subprocess.Popen[bytes] | None  # a process making folders, if one was started


def make_folders(staging: Path, previous: Published | None, pages: set[str]) -> Folders:
    """Start making the folders of the ``pages`` (paths of the new site) that ``previous``
    published, in ``staging``, in a process of its own; None when not started
    (:func:`link_over` makes what is missing).

    Made by the build, each of a large site's page folders cost the rebuild several
    times what linking the page into it did; another process makes them on the other
    core while this one reads the pages. Only what fits a command line is handed over.
    """
    if previous is None or not previous.link:
        return None
    folders = sorted({os.path.dirname(page) for page in previous.pages if page in pages} - {""})
    if not folders or sum(len(folder) + 1 for folder in folders) > _FOLDERS_MAX:
        return None
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _MAKE_FOLDERS, *folders],
            cwd=staging,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
    except OSError:
        return None


def folders_made(process: Folders) -> None:
    """Wait for :func:`make_folders` to end (nothing else may write into the folder once
    it is published or removed)."""
    if process is not None and process.poll() is None:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_MAKE_FOLDERS = "import os, sys\nfor folder in sys.argv[1:]: os.makedirs(folder, exist_ok=True)"
_FOLDERS_MAX = 1 << 20  # bytes of a command line, well within any system's limit


# --- what a published site holds -------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """A published site: its folder and, per page, its key and entries."""

    site: Path
    pages: dict[str, tuple[str, list[Any]]]  # dest_uri -> (key, search entries)
    link: bool = False  # the pages are linked into the next site (a build), not moved


# the last site the live preview published, by folder: kept between its rebuilds
_published: dict[str, Published] = {}


def remember_published(site: Path, pages: dict[str, tuple[str, list[Any]]]) -> None:
    """Note that ``site`` now holds ``pages`` (the preview only)."""
    _published.clear()  # one preview per process: only its newest site is of use
    _published[str(site)] = Published(site, pages)


def previously_published(site: Path) -> Published | None:
    return _published.get(str(site))


def forget_published() -> None:
    """The preview's site is in an unknown state (a build failed while publishing)."""
    _published.clear()


def record_of(folder: Path, site: Path) -> Path:
    """Where the pages of the site published in ``site`` are recorded (in ``folder``)."""
    name = hashlib.sha256(str(site.resolve()).encode()).hexdigest()[:16]
    return folder / f"published-{name}.marshal"


def save_record(record: Path, site_dir: Path, pages: dict[str, tuple[str, list[Any]]]) -> None:
    """Record each page of ``site_dir`` (about to be published) with its file as it is."""
    entries: dict[str, tuple[str, list[Any], int, int, int]] = {}
    folder = str(site_dir)  # paths as text: see link_over
    for dest, (key, search) in pages.items():
        try:
            found = os.lstat(os.path.join(folder, dest))
        except OSError:
            continue
        entries[dest] = (key, search, found.st_size, found.st_mtime_ns, found.st_ino)
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        partial = record.with_name(f"{record.name}.{os.getpid()}.partial")
        partial.write_bytes(marshal.dumps(entries))
        partial.replace(record)
    except (OSError, ValueError):  # not writable: the next build writes every page itself
        with contextlib.suppress(OSError):
            record.unlink(missing_ok=True)


def recorded(record: Path, site: Path) -> Published | None:
    """The pages of ``site`` a build recorded, each while its file is the one it wrote.

    A page edited, replaced, or copied since (another size, time or inode) is left
    out: the build writes it again.
    """
    try:
        entries = marshal.loads(record.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(entries, dict):
        return None
    pages: dict[str, tuple[str, list[Any]]] = {}
    folder = str(site)
    for dest, entry in entries.items():
        try:
            key, search, size, mtime, inode = entry
            found = os.lstat(os.path.join(folder, dest))
        except (OSError, TypeError, ValueError):
            continue
        if stat.S_ISREG(found.st_mode) and (
            found.st_size,
            found.st_mtime_ns,
            found.st_ino,
        ) == (size, mtime, inode):
            pages[dest] = (key, search)
    return Published(site, pages, link=True)

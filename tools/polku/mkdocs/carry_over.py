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

import os
from pathlib import Path


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
    made: set[Path] = set()
    for page in sorted(pages):
        target = staging / page
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(previous / page, target, follow_symlinks=False)
        except OSError:  # gone, another file system, links not allowed: written instead
            missing.add(page)
    return missing

"""Find the files of a curriculum folder, and report the ones that cannot be read.

Each kind has its folder (``programmes/<id>.yml``, ``modules/<id>.yml`` ...) and
the glossary is ``glossary.yml``. A file that is a symbolic link out of the
curriculum folder is refused here, before anything reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..diagnostics import Report
from .text import printable

KIND_DIRS = {"programme": "programmes", "module": "modules", "method": "methods"}


class CurriculumFile(NamedTuple):
    """A YAML file to load."""

    path: Path
    kind: str  # a key of KIND_MODELS
    folder_inside: bool  # its folder is inside the curriculum folder (no link leads out)


@dataclass
class Discovery:
    """What ``discover`` found: the files to load, in order, and those refused."""

    root: Path  # the project folder, resolved
    base: Path  # the curriculum folder, resolved
    exists: bool = True  # the curriculum folder is there
    files: list[CurriculumFile] = field(default_factory=list)
    # (kind, file stem) of files refused before reading: references to them are not
    # reported again
    broken: set[tuple[str, str]] = field(default_factory=set)


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with forward slashes, as diagnostics show it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def discover(root: Path, report: Report, curriculum_dir: str = "curriculum") -> Discovery:
    """The files under ``root/curriculum_dir`` to load; problems with names go to ``report``."""
    root = root.resolve()
    found = Discovery(root, (root / curriculum_dir).resolve())
    if not found.base.is_dir():
        report.error(
            curriculum_dir,
            1,
            1,
            f"no '{curriculum_dir}/' folder here; run 'polku init' or pass --root",
        )
        found.exists = False
        return found
    for kind, folder in KIND_DIRS.items():
        directory = found.base / folder
        if directory.is_dir():
            _kind_folder(found, kind, directory, report)
    _glossary(found, report)
    return found


def _kind_folder(found: Discovery, kind: str, directory: Path, report: Report) -> None:
    """The ``<id>.yml`` files of one kind's folder; other names are reported."""
    names = _readable_names(directory, found.root, report)
    for name in names:
        _check_name(kind, directory, name, names, found.root, report)
    folder_inside = directory.resolve().is_relative_to(found.base)
    for path in (directory / name for name in names if name.endswith(".yml")):
        if leaves(path, found.base, folder_inside):
            report.error(relative(path, found.root), 1, 1, outside_message(path.resolve()))
            found.broken.add((kind, path.stem))
        else:
            found.files.append(CurriculumFile(path, kind, folder_inside))


def _readable_names(directory: Path, root: Path, report: Report) -> list[str]:
    """The sorted names in ``directory`` but hidden ones; names that cannot be shown are
    reported and left out."""
    names = []
    for name in sorted(p.name for p in directory.iterdir()):
        if name.startswith("."):  # editor files
            continue
        shown = printable(name)
        if shown != name:  # control characters or bytes that are not UTF-8
            report.error(
                f"{relative(directory, root)}/{shown}",
                1,
                1,
                "the file name has a control character or bytes that are not UTF-8; "
                "rename the file (ids use the letters a-z, digits and hyphens)",
            )
            continue
        names.append(name)
    return names


def _check_name(
    kind: str, directory: Path, name: str, names: list[str], root: Path, report: Report
) -> None:
    stem, dot, suffix = name.rpartition(".")
    rel = relative(directory / name, root)
    if dot and suffix.lower() in ("yml", "yaml") and suffix != "yml":
        report.error(rel, 1, 1, f"curriculum files end in .yml; rename it to '{stem}.yml'")
    elif (
        kind == "module"
        and dot
        and suffix == "md"
        and f"{stem}.yml" not in names
        and stem != "index"
    ):
        report.warning(
            rel,
            1,
            1,
            f"no module '{stem}.yml' beside this body file, so it is not published; "
            f"create '{stem}.yml' or move the text into the module it belongs to",
        )


def _glossary(found: Discovery, report: Report) -> None:
    path = found.base / "glossary.yml"
    if path.exists() and not path.resolve().is_relative_to(found.base):
        report.error(relative(path, found.root), 1, 1, outside_message(path.resolve()))
    elif path.exists() or path.is_symlink():
        found.files.append(CurriculumFile(path, "glossary", True))


def leaves(path: Path, base: Path, folder_inside: bool) -> bool:
    """True when ``path`` is, or links to, a file outside ``base``.

    A file that is not a symbolic link, in a folder known to be inside, is inside:
    that saves resolving every path of a large curriculum.
    """
    if folder_inside and not path.is_symlink():
        return False
    return path.exists() and not path.resolve().is_relative_to(base)


def outside_message(target: Path) -> str:
    return (
        f"a symbolic link to '{target}', outside curriculum/; polku publishes only files "
        "inside curriculum/, so copy the file here instead of linking to it"
    )

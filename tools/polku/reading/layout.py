"""Find the files of a curriculum folder, and report every file that is not read.

Each kind has its folder (``programmes/<id>.yml``, ``modules/<id>.yml`` with an
optional ``<id>.md`` body ...), the glossary is ``glossary.yml`` and the files
under ``assets/`` are published as they are. Anything else that an author put
there is reported, so that nothing is left out of the site without a word: a
file in a subfolder, a body named ``x.MD``, a stray Markdown file, a
``glossary.yaml``. A file that is a symbolic link out of the curriculum folder
is refused here, before anything reads it. Names that start with a dot (editor
files, ``.gitkeep``) are ignored.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..curriculum import Asset
from ..diagnostics import Report
from .assets import ASSET_TYPES, find_assets
from .text import printable

KIND_DIRS = {
    "programme": "programmes",
    "module": "modules",
    "method": "methods",
    "handout": "handouts",
}
KIND_WORDS = {
    "programme": "programme",
    "module": "module",
    "method": "method card",
    "handout": "handout",
}
BODY_KINDS = frozenset(("module", "handout"))  # kinds whose <id>.md sibling is the body
ASSETS_DIR = "assets"
GLOSSARY = "glossary.yml"
SCHEMA_FILE = "polku.schema.json"  # written by 'polku init' for editors; not curriculum

# what an unknown name may be a near miss of, and how to show it
_KNOWN = {
    **{folder: f"{folder}/" for folder in KIND_DIRS.values()},
    ASSETS_DIR: f"{ASSETS_DIR}/",
    "glossary": GLOSSARY,
}


class CurriculumFile(NamedTuple):
    """A YAML file to load."""

    path: Path
    kind: str  # a key of KIND_MODELS
    folder_inside: bool  # its folder is inside the curriculum folder (no link leads out)
    body: Path | None = None  # the sibling <id>.md of a module or handout


@dataclass
class Discovery:
    """What ``discover`` found: the files to load, in order, and the assets."""

    root: Path  # the project folder, resolved
    base: Path  # the curriculum folder, resolved
    exists: bool = True  # the curriculum folder is there
    files: list[CurriculumFile] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
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
    """The files under ``root/curriculum_dir`` to load and publish; every file that is
    not read, and every name that cannot be, is reported."""
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
    entries = {entry.name: entry for entry in _entries(found.base, root, report)}
    for kind, folder in KIND_DIRS.items():
        entry = entries.pop(folder, None)
        if entry is None:
            continue
        if entry.is_dir():  # a symbolic link to a folder is read; its files are checked
            _kind_folder(found, kind, found.base / folder, report)
        else:
            report.error(
                relative(found.base / folder, root),
                1,
                1,
                _not_a_folder(entry, f"polku reads {folder} from a folder of that name"),
            )
    _assets(found, entries.pop(ASSETS_DIR, None), report)
    _glossary(found, entries.pop(GLOSSARY, None), report)
    entries.pop(SCHEMA_FILE, None)
    for name, entry in entries.items():
        _unknown_top_level(name, entry.is_dir(), relative(found.base / name, root), report)
    return found


def _entries(directory: Path, root: Path, report: Report) -> list[os.DirEntry[str]]:
    """The entries of ``directory`` by name but hidden ones; names that cannot be shown
    are reported and left out."""
    try:
        listed = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as exc:
        report.error(
            relative(directory, root),
            1,
            1,
            f"cannot read the folder ({exc.strerror or exc}); check that you may read it",
        )
        return []
    entries = []
    for entry in listed:
        if entry.name.startswith("."):  # editor files
            continue
        shown = printable(entry.name)
        if shown != entry.name:  # control characters or bytes that are not UTF-8
            report.error(
                f"{relative(directory, root)}/{shown}",
                1,
                1,
                "the file name has a control character or bytes that are not UTF-8; "
                "rename the file (ids use the letters a-z, digits and hyphens)",
            )
            continue
        entries.append(entry)
    return entries


# --- the folder of one kind -----------------------------------------------------------


def _kind_folder(found: Discovery, kind: str, directory: Path, report: Report) -> None:
    """The ``<id>.yml`` files of one kind's folder (and their bodies); the rest is reported."""
    entries = _entries(directory, found.root, report)
    names = {entry.name for entry in entries}
    ymls: list[str] = []
    bodies: dict[str, Path] = {}
    for entry in entries:
        role = _role(kind, entry, names, relative(directory / entry.name, found.root), report)
        if role == "yml":
            ymls.append(entry.name)
        elif role == "body":
            bodies[entry.name.rpartition(".")[0]] = directory / entry.name
    folder_inside = directory.resolve().is_relative_to(found.base)
    for name in ymls:
        path = directory / name
        if leaves(path, found.base, folder_inside):
            report.error(relative(path, found.root), 1, 1, outside_message(path.resolve()))
            found.broken.add((kind, path.stem))
        else:
            body = bodies.get(path.stem)
            found.files.append(CurriculumFile(path, kind, folder_inside, body))


def _role(
    kind: str, entry: os.DirEntry[str], names: set[str], rel: str, report: Report
) -> str | None:
    """'yml' for a file to load, 'body' for a body beside one; None (reported) for the rest."""
    name = entry.name
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix == "yml":
        return "yml"  # a folder named so is reported when it is read
    if entry.is_dir():
        folder = KIND_DIRS[kind]
        report.warning(
            rel,
            1,
            1,
            f"the folder '{name}' is not read: polku reads only the files directly in "
            f"{folder}/; move its files up into {folder}/",
        )
    elif dot and suffix.lower() in ("yml", "yaml"):
        report.error(rel, 1, 1, f"curriculum files end in .yml; rename it to '{stem}.yml'")
    elif dot and suffix.lower() == "md":
        return "body" if _body(kind, stem, suffix, names, rel, report) else None
    else:
        report.warning(rel, 1, 1, _stray_message(kind, name, suffix if dot else ""))
    return None


def _body(kind: str, stem: str, suffix: str, names: set[str], rel: str, report: Report) -> bool:
    """True when a Markdown file is the body of a file beside it; otherwise it is reported."""
    if kind not in BODY_KINDS:
        report.warning(
            rel,
            1,
            1,
            f"this Markdown file is not read: a {KIND_WORDS[kind]} has no body file; put the "
            "text in a module or a handout, or remove the file",
        )
        return False
    if suffix != "md":
        report.error(rel, 1, 1, f"a body file ends in .md; rename it to '{stem}.md'")
        return False
    if f"{stem}.yml" not in names:
        report.warning(
            rel,
            1,
            1,
            f"no {kind} '{stem}.yml' beside this body file, so it is not published; "
            f"create '{stem}.yml' or move the text into the {kind} it belongs to",
        )
        return False
    return True


def _stray_message(kind: str, name: str, suffix: str) -> str:
    folder = KIND_DIRS[kind]
    holds = "<id>.yml files and their <id>.md bodies" if kind in BODY_KINDS else "<id>.yml files"
    where = (
        f"; images and attachments go in {ASSETS_DIR}/"
        if suffix.lower() in ASSET_TYPES
        else "; move it where it belongs or remove it"
    )
    return f"'{name}' is not read: polku reads only {holds} in {folder}/{where}"


# --- the rest of the curriculum folder ----------------------------------------------------


def _assets(found: Discovery, entry: os.DirEntry[str] | None, report: Report) -> None:
    if entry is None:
        return
    directory = found.base / ASSETS_DIR
    rel = relative(directory, found.root)
    if entry.is_symlink():  # never followed: a link to / must not make a check walk the disk
        report.error(
            rel,
            1,
            1,
            f"'{ASSETS_DIR}' is a symbolic link (to '{directory.resolve()}'); polku does not "
            f"follow linked folders, so make {ASSETS_DIR}/ a folder and copy the files into it",
        )
    elif not entry.is_dir():
        report.error(rel, 1, 1, _not_a_folder(entry, "images and attachments go in a folder"))
    else:
        found.assets = find_assets(directory, found.base, found.root, report)


def _glossary(found: Discovery, entry: os.DirEntry[str] | None, report: Report) -> None:
    if entry is None:
        return
    path = found.base / GLOSSARY
    if path.exists() and not path.resolve().is_relative_to(found.base):
        report.error(relative(path, found.root), 1, 1, outside_message(path.resolve()))
    else:  # a broken link, a folder or a pipe is reported when the file is read
        found.files.append(CurriculumFile(path, "glossary", True))


def _not_a_folder(entry: os.DirEntry[str], what: str) -> str:
    if entry.is_symlink():
        return "a broken symbolic link; remove it or point it at a folder"
    return f"'{entry.name}' is a file; {what}"


def _unknown_top_level(name: str, is_folder: bool, rel: str, report: Report) -> None:
    stem, dot, suffix = name.rpartition(".")
    if dot and stem.lower() == "glossary" and suffix.lower() in ("yml", "yaml"):
        report.error(rel, 1, 1, f"curriculum files end in .yml; rename it to '{GLOSSARY}'")
        return
    close = difflib.get_close_matches((stem if dot else name).lower(), _KNOWN, n=1, cutoff=0.75)
    hint = f"; did you mean '{_KNOWN[close[0]]}'?" if close else ""
    report.warning(
        rel,
        1,
        1,
        f"'{name}{'/' if is_folder else ''}' is not read: polku reads "
        f"{', '.join(f'{folder}/' for folder in KIND_DIRS.values())} and {GLOSSARY}, and "
        f"publishes the files in {ASSETS_DIR}/; move it where it belongs or remove it{hint}",
    )


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

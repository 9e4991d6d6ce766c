"""Find the files under ``curriculum/assets/`` that are published as they are.

Assets are data, not pages: images, PDFs, office documents, audio and video. A
web page or a Markdown file here would be published without polku's checks, so
they are refused with a pointer to what to do instead, and an SVG must be a
plain picture (``svg.py``). Symbolic links are never followed into folders, so
a link to ``/`` cannot make a check walk the disk, and a link that leads out of
the curriculum folder is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..curriculum import Asset
from ..diagnostics import Report
from .svg import svg_problem
from .text import printable

MAX_ASSET_FILES = 10_000
MAX_ASSET_FOLDERS = 10_000
MAX_ASSET_BYTES = 100_000_000  # 100 MB

IMAGE_TYPES = ("png", "jpg", "jpeg", "gif", "webp", "avif", "svg")
DOCUMENT_TYPES = (
    "pdf",
    *("doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "txt", "csv"),
)
MEDIA_TYPES = ("mp3", "m4a", "ogg", "oga", "wav", "mp4", "webm", "ogv")
ASSET_TYPES = frozenset((*IMAGE_TYPES, *DOCUMENT_TYPES, *MEDIA_TYPES))
WEB_PAGE_TYPES = frozenset(("html", "htm", "xhtml", "xht", "shtml"))
# what MkDocs would render as pages
MARKDOWN_TYPES = frozenset(("md", "markdown", "mdown", "mkdn", "mkd", "mdwn", "mdtxt", "mdtext"))

ALLOWED_TYPES_TEXT = (
    f"images ({', '.join(IMAGE_TYPES)}), PDF, office documents ({', '.join(DOCUMENT_TYPES[1:])}) "
    f"and audio or video ({', '.join(MEDIA_TYPES)})"
)


def find_assets(directory: Path, base: Path, root: Path, report: Report) -> list[Asset]:
    """The publishable files under ``directory`` (the assets folder), sorted by path."""
    walk = _Walk(base, root, report)
    walk.run(directory)
    return sorted(walk.assets, key=lambda asset: asset.path)


class _Walk:
    """A walk of the assets folder that never follows a symbolic link to a folder."""

    def __init__(self, base: Path, root: Path, report: Report) -> None:
        self.base = base
        self.root = root
        self.report = report
        self.assets: list[Asset] = []
        self.files = 0
        self.folders = 0

    def run(self, directory: Path) -> None:
        pending = [directory]
        while pending:
            folder = pending.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError as exc:
                self.error(folder, f"cannot read the folder ({exc.strerror or exc})")
                continue
            for entry in entries:
                if entry.name.startswith("."):  # editor files, .gitkeep
                    continue
                if not self.entry(entry, folder, pending):
                    self.error(directory, self.stopped)
                    return

    def entry(self, entry: os.DirEntry[str], folder: Path, pending: list[Path]) -> bool:
        """Publish, refuse or queue one entry; False when a limit stops the walk."""
        path = folder / entry.name
        if printable(entry.name) != entry.name:
            self.error(
                folder / printable(entry.name),
                "the name has a control character or bytes that are not UTF-8; "
                "rename it (letters, digits, hyphens and dots are safe in web addresses)",
            )
        elif entry.is_symlink():
            self.link(path)
        elif entry.is_dir(follow_symlinks=False):
            self.folders += 1
            pending.append(path)
        elif entry.is_file(follow_symlinks=False):
            self.files += 1
            self.file(path, path, entry.stat(follow_symlinks=False).st_size)
        else:
            self.error(path, "not a regular file (a pipe or a device); remove it")
        return self.files <= MAX_ASSET_FILES and self.folders <= MAX_ASSET_FOLDERS

    @property
    def stopped(self) -> str:
        """The message for the limit the walk has passed."""
        what = (
            f"{MAX_ASSET_FILES:,} files"
            if self.files > MAX_ASSET_FILES
            else f"{MAX_ASSET_FOLDERS:,} folders"
        )
        return (
            f"more than {what} under assets/; polku publishes at most that many: "
            "remove what the curriculum does not use"
        )

    def link(self, path: Path) -> None:
        """A symbolic link: published when it leads to a file inside the curriculum folder."""
        target = path.resolve()
        outside = not target.is_relative_to(self.base)
        if not path.exists():
            self.error(path, "a broken symbolic link; remove it or point it at a file")
        elif target.is_dir():  # never followed, inside or out
            where = ", outside curriculum/" if outside else ""
            self.error(
                path,
                f"a symbolic link to the folder '{target}'{where}; polku does not follow "
                "linked folders, so copy the files here instead of linking to them",
            )
        elif outside:
            self.error(
                path,
                f"a symbolic link to '{target}', outside curriculum/; polku publishes only "
                "files inside curriculum/, so copy the file here instead of linking to it",
            )
        elif not target.is_file():
            self.error(path, "not a regular file (a pipe or a device); remove it")
        else:
            self.files += 1
            self.file(path, target, target.stat().st_size)

    def file(self, path: Path, source: Path, size: int) -> None:
        """Publish ``path`` (the file ``source``) when its type and content allow."""
        suffix = path.suffix.lower().removeprefix(".")
        problem = _type_problem(path.name, suffix)
        if problem is None and size > MAX_ASSET_BYTES:
            problem = (
                f"the file is {size:,} bytes, over the limit of {MAX_ASSET_BYTES:,} (100 MB) "
                "for an asset; make it smaller, or publish it elsewhere and link to it"
            )
        if problem is not None:
            self.error(path, problem)
            return
        if suffix == "svg" and self.svg_refused(path, source):
            return
        self.assets.append(Asset(path.relative_to(self.base).as_posix(), source))

    def svg_refused(self, path: Path, source: Path) -> bool:
        try:
            data = source.read_bytes()
        except OSError as exc:
            self.error(path, f"cannot read the file ({exc.strerror or exc})")
            return True
        problem = svg_problem(data)
        if problem is None:
            return False
        line, column, message = problem
        self.report.error(self.rel(path), line, column, message)
        return True

    def error(self, path: Path, message: str) -> None:
        self.report.error(self.rel(path), 1, 1, message)

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def _type_problem(name: str, suffix: str) -> str | None:
    """Why a file of this name is not published, or None when its type is allowed."""
    if suffix in ASSET_TYPES:
        return None
    if suffix in WEB_PAGE_TYPES:
        return (
            f"'{name}' is a web page; polku does not publish web pages from assets/ (they "
            "could run scripts on the site): link to the page where it is published "
            "instead, with [text](https://…) in the Markdown"
        )
    if suffix in MARKDOWN_TYPES:
        return (
            "a Markdown file under assets/ would become a page without polku's checks; "
            "put the text in a module or a handout (curriculum/handouts/<id>.yml, or its "
            "<id>.md body)"
        )
    kind = f"files of type '.{suffix}'" if suffix else "files without a type ending (.png, .pdf …)"
    return f"{kind} are not published; assets can be {ALLOWED_TYPES_TEXT}"

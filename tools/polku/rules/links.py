"""Relative links in Markdown texts, found once per check, each with where it stands.

Every Markdown field of every YAML file and every sibling ``.md`` body is searched;
the links that do not lead to a file inside the curriculum are kept for the rules of
``assets.py``.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..curriculum import Loc, SourceMap
from ..fields import FieldPath, markdown_paths

if TYPE_CHECKING:
    from .context import Context

# Markdown links and images: [text](target "title"), ![alt](target), [ref]: target
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_HTML_SOURCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# a path from the web server's root (/x, but not //host/x), a file: address, a Windows
# drive (C:\x, C:/x) or a backslash path: none leads to a file the site publishes
_LOCAL = re.compile(r"^(?:/(?!/)|file:|[a-zA-Z]:[\\/]|\\)", re.IGNORECASE)


class LinkProblem(StrEnum):
    NOT_RELATIVE = "not-relative"  # an absolute path or a file on the author's computer
    UNUSABLE = "unusable"  # no path at all: a NUL byte, a symbolic link loop
    OUTSIDE = "outside"  # leads out of curriculum/
    MISSING = "missing"  # no such file


@dataclass(frozen=True)
class Link:
    """A link that does not lead to a file inside the curriculum (or to another site)."""

    path: str  # the file it is written in, relative to the root
    line: int
    column: int
    target: str  # as written
    problem: LinkProblem


def broken_links(context: Context) -> list[Link]:
    return _LinkScan(context).run()


class _LinkScan:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.curriculum = context.curriculum
        self.found: list[Link] = []
        # (folder, target) -> problem: many files link the same few assets
        self._resolved: dict[tuple[str, str], LinkProblem | None] = {}
        self._folders: dict[tuple[str, str], str | Exception] = {}
        self._inside = str(self.curriculum.curriculum_dir)
        self._root = str(self.curriculum.root)
        self._inside_prefix = os.path.join(self._inside, "")

    def run(self) -> list[Link]:
        curriculum = self.curriculum
        models: dict[str, dict[str, Any]] = {
            "programme": curriculum.programmes,
            "module": curriculum.modules,
            "method": curriculum.methods,
            "handout": curriculum.handouts,
            "glossary": {"glossary": curriculum.glossary},
        }
        for (kind, ident), source in curriculum.sources.items():
            model = models.get(kind, {}).get(ident)
            if model is None:
                continue
            body_file = curriculum.body_files.get((kind, ident))
            body = getattr(model, "body", None)
            if body_file and isinstance(body, str):
                self.check_text(body_file, body, 1, 1, block=False, whole_file=True)
            for keys, attributes in markdown_paths(type(model)):
                for loc, text in _walk(model, keys, attributes):
                    self.check_value(source, loc, text)
        return self.found

    # --- Markdown values of a YAML file ---------------------------------------------------

    def check_value(self, source: SourceMap, loc: Loc, text: object) -> None:
        position = source.values.get(loc)
        if position is None:  # not written in this file (a body from a sibling .md)
            return
        if not isinstance(text, str) or not (links := find_links(text)):
            return
        # only a text with links needs its place in the file worked out
        line, column = position
        block = self._is_block(source, line, column)
        self.check_text(source.path, text, line, column, block=block, lines=block, links=links)

    def _is_block(self, source: SourceMap, line: int, column: int) -> bool:
        try:
            text = self.context.file_lines(source.path)[line - 1]
        except (OSError, IndexError, UnicodeDecodeError):
            return False
        return text[column - 1 : column] in ("|", ">")

    # --- one text ----------------------------------------------------------------------------

    def check_text(
        self,
        path: str,
        text: str,
        line: int,
        column: int,
        *,
        block: bool,
        lines: bool = True,
        links: list[tuple[int, str]] | None = None,
        whole_file: bool = False,
    ) -> None:
        """Check the links of ``text``; ``lines``: its lines are the file's (not a quoted value).

        ``whole_file``: ``text`` is all of the file, so columns are found in it
        rather than in the file read again.
        """
        base = os.path.dirname(os.path.join(self._root, path))
        for match, target in find_links(text) if links is None else links:
            if _LOCAL.match(target):
                problem: LinkProblem | None = LinkProblem.NOT_RELATIVE
            elif _SCHEME.match(target) or target.startswith(("#", "//")):
                continue  # another site, an address of its own kind, or this page
            else:
                target_path = target.split("#", 1)[0].split("?", 1)[0]
                if not target_path:
                    continue
                problem = self._problem(base, target_path)
            if problem is None:
                continue
            offset = text.count("\n", 0, match) if lines else 0
            at_line = line + offset + (1 if block else 0)
            if whole_file:
                at_column = match - text.rfind("\n", 0, match)
            else:
                at_column = self._column_of(path, at_line, target, column if offset == 0 else 1)
            self.found.append(Link(path, at_line, at_column, target, problem))

    def _problem(self, base: str, target_path: str) -> LinkProblem | None:
        key = (base, target_path)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(base, target_path)
        return self._resolved[key]

    def _resolve(self, base: str, target_path: str) -> LinkProblem | None:
        """What is wrong with the file ``target_path`` leads to from ``base``, if anything.

        Equal to resolving the whole path, but the folder is resolved once for every
        file that links into it: most links lead to a few folders, and resolving a path
        costs a system call for each of its parts.
        """
        folder, name = posixpath.split(target_path)
        if name in ("", ".", ".."):
            return self._resolve_fully(Path(base, target_path))
        try:
            parent = self._folder(base, folder)
        except (ValueError, OSError, RuntimeError):  # a NUL byte, a symlink loop
            return LinkProblem.UNUSABLE
        candidate = os.path.join(parent, name)
        try:
            is_link = stat.S_ISLNK(os.lstat(candidate).st_mode)
            exists = True
        except (FileNotFoundError, NotADirectoryError):
            is_link = exists = False
        except (ValueError, OSError):
            return self._resolve_fully(Path(base, target_path))
        if is_link:
            return self._resolve_fully(Path(base, target_path))
        if not (candidate == self._inside or candidate.startswith(self._inside_prefix)):
            return LinkProblem.OUTSIDE
        return None if exists else LinkProblem.MISSING

    def _folder(self, base: str, folder: str) -> str:
        key = (base, folder)
        if key not in self._folders:
            try:
                self._folders[key] = str(Path(base, folder).resolve())
            except (ValueError, OSError, RuntimeError) as error:
                self._folders[key] = error
        found = self._folders[key]
        if isinstance(found, Exception):
            raise found
        return found

    def _resolve_fully(self, path: Path) -> LinkProblem | None:
        try:
            resolved = path.resolve()
        except (ValueError, OSError, RuntimeError):  # a NUL byte, a symlink loop
            return LinkProblem.UNUSABLE
        if not resolved.is_relative_to(self.curriculum.curriculum_dir):
            return LinkProblem.OUTSIDE
        if not resolved.exists():
            return LinkProblem.MISSING
        return None

    def _column_of(self, path: str, line: int, target: str, default: int) -> int:
        """The column where ``target`` stands on ``line`` of the file."""
        try:
            index = self.context.file_lines(path)[line - 1].find(target)
        except (OSError, IndexError, UnicodeDecodeError):
            return default
        return index + 1 if index >= 0 else default


def _walk(value: Any, keys: FieldPath, attributes: FieldPath) -> list[tuple[Loc, object]]:
    """(loc, value) of every value that ``keys`` lead to from ``value`` ("*": every item)."""
    current: list[tuple[Loc, Any]] = [((), value)]
    for key, attribute in zip(keys, attributes, strict=True):
        found: list[tuple[Loc, Any]] = []
        if key == "*":
            for loc, item in current:
                if isinstance(item, list):
                    found += [((*loc, index), inner) for index, inner in enumerate(item)]
        else:
            for loc, item in current:
                inner = getattr(item, attribute, None)
                if inner is not None:
                    found.append(((*loc, key), inner))
        current = found
    return current


def find_links(text: str) -> list[tuple[int, str]]:
    """(offset, target) of every link, image and HTML ``src``/``href`` in a Markdown text."""
    # each pattern is tried only on texts that hold what it cannot match without
    inline, reference = "](" in text, "]:" in text
    html = "=" in text and _maybe_html_source(text)
    if not (inline or reference or html):
        return []
    found = []
    if inline:
        found += [(m.start(1), m.group(1)) for m in _inline_links(text)]
    if reference:
        found += [(m.start(1), m.group(1)) for m in _REFERENCE_LINK.finditer(text)]
    if html:
        found += [(m.start(1), m.group(1)) for m in _HTML_SOURCE.finditer(text)]
    return sorted(found)


def _inline_links(text: str) -> list[re.Match[str]]:
    """``_INLINE_LINK.finditer(text)``, tried only where a match can start ('[' or '![').

    The pattern starts with an optional '!', which keeps the regular expression engine
    from skipping ahead: on a long body this is a hundred times faster.
    """
    found: list[re.Match[str]] = []
    position = 0
    while (bracket := text.find("[", position)) >= 0:
        match = None
        if bracket > position and text[bracket - 1] == "!":
            match = _INLINE_LINK.match(text, bracket - 1)
        if match is None:
            match = _INLINE_LINK.match(text, bracket)
        if match is None:
            position = bracket + 1
        else:
            found.append(match)
            position = match.end()
    return found


def _maybe_html_source(text: str) -> bool:
    """False when ``_HTML_SOURCE`` cannot match (its IGNORECASE also takes 'ſ' for 's')."""
    lowered = text.lower()
    return "src" in lowered or "href" in lowered or "ſ" in lowered

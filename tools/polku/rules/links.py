"""Relative links in Markdown texts, found once per check, each with where it stands.

Every Markdown field of every YAML file and every sibling ``.md`` body is searched;
the links that do not lead to a file inside the curriculum are kept for the rules of
``assets.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..curriculum import Loc, SourceMap
from ..model import markdown_fields
from .context import Context

# Markdown links and images: [text](target "title"), ![alt](target), [ref]: target
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_HTML_SOURCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class LinkProblem(StrEnum):
    UNUSABLE = "unusable"  # no path at all: a NUL byte, a symbolic link loop
    OUTSIDE = "outside"  # leads out of curriculum/
    MISSING = "missing"  # no such file


@dataclass(frozen=True)
class Link:
    """A relative link that does not lead to a file inside the curriculum."""

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
        self._roots: dict[int, Any] | None = None  # id of a SourceMap -> its model
        # (folder, target) -> problem: many files link the same few assets
        self._resolved: dict[tuple[Path, str], LinkProblem | None] = {}
        self._fields = markdown_fields()

    def run(self) -> list[Link]:
        body_kinds = {kind for kind, _ident in self.curriculum.body_files}
        for (kind, ident), source in self.curriculum.sources.items():
            if kind in body_kinds:
                body_file = self.curriculum.body_files.get((kind, ident))
                model = self._model(source)
                body = getattr(model, "body", None)
                if body_file and isinstance(body, str):
                    self.check_text(body_file, body, 1, 1, block=False, whole_file=True)
            self.check_yaml(source)
        return self.found

    # --- Markdown fields of a YAML file ---------------------------------------------------

    def check_yaml(self, source: SourceMap) -> None:
        for value_loc, (line, column) in list(source.values.items()):
            if not value_loc or value_loc[-1] not in self._fields:
                continue
            text = self._value_at(source, value_loc)
            if isinstance(text, str) and (links := find_links(text)):
                # only a text with links needs its place in the file worked out
                block = self._is_block(source, line, column)
                self.check_text(
                    source.path, text, line, column, block=block, lines=block, links=links
                )

    def _model(self, source: SourceMap) -> Any:
        if self._roots is None:
            models: dict[str, dict[str, Any]] = {
                "programme": self.curriculum.programmes,
                "module": self.curriculum.modules,
                "method": self.curriculum.methods,
                "handout": self.curriculum.handouts,
            }
            self._roots = {}
            for (kind, ident), candidate in self.curriculum.sources.items():
                if kind == "glossary":
                    self._roots[id(candidate)] = self.curriculum.glossary
                else:
                    self._roots[id(candidate)] = models.get(kind, {}).get(ident)
        return self._roots.get(id(source))

    def _value_at(self, source: SourceMap, loc: Loc) -> object:
        current = self._model(source)
        for segment in loc:
            if current is None:
                return None
            if isinstance(segment, int):
                current = current[segment] if isinstance(current, list) else None
            else:
                current = getattr(current, segment, None)
        return current

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
        base = (self.curriculum.root / path).parent
        for match, target in find_links(text) if links is None else links:
            if _SCHEME.match(target) or target.startswith(("#", "/", "//")):
                continue
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

    def _problem(self, base: Path, target_path: str) -> LinkProblem | None:
        key = (base, target_path)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(base, target_path)
        return self._resolved[key]

    def _resolve(self, base: Path, target_path: str) -> LinkProblem | None:
        try:
            resolved = (base / target_path).resolve()
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


def find_links(text: str) -> list[tuple[int, str]]:
    """(offset, target) of every link, image and HTML ``src``/``href`` in a Markdown text."""
    # each pattern is tried only on texts that hold what it cannot match without
    found = []
    if "](" in text:
        found += [(m.start(1), m.group(1)) for m in _inline_links(text)]
    if "]:" in text:
        found += [(m.start(1), m.group(1)) for m in _REFERENCE_LINK.finditer(text)]
    if "=" in text and _maybe_html_source(text):
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

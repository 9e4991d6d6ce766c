"""What every rule reads: the curriculum, where its values stand, and queries worked out once."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any, TypeVar

from ..curriculum import Curriculum, Loc, SourceMap
from ..model import Module, Programme
from ..plan import scheduled_module_ids
from .links import Link, broken_links
from .registry import Finding

T = TypeVar("T")


def suggest(name: str, options: Iterable[str]) -> str:
    """``; did you mean 'x'?`` when one of ``options`` is close to ``name``, else nothing."""
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class Context:
    """One check run: the curriculum and what several rules ask of it, computed once."""

    def __init__(self, curriculum: Curriculum) -> None:
        self.curriculum = curriculum
        self._lines: dict[str, list[str] | None] = {}  # file -> its lines, read once
        self._memo: dict[str, Any] = {}
        # files with a problem to report, where allow directives are looked for
        self.reported_files: set[str] = set()

    # --- locating ------------------------------------------------------------------------

    def source(self, kind: str, ident: str) -> SourceMap:
        return self.curriculum.source(kind, ident)

    def at(self, source: SourceMap, loc: Loc, message: str, *, key: bool = False) -> Finding:
        """A finding at the value (or, with ``key``, the key) that ``loc`` names."""
        line, column = source.key(loc) if key else source.value(loc)
        return Finding(source.path, line, column, message)

    def broken(self, kind: str, ident: str) -> bool:
        """True when the file of ``ident`` could not be loaded (and is reported there)."""
        return (kind, ident) in self.curriculum.broken

    # --- what rules walk -----------------------------------------------------------------

    def modules(self) -> list[tuple[Module, SourceMap]]:
        """Every module with its source map, in file order."""
        return self._modules

    def programmes(self) -> list[tuple[Programme, SourceMap]]:
        """Every programme with its source map, in file order."""
        return self._programmes

    @cached_property
    def _modules(self) -> list[tuple[Module, SourceMap]]:
        return [(m, self.source("module", m.id)) for m in self.curriculum.modules.values()]

    @cached_property
    def _programmes(self) -> list[tuple[Programme, SourceMap]]:
        programmes = self.curriculum.programmes.values()
        return [(p, self.source("programme", p.id)) for p in programmes]

    def scheduled(self, programme: Programme) -> set[str]:
        """Every module the programme schedules, whole or by one activity."""
        return self._scheduled[programme.id]

    @cached_property
    def _scheduled(self) -> dict[str, set[str]]:
        programmes = self.curriculum.programmes.values()
        return {programme.id: scheduled_module_ids(programme) for programme in programmes}

    @cached_property
    def links(self) -> list[Link]:
        """Every relative link of every Markdown text that does not lead to a file."""
        return broken_links(self)

    def memo(self, key: str, compute: Callable[[Context], T]) -> T:
        """``compute(self)``, worked out once per check for the rules that share it."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]  # type: ignore[no-any-return]

    # --- the files themselves ------------------------------------------------------------

    def file_lines(self, path: str) -> list[str]:
        """The lines of a curriculum file (relative to the root), read once per check.

        Raises ``OSError`` or ``UnicodeDecodeError`` when the file cannot be read.
        """
        if path not in self._lines:
            try:
                text = (self.curriculum.root / path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self._lines[path] = None
                raise
            self._lines[path] = text.splitlines()
        lines = self._lines[path]
        if lines is None:
            raise OSError(f"cannot read {path}")
        return lines

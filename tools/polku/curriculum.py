"""The loaded curriculum: models plus where each value came from."""

from __future__ import annotations

import marshal
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import collation_key
from .model import Glossary, Handout, Method, Module, Programme

Loc = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column


class SourceMap:
    """Line and column of every key and value of one YAML file.

    The checks look positions up by the thousand; after them a message is rare, and a
    large curriculum's positions (a fifth of what it holds) are kept packed
    (:meth:`pack`), read back whenever asked for.
    """

    __slots__ = ("_keys", "_packed", "_values", "path")

    def __init__(
        self,
        path: str,
        keys: dict[Loc, Position] | None = None,
        values: dict[Loc, Position] | None = None,
    ) -> None:
        self.path = path  # relative to the project root, with forward slashes
        self._keys: dict[Loc, Position] = {} if keys is None else keys
        self._values: dict[Loc, Position] = {} if values is None else values
        self._packed: bytes | None = None

    def __repr__(self) -> str:
        return f"SourceMap({self.path!r})"

    @property
    def keys(self) -> dict[Loc, Position]:
        return self._keys if self._packed is None else self._unpacked()[0]

    @property
    def values(self) -> dict[Loc, Position]:
        return self._values if self._packed is None else self._unpacked()[1]

    def pack(self) -> None:
        """Hold the positions as one compact value from now on."""
        if self._packed is None:
            self._packed = marshal.dumps((self._keys, self._values))
            self._keys, self._values = {}, {}

    def _unpacked(self) -> tuple[dict[Loc, Position], dict[Loc, Position]]:
        assert self._packed is not None
        return marshal.loads(self._packed)  # type: ignore[no-any-return]

    def value(self, loc: Loc) -> Position:
        """Position of the value at ``loc``, or of its nearest enclosing value."""
        values = self.values
        for end in range(len(loc), -1, -1):
            position = values.get(loc[:end])
            if position is not None:
                return position
        return (1, 1)

    def key(self, loc: Loc) -> Position:
        """Position of the key that ends ``loc``, falling back to the value."""
        position = self.keys.get(loc)
        if position is not None:
            return position
        return self.value(loc)


@dataclass(frozen=True)
class Asset:
    """A file under ``curriculum/assets/`` that is published as it is (an image, a PDF ...)."""

    path: str  # relative to the curriculum folder, with forward slashes: 'assets/img/kaavio.png'
    source: Path  # the absolute path of the file to copy (a symbolic link's target, resolved)


@dataclass
class Curriculum:
    """Everything under ``curriculum/``, validated, in file-name order."""

    root: Path
    curriculum_dir: Path
    programmes: dict[str, Programme] = field(default_factory=dict)
    modules: dict[str, Module] = field(default_factory=dict)
    methods: dict[str, Method] = field(default_factory=dict)
    handouts: dict[str, Handout] = field(default_factory=dict)
    glossary: Glossary | None = None
    sources: dict[tuple[str, str], SourceMap] = field(default_factory=dict)
    # (kind, id) -> path (relative to the root) of a sibling Markdown body
    body_files: dict[tuple[str, str], str] = field(default_factory=dict)
    # the files under assets/ that pass the checks, sorted by path
    assets: list[Asset] = field(default_factory=list)
    # (kind, file stem) of files that could not be loaded: references to them
    # are not reported again
    broken: set[tuple[str, str]] = field(default_factory=set)

    def source(self, kind: str, ident: str) -> SourceMap:
        return self.sources[(kind, ident)]

    @property
    def language(self) -> str:
        """The site's language: the programmes' language, Finnish when there are none."""
        for programme in self.programmes.values():
            return programme.language
        return "fi"

    def pack_sources(self) -> None:
        """Keep every file's positions packed: the checks are done (:class:`SourceMap`)."""
        for source in self.sources.values():
            source.pack()

    def let_go_of_texts(self) -> None:
        """Drop what only pages and workbooks show: the modules' bodies and activity texts,
        and where each key of a module, method or handout file is (for messages).

        For a build whose pages are all made (and no workbooks): what it does after
        shows the outline (titles, ids, lengths, programmes), and a large curriculum's
        texts are then most of what it holds while the site engine writes the pages.
        The programmes' files stay known: their age is the calendars' time stamp.
        """
        for key in [key for key in self.sources if key[0] != "programme"]:
            del self.sources[key]
        for module in self.modules.values():
            module.body = None
            for activity in module.activities:
                activity.instructions = activity.facilitator_notes = None
                activity.steps, activity.prompts, activity.debrief = [], [], []
                activity.questions = []

    def ordered_modules(self) -> list[Module]:
        """Modules in programme order, then the unscheduled ones by title."""
        seen: dict[str, Module] = {}
        for programme in self.programmes.values():
            for _phase, session in programme.sessions():
                for item in session.items:
                    module_id = getattr(item, "module", None) or (
                        item.module_id if hasattr(item, "activity") else None
                    )
                    if module_id in self.modules and module_id not in seen:
                        seen[module_id] = self.modules[module_id]
        by_title = collation_key(self.language)  # the site language's alphabetical order
        rest = sorted(
            (m for m in self.modules.values() if m.id not in seen), key=lambda m: by_title(m.title)
        )
        return [*seen.values(), *rest]

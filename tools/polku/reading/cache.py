"""The parse cache: parsed files (data and positions) by content hash.

Authors check after every few edits, and a large curriculum spends most of a
check reading YAML; a file whose text is unchanged is taken from here instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import ruamel.yaml
import yaml as pyyaml

from ..curriculum import SourceMap
from ..store import Store


class ParseCache:
    """Parsed files (data and positions) by content hash, in ``<project>/.cache/polku/``.

    Only files that were read without a problem are kept, so every problem is
    found and reported afresh. The cache is one file, written again only when
    something changed and holding only the files of the last check; its entries
    are plain data (``marshal`` of dicts, lists, tuples, text and numbers: reading
    it never runs code). A cache that cannot be read is ignored, and removing it
    is always safe.
    """

    FORMAT = "4"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._store: Store | None = None

    @classmethod
    def of_project(cls, root: Path) -> ParseCache:
        """The cache of the project at ``root``."""
        return cls(root / ".cache" / "polku" / "parsed.marshal")

    @property
    def store(self) -> Store:
        """The entries, salted with the reader's versions (made when first used)."""
        if self._store is None:
            from .. import __version__

            versions = (self.FORMAT, __version__, sys.version, pyyaml.__version__)
            salt = "\n".join((*versions, ruamel.yaml.__version__))
            self._store = Store(self.path, salt, shared=True)  # entries are only read
        return self._store

    def key(self, text: str) -> str:
        """The cache key of a file's text: its hash, salted with the reader's versions."""
        return self.store.key(text)

    def get(self, key: str, rel: str) -> tuple[Any, SourceMap] | None:
        """The data and positions stored under ``key``, for the file at ``rel``."""
        entry = self.store.get(key)
        try:
            data, keys, values = entry  # type: ignore[misc]
        except (TypeError, ValueError):
            return None
        if not (isinstance(keys, dict) and isinstance(values, dict)):
            return None
        return data, SourceMap(rel, keys, values)

    def put(self, key: str, parsed: tuple[Any, SourceMap]) -> None:
        data, source = parsed
        self.store.put(key, (data, source.keys, source.values))

    def save(self) -> None:
        """Write the entries of this check, when they differ from the stored ones."""
        self.store.save()

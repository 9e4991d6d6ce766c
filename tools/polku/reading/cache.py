"""The parse cache: parsed files (data and positions) by content hash.

Authors check after every few edits, and a large curriculum spends most of a
check reading YAML; a file whose text is unchanged is taken from here instead.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

import ruamel.yaml
import yaml as pyyaml

from ..curriculum import SourceMap


class ParseCache:
    """Parsed files (data and positions) by content hash, in ``<project>/.cache/polku/``.

    Only files that were read without a problem are kept, so every problem is
    found and reported afresh. The cache is one file, written again only when
    something changed and holding only the files of the last check; its entries
    are plain data (``marshal`` of dicts, lists, tuples, text and numbers: reading
    it never runs code). A cache that cannot be read is ignored, and removing it
    is always safe.
    """

    FORMAT = "3"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._salt: bytes | None = None
        self._stored: dict[str, Any] | None = None
        self._kept: dict[str, Any] = {}  # what the next cache file holds
        self._changed = False

    @classmethod
    def of_project(cls, root: Path) -> ParseCache:
        """The cache of the project at ``root``."""
        return cls(root / ".cache" / "polku" / "parsed.marshal")

    def key(self, text: str) -> str:
        """The cache key of a file's text: its hash, salted with the reader's versions."""
        if self._salt is None:
            from .. import __version__

            versions = (self.FORMAT, __version__, sys.version, pyyaml.__version__)
            self._salt = "\n".join((*versions, ruamel.yaml.__version__)).encode() + b"\n"
        return hashlib.sha256(self._salt + text.encode("utf-8", "surrogatepass")).hexdigest()

    def _entries(self) -> dict[str, Any]:
        if self._stored is None:
            try:
                stored = marshal.loads(self.path.read_bytes())
            except (OSError, ValueError, EOFError, TypeError):
                stored = None
            self._stored = stored if isinstance(stored, dict) else {}
        return self._stored

    def get(self, key: str, rel: str) -> tuple[Any, SourceMap] | None:
        """The data and positions stored under ``key``, for the file at ``rel``."""
        entry = self._entries().get(key)
        try:
            data, keys, values = entry  # type: ignore[misc]
        except (TypeError, ValueError):
            return None
        if not (isinstance(keys, dict) and isinstance(values, dict)):
            return None
        self._kept[key] = entry
        return data, SourceMap(rel, keys, values)

    def put(self, key: str, parsed: tuple[Any, SourceMap]) -> None:
        data, source = parsed
        self._kept[key] = (data, source.keys, source.values)
        self._changed = True

    def save(self) -> None:
        """Write the entries of this check, when they differ from the stored ones."""
        if not (self._changed or len(self._kept) != len(self._entries())):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(marshal.dumps(self._kept))
            os.replace(temporary, self.path)  # a reader never sees half a cache
        except (OSError, ValueError):
            pass  # not writable (or not plain data): the next check reads the files

"""A durable store of build results by content hash, under ``<project>/.cache/polku/``.

A result is kept under the hash of everything it is made from (salted with the
versions of what made it), so an unchanged input gives the stored result and any
change gives a new key: the store can never hand back a stale result. It is one
file of plain data (``marshal``: reading it never runs code), written again only
when something changed and holding only what the last build used. A store that
cannot be read is ignored; removing it is always safe; it is never published.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import threading
import zlib
from pathlib import Path
from typing import Any

from . import background


class Store:
    """Plain-data results by content key, read and written as one file.

    ``shared``: the callers never change a result they get, so the live preview may
    hand the same objects to every build (see :func:`keep_results_in_memory`) instead
    of decoding the file again for each.
    """

    def __init__(self, path: Path | None, salt: str, *, shared: bool = False) -> None:
        self.path = path
        self.salt = salt.encode("utf-8") + b"\n"
        self.shared = shared
        self._stored: dict[str, Any] | None = None
        self._kept: dict[str, Any] = {}
        self._changed = False

    def key(self, *parts: str | bytes) -> str:
        """The key of a result made from ``parts``."""
        digest = hashlib.sha256(self.salt)
        for part in parts:
            data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        return digest.hexdigest()

    def _entries(self) -> dict[str, Any]:
        if self._stored is None:
            self._stored = self._remembered()
        if self._stored is None:
            stored: Any = None
            if self.path is not None:
                try:
                    stored = marshal.loads(self.path.read_bytes())
                except (OSError, ValueError, EOFError, TypeError):
                    stored = None
            self._stored = stored if isinstance(stored, dict) else {}
            self._remember(self._stored)
        return self._stored

    def _remembered(self) -> dict[str, Any] | None:
        """The entries this process read or wrote last, while the file is still theirs."""
        if not self.shared or _memory is None or self.path is None:
            return None
        remembered = _stores.get(str(self.path))
        if remembered is None or remembered[0] != self.salt:
            return None
        if remembered[1] is not _WRITING and remembered[1] != _stamp(self.path):
            return None  # changed by another process
        return remembered[2]

    def _remember(self, entries: dict[str, Any]) -> None:
        if self.shared and _memory is not None and self.path is not None:
            _stores[str(self.path)] = (self.salt, _stamp(self.path), entries)

    def get(self, key: str) -> Any | None:
        if key in self._kept:
            return self._kept[key]
        value = self._entries().get(key)
        if value is not None:
            self._kept[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self._kept[key] = value
        self._changed = True

    def save(self) -> None:
        """Write what this run used, when it differs from what is stored."""
        if self.path is None:
            return
        if not (self._changed or len(self._kept) != len(self._entries())):
            return
        try:
            data = marshal.dumps(self._kept)
        except ValueError:
            return  # not plain data: the next build makes the results again
        if self.shared and _memory is not None:
            # the live preview: this process reads the entries from memory, so the file
            # (the next process's) is written while the preview goes on
            _stores[str(self.path)] = (self.salt, _WRITING, self._kept)
            background.submit(_write_store, self.path, data, self._kept)
            return
        if _write_whole(self.path, data):
            self._remember(self._kept)

    def close(self) -> None:
        """Done with (after :meth:`save`): the entries are let go of, and a result
        put later is not stored."""
        self.path = None
        self._stored, self._kept, self._changed = {}, {}, False


def _write_whole(path: Path, data: bytes) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)  # a reader never sees half a store
    except OSError:
        return False  # not writable: the next build makes the results again
    return True


def _write_store(path: Path, data: bytes, entries: dict[str, Any]) -> None:
    written = _write_whole(path, data)
    remembered = _stores.get(str(path))
    if remembered is not None and remembered[2] is entries:  # no later save since
        if written:
            _stores[str(path)] = (remembered[0], _stamp(path), entries)
        else:
            del _stores[str(path)]


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


# the entries of each shared Store file as this process last read or wrote them:
# path -> (salt, the file's stamp then or _WRITING, entries); only while results are
# kept in memory
_WRITING: Any = object()
_stores: dict[str, tuple[bytes, Any, dict[str, Any]]] = {}


class FileStore:
    """Larger results by content key, one compressed file each, in a folder.

    For what is too big to load whole on every build (the HTML of every page of a
    large site): each result is read only when asked for. Results not used by the
    last build are removed by :meth:`prune`.
    """

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt.encode("utf-8") + b"\n"
        self.used: set[str] = set()

    def key(self, *parts: str | bytes) -> str:
        digest = hashlib.sha256(self.salt)
        for part in parts:
            data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str, *, shared: bool = False) -> Any | None:
        """The result kept under ``key``, or None.

        ``shared``: the caller never changes the result, so the live preview may hand
        the same object to every build (see :func:`keep_results_in_memory`).
        """
        path = self._path(key)
        name = str(path)
        if shared and _memory is not None and name in _decoded:
            self.used.add(key)
            return _decoded[name]
        data = _memory.get(name) if _memory is not None else None
        if data is None:
            data = _pending(name)
        try:
            if data is None:
                data = _unpacked(path.read_bytes())
                if _memory is not None:
                    _memory[name] = data
            value = marshal.loads(data)  # a fresh copy every time: callers may change it
        except (OSError, ValueError, EOFError, TypeError, zlib.error):
            return None
        if shared and _memory is not None:
            _decoded[name] = value
        self.used.add(key)
        return value

    def put(self, key: str, value: Any, *, packed: bool = False) -> None:
        """Keep ``value``; it is written to disk in the background (see :meth:`flush`).

        ``packed``: the bulk of ``value`` is compressed already, and is written as it is.
        """
        path = self._path(key)
        try:
            data = marshal.dumps(value)
        except ValueError:
            return  # not plain data: made again next time
        if _memory is not None:
            _memory[str(path)] = data
        with _waiting_lock:
            _waiting[str(path)] = data
        # compressing and writing wait on zlib and the disk, which other threads can do
        background.submit(_write, path, data, packed)
        self.used.add(key)

    def adopt(self, key: str) -> None:
        """Count the result another process put under ``key`` as this build's (a forked
        copy puts what it makes itself: see :mod:`polku.parallel`)."""
        self.used.add(key)

    def flush(self) -> None:
        """Return once every result put so far is on disk (or could not be written)."""
        background.wait()

    def prune(self) -> None:
        """Remove the results this build did not use.

        Results of this build still being written are left to be written, and the
        temporary files this process writes them to are left alone: whatever waits on
        the writes next (a fork, the end of the build) waits for them. Only a result put
        by an earlier build of this process (the preview) and unused now is waited for,
        to be removed.
        """
        prefix = f"{self.folder}{os.sep}"
        with _waiting_lock:
            waiting = [name for name in _waiting if name.startswith(prefix)]
        if any(os.path.basename(name) not in self.used for name in waiting):
            self.flush()
        if _memory is not None:
            for name in [n for n in _memory if n.startswith(prefix)]:
                if os.path.basename(name) not in self.used:
                    del _memory[name]
                    _decoded.pop(name, None)
            listed = _on_disk.get(str(self.folder))
            if listed is not None:  # what this process left there: no need to list it again
                for key in listed - self.used:
                    self._path(key).unlink(missing_ok=True)
                _on_disk[str(self.folder)] = set(self.used)
                return
        if not self.folder.is_dir():
            return
        writing = f".{os.getpid()}."  # in the names of this process's temporary files
        for path in self.folder.glob("*/*"):
            if path.name not in self.used and writing not in path.name:
                path.unlink(missing_ok=True)
        if _memory is not None:
            _on_disk[str(self.folder)] = set(self.used)


# the first byte of a result file written as it is; a zlib stream starts with 0x78
_AS_IS = b"\0"


def _unpacked(stored: bytes) -> bytes:
    return stored[1:] if stored[:1] == _AS_IS else zlib.decompress(stored)


def _write(path: Path, data: bytes, packed: bool = False) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        if packed:
            with open(temporary, "wb") as file:
                file.write(_AS_IS)
                file.write(data)
        else:
            temporary.write_bytes(zlib.compress(data, 1))
        os.replace(temporary, path)
    except (OSError, ValueError):
        pass  # not writable: made again next time
    finally:
        with _waiting_lock:
            if _waiting.get(str(path)) is data:
                del _waiting[str(path)]


# results put but maybe not on disk yet: path -> data
_waiting: dict[str, bytes] = {}
_waiting_lock = threading.Lock()


def _in_forked_copy() -> None:
    global _waiting_lock
    _waiting_lock = threading.Lock()  # the parent's may have been held by one of its threads


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_in_forked_copy)


def _pending(name: str) -> bytes | None:
    if not _waiting:
        return None
    with _waiting_lock:
        return _waiting.get(name)


# Results read or made by this process, uncompressed, while it builds again and again
# (the live preview): reading and decompressing every page's results is most of what an
# unchanged page costs a rebuild. Off unless asked for; keys are content hashes, so an
# entry is never stale.
_memory: dict[str, bytes] | None = None
_decoded: dict[str, Any] = {}  # results asked for as shared: decoded once
# FileStore folders pruned by this process: folder -> the keys left there (a preview's
# builds prune what the one before left instead of listing every result again)
_on_disk: dict[str, set[str]] = {}


def kept_in_memory() -> bool:
    """Whether this process keeps results in memory (the live preview)."""
    return _memory is not None


def keep_results_in_memory() -> None:
    """Have every FileStore of this process keep what it reads and writes in memory."""
    global _memory
    if _memory is None:
        _memory = {}

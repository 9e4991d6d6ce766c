"""Faults of the machine that a user causes and fixes, said as one plain line.

A full disk, a read-only file system, a folder polku may not read or write, a busy
port, a name too long for the file system: none of these is a bug in polku, and the
user can do something about each. The command line turns such an ``OSError`` into

    polku: error: PATH: what happened; what to do

with exit status 1 (2 when what the user typed is at fault: the address to serve on,
a name), and keeps exit status 3 and the crash log for real bugs. Every output
directory is built aside and swapped in whole, so the previous site is untouched
whichever of these happens.
"""

from __future__ import annotations

import contextlib
import errno
import io
import itertools
import os
import re
import stat
from pathlib import Path
from types import TracebackType

from .site_dir import STAGING_PREFIX

EXIT_FAULT = 1
EXIT_USAGE = 2

_FREE_SPACE = "free some space on that disk and run the command again"
_ACCESS = (
    "give your user access to it (for example 'chmod -R u+rwX' on the folder), "
    "or work on a copy of the project in a folder of your own"
)

# errno -> (what happened, what to do)
_FAULTS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on the disk", _FREE_SPACE),
    errno.EDQUOT: ("your disk quota is used up", _FREE_SPACE),
    errno.EFBIG: ("the file is too large for the file system", _FREE_SPACE),
    errno.EROFS: (
        "the file system is read-only",
        "build into a writable folder (polku build --site-dir DIR), or work on a copy of "
        "the project on a writable disk",
    ),
    errno.EACCES: ("permission denied", _ACCESS),
    errno.EPERM: ("the operation is not permitted", _ACCESS),
    errno.ENAMETOOLONG: (
        "the name is too long for the file system",
        "choose a shorter name (an id of at most 100 characters is safe everywhere)",
    ),
    errno.ELOOP: (
        "symbolic links lead round in a loop",
        "remove the link or point it at a real file or folder",
    ),
    errno.EIO: (
        "the disk reported an input/output error",
        "check the disk (or the network drive) and run the command again",
    ),
    errno.ESTALE: (
        "the network drive no longer knows the file",
        "mount the network drive again and run the command again",
    ),
    errno.EMFILE: (
        "too many files are open",
        "raise the limit of open files (for example 'ulimit -n 4096') and run the command again",
    ),
    errno.ENFILE: (
        "the system has too many files open",
        "close other programs and run the command again",
    ),
    errno.EBUSY: (
        "the file or folder is busy (in use by another program, or a mount point)",
        "close the program that uses it, or build into another folder with --site-dir DIR",
    ),
    errno.ETXTBSY: (
        "the file is busy (in use by another program)",
        "close the program that uses it and run the command again",
    ),
    errno.ENXIO: (
        "not a regular file (a pipe, socket or device)",
        "replace it with a regular file or folder",
    ),
    errno.ENODEV: (
        "not a regular file (a pipe, socket or device)",
        "replace it with a regular file or folder",
    ),
    errno.ENOMEM: (
        "the machine ran out of memory",
        "close other programs, or build without the workbooks (--no-pdf), and try again",
    ),
    errno.EADDRINUSE: (
        "the address is already in use",
        "stop the program that uses it, or choose another port: polku serve -a 127.0.0.1:8001",
    ),
    errno.EADDRNOTAVAIL: (
        "the address is not one of this machine's",
        "serve on an address of this machine, for example polku serve -a 127.0.0.1:8000",
    ),
}
# Path.resolve() before Python 3.13 says so of a loop of symbolic links, not with ELOOP
_LINK_LOOP = re.compile(r"^Symlink loop from '(.+)'$", re.DOTALL)
# what to do when the fault is in the project's cache folder
_CACHE_TODO = {
    errno.EROFS: "work on a copy of the project on a writable disk",
    errno.EACCES: "make the folder writable for your user (for example 'chmod -R u+rwX .cache')",
    errno.EPERM: "make the folder writable for your user (for example 'chmod -R u+rwX .cache')",
}
# a name (an id, --site-dir) or an address the user typed is at fault
_USAGE = {errno.ENAMETOOLONG, errno.EADDRINUSE, errno.EADDRNOTAVAIL}
# faults of a whole file system: the folder names the disk better than a file in it
_FILE_SYSTEM = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.ESTALE}


class Fault(Exception):
    """A fault the user can fix: where (if known), what happened, what to do, exit status."""

    def __init__(
        self, where: str | None, what: str, todo: str, exit_code: int = EXIT_FAULT
    ) -> None:
        super().__init__(f"{where + ': ' if where else ''}{what}; {todo}")
        self.where, self.what, self.todo, self.exit_code = where, what, todo, exit_code

    @property
    def message(self) -> str:
        return f"polku: error: {self}"


def fault_of(exc: BaseException) -> Fault | None:
    """The user's fault behind ``exc``, or None when it is not one (then it is a bug)."""
    if isinstance(exc, Fault):
        return exc
    loop = _LINK_LOOP.match(str(exc)) if isinstance(exc, RuntimeError) else None
    if loop is not None:
        exc = OSError(errno.ELOOP, os.strerror(errno.ELOOP), loop.group(1))
    if not isinstance(exc, OSError) or exc.errno is None:
        return None
    path = _path_of(exc)
    misplaced = _misplaced(exc, path)
    if misplaced is not None:
        return misplaced
    known = _FAULTS.get(exc.errno)
    if known is None:
        return None
    what, todo = known
    where = None
    in_cache = path is not None and _in_cache(path)
    if path is not None and path.name in ("<stdout>", "<stderr>"):
        where = "the output"  # polku check > file, on a full disk
    elif path is not None:
        if exc.errno in _FILE_SYSTEM and not path.is_dir():
            path = path.parent
        elif exc.errno in (errno.EACCES, errno.EPERM):
            path = _denied(path)
        where = shown(path)
        if exc.errno == errno.ENAMETOOLONG:
            what = _too_long(path)
            where = "/".join(_short(part) for part in where.split("/"))
        if _in_staging(path):
            todo += "; the previous site is unchanged"
        elif in_cache:
            todo = _CACHE_TODO.get(exc.errno, todo) + (
                "; polku keeps its cache there, and removing .cache/polku is always safe"
            )
    return Fault(where, what, todo, EXIT_USAGE if exc.errno in _USAGE else EXIT_FAULT)


def check_sources(folder: Path, *, follow_links: bool) -> None:
    """Raise a :class:`Fault` for what a build could not read in ``folder``.

    MkDocs skips a folder it may not read without a word (a site without those
    pages), waits forever reading a named pipe, and walks a link to a folder that
    contains it as deep as the system lets it; each becomes one plain message before
    anything is read. ``follow_links`` as the reader of the folder does. Names
    starting with a dot are left alone, as MkDocs leaves them.
    """
    if not folder.is_dir():
        return

    def fail(exc: OSError) -> None:
        raise exc

    for directory, subfolders, names in os.walk(folder, onerror=fail, followlinks=follow_links):
        if os.path.islink(directory) and _contains(os.path.dirname(directory), directory):
            raise Fault(
                shown(directory),
                "a link to a folder that contains it, so the folder never ends",
                "remove the link",
            )
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            path = Path(directory, name)
            if name.startswith(".") or (not follow_links and path.is_symlink()):
                continue
            try:
                mode = path.stat().st_mode
            except FileNotFoundError:
                continue  # a broken link: reported as a missing file where it is used
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                raise Fault(
                    shown(path),
                    "not a regular file (a pipe, socket or device)",
                    "remove it or replace it with a regular file",
                )
            if not os.access(path, os.R_OK):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))


def _contains(folder: str, link: str) -> bool:
    """True when the folder ``link`` leads to is ``folder`` or a folder around it."""
    inside, target = os.path.realpath(folder), os.path.realpath(link)
    return inside == target or inside.startswith(target.rstrip(os.sep) + os.sep)


def shown(path: Path | str) -> str:
    """``path`` as the user knows it: relative to the current folder when inside it.

    A file inside a site's staging folder is shown as the site folder it becomes.
    """
    path = Path(os.path.abspath(path))
    for index, part in enumerate(path.parts):
        if part.startswith(STAGING_PREFIX):
            site = part.removeprefix(STAGING_PREFIX).rpartition("-")[0]
            path = Path(*path.parts[:index], site)
            break
    try:
        relative = path.relative_to(Path.cwd())
    except ValueError:
        return str(path)
    return relative.as_posix() if relative.parts else "."


def _misplaced(exc: OSError, path: Path | None) -> Fault | None:
    """A file where polku needs a folder, or the other way round (checked on disk)."""
    if path is None:
        return None
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        for candidate in (path, *path.parents):
            if candidate.exists() and not candidate.is_dir():
                if candidate == path and exc.errno == errno.ENOTDIR:
                    continue  # a file asked for as a folder is the file's own name; see parents
                return Fault(
                    shown(candidate),
                    "a file stands where polku needs a folder",
                    "move or rename the file",
                )
            if candidate.is_dir():
                break
    if exc.errno == errno.EISDIR and path.is_dir():
        return Fault(
            shown(path), "a folder stands where polku needs a file", "move or rename the folder"
        )
    return None


def _path_of(exc: OSError) -> Path | None:
    """The file ``exc`` is about: its file name, else the file being written when it happened.

    Python names no file when writing to an open one fails (a full disk); the
    innermost frame of the traceback that holds an open file knows which, and a file
    open for writing is the likelier culprit than one being read (a copy has both).
    """
    name = exc.filename
    if exc.filename2 is not None and exc.errno in _FILE_SYSTEM:
        name = exc.filename2  # a copy names both files; the full disk is the destination's
    if name is not None:
        return Path(os.fsdecode(name)) if isinstance(name, str | bytes | os.PathLike) else None
    frames: list[TracebackType] = []
    traceback = exc.__traceback__
    while traceback is not None:
        frames.append(traceback)
        traceback = traceback.tb_next
    for frame in reversed(frames):
        files = [
            value
            for value in frame.tb_frame.f_locals.values()
            if isinstance(value, io.IOBase) and isinstance(getattr(value, "name", None), str)
        ]
        files.sort(key=lambda file: not _writable(file))
        if files:
            return Path(files[0].name)
    return None


def _writable(file: io.IOBase) -> bool:
    try:
        return file.writable()
    except ValueError:  # closed already
        return "r" not in getattr(file, "mode", "r")


def _denied(path: Path) -> Path:
    """The folder or file that keeps the user out of ``path``.

    The outermost folder on the way that may not be entered, else the nearest existing
    folder when ``path`` is still to be created in it, else ``path`` itself.
    """
    absolute = Path(os.path.abspath(path))
    for folder in reversed(absolute.parents):
        if folder.is_dir() and not os.access(folder, os.X_OK):
            return folder
    if not os.path.lexists(absolute):
        for folder in absolute.parents:
            if folder.is_dir():
                return folder
    return absolute


def _too_long(path: Path) -> str:
    """Which name of ``path`` is too long, and the limit."""
    longest = max(path.parts, key=lambda part: len(os.fsencode(part)))
    size = len(os.fsencode(longest))
    limit = 255
    for folder in path.parents:
        with contextlib.suppress(OSError, ValueError):
            limit = os.pathconf(folder, "PC_NAME_MAX")
            break
    if size <= limit:
        return "the path is too long for the file system"
    return f"a name there is {size} bytes long, over the file system's limit of {limit}"


def _short(name: str) -> str:
    """An over-long name cut to fit one line."""
    return name if len(name) <= 40 else f"{name[:24]}…{name[-12:]}"


def _in_staging(path: Path) -> bool:
    return any(part.startswith(STAGING_PREFIX) for part in path.parts)


def _in_cache(path: Path) -> bool:
    return (".cache", "polku") in itertools.pairwise(path.parts)

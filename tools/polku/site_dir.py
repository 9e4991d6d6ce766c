"""The site folder: polku's alone, built aside, swapped in whole, never left half-written.

polku writes only into a folder that is absent, empty, or marked as a site polku
built before (the marker file :data:`MARKER`); anything else might be someone's
files and is refused before any work starts. The project itself, its curriculum and
docs folders, a home folder and ``/`` are refused even when empty.

Other folders polku writes and calls its own (the welcome packs) follow the same
rule with a marker of their own (:class:`FolderKind`): a site folder is never taken
for a packs folder, nor the other way round.

A build takes an exclusive lock on its target, writes into a private staging folder
beside it (same file system, so the final rename is atomic) and swaps that folder in
only when everything is written. A build that fails or is interrupted leaves the
previous site exactly as it was; it removes its own staging folder and, holding the
lock, those that killed builds of the same target left behind, never another's.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import __version__

MARKER = ".polku-site"
STAGING_PREFIX = ".polku-staging-"
OLD_PREFIX = ".polku-old-"
OWNER = ".polku-target"  # in a staging folder: the target it is for
_RENAME_EXCHANGE = 2
# a site built by polku before the marker existed carries polku's browser script
_EARLIER_POLKU_SITE = Path("assets") / "polku" / "polku.js"


class SiteDirError(Exception):
    """The site folder cannot be used; the message says why and what to do."""


class BuildLockedError(SiteDirError):
    """Another build of the same site folder is running."""


@dataclass(frozen=True)
class FolderKind:
    """A kind of folder that polku writes and calls its own: its marker file, how an
    earlier polku's folder (from before the marker) is recognised, and the words of
    the messages that refuse a folder."""

    marker: str
    earlier: Callable[[Path], bool]
    write: str  # polku does not {write} into this folder
    verb: str  # {verb} into a folder of its own
    made: str  # polku did not {made} it
    replaces: str  # so {replaces} someone's files
    example: str  # choose a folder of its own, such as {example}
    noun: str  # choose another {noun}


SITE = FolderKind(
    marker=MARKER,
    earlier=lambda folder: (folder / _EARLIER_POLKU_SITE).is_file(),
    write="build the site",
    verb="build",
    made="build",
    replaces="a build would replace",
    example="'site' in the project folder",
    noun="site folder",
)


def check_target(
    target: Path,
    *,
    root: Path | None = None,
    sources: list[Path] = (),
    kind: FolderKind = SITE,
) -> None:
    """Refuse a folder that is not polku's to replace (a site folder unless ``kind``
    says otherwise).

    ``root`` is the project folder and ``sources`` its source folders (curriculum, docs,
    theme overrides): never replaced, never written into, whether or not they are empty.
    """
    if target.is_symlink():
        raise SiteDirError(
            f"{target}: this is a symbolic link, and polku does not replace it; "
            f"{kind.verb} into a folder of its own and link to that instead"
        )
    target = target.resolve()
    sources = [p.resolve() for p in sources]
    kept = [Path("/"), Path.home().resolve(), *sources]
    if root is not None:
        kept.append(root.resolve())
    for folder in kept:
        if target == folder:
            raise SiteDirError(
                f"{target}: polku does not {kind.write} into this folder, which is not its "
                f"own; choose a folder of its own, such as {kind.example}"
            )
        if folder != Path("/") and folder.is_relative_to(target):
            raise SiteDirError(
                f"{target}: this folder holds {folder}, which {kind.replaces}; "
                f"choose a folder of its own, such as {kind.example}"
            )
    for folder in sources:
        if target.is_relative_to(folder):
            raise SiteDirError(
                f"{target}: this folder is inside {folder}, which holds the sources; "
                f"choose a folder outside it, such as {kind.example}"
            )
    if target.exists() and not target.is_dir():
        raise SiteDirError(
            f"{target}: this is a file, not a folder, and polku does not replace it; "
            f"remove it or choose another {kind.noun}"
        )
    if target.is_dir() and not is_polku_folder(target, kind):
        raise SiteDirError(
            f"{target}: this folder is not empty and polku did not {kind.made} it, so "
            f"{kind.replaces} someone's files; choose an empty or new folder, or remove "
            "it first"
        )


def is_polku_folder(folder: Path, kind: FolderKind) -> bool:
    """True for an empty folder or one that polku wrote as a folder of ``kind``."""
    try:
        if (folder / kind.marker).is_file() or kind.earlier(folder):
            return True
        return not any(folder.iterdir())
    except OSError:
        return False


def is_polku_site(folder: Path) -> bool:
    """True for an empty folder or one that polku built."""
    return is_polku_folder(folder, SITE)


def mark(folder: Path, kind: FolderKind) -> None:
    """Mark ``folder`` as polku's own folder of ``kind`` (the next run may write into it)."""
    marker = folder / kind.marker
    if not marker.is_file():
        marker.write_text(f"polku {__version__}\n", "utf-8")


class SiteDir:
    """One build's staging folder for ``target``, locked until published or abandoned."""

    def __init__(self, target: Path, *, root: Path | None = None, sources: list[Path] = ()) -> None:
        self.requested = target.absolute()
        self.target = target.resolve()
        self.root = root
        self.sources = list(sources)
        self.staging: Path | None = None
        self._lock: int | None = None

    @property
    def lock_path(self) -> Path:
        return self.target.parent / f".polku-{self.target.name}.lock"

    def open(self) -> Path:
        """Check the target, take the lock and make a new staging folder; returns it."""
        check_target(self.requested, root=self.root, sources=self.sources)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._acquire()
        try:
            self._remove_stale()
            prefix = f"{STAGING_PREFIX}{self.target.name}-"
            staging = Path(tempfile.mkdtemp(prefix=prefix, dir=self.target.parent))
            (staging / OWNER).write_text(str(self.target), "utf-8")
            staging.chmod(_folder_mode())
        except BaseException:
            self._release()
            raise
        self.staging = staging
        return staging

    def publish(self) -> None:
        """Put the finished staging folder in place of the target; release the lock."""
        assert self.staging is not None
        staging, self.staging = self.staging, None
        try:
            (staging / OWNER).unlink(missing_ok=True)
            (staging / MARKER).write_text(f"polku {__version__}\n", "utf-8")
            _swap(staging, self.target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            self._release()

    def abandon(self) -> None:
        """Remove the staging folder of a failed build; the target stays as it was."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        self._release()

    # --- lock --------------------------------------------------------------------------

    def _acquire(self) -> None:
        while True:
            handle = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                raise BuildLockedError(
                    f"{self.target}: another build of this site is running "
                    f"(lock: {self.lock_path}); wait for it to finish and build again"
                ) from None
            # the build that held it removes the file as it lets go: a lock taken on
            # the file it removed locks nothing, so take the one in place now
            try:
                if os.path.samestat(os.fstat(handle), os.stat(self.lock_path)):
                    break
            except FileNotFoundError:
                pass
            os.close(handle)
        os.ftruncate(handle, 0)
        os.write(handle, str(os.getpid()).encode())
        self._lock = handle

    def _release(self) -> None:
        if self._lock is not None:
            # removed while still held, so that no lock file is left beside the site
            with contextlib.suppress(OSError):
                os.unlink(self.lock_path)
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            os.close(self._lock)
            self._lock = None

    def _remove_stale(self) -> None:
        """Staging and old folders that killed builds of this target left (lock held)."""
        for prefix in (STAGING_PREFIX, OLD_PREFIX):
            for path in self.target.parent.glob(f"{prefix}{self.target.name}-*"):
                with contextlib.suppress(OSError):
                    owner = (path / OWNER).read_text("utf-8")
                    if owner == str(self.target):
                        shutil.rmtree(path, ignore_errors=True)


def _folder_mode() -> int:
    """The mode a new folder gets under the current umask (0755 under the usual 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(
        at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(second))


def _swap(staging: Path, target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f"{OLD_PREFIX}{target.name}-", dir=target.parent))
        old.rmdir()
        if _exchange(staging, target):
            (staging / OWNER).write_text(str(target), "utf-8")  # now the previous site
            os.rename(staging, old)
        else:
            os.rename(target, old)
            os.rename(staging, target)
            with contextlib.suppress(OSError):
                (old / OWNER).write_text(str(target), "utf-8")
        _discard(old)
        return
    os.rename(staging, target)


def _discard(folder: Path) -> None:
    """Remove a previous site without making the build wait for it.

    A process of its own removes it (a large site has thousands of folders), in a session
    of its own so that it outlives the build, with none of the build's pipes, sockets or
    locks open. It is spawned rather than forked: forking the live preview's large
    process cost tens of milliseconds of every rebuild. Should it be stopped first, the
    folder carries its owner file and the next build removes it.
    """
    global _removers
    _removers = [process for process in _removers if process.poll() is None]
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", _REMOVE, str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    _removers.append(process)  # reaped by a later call, or adopted once this one exits


_REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
_removers: list[subprocess.Popen[bytes]] = []

"""The output directory: built aside, swapped in whole, never left half-written."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

STAGING_PREFIX = ".polku-staging-"
OLD_PREFIX = ".polku-old-"
_RENAME_EXCHANGE = 2


class BuildLockedError(Exception):
    """Another build of the same site directory is running."""


def staging_dir(site_dir: str) -> str:
    """A new empty directory beside ``site_dir`` (same file system, so renames are atomic)."""
    target = Path(site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    return tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{target.name}-", dir=target.parent)


def remove_stale(target: Path) -> None:
    """Remove staging and old directories that a killed build left behind."""
    for prefix in (STAGING_PREFIX, OLD_PREFIX):
        for path in target.parent.glob(f"{prefix}{target.name}-*"):
            shutil.rmtree(path, ignore_errors=True)


def _exchange(first: str, second: str) -> bool:
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
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), second)


def replace_directory(staging: str, final: str) -> None:
    """Put the finished ``staging`` directory in place of ``final``."""
    final_path = Path(final).resolve()
    if final_path.is_dir() and not final_path.is_symlink():
        if _exchange(staging, str(final_path)):
            shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
            return
        old = tempfile.mkdtemp(prefix=f"{OLD_PREFIX}{final_path.name}-", dir=final_path.parent)
        os.rmdir(old)
        os.rename(final_path, old)
        os.rename(staging, final_path)
        shutil.rmtree(old, ignore_errors=True)
        return
    if final_path.exists() or final_path.is_symlink():
        final_path.unlink()
    os.rename(staging, final_path)


def remove_directory(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


class BuildLock:
    """An exclusive lock on building one site directory."""

    def __init__(self, site_dir: str) -> None:
        target = Path(site_dir).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        self.path = target.parent / f".polku-{target.name}.lock"
        self.handle: int | None = None

    def acquire(self) -> None:
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise BuildLockedError(
                f"another build of this site is running (lock: {self.path}); "
                "wait for it to finish and build again"
            ) from None
        os.ftruncate(handle, 0)
        os.write(handle, str(os.getpid()).encode())
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            os.close(self.handle)
            self.handle = None

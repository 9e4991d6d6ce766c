"""Work done in threads alongside the build: compressing and writing files.

Writing thousands of cached results and pages one after the other waits on the disk
and on zlib, both of which release the interpreter's lock; threads do it while the
build goes on. :func:`wait` returns once everything submitted is done and raises the
first error of a task that raised one.

Threads do not survive a fork: :func:`stop` (called by :mod:`polku.parallel` before it
forks) waits for the threads and ends them, and a forked process runs what it submits
at once, itself.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_all
from typing import Any

THREADS = 8  # most of a task's time is waiting on the disk

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_futures: list[Future[Any]] = []
_forked = False  # this is a forked copy: tasks run at once


def _in_forked_copy() -> None:
    global _lock, _pool, _futures, _forked
    _lock = threading.Lock()  # the parent's may have been held by one of its threads
    _pool, _futures, _forked = None, [], True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_in_forked_copy)


def submit(task: Callable[..., Any], *args: Any) -> None:
    """Run ``task(*args)`` in a thread (at once, in a forked process)."""
    global _pool
    if _forked:
        task(*args)
        return
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(THREADS, thread_name_prefix="polku-background")
        _futures.append(_pool.submit(task, *args))


def wait() -> None:
    """Return once every task submitted so far has ended; raise the first error."""
    with _lock:
        futures = list(_futures)
        _futures.clear()
    errors = [error for future in futures if (error := future.exception()) is not None]
    if errors:  # every task has ended: none writes into a folder the caller removes next
        raise errors[0]


def settle() -> None:
    """Return once every task submitted so far has ended, whatever it raised: a failed
    build, before it removes the folder they write into (a page written after would
    make the folder again)."""
    with _lock:
        futures = list(_futures)
        _futures.clear()
    wait_for_all(futures)


def stop() -> None:
    """Wait for every task, then end the threads (a later :func:`submit` starts new ones)."""
    global _pool
    try:
        wait()
    finally:
        with _lock:
            pool, _pool = _pool, None
        if pool is not None:
            pool.shutdown(wait=True)

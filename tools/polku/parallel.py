"""Share a pure function over many items between this process and forked copies of it.

Reading a large curriculum is CPU work on independent files. Forked processes
start at once with everything already imported and every text already read, and
their results come back as ``marshal`` of plain data (dicts, lists, tuples, text
and numbers), which costs a tenth of pickling models. Whatever goes wrong in a
forked process, its share is done here instead, so the results never depend on
whether the work was shared.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import itertools
import marshal
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from . import background

Item = TypeVar("Item")

MAX_PROCESSES = 4  # past this, taking the results in costs this process what the others save


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def map_plain(
    function: Callable[[Item], Any], items: Sequence[Item], *, min_share: int = 100
) -> list[Any]:
    """``[function(item) for item in items]``, shared with forked processes when worth it.

    ``function`` must return plain data that ``marshal`` can carry. Each process
    gets at least ``min_share`` items, so small jobs stay in this process.
    """
    processes = min(available_cores(), MAX_PROCESSES, len(items) // max(min_share, 1))
    if processes >= 2:
        background.stop()  # its threads would not be in the forked copies
    if processes < 2 or not _can_fork():
        return [function(item) for item in items]
    _return_free_memory()
    bounds = [len(items) * share // processes for share in range(processes + 1)]
    # the first share is this process's; each other one goes to a forked process
    pending: list[tuple[tuple[int, int] | None, int, int]] = []  # (pid and pipe, start, end)
    try:
        for start, end in itertools.pairwise(bounds[1:]):
            pending.append((_fork(function, items[start:end]), start, end))
        results = [function(item) for item in items[: bounds[1]]]
        while pending:
            child, start, end = pending[0]
            share = items[start:end]
            if child is None:  # it could not be started
                pending.pop(0)
                results.extend(function(item) for item in share)
                continue
            pid, pipe = child
            with os.fdopen(pipe, "rb") as reader:
                payload = reader.read()
            pending.pop(0)  # its output is in: from here on it only needs reaping
            _pid, status = os.waitpid(pid, 0)
            results.extend(_results(payload, status, function, share))
        return results
    finally:
        for child, _start, _end in pending:  # interrupted: stop the others
            if child is not None:
                _stop(*child)


def _return_free_memory() -> None:
    """Give the memory this process freed back to the system before it forks.

    The C allocator keeps freed blocks for later, still counted as this process's. A
    forked copy that fills such blocks copies the pages they lie on, so both processes
    hold them; a page given back is neither held here nor copied there.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not the GNU C library
        return None


def _can_fork() -> bool:
    # a fork copies only the calling thread; with others running (the live preview's
    # server), a lock one of them holds would stay locked in the copy. On macOS system
    # libraries are not safe to use in a forked copy, so work stays in one process.
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def _fork(function: Callable[[Item], Any], share: Sequence[Item]) -> tuple[int, int] | None:
    """Start a process that writes ``marshal`` of its results to a pipe; (pid, pipe)."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the forked process: never returns
        status = 1
        try:
            # the collector would walk the parent's objects and so copy every memory page
            # they are on; they all outlive this process's work
            gc.freeze()
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the whole group
            payload = marshal.dumps([function(item) for item in share])
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        except BaseException:  # whatever it was, the parent does this share itself
            pass
        finally:
            os._exit(status)  # no cleanup of the parent's state: it is not ours
    os.close(write_end)
    return pid, read_end


def _results(
    payload: bytes, status: int, function: Callable[[Item], Any], share: Sequence[Item]
) -> list[Any]:
    """A forked process's results, or ``share`` worked out here when it failed."""
    if status == 0:
        try:
            results = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            results = None
        if isinstance(results, list) and len(results) == len(share):
            return results
    # killed (out of memory, say) or failed: the share is done here, with the same result
    return [function(item) for item in share]


def _stop(pid: int, pipe: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.close(pipe)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)

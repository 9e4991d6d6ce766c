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
    function: Callable[[Item], Any],
    items: Sequence[Item],
    *,
    min_share: int = 100,
    give_back_memory: bool = False,
) -> list[Any]:
    """``[function(item) for item in items]``, shared with forked processes when worth it.

    ``function`` must return plain data that ``marshal`` can carry. Each process
    gets at least ``min_share`` items, so small jobs stay in this process.
    ``give_back_memory``: this process freed much since it last forked, and the work
    is large enough to pay for the memory being faulted in again (see
    :func:`_return_free_memory`).
    """
    processes = min(available_cores(), MAX_PROCESSES, len(items) // max(min_share, 1))
    if processes >= 2:
        background.stop()  # its threads would not be in the forked copies
    if processes < 2 or not _can_fork():
        return [function(item) for item in items]
    if give_back_memory:
        _return_free_memory()
    bounds = [len(items) * share // processes for share in range(processes + 1)]
    # the first share is this process's; each other one goes to a forked process
    children: list[_Child] = []
    try:
        for start, end in itertools.pairwise(bounds[1:]):
            children.append(_Child.fork(function, items[start:end]))
        for child in children:  # only now: a fork copies no thread but its caller
            child.take_results_in()
        results = [function(item) for item in items[: bounds[1]]]
        for child in children:
            results.extend(child.results_or_own(function))
        return results
    finally:
        for child in children:  # interrupted: stop the others
            child.stop()


def _return_free_memory() -> None:
    """Give the memory this process freed back to the system before it forks.

    The C allocator keeps freed blocks for later, still counted as this process's. A
    forked copy that fills such blocks copies the pages they lie on, so both processes
    hold them; a page given back is neither held here nor copied there. It costs
    time: memory given back is faulted in again when this process grows.
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


class _Child:
    """A forked process working out a share of the items, and the thread in this
    process taking its results in as they come: neither process ever holds the
    results of the share twice (as objects and as the bytes that carry them)."""

    def __init__(self, share: Sequence[Any], pid: int | None = None, pipe: int | None = None):
        self.share, self.pid, self.pipe = share, pid, pipe
        self.results: list[Any] = []
        self.complete = False
        self.reader: threading.Thread | None = None

    @classmethod
    def fork(cls, function: Callable[[Item], Any], share: Sequence[Item]) -> _Child:
        """Start a process that writes ``marshal`` of each result to a pipe; a child
        without a process when none could be started."""
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return cls(share)
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return cls(share)
        if pid == 0:  # the forked process: never returns
            status = 1
            try:
                # the collector would walk the parent's objects and so copy every memory
                # page they are on; they all outlive this process's work
                gc.freeze()
                os.close(read_end)
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the group
                with os.fdopen(write_end, "wb") as pipe:
                    for item in share:
                        data = marshal.dumps(function(item))
                        pipe.write(len(data).to_bytes(8, "little"))
                        pipe.write(data)
                status = 0
            except BaseException:  # whatever it was, the parent does this share itself
                pass
            finally:
                os._exit(status)  # no cleanup of the parent's state: it is not ours
        os.close(write_end)
        return cls(share, pid, read_end)

    def take_results_in(self) -> None:
        if self.pipe is not None:
            self.reader = threading.Thread(target=self._read, args=(self.pipe,), daemon=True)
            self.pipe = None  # the reader's to close
            self.reader.start()

    def _read(self, pipe: int) -> None:
        # whole results at once: ``marshal.load`` would read a stream in many small
        # pieces, each taking the interpreter lock from the thread doing the work
        with os.fdopen(pipe, "rb") as stream:
            try:
                while len(self.results) < len(self.share):
                    size = int.from_bytes(stream.read(8), "little")
                    data = stream.read(size)
                    if len(data) != size:
                        return  # cut short: the share is done here
                    self.results.append(marshal.loads(data))
                self.complete = stream.read(1) == b""
            except (ValueError, EOFError, TypeError, OSError):
                pass

    def results_or_own(self, function: Callable[[Any], Any]) -> list[Any]:
        """The process's results, or the share worked out here when it failed."""
        if self.reader is not None:
            self.reader.join()
        if self.pid is not None:
            _pid, status = os.waitpid(self.pid, 0)
            self.pid = None
            if status == 0 and self.complete:
                return self.results
        # not started, killed (out of memory, say) or failed: the same results made here
        self.results = []
        return [function(item) for item in self.share]

    def stop(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        if self.pipe is not None:
            with contextlib.suppress(OSError):
                os.close(self.pipe)
        if self.reader is not None:
            self.reader.join()  # the killed process's pipe ends: so does the reader
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
            self.pid = None

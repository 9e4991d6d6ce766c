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
import marshal
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
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
    meanwhile: Callable[[], None] | None = None,
) -> list[Any]:
    """``[function(item) for item in items]``, shared with forked processes when worth it.

    ``function`` must return plain data that ``marshal`` can carry. The work is shared
    only when each process would get at least ``min_share`` items, so small jobs stay
    in this process. ``give_back_memory``: this process freed much since it last
    forked, and the work is large enough to pay for the memory being faulted in again
    (see :func:`_return_free_memory`). ``meanwhile``: other work of this process, done
    while the forked ones start on the items (first, when the work is not shared).
    """
    processes = min(available_cores(), MAX_PROCESSES, len(items) // max(min_share, 1))
    if processes >= 2:
        background.stop()  # its threads would not be in the forked copies
    if processes < 2 or not _can_fork():
        return _here(function, items, meanwhile)
    if give_back_memory:
        _return_free_memory()
    try:
        chunks = _Chunks(len(items), processes)
    except OSError:  # no pipe to be had (too many open files)
        return _here(function, items, meanwhile)
    done: dict[int, list[Any]] = {}
    children: list[_Child] = []
    try:
        for _ in range(processes - 1):
            with _signals_held():  # an interrupt now would lose the process just started
                child = _Child.fork(function, items, chunks)
                if child is not None:
                    children.append(child)
        chunks.close_for_writing()
        for child in children:  # only now: a fork copies no thread but its caller
            child.take_results_in()
        if meanwhile is not None:
            meanwhile()
        while (chunk := chunks.take()) is not None:
            done[chunk] = [function(item) for item in items[chunks.slice(chunk)]]
        for child in children:
            done.update(child.results())
        # chunks taken by a process that failed or was killed: the same results made here
        return [
            result
            for chunk in range(chunks.count)
            for result in (
                done[chunk]
                if chunk in done
                else [function(item) for item in items[chunks.slice(chunk)]]
            )
        ]
    finally:
        chunks.close()
        for child in children:  # interrupted: stop the others
            child.stop()


def _here(
    function: Callable[[Item], Any], items: Sequence[Item], meanwhile: Callable[[], None] | None
) -> list[Any]:
    if meanwhile is not None:
        meanwhile()
    return [function(item) for item in items]


class _Chunks:
    """The items in runs of neighbours, handed out one run at a time to whichever
    process asks first: a process given slow items takes fewer runs, and all end
    together. The runs waiting are numbers in a pipe every process reads from."""

    RUNS_PER_PROCESS = 24  # more: less waiting at the end; fewer: fewer results to send

    def __init__(self, items: int, processes: int) -> None:
        self.size = max(1, -(-items // (processes * self.RUNS_PER_PROCESS)))
        self.items = items
        self.count = -(-items // self.size)
        self.read_end, self.write_end = os.pipe()
        # a few hundred numbers: far below a pipe's capacity, so this never blocks
        os.write(self.write_end, b"".join(n.to_bytes(4, "little") for n in range(self.count)))

    def slice(self, chunk: int) -> slice:
        return slice(chunk * self.size, min((chunk + 1) * self.size, self.items))

    def take(self) -> int | None:
        """The next run's number, or None once every run is taken.

        A read of four bytes from a pipe holding whole numbers of four bytes returns
        one whole number even when several processes read at once.
        """
        try:
            data = os.read(self.read_end, 4)
        except OSError:
            return None
        return int.from_bytes(data, "little") if len(data) == 4 else None

    def close_for_writing(self) -> None:
        """With no writer left, a read of the emptied pipe ends instead of waiting."""
        if self.write_end >= 0:
            os.close(self.write_end)
            self.write_end = -1

    def close(self) -> None:
        self.close_for_writing()
        if self.read_end >= 0:
            os.close(self.read_end)
            self.read_end = -1


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


INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back until the block ends, then delivered.

    They raise ``KeyboardInterrupt`` wherever this process is: between ``os.fork()``
    and the new process being recorded, it would go on working (and writing) after
    the build has cleaned up.
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _can_fork() -> bool:
    # a fork copies only the calling thread; with others running (the live preview's
    # server), a lock one of them holds would stay locked in the copy. On macOS system
    # libraries are not safe to use in a forked copy, so work stays in one process.
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


class _Child:
    """A forked process working out runs of the items as it takes them, and the thread in
    this process taking its results in as they come: neither process ever holds the
    results twice (as objects and as the bytes that carry them)."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid: int | None = pid
        self.pipe: int | None = pipe
        self.done: dict[int, list[Any]] = {}
        self.reader: threading.Thread | None = None

    @classmethod
    def fork(
        cls, function: Callable[[Item], Any], items: Sequence[Item], chunks: _Chunks
    ) -> _Child | None:
        """Start a process that writes ``marshal`` of each run's results to a pipe; None
        when none could be started."""
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
                # the collector would walk the parent's objects and so copy every memory
                # page they are on; they all outlive this process's work
                gc.freeze()
                os.close(read_end)
                chunks.close_for_writing()
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the group
                signal.pthread_sigmask(signal.SIG_UNBLOCK, INTERRUPTS)  # held by the parent
                with os.fdopen(write_end, "wb") as pipe:
                    while (chunk := chunks.take()) is not None:
                        results = [function(item) for item in items[chunks.slice(chunk)]]
                        data = marshal.dumps(results)
                        pipe.write(chunk.to_bytes(4, "little") + len(data).to_bytes(8, "little"))
                        pipe.write(data)
                status = 0
            except BaseException:  # whatever it was, the parent does the run itself
                pass
            finally:
                os._exit(status)  # no cleanup of the parent's state: it is not ours
        os.close(write_end)
        return cls(pid, read_end)

    def take_results_in(self) -> None:
        if self.pipe is not None:
            self.reader = threading.Thread(target=self._read, args=(self.pipe,), daemon=True)
            self.pipe = None  # the reader's to close
            self.reader.start()

    def _read(self, pipe: int) -> None:
        # a run's results at once: ``marshal.load`` would read a stream in many small
        # pieces, each taking the interpreter lock from the thread doing the work
        with os.fdopen(pipe, "rb") as stream:
            try:
                while header := stream.read(12):
                    if len(header) != 12:
                        return  # cut short: that run is done here
                    size = int.from_bytes(header[4:], "little")
                    data = stream.read(size)
                    if len(data) != size:
                        return
                    self.done[int.from_bytes(header[:4], "little")] = marshal.loads(data)
            except (ValueError, EOFError, TypeError, OSError):
                pass

    def results(self) -> dict[int, list[Any]]:
        """The results of each run the process finished (those of a process that failed
        after some runs too: each is whole, and made by the same function)."""
        if self.reader is not None:
            self.reader.join()
            self.reader = None
        if self.pid is not None:
            os.waitpid(self.pid, 0)
            self.pid = None
        done, self.done = self.done, {}
        return done

    def stop(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        if self.pipe is not None:
            with contextlib.suppress(OSError):
                os.close(self.pipe)
            self.pipe = None
        if self.reader is not None:
            self.reader.join()  # the killed process's pipe ends: so does the reader
            self.reader = None
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
            self.pid = None

"""The live preview keeps serving the last good site while the curriculum has errors.

MkDocs' development server holds every request after a failed rebuild until a
build succeeds ("the server will appear stuck"), and prints a traceback for an
unexpected error. polku's preview instead logs the located problems (the plugin
has done that already), says that the last good version is still shown, and goes
on serving it; builds there are staged and swapped in whole, so a failed build
never leaves a half-written preview behind. The next save that fixes the file
rebuilds and reloads the browser as usual.

MkDocs' file watcher also stops for good when a watched folder disappears (a branch
switch deletes and re-creates ``curriculum/``; a folder is moved away and back); polku
watches it again once it is back, and rebuilds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from mkdocs.exceptions import Abort, BuildError
from watchdog.events import FileModifiedEvent
from watchdog.utils.dirsnapshot import DirectorySnapshot

from .. import perf
from ..environment import fault_of

log = logging.getLogger("mkdocs.plugins.polku")

KEPT = "polku: the preview still shows the last good version; fix the problem above and save"


def keep_last_good_site(server: Any, update: Callable[[], bool] | None = None) -> Any:
    """Wrap the development server's builder so that a failed rebuild is not fatal.

    ``update``: tries to bring the shown site up to date in place after a save (False
    when it cannot: then the whole site is built).
    """
    build = server.builder

    def builder(config: Any = None) -> None:
        try:
            with perf.without_cycle_collection():
                if config is None and update is not None and update():
                    return
                build(config)
        except (Abort, BuildError):
            log.error(KEPT)
        except Exception as exc:
            fault = fault_of(exc)
            if fault is not None:  # a full disk, a folder without access: not a bug
                log.error(f"{fault.message}. {KEPT}")
                return
            from ..cli import ISSUES_URL, _write_crash_log

            path = _write_crash_log()
            log.error(
                "polku: internal error while rebuilding; this is a bug in polku, please report "
                f"it at {ISSUES_URL} with the details in {path}. {KEPT}"
            )
        finally:
            perf.collect_soon()

    server.builder = builder
    return server


def keep_watching(server: Any, interval: float = 0.5) -> Any:
    """Watch a watched folder again when it is back after being deleted or moved away.

    The development server polls each watched path; when one vanishes, its poller
    stops for good, so a curriculum re-created by a branch switch would never be
    rebuilt. A thread looks every ``interval`` seconds for a stopped poller whose path
    exists again, starts a new one through the server's own ``unwatch``/``watch``, and
    requests a rebuild (the new poller knows only the folder as it is now).
    """

    def look() -> None:
        observer = server.observer
        while not observer.is_alive():  # the server starts watching after this hook
            if observer.stopped_event.wait(interval):
                return
        paths = {emitter.watch.path for emitter in list(observer.emitters)}
        while not observer.stopped_event.wait(interval):
            running = {e.watch.path for e in list(observer.emitters) if e.is_alive()}
            for path in sorted(paths - running):
                if os.path.exists(path) and _watch_again(server, path):
                    log.info("polku: watching %s again", path)

    threading.Thread(target=look, name="polku-watch", daemon=True).start()
    return server


def _watch_again(server: Any, path: str) -> bool:
    """Replace the stopped watch of ``path``; True when a rebuild was requested."""
    with contextlib.suppress(KeyError):  # the server forgets the path after its last unwatch
        while True:
            server.unwatch(path)
    try:
        server.watch(path)
    except OSError:  # gone again already; the next look retries
        return False
    observer = server.observer
    for emitter in list(observer.emitters):
        if emitter.watch.path == path:
            # the server rebuilds on any event but a folder's
            observer.event_queue.put((FileModifiedEvent(path), emitter.watch))
            return True
    return False


# Polling every watched tree costs a scan of it; look this many times less often than a
# scan takes, so that watching stays below a few percent of one core while idle.
SCAN_SHARE = 20
QUICKEST_LOOK = 0.02  # seconds between looks for a small curriculum
SLOWEST_LOOK = 0.5  # MkDocs' own interval
# seconds without further changes before a rebuild starts: an editor's save (write,
# rename) takes milliseconds; a checkout that lands later simply rebuilds once more
SETTLE = 0.03


def look_often(server: Any, paths: list[str]) -> Any:
    """Notice a saved file sooner than MkDocs' half-second polling does.

    The development server polls the watched folders every 0.5 s and then waits
    0.1 s for changes to settle: on average a third of a second before a rebuild
    starts. A small curriculum is scanned in a millisecond, so it is polled every
    0.02 s instead; a large one as often as keeps the scans under 5 % of a core.
    """
    interval = polling_interval(paths)
    observer = server.observer
    observer._timeout = interval  # for the watches scheduled after this hook
    for emitter in list(observer.emitters):
        emitter._timeout = interval
    server.build_delay = SETTLE
    return server


def polling_interval(paths: list[str]) -> float:
    """Seconds between two looks at ``paths``: ``SCAN_SHARE`` times what a scan takes."""
    started = time.perf_counter()
    for path in paths:
        with contextlib.suppress(OSError):
            if os.path.isdir(path):
                DirectorySnapshot(path)
    scan = time.perf_counter() - started
    return min(SLOWEST_LOOK, max(QUICKEST_LOOK, scan * SCAN_SHARE))

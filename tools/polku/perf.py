"""Performance measures that reach into the interpreter, in one place.

The core runs correctly without any of them; each says what it buys.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
import threading
from collections.abc import Iterator

from . import background


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a curriculum is read.

    Reading makes a great many small objects that form no reference cycles, so
    reference counting frees whatever is dropped; the collector would only scan
    the growing curriculum again and again (half the time of a large check).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def keep_build_objects() -> None:
    """Move everything made so far out of the cyclic garbage collector's view.

    The curriculum, the generated pages and MkDocs' own structures live until the
    build ends; without this the collector scans them again for every page MkDocs
    renders (several percent of a large build).
    """
    gc.freeze()


def release_build_objects() -> None:
    """Let the objects of a finished build go (a preview server builds again)."""
    gc.unfreeze()


def collect_soon(delay: float = 0.5) -> None:
    """Free the cyclic garbage of a finished build a moment after it was published.

    The live preview builds with the collector paused (see
    :func:`without_cycle_collection`): with a large site in memory each automatic full
    collection during a rebuild took a tenth of a second or more and delayed the page
    the author waits for. The previous build's pages, navigation and plugins form
    cycles, so they are freed here, while the author looks at the new page.
    """
    timer = threading.Timer(delay, gc.collect)
    timer.daemon = True
    timer.start()


def exit_at_once(code: int) -> None:
    """End the program without freeing its objects one by one.

    Tearing down a large curriculum and site takes a tenth of a second or more (half a
    second after a build of 1000 modules, a tenth of a rebuild). What the teardown
    would do that matters is done here: the cache writes still running finish, and
    the output is flushed.
    """
    with contextlib.suppress(Exception):  # a cache write that failed is made next time
        background.stop()
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (polku check | head)
        code = code or 1
    os._exit(code)

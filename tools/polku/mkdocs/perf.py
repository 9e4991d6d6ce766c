"""Performance measures that reach into the interpreter while MkDocs builds.

The core runs correctly without any of them; each says what it buys.
"""

from __future__ import annotations

import gc


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

"""The live preview keeps serving the last good site while the curriculum has errors.

MkDocs' development server holds every request after a failed rebuild until a
build succeeds ("the server will appear stuck"), and prints a traceback for an
unexpected error. polku's preview instead logs the located problems (the plugin
has done that already), says that the last good version is still shown, and goes
on serving it; builds there are staged and swapped in whole, so a failed build
never leaves a half-written preview behind. The next save that fixes the file
rebuilds and reloads the browser as usual.
"""

from __future__ import annotations

import logging
from typing import Any

from mkdocs.exceptions import Abort, BuildError

log = logging.getLogger("mkdocs.plugins.polku")

KEPT = "polku: the preview still shows the last good version; fix the problem above and save"


def keep_last_good_site(server: Any) -> Any:
    """Wrap the development server's builder so that a failed rebuild is not fatal."""
    build = server.builder

    def builder(config: Any = None) -> None:
        try:
            build(config)
        except (Abort, BuildError):
            log.error(KEPT)
        except Exception:
            from ..cli import ISSUES_URL, _write_crash_log

            path = _write_crash_log()
            log.error(
                "polku: internal error while rebuilding; this is a bug in polku, please report "
                f"it at {ISSUES_URL} with the details in {path}. {KEPT}"
            )

    server.builder = builder
    return server

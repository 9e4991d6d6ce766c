"""Sites that work opened from the file system (file://), search included.

A browser does not let a page opened from a file fetch ``search_index.json`` or start a
web worker from a file. Material's search therefore reads the index from a script,
``search/search_index.js`` (Material loads it itself when the page is a file), and runs
its worker in an iframe through the iframe-worker shim that polku ships
(``assets/polku/iframe-worker.js``) instead of loading it from a CDN.
"""

from __future__ import annotations

from pathlib import Path


def inline_search_index(site_dir: str | Path) -> bool:
    """Write ``search/search_index.js`` next to the JSON index; False when there is none."""
    index = Path(site_dir) / "search" / "search_index.json"
    if not index.is_file():
        return False
    data = index.read_text(encoding="utf-8")
    # "</" cannot close anything in a script file, but keep the JSON safe to inline anywhere
    script = "var __index = " + data.replace("</", "<\\/") + ";\n"
    (index.parent / "search_index.js").write_text(script, encoding="utf-8")
    return True

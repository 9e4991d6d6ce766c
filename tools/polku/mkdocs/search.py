"""Search that finds inflected words: a wrapper around Material's search worker.

Material for MkDocs matches each search word as a prefix and does not stem it, so in
Finnish "valmentajasta" does not find a page about "valmentaja". polku ships a small
worker (``assets/javascripts/workers/polku-search.js``) that loads Material's worker and
searches the stem of each word (from the lunr stemmer of the site's language) as the
prefix instead; the pages' configuration is pointed at it.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ..paths import SEARCH_WORKER

_MATERIAL_WORKER = re.compile(r"^search\.[0-9a-f]+\.min\.js$")
# Material's page configuration: "search": "<relative path>/workers/search.<hash>.min.js"
_CONFIG_ENTRY = re.compile(
    r'("search":\s*"(?:[^"\\]|\\.)*?assets/javascripts/workers/)search\.[0-9a-f]+\.min\.js"'
)


def material_worker(theme_dirs: list[str]) -> str | None:
    """The file name of Material's search worker in the theme, if there is one."""
    for directory in theme_dirs:
        workers = Path(directory) / "assets" / "javascripts" / "workers"
        if workers.is_dir():
            for path in sorted(workers.iterdir()):
                if _MATERIAL_WORKER.match(path.name):
                    return path.name
    return None


def add_worker(site_files: Files, config: MkDocsConfig) -> bool:
    """Add polku's search worker beside Material's; False when the site has no search."""
    if not any(name in config.plugins for name in ("material/search", "search")):
        return False
    material = material_worker(list(config.theme.dirs))
    if material is None or site_files.get_file_from_path(SEARCH_WORKER) is not None:
        return False
    site_files.append(File.generated(config, SEARCH_WORKER, content=worker_script(material)))
    return True


def worker_script(material: str) -> str:
    template = files("polku.render").joinpath("templates/search-worker.js")
    return template.read_text(encoding="utf-8").replace("__MATERIAL_WORKER__", material)


def use_worker(html: str) -> str:
    """Point a page's Material configuration at polku's worker."""
    return _CONFIG_ENTRY.sub(r'\1polku-search.js"', html, count=1)

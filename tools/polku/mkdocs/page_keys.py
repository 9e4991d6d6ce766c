"""What the page cache keys its results by: digests of everything a page's conversion
and rendering depend on, and what every result depends on besides (:func:`salt`)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from .. import __version__
from .conversion import PackedPageFile, markdown_of, toc_data

FORMAT = "4"


def salt() -> str:
    """What every cached result depends on besides its own inputs."""
    parts = [FORMAT, __version__, sys.version]
    for package in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pygments"):
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}=-")
    return "\n".join(parts)


def token(markdown: str) -> int:
    """Tells a text from another within this process, at a fraction of a digest's cost."""
    return hash((len(markdown), markdown))


# the token of a conversion kept under a page's compressed text, which is compared once
# MkDocs has unpacked it (CPython's hash() is never -1: it means an error there)
AS_PACKED = -1


def same_text(page: Page, converted: int | None) -> bool:
    """Whether ``page``'s Markdown is the one converted, known by its token."""
    assert page.markdown is not None
    if converted != AS_PACKED:
        return converted == token(page.markdown)
    # the text MkDocs unpacked from those bytes, unless a plugin gave the page its
    # source or changed its Markdown
    file = page.file
    source = file.take_text() if isinstance(file, PackedPageFile) else None
    return source is not None and markdown_of(source, generated=True) == page.markdown


def digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def page_digest(page: Page, content: str) -> str:
    """Everything of the page itself that its rendered HTML shows (``content``: the
    digest of its HTML)."""
    neighbours = [
        (other.url, other.title) if other is not None else None
        for other in (page.previous_page, page.next_page)
    ]
    return digest(
        page.file.src_uri,
        page.url,
        content,
        json.dumps(toc_data(page.toc)),
        str(page.title),
        json.dumps(page.meta, sort_keys=True, default=str),
        json.dumps(neighbours),
        str(page.canonical_url),
        str(page.edit_url),
        str(page.update_date),
    )


def navigation_digest(nav: Navigation) -> str:
    def entry(item: Any) -> Any:
        if isinstance(item, Section):
            return [item.title, [entry(child) for child in item.children]]
        return [getattr(item, "title", None), getattr(item, "url", None)]

    return json.dumps([entry(item) for item in nav.items], default=str)


def config_digest(config: MkDocsConfig) -> str:
    """The settings a page's template reads."""
    chosen = {
        name: config.get(name)
        for name in (
            "site_name",
            "site_url",
            "site_author",
            "site_description",
            "copyright",
            "repo_url",
            "repo_name",
            "edit_uri",
            "extra",
            "extra_css",
            "extra_javascript",
            "use_directory_urls",
        )
    }
    chosen["theme"] = {key: config.theme[key] for key in sorted(config.theme)}
    chosen["plugins"] = sorted(config.plugins)
    return json.dumps(chosen, sort_keys=True, default=str)


def theme_digest(config: MkDocsConfig) -> str:
    """The theme's templates: an override edited renders every page again."""
    templates = []
    for folder in config.theme.dirs:
        # os.walk: a tenth of the time of Path.rglob over the theme's hundreds of files
        for parent, folders, names in os.walk(folder):
            folders.sort()
            for name in sorted(names):
                if name.endswith(".html"):
                    path = os.path.join(parent, name)
                    status = os.stat(path)
                    relative = os.path.relpath(path, folder).replace(os.sep, "/")
                    templates.append((path, relative, status.st_mtime_ns, status.st_size))
    listing = tuple(templates)
    if listing not in _theme_digests:  # read the templates only when one changed
        digest = hashlib.sha256()
        for path, name, _mtime, _size in listing:
            digest.update(name.encode())
            digest.update(Path(path).read_bytes())
        _theme_digests.clear()
        _theme_digests[listing] = digest.hexdigest()
    return _theme_digests[listing]


# the theme digest of the last listing of the templates (a preview builds again and again)
_theme_digests: dict[tuple[tuple[str, str, int, int], ...], str] = {}

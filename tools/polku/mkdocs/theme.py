"""What polku sets in a MkDocs configuration for Material for MkDocs."""

from __future__ import annotations

import logging
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from .. import paths
from ..render import navigation
from ..render.markup import MARKDOWN_EXTENSIONS

log = logging.getLogger("mkdocs.plugins.polku")

OFFLINE_PLUGINS = ("material/offline", "offline")
SEARCH_PLUGINS = ("material/search", "search")


def user_config(config: MkDocsConfig) -> dict[str, Any]:
    """mkdocs.yml as the user wrote it (to tell their settings from the defaults)."""
    user = config.user_configs[0] if config.user_configs else {}
    return user if isinstance(user, dict) else {}


def set_language(config: MkDocsConfig, language: str) -> None:
    """The site speaks the curriculum's language unless mkdocs.yml says otherwise."""
    user_theme = user_config(config).get("theme")
    if not (isinstance(user_theme, dict) and "language" in user_theme):
        config.theme["language"] = language
    for name in SEARCH_PLUGINS:
        search = config.plugins.get(name)
        if search is not None:
            if not search.config.get("lang"):
                search.config["lang"] = [language]
            break


def no_external_fonts(config: MkDocsConfig) -> None:
    """Material loads Google Fonts unless told not to; a polku site makes no requests."""
    user_theme = user_config(config).get("theme")
    if isinstance(user_theme, dict) and user_theme.get("font"):
        log.warning(
            "theme.font loads fonts from Google Fonts when the site is viewed; "
            "set 'font: false' (system fonts) or self-host fonts in overrides/"
        )
        return
    config.theme["font"] = False


def prune_navigation(config: MkDocsConfig) -> None:
    """Each page carries only the open part of the menu (Material's navigation.prune).

    The generated menu lists every session of every programme twice (learner and
    facilitator pages): unpruned, every page would carry all of them.
    """
    features = list(config.theme.get("features") or [])
    if "navigation.prune" not in features and "navigation.expand" not in features:
        features.append("navigation.prune")
        config.theme["features"] = features


def offline_wanted(config: MkDocsConfig) -> bool:
    """Whether Material's offline plugin is on (polku's own option is in the Project)."""
    for name in OFFLINE_PLUGINS:
        plugin = config.plugins.get(name)
        if plugin is not None and plugin.config.get("enabled", True):
            return True
    return False


def configure_offline(config: MkDocsConfig) -> None:
    """Links to files, not folders; search without a web worker server; no CDN shim."""
    config.use_directory_urls = False
    polyfills = list(config.extra.get("polyfills") or [])
    # Material's offline plugin adds the shim from unpkg.com unless one is listed
    if not any("iframe-worker" in str(url) for url in polyfills):
        polyfills.insert(0, paths.WORKER_SHIM)
    config.extra["polyfills"] = polyfills


def add_markdown_extensions(config: MkDocsConfig, permalink_title: str) -> None:
    """polku's Markdown dialect; heading permalinks titled in the site's language."""
    for extension in MARKDOWN_EXTENSIONS:
        if extension not in config.markdown_extensions:
            config.markdown_extensions.append(extension)
    toc = config.mdx_configs.setdefault("toc", {})
    toc.setdefault("permalink", True)
    toc.setdefault("permalink_title", permalink_title)


def add_assets(config: MkDocsConfig) -> None:
    config.extra_css.extend(paths.STYLESHEETS)
    config.extra_javascript.extend(paths.SCRIPTS)


def set_navigation(config: MkDocsConfig, generated: list[navigation.NavEntry]) -> None:
    """The user's navigation (or the hand-written pages) with the generated sections."""
    user_nav = config.nav if config.nav else navigation.docs_pages_of(config.docs_dir)
    config.nav = navigation.merge(user_nav, generated)

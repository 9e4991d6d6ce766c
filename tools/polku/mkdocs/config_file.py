"""An ``mkdocs.yml`` that builds an exported docs tree with no polku plugin.

It is the project's own mkdocs.yml with what the plugin would set written out: the
navigation with the generated sections, the site's language, system fonts, the
Markdown extensions of polku's dialect, polku's stylesheet and scripts, and, for a
site opened from files, the settings that needs.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import paths
from ..i18n import Labels
from ..render import navigation
from ..render.markup import MARKDOWN_EXTENSIONS

SEARCH_PLUGINS = ("search", "material/search")


def standalone_config(
    config: dict[str, Any],
    generated: list[navigation.NavEntry],
    language: str,
    *,
    docs_pages: list[str],
    offline: bool,
) -> dict[str, Any]:
    """``config`` (mkdocs.yml as plain data) for a plain ``mkdocs build`` of the export.

    ``docs_pages``: the hand-written pages, listed when mkdocs.yml has no ``nav``.
    """
    result = copy.deepcopy(config)
    result["docs_dir"] = "docs"
    result["site_dir"] = "site"
    result["nav"] = navigation.merge(result.get("nav") or docs_pages, generated)
    theme = result.setdefault("theme", {"name": "material"})
    if isinstance(theme, str):
        theme = result["theme"] = {"name": theme}
    theme.setdefault("language", language)
    if not theme.get("font"):
        theme["font"] = False
    features = list(theme.get("features") or [])
    if "navigation.prune" not in features and "navigation.expand" not in features:
        theme["features"] = [*features, "navigation.prune"]  # as the plugin sets it
    if "custom_dir" in theme or uses_polkus_templates(theme):  # see MkDocsEngine.write_theme
        theme["custom_dir"] = "overrides"
    result["plugins"] = _plugins(result.get("plugins"), language)
    extensions = list(result.get("markdown_extensions") or [])
    names = {e if isinstance(e, str) else next(iter(e)) for e in extensions}
    for extension in MARKDOWN_EXTENSIONS:
        if extension not in names:
            extensions.append(extension)
    if "toc" not in names:
        permalink_title = Labels(language)("permalink")
        extensions.append({"toc": {"permalink": True, "permalink_title": permalink_title}})
    result["markdown_extensions"] = extensions
    result["extra_css"] = [*(result.get("extra_css") or []), *paths.STYLESHEETS]
    result["extra_javascript"] = [*(result.get("extra_javascript") or []), *paths.SCRIPTS]
    if offline:
        result["use_directory_urls"] = False
        extra = result.setdefault("extra", {})
        polyfills = list(extra.get("polyfills") or [])
        if not any("iframe-worker" in str(url) for url in polyfills):
            polyfills.insert(0, paths.WORKER_SHIM)
        extra["polyfills"] = polyfills
    return result


def _plugins(plugins: Any, language: str) -> list[Any]:
    """The project's plugins without polku, search speaking the site's language."""
    entries: list[Any] = []
    if isinstance(plugins, dict):
        plugins = [{name: options} if options else name for name, options in plugins.items()]
    for entry in plugins or []:
        name = entry if isinstance(entry, str) else next(iter(entry), None)
        if name == "polku":
            continue
        if name in SEARCH_PLUGINS:
            options = dict(entry[name] or {}) if isinstance(entry, dict) else {}
            options.setdefault("lang", [language])
            entry = {name: options}
        entries.append(entry)
    return entries


def uses_polkus_templates(theme: dict[str, Any] | str | None) -> bool:
    """Whether a site of this theme (``theme`` of mkdocs.yml) is built with polku's own
    versions of some of its templates (:func:`polku.mkdocs.theme.add_templates`)."""
    name = theme.get("name") if isinstance(theme, dict) else theme
    return name == "material"

"""What polku sets in a MkDocs configuration for Material for MkDocs."""

from __future__ import annotations

import logging
import os
import sysconfig
from collections.abc import Callable, Iterable
from pathlib import Path
from types import CodeType
from typing import Any

from jinja2 import FileSystemLoader, Template, TemplateError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load

from .. import paths
from ..render import navigation
from ..render.markup import MARKDOWN_EXTENSIONS, TemplateCache

log = logging.getLogger("mkdocs.plugins.polku")

# the engine side of polku's raw HTML blocks (render.author)
RAW_HTML_EXTENSION = "polku.mkdocs.raw_html"
OFFLINE_PLUGINS = ("material/offline", "offline")
SEARCH_PLUGINS = ("material/search", "search")
THEME_TEMPLATES = str(Path(__file__).parent.parent / "theme")


def user_config(config: MkDocsConfig) -> dict[str, Any]:
    """mkdocs.yml as the user wrote it (to tell their settings from the defaults).

    Read again as MkDocs reads it (``INHERIT`` merged): the copy MkDocs keeps
    (``Config.user_configs``) is deprecated in MkDocs 1.6.
    """
    if not config.config_file_path:
        return {}
    try:
        with open(config.config_file_path, "rb") as file:
            user = yaml_load(file)
    except (OSError, ConfigurationError):  # MkDocs read it a moment ago: it moved since
        return {}
    return user if isinstance(user, dict) else {}


def set_language(config: MkDocsConfig, language: str, user: dict[str, Any]) -> None:
    """The site speaks the curriculum's language unless mkdocs.yml (``user``) says otherwise."""
    user_theme = user.get("theme")
    if not (isinstance(user_theme, dict) and "language" in user_theme):
        config.theme["language"] = language
    for name in SEARCH_PLUGINS:
        search = config.plugins.get(name)
        if search is not None:
            if not search.config.get("lang"):
                search.config["lang"] = [language]
            break


def no_external_fonts(config: MkDocsConfig, user: dict[str, Any]) -> None:
    """Material loads Google Fonts unless told not to; a polku site makes no requests.

    ``user``: mkdocs.yml as written (:func:`user_config`).
    """
    user_theme = user.get("theme")
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


def add_templates(config: MkDocsConfig) -> None:
    """polku's own versions of some of Material's templates (``polku/theme/``): after
    the project's ``custom_dir``, which may override them too, before Material's."""
    theme = config.theme
    if theme.name != "material" or THEME_TEMPLATES in theme.dirs:
        return
    theme.dirs.insert(1 if theme.custom_dir else 0, THEME_TEMPLATES)


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
    for extension in [*MARKDOWN_EXTENSIONS, RAW_HTML_EXTENSION]:
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


# (theme folders, static templates, listing of the user's theme folders) -> theme files
_THEME_FILES: dict[tuple[object, ...], list[str]] = {}
# compiled theme templates of this process (checked against their source by Jinja)
_COMPILED = TemplateCache()


def remember_theme_files(config: MkDocsConfig) -> None:
    """List the installed theme's files once per process, not on every rebuild.

    MkDocs walks every theme folder on every build to find the static files to copy:
    Material's thousands of icons make that a third of a second of each `polku serve`
    rebuild. Installed packages do not change while the server runs; the user's own
    theme folder (``custom_dir``) is listed again each time.
    """
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> Any:
        env = make_env()
        get_env.latest = env  # type: ignore[attr-defined]
        # the search plugin renders a theme template with an environment of its own
        env.bytecode_cache = _COMPILED
        list_all = env.list_templates

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            if extensions is not None or filter_func is None:
                return list_all(extensions, filter_func)
            own = [_listing(folder) for folder in theme.dirs if not _installed(folder)]
            key = (tuple(theme.dirs), tuple(theme.static_templates), *own)
            found = _THEME_FILES.get(key)
            if found is None:
                found = _visible_templates(env.loader, filter_func)
                if found is None:
                    found = list_all(filter_func=filter_func)
                _THEME_FILES[key] = found
            return list(found)

        env.list_templates = list_templates
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


def environment(config: MkDocsConfig) -> Any:
    """The Jinja environment made last for the site's theme (None: not yet)."""
    return getattr(config.theme.get_env, "latest", None)


def compile_ahead(env: Any, names: Iterable[str]) -> None:
    """Compile the templates ``names`` and every template they include by a constant
    name, so that pages rendered by copies of this process find them compiled.

    Only to save time: a template missed here (one named at render time) is compiled
    when it is used, as it would be anyway.
    """
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            template = env.get_template(name)
        except (TemplateError, OSError):
            continue
        todo += _named_in(template)


def _named_in(template: Template) -> list[str]:
    """The template names among the constants of a compiled template's code."""
    found: list[str] = []
    codes = [template.root_render_func.__code__]
    codes += [block.__code__ for block in template.blocks.values()]
    while codes:
        code = codes.pop()
        for constant in code.co_consts:
            if isinstance(constant, CodeType):
                codes.append(constant)
            elif isinstance(constant, str) and constant.endswith(_TEMPLATE_SUFFIXES):
                found.append(constant)
    return found


_TEMPLATE_SUFFIXES = (".html", ".xml", ".svg")


def _visible_templates(loader: Any, keep: Callable[[str], bool]) -> list[str] | None:
    """The theme's files ``keep`` keeps, as Jinja's ``list_templates`` lists them, when
    ``keep`` drops every hidden file (MkDocs' static files do): hidden folders are then
    not walked at all. Material's icons are 14,000 files in one, each matched against
    MkDocs' patterns only to be dropped. None: list them as Jinja does."""
    if type(loader) is not FileSystemLoader or keep(".hidden") or keep("folder/.hidden"):
        return None
    found: set[str] = set()
    for root in loader.searchpath:
        for folder, subfolders, names in os.walk(root, followlinks=loader.followlinks):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            for name in names:
                template = os.path.join(folder, name)[len(root) :].strip(os.path.sep)
                template = template.replace(os.path.sep, "/").removeprefix("./")
                found.add(template)
    return [name for name in sorted(found) if keep(name)]


def _installed(folder: str) -> bool:
    packages = {sysconfig.get_paths()[name] for name in ("purelib", "platlib")}
    return any(os.path.commonpath([folder, root]) == root for root in packages)


def _listing(folder: str) -> tuple[str, ...]:
    return tuple(
        sorted(
            os.path.relpath(os.path.join(where, name), folder)
            for where, _dirs, names in os.walk(folder)
            for name in names
        )
    )

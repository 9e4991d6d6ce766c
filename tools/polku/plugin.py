"""The polku MkDocs plugin: compiles ``curriculum/`` into pages of the site."""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import output
from .check import check
from .curriculum import Curriculum
from .diagnostics import CurriculumError, Report
from .i18n import Labels
from .render.sanitize import sanitize_html
from .render.site import PATHS, SiteRenderer

log = logging.getLogger("mkdocs.plugins.polku")

PROGRAMMES_MARKER = "<!-- polku:programmes -->"
PACKAGE_ASSETS = Path(__file__).parent / "assets"
SITE_ASSETS = "assets/polku"

MARKDOWN_EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "def_list",
    "footnotes",
    "pymdownx.details",
    "pymdownx.superfences",
]


class PolkuConfig(Config):
    curriculum_dir = opt.Type(str, default="curriculum")
    pdf = opt.Type(bool, default=True)
    fillable = opt.Type(bool, default=False)
    atomic = opt.Type(bool, default=True)


class PolkuPlugin(BasePlugin[PolkuConfig]):
    """Generates programme, facilitator, module, method and glossary pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command: str | None = None
        self.curriculum: Curriculum | None = None
        self.report: Report | None = None
        self.renderer: SiteRenderer | None = None
        self.generated: set[str] = set()
        self.final_site_dir: str | None = None
        self.staging_dir: str | None = None
        self.lock: output.BuildLock | None = None
        # set by the command line, which has validated already
        self.preloaded: tuple[Curriculum, Report] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    # --- configuration -----------------------------------------------------------

    @event_priority(100)  # before the search and tags plugins read the language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        if self.preloaded is not None:
            curriculum, report = self.preloaded
        else:
            curriculum, report = check(root, self.config.curriculum_dir)
            for diagnostic in report.sorted():
                (log.error if diagnostic.is_error else log.warning)(str(diagnostic))
        if report.errors:
            raise PluginError(
                f"{report.summary()}; fix the curriculum and build again "
                "(the previous site was left as it was)"
            )
        self.curriculum, self.report = curriculum, report
        self.renderer = SiteRenderer(curriculum)
        self._set_language(config, curriculum.language)
        self._no_external_fonts(config)
        self._add_markdown_extensions(config)
        config.extra_css.append(f"{SITE_ASSETS}/polku.css")
        config.extra_javascript.append(f"{SITE_ASSETS}/polku.js")
        config.nav = self._navigation(config, curriculum)
        curriculum_path = str(curriculum.curriculum_dir)
        if curriculum_path not in config.watch:
            config.watch.append(curriculum_path)
        if self.command == "build" and self.config.atomic:
            self.lock = output.BuildLock(config.site_dir)
            try:
                self.lock.acquire()
            except output.BuildLockedError as exc:
                self.lock = None
                raise PluginError(str(exc)) from None
            self.final_site_dir = config.site_dir
            self.staging_dir = output.staging_dir(config.site_dir)
            config.site_dir = self.staging_dir
        return config

    def _set_language(self, config: MkDocsConfig, language: str) -> None:
        user = config.user_configs[0] if config.user_configs else {}
        user_theme = user.get("theme") if isinstance(user, dict) else None
        if not (isinstance(user_theme, dict) and "language" in user_theme):
            config.theme["language"] = language
        for name in ("material/search", "search"):
            search = config.plugins.get(name)
            if search is None:
                continue
            if not search.config.get("lang"):
                search.config["lang"] = [language]
            break

    def _no_external_fonts(self, config: MkDocsConfig) -> None:
        """Material loads Google Fonts unless told not to; a polku site makes no requests."""
        user = config.user_configs[0] if config.user_configs else {}
        user_theme = user.get("theme") if isinstance(user, dict) else None
        if isinstance(user_theme, dict) and user_theme.get("font"):
            log.warning(
                "theme.font loads fonts from Google Fonts when the site is viewed; "
                "set 'font: false' (system fonts) or self-host fonts in overrides/"
            )
            return
        config.theme["font"] = False

    def _add_markdown_extensions(self, config: MkDocsConfig) -> None:
        for extension in MARKDOWN_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        toc = config.mdx_configs.setdefault("toc", {})
        toc.setdefault("permalink", True)

    def _navigation(self, config: MkDocsConfig, curriculum: Curriculum) -> list[Any]:
        labels = Labels(curriculum.language)
        nav: list[Any] = list(config.nav) if config.nav else self._docs_pages(config)
        referenced = _nav_paths(nav)
        generated: list[Any] = []
        programmes = []
        for programme in curriculum.programmes.values():
            programmes.append(
                {
                    programme.title: [
                        PATHS.programme(programme.id),
                        {labels("facilitator_guide"): PATHS.facilitator(programme.id)},
                    ]
                }
            )
        if programmes:
            generated.append({labels("programmes"): [PATHS.programmes_index, *programmes]})
        modules = [{m.title: PATHS.module(m.id)} for m in curriculum.ordered_modules()]
        generated.append({labels("modules"): [PATHS.modules_index, *modules]})
        methods = sorted(curriculum.methods.values(), key=lambda m: m.title.casefold())
        generated.append(
            {
                labels("method_cards"): [
                    PATHS.methods_index,
                    *({m.title: PATHS.method(m.id)} for m in methods),
                ]
            }
        )
        generated.append({labels("glossary"): PATHS.glossary})
        generated.append({labels("tags"): PATHS.tags})
        for entry in generated:
            if not (_nav_paths([entry]) & referenced):
                nav.append(entry)
        return nav

    def _docs_pages(self, config: MkDocsConfig) -> list[Any]:
        """Hand-written pages when mkdocs.yml has no nav: the home page first."""
        docs = Path(config.docs_dir)
        pages = sorted(
            p.relative_to(docs).as_posix()
            for p in docs.rglob("*.md")
            if not any(part.startswith(".") for part in p.relative_to(docs).parts)
        )
        pages.sort(key=lambda p: (p != "index.md", p.count("/"), p))
        return pages

    # --- files and pages -------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.renderer is not None and self.curriculum is not None
        for src_uri, content in self.renderer.pages().items():
            if files.get_file_from_path(src_uri) is not None:
                log.warning(
                    "docs/%s exists, so polku does not generate that page; "
                    "rename the hand-written page",
                    src_uri,
                )
                continue
            files.append(File.generated(config, src_uri, content=content))
            self.generated.add(src_uri)
        for path in sorted(PACKAGE_ASSETS.iterdir()):
            files.append(
                File.generated(config, f"{SITE_ASSETS}/{path.name}", abs_src_path=str(path))
            )
        self._add_curriculum_assets(files, config)
        return files

    def _add_curriculum_assets(self, files: Files, config: MkDocsConfig) -> None:
        assert self.curriculum is not None
        base = self.curriculum.curriculum_dir
        assets = base / "assets"
        if not assets.is_dir():
            return
        for path in sorted(assets.rglob("*")):
            resolved = path.resolve()
            # a symlink that leaves curriculum/ is never published
            if not path.is_file() or not resolved.is_relative_to(base):
                continue
            src_uri = path.relative_to(base).as_posix()
            if files.get_file_from_path(src_uri) is None:
                files.append(
                    File.generated(
                        config,
                        src_uri,
                        abs_src_path=str(resolved),
                        inclusion=InclusionLevel.NOT_IN_NAV,
                    )
                )

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if PROGRAMMES_MARKER in markdown and self.renderer is not None:
            listing = self.renderer.programme_list(page.file.src_uri)
            markdown = markdown.replace(PROGRAMMES_MARKER, listing)
        return markdown

    @event_priority(-100)  # last, so nothing added later escapes sanitising
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if page.file.src_uri in self.generated and page.file.src_uri != PATHS.tags:
            return sanitize_html(html)
        return html

    # --- output ---------------------------------------------------------------------------

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.staging_dir and self.final_site_dir:
            output.replace_directory(self.staging_dir, self.final_site_dir)
            config.site_dir = self.final_site_dir
            self.staging_dir = None
        self._release()

    def on_build_error(self, *, error: Exception) -> None:
        if self.staging_dir:
            output.remove_directory(self.staging_dir)
            self.staging_dir = None
        self._release()

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def on_shutdown(self) -> None:
        self.on_build_error(error=CurriculumError(Report()))


def _nav_paths(nav: list[Any]) -> set[str]:
    """Every page path referenced anywhere in a nav structure."""
    found: set[str] = set()
    stack: list[Any] = list(nav)
    while stack:
        entry = stack.pop()
        if isinstance(entry, str):
            found.add(posixpath.normpath(entry))
        elif isinstance(entry, dict):
            stack.extend(entry.values())
        elif isinstance(entry, list):
            stack.extend(entry)
    return found


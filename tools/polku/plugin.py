"""The polku MkDocs plugin: compiles ``curriculum/`` into pages of the site."""

from __future__ import annotations

import gc
import html
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

from . import environment, offline, output, paths, preview, search
from .check import check
from .curriculum import Curriculum
from .diagnostics import CurriculumError, Report
from .i18n import Labels
from .paths import LEARNER_DATA, SITE_ASSETS, WORKER_SHIM, SiteUrls
from .render.glance import GlanceRenderer
from .render.learner import data_script, learner_data
from .render.markup import MARKDOWN_EXTENSIONS
from .render.pdf import WorkbookBuild, WorkbookError, start_workbooks
from .render.sanitize import sanitize_html
from .render.schedules import ScheduleRenderer, nav_entries
from .render.site import SiteRenderer

log = logging.getLogger("mkdocs.plugins.polku")

PROGRAMMES_MARKER = "<!-- polku:programmes -->"
PACKAGE_ASSETS = Path(__file__).parent / "assets"


class PolkuConfig(Config):
    curriculum_dir = opt.Type(str, default="curriculum")
    # PDF workbooks: made by builds unless false; the live preview makes them only when true
    pdf = opt.Optional(opt.Type(bool))
    fillable = opt.Type(bool, default=False)
    atomic = opt.Type(bool, default=True)
    # a site that works opened from the file system (file://), search included
    offline = opt.Type(bool, default=False)


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
        self.search_worker = False
        self.pdf = False
        self.workbooks: WorkbookBuild | None = None
        self.schedules: ScheduleRenderer | None = None
        self.memo: preview.PreviewMemo | None = None  # the live preview's, across rebuilds

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        return preview.keep_watching(preview.keep_last_good_site(server))

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.memo = preview.PreviewMemo() if command == "serve" else None

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.memo is not None:
            env.bytecode_cache = self.memo.templates
        return env

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.memo is not None:  # every plugin has added its files by now
            self.memo.start(config, files)
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        if self.memo is not None:
            self.memo.remember_rendering(page)
        return page

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
        self.pdf = self._pdf_enabled()
        self.renderer.workbooks = self.pdf
        self._set_language(config, curriculum.language)
        self._no_external_fonts(config)
        self._add_markdown_extensions(config)
        config.extra_css.append(f"{SITE_ASSETS}/polku.css")
        config.extra_javascript.append(LEARNER_DATA)
        config.extra_javascript.append(f"{SITE_ASSETS}/polku.js")
        if self._offline(config):
            self._configure_offline(config)
        urls = SiteUrls(config.site_url or None, config.use_directory_urls)
        self.schedules = ScheduleRenderer(self.renderer, urls, pdf=self.pdf).attach()
        config.nav = self._navigation(config, curriculum)
        curriculum_path = str(curriculum.curriculum_dir)
        if curriculum_path not in config.watch:
            config.watch.append(curriculum_path)
        if self.command in ("build", "serve") and self.config.atomic:
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

    def _offline(self, config: MkDocsConfig) -> bool:
        """Offline when asked (option or ``--offline``) or when Material's offline plugin is on."""
        if self.config.offline:
            return True
        for name in ("material/offline", "offline"):
            material = config.plugins.get(name)
            if material is not None and material.config.get("enabled", True):
                return True
        return False

    def _configure_offline(self, config: MkDocsConfig) -> None:
        """Links to files, not folders; search without a web worker server; no CDN shim."""
        self.config.offline = True
        config.use_directory_urls = False
        polyfills = list(config.extra.get("polyfills") or [])
        # Material's offline plugin adds the shim from unpkg.com unless one is listed
        if not any("iframe-worker" in str(url) for url in polyfills):
            polyfills.insert(0, WORKER_SHIM)
        config.extra["polyfills"] = polyfills

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
                        paths.programme(programme.id),
                        {labels("facilitator_guide"): paths.facilitator(programme.id)},
                        *nav_entries(programme, labels),
                    ]
                }
            )
        if programmes:
            generated.append({labels("programmes"): [paths.PROGRAMMES_INDEX, *programmes]})
        modules = [{m.title: paths.module(m.id)} for m in curriculum.ordered_modules()]
        generated.append({labels("modules"): [paths.MODULES_INDEX, *modules]})
        generated.append({labels("learner.journal"): paths.JOURNAL})
        methods = sorted(curriculum.methods.values(), key=lambda m: m.title.casefold())
        generated.append(
            {
                labels("method_cards"): [
                    paths.METHODS_INDEX,
                    *({m.title: paths.method(m.id)} for m in methods),
                ]
            }
        )
        generated.append({labels("glossary"): paths.GLOSSARY})
        generated.append({labels("tags"): paths.TAGS})
        if self.pdf:
            generated.append({labels("workbooks"): paths.WORKBOOKS_INDEX})
        for entry in _escape_titles(generated):
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
        # what MkDocs and _add_curriculum_assets read, each following links as it does
        environment.check_sources(Path(config.docs_dir), follow_links=True)
        environment.check_sources(self.curriculum.curriculum_dir / "assets", follow_links=False)
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
        data = self._learner_data(files, config)
        files.append(File.generated(config, LEARNER_DATA, content=data))
        self._add_search_worker(files, config)
        self._add_schedule_files(files, config)
        self._add_curriculum_assets(files, config)
        # The curriculum, the generated pages and MkDocs' own structures live until the
        # build ends; the garbage collector need not scan them again for every page.
        gc.freeze()
        return files

    def _add_schedule_files(self, files: Files, config: MkDocsConfig) -> None:
        """Calendars, timeline pictures and (with PDFs on) the at-a-glance PDFs."""
        assert self.schedules is not None and self.curriculum is not None
        if self.memo is None:
            outputs = self.schedules.files()
        else:  # calendars and timelines come from the programme files alone
            key = (
                preview.files_key(self.curriculum.curriculum_dir, "*.yml"),
                config.site_url,
                config.use_directory_urls,
            )
            outputs = dict(self.memo.outputs_for("schedules", key, self.schedules.files))
        if self.pdf:
            root = Path(config.config_file_path or ".").resolve().parent
            glance = GlanceRenderer(self.schedules, organisation=config.site_name)
            outputs.update(glance.render_all(root / ".cache" / "polku" / "glance"))
        for src_uri, content in outputs.items():
            files.append(
                File.generated(
                    config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV
                )
            )

    def _add_search_worker(self, files: Files, config: MkDocsConfig) -> None:
        """Material's search worker, wrapped to find inflected words (see search.py)."""
        self.search_worker = False
        if not any(name in config.plugins for name in ("material/search", "search")):
            return
        material = search.material_worker(list(config.theme.dirs))
        if material is None or files.get_file_from_path(paths.SEARCH_WORKER) is not None:
            return
        script = search.worker_script(material)
        files.append(File.generated(config, paths.SEARCH_WORKER, content=script))
        self.search_worker = True

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return search.use_worker(output) if self.search_worker else output

    def _learner_data(self, files: Files, config: MkDocsConfig) -> str:
        assert self.renderer is not None

        def url_of(src_uri: str) -> str:
            file = files.get_file_from_path(src_uri)
            return file.url if file is not None else ""

        return data_script(learner_data(self.renderer, config.site_name, url_of))

    def _add_curriculum_assets(self, files: Files, config: MkDocsConfig) -> None:
        assert self.curriculum is not None
        base = self.curriculum.curriculum_dir
        assets = base / "assets"
        if not assets.is_dir():
            return
        for path in sorted(assets.rglob("*")):
            if not path.is_file():  # a folder, a pipe, a broken link or a loop of links
                continue
            resolved = path.resolve()
            # a symlink that leaves curriculum/ is never published
            if not resolved.is_relative_to(base):
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
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self.generated and page.file.src_uri != paths.TAGS:
            html = sanitize_html(html)
            if self.schedules is not None:  # polku's own SVG, after sanitising
                html = self.schedules.embed(html, page.url)
        return html

    # --- output ---------------------------------------------------------------------------

    def _pdf_enabled(self) -> bool:
        """Workbooks are made unless ``pdf: false`` (or --no-pdf); ``serve`` needs ``pdf: true``."""
        if self.config.pdf is None:
            return self.command != "serve"
        return bool(self.config.pdf)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # the PDFs render in other processes while MkDocs writes the pages
        if self.pdf and self.curriculum is not None:
            self.workbooks = start_workbooks(
                self.curriculum,
                root=Path(config.config_file_path or ".").resolve().parent,
                organisation=config.site_name,
                author=config.site_author,
                fillable=self.config.fillable,
                timeline=self.schedules.timeline_svg if self.schedules else None,
            )

    def _finish_workbooks(self, config: MkDocsConfig) -> None:
        if self.workbooks is None:
            return
        build, self.workbooks = self.workbooks, None
        try:
            stats = build.finish(Path(config.site_dir))
        except WorkbookError as exc:
            build.cancel()
            raise PluginError(str(exc)) from None
        for result in stats.results:
            for warning in result.warnings:
                log.warning("%s: %s", result.path, warning)
        log.info("polku: %s", stats.summary())

    @event_priority(-1000)  # after every other plugin wrote its files into the staging folder
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._finish_workbooks(config)
        if self.config.offline:
            offline.inline_search_index(config.site_dir)
        if self.staging_dir and self.final_site_dir:
            output.replace_directory(self.staging_dir, self.final_site_dir)
            config.site_dir = self.final_site_dir
            self.staging_dir = None
        self._release()

    def on_build_error(self, *, error: Exception) -> None:
        if self.workbooks is not None:
            self.workbooks.cancel()
            self.workbooks = None
        if self.staging_dir:
            output.remove_directory(self.staging_dir)
            self.staging_dir = None
        self._release()

    def _release(self) -> None:
        gc.unfreeze()  # a preview server builds again: let the old build's objects go
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def on_shutdown(self) -> None:
        self.on_build_error(error=CurriculumError(Report()))


def _escape_titles(entries: Any) -> Any:
    """Generated navigation with its titles HTML-escaped.

    The theme writes navigation titles into every page as they are (its templates do
    not escape), and these come from curriculum titles, which are plain text.
    """
    if isinstance(entries, list):
        return [_escape_titles(entry) for entry in entries]
    if isinstance(entries, dict):
        return {
            html.escape(str(title), quote=False): _escape_titles(value)
            for title, value in entries.items()
        }
    return entries


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

"""The polku MkDocs plugin: hands polku's outputs to MkDocs.

polku's build (:mod:`polku.build`) makes every page and file; the hooks here only
give them to MkDocs and set what Material needs. Under ``polku build`` the build
drives MkDocs and gives the plugin its prepared outputs; under ``mkdocs build`` and
``mkdocs serve`` the plugin runs the same steps itself.
"""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .. import background, build, perf
from ..i18n import Labels
from ..project import CALENDAR_TASKS, Project
from ..render.docs import expand_markers
from ..render.markup import TemplateCache
from ..site_dir import SiteDir, SiteDirError
from ..store import keep_results_in_memory
from . import carry_over, preview, preview_update, search, theme
from .conversion import PackedPageFile, source_reader
from .nav_parts import NavParts
from .page_cache import PageCache

log = logging.getLogger("mkdocs.plugins.polku")


class PolkuConfig(Config):
    curriculum_dir = opt.Type(str, default="curriculum")
    # PDF workbooks: made by builds unless false; the live preview makes them only when true
    pdf = opt.Optional(opt.Type(bool))
    fillable = opt.Type(bool, default=False)
    atomic = opt.Type(bool, default=True)
    # a site that works opened from the file system (file://), search included
    offline = opt.Type(bool, default=False)
    # checklist deadlines in calendars: all-day events (default), to-dos, or both
    calendar_tasks = opt.Choice(CALENDAR_TASKS, default="events")


class PolkuPlugin(BasePlugin[PolkuConfig]):
    """Gives MkDocs the pages and files polku's build prepared."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        # set by ``polku build``, which checks, prepares and publishes itself
        self.prepared: build.Prepared | None = None
        self.driven = False
        self.site: SiteDir | None = None  # the staging folder when the plugin drives
        self.engine_files: set[str] = set()
        self.search_worker = False
        self.pages: PageCache | None = None  # what MkDocs made of each page, between builds
        # compiled theme templates, kept from one build to the next
        self.templates: TemplateCache | None = None
        # the live preview: the site shown, which a save of page text updates in place
        self.shown: preview_update.ShownSite | None = None
        self._building: dict[str, Any] = {}  # what the running build is made of

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        if command == "serve":  # from the first build on, for the first rebuild's sake
            keep_results_in_memory()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        watched = [config.docs_dir, *config.watch]
        server = preview.look_often(server, watched)
        server = preview.keep_last_good_site(server, update=self.update_preview)
        return preview.keep_watching(server)

    @event_priority(100)  # before the search and tags plugins read the language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.shown = None  # a whole build replaces the shown site
        user = theme.user_config(config)
        if not self.driven:
            self._building = self._inputs(config, user) if self.command == "serve" else {}
            self.prepared = self._prepare(config, user)
        assert self.prepared is not None
        prepared = self.prepared
        theme.set_language(config, prepared.language, user)
        theme.no_external_fonts(config, user)
        theme.prune_navigation(config)
        theme.add_templates(config)
        theme.add_markdown_extensions(config, Labels(prepared.language)("permalink"))
        theme.add_assets(config)
        theme.remember_theme_files(config)
        if not prepared.project.use_directory_urls:
            theme.configure_offline(config)
        theme.set_navigation(config, prepared.navigation)
        cache = prepared.project.cache_dir
        # MkDocs keeps a plugin with startup hooks for every build of its process: the
        # cache is the live preview's between its rebuilds, and another project's own
        if self.pages is None or self.pages.store.folder != cache / "pages":
            self.pages = PageCache(cache / "pages")
            self.templates = TemplateCache(cache / "templates")
        if self.driven and prepared.project.site_dir is not None:
            # unchanged pages are linked from the site this build replaces
            self.pages.previous = carry_over.recorded(
                self._record(prepared), prepared.project.site_dir
            )
        if str(prepared.curriculum.curriculum_dir) not in config.watch:
            config.watch.append(str(prepared.curriculum.curriculum_dir))
        if not self.driven and self.command in ("build", "serve") and self.config.atomic:
            self.site = SiteDir(
                Path(config.site_dir),
                root=prepared.project.root,
                sources=prepared.project.source_dirs,
            )
            try:
                config.site_dir = str(self.site.open())
            except SiteDirError as exc:
                self.site = None
                raise PluginError(str(exc)) from None
            if self.command == "serve":  # unchanged pages are moved from the shown site
                self.pages.previous = carry_over.previously_published(self.site.target)
        return config

    def _inputs(self, config: MkDocsConfig, user: dict[str, Any]) -> dict[str, Any]:
        """The state of what the preview's update does not read, before the build reads it."""
        curriculum = project_of(config, self.config, user).curriculum_dir
        stamps = preview_update.stamps_outside_curriculum(config, curriculum)
        return {"inputs": None if preview_update.recent(stamps, time.time_ns()) else stamps}

    def update_preview(self) -> bool:
        """Update the shown preview in place after a save; False: build it whole instead."""
        shown, self.shown = self.shown, None  # unknown if anything below fails
        if shown is None or self.pages is None:
            return False
        started = time.perf_counter()

        def prepare() -> build.Prepared:
            self.prepared = self._prepare(shown.config, theme.user_config(shown.config))
            return self.prepared

        try:
            preview_update.update(shown, self.pages, prepare)
        except preview_update.NotInPlace as reason:
            log.debug("polku: building the whole site: %s", reason)
            return False
        except PluginError:  # the curriculum has errors (logged): nothing was changed
            self.shown = shown
            raise
        self.shown = shown
        log.info("polku: updated the preview in %.2f seconds", time.perf_counter() - started)
        return True

    @staticmethod
    def _record(prepared: build.Prepared) -> Path:
        assert prepared.project.site_dir is not None
        folder = prepared.project.cache_dir / "pages"  # removed with the pages it names
        return carry_over.record_of(folder, prepared.project.site_dir)

    def _prepare(self, config: MkDocsConfig, user: dict[str, Any]) -> build.Prepared:
        """Run polku's build steps for ``mkdocs build`` / ``mkdocs serve``."""
        project = project_of(config, self.config, user)
        try:
            prepared = build.prepare(project, command=self.command)
        except build.ContentErrors as exc:
            _log_report(exc.report)
            raise PluginError(
                f"{exc.report.summary()}; fix the curriculum and build again "
                "(the previous site was left as it was)"
            ) from None
        _log_report(prepared.report)
        return prepared

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self._building["env"] = env
        nav = self._building.get("nav")
        if nav is not None:  # the parts of the navigation many pages share: rendered once
            env.globals["polku_nav_parts"] = NavParts(nav)
        if self.templates is not None:
            env.bytecode_cache = self.templates
        if self.pages is not None:
            self.pages.install()  # unchanged pages are written from the cache
        return env

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.prepared is not None
        self.engine_files = set()
        for output in self.prepared.outputs:
            if output.deferred:
                continue  # written when the PDFs are done
            if files.get_file_from_path(output.path) is not None:
                if output.is_page:
                    log.warning(
                        "docs/%s exists, so polku does not generate that page; "
                        "rename the hand-written page",
                        output.path,
                    )
                continue
            inclusion = InclusionLevel.INCLUDED if output.in_nav else InclusionLevel.NOT_IN_NAV
            if output.is_page and self.command == "build":  # read once: see PackedPageFile
                file = PackedPageFile.of(config, output.path, output.content, inclusion=inclusion)
                self.prepared.outputs.let_go_of_text(output.path)
            elif output.source is not None and output.content is None:
                file = File.generated(
                    config, output.path, abs_src_path=str(output.source), inclusion=inclusion
                )
            else:
                content = output.text if output.is_page else output.content
                assert isinstance(content, str | bytes)
                file = File.generated(config, output.path, content=content, inclusion=inclusion)
            files.append(file)
            self.engine_files.add(output.path)
        self.search_worker = search.add_worker(files, config)
        perf.keep_build_objects()
        return files

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        assert self.prepared is not None
        self._building.update(files=files, nav=nav)
        if self.pages is not None:  # every plugin has added its files by now
            self.pages.start(config, files, nav)
            site = self.prepared.site
            read = source_reader(
                self.prepared.outputs, lambda text, src_uri: expand_markers(text, src_uri, site)
            )
            self.pages.convert_all(config, files, read, meanwhile=lambda: self._compile(config))
            if self.command == "build":  # the preview reads the pages of a save again
                self.pages.read_lean(config, self._read)
        return nav

    def _compile(self, config: MkDocsConfig) -> None:
        """The theme's templates compiled, and kept with the project's, before the pages
        are written by copies of this process."""
        env = theme.environment(config)
        if env is None:
            return
        if self.templates is not None:
            env.bytecode_cache = self.templates
        theme.compile_ahead(env, ["main.html", *config.theme.static_templates])

    def _read(self, file: File) -> None:
        """MkDocs has read a page for good: its file lets go of the text polku made."""
        if file.src_uri in self.engine_files:
            file.content_string = ""

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        if self.pages is not None:
            self.pages.reuse_conversion(page)
        return page

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        assert self.prepared is not None
        if page.file.src_uri not in self.prepared.outputs:  # a hand-written page
            return expand_markers(markdown, page.file.src_uri, self.prepared.site)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        depth = page.meta.get("toc_depth")
        if isinstance(depth, int) and not isinstance(depth, bool):
            prune_toc(page.toc, depth)
        return html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return search.use_worker(output) if self.search_worker else output

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.driven and self.prepared is not None and self.prepared.workbooks:
            self.prepared.workbooks.start()  # rendered while MkDocs writes the pages

    @event_priority(1000)  # before any other plugin looks at the written pages
    def _pages_written(self, *, config: MkDocsConfig) -> None:
        if self.pages is not None:
            self.pages.wait_for_pages()

    @event_priority(-1000)  # after every other plugin wrote its files into the staging folder
    def _finish(self, *, config: MkDocsConfig) -> None:
        if self.pages is not None:
            self.pages.finish()
        if self.driven and self.prepared is not None and self.pages is not None:
            site_dir = Path(config.site_dir)  # the staging folder of ``polku build``
            try:
                self.pages.carry_into(site_dir)
            except OSError as exc:  # the published site changed during the build
                raise PluginError(f"{exc}; build again") from None
            if self.prepared.project.site_dir is not None:
                record = self._record(self.prepared)
                carry_over.save_record(record, site_dir, self.pages.published)
        if self.driven or self.prepared is None:
            return
        site_dir = Path(config.site_dir)
        try:
            build.finish(self.prepared, site_dir, engine_files=self.engine_files)
        except build.BuildError as exc:
            raise PluginError(str(exc)) from None
        from .engine import post_process

        post_process(self.prepared, site_dir)
        for note in self.prepared.notes:
            log.info("polku: %s", note)
        if self.site is not None:
            if self.pages is not None:
                self.pages.carry_into(site_dir)
            self.site.publish()
            config.site_dir = str(self.site.target)
            if self.command == "serve" and self.pages is not None:
                carry_over.remember_published(self.site.target, self.pages.published)
            self.site = None
        if self.command == "serve":
            self.shown = self._shown(config)
        perf.release_build_objects()

    def _shown(self, config: MkDocsConfig) -> preview_update.ShownSite | None:
        """What the preview needs to update the site just published in place."""
        building, self._building = self._building, {}
        if self.prepared is None or self.pages is None or "env" not in building:
            return None
        search_text = None
        if self.pages.search is not None:
            search_text = preview_update.SearchIndexText(self.pages.search)
        return preview_update.ShownSite(
            config=config,
            files=building["files"],
            nav=building["nav"],
            env=building["env"],
            prepared=self.prepared,
            engine_files=set(self.engine_files),
            target=Path(config.site_dir),
            inputs=building.get("inputs"),
            sources=preview_update.source_stamps(self.prepared),
            search_text=search_text,
        )

    on_post_build = CombinedEvent(_pages_written, _finish)

    def on_build_error(self, *, error: Exception) -> None:
        with contextlib.suppress(Exception):  # the error being reported matters more
            background.stop()  # nothing writes into the staging folder once it is removed
        if self.pages is not None:
            self.pages.uninstall()
        if self.driven:
            return
        if self.prepared is not None and self.prepared.workbooks is not None:
            self.prepared.workbooks.cancel()
        if self.site is not None:
            self.site.abandon()
            self.site = None
            carry_over.forget_published()  # pages may have been moved out of the shown site
        perf.release_build_objects()

    def on_shutdown(self) -> None:
        self.on_build_error(error=PluginError("shut down"))


def project_of(config: MkDocsConfig, options: PolkuConfig, user: dict[str, Any]) -> Project:
    """The project as MkDocs has read it (``mkdocs build`` / ``mkdocs serve``); ``user``:
    mkdocs.yml as written (:func:`theme.user_config`)."""
    root = Path(config.config_file_path or ".").resolve().parent
    chosen = dict(options)
    if theme.offline_wanted(config):
        chosen["offline"] = True
    return Project.from_config(
        root,
        Path(config.config_file_path) if config.config_file_path else None,
        user,
        chosen,
        docs_dir=config.docs_dir,
        site_dir=config.site_dir,
        site_name=config.site_name or "",
        site_author=config.site_author,
        site_url=config.site_url or None,
        use_directory_urls=config.use_directory_urls,
    )


def _log_report(report: Any) -> None:
    for diagnostic in report.sorted():
        (log.error if diagnostic.is_error else log.warning)(str(diagnostic))


def prune_toc(links: Any, depth: int) -> None:
    """Drop the entries of a page's table of contents below heading level ``depth``
    (front matter ``toc_depth``): the journal lists programmes and modules, not every
    activity under them."""
    for link in links:
        if link.level >= depth:
            link.children = []
        else:
            prune_toc(link.children, depth)

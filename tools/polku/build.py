"""The build, narrated in one place: read → check → plan → render outputs → engine → publish.

``polku build`` calls :func:`build`; ``mkdocs build`` reaches the same steps through
the MkDocs plugin, which calls :func:`prepare` and :func:`finish`. Everything up to
the finished list of outputs is polku's own and knows nothing of the site engine;
the engine (:mod:`polku.mkdocs.engine`) only turns the pages into HTML, and
:func:`export` hands the same pages to any other engine as a plain docs tree.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import posixpath
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from . import __version__, background, environment, freshness, paths
from .check import check
from .curriculum import Curriculum
from .diagnostics import Report
from .i18n import Labels
from .plan import Plan, plans
from .project import Project
from .render import navigation
from .render.author import conversion_salt, markdown_texts, without_raw_markers
from .render.calendar import build_stamp
from .render.docs import expand_markers
from .render.glance import GlanceRenderer
from .render.learner import data_script, learner_data
from .render.markup import TemplateCache
from .render.output import Output, Outputs
from .render.page_memo import PageMemo
from .render.pdf import WorkbookBuild, WorkbookError, workbook_build
from .render.schedules import ScheduleRenderer
from .render.site import SiteRenderer
from .site_dir import SiteDir
from .store import Store

log = logging.getLogger("mkdocs.plugins.polku")

PACKAGE_ASSETS = Path(__file__).parent / "assets"


class ContentErrors(Exception):
    """The curriculum has errors; nothing was built. Carries the report."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report


class BuildError(Exception):
    """A build step failed for a reason the message explains; the site is unchanged."""


@dataclass
class Prepared:
    """Everything polku makes of a project before the engine runs."""

    project: Project
    curriculum: Curriculum
    report: Report
    plans: dict[str, Plan]
    site: SiteRenderer
    schedules: ScheduleRenderer
    outputs: Outputs
    navigation: list[navigation.NavEntry]
    workbooks: WorkbookBuild | None = None
    notes: list[str] = field(default_factory=list)  # what the build says when it is done

    @property
    def language(self) -> str:
        return self.curriculum.language


def prepare(
    project: Project,
    *,
    command: str = "build",
    checked: tuple[Curriculum, Report] | None = None,
) -> Prepared:
    """Read, check, plan and render every output of ``project``.

    Raises :class:`ContentErrors` when the curriculum has errors (``checked``: a
    curriculum the caller has loaded and checked already).
    """
    # read and check
    curriculum, report = checked or check(project.root, project.options.curriculum_dir)
    if not report.errors and not curriculum.programmes and not curriculum.modules:
        report.error(
            project.options.curriculum_dir,
            1,
            1,
            "the curriculum is empty: there is no programme and no module to publish; "
            "add one with 'polku new programme ID' or 'polku new module ID'",
        )
    own_asset_clashes(project, report)
    if report.errors:
        raise ContentErrors(report)
    curriculum.pack_sources()
    # an unreadable folder or a named pipe in docs/ fails here, in one plain line, rather
    # than in the engine (the check has looked at curriculum/, assets included)
    if project.docs_dir is not None:
        environment.check_sources(project.docs_dir, follow_links=True)  # as MkDocs reads it
    labels = Labels(curriculum.language)

    # plan: one per programme, read by every renderer
    programme_plans = plans(curriculum, labels("break"))

    # render: the files first, so that pages link only to what is published
    store = Store(project.cache_dir / "author.marshal", conversion_salt(), shared=True)
    site = SiteRenderer(
        curriculum,
        programme_plans,
        use_directory_urls=project.use_directory_urls,
        store=store,
        templates=TemplateCache(project.cache_dir / "templates"),
        memo=PageMemo(project.cache_dir / "markdown", _code_digest() + conversion_salt()),
    )
    schedules = ScheduleRenderer(
        site,
        paths.SiteUrls(project.site_url, project.use_directory_urls),
        calendar_tasks=project.options.calendar_tasks,
    )
    # the author texts to HTML, shared between the cores; this process makes the
    # calendars and timelines meanwhile, and compiles the page templates
    made: list[tuple[list[Output], dict[str, str]]] = []

    def meanwhile() -> None:
        made.append(schedule_files(project, curriculum, schedules))
        site.compile_templates()

    site.author.convert_all(markdown_texts(curriculum), meanwhile=meanwhile)
    schedule_outputs, figures = made[0]
    outputs = Outputs(schedule_outputs)
    link_warning = schedules.site_url_warning()
    if link_warning:
        report.warning(*project.setting_location("site_url"), link_warning)
    workbooks = None
    if project.pdf_enabled(command):
        workbooks = workbook_build(
            curriculum,
            root=project.root,
            organisation=project.site_name,
            author=project.site_author,
            fillable=project.options.fillable,
            timeline=schedules.timeline_svg,
            programme_plans=programme_plans,
            file_url=schedules.urls.absolute if schedules.urls.is_absolute else None,
        )
        outputs.extend(workbooks.outputs())  # the workbooks and the session packs
        glance = GlanceRenderer(schedules, organisation=project.site_name)
        for path, data in glance.render_all(project.cache_dir / "glance").items():
            outputs.add(Output(path, data))
    outputs.extend(package_assets())
    outputs.extend(curriculum_assets(curriculum))
    site.available = frozenset(output.path for output in outputs)
    site.extras = {
        programme.id: schedules.programme_links(programme, paths.programme(programme.id))
        for programme in curriculum.programmes.values()
    }
    site.figures = figures
    outputs.extend(site.outputs())
    outputs.extend(schedules.pages())
    store.save()
    site.memo.prune()

    def url_of(page: str) -> str:
        return paths.page_url(page, project.use_directory_urls) if page in outputs else ""

    data = learner_data(site, project.site_name, url_of)
    outputs.add(Output(paths.LEARNER_DATA, data_script(data)))
    if command == "build" and workbooks is None:
        # every page is made: a build holds the conversions and the texts no longer
        # (the preview makes pages again, and the workbooks are made from the same texts)
        site.forget_conversions()
        curriculum.let_go_of_texts()
    return Prepared(
        project=project,
        curriculum=curriculum,
        report=report,
        plans=programme_plans,
        site=site,
        schedules=schedules,
        outputs=outputs,
        navigation=navigation.generated_navigation(curriculum, outputs),
        workbooks=workbooks,
    )


def schedule_files(
    project: Project, curriculum: Curriculum, schedules: ScheduleRenderer
) -> tuple[list[Output], dict[str, str]]:
    """Calendars and timelines, and the timeline figure of each programme page, kept
    between builds while nothing they show changed.

    They show the programmes and the titles and lengths of modules and activities,
    never the text of a module, so editing a module's body reuses them.
    """
    store = Store(project.cache_dir / "schedules.marshal", _code_digest(), shared=True)
    # plain tuples: a pydantic dump of every module took a tenth of a second per build
    module_facts = {
        module.id: (
            module.id,
            module.title,
            module.duration,
            [(a.id, a.title, a.duration, a.materials) for a in module.activities],
        )
        for module in curriculum.modules.values()
    }
    key = store.key(
        json.dumps([p.model_dump(mode="json") for p in curriculum.programmes.values()]),
        json.dumps(module_facts, sort_keys=True),
        json.dumps([project.site_url, project.use_directory_urls, curriculum.language]),
        json.dumps(dataclasses.asdict(project.options), sort_keys=True),
        build_stamp(curriculum).isoformat(),
    )
    kept = store.get(key)
    if not (isinstance(kept, dict) and "files" in kept and "figures" in kept):
        kept = {
            "files": [(output.path, output.data()) for output in schedules.files()],
            "figures": {
                programme_id: schedules.figure(programme_id, paths.programme(programme_id))
                for programme_id in curriculum.programmes
            },
        }
        store.put(key, kept)
    store.save()
    return [Output(path, data) for path, data in kept["files"]], dict(kept["figures"])


@functools.cache
def _code_digest() -> str:
    """polku's version and the source of what makes its files: a change makes them again."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.yml"), *package.rglob("*.j2")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def own_asset_names() -> list[str]:
    """The site paths of polku's own scripts, stylesheets and data (``assets/polku/…``)."""
    return [output.path for output in package_assets()] + [paths.LEARNER_DATA]


def own_asset_clashes(project: Project, report: Report) -> None:
    """A file of ``docs/`` at the path of one of polku's own assets is an error.

    A hand-written page at a generated page's path wins with a warning: the page is
    the author's. polku's scripts, stylesheets and data under ``assets/polku/`` are
    another matter: every page loads them, and the site's progress marks, journal,
    checklists and search need them as they are, so a file of the same path in
    ``docs/`` would either be replaced silently or break every page. Neither is what
    its author means, so the build stops with the file's location and what to do:
    rename it (other files in ``docs/assets/polku/`` are published as they are), and
    list a script or stylesheet of one's own under ``extra_javascript`` or
    ``extra_css`` in ``mkdocs.yml``.
    """
    docs = project.docs_dir
    if docs is None or not docs.is_dir():
        return
    for path in own_asset_names():
        file = docs / path
        if not (file.is_file() or file.is_symlink()):
            continue
        try:
            shown = file.relative_to(project.root.resolve()).as_posix()
        except ValueError:
            shown = str(file)
        name = posixpath.basename(path)
        report.error(
            shown,
            1,
            1,
            f"polku publishes its own {name} at this path (every page of the site loads "
            "it), so this file cannot be published; rename it or move it out of "
            f"{paths.SITE_ASSETS}/ (a script or stylesheet of your own is listed under "
            "extra_javascript or extra_css in mkdocs.yml)",
        )


def package_assets() -> list[Output]:
    """polku's own stylesheet and scripts."""
    return [
        Output(f"{paths.SITE_ASSETS}/{path.name}", source=path)
        for path in sorted(PACKAGE_ASSETS.iterdir())
        if path.is_file()
    ]


def curriculum_assets(curriculum: Curriculum) -> list[Output]:
    """The files under ``curriculum/assets/``, published beside the pages as they are.

    The reading has listed them (``Curriculum.assets``): only the types a curriculum
    needs, plain SVGs, nothing behind a link out of ``curriculum/``.
    """
    return [Output(asset.path, source=asset.source) for asset in curriculum.assets]


# --- the stages after the engine ------------------------------------------------------------


@contextmanager
def workbooks_rendering(prepared: Prepared) -> Iterator[None]:
    """Render the PDFs in other processes while the block runs (the engine writes pages)."""
    build = prepared.workbooks
    if build is None:
        yield
        return
    build.start()
    try:
        yield
    except BaseException:
        build.cancel()
        raise


def finish(prepared: Prepared, site_dir: Path, *, engine_files: set[str] = frozenset()) -> None:
    """Write every file output the engine did not write, once the PDFs are rendered.

    ``engine_files``: paths the engine has published already.
    """
    if prepared.workbooks is not None:
        try:
            stats = prepared.workbooks.finish()
        except WorkbookError as exc:
            prepared.workbooks.cancel()
            raise BuildError(str(exc)) from None
        for result in stats.results:
            for warning in result.warnings:
                log.warning("%s: %s", result.path, warning)
        prepared.notes.append(stats.summary())
    for output in prepared.outputs.files():
        if output.path in engine_files:
            continue
        write_output(output, site_dir)


def write_output(output: Output, folder: Path) -> None:
    target = folder / output.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if output.source is not None and output.content is None:
        shutil.copyfile(output.source, target)
    else:
        target.write_bytes(output.data())


# --- the whole build --------------------------------------------------------------------------


class Engine(Protocol):
    """The site engine: turns the prepared pages into a site (MkDocs today)."""

    def build(self, prepared: Prepared, site_dir: Path) -> set[str]:
        """Write the site's pages into ``site_dir``; the paths of the outputs it wrote."""
        ...

    def post_process(self, prepared: Prepared, site_dir: Path) -> None:
        """What the finished site needs once every file is in place."""
        ...

    def write_theme(self, prepared: Prepared, folder: Path) -> None:
        """The theme templates an exported docs tree is built with, into ``folder``."""
        ...

    def standalone_config(self, prepared: Prepared) -> dict[str, Any]:
        """The engine's configuration for building an exported docs tree without polku."""
        ...


def build(
    project: Project,
    engine: Engine,
    *,
    checked: tuple[Curriculum, Report] | None = None,
    inputs: freshness.Inputs | None = None,
) -> Prepared:
    """Check and build the site, workbooks and calendars of ``project`` into its site folder.

    ``inputs``: the state of the project's files noted before ``checked`` read them; the
    published site is then recorded as theirs, so that a build with nothing changed can
    leave it as it is (:mod:`polku.freshness`).

    Raises :class:`ContentErrors` (nothing built) or another error with the site unchanged.
    """
    assert project.site_dir is not None
    told = len(checked[1].items) if checked is not None else 0  # printed by the caller
    with freshness.counting_warnings() as warnings:
        prepared = prepare(project, checked=checked)
        site = SiteDir(project.site_dir, root=project.root, sources=project.source_dirs)
        staging = site.open()
        try:
            with workbooks_rendering(prepared):
                written = engine.build(prepared, staging)
            finish(prepared, staging, engine_files=written)
            engine.post_process(prepared, staging)
            freshness.forget(project)  # the note is of the site being replaced
            site.publish()
        except BaseException:
            background.settle()
            site.abandon()
            raise
    # remember what was published; a build that logged warnings is not skipped, so that
    # they show again
    if inputs is not None and not warnings.count:
        freshness.remember(project, inputs, report_lines(prepared.report, told))
    return prepared


def report_lines(report: Report, told: int) -> list[str]:
    """The curriculum's problems as ``polku build`` printed them: the check's first."""
    printed = Report(items=report.items[:told]).lines() if told else []
    return [*printed, *(str(diagnostic) for diagnostic in report.items[told:])]


# --- the engine seam: the generated site as a plain docs tree --------------------------------


def export(
    project: Project,
    target: Path,
    engine: Engine,
    *,
    checked: tuple[Curriculum, Report] | None = None,
) -> Prepared:
    """Write the whole site as a docs tree and an ``mkdocs.yml`` that needs no polku plugin.

    ``target`` gets ``docs/`` (the hand-written pages, every generated page as
    sanitised Markdown, the assets, workbooks and calendars), ``overrides/`` (the
    theme templates the engine builds the site with besides the theme's own: polku's
    and the project's overrides), and ``mkdocs.yml``. A plain ``mkdocs build`` there
    gives the pages ``polku build`` gives.
    """
    prepared = prepare(project, command="export", checked=checked)
    site = SiteDir(target, root=project.root, sources=project.source_dirs)
    staging = site.open()
    try:
        docs = staging / "docs"
        with workbooks_rendering(prepared):
            if project.docs_dir is not None and project.docs_dir.is_dir():
                _copy_docs(project.docs_dir, docs, prepared)
            for output in prepared.outputs.pages():
                if not (docs / output.path).exists():  # a hand-written page wins
                    # without polku's engine extension the markers would be comments
                    page = without_raw_markers(output.text)
                    write_output(dataclasses.replace(output, content=page), docs)
        finish(prepared, docs)
        engine.write_theme(prepared, staging / "overrides")
        config = engine.standalone_config(prepared)
        text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
        (staging / "mkdocs.yml").write_text(text, encoding="utf-8")
        site.publish()
    except BaseException:
        background.settle()
        site.abandon()
        raise
    return prepared


def _copy_docs(source: Path, target: Path, prepared: Prepared) -> None:
    """The hand-written pages and their files, with polku's markers filled in."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8-sig")
            text = expand_markers(text, relative.as_posix(), prepared.site)
            destination.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(path, destination)

"""The ``polku`` command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .diagnostics import Report
from .environment import fault_of
from .perf import exit_at_once
from .project import Project, ProjectError

if TYPE_CHECKING:
    from .curriculum import Curriculum

ISSUES_URL = "https://github.com/polku-dev/polku/issues"
EXIT_CONTENT = 1
EXIT_USAGE = 2
EXIT_BUG = 3
# the context object when polku runs as a program rather than called from Python
_COMMAND_LINE = object()


def run_check(root: Path, curriculum_dir: str) -> tuple[Curriculum, Report]:
    """Read and check the curriculum (imported here: an up-to-date build needs none of it)."""
    from .check import check

    return check(root, curriculum_dir)


def _print_report(report: Report) -> None:
    for line in report.lines():
        click.echo(line)


def _project(root: Path, *, require_plugin: bool = True) -> Project:
    """The project in ``root``; exits with the located problem when mkdocs.yml is unusable."""
    try:
        return Project.load(root, require_plugin=require_plugin)
    except ProjectError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_CONTENT)


def _refuse_foreign_folder(project: Project, target: Path) -> None:
    """Before any work: polku writes only into a folder of its own (exit 2 otherwise)."""
    from .site_dir import SiteDirError, check_target

    try:
        check_target(target, root=project.root, sources=project.source_dirs)
    except SiteDirError as exc:
        click.echo(f"polku: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)


root_option = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The project folder (with mkdocs.yml and curriculum/).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="polku")
def cli() -> None:
    """Compile training curricula written in YAML into a site, workbooks and calendars."""


@cli.command()
@root_option
@click.pass_context
def check(context: click.Context, root: Path) -> None:
    """Load and validate the curriculum; print every problem."""
    project = _project(root, require_plugin=False)
    _curriculum, report = run_check(project.root, project.options.curriculum_dir)
    _print_report(report)
    code = EXIT_CONTENT if report.errors else 0
    if context.obj is _COMMAND_LINE:
        exit_at_once(code)
    sys.exit(code)


@cli.command()
@root_option
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site (default: site_dir of mkdocs.yml).",
)
@click.option("--no-pdf", is_flag=True, help="Skip the PDF workbooks.")
@click.option("--fillable", is_flag=True, help="Make the workbooks' write-in areas form fields.")
@click.option(
    "--offline",
    is_flag=True,
    help="A site that works opened from the file system (file://), search included.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option(
    "--force", is_flag=True, help="Build even when nothing has changed since the last build."
)
@click.pass_context
def build(
    context: click.Context,
    root: Path,
    site_dir: Path | None,
    no_pdf: bool,
    fillable: bool,
    offline: bool,
    quiet: bool,
    force: bool,
) -> None:
    """Check, then build the site, workbooks and calendars.

    With nothing changed since the last build of the same site folder (the project's
    files, polku, the installed packages, the options, the published files), the site
    is left as it is.
    """
    from . import freshness
    from .site_dir import BuildLockedError, SiteDirError

    project = _project(root)
    if site_dir is not None:
        project = project.with_site_dir(site_dir)
    if no_pdf:
        project = project.with_options(pdf=False)
    if fillable:
        project = project.with_options(fillable=True)
    if offline:
        project = project.with_options(offline=True)
        project = dataclasses.replace(project, use_directory_urls=False)
    assert project.site_dir is not None
    _refuse_foreign_folder(project, project.site_dir)
    inputs = freshness.inputs(project)  # before anything is read
    published = None if force else freshness.unchanged(project, inputs)
    if published is not None:
        for line in published.lines:
            click.echo(line)
        if not quiet:
            click.echo(
                f"polku: {project.site_dir} is up to date: nothing has changed since it was "
                "built (--force builds it again)",
                err=True,
            )
        return
    from . import build as pipeline
    from .mkdocs.engine import MkDocsEngine

    checked = run_check(project.root, project.options.curriculum_dir)
    if checked[1].items:
        _print_report(checked[1])
    if checked[1].errors:
        click.echo("polku: nothing was built; the previous site is unchanged", err=True)
        sys.exit(EXIT_CONTENT)
    _configure_logging(quiet)
    told = len(checked[1].items)
    try:
        prepared = pipeline.build(project, MkDocsEngine(project), checked=checked, inputs=inputs)
    except pipeline.ContentErrors as exc:
        _print_report(exc.report)
        click.echo("polku: nothing was built; the previous site is unchanged", err=True)
        sys.exit(EXIT_CONTENT)
    except BuildLockedError as exc:
        click.echo(f"polku: build failed: {exc}; the previous site is unchanged", err=True)
        sys.exit(EXIT_CONTENT)
    except SiteDirError as exc:
        click.echo(f"polku: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except pipeline.BuildError as exc:
        click.echo(f"polku: build failed: {exc}; the previous site is unchanged", err=True)
        sys.exit(EXIT_CONTENT)
    for diagnostic in prepared.report.items[told:]:  # what the build found besides the check
        click.echo(str(diagnostic))
    if not quiet:
        for note in prepared.notes:
            click.echo(f"polku: {note}", err=True)
        click.echo(f"polku: built {project.site_dir}", err=True)
    if context.obj is _COMMAND_LINE:
        exit_at_once(0)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@root_option
@click.option("--no-pdf", is_flag=True, help="Skip the PDF workbooks.")
def export(directory: Path, root: Path, no_pdf: bool) -> None:
    """Write the site as a plain docs tree and mkdocs.yml that build without polku."""
    from . import build as pipeline
    from .mkdocs.engine import MkDocsEngine
    from .site_dir import SiteDirError

    project = _project(root)
    if no_pdf:
        project = project.with_options(pdf=False)
    _refuse_foreign_folder(project, directory)
    checked = run_check(project.root, project.options.curriculum_dir)
    if checked[1].items:
        _print_report(checked[1])
    if checked[1].errors:
        click.echo(f"polku: nothing was exported; {directory} is unchanged", err=True)
        sys.exit(EXIT_CONTENT)
    _configure_logging(quiet=True)
    told = len(checked[1].items)
    try:
        prepared = pipeline.export(project, directory, MkDocsEngine(project), checked=checked)
    except pipeline.ContentErrors as exc:
        _print_report(exc.report)
        sys.exit(EXIT_CONTENT)
    except SiteDirError as exc:
        click.echo(f"polku: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except pipeline.BuildError as exc:
        click.echo(f"polku: export failed: {exc}; {directory} is unchanged", err=True)
        sys.exit(EXIT_CONTENT)
    for diagnostic in prepared.report.items[told:]:
        click.echo(str(diagnostic))
    click.echo(f"polku: exported to {directory}; build it there with 'mkdocs build'", err=True)


@cli.command()
@root_option
@click.option(
    "-a", "--dev-addr", default=None, help="IP address and port (default 127.0.0.1:8000)."
)
def serve(root: Path, dev_addr: str | None) -> None:
    """Live preview; a change under curriculum/ rebuilds and reloads the browser."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import Abort, PluginError

    from .mkdocs.address import check_address, serve_address

    project = _project(root)
    assert project.config_file is not None
    check_address(*serve_address(project, dev_addr))  # before the first build
    _configure_logging(quiet=False)
    kwargs: dict[str, object] = {"config_file": str(project.config_file)}
    if dev_addr:
        kwargs["dev_addr"] = dev_addr
    try:
        mkdocs_serve(**kwargs)  # type: ignore[arg-type]
    except (Abort, PluginError) as exc:
        click.echo(f"polku: {exc}", err=True)
        sys.exit(EXIT_CONTENT)


@cli.command()
@click.option(
    "--people",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV file (UTF-8, header row): name, programme, start_date and optional columns.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the packs (default: packs/ in the project).",
)
@root_option
def packs(people: Path, out: Path | None, root: Path) -> None:
    """Write a welcome pack (PDF letter and calendar) for each new hire in PEOPLE."""
    from .packs import PacksError, make_packs

    project = _project(root, require_plugin=False)
    target = out if out is not None else project.root / "packs"
    try:
        result = make_packs(project, people, target, shown_path=str(people))
    except PacksError as exc:
        click.echo(f"polku: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if result.report.items:
        _print_report(result.report)
    if not result.written:
        click.echo("polku: no welcome pack was written; fix the lines above", err=True)
        sys.exit(EXIT_CONTENT)
    click.echo(result.summary(), err=True)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new curriculum project in DIRECTORY."""
    from .scaffold import create_project

    if directory.exists() and any(directory.iterdir()):
        click.echo(f"polku: {directory} exists and is not empty; choose a new folder", err=True)
        sys.exit(EXIT_USAGE)
    written = create_project(directory)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"\nNext: cd {directory} && polku build", err=True)


@cli.command()
@click.argument("kind", type=click.Choice(["module", "programme", "method"]))
@click.argument("ident")
@root_option
def new(kind: str, ident: str, root: Path) -> None:
    """Write a valid starting file for a new module, programme or method card."""
    from .model import check_id
    from .scaffold import FileExistsProblem, new_file

    try:
        check_id(ident)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="ID") from None
    try:
        path = new_file(root, kind, ident)
    except FileExistsProblem as exc:
        click.echo(f"polku: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"created {path}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the curriculum format."""
    from .schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def _configure_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False


def main() -> None:
    """Entry point: an unexpected error is a bug, reported in one line with a log file."""
    # SIGTERM (a CI job cancelled, a container stopped) cleans up like Ctrl-C: the half-built
    # staging directory is removed, the PDF processes are stopped and the lock released.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        result = cli.main(standalone_mode=False, obj=_COMMAND_LINE)
    except SystemExit:
        raise
    except click.ClickException as exc:  # usage errors: click's own message, exit 2
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("\npolku: interrupted; the previous site is unchanged", err=True)
        sys.exit(130)
    except BrokenPipeError:  # the reader of the output went away (polku check | head)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except Exception as exc:
        fault = fault_of(exc)  # a full disk, a folder without access, a busy port: not a bug
        if fault is not None:
            click.echo(fault.message, err=True)
            sys.exit(fault.exit_code)
        log_path = _write_crash_log()
        where = (
            f"with the details in {log_path}"
            if log_path
            else f"with this line (no log file could be written): {type(exc).__name__}: "
            + " ".join(str(exc).split())[:200]
        )
        click.echo(
            f"polku: internal error; this is a bug in polku, please report it at {ISSUES_URL} "
            + where,
            err=True,
        )
        sys.exit(EXIT_BUG)
    sys.exit(result if isinstance(result, int) else 0)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _write_crash_log() -> str | None:
    """Write the traceback to a log file; its path, or None when nowhere is writable."""
    details = f"polku {__version__}\nargv: {sys.argv}\n\n{traceback.format_exc()}"
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "polku"
    for directory in (cache, Path(tempfile.gettempdir())):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / f"crash-{stamp}-{os.getpid()}.log"
            path.write_text(details, encoding="utf-8")
        except OSError:
            continue
        return str(path)
    return None


if __name__ == "__main__":
    main()

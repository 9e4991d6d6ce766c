"""The workbook stage: PDF rendering timed on its own, in a process of its own.

``polku build`` renders the workbooks while MkDocs writes the pages, so their time
cannot be read off a whole build. :func:`render_workbooks` runs the stage by itself
through polku's internals; it is the only function here that knows them. Run as
``python -m bench.workbooks ROOT CACHE WORKERS SITE``, it prints its figures as JSON.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .measure import Log, Run, Timing, cores, environment, timed
from .synth import edit_module


@dataclass
class WorkbookRun:
    """One run of the workbook stage."""

    timing: Timing  # the whole process: loading the curriculum included
    documents: int  # PDFs of the build
    rendered: int  # PDFs rendered (not taken from the cache)
    pages: int  # pages of all PDFs
    rendered_pages: int
    render_seconds: float  # rendering alone (0 when nothing was rendered)
    stage_seconds: float  # documents + render + copy, without loading the curriculum
    workers: int

    @property
    def pages_per_second(self) -> float:
        return self.rendered_pages / self.render_seconds if self.render_seconds else 0.0


@dataclass
class WorkbookResult:
    """The workbook stage cold with one process and with all cores, then warm."""

    cores: int
    single: WorkbookRun | None  # one process, no cache
    parallel: WorkbookRun  # all cores, no cache
    unchanged: WorkbookRun  # all cores, the cache of the last run, nothing changed
    edited: WorkbookRun | None  # all cores, after one module was edited

    @property
    def speedup(self) -> float | None:
        if self.single is None or not self.parallel.render_seconds:
            return None
        return self.single.render_seconds / self.parallel.render_seconds

    @property
    def cold_over_unchanged(self) -> float:
        return self.parallel.stage_seconds / max(self.unchanged.stage_seconds, 1e-9)


def unavailable() -> str | None:
    """None when this polku can render workbooks the way this module drives it; else why not."""
    try:
        from polku.render import pdf, workbook
    except ImportError as exc:
        return f"not available: {exc}"
    for module, name in ((pdf, "WorkbookBuild"), (workbook, "WorkbookRenderer")):
        if not hasattr(module, name):
            return f"not available: {module.__name__} has no {name}"
    return None


def render_workbooks(root: Path, cache: Path, workers: int, site: Path) -> dict[str, float]:
    """Render (or take from the cache) every workbook of the project once."""
    from polku.check import check
    from polku.render.pdf import WorkbookBuild
    from polku.render.workbook import WorkbookRenderer

    curriculum, report = check(root)
    if report.errors:
        raise SystemExit(report.summary())
    loaded = time.perf_counter()
    renderer = WorkbookRenderer(curriculum, organisation="bench")
    build = WorkbookBuild(
        renderer.documents(), cache, [curriculum.curriculum_dir], workers=workers or None
    )
    build.start()
    stats = build.finish(site)
    finished = time.perf_counter()
    return {
        "documents": len(stats.results),
        "rendered": len(stats.rendered),
        "pages": sum(r.pages for r in stats.results),
        "rendered_pages": stats.rendered_pages,
        "render_seconds": stats.seconds if stats.rendered else 0.0,
        "stage_seconds": finished - loaded,
        "workers": stats.workers,
    }


def timed_workbooks(root: Path, cache: Path, workers: int, site: Path) -> WorkbookRun:
    command = [sys.executable, "-m", "bench.workbooks", str(root), str(cache), str(workers)]
    run: Run = timed([*command, str(site)], env=environment()).check("workbook rendering")
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    return WorkbookRun(
        run.timing,
        int(figures["documents"]),
        int(figures["rendered"]),
        int(figures["pages"]),
        int(figures["rendered_pages"]),
        float(figures["render_seconds"]),
        float(figures["stage_seconds"]),
        int(figures["workers"]),
    )


def measure_workbooks(
    project: Path, scratch: Path, module_id: str | None, log: Log, *, single: bool = True
) -> WorkbookResult:
    """Cold with one process (when ``single``) and with all cores; nothing changed; edited."""
    count = cores()
    shutil.rmtree(scratch, ignore_errors=True)
    one = None
    if single:
        one = timed_workbooks(project, scratch / "cache-1", 1, scratch / "site-1")
        log(
            f"  PDFs, 1 process          {one.render_seconds:7.2f} s  "
            f"{one.rendered_pages} pages  {one.pages_per_second:.1f} pages/s"
        )
    cache, site = scratch / "cache", scratch / "site"
    parallel = timed_workbooks(project, cache, count, site)
    log(
        f"  PDFs, {count} processes        {parallel.render_seconds:7.2f} s  "
        f"{parallel.rendered_pages} pages  {parallel.pages_per_second:.1f} pages/s"
    )
    unchanged = timed_workbooks(project, cache, count, site)
    log(f"  PDFs, nothing changed    {unchanged.stage_seconds:7.2f} s")
    edited = None
    if module_id is not None:
        edit_module(project, module_id, "Toinen muokattu kappale.")
        edited = timed_workbooks(project, cache, count, site)
        log(
            f"  PDFs, one module edited  {edited.stage_seconds:7.2f} s "
            f"({edited.rendered} of {edited.documents} rendered again)"
        )
    shutil.rmtree(scratch, ignore_errors=True)
    return WorkbookResult(count, one, parallel, unchanged, edited)


def main(argv: list[str]) -> int:
    root, cache, workers, site = argv
    print(json.dumps(render_workbooks(Path(root), Path(cache), int(workers), Path(site))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Workbook PDFs: rendered in parallel processes, reused from a content-hash cache.

A build hands the workbook documents to :class:`WorkbookBuild`, which starts
rendering at once (in ``pdf_worker`` processes, while MkDocs writes the pages)
and, when the site is finished, copies the PDFs into ``<site>/workbooks/``.
A PDF whose inputs (the document's HTML, the print stylesheet, the fonts, the
images it shows, the renderer's version) did not change is not rendered again:
it is copied from the cache, ``<project>/.cache/polku/workbooks/`` by default.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from ..curriculum import Curriculum
from ..parallel import available_cores
from ..plan import Plan
from .output import Output
from .pdf_worker import FONTS_DIR, HYPHENATION_DIR
from .workbook import PRINT_CSS, WorkbookDocument, WorkbookRenderer

log = logging.getLogger("mkdocs.plugins.polku")

CACHE_FORMAT = "1"
PDF_VARIANT = "pdf/ua-1"
WORKERS_ENV = "POLKU_PDF_WORKERS"
KEEP_OLD = 2  # cached versions kept per workbook besides the current one
_PACKAGE_PARENT = Path(__file__).resolve().parents[2]


class WorkbookError(Exception):
    """A workbook could not be rendered."""


@dataclass
class WorkbookResult:
    path: str  # under the site directory, e.g. workbooks/x-learner.pdf
    pages: int
    seconds: float  # rendering time; 0 for a cached PDF
    cached: bool
    cpu_seconds: float = 0.0  # processor time the rendering took
    warnings: list[str] = field(default_factory=list)
    pack: bool = False  # a session pack (not a whole workbook)


@dataclass
class BuildStats:
    results: list[WorkbookResult]
    seconds: float  # wall time from start to finish
    workers: int

    @property
    def rendered(self) -> list[WorkbookResult]:
        return [r for r in self.results if not r.cached]

    @property
    def rendered_pages(self) -> int:
        return sum(r.pages for r in self.rendered)

    def summary(self) -> str:
        rendered = self.rendered
        cached = len(self.results) - len(rendered)
        packs = sum(1 for result in self.results if result.pack)
        text = f"{len(self.results) - packs} workbook PDFs"
        if packs:
            text += f" and {packs} session pack{'s' if packs != 1 else ''}"
        if rendered:
            rate = self.rendered_pages / self.seconds if self.seconds else 0.0
            cpu = sum(r.cpu_seconds for r in rendered)
            text += (
                f": {len(rendered)} rendered ({self.rendered_pages} pages in "
                f"{self.seconds:.1f} s, {rate:.1f} pages/s, {self.workers} "
                f"process{'es' if self.workers != 1 else ''}, {cpu:.1f} s of processor time)"
            )
        if cached:
            text += f"{',' if rendered else ':'} {cached} unchanged, copied from the cache"
        return text


@dataclass
class _Job:
    document: WorkbookDocument
    key: str
    target: Path
    pages: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    cached: bool = False
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    os_error: OSError | None = None  # a fault of the machine: a full or read-only cache


def worker_count(jobs: int) -> int:
    """Processes to use: one per core (or $POLKU_PDF_WORKERS), never more than jobs."""
    wanted = os.environ.get(WORKERS_ENV, "")
    count = int(wanted) if wanted.isdigit() and int(wanted) > 0 else available_cores()
    return max(1, min(count, jobs))


@cache
def _environment_digest() -> str:
    """What the output depends on besides the document: renderer, fonts, stylesheet."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for package in ("weasyprint", "pydyf", "fonttools", "pyphen"):
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{package}={version}\n".encode())
    for path in [*sorted(FONTS_DIR.iterdir()), *sorted(HYPHENATION_DIR.iterdir())]:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(PRINT_CSS.read_bytes())
    return digest.hexdigest()


def document_key(document: WorkbookDocument) -> str:
    """The content hash of everything a workbook PDF is made from."""
    digest = hashlib.sha256(_environment_digest().encode())
    digest.update(f"{PDF_VARIANT}\n{document.fillable}\n".encode())
    digest.update(document.html.encode())
    for asset in document.assets:
        digest.update(str(asset).encode())
        try:
            digest.update(hashlib.sha256(asset.read_bytes()).digest())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()


class WorkbookBuild:
    """Renders the workbook PDFs of one build."""

    def __init__(
        self,
        documents: list[WorkbookDocument],
        cache_dir: Path,
        allowed: list[Path],
        *,
        workers: int | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.allowed = [str(path) for path in allowed]
        self.jobs: list[_Job] = []
        for document in documents:
            key = document_key(document)
            self.jobs.append(_Job(document, key, cache_dir / f"{document.stem}-{key[:24]}.pdf"))
        self.requested_workers = workers
        self.workers = 0
        self._processes: list[subprocess.Popen[str]] = []
        self._threads: list[threading.Thread] = []
        self._started = 0.0
        self._cancelled = False
        self.fonttools_subsetting = False  # a process had no HarfBuzz subsetting

    # --- rendering ------------------------------------------------------------------------

    def start(self) -> None:
        """Start rendering what the cache does not have; returns at once."""
        self._started = time.perf_counter()
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        todo: queue.Queue[_Job] = queue.Queue()
        missing = []
        for job in self.jobs:
            pages = _cached_pages(job.target)
            if pages is not None:
                job.cached, job.pages = True, pages
            else:
                missing.append(job)
        # the longest documents first, so the processes finish close together
        for job in sorted(missing, key=lambda j: len(j.document.html), reverse=True):
            todo.put(job)
        if not missing:
            return
        self.workers = self.requested_workers or worker_count(len(missing))
        for number in range(min(self.workers, len(missing))):
            process = self._spawn(number)
            self._processes.append(process)
            thread = threading.Thread(
                target=self._feed, args=(process, todo), name=f"polku-pdf-{number}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def _spawn(self, number: int) -> subprocess.Popen[str]:
        env = dict(os.environ)
        paths = [str(_PACKAGE_PARENT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        log = open(self.cache_dir / f"worker-{number}.log", "w", encoding="utf-8")  # noqa: SIM115
        try:
            return subprocess.Popen(
                [sys.executable, "-m", "polku.render.pdf_worker", str(self.cache_dir)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                encoding="utf-8",
                env=env,
            )
        finally:
            log.close()

    def _feed(self, process: subprocess.Popen[str], todo: queue.Queue[_Job]) -> None:
        assert process.stdin is not None and process.stdout is not None
        while not self._cancelled:
            try:
                job = todo.get_nowait()
            except queue.Empty:
                break
            request = {
                "html": job.document.html,
                "base_url": FONTS_DIR.as_uri() + "/",
                "stylesheets": [str(PRINT_CSS)],
                "allowed": self.allowed,
                "target": str(job.target),
                "variant": PDF_VARIANT,
                "forms": job.document.fillable,
            }
            try:
                process.stdin.write(json.dumps(request) + "\n")
                process.stdin.flush()
                line = process.stdout.readline()
            except (BrokenPipeError, OSError, ValueError):
                line = ""
            if not line:
                job.error = "the PDF process stopped unexpectedly" + self._log_tail(process)
                break
            answer = json.loads(line)
            if answer.get("ok"):
                job.pages = int(answer["pages"])
                job.seconds = float(answer["seconds"])
                job.cpu_seconds = float(answer.get("cpu_seconds", 0.0))
                job.warnings = list(answer.get("warnings", []))
                self.fonttools_subsetting |= bool(answer.get("fonttools_subsetting"))
                _write_meta(job.target, job.pages)
            else:
                job.error = str(answer.get("error"))
                if isinstance(answer.get("errno"), int):
                    number = answer["errno"]
                    job.os_error = OSError(number, os.strerror(number), answer.get("filename"))
        try:
            if process.stdin:
                process.stdin.close()
        except OSError:
            pass

    def _log_tail(self, process: subprocess.Popen[str]) -> str:
        number = self._processes.index(process) if process in self._processes else 0
        try:
            text = (self.cache_dir / f"worker-{number}.log").read_text("utf-8").strip()
        except OSError:
            return ""
        return f": {text.splitlines()[-1]}" if text else ""

    def outputs(self) -> list[Output]:
        """The PDFs this build publishes, each read from the cache once rendered.

        A session pack of a repeated session is published under each session's name.
        """
        return [
            Output(path, source=job.target, title=job.document.title, deferred=True)
            for job in self.jobs
            for path in job.document.paths
        ]

    def finish(self, site_dir: Path | None = None) -> BuildStats:
        """Wait for the rendering (and copy every PDF into ``site_dir`` when given)."""
        for thread in self._threads:
            thread.join()
        for process in self._processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._processes.clear()
        seconds = time.perf_counter() - self._started
        failed = [job for job in self.jobs if not job.cached and (job.error or not job.pages)]
        if failed:
            job = failed[0]
            if job.os_error is not None:
                raise job.os_error
            raise WorkbookError(
                f"{job.document.path} could not be rendered: {job.error or 'it was not rendered'}"
            )
        if self.fonttools_subsetting:
            _note_fonttools_subsetting()
        if site_dir is not None:
            for job in self.jobs:
                for path in job.document.paths:
                    destination = site_dir / path
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(job.target, destination)
        self._prune()
        results = [
            WorkbookResult(
                job.document.path,
                job.pages,
                job.seconds,
                job.cached,
                job.cpu_seconds,
                job.warnings,
                pack=bool(job.document.sessions),
            )
            for job in self.jobs
        ]
        return BuildStats(results, seconds, self.workers)

    def cancel(self) -> None:
        """Stop the processes of a build that failed."""
        self._cancelled = True
        for process in self._processes:
            if process.poll() is None:
                process.kill()
        for process in self._processes:
            process.wait()
        self._processes.clear()
        for thread in self._threads:
            thread.join(timeout=10)

    # --- cache ------------------------------------------------------------------------------

    def _prune(self) -> None:
        """Keep the current and a few earlier versions of each workbook in the cache."""
        current = {job.target.name for job in self.jobs}
        for job in self.jobs:
            pattern = re.compile(rf"^{re.escape(job.document.stem)}-[0-9a-f]{{24}}\.pdf$")
            older = sorted(
                (
                    p
                    for p in self.cache_dir.glob("*.pdf")
                    if pattern.match(p.name) and p.name not in current
                ),
                key=lambda p: p.stat().st_mtime,
                reverse=True,
            )
            for path in older[KEEP_OLD:]:
                path.unlink(missing_ok=True)
                _meta_path(path).unlink(missing_ok=True)


@cache
def _note_fonttools_subsetting() -> None:
    """Say once, instead of WeasyPrint's warning for every font of every PDF, what is slow."""
    log.warning(
        "polku: HarfBuzz font subsetting (the Debian package libharfbuzz-subset0) is not "
        "installed, so the workbook fonts were subset with fontTools, which is slower; "
        "install it with 'sudo apt-get install libharfbuzz-subset0' (make site does, run as root)"
    )


def cache_dir(root: Path) -> Path:
    """Where a project keeps its rendered workbooks between builds."""
    return root / ".cache" / "polku" / "workbooks"


def workbook_build(
    curriculum: Curriculum,
    *,
    root: Path,
    organisation: str = "",
    author: str | None = None,
    fillable: bool = False,
    timeline: object | None = None,
    programme_plans: dict[str, Plan] | None = None,
    file_url: object | None = None,
    session_packs: bool = True,
) -> WorkbookBuild:
    """The workbooks and session packs of every programme, ready to be rendered (``start()``).

    ``timeline`` is a callable (programme) -> SVG markup for the schedule at a glance;
    ``file_url`` a callable (site path) -> the absolute address of a published file, or None.
    """
    renderer = WorkbookRenderer(
        curriculum,
        organisation=organisation,
        author=author,
        timeline=timeline,
        programme_plans=programme_plans,
        file_url=file_url,
    )
    documents = renderer.documents(fillable=fillable)
    if session_packs:
        documents += renderer.session_packs()
    return WorkbookBuild(documents, cache_dir(root), [curriculum.curriculum_dir])


def _meta_path(pdf: Path) -> Path:
    return pdf.with_suffix(".json")


def _write_meta(pdf: Path, pages: int) -> None:
    meta = _meta_path(pdf)
    temporary = meta.with_name(f".{meta.name}.{os.getpid()}.{threading.get_ident()}")
    temporary.write_text(json.dumps({"pages": pages}), "utf-8")
    temporary.replace(meta)


def _cached_pages(pdf: Path) -> int | None:
    if not pdf.is_file():
        return None
    try:
        pages = int(json.loads(_meta_path(pdf).read_text("utf-8"))["pages"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if pages <= 0:
        return None
    os.utime(pdf)  # recently used: kept by the pruning
    return pages

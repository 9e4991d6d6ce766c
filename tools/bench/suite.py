"""What one run measures: each synthetic size, and the real curriculum of this repository."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .baselines import write_baseline_a, write_baseline_b
from .measure import (
    Log,
    Timing,
    best,
    folder_bytes,
    mean_bytes,
    mkdocs,
    module_pages,
    polku,
    timed,
)
from .peers import PEERS, zensical_build, zensical_command
from .serve import ServeResult, serve_latency
from .synth import Sizes, edit_module, generate, module_ids
from .workbooks import WorkbookResult, measure_workbooks, unavailable


@dataclass
class Options:
    repeat: int = 3  # rounds at sizes up to ONCE_ABOVE; the best of them is kept
    incremental_max: int = 1000  # largest size whose rebuilds after an edit are measured
    pdf_sizes: list[int] = field(default_factory=list)  # synthetic sizes with workbooks
    # workbooks: also with one process (the speed-up) and again after an edit
    pdf_every_run: bool = False
    serve_sizes: list[int] = field(default_factory=list)  # synthetic sizes with a live preview
    serve_saves: int = 5  # each save is reported; the best is the figure
    peers: list[str] = field(default_factory=list)
    keep: bool = False  # keep the generated projects and sites
    # largest size built by the baselines: baseline B lists every page on every page, so its
    # site grows with the square of the size (about 9 GiB and half an hour at 5000 modules)
    baselines_max: int = 1000


# Above this size a round takes many minutes: one round only.
ONCE_ABOVE = 1000


@dataclass
class Site:
    """A built site: how many pages, how big."""

    pages: int  # HTML pages
    total_bytes: int
    module_page_bytes: float  # mean size of a module's page


@dataclass
class SizeResult:
    size: int
    rounds: int
    body_words: int  # per module
    check_cold: Timing  # polku check without the parse cache
    check: Timing  # polku check, every file unchanged since the last check
    build: Timing  # polku build --no-pdf from scratch (no caches, no site)
    baseline_a: Timing | None  # None: above the largest size the baselines are built at
    baseline_b: Timing | None
    sites: dict[str, Site]  # "polku", "a", "b"
    edited: Timing | None = None  # polku build --no-pdf after editing one module's body
    unchanged: Timing | None = None  # polku build --no-pdf with nothing changed
    # the same with --force: built again from the cache, the site written anew
    forced: Timing | None = None
    peers: dict[str, Timing] = field(default_factory=dict)  # "zensical A", "zensical B"
    peers_skipped: str | None = None
    workbooks: WorkbookResult | None = None
    workbooks_skipped: str | None = None
    serve: ServeResult | None = None
    baseline_a_source: str = ""  # how baseline A's pages were written

    def ratio(self, baseline: str) -> float | None:
        other = self.baseline_a if baseline == "a" else self.baseline_b
        return self.build.seconds / other.seconds if other is not None else None

    def cpu_ratio(self, baseline: str) -> float | None:
        other = self.baseline_a if baseline == "a" else self.baseline_b
        if other is None:
            return None
        return self.build.cpu / other.cpu if other.cpu else 0.0

    @property
    def build_peak(self) -> int:
        """The highest peak memory of ``polku check`` and ``polku build`` at this size."""
        return max(t.peak for t in self.commands())

    def commands(self) -> list[Timing]:
        """The timings of every ``polku check`` and ``polku build`` at this size."""
        timings = (self.check_cold, self.check, self.build, self.edited, self.unchanged)
        return [t for t in (*timings, self.forced) if t is not None]

    @property
    def polku_peak(self) -> int:
        """The highest peak RSS of any polku command at this size."""
        peaks = [t.peak for t in self.commands()]
        if self.serve is not None:
            peaks.append(self.serve.peak)
        if self.workbooks is not None:
            runs = (self.workbooks.single, self.workbooks.parallel, self.workbooks.edited)
            peaks.extend(r.timing.peak for r in runs if r is not None)
        return max(peaks)


@dataclass
class RealResult:
    """This repository's own curriculum."""

    modules: int
    serve: ServeResult | None = None
    workbooks: WorkbookResult | None = None
    workbooks_skipped: str | None = None


def _site(folder: Path) -> Site:
    pages = [p for p in folder.rglob("*.html") if p.name != "404.html"]
    return Site(len(pages), folder_bytes(folder), mean_bytes(module_pages(folder)))


def _built_page(site: Path, module_id: str, marker: str | None, what: str) -> None:
    """Stop the benchmark when a build did not produce the module's page (with ``marker``)."""
    page = site / "modules" / module_id / "index.html"
    if not page.is_file():
        raise SystemExit(f"bench: {what} wrote no {page}")
    if marker is not None and marker not in page.read_text("utf-8"):
        raise SystemExit(f"bench: {what} did not show the edit in {page}")


def measure_size(size: int, work: Path, options: Options, log: Log) -> SizeResult:
    folder = work / f"size-{size}"  # everything of this size, removed at the end
    project = folder / "curriculum"
    facts = generate(project, Sizes(size))
    body_words = int(facts["body_words"])  # type: ignore[call-overload]
    log(f"{size} modules: generated {project} ({body_words} words of body per module)")
    rounds = options.repeat if size <= ONCE_ABOVE else 1
    cache = project / ".cache"

    cold_checks, checks = [], []
    for _ in range(rounds):
        shutil.rmtree(cache, ignore_errors=True)
        cold_checks.append(timed(polku("check", "--root", project)).check("polku check").timing)
        checks.append(timed(polku("check", "--root", project)).check("polku check").timing)
    check_cold, check = best(cold_checks), best(checks)
    log(f"  polku check, no cache    {check_cold.seconds:7.2f} s")
    log(f"  polku check, unchanged   {check.seconds:7.2f} s")

    a, b, site = folder / "baseline-a", folder / "baseline-b", folder / "site"
    baselines = size <= options.baselines_max
    a_source = ""
    if baselines:
        pages_a, a_source = write_baseline_a(project, a)
        pages_b = write_baseline_b(project, b, like=a / "mkdocs.yml")
        log(f"  baselines: A {pages_a} pages, B {pages_b} pages")
    else:
        log(f"  baselines: not built above {options.baselines_max} modules")
    peer = _peer_commands(options.peers)
    incremental = size <= options.incremental_max
    module_id = module_ids(project)[size // 2]
    build = polku("build", "--root", project, "--no-pdf", "-q", "--site-dir", site)
    runs: dict[str, list[Timing]] = {}
    sites: dict[str, Site] = {}

    def run(name: str, command: list[str], folder: Path | None = None) -> None:
        if folder is not None:  # a build from scratch: no site left from the last one
            shutil.rmtree(folder, ignore_errors=True)
        runs.setdefault(name, []).append(timed(command).check(name).timing)

    # one round: each command once, polku and the baselines alternating, so that a busy
    # moment of the machine hurts them alike
    for number in range(rounds):
        shutil.rmtree(cache, ignore_errors=True)
        run("polku build --no-pdf", build, site)
        _built_page(site, module_id, None, "polku build")
        sites.setdefault("polku", _site(site))
        if baselines:
            run("baseline A", mkdocs("build", "-q", "-f", a / "mkdocs.yml"), a / "site")
            sites.setdefault("a", _site(a / "site"))
        if incremental:
            marker = f"polkubenchedit{number}"
            edit_module(project, module_id, marker)
            run("edited", build)
            _built_page(site, module_id, marker, "polku build after an edit")
        if baselines:
            run("baseline B", mkdocs("build", "-q", "-f", b / "mkdocs.yml"), b / "site")
            sites.setdefault("b", _site(b / "site"))
        if incremental:
            run("unchanged", build)
            _built_page(site, module_id, f"polkubenchedit{number}", "polku build, no change")
            run("forced", [*build, "--force"])
            _built_page(site, module_id, f"polkubenchedit{number}", "polku build --force")
        if isinstance(peer, dict) and baselines:
            for name, command in peer.items():
                for key, project_dir in (("A", a), ("B", b)):
                    run(f"{name} {key}", zensical_build(command, project_dir))
                    _built_page(project_dir / "site", module_id, None, f"{name} build")
        for path in (a / "site", b / "site"):  # large at 5000 modules
            shutil.rmtree(path, ignore_errors=True)

    result = SizeResult(
        size,
        rounds,
        body_words,
        check_cold,
        check,
        best(runs["polku build --no-pdf"]),
        best(runs["baseline A"]) if baselines else None,
        best(runs["baseline B"]) if baselines else None,
        sites,
        edited=best(runs["edited"]) if incremental else None,
        unchanged=best(runs["unchanged"]) if incremental else None,
        forced=best(runs["forced"]) if incremental else None,
        peers={name: best(t) for name, t in runs.items() if name.startswith(PEER_NAMES)},
        peers_skipped=peer if isinstance(peer, str) else None,
        baseline_a_source=a_source,
    )
    log(f"  polku build --no-pdf     {result.build.seconds:7.2f} s")
    for name, timing in (("A", result.baseline_a), ("B", result.baseline_b)):
        if timing is not None:
            ratio = result.build.seconds / timing.seconds
            log(f"  baseline {name} (mkdocs)      {timing.seconds:7.2f} s  {ratio:.2f}×")
    if result.edited and result.unchanged:
        log(f"  after editing a module   {result.edited.seconds:7.2f} s")
        log(f"  nothing changed          {result.unchanged.seconds:7.2f} s")
    if result.forced:
        log(f"  nothing changed, --force {result.forced.seconds:7.2f} s")
    for name, timing in result.peers.items():
        log(f"  {name:<24} {timing.seconds:7.2f} s")
    shutil.rmtree(site, ignore_errors=True)

    if size in options.pdf_sizes:
        missing = unavailable()
        if missing:
            result.workbooks_skipped = missing
        else:
            edit = module_id if options.pdf_every_run else None
            result.workbooks = measure_workbooks(
                project, folder / "pdf", edit, log, single=options.pdf_every_run
            )
    if size in options.serve_sizes:
        result.serve = serve_latency(project, module_id, saves=options.serve_saves)
        log(f"  serve: save to page      {result.serve.seconds:7.2f} s")
    if not options.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return result


PEER_NAMES = tuple(f"{name} " for name in PEERS)


def _peer_commands(peers: list[str]) -> dict[str, list[str]] | str | None:
    """The peer engines' commands; a sentence when one cannot be had; None when none asked."""
    if not peers:
        return None
    commands: dict[str, list[str]] = {}
    for name in peers:
        command = zensical_command()
        if isinstance(command, str):
            return command
        commands[name] = command
    return commands


def copy_project(source: Path, target: Path) -> Path:
    """A copy of a project's sources (no site, caches or virtual environment)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("mkdocs.yml", "curriculum", "docs", "overrides"):
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        elif path.is_file():
            shutil.copy2(path, target / name)
    return target


def measure_real(
    source: Path, work: Path, options: Options, log: Log, *, workbooks: bool, serve: bool
) -> RealResult | None:
    """The live preview and the workbooks of a copy of the real curriculum."""
    if not (source / "curriculum" / "modules").is_dir():
        return None
    project = copy_project(source, work / "real")
    ids = module_ids(project)
    result = RealResult(len(ids))
    module_id = next(
        (m for m in ids if (project / "curriculum" / "modules" / f"{m}.md").is_file()), None
    )
    if serve and module_id is not None:
        result.serve = serve_latency(project, module_id, saves=options.serve_saves)
        log(f"real curriculum: serve, save to page {result.serve.seconds:.2f} s")
    if workbooks:
        missing = unavailable()
        if missing:
            result.workbooks_skipped = missing
        else:
            log("real curriculum: workbooks")
            edit = module_id if options.pdf_every_run else None
            result.workbooks = measure_workbooks(
                project, work / "pdf-real", edit, log, single=options.pdf_every_run
            )
    if not options.keep:
        shutil.rmtree(project, ignore_errors=True)
    return result

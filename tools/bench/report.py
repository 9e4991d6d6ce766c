"""The report: ``docs/benchmarks.md`` with the targets, met or not, and every figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .measure import Timing
from .results import Results
from .suite import SizeResult
from .synth import ACTIVITIES, METHODS, PROGRAMMES, TERMS
from .workbooks import WorkbookResult

GIB = 1024**3


@dataclass
class Target:
    what: str
    goal: str
    measured: str  # the figure, or why there is none
    met: bool | None  # None: not measured


def _at(results: Results, size: int) -> SizeResult | None:
    return next((r for r in results.sizes if r.size == size), None)


def _ratio(value: float) -> str:
    return f"{value:.2f}×"


def _check(
    what: str,
    goal: str,
    value: float | None,
    ok: Callable[[float], bool],
    show: Callable[[float], str],
    missing: str,
) -> Target:
    if value is None:
        return Target(what, goal, f"not measured ({missing})", None)
    return Target(what, goal, show(value), ok(value))


def targets(results: Results) -> list[Target]:
    """Issue 17's targets first, then the earlier ones that are still measured."""
    found: list[Target] = []
    for size in (300, 1000):
        full = _needs(size)
        at = _at(results, size)
        for baseline, name, goal in (("b", "B (hand-written pages)", 1.0), ("a", "A", 1.10)):
            found.append(
                _check(
                    f"`polku build --no-pdf` / baseline {name}, {size} modules",
                    f"≤ {goal:.2f}×",
                    at.ratio(baseline) if at else None,
                    lambda v, goal=goal: v <= goal,
                    _ratio,
                    full,
                )
            )
    small, large = _at(results, 50), _at(results, 1000)
    full = _needs(50, 1000)
    found.append(
        _check(
            "mean HTML bytes of a module page, 1000 modules / 50 modules",
            "≤ 1.30×",
            large.sites["polku"].module_page_bytes / small.sites["polku"].module_page_bytes
            if small and large
            else None,
            lambda v: v <= 1.3,
            _ratio,
            full,
        )
    )
    full = _needs(1000)
    for attribute, label, goal in (
        ("edited", "after editing one module's body", 0.15),
        ("unchanged", "with nothing changed", 0.10),
    ):
        rebuild = getattr(large, attribute) if large else None
        found.append(
            _check(
                f"`polku build --no-pdf` {label} / from scratch, 1000 modules",
                f"≤ {goal:.2f}×",
                rebuild.seconds / large.build.seconds if large and rebuild else None,
                lambda v, goal=goal: v <= goal,
                _ratio,
                full,
            )
        )
    real = results.real
    found.append(
        _check(
            "`polku serve`: module saved → new page served, real curriculum",
            "≤ 0.5 s",
            real.serve.seconds if real and real.serve else None,
            lambda v: v <= 0.5,
            _seconds,
            "the live preview was not measured",
        )
    )
    found.append(
        _check(
            "`polku serve`: the same at 1000 modules",
            "≤ 1.5 s",
            large.serve.seconds if large and large.serve else None,
            lambda v: v <= 1.5,
            _seconds,
            "the live preview at 1000 modules is measured with `--full`",
        )
    )
    real_pdf = real.workbooks if real else None
    found.append(
        _check(
            f"workbook PDFs of the real curriculum, {results.cores} cores",
            "≥ 25 pages/s",
            real_pdf.parallel.pages_per_second if real_pdf else None,
            lambda v: v >= 25,
            lambda v: f"{v:.1f} pages/s",
            "workbooks were not measured",
        )
    )
    huge = _at(results, 5000)
    full = _needs(5000)
    found.append(
        _check(
            "5000 modules: peak memory of any polku command",
            "< 1 GiB",
            huge.polku_peak if huge else None,
            lambda v: v < GIB,
            _mib,
            full,
        )
    )
    found.append(
        _check(
            "5000 modules: build cost per module / at 1000 modules",
            "≤ 1.20×",
            (huge.build.seconds / 5000) / (large.build.seconds / 1000) if huge and large else None,
            lambda v: v <= 1.2,
            _ratio,
            _needs(1000, 5000),
        )
    )
    # the earlier targets, still measured
    # issue 8's targets: at 1000 modules (or the largest size below, in a quick run)
    last = max((r for r in results.sizes if r.size <= 1000), key=lambda r: r.size, default=None)
    last = last or results.sizes[0]
    found.append(
        _check(
            f"`polku check`, files unchanged, {last.size} modules",
            "< 2 s",
            last.check.seconds,
            lambda v: v < 2,
            _seconds,
            "",
        )
    )
    found.append(
        _check(
            f"`polku check`, no parse cache, {last.size} modules",
            "< 2 s",
            last.check_cold.seconds,
            lambda v: v < 2,
            _seconds,
            "",
        )
    )
    pdf = _largest_workbooks(results)
    where = f", {pdf[0]}" if pdf else ""
    speedup = pdf[1].speedup if pdf else None
    found.append(
        _check(
            f"PDFs: {results.cores} cores / one process{where}",
            "≥ 1.70×",
            speedup,
            lambda v: v >= 1.7,
            _ratio,
            "one process is measured with `--full`",
        )
    )
    found.append(
        _check(
            f"PDFs: from scratch / nothing changed{where}",
            "≥ 10×",
            pdf[1].cold_over_unchanged if pdf else None,
            lambda v: v >= 10,
            lambda v: f"{v:.0f}×",
            "workbooks were not measured",
        )
    )
    # the live preview keeps every page's cached results in memory on purpose: not here
    peaks = [r.build_peak for r in results.sizes if r.size <= 1000]  # 5000: its own target
    if real_pdf:
        peaks.append(real_pdf.parallel.timing.peak)
    found.append(
        _check(
            "peak memory of `polku check` and `polku build`, up to 1000 modules",
            "< 1 GiB",
            max(peaks),
            lambda v: v < GIB,
            _mib,
            "",
        )
    )
    return found


def _needs(*sizes: int) -> str:
    counts = " and ".join(str(s) for s in sizes)
    return f"needs {counts} modules: `make bench ARGS=--full`"


def _largest_workbooks(results: Results) -> tuple[str, WorkbookResult] | None:
    """The workbooks with the most pages that were measured with one process too."""
    found = [(f"{r.size} modules", r.workbooks) for r in results.sizes if r.workbooks]
    if results.real and results.real.workbooks:
        found.append(("real curriculum", results.real.workbooks))
    with_single = [f for f in found if f[1].single is not None]
    pool = with_single or found
    return max(pool, key=lambda f: f[1].parallel.pages) if pool else None


# --- formatting -------------------------------------------------------------------------------


def _seconds(value: float) -> str:
    return f"{value:.2f} s"


def _mib(value: float) -> str:
    return f"{value / 1024**2:,.0f} MiB"


def _kib(value: float) -> str:
    return f"{value / 1024:,.0f} KiB"


def _ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _rows(
    results: list[SizeResult], spec: list[tuple[str, Callable[[SizeResult], str | None]]]
) -> str:
    header = ["", *(f"{r.size} modules" for r in results)]
    rows = [[label, *((show(r) or "–") for r in results)] for label, show in spec]
    return table(header, rows)


def _met(target: Target) -> str:
    return {True: "met", False: "**not met**", None: "–"}[target.met]


def write(results: Results, plot: str | None) -> str:
    """The whole page; ``plot`` is the picture's path relative to ``docs/``."""
    sizes = results.sizes
    found = targets(results)
    met = sum(1 for t in found if t.met)
    missed = sum(1 for t in found if t.met is False)
    out = [
        "---",
        "lang: en",  # an English page on a site in another language
        "---",
        "",
        "# Benchmarks",
        "",
        f"Written by `{results.command}` on {results.started}; the run took "
        f"{results.minutes:.0f} min. `make bench` measures 50 and 300 modules in a few "
        "minutes; `make bench ARGS=--full` measures every size, the workbooks and the live "
        "preview (about twenty minutes on 2 idle cores).",
        "",
        f"- machine: **{results.cores} cores** ({results.machine}), "
        f"{results.memory_gib:.0f} GiB memory, Python {results.python}; load average "
        f"{results.load[0]:.1f} at the start and {results.load[1]:.1f} at the end",
        *_reference(results),
        "- " + ", ".join(f"{name} {version}" for name, version in results.versions.items()),
        f"- synthetic curricula: about {sizes[-1].body_words} words of body and {ACTIVITIES} "
        f"activities per module, {PROGRAMMES} programmes, {METHODS} method cards, {TERMS} "
        "glossary terms (`tools/bench/synth.py`)",
        f"- each time is the best of {results.repeat} rounds (one round above 1000 modules); "
        "in a round polku and the baselines alternate; CPU time is user + system of the "
        "command and its child processes; peak memory is the summed proportional set size "
        "(PSS) of the command and all its descendants, sampled every 50 ms: a page a forked "
        "worker shares with its parent counts once (summed RSS would count it twice)",
        "",
        *_busy(results),
        "## Targets",
        "",
        f"{met} met, {missed} not met, {len(found) - met - missed} not measured in this run.",
        "",
        table(
            ["target", "goal", "measured", "result"],
            [[t.what, t.goal, t.measured, _met(t)] for t in found],
        ),
        "",
    ]
    if plot:
        out += [
            f"![Build time and site size against the number of modules]({plot})",
            "",
        ]
    out += _site_section(sizes)
    out += _peer_section(results)
    out += _workbook_section(results)
    out += _serve_section(results)
    return "\n".join(out)


def _reference(results: Results) -> list[str]:
    """The machine's speed, to compare the seconds of this run with another's."""
    start, end = results.reference
    if not start:
        return []
    return [
        f"- the machine's speed: a fixed workload (`tools/bench/reference.py`, Python-Markdown "
        f"converting the same text) took {start:.2f} s at the start and {end:.2f} s at the "
        "end; seconds and pages per second compare with another run's after dividing by it"
    ]


def _busy(results: Results) -> list[str]:
    """A warning when other work shared the machine: then no figure here is the idle one."""
    # the load at the end counts the benchmark's own processes; at the start it is others'
    if results.load[0] <= results.cores / 2:
        return []
    return [
        f"**The machine was busy when this run started** (load average {results.load[0]:.1f} "
        f"on {results.cores} cores). Each command got a fraction of a core: absolute times are "
        "several times what an idle machine gives, and even the ratios of commands run side by "
        "side move with the load. Measure again on an idle machine before reading much into "
        "these figures.",
        "",
    ]


def _site_section(sizes: list[SizeResult]) -> list[str]:
    def ratio(r: SizeResult, baseline: str) -> str | None:
        wall, cpu = r.ratio(baseline), r.cpu_ratio(baseline)
        if wall is None or cpu is None:
            return None
        return f"**{wall:.2f}×** (CPU {cpu:.2f}×)"

    def seconds(timing: Timing | None) -> str | None:
        return _seconds(timing.seconds) if timing is not None else None

    def site(key: str, show: Callable[[float], str], attribute: str) -> Callable:
        return lambda r: show(getattr(r.sites[key], attribute)) if key in r.sites else None

    def each(show: Callable[[Timing], str]) -> Callable[[SizeResult], str]:
        """polku, baseline A and baseline B in one cell."""
        return lambda r: " / ".join(
            show(t) if t is not None else "–" for t in (r.build, r.baseline_a, r.baseline_b)
        )

    def pages(r: SizeResult) -> str:
        return " / ".join(
            str(r.sites[k].pages) if k in r.sites else "–" for k in ("polku", "a", "b")
        )

    build = [
        ("`polku build --no-pdf`, from scratch", lambda r: _seconds(r.build.seconds)),
        ("baseline A: `mkdocs build`, polku's pages", lambda r: seconds(r.baseline_a)),
        ("baseline B: `mkdocs build`, hand-written", lambda r: seconds(r.baseline_b)),
        ("polku / baseline A", lambda r: ratio(r, "a")),
        ("polku / baseline B", lambda r: ratio(r, "b")),
        ("CPU time: polku / A / B", each(lambda t: _seconds(t.cpu))),
        ("peak memory: polku / A / B", each(lambda t: _mib(t.peak))),
        ("HTML pages: polku / A / B", pages),
        ("site size: polku", site("polku", _mib, "total_bytes")),
        ("site size: A", site("a", _mib, "total_bytes")),
        ("site size: B", site("b", _mib, "total_bytes")),
        ("mean module page: polku", site("polku", _kib, "module_page_bytes")),
        ("mean module page: A", site("a", _kib, "module_page_bytes")),
        ("mean module page: B", site("b", _kib, "module_page_bytes")),
    ]
    rebuild = [
        ("after editing one module's body", lambda r: _rebuild(r, r.edited)),
        ("nothing changed (the site is found up to date)", lambda r: _rebuild(r, r.unchanged)),
        ("nothing changed, `--force` (built from the cache)", lambda r: _rebuild(r, r.forced)),
        ("peak memory after the edit", lambda r: _mib(r.edited.peak) if r.edited else None),
    ]
    check = [
        ("no parse cache", lambda r: _seconds(r.check_cold.seconds)),
        ("files unchanged (parse cache)", lambda r: _seconds(r.check.seconds)),
        ("peak memory", lambda r: _mib(max(r.check.peak, r.check_cold.peak))),
    ]
    per_module = [
        ("`polku build --no-pdf`", lambda r: _ms(r.build.seconds / r.size)),
        ("baseline A", lambda r: _ms(r.baseline_a.seconds / r.size) if r.baseline_a else None),
        ("baseline B", lambda r: _ms(r.baseline_b.seconds / r.size) if r.baseline_b else None),
        ("polku's own share (polku − A)", _own_share_per_module),
        ("`polku check`, no cache", lambda r: _ms(r.check_cold.seconds / r.size)),
    ]
    return [
        "## Site",
        "",
        "Baseline A is plain MkDocs + Material building the very Markdown pages polku "
        f"generates ({_baseline_a_source(sizes)}), with the same theme, features, Markdown "
        "extensions, navigation, search and tags plugins, and no polku plugin: what polku "
        "adds to MkDocs. Baseline B is the same "
        "text written by hand as MkDocs pages (`tools/bench/baselines.py`): a page per module "
        "(title, summary, outcomes, body, each activity with its instructions, steps, "
        "prompts, questions and answers, no facilitator notes), per method card and per "
        "programme (its sessions), a glossary page, the same theme, palette, features, "
        "extensions, search and tags plugins, no glossary tooltips and no `nav:`, so that "
        "MkDocs' default navigation lists every page: what polku costs against writing the "
        "site by hand. Every build starts from scratch (no site, no `.cache/`).",
        "",
        *_without_baselines(sizes),
        _rows(sizes, build),
        "",
        "### Rebuilds",
        "",
        "`polku build --no-pdf` again after the build from scratch, with its caches.",
        "",
        _rows(sizes, rebuild),
        "",
        "### `polku check`",
        "",
        _rows(sizes, check),
        "",
        "### Cost per module",
        "",
        _rows(sizes, per_module),
        "",
    ]


def _baseline_a_source(sizes: list[SizeResult]) -> str:
    return next((r.baseline_a_source for r in reversed(sizes) if r.baseline_a_source), "")


def _without_baselines(sizes: list[SizeResult]) -> list[str]:
    skipped = [str(r.size) for r in sizes if r.baseline_a is None]
    if not skipped:
        return []
    return [
        f"At {', '.join(skipped)} modules the baselines were not built (`--baselines-max`): "
        "baseline B's navigation lists every page on every page, so its site grows with the "
        "square of the size (about 9 GiB at 5000 modules).",
        "",
    ]


def _own_share_per_module(r: SizeResult) -> str | None:
    if r.baseline_a is None:
        return None
    return _ms((r.build.seconds - r.baseline_a.seconds) / r.size)


def _rebuild(r: SizeResult, timing: Timing | None) -> str | None:
    if timing is None:
        return None
    return f"{_seconds(timing.seconds)} ({timing.seconds / r.build.seconds:.2f}× from scratch)"


def _peer_section(results: Results) -> list[str]:
    out = ["## Peers", ""]
    if not results.peers:
        return [*out, "Not run (`--peers zensical` builds baselines A and B with Zensical).", ""]
    skipped = next((r.peers_skipped for r in results.sizes if r.peers_skipped), None)
    if skipped:
        return [*out, f"Zensical was not measured: {skipped}.", ""]
    spec = []
    for name in results.peers:
        for key, label in (("A", "a"), ("B", "b")):

            def show(r: SizeResult, name: str = name, key: str = key, label: str = label) -> str:
                timing = r.peers.get(f"{name} {key}")
                if timing is None:
                    return "–"
                plain = r.baseline_a if label == "a" else r.baseline_b
                if plain is None:
                    return _seconds(timing.seconds)
                return f"{_seconds(timing.seconds)} ({timing.seconds / plain.seconds:.2f}× MkDocs)"

            spec.append((f"`{name} build --clean`, baseline {key}", show))
    return [
        *out,
        "The same plugin-free projects built by other engines, in the same rounds.",
        "",
        _rows(results.sizes, spec),
        "",
    ]


def _workbook_section(results: Results) -> list[str]:
    measured = [(f"{r.size} modules", r.workbooks) for r in results.sizes if r.workbooks]
    if results.real and results.real.workbooks:
        measured.append(("real curriculum", results.real.workbooks))
    out = ["## Workbook PDFs", ""]
    if not measured:
        return [*out, "Not measured in this run.", ""]
    cores = results.cores

    def rate(run: object) -> str | None:
        if run is None:
            return None
        return f"{_seconds(run.render_seconds)}, {run.pages_per_second:.1f} pages/s"  # type: ignore[attr-defined]

    spec: list[tuple[str, Callable[[WorkbookResult], str | None]]] = [
        ("PDFs, pages", lambda w: f"{w.parallel.documents}, {w.parallel.pages}"),
        ("render, 1 process", lambda w: rate(w.single)),
        (f"render, {cores} processes", lambda w: rate(w.parallel)),
        ("speed-up", lambda w: _ratio(w.speedup) if w.speedup else None),
        ("stage from scratch", lambda w: _seconds(w.parallel.stage_seconds)),
        ("stage, nothing changed", lambda w: _seconds(w.unchanged.stage_seconds)),
        ("from scratch / nothing changed", lambda w: f"{w.cold_over_unchanged:.0f}×"),
        (
            "stage, one module edited",
            lambda w: (
                f"{_seconds(w.edited.stage_seconds)} "
                f"({w.edited.rendered} of {w.edited.documents} rendered)"
                if w.edited
                else None
            ),
        ),
        ("peak memory, 1 process", lambda w: _mib(w.single.timing.peak) if w.single else None),
        (f"peak memory, {cores} processes", lambda w: _mib(w.parallel.timing.peak)),
    ]
    rows = [[label, *((show(w) or "–") for _, w in measured)] for label, show in spec]
    return [
        *out,
        "The workbook stage alone (print documents, rendering what the cache lacks, copying "
        "the PDFs) in a process of its own, through polku's internals "
        "(`tools/bench/workbooks.py`).",
        "",
        table(["", *(name for name, _ in measured)], rows),
        "",
    ]


def _serve_section(results: Results) -> list[str]:
    measured = [(f"{r.size} modules", r.serve) for r in results.sizes if r.serve]
    if results.real and results.real.serve:
        measured.insert(
            0, (f"real curriculum ({results.real.modules} modules)", results.real.serve)
        )
    out = ["## Live preview", ""]
    if not measured:
        return [*out, "Not measured in this run.", ""]
    rows = [
        [
            name,
            f"**{_seconds(s.seconds)}**",
            ", ".join(f"{v:.2f}" for v in s.saves),
            _seconds(s.startup),
            _mib(s.peak),
        ]
        for name, s in measured
    ]
    return [
        *out,
        "`polku serve`: a module's body saved until the new page is served, polled every "
        "20 ms; saves 3 s apart.",
        "",
        table(
            ["curriculum", "best save", "every save (s)", "first page served", "peak memory"], rows
        ),
        "",
    ]

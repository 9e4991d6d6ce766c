"""The picture of the report: build time and site size against the number of modules."""

from __future__ import annotations

from pathlib import Path

from .results import Results

SERIES = (
    ("polku build --no-pdf", "polku", "build", "#3f51b5", "o"),
    ("baseline A: MkDocs, polku's pages", "a", "baseline_a", "#ef6c00", "s"),
    ("baseline B: MkDocs, hand-written pages", "b", "baseline_b", "#2e7d32", "^"),
)


def draw(results: Results, path: Path) -> bool:
    """Write the SVG to ``path``; False when matplotlib is missing or fewer than 2 sizes."""
    if len(results.sizes) < 2:
        return False
    try:
        import matplotlib
    except ImportError:
        return False
    matplotlib.use("Agg")
    # text as text (readable, searchable, small) and the same ids for the same figures
    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "polku-bench"})
    from matplotlib import pyplot
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    sizes = [r.size for r in results.sizes]
    figure, (times, bytes_) = pyplot.subplots(1, 2, figsize=(10, 4.2), layout="constrained")
    for label, site, timing, colour, marker in SERIES:
        measured = [r for r in results.sizes if getattr(r, timing) is not None]  # baselines: ≤ 1000
        at = [r.size for r in measured]
        seconds = [getattr(r, timing).seconds for r in measured]
        mib = [r.sites[site].total_bytes / 1024**2 for r in measured]
        times.plot(at, seconds, marker=marker, color=colour, label=label)
        bytes_.plot(at, mib, marker=marker, color=colour, label=label)
    plain = FuncFormatter(lambda value, _position: f"{value:g}")
    for axes, title, unit in (
        (times, "Build time from scratch", "seconds (best of the rounds)"),
        (bytes_, "Size of the built site", "MiB"),
    ):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xticks(sizes)
        axes.xaxis.set_major_formatter(plain)
        axes.xaxis.set_minor_formatter(NullFormatter())
        axes.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axes.yaxis.set_major_formatter(plain)
        axes.yaxis.set_minor_formatter(NullFormatter())
        axes.set_xlabel("modules in the curriculum (log scale)")
        axes.set_ylabel(f"{unit} (log scale)")
        axes.set_title(title)
        axes.grid(True, which="both", alpha=0.3)
    handles, labels = times.get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=3, fontsize="small")
    figure.suptitle(f"{results.started}, {results.cores} cores", fontsize="small")
    path.parent.mkdir(parents=True, exist_ok=True)
    # the same bytes for the same figures: no date or random ids in the file
    figure.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight")
    pyplot.close(figure)
    return True

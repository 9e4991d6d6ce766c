"""``python -m bench``: measure, then write the report and its picture."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

from . import plot, reference, report
from .measure import REPO, cores
from .peers import PEERS
from .results import Results, load, load_average, save, versions
from .suite import Options, measure_real, measure_size

QUICK_SIZES = (50, 300)
FULL_SIZES = (50, 300, 1000, 5000)
FULL_PDF_SIZES = (50,)  # 50 modules are about 800 workbook pages
FULL_SERVE_SIZES = (1000,)
CACHE = REPO / ".cache" / "bench"


class Logger:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of numbers like 50,300") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("give module counts of 1 or more, like 50,300")
    return sizes


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure polku against plain MkDocs and write docs/benchmarks.md.",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="every size (50,300,1000,5000), workbooks with one process and all cores, "
        "and the live preview at 1000 modules (about twenty minutes on 2 idle cores)",
    )
    parser.add_argument(
        "--sizes", type=_sizes, default=None, help="module counts, comma-separated (default 50,300)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="rounds per size; the best is kept")
    parser.add_argument(
        "--pdf-sizes", type=_sizes, default=None, help="synthetic sizes whose workbooks to render"
    )
    parser.add_argument(
        "--serve-sizes", type=_sizes, default=None, help="synthetic sizes with a live preview"
    )
    parser.add_argument(
        "--baselines-max",
        type=int,
        default=1000,
        help="largest size the baselines are built at (default 1000; baseline B's site grows "
        "with the square of the size)",
    )
    parser.add_argument("--no-real", action="store_true", help="skip the real curriculum")
    parser.add_argument("--no-pdf", action="store_true", help="render no workbooks at all")
    parser.add_argument(
        "--peers", default="", help=f"other engines to build the baselines with: {', '.join(PEERS)}"
    )
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument(
        "--results", type=Path, default=CACHE / "results.json", help="where to keep the figures"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="write the report from --results, measure nothing",
    )
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    args.peers = [p for p in args.peers.split(",") if p]
    for peer in args.peers:
        if peer not in PEERS:
            parser.error(f"--peers: {peer!r} is not one of {', '.join(PEERS)}")
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    if args.sizes is None:
        args.sizes = list(FULL_SIZES if args.full else QUICK_SIZES)
    if args.pdf_sizes is None:
        args.pdf_sizes = list(FULL_PDF_SIZES) if args.full else []
    if args.serve_sizes is None:
        args.serve_sizes = list(FULL_SERVE_SIZES) if args.full else []
    if args.no_pdf:
        args.pdf_sizes = []
    return args


def measure(args: argparse.Namespace, argv: list[str], log: Logger) -> Results:
    options = Options(
        repeat=args.repeat,
        pdf_sizes=args.pdf_sizes,
        pdf_every_run=args.full,
        serve_sizes=args.serve_sizes,
        peers=args.peers,
        keep=args.keep,
        baselines_max=args.baselines_max,
    )
    command = shlex.join(["python", "-m", "bench", *argv])
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    results = Results(command, stamp, cores(), args.repeat, versions=versions())
    results.peers = args.peers
    start_load, started = load_average(), time.monotonic()
    start_reference = reference.seconds()
    work_context = (
        _kept(args.work) if args.work else tempfile.TemporaryDirectory(prefix="polku-bench-")
    )
    with work_context as work_name:
        work = Path(work_name)
        log(f"bench: {results.cores} cores, load {start_load:.1f}, scratch folder {work}")
        for size in args.sizes:
            results.sizes.append(measure_size(size, work, options, log))
        if not args.no_real:
            results.real = measure_real(
                REPO, work, options, log, workbooks=not args.no_pdf, serve=True
            )
    results.load = (start_load, load_average())
    results.reference = (start_reference, reference.seconds())
    results.minutes = (time.monotonic() - started) / 60
    return results


class _kept:
    """A scratch folder the caller named: made if missing, left in place afterwards."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> str:
        self.path.mkdir(parents=True, exist_ok=True)
        return str(self.path)

    def __exit__(self, *exc: object) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    log = Logger(args.quiet)
    if args.report_only:
        results = load(args.results)
    else:
        results = measure(args, argv, log)
        save(results, args.results)
        log(f"bench: figures kept in {args.results}")
    picture = args.out.with_name(args.out.stem + ".svg")
    drawn = plot.draw(results, picture)
    if not drawn and picture.exists():
        os.remove(picture)  # a stale picture of another run would mislead
    text = report.write(results, picture.name if drawn else None)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, "utf-8")
    if not args.quiet:
        print(text)
    log(f"bench: wrote {args.out}" + (f" and {picture}" if drawn else ""))
    return 0

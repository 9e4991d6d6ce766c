"""Benchmark of ``polku packs``: welcome packs for many new hires at once.

``python tools/bench/packs.py [--people 100] [--root .]`` writes a people file of
synthetic new hires (names with Finnish and Swedish letters, start dates spread
over a year, each programme of the curriculum), runs the packs into a scratch
folder and prints the wall time, the processor time of this process and of the
PDF processes, the pages and the machine's load. ``--json FILE`` also writes the
figures as JSON for the benchmark report. The target: 100 people in under a
minute on two cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TARGET_SECONDS = 60.0
TARGET_PEOPLE = 100
FIRST_NAMES = ("Anna", "Åsa", "Jussi", "Päivi", "Ümit", "Björn", "Mikko", "Sanna", "Eeva", "Jörg")
LAST_NAMES = ("Virtanen", "Äijälä", "Öhman", "Mäkinen", "Korhonen", "Nieminen", "Lindqvist")


def people_file(path: Path, programmes: list[str], count: int) -> Path:
    """``count`` people, each once, spread over the programmes and a year of Mondays."""
    first_monday = dt.date(2027, 1, 4)
    lines = ["name,programme,start_date,mentor,location,email"]
    for number in range(count):
        name = (
            f"{FIRST_NAMES[number % len(FIRST_NAMES)]} "
            f"{LAST_NAMES[(number // len(FIRST_NAMES)) % len(LAST_NAMES)]} {number + 1}"
        )
        start = first_monday + dt.timedelta(weeks=number % 52)
        programme = programmes[number % len(programmes)]
        lines.append(
            f"{name},{programme},{start.isoformat()},Mentori {number % 7 + 1},"
            f"Toimipiste {number % 3 + 1},henkilo{number + 1}@example.fi"
        )
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def measure(root: Path, count: int, work: Path) -> dict[str, Any]:
    """Run ``polku packs`` for ``count`` people of the project in ``root``; the figures."""
    from polku.check import check
    from polku.packs import make_packs
    from polku.project import Project

    project = Project.load(root, require_plugin=False)
    curriculum, report = check(project.root, project.options.curriculum_dir)
    if report.errors:
        raise SystemExit(f"the curriculum of {root} has errors; run polku check")
    programmes = [p.id for p in curriculum.programmes.values() if p.phases]
    people = people_file(work / "people.csv", programmes, count)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    own_before = time.process_time()
    started = time.perf_counter()
    result = make_packs(project, people, work / "packs")
    seconds = time.perf_counter() - started
    own = time.process_time() - own_before
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    pdf_cpu = (children.ru_utime - children_before.ru_utime) + (
        children.ru_stime - children_before.ru_stime
    )
    if not result.written or result.pdf is None:
        raise SystemExit("\n".join(str(d) for d in result.report.items) or "no pack written")
    return {
        "people": count,
        "programmes": programmes,
        "pages": sum(r.pages for r in result.pdf.results),
        "seconds": round(seconds, 2),
        "processor_seconds": round(own + pdf_cpu, 2),
        "pdf_processes": result.pdf.workers,
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "load_average_at_start": round(load, 2) if load is not None else None,
        "target_seconds": TARGET_SECONDS * count / TARGET_PEOPLE,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def summary(figures: dict[str, Any]) -> str:
    within = figures["seconds"] <= figures["target_seconds"]
    return (
        f"polku packs: {figures['people']} people, {figures['pages']} pages in "
        f"{figures['seconds']:.1f} s with {figures['pdf_processes']} PDF processes on "
        f"{figures['cores']} cores ({figures['processor_seconds']:.1f} s of processor time; "
        f"load average {figures['load_average_at_start']} at the start); target "
        f"{figures['target_seconds']:.0f} s: {'met' if within else 'missed'}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO, help="the project (default: this one)")
    parser.add_argument("--people", type=int, default=TARGET_PEOPLE)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="polku-bench-packs-") as scratch:
        figures = measure(args.root.resolve(), args.people, Path(scratch))
    print(summary(figures))
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

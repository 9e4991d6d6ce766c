"""Load and validate a curriculum in one step."""

from __future__ import annotations

from pathlib import Path

from .curriculum import Curriculum
from .diagnostics import Report
from .loader import load
from .perf import without_cycle_collection
from .validate import validate


def check(root: Path, curriculum_dir: str = "curriculum") -> tuple[Curriculum, Report]:
    """Load everything under ``root/curriculum_dir`` and apply every rule."""
    report = Report()
    with without_cycle_collection():
        curriculum = load(root, report, curriculum_dir)
        _check_assets_folder(curriculum, report, curriculum_dir)
        validate(curriculum, report)
    return curriculum, report


def _check_assets_folder(curriculum: Curriculum, report: Report, curriculum_dir: str) -> None:
    """``assets/`` is published whole, so it must not be a link that leads out of the curriculum.

    (A build would otherwise walk whatever it leads to: the whole disk for a link to '/'.)
    """
    assets = curriculum.curriculum_dir / "assets"
    if not assets.is_symlink():
        return
    rel = f"{curriculum_dir}/assets"
    try:
        target = assets.resolve(strict=True)
    except (OSError, RuntimeError):  # a loop, or a link to nothing: there is nothing to publish
        return
    if not target.is_relative_to(curriculum.curriculum_dir):
        report.error(
            rel,
            1,
            1,
            f"a symbolic link to '{target}', outside curriculum/; polku publishes only files "
            "inside curriculum/, so make assets/ a real folder and copy the files into it",
        )

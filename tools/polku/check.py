"""Load and validate a curriculum in one step."""

from __future__ import annotations

from pathlib import Path

from .curriculum import Curriculum
from .diagnostics import Report
from .perf import without_cycle_collection
from .reading import load
from .validate import validate


def check(root: Path, curriculum_dir: str = "curriculum") -> tuple[Curriculum, Report]:
    """Load everything under ``root/curriculum_dir`` and apply every rule."""
    report = Report()
    with without_cycle_collection():
        curriculum = load(root, report, curriculum_dir)
        validate(curriculum, report)
    return curriculum, report

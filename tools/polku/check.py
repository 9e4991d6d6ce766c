"""Load and validate a curriculum in one step."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .curriculum import Curriculum
from .diagnostics import Report
from .loader import load
from .rules import validate


def check(root: Path, curriculum_dir: str = "curriculum") -> tuple[Curriculum, Report]:
    """Load everything under ``root/curriculum_dir`` and apply every rule."""
    report = Report()
    with _without_cycle_collection():
        curriculum = load(root, report, curriculum_dir)
        validate(curriculum, report)
    return curriculum, report


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a curriculum is read.

    Reading makes a great many small objects that form no reference cycles, so
    reference counting frees whatever is dropped; the collector would only scan
    the growing curriculum again and again (half the time of a large check).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

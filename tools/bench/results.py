"""All figures of one run, kept as JSON so that the report can be written again from them."""

from __future__ import annotations

import contextlib
import json
import os
import platform
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

import psutil
from pydantic import TypeAdapter

from .suite import RealResult, SizeResult

PACKAGES = ("polku", "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "weasyprint")


@dataclass
class Results:
    command: str
    started: str  # UTC
    cores: int
    repeat: int
    machine: str = field(default_factory=platform.machine)
    memory_gib: float = field(default_factory=lambda: psutil.virtual_memory().total / 1024**3)
    python: str = field(default_factory=platform.python_version)
    versions: dict[str, str] = field(default_factory=dict)
    load: tuple[float, float] = (0.0, 0.0)  # one-minute load average at the start and end
    # seconds of the fixed workload of bench.reference at the start and end (0: not run)
    reference: tuple[float, float] = (0.0, 0.0)
    minutes: float = 0.0  # the whole run
    peers: list[str] = field(default_factory=list)
    sizes: list[SizeResult] = field(default_factory=list)
    real: RealResult | None = None


def versions() -> dict[str, str]:
    found = {}
    for package in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    return found


def load_average() -> float:
    return os.getloadavg()[0]


def save(results: Results, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(results), indent=1, ensure_ascii=False), "utf-8")


def load(path: Path) -> Results:
    return TypeAdapter(Results).validate_json(path.read_text("utf-8"))

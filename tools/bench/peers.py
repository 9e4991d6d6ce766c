"""Other site engines built on the same pages as the baselines (``--peers zensical``).

Zensical reads ``mkdocs.yml`` but runs no MkDocs plugins, so it builds the baselines'
plugin-free projects, not polku's. It lives in its own virtual environment under
``.cache/bench/``: 0.0.73 is the newest release whose dependencies install here (later
ones pin a ``zensical-ui`` the package index does not serve).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .measure import REPO

ZENSICAL = "zensical==0.0.73"
PEERS = ("zensical",)


def zensical_command(cache: Path = REPO / ".cache" / "bench") -> list[str] | str:
    """The ``zensical`` program in its own virtual environment (installed when missing).

    Returns the command, or why it cannot be had.
    """
    venv = cache / "zensical"
    program = venv / "bin" / "zensical"
    stamp = venv / f".installed-{ZENSICAL}"
    if not stamp.is_file():
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(venv)],
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", ZENSICAL],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True)
            if done.returncode != 0:
                last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
                return f"{ZENSICAL} could not be installed: {last[0]}"
        stamp.touch()
    if not program.is_file():
        return f"{ZENSICAL} installed no zensical program"
    return [str(program)]


def zensical_build(command: list[str], project: Path) -> list[str]:
    """A full build from scratch of the plain MkDocs project in ``project``."""
    return [*command, "build", "--clean", "--config-file", str(project / "mkdocs.yml")]

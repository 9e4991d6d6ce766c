"""Running a command and measuring it: wall time, CPU time, peak memory of its process tree."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

# tools/, so that ``python -m bench.…`` works in the processes the benchmark starts
TOOLS = Path(__file__).resolve().parent.parent
REPO = TOOLS.parent

# where progress lines go
Log = Callable[[str], None]


@dataclass
class Timing:
    """What is kept of one timed command (or the best of several)."""

    seconds: float  # wall time
    cpu: float  # user + system seconds of the command and the child processes it waited for
    peak: int  # bytes: the highest summed PSS of the command and all its descendants

    @property
    def per_second(self) -> float:
        return 1 / self.seconds if self.seconds else 0.0


@dataclass
class Run:
    """One finished command with its output."""

    timing: Timing
    returncode: int
    stdout: str = ""
    stderr: str = ""

    def check(self, what: str) -> Run:
        if self.returncode != 0:
            tail = "\n".join((self.stdout + self.stderr).splitlines()[-30:])
            raise SystemExit(f"bench: {what} failed (exit {self.returncode}):\n{tail}")
        return self


class TreeMemory:
    """Samples the memory of a process and all its descendants in a thread.

    Memory is the proportional set size (PSS, Linux): a page that forked workers share
    with their parent counts once, split between them. Summed RSS would count it in
    every process, so a build that forks a worker would seem to need twice its memory.
    Where PSS cannot be read, RSS is summed.
    """

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.proportional = True  # every sample was PSS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            total = 0
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.Error:
                processes = [root]
            for process in processes:
                with contextlib.suppress(psutil.Error):
                    pss = proportional_size(process.pid)
                    if pss is None:
                        self.proportional = False
                        pss = process.memory_info().rss
                    total += pss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)


def proportional_size(pid: int) -> int | None:
    """The PSS of a process in bytes, from /proc/PID/smaps_rollup; None where unreadable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def environment() -> dict[str, str]:
    """This environment with tools/ on the module path, for ``python -m bench.…``."""
    env = dict(os.environ)
    paths = [str(TOOLS), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


def timed(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to its end; its wall and CPU time and the peak RSS of its tree."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=err,
            text=True,
            encoding="utf-8",
        )
        with TreeMemory(process.pid) as memory:
            _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak = memory.peak
        if not memory.proportional:  # a peak between two samples, of the largest process
            peak = max(peak, usage.ru_maxrss * 1024)
        timing = Timing(seconds, usage.ru_utime + usage.ru_stime, peak)
        return Run(timing, process.returncode, out.read(), err.read())


def best(timings: list[Timing]) -> Timing:
    """The fastest of repeated runs, with the highest peak memory seen in any of them."""
    fastest = min(timings, key=lambda t: t.seconds)
    return Timing(fastest.seconds, min(t.cpu for t in timings), max(t.peak for t in timings))


def polku(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "polku", *map(str, args)]


def mkdocs(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *map(str, args)]


def folder_bytes(folder: Path) -> int:
    """The summed size of every file under ``folder``."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def module_pages(site: Path) -> list[Path]:
    """The HTML page of every module in a built site (``modules/<id>/index.html``)."""
    return sorted(site.glob("modules/*/index.html"))


def mean_bytes(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / len(paths) if paths else 0.0


def cores() -> int:
    return len(os.sched_getaffinity(0))

"""Where a build's time goes: ``python -m bench.phases build --root DIR --no-pdf``.

Runs a polku command in this process with a timer around each of the build's main
steps and prints the wall time each took in total (steps nest: ``prepare`` holds
the rendering, ``MkDocsEngine.build`` the conversions and page writing). No
profiler, so the times are the build's own; steps that run in forked workers are
timed in the process that waits for them.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import sys
import time
from collections.abc import Callable
from typing import Any

# (module, attribute path) of each step, in the order they run; the check first, so that
# the modules importing it by name are imported after it is wrapped
STEPS = (
    ("polku.check", "check"),
    ("polku.build", "schedule_files"),
    ("polku.render.author", "AuthorMarkdown.convert_all"),
    ("polku.render.site", "SiteRenderer.outputs"),
    ("polku.build", "prepare"),
    ("polku.mkdocs.page_cache", "PageCache.convert_all"),
    ("polku.mkdocs.page_cache", "PageCache._build_all"),
    ("polku.mkdocs.page_cache", "PageCache.wait_for_pages"),
    ("mkdocs.commands.build", "_populate_page"),
    ("mkdocs.structure.files", "Files.copy_static_files"),
    ("polku.mkdocs.engine", "MkDocsEngine.build"),
    ("polku.build", "finish"),
    ("polku.store", "FileStore.get"),
    ("polku.store", "FileStore.put"),
    ("polku.parallel", "map_plain"),
)


def timed_steps() -> dict[str, float]:
    """Wrap every step with a timer; the returned dict fills as they run."""
    seconds: dict[str, float] = {}
    for module_name, path in STEPS:
        owner: Any = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        setattr(owner, name, _timer(getattr(owner, name), path, seconds))
    return seconds


def _timer(function: Callable[..., Any], path: str, seconds: dict[str, float]) -> Any:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[path] = seconds.get(path, 0.0) + time.perf_counter() - started

    return timed


def report(seconds: dict[str, float], total: float) -> str:
    lines = [f"{'total':<32} {total:8.2f} s"]
    lines += [f"  {path:<30} {seconds[path]:8.2f} s" for _m, path in STEPS if path in seconds]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    seconds = timed_steps()
    started = time.perf_counter()
    atexit.register(lambda: print(report(seconds, time.perf_counter() - started), file=sys.stderr))
    from polku import cli

    # the command line ends the process at once after a build; let atexit run
    cli.exit_at_once = sys.exit  # type: ignore[assignment]
    sys.argv = ["polku", *argv]
    cli.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Whether a published site is still what the project's files build.

``polku build`` notes, once a site is published, what it was built from (every file of
the project, polku's own files, the installed packages, the settings) and what it
published (every file of the site). When neither has changed since, the next
``polku build`` leaves the site as it is and says so, in a fraction of a second
instead of a build: the site is byte for byte what a build would write again.

Files are compared by size and modification time, as ``make`` and Git do. A file
changed within the file system's clock resolution of the moment its state was noted
could keep both; such files (changed within :data:`RACY_SECONDS` of that moment) are
compared by content as well. Anything the note cannot vouch for means a build:
a missing or unreadable note, a site that was edited, a build that logged warnings.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import __version__
from .project import Project
from .site_dir import MARKER

# changes closer together than this may share a modification time on some file systems
RACY_SECONDS = 3
# folders of a project that are not its inputs: tools' caches, environments, version control
_NOT_INPUTS = frozenset({"__pycache__", "node_modules", "site-packages", "dist-packages"})
_RECORDS = "published"


@dataclass(frozen=True)
class Inputs:
    """What a build reads, noted before it reads anything."""

    digest: str  # empty when some input could not be noted (a linked folder, say)
    # files changed just before they were noted: path → digest of their content
    racy: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Record:
    """A published site and what it was built from."""

    inputs: Inputs
    site: str
    lines: list[str]  # what the build printed of the curriculum's problems


def inputs(project: Project) -> Inputs:
    """The state of everything a build of ``project`` reads, as one digest."""
    now = time.time_ns()
    digest = hashlib.sha256()
    racy: dict[str, str] = {}

    def note(path: str, stat: os.stat_result) -> None:
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        if stat.st_mtime_ns >= now - RACY_SECONDS * 1_000_000_000:
            racy[path] = _content(path)

    digest.update(json.dumps(_settings(project), sort_keys=True, default=str).encode())
    # the cache (.cache/) is hidden, so never walked; the site folder may be anywhere
    skipped = {project.site_dir} if project.site_dir is not None else set()
    sources = [p for p in (*project.source_dirs, *_config_paths(project)) if p.exists()]
    complete = all([_walk(folder, note, skip=skipped, sources=True) for folder in sources])
    _walk(project.root, note, skip={*skipped, *sources}, sources=False)
    complete &= _walk(Path(__file__).parent, note, skip=set(), sources=True)  # polku itself
    digest.update("\n".join(_distributions()).encode())
    return Inputs(digest.hexdigest() if complete else "", racy)


def site_digest(site_dir: Path) -> str | None:
    """Every file of a published site by path, size and modification time; None if absent."""
    if not site_dir.is_dir():
        return None
    digest = hashlib.sha256()

    def note(path: str, stat: os.stat_result) -> None:
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode())

    # every file the site holds counts: none of its folders is pruned
    if not _walk(site_dir, note, skip=set(), sources=True, prune=False):
        return None
    return digest.hexdigest()


def unchanged(project: Project, state: Inputs) -> Record | None:
    """The record of the published site when nothing has changed since it was built."""
    assert project.site_dir is not None
    try:
        data = json.loads(_record_path(project).read_text("utf-8"))
        record = Record(Inputs(**data["inputs"]), data["site"], list(data["lines"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not state.digest or record.inputs.digest != state.digest:
        return None
    for path, content in record.inputs.racy.items():
        try:
            if _content(path) != content:
                return None
        except OSError:
            return None
    if record.site != site_digest(project.site_dir):
        return None
    return record


def remember(project: Project, state: Inputs, lines: list[str]) -> None:
    """Note that the site in ``project.site_dir`` is what ``state`` builds."""
    assert project.site_dir is not None
    site = site_digest(project.site_dir)
    if site is None or not state.digest:  # something the note cannot vouch for
        return
    path = _record_path(project)
    data = {"inputs": asdict(state), "site": site, "lines": lines}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(data), "utf-8")
        partial.replace(path)
    except OSError:  # the note is only a shortcut: without it the next build builds
        forget(project)


def forget(project: Project) -> None:
    """Drop the note, so that the next build builds."""
    assert project.site_dir is not None
    with suppress(OSError):
        _record_path(project).unlink(missing_ok=True)


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def counting_warnings() -> Iterator[_Counter]:
    """Count the warnings logged in the block (MkDocs' logger does not pass them on)."""
    counter = _Counter()
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
    for logger in loggers:
        logger.addHandler(counter)
    try:
        yield counter
    finally:
        for logger in loggers:
            logger.removeHandler(counter)


# --- what a build reads ---------------------------------------------------------------------


def _settings(project: Project) -> dict[str, object]:
    """The settings and surroundings that shape a build besides the project's files."""
    return {
        "polku": __version__,
        "python": sys.version,
        "executable": sys.executable,
        "working_folder": os.getcwd(),  # MkDocs extensions may read files relative to it
        "root": str(project.root),
        "site_dir": str(project.site_dir),
        "docs_dir": str(project.docs_dir),
        "options": asdict(project.options),
        "use_directory_urls": project.use_directory_urls,
        "site_url": project.site_url,
        "config": project.config,
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH"),
    }


def _config_paths(project: Project) -> list[Path]:
    """Files and folders mkdocs.yml names that may lie outside the project folder."""
    config = project.config
    named: list[object] = [config.get("INHERIT")]
    theme = config.get("theme")
    if isinstance(theme, dict):
        named.append(theme.get("custom_dir"))
    hooks = config.get("hooks")
    if isinstance(hooks, list):
        named.extend(hooks)
    base = project.config_file.parent if project.config_file else project.root
    return [(base / str(name)).resolve() for name in named if isinstance(name, str) and name]


def _walk(
    folder: Path,
    note: Callable[[str, os.stat_result], None],
    *,
    skip: set[Path],
    sources: bool,
    prune: bool = True,
) -> bool:
    """Call ``note(path, stat)`` for every file under ``folder``, in a stable order.

    In ``sources`` (the folders a build reads) every name counts, and a linked folder
    or one that cannot be read makes the walk incomplete (returns False): their files
    could change unseen. Elsewhere in the project, names starting with a dot (version
    control, caches, polku's staging folders), linked and unreadable folders are not
    inputs. ``prune``: leave out folders that are no inputs (:func:`_not_inputs`).
    Paths are handled as text: a site's thousands of files made pathlib's objects a
    good part of the walk.
    """
    if folder.is_file():
        note(str(folder), folder.stat())
        return True
    skipped = {str(path) for path in skip}
    return _walk_folder(str(folder), note, skipped, sources, prune)


def _walk_folder(
    folder: str,
    note: Callable[[str, os.stat_result], None],
    skip: set[str],
    sources: bool,
    prune: bool,
) -> bool:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return not sources
    complete = True
    for entry in entries:
        if (not sources and entry.name.startswith(".")) or entry.name in _NOT_INPUTS:
            continue
        path = entry.path
        try:
            if entry.is_dir(follow_symlinks=False):
                if path not in skip and not (prune and _not_inputs(path)):
                    complete &= _walk_folder(path, note, skip, sources, prune)
            elif entry.is_symlink():
                if entry.is_dir():
                    complete &= not sources
                else:  # a linked file: the link and the file it leads to
                    note(f"{path}\0{os.readlink(path)}", entry.stat())
            elif entry.is_file() and not entry.name.endswith(".pyc"):
                note(path, entry.stat())
        except OSError:  # gone, unreadable, a link leading nowhere
            complete &= not sources
    return complete


def _not_inputs(folder: str) -> bool:
    """A site polku built (into another folder than this build's) or a Python environment."""
    return os.path.exists(os.path.join(folder, MARKER)) or os.path.exists(
        os.path.join(folder, "pyvenv.cfg")
    )


def _distributions() -> list[str]:
    """The installed packages and their versions, from the names of their metadata folders."""
    names: list[str] = []
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")) and os.path.isdir(entry):
            names.extend(sorted(n for n in os.listdir(entry) if n.endswith(".dist-info")))
    return names


def _content(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def _record_path(project: Project) -> Path:
    assert project.site_dir is not None
    name = hashlib.sha256(str(project.site_dir).encode()).hexdigest()[:16]
    return project.cache_dir / _RECORDS / f"{name}.json"

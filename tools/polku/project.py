"""A project's settings, read once from ``mkdocs.yml`` and the polku plugin's options.

Every command (``check``, ``build``, ``serve``, ``export``, ``packs``) and the
MkDocs plugin start from a :class:`Project`, so an option such as
``curriculum_dir`` means the same everywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = "mkdocs.yml"
PLUGIN = "polku"
CALENDAR_TASKS = ("events", "todos", "both")


class ProjectError(Exception):
    """The project's settings cannot be read; the message says where and why."""


@dataclass(frozen=True)
class Options:
    """The polku plugin's options (``plugins: - polku: {...}`` in mkdocs.yml)."""

    curriculum_dir: str = "curriculum"
    # PDF workbooks: made by builds unless false; the live preview makes them only when true
    pdf: bool | None = None
    fillable: bool = False
    atomic: bool = True
    # a site that works opened from the file system (file://), search included
    offline: bool = False
    # checklist deadlines in calendars: all-day events, to-dos, or both
    calendar_tasks: str = "events"


@dataclass(frozen=True)
class Project:
    """Where a project's parts are and how its site is built."""

    root: Path
    config_file: Path | None = None
    options: Options = field(default_factory=Options)
    docs_dir: Path | None = None
    site_dir: Path | None = None
    site_name: str = ""
    site_author: str | None = None
    site_url: str | None = None
    use_directory_urls: bool = True
    # mkdocs.yml as written (plain data), for the engine and for export
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def curriculum_dir(self) -> Path:
        return (self.root / self.options.curriculum_dir).resolve()

    @property
    def cache_dir(self) -> Path:
        """polku's own working files; safe to delete, never published."""
        return self.root / ".cache" / "polku"

    @property
    def source_dirs(self) -> list[Path]:
        """Folders a build reads and never writes into."""
        found = [self.curriculum_dir]
        if self.docs_dir is not None:
            found.append(self.docs_dir)
        overrides = self.root / "overrides"
        if overrides.is_dir():
            found.append(overrides)
        return found

    def with_options(self, **changes: Any) -> Project:
        return replace(self, options=replace(self.options, **changes))

    def with_site_dir(self, site_dir: Path) -> Project:
        return replace(self, site_dir=site_dir.resolve())

    def pdf_enabled(self, command: str = "build") -> bool:
        """Workbooks are made unless ``pdf: false``; the live preview needs ``pdf: true``."""
        if self.options.pdf is None:
            return command != "serve"
        return self.options.pdf

    @classmethod
    def load(cls, root: Path, *, require_plugin: bool = True) -> Project:
        """The project in ``root``.

        Without ``require_plugin`` (``polku check``), a project with no mkdocs.yml or one
        that does not enable the plugin gets the default options.
        """
        root = root.resolve()
        config_file = root / CONFIG_FILE
        if not config_file.is_file():
            if require_plugin:
                raise ProjectError(
                    f"{CONFIG_FILE}:1:1: error: no mkdocs.yml in {root}; "
                    "run 'polku init' or pass --root"
                )
            return cls(root=root, docs_dir=root / "docs", site_dir=root / "site")
        config = read_config(config_file)
        try:
            options = plugin_options(config, config_file)
        except ProjectError:
            if require_plugin:
                raise
            options = {}
        return cls.from_config(root, config_file, config, options)

    @classmethod
    def from_config(
        cls,
        root: Path,
        config_file: Path | None,
        config: dict[str, Any],
        options: dict[str, Any],
        **settings: Any,
    ) -> Project:
        """A project from mkdocs.yml's settings and the plugin's options."""
        known = {f for f in Options.__dataclass_fields__}
        chosen = Options(**{k: v for k, v in options.items() if k in known})
        if chosen.calendar_tasks not in CALENDAR_TASKS:
            raise ProjectError(
                f"{config_file or CONFIG_FILE}:1:1: error: calendar_tasks must be one of "
                f"{', '.join(CALENDAR_TASKS)}, not '{chosen.calendar_tasks}'"
            )
        values: dict[str, Any] = {
            "docs_dir": root / str(config.get("docs_dir") or "docs"),
            "site_dir": root / str(config.get("site_dir") or "site"),
            "site_name": str(config.get("site_name") or ""),
            "site_author": config.get("site_author") or None,
            "site_url": config.get("site_url") or None,
            "use_directory_urls": bool(config.get("use_directory_urls", True)),
        }
        values.update(settings)
        if material_offline(config):
            chosen = replace(chosen, offline=True)
        if chosen.offline:  # pages opened from files: links name files, not folders
            values["use_directory_urls"] = False
        for name in ("docs_dir", "site_dir"):
            values[name] = Path(values[name]).resolve()
        return cls(root=root, config_file=config_file, options=chosen, config=config, **values)


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as plain data: ``!ENV`` resolved, Python names kept as text."""


def _env(loader: _ConfigLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        values = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = values[:-1], values[-1] if len(values) > 1 else None
    for name in names:
        if str(name) in os.environ:
            return yaml.safe_load(os.environ[str(name)])
    return default


def _tagged(loader: _ConfigLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_constructor("!relative", lambda loader, node: loader.construct_scalar(node))
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)
_ConfigLoader.add_multi_constructor("!", _tagged)


def read_config(path: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data (located error when it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{path.name}:1:1: error: cannot read {path}: {exc}") from None
    try:
        data = yaml.load(text, Loader=_ConfigLoader)  # a safe loader: plain data only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProjectError(
            f"{path.name}:{line}:{column}: error: {problem}; fix the YAML of mkdocs.yml"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ProjectError(f"{path.name}:1:1: error: mkdocs.yml must hold 'key: value' settings")
    return data


def _plugins(config: dict[str, Any]) -> list[tuple[str, Any]]:
    """(name, options) of every plugin listed in mkdocs.yml."""
    plugins = config.get("plugins")
    entries: list[tuple[str, Any]] = []
    if isinstance(plugins, list):
        for entry in plugins:
            if isinstance(entry, str):
                entries.append((entry, None))
            elif isinstance(entry, dict):
                entries.extend(entry.items())
    elif isinstance(plugins, dict):
        entries.extend(plugins.items())
    return entries


def material_offline(config: dict[str, Any]) -> bool:
    """Whether Material's offline plugin is on: the site must then work from files."""
    for name, options in _plugins(config):
        if name in ("offline", "material/offline"):
            return not (isinstance(options, dict) and options.get("enabled") is False)
    return False


def plugin_options(config: dict[str, Any], config_file: Path | None = None) -> dict[str, Any]:
    """The polku plugin's options in ``plugins:``; raises when the plugin is not enabled."""
    for name, options in _plugins(config):
        if name == PLUGIN:
            return dict(options) if isinstance(options, dict) else {}
    name = config_file.name if config_file else CONFIG_FILE
    raise ProjectError(
        f"{name}:1:1: error: the polku plugin is not enabled; add '- polku' under 'plugins:'"
    )

"""MkDocs as the site engine of ``polku build``: the prepared pages in, HTML out."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from ..build import BuildError, Prepared
from ..project import Project
from ..render import navigation
from . import offline
from .config_file import standalone_config, uses_polkus_templates
from .theme import THEME_TEMPLATES

log = logging.getLogger("mkdocs.plugins.polku")


class MkDocsEngine:
    """Builds the pages of a prepared project with MkDocs and Material for MkDocs."""

    def __init__(self, project: Project) -> None:
        self.project = project

    def build(self, prepared: Prepared, site_dir: Path) -> set[str]:
        """Write the site's pages (and the files MkDocs copies) into ``site_dir``.

        Returns the paths of the outputs MkDocs wrote; the build writes the rest.
        """
        assert self.project.config_file is not None
        try:
            config = load_config(str(self.project.config_file), site_dir=str(site_dir))
        except ConfigurationError as exc:
            raise BuildError(f"{self.project.config_file.name}:1:1: error: {exc}") from None
        plugin = config.plugins.get("polku")
        if plugin is None:
            raise BuildError(
                f"{self.project.config_file.name}:1:1: error: the polku plugin is not enabled; "
                "add '- polku' under 'plugins:'"
            )
        plugin.prepared = prepared  # type: ignore[attr-defined]
        plugin.driven = True  # type: ignore[attr-defined]
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        except (Abort, PluginError) as exc:
            raise BuildError(f"the site could not be built: {exc}") from None
        finally:
            config.plugins.on_shutdown()
        return set(plugin.engine_files)  # type: ignore[attr-defined]

    def post_process(self, prepared: Prepared, site_dir: Path) -> None:
        post_process(prepared, site_dir)

    def write_theme(self, prepared: Prepared, folder: Path) -> None:
        """polku's versions of Material's templates, and the project's own overrides over
        them, into ``folder`` (an exported tree's ``custom_dir``), if there are any."""
        project = prepared.project
        if uses_polkus_templates(project.config.get("theme", "mkdocs")):
            shutil.copytree(THEME_TEMPLATES, folder, dirs_exist_ok=True)
        overrides = project.root / "overrides"
        if overrides.is_dir():
            shutil.copytree(overrides, folder, dirs_exist_ok=True)

    def standalone_config(self, prepared: Prepared) -> dict[str, Any]:
        project = prepared.project
        docs_pages = navigation.docs_pages_of(project.docs_dir) if project.docs_dir else []
        return standalone_config(
            project.config,
            prepared.navigation,
            prepared.language,
            docs_pages=docs_pages,
            offline=project.options.offline,
        )


def post_process(prepared: Prepared, site_dir: Path) -> None:
    """What the finished site needs after every file is in place."""
    if prepared.project.options.offline:
        offline.inline_search_index(site_dir)

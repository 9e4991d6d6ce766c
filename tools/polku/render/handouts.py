"""Handouts on the site: a printable page for each Markdown handout, links to the
published file of each ready-made one, and an index for the people who run sessions.

A handout is ``curriculum/handouts/<id>.yml``: Markdown that polku prints (``body``
or a sibling ``<id>.md``) or a ``file`` under ``curriculum/assets/``, which the site
publishes as it is. Activities list the handouts they use; facilitator session pages
link them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from .. import paths
from ..model import Activity, Handout
from .markup import front_matter
from .output import Output

if TYPE_CHECKING:
    from .site import SiteRenderer


@dataclass(frozen=True)
class HandoutLink:
    """A handout as a page lists it: where it opens, and who gets how many copies."""

    handout: Handout
    url: str  # "" when a file handout's file is not published
    is_file: bool

    @property
    def title(self) -> str:
        return self.handout.title


def published_file(handout: Handout) -> str | None:
    """The site path of a file handout's file (``file`` is relative to its YAML file)."""
    if not handout.file:
        return None
    path = posixpath.normpath(posixpath.join("handouts", handout.file))
    return None if path.startswith("..") else path


def handout_link(site: SiteRenderer, handout: Handout, page: str) -> HandoutLink:
    file = published_file(handout)
    if file is not None:
        url = site.link(file, page) if file in site.available else ""
        return HandoutLink(handout, url, is_file=True)
    return HandoutLink(handout, site.link(paths.handout(handout.id), page), is_file=False)


def handout_links(
    site: SiteRenderer, activities: Iterable[Activity], page: str
) -> list[HandoutLink]:
    """The handouts of ``activities``, each once, in the order they are first used."""
    found: dict[str, HandoutLink] = {}
    for activity in activities:
        for handout_id in activity.handouts:
            handout = site.curriculum.handouts.get(handout_id)
            if handout is not None and handout_id not in found:
                found[handout_id] = handout_link(site, handout, page)
    return list(found.values())


class HandoutPages:
    """A page per Markdown handout and the index of every handout."""

    def __init__(self, site: SiteRenderer) -> None:
        self.site = site

    def outputs(self) -> list[Output]:
        handouts = self.site.curriculum.handouts
        if not handouts:
            return []
        labels = self.site.labels
        found = [
            Output(paths.handout(h.id), self.page(h), title=h.title)
            for h in handouts.values()
            if published_file(h) is None
        ]
        index = Output(paths.HANDOUTS_INDEX, self.index(), title=labels("handouts"), in_nav=True)
        found.append(index)
        return found

    @cached_property
    def _users(self) -> dict[str, list[tuple[str, str]]]:
        """Handout id -> (title, facilitator page) of the sessions whose activities use it."""
        found: dict[str, list[tuple[str, str]]] = {}
        for programme in self.site.curriculum.programmes.values():
            for view in self.site.session_views(programme):
                title = f"{view.session.title} ({programme.title})"
                used = {ident for _m, activity in view.activities for ident in activity.handouts}
                for ident in sorted(used):
                    found.setdefault(ident, []).append((title, view.facilitator_page))
        return found

    def sessions_using(self, handout: Handout, page: str) -> list[tuple[str, str]]:
        """(title, link) of every facilitator session page whose activities use ``handout``."""
        return [
            (title, self.site.link(target, page))
            for title, target in self._users.get(handout.id, [])
        ]

    def page(self, handout: Handout) -> str:
        page = paths.handout(handout.id)
        return front_matter(handout.title) + self.site.render(
            "handout.md.j2",
            handout=handout,
            sessions=self.sessions_using(handout, page),
            md=self.site.author_text(page),
        )

    def index(self) -> str:
        page = paths.HANDOUTS_INDEX
        labels = self.site.labels
        handouts = sorted(
            self.site.curriculum.handouts.values(), key=lambda h: labels.sort_key(h.title)
        )
        return front_matter(labels("handouts")) + self.site.render(
            "handouts_index.md.j2",
            handouts=[handout_link(self.site, h, page) for h in handouts],
        )

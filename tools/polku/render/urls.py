"""Where the dated outputs live in the site, and their URLs as calendars and PDFs need them."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import urlsplit


def cohort_page(programme_id: str, cohort_id: str) -> str:
    """The dated schedule page of a cohort (docs-relative Markdown path)."""
    return f"programmes/{programme_id}/cohorts/{cohort_id}.md"


def checklist_page(programme_id: str, role_id: str) -> str:
    """The printable checklist of one role."""
    return f"programmes/{programme_id}/checklists/{role_id}.md"


def timeline_file(programme_id: str, cohort_id: str | None = None) -> str:
    """The timeline picture of a programme (undated or by its own start date) or a cohort."""
    suffix = f"-{cohort_id}" if cohort_id else ""
    return f"programmes/{programme_id}/timeline{suffix}.svg"


def glance_file(programme_id: str, cohort_id: str | None = None) -> str:
    """The one-page "programme at a glance" PDF."""
    suffix = f"-{cohort_id}" if cohort_id else ""
    return f"workbooks/{programme_id}{suffix}-at-a-glance.pdf"


@dataclass(frozen=True)
class SiteUrls:
    """URLs of site pages as calendars and emails need them: absolute when ``site_url`` is set."""

    site_url: str | None = None
    use_directory_urls: bool = True

    def page(self, src_uri: str, anchor: str | None = None) -> str:
        """The URL of a generated page, from its docs-relative Markdown path."""
        folder, name = posixpath.split(src_uri)
        stem = posixpath.splitext(name)[0]
        if self.use_directory_urls:
            path = f"{folder}/" if stem == "index" else f"{folder}/{stem}/"
        else:
            path = f"{folder}/{stem}.html"
        path = path.lstrip("/")
        return self.absolute(path) + (f"#{anchor}" if anchor else "")

    def absolute(self, path: str) -> str:
        """``path`` under the site: absolute with ``site_url``, site-relative without it."""
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + path.lstrip("/")
        return path

    @property
    def is_absolute(self) -> bool:
        return bool(self.site_url)

    def subscribe(self, path: str) -> str | None:
        """A ``webcal:`` link that calendar apps subscribe to (needs an absolute site_url)."""
        if not self.site_url:
            return None
        url = self.absolute(path)
        scheme, _, rest = url.partition("://")
        return f"webcal://{rest}" if scheme in ("http", "https") else None

    @property
    def uid_domain(self) -> str:
        host = urlsplit(self.site_url).hostname if self.site_url else None
        return host or "polku"

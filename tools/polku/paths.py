"""The site's URL scheme: where every output of polku lives, in one place.

Pages are named by their docs-relative Markdown path (``modules/x.md``); the engine
turns that into a URL (``modules/x/`` or ``modules/x.html``). Every other output
(workbooks, calendars, pictures, assets) is named by its path under the site
directory. Nothing else in polku spells out a site path.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

# --- pages (docs-relative Markdown paths) --------------------------------------------------

PROGRAMMES_INDEX = "programmes/index.md"
MODULES_INDEX = "modules/index.md"
METHODS_INDEX = "methods/index.md"
HANDOUTS_INDEX = "handouts/index.md"
GLOSSARY = "glossary.md"
TAGS = "tags.md"
JOURNAL = "journal.md"
WORKBOOKS_INDEX = "workbooks/index.md"


def programme(programme_id: str) -> str:
    """The programme overview."""
    return f"programmes/{programme_id}/index.md"


def facilitator(programme_id: str) -> str:
    """The facilitator guide of a programme."""
    return f"programmes/{programme_id}/facilitator/index.md"


def session(programme_id: str, session_id: str) -> str:
    """One session of a programme, for learners."""
    return f"programmes/{programme_id}/sessions/{session_id}.md"


def facilitator_session(programme_id: str, session_id: str) -> str:
    """One session of a programme, for the people who run it."""
    return f"programmes/{programme_id}/facilitator/{session_id}.md"


def activity_anchor(module_id: str, activity_id: str) -> str:
    """The id of an activity on a session page, where the activities of several modules
    meet (on its module's page an activity is ``activity-<activity>``)."""
    return f"activity-{module_id}--{activity_id}"


def module(module_id: str) -> str:
    return f"modules/{module_id}.md"


def method(method_id: str) -> str:
    return f"methods/{method_id}.md"


def handout(handout_id: str) -> str:
    return f"handouts/{handout_id}.md"


def cohort(programme_id: str, cohort_id: str) -> str:
    """The dated schedule page of a cohort."""
    return f"programmes/{programme_id}/cohorts/{cohort_id}.md"


def checklist(programme_id: str, role_id: str) -> str:
    """The printable checklist of one role."""
    return f"programmes/{programme_id}/checklists/{role_id}.md"


def fixed_pages(programme_id: str) -> tuple[str, ...]:
    """Pages whose names polku chooses: the listings, and a programme's overview and guide.

    A page named by an id must not land where one of these is (``modules/index.md``).
    """
    listings = (PROGRAMMES_INDEX, MODULES_INDEX, METHODS_INDEX, HANDOUTS_INDEX, WORKBOOKS_INDEX)
    return (*listings, GLOSSARY, TAGS, JOURNAL, programme(programme_id), facilitator(programme_id))


# --- files under the site directory ----------------------------------------------------------

WORKBOOK_DIR = "workbooks"
CALENDAR_DIR = "calendars"
SITE_ASSETS = "assets/polku"
# the progress map and labels the browser scripts read
LEARNER_DATA = f"{SITE_ASSETS}/polku-data.js"
# the tick boxes of checklist pages
CHECKLIST_SCRIPT = f"{SITE_ASSETS}/polku-checklist.js"
# every page loads these, in this order: the data, the learner's record, Material's frame
# (drawer and palette), the pages, the journal, the checklists
SCRIPTS = (
    LEARNER_DATA,
    f"{SITE_ASSETS}/polku-store.js",
    f"{SITE_ASSETS}/polku-chrome.js",
    f"{SITE_ASSETS}/polku.js",
    f"{SITE_ASSETS}/polku-journal.js",
    CHECKLIST_SCRIPT,
)
STYLESHEETS = (f"{SITE_ASSETS}/polku.css", f"{SITE_ASSETS}/polku-pages.css")
# lets Material's search worker run from file:// (vendored iframe-worker shim, MIT)
WORKER_SHIM = f"{SITE_ASSETS}/iframe-worker.js"
SEARCH_WORKER = "assets/javascripts/workers/polku-search.js"
# curriculum/assets/ is published as assets/ beside the pages that link to it
CURRICULUM_ASSETS = "assets"


def workbook_filename(programme_id: str, role: str) -> str:
    """``<programme-id>-learner.pdf`` or ``<programme-id>-facilitator.pdf``."""
    return f"{programme_id}-{role}.pdf"


def workbook(programme_id: str, role: str) -> str:
    """A programme's learner workbook or facilitator guide (PDF)."""
    return f"{WORKBOOK_DIR}/{workbook_filename(programme_id, role)}"


def session_pack(programme_id: str, session_id: str) -> str:
    """The short PDF a facilitator prints for one session."""
    return f"{WORKBOOK_DIR}/{programme_id}/{session_id}-facilitator.pdf"


def glance(programme_id: str, cohort_id: str | None = None) -> str:
    """The one-page "programme at a glance" PDF."""
    suffix = f"-{cohort_id}" if cohort_id else ""
    return f"{WORKBOOK_DIR}/{programme_id}{suffix}-at-a-glance.pdf"


def timeline(programme_id: str, cohort_id: str | None = None) -> str:
    """The timeline picture of a programme (by its own start date) or of a cohort."""
    suffix = f"-{cohort_id}" if cohort_id else ""
    return f"programmes/{programme_id}/timeline{suffix}.svg"


def calendar(programme_id: str, *suffixes: str) -> str:
    """A calendar file: ``calendars/<programme>[-<suffix>...].ics``."""
    name = "-".join((programme_id, *suffixes))
    return f"{CALENDAR_DIR}/{name}.ics"


# --- URLs ---------------------------------------------------------------------------------


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The site-relative URL of a page from its docs-relative Markdown path."""
    folder, name = posixpath.split(src_uri)
    stem = posixpath.splitext(name)[0]
    if use_directory_urls:
        path = f"{folder}/" if stem == "index" else f"{folder}/{stem}/"
    else:
        path = f"{folder}/{stem}.html"
    return path.lstrip("/")


def page_urls(src_uri: str) -> tuple[str, str]:
    """A page's URL with directory URLs and without: pages collide when either is the same."""
    return page_url(src_uri, True), page_url(src_uri, False)


def quote_path(path: str, anchor: str | None = None) -> str:
    """A path (site-relative or relative to a page) as it goes into a link.

    Every character but ASCII letters, digits, ``-._~`` and ``/`` is percent-encoded
    (UTF-8), so a file name the author chose (``a) <img …> (b.pdf``, spaces, quotes,
    brackets, ``#``, ``%``) neither ends a Markdown link nor leaves an HTML attribute,
    and the browser decodes it back to the name of the file on disk. Every URL polku
    writes into a page or a file is made here, once (a second pass would encode the
    ``%`` signs again). The anchor is an id polku made and is encoded the same way.
    """
    url = quote(path, safe="/")
    return f"{url}#{quote(anchor, safe='')}" if anchor else url


# Characters that end or break a link in Markdown or an HTML attribute, in an address
# given as a whole (``site_url``): encoded, everything else kept as written
_URL_BREAKERS = re.compile(r"[\s\x00-\x1f\x7f\"'<>()\[\]`{}|\\^]")


def quote_address(url: str) -> str:
    """A whole address (``https://example.org/a b/``) safe to write into a link: the
    characters that would end a Markdown link or an attribute percent-encoded, the rest
    (``%`` escapes, ``?``, ``&``, a non-ASCII host name) as written."""
    return _URL_BREAKERS.sub(lambda m: quote(m.group(0), safe=""), url)


def href(target: str, page: str, use_directory_urls: bool = True) -> str:
    """The URL of ``target`` as seen from the page ``page``, both docs-relative paths.

    A Markdown page (``modules/x.md``) is linked by its URL, any other file by its path.
    The result is a path, not yet encoded: a link takes :func:`url`.
    """
    target_url = page_url(target, use_directory_urls) if target.endswith(".md") else target
    if target_url == "":
        target_url = "./"
    return relative_url(target_url, page_url(page, use_directory_urls)) or "./"


def url(target: str, page: str, use_directory_urls: bool = True, anchor: str | None = None) -> str:
    """:func:`href` encoded for a link (:func:`quote_path`), with an optional anchor."""
    return quote_path(href(target, page, use_directory_urls), anchor)


def relative_path(target: str, start: str) -> str:
    """``posixpath.relpath(target, start)`` for paths inside the site.

    The same result without asking the system for the working folder, which
    ``relpath`` does twice per call (a tenth of rendering a large curriculum).
    """
    if target.startswith(("/", "..")) or start.startswith(("/", "..")):
        return posixpath.relpath(target, start)  # not inside the site: as relpath says
    return posixpath.relpath("/" + target, "/" + start)


def relative_link(target: str, page: str) -> str:
    """A link from the page ``page`` to the docs-relative path ``target``."""
    return relative_path(target, posixpath.dirname(page) or ".")


def relative_url(target: str, page_url: str) -> str:
    """A link from the page at the site URL ``page_url`` to the site path ``target``."""
    if target == page_url:
        return ""
    page_dir = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    relative = relative_path(target or ".", page_dir.rstrip("/") or ".")
    if target.endswith("/") and not relative.endswith("/"):
        relative += "/"
    return relative


@dataclass(frozen=True)
class SiteUrls:
    """URLs as calendars, PDFs and emails need them: absolute when ``site_url`` is set."""

    site_url: str | None = None
    use_directory_urls: bool = True

    def page(self, src_uri: str, anchor: str | None = None) -> str:
        """The URL of a page, from its docs-relative Markdown path."""
        path = page_url(src_uri, self.use_directory_urls)
        return self.absolute(path, anchor)

    def absolute(self, path: str, anchor: str | None = None) -> str:
        """The URL of the site path ``path``: absolute with ``site_url``, site-relative
        without it; encoded (:func:`quote_path`, :func:`quote_address`)."""
        url = quote_path(path.lstrip("/") if self.site_url else path, anchor)
        if self.site_url:
            return quote_address(self.site_url.rstrip("/")) + "/" + url
        return url

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

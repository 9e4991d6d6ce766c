"""Author Markdown to safe HTML: the one converter every page and workbook uses.

polku converts what authors write itself, sanitises the result once
(``sanitize.py``) and hands the site engine a page whose author parts are already
HTML. The engine never interprets author text, so the generated Markdown is safe
to build with any engine (MkDocs, Zensical, a plain ``mkdocs build`` of
``polku export``).

The HTML goes into a page inside ``<div markdown="1">``: Python-Markdown's
md_in_html extension then reads the nested elements into the page's tree without
reading their text again, so author headings reach the table of contents and
permalinks while their text stays exactly as converted.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import markdown as markdown_lib
from markupsafe import Markup

from .. import paths
from ..store import Store
from .markup import MARKDOWN_EXTENSIONS, SOURCE_DIRS
from .sanitize import sanitize_html

_ID = re.compile(r'\bid="([^"]*)"')
_LOCAL_HREF = re.compile(r'\bhref="#([^"]*)"')
_URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class AuthorMarkdown:
    """Converts author Markdown to sanitised HTML with the project's Markdown dialect.

    Results are kept by the text's hash for the rest of the build and, with a
    ``store``, for later builds: converting is most of what rendering a page costs.
    """

    def __init__(self, store: Store | None = None) -> None:
        self._md: markdown_lib.Markdown | None = None
        self.store = store
        self._made: dict[str, str] = {}

    def convert(self, text: str) -> str:
        """Sanitised HTML of ``text`` (with any abbreviation definitions it carries)."""
        made = self._made.get(text)
        if made is not None:
            return made
        key = self.store.key(text) if self.store is not None else ""
        kept = self.store.get(key) if self.store is not None else None
        if isinstance(kept, str):
            html = kept
        else:
            if self._md is None:
                self._md = markdown_lib.Markdown(
                    extensions=[*MARKDOWN_EXTENSIONS, "toc"], output_format="html"
                )
            self._md.reset()
            html = sanitize_html(self._md.convert(text))
            if self.store is not None:
                self.store.put(key, html)
        self._made[text] = html
        return html


def conversion_salt() -> str:
    """What a conversion depends on besides the text: versions and the policy's source."""
    from importlib import metadata

    from .. import __version__

    parts = [__version__]
    for package in ("markdown", "pymdown-extensions", "nh3"):
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}=-")
    here = Path(__file__).parent
    for name in ("author.py", "sanitize.py", "markup.py"):
        parts.append(hashlib.sha256((here / name).read_bytes()).hexdigest())
    return "\n".join(parts)


@dataclass
class PageText:
    """The author Markdown of one site page, converted for where the page lives.

    Relative links and images written for the author's file (``curriculum/modules/``)
    are moved to work from the page; ids are kept unique within the page, since
    several fragments (activities, answers) each start their own numbering.
    """

    converter: AuthorMarkdown
    page: str  # docs-relative path of the page
    gloss: Callable[[str], str] | None = None  # marks up glossary terms in the HTML
    use_directory_urls: bool = True
    used_ids: set[str] = field(default_factory=set)

    def html(self, text: str | None, kind: str, abbreviations: str = "") -> str:
        if not text or not text.strip():
            return ""
        source = text.strip("\n")
        if abbreviations:
            source += "\n\n" + abbreviations
        converted = self.converter.convert(source)
        converted = self._unique_ids(converted)
        if self.gloss is not None:
            converted = self.gloss(converted)
        return _resolve_links(
            converted, SOURCE_DIRS.get(kind, ""), self.page, self.use_directory_urls
        )

    def block(self, text: str | None, kind: str, abbreviations: str = "") -> Markup:
        """The fragment as a Markdown block that the engine reads into its tree as it is."""
        converted = self.html(text, kind, abbreviations)
        if not converted:
            return Markup("")
        return Markup(f'<div class="polku-text" markdown="1">\n{converted}\n</div>')

    def _unique_ids(self, fragment: str) -> str:
        renamed: dict[str, str] = {}

        def rename(match: re.Match[str]) -> str:
            ident = match.group(1)
            new, number = ident, 1
            while new in self.used_ids:
                number += 1
                new = f"{ident}-{number}"
            self.used_ids.add(new)
            if new != ident:
                renamed.setdefault(ident, new)
            return f'id="{new}"'

        fragment = _ID.sub(rename, fragment)
        if renamed:
            fragment = _LOCAL_HREF.sub(
                lambda m: f'href="#{renamed.get(m.group(1), m.group(1))}"', fragment
            )
        return fragment


def _resolve_links(fragment: str, source_dir: str, page: str, use_directory_urls: bool) -> str:
    """Relative ``href``/``src`` targets, written for the author's file in ``source_dir``,
    as URLs that work from the page (a Markdown page by its URL, a file by its path)."""

    def resolve(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        target = unescape(value)
        if not target or _SCHEME.match(target) or target.startswith(("#", "/")):
            return match.group(0)
        parts = urlsplit(target)
        if not parts.path:
            return match.group(0)
        joined = posixpath.normpath(posixpath.join(source_dir, unquote(parts.path)))
        url = quote(paths.href(joined, page, use_directory_urls), safe="/")
        if parts.query:
            url += f"?{parts.query}"
        if parts.fragment:
            url += f"#{parts.fragment}"
        return f'{name}="{Markup.escape(url)}"'

    return _URL_ATTRIBUTE.sub(resolve, fragment)

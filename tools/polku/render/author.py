"""Author Markdown to safe HTML: the one converter every page and workbook uses.

polku converts what authors write itself, sanitises the result once
(``sanitize.py``) and hands the site engine a page whose author parts are already
HTML. The engine never interprets author text, so the generated Markdown is safe
to build with any engine (MkDocs, Zensical, a plain ``mkdocs build`` of
``polku export``).

The HTML goes into a page between raw-HTML markers (``RAW_START``, ``RAW_END``),
which polku's engine extension (``polku.mkdocs.raw_html``) hands to Python-Markdown's
store of raw HTML before any other step reads the page: parsing the author's HTML
again was most of what converting a page cost. Headings are the exception: they stay
in the page, inside ``<div markdown="1">`` (md_in_html reads them into the page's
tree without reading their text again), so that they reach the table of contents
and get permalinks. An engine without the extension sees HTML comments around plain
HTML, and builds the same page.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import markdown as markdown_lib
from markupsafe import Markup

from .. import paths
from ..curriculum import Curriculum
from ..parallel import map_plain
from ..store import Store
from .html_tags import rewrite_attributes, tags
from .markup import MARKDOWN_EXTENSIONS, SOURCE_DIRS
from .plain_text import PlainTextExtension
from .sanitize import sanitize_html

_ID_ATTRIBUTE = frozenset({"id"})
_HREF_ATTRIBUTE = frozenset({"href"})
_URL_ATTRIBUTES = frozenset({"href", "src"})
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_HEADING = re.compile(r"<h[1-6][\s>]")
_VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# Lines around HTML the engine is to pass on without reading (comments: author HTML
# has none, as the sanitiser removes them)
RAW_START = "<!--polku:raw-->"
RAW_END = "<!--/polku:raw-->"


def has_heading(fragment: str) -> bool:
    """Whether converted author HTML holds a heading (for the table of contents)."""
    return _HEADING.search(fragment) is not None


def without_raw_markers(markdown: str) -> str:
    """A page for an engine without polku's extension: the marker lines left out."""
    lines = markdown.split("\n")
    return "\n".join(line for line in lines if line != RAW_START and line != RAW_END)


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
        """Sanitised HTML of ``text`` (with any abbreviation definitions it carries).

        Kept by the text as given, not a copy without its surrounding newlines: the
        curriculum holds it anyway (a module's body read from its file ends with one).
        """
        made = self._made.get(text)
        if made is not None:
            return made
        key = self.store.key(text.strip("\n")) if self.store is not None else ""
        kept = self.store.get(key) if self.store is not None else None
        if isinstance(kept, str):
            html = kept
        else:
            html = self._convert(text)
            if self.store is not None:
                self.store.put(key, html)
        self._made[text] = html
        return html

    def forget(self) -> None:
        """Let go of every conversion, and of the store once it is saved."""
        self._made = {}
        if self.store is not None:
            self.store.close()
            self.store = None

    def convert_all(
        self, texts: Iterable[str], meanwhile: Callable[[], None] | None = None
    ) -> None:
        """Convert every text at once, shared between the machine's cores.

        Pages are rendered one by one afterwards and find their texts converted.
        ``meanwhile``: other work of this process, done while the others convert.
        """
        todo: list[str] = []
        for text in dict.fromkeys(t for t in texts if t and t.strip()):
            if text in self._made:
                continue
            kept = self.store.get(self.store.key(text.strip("\n"))) if self.store else None
            if isinstance(kept, str):
                self._made[text] = kept
            else:
                todo.append(text)
        converted = map_plain(self._convert, todo, min_share=200, meanwhile=meanwhile)
        for text, html in zip(todo, converted, strict=True):
            self._made[text] = html
            if self.store is not None:
                self.store.put(self.store.key(text.strip("\n")), html)

    def _convert(self, text: str) -> str:
        if self._md is None:
            self._md = markdown_lib.Markdown(
                extensions=[*MARKDOWN_EXTENSIONS, "toc", PlainTextExtension()],
                output_format="html",
            )
        self._md.reset()
        return sanitize_html(self._md.convert(text.strip("\n")))


def markdown_texts(curriculum: Curriculum) -> Iterator[str]:
    """Every piece of author Markdown in the curriculum."""
    for module in curriculum.modules.values():
        yield module.body or ""
        for activity in module.activities:
            yield activity.instructions or ""
            yield activity.facilitator_notes or ""
            for question in activity.questions:
                yield question.answer
    for handout in curriculum.handouts.values():
        yield handout.body or ""
    if curriculum.glossary is not None:
        for term in curriculum.glossary.terms:
            yield term.definition


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

    def html(self, text: str | None, kind: str) -> str:
        if not text or not text.strip():
            return ""
        converted = self.converter.convert(text)
        converted = self._unique_ids(converted)
        if self.gloss is not None:
            converted = self.gloss(converted)
        return _resolve_links(
            converted, SOURCE_DIRS.get(kind, ""), self.page, self.use_directory_urls
        )

    def block(self, text: str | None, kind: str) -> Markup:
        """The fragment as a block of the page: raw HTML for the engine, except the
        elements that hold a heading, which the engine reads into its tree."""
        converted = self.html(text, kind)
        if not converted:
            return Markup("")
        if not has_heading(converted):
            return Markup(f'{RAW_START}\n<div class="polku-text">\n{converted}\n</div>\n{RAW_END}')
        parts = [
            _inert_text(element) if headed else f"{RAW_START}\n{element}\n{RAW_END}"
            for headed, element in _split_at_headings(converted)
        ]
        inner = "\n\n".join(parts)
        return Markup(f'<div class="polku-text" markdown="1">\n{inner}\n</div>')

    def _unique_ids(self, fragment: str) -> str:
        renamed: dict[str, str] = {}

        def rename(_tag: str, _name: str, ident: str) -> str:
            new, number = ident, 1
            while new in self.used_ids:
                number += 1
                new = f"{ident}-{number}"
            self.used_ids.add(new)
            if new != ident:
                renamed.setdefault(ident, new)
            return new

        fragment = rewrite_attributes(fragment, _ID_ATTRIBUTE, rename)
        if renamed:
            fragment = rewrite_attributes(
                fragment,
                _HREF_ATTRIBUTE,
                lambda _tag, _name, value: (
                    f"#{renamed[value[1:]]}" if value[1:] in renamed and value[:1] == "#" else None
                ),
            )
        return fragment


def _inert_text(fragment: str) -> str:
    """``fragment`` with the punctuation of its text as character references.

    The engine reads an element that holds a heading as Markdown again (that is how
    the heading reaches the table of contents); the author's text in it is converted
    already, so nothing in it may be syntax a second time: not emphasis, not a link,
    and above all not the ``{ onfocus=... }`` of attr_list, which would give the
    heading attributes that no sanitiser has seen. Character references are text to
    every Markdown dialect and show the same characters.
    """
    parts: list[str] = []
    position = 0
    for tag in tags(fragment):
        parts.append(_PUNCTUATION.sub(_reference, fragment[position : tag.start()]))
        parts.append(tag.group(0))
        position = tag.end()
    parts.append(_PUNCTUATION.sub(_reference, fragment[position:]))
    return "".join(parts)


# a character reference (kept as it is) or any other ASCII punctuation
_PUNCTUATION = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);|[!-/:-@\[-`{-~]")


def _reference(match: re.Match[str]) -> str:
    found = match.group(0)
    return found if len(found) > 1 else f"&#{ord(found)};"


def _split_at_headings(fragment: str) -> list[tuple[bool, str]]:
    """The fragment's top-level elements as runs: (holds a heading, HTML).

    Elements without a heading next to each other form one run.
    """
    runs: list[tuple[bool, str]] = []
    depth, start, headed = 0, 0, False

    def close(end: int) -> None:
        element = fragment[start:end].strip()
        if not element:
            return
        if runs and not headed and not runs[-1][0]:
            runs[-1] = (False, f"{runs[-1][1]}\n{element}")
        else:
            runs.append((headed, element))

    for tag in tags(fragment):
        closing, name = tag.group(1), tag.group(2).lower()
        if name in _VOID or tag.group(4):
            if depth == 0:
                close(tag.end())
                start, headed = tag.end(), False
            continue
        if closing:
            depth = max(depth - 1, 0)
            if depth == 0:
                close(tag.end())
                start, headed = tag.end(), False
            continue
        if depth == 0:
            close(tag.start())  # text between top-level elements
            start = tag.start()
        if len(name) == 2 and name[0] == "h" and name[1] in "123456":
            headed = True
        depth += 1
    close(len(fragment))
    return runs


def _resolve_links(fragment: str, source_dir: str, page: str, use_directory_urls: bool) -> str:
    """Relative ``href``/``src`` targets, written for the author's file in ``source_dir``,
    as URLs that work from the page (a Markdown page by its URL, a file by its path)."""

    def resolve(_tag: str, _name: str, value: str) -> str | None:
        target = unescape(value)
        if not target or _SCHEME.match(target) or target.startswith(("#", "/")):
            return None
        parts = urlsplit(target)
        if not parts.path:
            return None
        joined = posixpath.normpath(posixpath.join(source_dir, unquote(parts.path)))
        url = quote(paths.href(joined, page, use_directory_urls), safe="/")
        if parts.query:
            url += f"?{parts.query}"
        if parts.fragment:
            url += f"#{parts.fragment}"
        return str(Markup.escape(url))

    return rewrite_attributes(fragment, _URL_ATTRIBUTES, resolve)

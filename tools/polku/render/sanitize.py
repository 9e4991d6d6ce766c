"""The sanitising boundary: what author HTML may reach a page, and in what form.

Every piece of author Markdown (module bodies, instructions, answers, facilitator
notes, glossary definitions, handouts) is converted to HTML by polku and passes
through :func:`sanitize_html` before it is put into a page, a workbook or anything
else; plain-text fields are escaped instead (``markup.plain``). The policy knows
what the theme does with a finished page, not only what a browser does:

- Material for MkDocs turns every ``title`` attribute into a tooltip by assigning it
  to ``innerHTML``, so a title holds escaped text: a ``<`` in it shows as ``<``.
- The theme looks elements up by id (``#__config`` holds its configuration, the
  first element with that id wins) and acts on classes (``mermaid`` loads a script
  from a CDN, ``annotate`` and ``md-*`` start components) and on ``data-*``
  attributes (``data-md-*``, ``data-tabs``, ``data-copy``). Author ids and classes
  that the theme or polku's own script acts on are dropped; ``data-*`` is never kept.
- Names that are also global variables of the page's scripts (an element id becomes
  a property of ``window``) are dropped too.

The allowed HTML is documented in ``docs/reference/guarantees.md``.
"""

from __future__ import annotations

import html
import re

import nh3

# fmt: off
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
# fmt: on
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type"},
    "details": {"open"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "webcal"}  # webcal: calendar subscriptions

# What the theme and polku's script act on (read from Material's JavaScript bundle:
# its selectors and classList calls), and names of the scripts' global variables.
RESERVED_CLASS_PREFIXES = ("md-", "md_", "polku", "tabbed", "__")
RESERVED_CLASSES = frozenset(
    {"mermaid", "annotate", "highlight", "hll", "copy", "no-copy", "select", "no-select", "js"}
)
RESERVED_ID_PREFIXES = ("md-", "md_", "polku", "__", "_")
RESERVED_IDS = frozenset({"mermaid", "lunr", "katex", "mathjax", "hljs", "search", "config"})
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_:.-]*$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def allowed_class(name: str) -> bool:
    return (
        bool(_NAME.match(name))
        and not name.startswith(RESERVED_CLASS_PREFIXES)
        and name not in RESERVED_CLASSES
        and not name.startswith("language-mermaid")
    )


def allowed_id(name: str) -> bool:
    return (
        bool(_ID.match(name))
        and not name.startswith(RESERVED_ID_PREFIXES)
        and name not in RESERVED_IDS
    )


def plain_attribute(text: str) -> str:
    """An attribute value that a script may later assign to ``innerHTML``: escaped text.

    The value is stored escaped, so HTML shows it as the text it is (``<b>`` shows as
    ``<b>``), whether the browser shows the attribute itself or the theme copies it.
    """
    return html.escape(" ".join(text.split()), quote=False)


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = [c for c in value.split() if allowed_class(c)]
        return " ".join(kept) or None
    if name == "id":
        return value if allowed_id(value) else None
    if name == "title":
        return plain_attribute(value) or None
    if name == "lang":
        return value if _LANGUAGE.match(value) else None
    if name == "dir":
        return value if value in ("ltr", "rtl", "auto") else None
    return value


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel=None,
    strip_comments=True,
    clean_content_tags={"script", "style"},
    attribute_filter=_attribute,
)


def sanitize_html(fragment: str) -> str:
    """Keep the markup Markdown produces; drop scripts, handlers, frames, forms and
    every id, class or attribute the theme would act on."""
    return _CLEANER.clean(fragment)

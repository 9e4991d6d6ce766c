"""Sanitise generated page HTML: author Markdown must not smuggle in active content."""

from __future__ import annotations

import nh3

# fmt: off
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
    "ul",
}
# fmt: on
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "role"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type"},
    "details": {"open"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "webcal"}  # webcal: calendar subscriptions


def sanitize_html(html: str) -> str:
    """Keep the markup Markdown and polku produce; drop scripts, handlers, frames, forms."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        generic_attribute_prefixes={"data-", "aria-"},
        link_rel=None,
        strip_comments=True,
    )

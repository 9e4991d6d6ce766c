"""A Python-Markdown extension: text no inline pattern can match skips the inline step.

Python-Markdown's inline step tries every inline pattern on every text of the page
(a fifth of converting one). Most texts of a page hold none of the characters an
inline pattern starts with: a title, a placeholder of stored HTML, a plain sentence.
Right before that step this extension marks each such text as one the step leaves
alone, and right after it takes the mark off again, so every later step (the
abbreviations among them, which skip marked text) sees the page as without the
extension.

It marks only when every inline pattern of the converter is one of Python-Markdown's
own, whose first characters are known (:data:`KNOWN_PATTERNS`); a converter with any
other inline pattern (another extension's) is left as it is.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import INLINE_PLACEHOLDER_PREFIX, AtomicString

# Python-Markdown's inline patterns (name, class) and what a text must hold for each to
# match: a code span "`", an escape "\", links, images and footnotes "[", automatic
# links and inline HTML "<", a line break "  \n", an entity "&", emphasis "*" or "_".
KNOWN_PATTERNS = frozenset(
    {
        ("backtick", "markdown.inlinepatterns.BacktickInlineProcessor"),
        ("escape", "markdown.inlinepatterns.EscapeInlineProcessor"),
        ("footnote", "markdown.extensions.footnotes.FootnoteInlineProcessor"),
        ("reference", "markdown.inlinepatterns.ReferenceInlineProcessor"),
        ("link", "markdown.inlinepatterns.LinkInlineProcessor"),
        ("image_link", "markdown.inlinepatterns.ImageInlineProcessor"),
        ("image_reference", "markdown.inlinepatterns.ImageReferenceInlineProcessor"),
        ("short_reference", "markdown.inlinepatterns.ShortReferenceInlineProcessor"),
        ("short_image_ref", "markdown.inlinepatterns.ShortImageReferenceInlineProcessor"),
        ("autolink", "markdown.inlinepatterns.AutolinkInlineProcessor"),
        ("automail", "markdown.inlinepatterns.AutomailInlineProcessor"),
        ("linebreak", "markdown.inlinepatterns.SubstituteTagInlineProcessor"),
        ("html", "markdown.inlinepatterns.HtmlInlineProcessor"),
        ("entity", "markdown.inlinepatterns.HtmlInlineProcessor"),
        ("em_strong", "markdown.inlinepatterns.DelimiterProcessor"),
    }
)
# any character some known pattern starts with; and the inline step's own placeholders
MIGHT_MATCH = re.compile(r"[`\\\[<&*_]|  \n|" + re.escape(INLINE_PLACEHOLDER_PREFIX))

INLINE_PRIORITY = 20  # Python-Markdown's inline step


class _Plain(AtomicString):
    """A text marked by this extension (and only by it)."""

    __slots__ = ()


def only_known_patterns(md: Markdown) -> bool:
    """Whether every inline pattern of ``md`` is one of :data:`KNOWN_PATTERNS`."""
    patterns = md.inlinePatterns
    for item in patterns._priority:
        kind = type(patterns[item.name])
        if (item.name, f"{kind.__module__}.{kind.__qualname__}") not in KNOWN_PATTERNS:
            return False
    return True


class MarkPlainText(Treeprocessor):
    """Marks the texts no inline pattern can match, when every pattern is known."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        # elements whose tail was marked: the inline step hands a marked tail back as
        # an AtomicString of its own, which only this list tells from another's
        self.tails: list[Element] = []

    def run(self, root: Element) -> None:
        self.tails = []
        if not only_known_patterns(self.md):
            return
        might_match = MIGHT_MATCH.search
        for element in root.iter():
            text = element.text
            if text and not isinstance(text, AtomicString) and might_match(text) is None:
                element.text = _Plain(text)
            tail = element.tail
            if tail and not isinstance(tail, AtomicString) and might_match(tail) is None:
                element.tail = _Plain(tail)
                self.tails.append(element)


class UnmarkPlainText(Treeprocessor):
    """Takes the marks off: later steps see plain text, as without the extension."""

    def __init__(self, md: Markdown, marks: MarkPlainText) -> None:
        super().__init__(md)
        self.marks = marks

    def run(self, root: Element) -> None:
        for element in root.iter():
            if type(element.text) is _Plain:
                element.text = str(element.text)
        for element in self.marks.tails:
            if isinstance(element.tail, AtomicString):
                element.tail = str(element.tail)
        self.marks.tails = []


def register(md: Markdown) -> None:
    marks = MarkPlainText(md)
    md.treeprocessors.register(marks, "polku_mark_plain", INLINE_PRIORITY + 0.5)
    unmarks = UnmarkPlainText(md, marks)
    md.treeprocessors.register(unmarks, "polku_unmark_plain", INLINE_PRIORITY - 0.5)


class PlainTextExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        register(md)


def makeExtension(**kwargs: Any) -> PlainTextExtension:
    return PlainTextExtension(**kwargs)

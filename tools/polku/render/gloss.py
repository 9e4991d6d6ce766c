"""Glossary terms marked up where they occur, with their definition as a hover text.

A term in a page's text becomes ``<abbr title="definition">term</abbr>``, which the
theme shows as a tooltip. polku marks the terms up itself, in plain text and in
converted author HTML alike, instead of leaving it to the engine's abbreviation
extension: the definition then goes into the page only as escaped plain text
(``sanitize.plain_attribute``), whatever the engine does with titles.

A term is found where it stands as whole words, written as in the glossary, in lower
case or with a capital first letter (as Python-Markdown's abbreviations are).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cached_property

from ..model import Glossary
from .sanitize import plain_attribute

# letters and digits: '_' is a word character to regular expressions, but in
# Markdown it is also emphasis ('__term__' shows the word 'term')
_WORD = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*>")
# where a term is left as it is: links, code, headings, existing abbreviations
_SKIP = frozenset({"a", "abbr", "code", "pre", "kbd", "h1", "h2", "h3", "h4", "h5", "h6"})


def definition_text(markdown: str) -> str:
    """A definition written in Markdown, as one line of plain text."""
    for char in "*_`#>[]":
        markdown = markdown.replace(char, "")
    return " ".join(markdown.split())


class Glosser:
    """Marks up the glossary's terms in text and HTML."""

    def __init__(self, glossary: Glossary | None) -> None:
        self.titles: dict[str, str] = {}  # form -> attribute-ready title
        if glossary is None:
            return
        for term in glossary.terms:
            title = html.escape(plain_attribute(definition_text(term.definition)), quote=True)
            forms = {term.term, term.term.lower(), term.term[:1].upper() + term.term[1:]}
            for form in sorted(forms):
                if form.strip():
                    self.titles.setdefault(form, title)

    @cached_property
    def _forms(self) -> tuple[dict[str, list[str]], list[str]]:
        """Forms of one word by their casefolded word, and the forms of several words."""
        single: dict[str, list[str]] = {}
        several: list[str] = []
        for form in self.titles:
            if _WORD.fullmatch(form):
                single.setdefault(form.casefold(), []).append(form)
            else:
                several.append(form)
        return single, several

    def pattern(self, text: str) -> re.Pattern[str] | None:
        """A pattern of the terms that can occur in ``text``; None when none can."""
        if not self.titles or not text:
            return None
        single, several = self._forms
        present = [form for word in _WORD.findall(text) for form in single.get(word.casefold(), ())]
        folded = text.casefold()
        present += [form for form in several if form.casefold() in folded]
        if not present:
            return None
        alternatives = sorted(set(present), key=lambda form: (-len(form), form))
        return re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(form) for form in alternatives) + r")(?!\w)"
        )

    def _abbr(self, form: str, shown: str) -> str:
        return f'<abbr title="{self.titles[form]}">{shown}</abbr>'

    def text(self, raw: str, escape: Callable[[str], str]) -> str:
        """Plain text escaped by ``escape``, its terms marked up."""
        pattern = self.pattern(raw)
        if pattern is None:
            return escape(raw)
        parts: list[str] = []
        position = 0
        for match in pattern.finditer(raw):
            parts.append(escape(raw[position : match.start()]))
            parts.append(self._abbr(match.group(0), escape(match.group(0))))
            position = match.end()
        parts.append(escape(raw[position:]))
        return "".join(parts)

    def html(self, fragment: str) -> str:
        """Sanitised HTML with the terms of its text marked up (not in links or code)."""
        pattern = self.pattern(html.unescape(_TAG.sub(" ", fragment)))
        if pattern is None:
            return fragment
        parts: list[str] = []
        skipping: list[str] = []
        position = 0
        for tag in _TAG.finditer(fragment):
            parts.append(self._text_node(fragment[position : tag.start()], pattern, skipping))
            closing, name = tag.group(1), tag.group(2).lower()
            if name in _SKIP:
                if closing and name in skipping:
                    skipping.remove(name)
                elif not closing:
                    skipping.append(name)
            parts.append(tag.group(0))
            position = tag.end()
        parts.append(self._text_node(fragment[position:], pattern, skipping))
        return "".join(parts)

    def _text_node(self, text: str, pattern: re.Pattern[str], skipping: list[str]) -> str:
        if not text or skipping:
            return text
        raw = html.unescape(text)
        if pattern.search(raw) is None:
            return text
        parts: list[str] = []
        position = 0
        for match in pattern.finditer(raw):
            parts.append(html.escape(raw[position : match.start()], quote=False))
            parts.append(self._abbr(match.group(0), html.escape(match.group(0), quote=False)))
            position = match.end()
        parts.append(html.escape(raw[position:], quote=False))
        return "".join(parts)

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

import hashlib
import html
import re
from collections.abc import Callable, Iterable
from functools import cached_property

from ..model import Glossary
from .html_tags import TAG
from .output import Packed
from .sanitize import plain_attribute

# letters and digits: '_' is a word character to regular expressions, but in
# Markdown it is also emphasis ('__term__' shows the word 'term')
_WORD = re.compile(r"[^\W_]+")
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
        # digest of a fragment -> the fragment marked up, packed (None: no term in it)
        self._marked: dict[bytes, Packed | None] = {}
        self.terms: dict[str, str] = {}  # form -> the term as the glossary writes it
        if glossary is None:
            return
        for term in glossary.terms:
            title = html.escape(plain_attribute(definition_text(term.definition)), quote=True)
            forms = {term.term, term.term.lower(), term.term[:1].upper() + term.term[1:]}
            for form in sorted(forms):
                if form.strip():
                    self.titles.setdefault(form, title)
                    self.terms.setdefault(form, term.term)

    def forget(self) -> None:
        """Let go of the fragments marked up so far."""
        self._marked = {}

    @cached_property
    def _index(self) -> dict[str, list[tuple[str, int]]]:
        """Forms by their first word (casefolded), with where that word starts in them.

        Finding terms is then a look-up per word of the text, however many terms the
        glossary has; the longest form is tried first, as the longest match wins.
        """
        index: dict[str, list[tuple[str, int]]] = {}
        for form in self.titles:
            first = _WORD.search(form)
            if first is not None:  # a term of no letters or digits is never marked up
                index.setdefault(first.group(0).casefold(), []).append((form, first.start()))
        for entries in index.values():
            entries.sort(key=lambda entry: (-len(entry[0]), entry[0]))
        return index

    def matches(self, raw: str) -> list[tuple[int, int, str]]:
        """(start, end, form) of every term in ``raw``, left to right, not overlapping."""
        index = self._index
        found: list[tuple[int, int, str]] = []
        if not index or not raw:
            return found
        taken = 0
        for word in _WORD.finditer(raw):
            for form, offset in index.get(word.group(0).casefold(), ()):
                start = word.start() - offset
                end = start + len(form)
                if (
                    start >= taken
                    and raw.startswith(form, start)
                    and not (start > 0 and _word_character(raw[start - 1]))
                    and not (end < len(raw) and _word_character(raw[end]))
                ):
                    found.append((start, end, form))
                    taken = end
                    break
        return found

    def used(self, fragments: Iterable[str]) -> set[str]:
        """The terms that occur in the text of these HTML fragments (as the site marks them)."""
        found: set[str] = set()
        for fragment in fragments:
            raw = html.unescape(TAG.sub(" ", fragment)) if "<" in fragment else fragment
            found.update(self.terms[form] for _start, _end, form in self.matches(raw))
        return found

    def _abbr(self, form: str, shown: str) -> str:
        return f'<abbr title="{self.titles[form]}">{shown}</abbr>'

    def text(self, raw: str, escape: Callable[[str], str]) -> str:
        """Plain text escaped by ``escape``, its terms marked up."""
        found = self.matches(raw)
        if not found:
            return escape(raw)
        parts: list[str] = []
        position = 0
        for start, end, form in found:
            parts.append(escape(raw[position:start]))
            parts.append(self._abbr(form, escape(raw[start:end])))
            position = end
        parts.append(escape(raw[position:]))
        return "".join(parts)

    def html(self, fragment: str) -> str:
        """Sanitised HTML with the terms of its text marked up (not in links or code).

        The same fragment is on a module's page and on its sessions' pages: it is
        marked up once per build. What is kept for it is small: every process making
        pages holds it for all the texts it has shown (a large curriculum's whole text,
        twice as a key and a value, would be the largest part of its memory).
        """
        key = hashlib.blake2b(fragment.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        if key in self._marked:
            found = self._marked[key]
            return fragment if found is None else found.text()
        marked = self._mark_up(fragment)
        self._marked[key] = None if marked == fragment else Packed.of(marked)
        return marked

    def _mark_up(self, fragment: str) -> str:
        if not self._index or ("<" not in fragment and not self.matches(html.unescape(fragment))):
            return fragment
        parts: list[str] = []
        skipping: list[str] = []
        position = 0
        for tag in TAG.finditer(fragment):
            parts.append(self._text_node(fragment[position : tag.start()], skipping))
            closing, name = tag.group(1), tag.group(2).lower()
            if name in _SKIP:
                if closing and name in skipping:
                    skipping.remove(name)
                elif not closing:
                    skipping.append(name)
            parts.append(tag.group(0))
            position = tag.end()
        parts.append(self._text_node(fragment[position:], skipping))
        return "".join(parts)

    def _text_node(self, text: str, skipping: list[str]) -> str:
        if not text or skipping:
            return text
        raw = html.unescape(text)
        found = self.matches(raw)
        if not found:
            return text
        parts: list[str] = []
        position = 0
        for start, end, form in found:
            parts.append(html.escape(raw[position:start], quote=False))
            parts.append(self._abbr(form, html.escape(raw[start:end], quote=False)))
            position = end
        parts.append(html.escape(raw[position:], quote=False))
        return "".join(parts)


def _word_character(char: str) -> bool:
    """What regular expressions call a word character (``\\w``)."""
    return char.isalnum() or char == "_"

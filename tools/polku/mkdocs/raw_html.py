"""A Python-Markdown extension: HTML polku marked as finished is passed on unread.

polku writes the author parts of its pages as sanitised HTML between the lines
``<!--polku:raw-->`` and ``<!--/polku:raw-->`` (``render.author``). Before any other
step reads the page, this extension puts each such block into Python-Markdown's
store of raw HTML and leaves a placeholder, which the converter swaps back at the
end: the engine's HTML parser never walks through the author's HTML again, which
was about four tenths of converting a page. Without the extension the markers are
HTML comments and the page converts to the same HTML.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ..render import plain_text
from ..render.author import RAW_END, RAW_START

# after whitespace is normalised (30), before code fences (25: they would read every
# line of the HTML looking for one) and raw HTML blocks (20) are found
PRIORITY = 29


class RawBlocks(Preprocessor):
    """Each marked block into the raw HTML store, a placeholder in its place."""

    def run(self, lines: list[str]) -> list[str]:
        if RAW_START not in lines:
            return lines
        out: list[str] = []
        block: list[str] | None = None
        nested = 0  # markers inside a block (author text in a raw activity) are dropped
        for line in lines:
            if block is None:
                if line == RAW_START:
                    block = []
                else:
                    out.append(line)
            elif line == RAW_START:
                nested += 1
            elif line == RAW_END and nested:
                nested -= 1
            elif line == RAW_END:
                out += ["", self.md.htmlStash.store("\n".join(block)), ""]
                block = None
            else:
                block.append(line)
        if block is not None:  # no end: leave the lines as they were
            out += [RAW_START, *block]
        return out


class RawHtmlExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(RawBlocks(md), "polku_raw", PRIORITY)
        plain_text.register(md)  # the same for the texts the inline step would find nothing in


def makeExtension(**kwargs: Any) -> RawHtmlExtension:
    return RawHtmlExtension(**kwargs)

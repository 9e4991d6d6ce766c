"""The one currency of a build: every renderer returns :class:`Output` objects.

An output is a page (a Markdown file the site engine turns into HTML) or a file
the site publishes as it is (a calendar, a picture, a PDF, an asset). Its path is
the docs-relative path for a page and the path under the site folder for a file,
both as :mod:`polku.paths` names them. Pages link to files from the same list, so a
link is shown only for what the build really writes.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Packed:
    """Text kept compressed, in about a fifth of the memory: a page's Markdown (a large
    site's pages are made long before the engine reads them, each once; held as text
    they would be the largest part of a build's memory until then), the glossed HTML
    of an author text.
    """

    data: bytes

    @classmethod
    def of(cls, text: str) -> Packed:
        return cls(zlib.compress(text.encode("utf-8", "surrogatepass"), 1))  # fast, and enough

    def text(self) -> str:
        return zlib.decompress(self.data).decode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class Output:
    """One page or file of the site."""

    path: str
    content: str | bytes | Packed | None = None  # a page's Markdown is text, or packed
    source: Path | None = None  # a file to publish as it is
    title: str | None = None
    # a page the engine may list in its navigation; others are reached by links
    in_nav: bool = False
    # made by a later stage of the build (the PDFs, rendered in other processes)
    deferred: bool = False

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md") and isinstance(self.content, str | Packed)

    @property
    def text(self) -> str:
        """A page's Markdown."""
        if isinstance(self.content, Packed):
            return self.content.text()
        assert isinstance(self.content, str), self.path
        return self.content

    def data(self) -> bytes:
        """The file's bytes (reads the source of a file output)."""
        if isinstance(self.content, bytes):
            return self.content
        if isinstance(self.content, str | Packed):
            return self.text.encode("utf-8")
        assert self.source is not None, self.path
        return self.source.read_bytes()


class Outputs:
    """The outputs of one build, in the order they were added; one per path."""

    def __init__(self, outputs: Iterable[Output] = ()) -> None:
        self._by_path: dict[str, Output] = {}
        self.extend(outputs)

    def add(self, output: Output) -> None:
        """Add ``output``; the first output of a path wins."""
        self._by_path.setdefault(output.path, output)

    def extend(self, outputs: Iterable[Output]) -> None:
        for output in outputs:
            self.add(output)

    def __iter__(self) -> Iterator[Output]:
        return iter(self._by_path.values())

    def __len__(self) -> int:
        return len(self._by_path)

    def __contains__(self, path: object) -> bool:
        return path in self._by_path

    def get(self, path: str) -> Output | None:
        return self._by_path.get(path)

    def let_go_of_text(self, path: str) -> None:
        """Forget the text of page ``path``: the site engine has read it (a build, whose
        pages are read once, keeps less in memory). The page stays in the list."""
        output = self._by_path.get(path)
        if output is not None and output.is_page:
            self._by_path[path] = dataclasses.replace(output, content="")

    def pages(self) -> list[Output]:
        return [output for output in self if output.is_page]

    def files(self) -> list[Output]:
        return [output for output in self if not output.is_page]

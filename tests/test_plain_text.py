"""Texts no inline pattern can match skip Python-Markdown's inline step, with the same HTML."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

import markdown
import pytest
from conftest import copy_fixture
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import InlineProcessor
from polku import build as pipeline
from polku.project import Project
from polku.render import plain_text
from polku.render.markup import MARKDOWN_EXTENSIONS

# the site's dialect, as polku's engine and author converter use it
EXTENSIONS: list[object] = [*MARKDOWN_EXTENSIONS, "toc", "polku.mkdocs.raw_html"]
CONFIGS = {"toc": {"permalink": True}}


def converters() -> tuple[markdown.Markdown, markdown.Markdown]:
    """One converter with the marks, one without them."""
    with_marks = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    without = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    without.treeprocessors.deregister("polku_mark_plain")
    without.treeprocessors.deregister("polku_unmark_plain")
    return with_marks, without


def both(text: str) -> tuple[str, str]:
    with_marks, without = converters()
    return with_marks.convert(text), without.convert(text)


def test_the_site_s_dialect_has_only_known_inline_patterns() -> None:
    """Otherwise nothing is marked and the saving is silently lost (a new Markdown)."""
    with_marks, _ = converters()
    assert plain_text.only_known_patterns(with_marks)


def test_plain_text_is_marked_for_the_inline_step_only() -> None:
    seen: list[tuple[str, str]] = []

    class Look(markdown.treeprocessors.Treeprocessor):
        def run(self, root: Element) -> None:
            seen.extend((type(e.text).__name__, e.text) for e in root.iter() if e.text)

    md = markdown.Markdown(extensions=EXTENSIONS)
    md.treeprocessors.register(Look(md), "look_before", plain_text.INLINE_PRIORITY + 0.1)
    md.treeprocessors.register(Look(md), "look_after", plain_text.INLINE_PRIORITY - 0.9)
    html = md.convert("Plain words here\n\nSome *emphasis* here")
    assert html == "<p>Plain words here</p>\n<p>Some <em>emphasis</em> here</p>"
    half = len(seen) // 2
    assert ("_Plain", "Plain words here") in seen[:half]
    assert ("str", "Some *emphasis* here") in seen[:half]
    assert all(kind != "_Plain" for kind, _ in seen[half:])


def test_abbreviations_still_reach_plain_text() -> None:
    """The abbreviations step skips marked text: the marks are off before it runs."""
    html, reference = both("*[OMA]: omavalmentaja\n\nOMA tapaa asiakkaan\n\n- OMA\n")
    assert html == reference
    assert html.count('<abbr title="omavalmentaja">OMA</abbr>') == 2


def test_a_converter_with_another_inline_pattern_is_left_as_it_is() -> None:
    class Mark(InlineProcessor):
        def handleMatch(self, m, data):  # type: ignore[no-untyped-def]
            element = Element("mark")
            element.text = m.group(1)
            return element, m.start(0), m.end(0)

    class MarkExtension(markdown.Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:
            md.inlinePatterns.register(Mark(r"%%(.+?)%%", md), "mark", 65)

    md = markdown.Markdown(extensions=[*EXTENSIONS, MarkExtension()])
    assert not plain_text.only_known_patterns(md)
    assert md.convert("a %%b%% c") == "<p>a <mark>b</mark> c</p>"


PIECES = [
    "sana",
    "Ääni",
    " ",
    " ",
    "\n",
    "\n\n",
    "  \n",
    "*",
    "**",
    "_",
    "__",
    "`",
    "\\",
    "[",
    "]",
    "(x.md)",
    "![",
    "<b>",
    "</b>",
    "<",
    ">",
    "&amp;",
    "&",
    "#",
    "# ",
    "## ",
    "- ",
    "1. ",
    "> ",
    "    ",
    "```\n",
    "~~~",
    "|",
    "---",
    ":",
    "{ #a }",
    "{: .c }",
    "[^1]",
    "\n[^1]: huom",
    "\n*[OMA]: omavalmentaja\n",
    "OMA",
    "<div markdown>\n",
    "\n</div>\n",
    "!!! note\n",
    "??? tip\n",
    "<https://example.fi>",
    "<a@b.fi>",
    "\x02",
    "\x03",
    "<!--polku:raw-->\n",
    "\n<!--/polku:raw-->\n",
    "Term\n:   definition\n",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_text_converts_alike_with_and_without_the_marks(pieces: list[str]) -> None:
    html, reference = both("".join(pieces))
    assert html == reference


@pytest.mark.parametrize("fixture", ["learner", "hardening", "workbooks"])
def test_every_generated_page_and_author_text_converts_alike(fixture: str, tmp_path: Path) -> None:
    project = copy_fixture(fixture, tmp_path)
    prepared = pipeline.prepare(Project.load(project).with_options(pdf=False))
    with_marks, without = converters()
    pages = 0
    for output in prepared.outputs.pages():
        text = output.data().decode("utf-8")
        with_marks.reset()
        without.reset()
        assert with_marks.convert(text) == without.convert(text), output.path
        pages += 1
    assert pages >= 5
    hand_written = [path for path in (project / "docs").rglob("*.md")]
    for path in hand_written:
        text = path.read_text(encoding="utf-8")
        with_marks.reset()
        without.reset()
        assert with_marks.convert(text) == without.convert(text), path

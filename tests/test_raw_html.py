"""Author HTML handed to the engine unread: the raw-HTML markers and their extension."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from conftest import copy_fixture
from polku import build as pipeline
from polku.mkdocs.raw_html import RawBlocks
from polku.project import Project
from polku.render.author import RAW_END, RAW_START, _split_at_headings
from polku.render.markup import MARKDOWN_EXTENSIONS

EXTENSION = "polku.mkdocs.raw_html"


def convert(text: str, extensions: list[object], configs: dict[str, object]) -> str:
    return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(text)


def normalised(html: str) -> str:
    html = html.replace(RAW_START, "").replace(RAW_END, "")
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def test_a_marked_block_is_passed_on_exactly() -> None:
    block = '<div class="polku-text">\n<p>*not emphasis* [not a link](x)</p>\n\n<p>b</p>\n</div>'
    text = f"# Title\n\n{RAW_START}\n{block}\n{RAW_END}\n\nAfter *this*.\n"
    html = convert(text, ["md_in_html", EXTENSION], {})
    assert block in html and "<em>this</em>" in html and "polku:raw" not in html


def test_markers_inside_a_block_are_dropped_and_blocks_nest() -> None:
    text = "\n".join(
        [RAW_START, '<div class="a">', RAW_START, "<p>inner</p>", RAW_END, "<p>after</p>", "</div>"]
    )
    text += f"\n{RAW_END}\n\nLast *line*.\n"
    html = convert(text, [EXTENSION], {})
    assert '<div class="a">\n<p>inner</p>\n<p>after</p>\n</div>' in html
    assert "<em>line</em>" in html and "polku:raw" not in html


def test_a_block_without_its_end_is_left_as_it_was() -> None:
    lines = ["a", RAW_START, "<p>b</p>", "c"]
    assert RawBlocks(markdown.Markdown()).run(list(lines)) == lines


def test_runs_split_at_top_level_elements_holding_headings() -> None:
    fragment = (
        '<p title="a > b">one</p>\n<ul>\n<li>two</li>\n</ul>\n<hr>\n'
        '<h2 id="x">Heading <em>x</em></h2>\n<p>three<br>four</p>\n'
        '<div class="admonition note">\n<h3 id="y">Inside</h3>\n<p>five</p>\n</div>\n<p>six</p>'
    )
    runs = _split_at_headings(fragment)
    assert [headed for headed, _ in runs] == [False, True, False, True, False]
    assert runs[0][1] == '<p title="a > b">one</p>\n<ul>\n<li>two</li>\n</ul>\n<hr>'
    assert runs[1][1] == '<h2 id="x">Heading <em>x</em></h2>'
    assert runs[2][1] == "<p>three<br>four</p>"
    assert runs[3][1].startswith('<div class="admonition note">') and runs[4][1] == "<p>six</p>"
    assert "".join(element for _, element in runs).replace("\n", "") == fragment.replace("\n", "")


@pytest.mark.parametrize("fixture", ["learner", "hardening", "workbooks"])
def test_every_generated_page_converts_alike_with_and_without_the_extension(
    fixture: str, tmp_path: Path
) -> None:
    """The extension only saves work: any engine without it builds the same pages."""
    project = copy_fixture(fixture, tmp_path)
    prepared = pipeline.prepare(Project.load(project).with_options(pdf=False))
    extensions = [*MARKDOWN_EXTENSIONS, "toc"]
    configs = {"toc": {"permalink": True}}
    marked = 0
    for output in prepared.outputs.pages():
        text = output.data().decode("utf-8")
        if RAW_START not in text:
            continue
        marked += 1
        with_it = convert(text, [*extensions, EXTENSION], configs)
        without = convert(text, extensions, configs)
        assert "polku:raw" not in with_it, output.path
        assert normalised(with_it) == normalised(without), output.path
    assert marked >= 5

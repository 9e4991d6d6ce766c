"""Search sections read by polku are the ones Material's own parser reads.

polku reads the sections of a page for Material's search index with one regular
expression instead of ``HTMLParser`` (``mkdocs.search_sections``). Every page of the
real curriculum and of the hostile example, and HTML made up by Hypothesis, must come
out as Material's ``Parser`` makes it, section by section, piece by piece.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from material.plugins.search import plugin as material_search
from mkdocs.commands.build import build
from mkdocs.config import load_config
from polku import parallel
from polku.mkdocs import search_sections


def material_sections(html: str) -> list[Any]:
    parser = material_search.Parser()
    parser.feed(html)
    parser.close()
    return parser.data


def pieces(sections: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (s.el.tag, dict(s.el.attrs), s.id, s.depth, list(s.title), list(s.text), s.is_excluded())
        for s in sections
    ]


def read_here(html: str) -> bool:
    """Whether polku reads the page itself (not Material's parser)."""
    try:
        search_sections._read(html)
    except search_sections._Unusual:
        return False
    return True


@pytest.fixture
def quiet_logs() -> Iterator[None]:
    logging.disable(logging.WARNING)
    yield
    logging.disable(logging.NOTSET)


def copy_project(name: str, destination: Path) -> Path:
    if name == "hardening":
        target = destination / name
        shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("site", ".cache"))
        return target
    target = destination / "real"
    target.mkdir()
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    assert "\n  - polku\n" in config
    # the pages only: no workbooks
    config = config.replace("\n  - polku\n", "\n  - polku:\n      pdf: false\n", 1)
    (target / "mkdocs.yml").write_text(config, "utf-8")
    for folder in ("curriculum", "docs", "overrides"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder)
    return target


@pytest.mark.parametrize("name", ["real", "hardening"])
def test_every_page_of_a_build_has_the_sections_materials_parser_reads(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet_logs: None
) -> None:
    project = copy_project(name, tmp_path)
    pages: list[str] = []
    reading = search_sections.sections

    def recorded(html: str) -> list[Any]:
        pages.append(html)
        return reading(html)

    monkeypatch.setattr(search_sections, "sections", recorded)
    monkeypatch.setattr(parallel, "available_cores", lambda: 1)  # every page seen here
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site")))

    assert len(pages) >= (150 if name == "real" else 10)
    for html in pages:
        assert pieces(reading(html)) == pieces(material_sections(html))
    # the pages polku makes are read here, not handed back to Material's parser
    assert all(read_here(html) for html in pages)


REGULAR = [
    '<h1 id="otsikko">Otsikko<a class="headerlink" href="#otsikko" title="Linkki">¶</a></h1>',
    "<p>Teksti &amp; <strong>vahva</strong>\n toinen rivi</p>",
    '<h2 id="a">A</h2><pre><code>rivi 1\n\n  rivi 2</code></pre><p> </p>',
    "<div data-search-exclude><p>piilossa</p></div><p>näkyvä</p>",
    "<ul><li>yksi</li><li></li><li> <em>kaksi</em> </li></ul>",
    '<img src="x.png" alt="kuva"><br/><hr /><input disabled type="checkbox">',
    '<div class="linenodiv"><pre>1\n2</pre></div><table><tr><td>solu</td></tr></table>',
    '<section><h3 id="b" class="x">B <code>koodi</code></h3><p>teksti</p></section><p>jälkeen</p>',
    '<!-- kommentti --><p title=\'lainaus "sisällä"\' data-x="&lt;b&gt;">teksti</p>',
]
UNUSUAL = [
    "<p>a < b</p>",
    "<script>var x = '<p>';</script><p>teksti</p>",
    "<p class=bare>arvo ilman lainausmerkkejä</p>",
    "<!DOCTYPE html><p>teksti</p>",
    "<p>teksti</p><!-- a -- b -->",
    "<p>teksti</p></p foo>",
]


@pytest.mark.parametrize("html", REGULAR)
def test_regular_html_is_read_here_to_the_same_sections(html: str) -> None:
    assert read_here(html)
    assert pieces(search_sections.sections(html)) == pieces(material_sections(html))


@pytest.mark.parametrize("html", UNUSUAL)
def test_unusual_html_goes_to_materials_parser(html: str) -> None:
    assert not read_here(html)
    assert pieces(search_sections.sections(html)) == pieces(material_sections(html))


TAGS = ["div", "p", "span", "a", "h1", "h2", "h3", "pre", "code", "ul", "li", "em", "section"]
TAGS += ["object", "sub", "table", "td", "br", "img", "hr", "H2", "Code"]
ATTRIBUTES = st.sampled_from(
    [
        ' id="x"',
        " id='y-2'",
        ' class="headerlink"',
        ' class="linenodiv"',
        " data-search-exclude",
        ' title="a &amp; b &quot;c&quot;"',
        ' href="#x"',
        ' ID="iso"',
        "  class = 'v' ",
        ' data-search-exclude=""',
    ]
)
TEXTS = st.sampled_from(
    [
        "teksti",
        " ",
        "\n",
        "  \n  ",
        "rivi\ntoinen",
        "&amp;",
        "&lt;b&gt;",
        "a &amp b",
        "&#228;&nbsp;ö",
        "¶",
        "<",
        "a > b",
        "&",
    ]
)


@st.composite
def fragments(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "element", "element", "comment", "stray end"]))
        if kind == "text" or depth > 3:
            parts.append(draw(TEXTS))
        elif kind == "comment":
            parts.append(draw(st.sampled_from(["<!-- huom -->", "<!---->", "<!-- a -- b -->"])))
        elif kind == "stray end":
            parts.append(f"</{draw(st.sampled_from(TAGS))}>")
        else:
            tag = draw(st.sampled_from(TAGS))
            attributes = "".join(draw(st.lists(ATTRIBUTES, max_size=3)))
            if draw(st.integers(0, 9)) == 0:
                parts.append(f"<{tag}{attributes}/>")
                continue
            inner = draw(fragments(depth + 1))
            closing = "" if draw(st.integers(0, 7)) == 0 else f"</{tag}>"
            parts.append(f"<{tag}{attributes}>{inner}{closing}")
    return "".join(parts)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments())
def test_made_up_html_has_the_sections_materials_parser_reads(html: str) -> None:
    try:
        expected: Any = pieces(material_sections(html))
    except ValueError as error:  # Material's parser fails on some odd nesting
        expected = repr(error)
    try:
        found: Any = pieces(search_sections.sections(html))
    except ValueError as error:
        found = repr(error)
    assert found == expected


def test_another_search_index_is_left_as_it_is() -> None:
    class OtherIndex:
        def add_entry_from_context(self, page: Any) -> None:
            pass

    other = OtherIndex()
    assert not search_sections.speed_up(other)
    assert "add_entry_from_context" not in vars(other)
    index = material_search.SearchIndex(lang=["fi"])
    assert search_sections.speed_up(index)
    assert "add_entry_from_context" in vars(index)


@pytest.mark.parametrize("per_piece", [1, 7, search_sections.ENTRIES_PER_PIECE])
def test_the_index_file_written_in_pieces_holds_materials_bytes(
    per_piece: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet_logs: None
) -> None:
    project = copy_project("hardening", tmp_path)
    monkeypatch.setattr(search_sections, "ENTRIES_PER_PIECE", per_piece)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)

    writers = [
        handler
        for handler in config.plugins.events["post_build"]
        if isinstance(getattr(handler, "__self__", None), search_sections._IndexFile)
    ]
    assert len(writers) == 1  # Material's own handler is replaced, not run besides
    index = config.plugins["material/search"].search_index
    assert len(index.entries) > 3 * per_piece or per_piece > 7
    assert any(not str(entry).isascii() for entry in index.entries)  # Finnish text
    written = (tmp_path / "site" / "search" / "search_index.json").read_bytes()
    assert written == index.generate_search_index(None).encode("utf-8")
    # a second build with the same plugins keeps the one writer in Material's place
    assert search_sections.write_in_pieces(config)
    assert writers == [
        handler
        for handler in config.plugins.events["post_build"]
        if isinstance(getattr(handler, "__self__", None), search_sections._IndexFile)
    ]

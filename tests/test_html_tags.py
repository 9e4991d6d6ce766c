"""Rewrites of sanitised author HTML change attribute values and nothing else."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st
from polku.render.author import AuthorMarkdown, PageText
from polku.render.html_tags import attribute_values, rewrite_attributes, without
from polku.render.sanitize import sanitize_html


class _Shape(HTMLParser):
    """Tags, attribute names and text of a page: what a rewrite of values must keep."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[object] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, sorted(name for name, _value in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.found.append(f"/{tag}")

    def handle_data(self, data: str) -> None:
        self.found.append(data)


def shape(html: str) -> list[object]:
    parser = _Shape()
    parser.feed(html)
    parser.close()
    return parser.found


TRICKY = [
    '<span title="src=">" autofocus tabindex=0 onfocus=alert(1) x=</span>',
    '<span title="a id=">" onmouseover=alert(2) x=</span>',
    '<a href="x.png" title="href=">y</a> id="z"',
    "<p>src=\"a\" id='b' href=c</p>",
]


def test_a_value_that_ends_like_an_attribute_is_left_whole() -> None:
    for text in TRICKY:
        html = sanitize_html(text)
        changed = rewrite_attributes(html, frozenset({"id", "href", "src"}), lambda *_: "X")
        assert shape(changed) == shape(html), text
        assert "onfocus" not in changed.split(">", 1)[0]


def test_values_are_read_from_tags_only() -> None:
    html = '<p title="id=">id="no"</p><h2 id="yes">x</h2><img alt="" src="a.png">'
    assert attribute_values(html, "id") == ["yes"]
    assert attribute_values(html, "src") == ["a.png"]
    assert without(' href="a" title="href=" class="c"', "href") == ' title="href=" class="c"'


_TEXT = st.text(alphabet="ab <>\"'=&;#/ \nsrcidhef", max_size=30)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["title", "alt", "id", "href"]), _TEXT), max_size=4), _TEXT
)
def test_any_sanitised_attributes_keep_their_shape(attrs: list[tuple[str, str]], text: str) -> None:
    written = "".join(f' {name}="{value}"' for name, value in attrs)
    html = sanitize_html(f'<p><a{written}>{text}</a><img alt="{text}" src="x.png">{text}</p>')
    changed = rewrite_attributes(html, frozenset({"id", "href", "src"}), lambda *_: "X")
    assert shape(changed) == shape(html)


def test_author_headings_reach_the_engine_as_text_only() -> None:
    """The element of a heading is read as Markdown again by the engine: its text holds
    no syntax (attr_list's braces, emphasis, links) but character references."""
    page = PageText(AuthorMarkdown(), "modules/m/index.md")
    block = page.block('## Otsikko: \\{ tabindex=0 onfocus="alert(1)" \\} \\*x\\*', "module")
    heading = block.split("\n")[1]
    assert heading.startswith("<h2 ")
    text = heading.split(">", 1)[1]
    assert not set("{}*:=()") & set(text.replace("&#", ""))
    assert "&#123;" in text and "&#42;x&#42;" in text

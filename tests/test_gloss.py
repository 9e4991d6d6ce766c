"""Glossary terms are marked up where they stand as words, with plain-text hover definitions."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from polku.model import Glossary, Term
from polku.render.gloss import Glosser
from polku.render.markup import MARKDOWN_EXTENSIONS, plain
from polku.render.sanitize import sanitize_html

TERMS = ["Ohjaus", "Note", "112", "Työ-kyky", "snake_case", "Kaksi sanaa", "Straße", "SMART"]


@pytest.fixture(scope="module")
def glosser() -> Glosser:
    terms = [Term(term=term, definition=f"Määritelmä: *{term}*.") for term in TERMS]
    terms.append(Term(term="Vaara", definition="<img src=x onerror=alert(1)> & Q&A"))
    return Glosser(Glossary(terms=terms))


def marked(fragment: str) -> list[str]:
    return re.findall(r"<abbr [^>]*>([^<]*)</abbr>", fragment)


def test_terms_in_plain_text(glosser: Glosser) -> None:
    text = glosser.text("Ohjaus on tärkeää, ohjaus myös; Ohjausmalli ei ole termi.", plain)
    assert marked(text) == ["Ohjaus", "ohjaus"]
    assert 'title="Määritelmä: Ohjaus."' in text  # Markdown stripped from the definition


def test_terms_of_several_words_and_odd_characters(glosser: Glosser) -> None:
    text = glosser.text(
        "Työ-kyky ja työ-kyky, snake_case, Kaksi sanaa, kaksi sanaa, Straße.", plain
    )
    expected = ["Työ-kyky", "työ-kyky", "snake&#95;case", "Kaksi sanaa", "kaksi sanaa", "Straße"]
    assert marked(text) == expected


def test_no_terms_no_change(glosser: Glosser) -> None:
    assert glosser.text("Ei yhtään termiä tässä.", plain) == plain("Ei yhtään termiä tässä.")
    assert glosser.matches("Ei yhtään termiä tässä.") == []


def test_html_terms_outside_links_code_and_headings(glosser: Glosser) -> None:
    source = (
        "## Ohjaus\n\nOhjaus ja `Ohjaus` ja [Ohjaus](x.md) ja **Ohjaus**.\n\n"
        "| Ohjaus | Note |\n| --- | --- |\n| 112 | x |\n"
    )
    fragment = sanitize_html(markdown.markdown(source, extensions=MARKDOWN_EXTENSIONS))
    glossed = glosser.html(fragment)
    assert marked(glossed) == ["Ohjaus", "Ohjaus", "Ohjaus", "Note", "112"]
    assert "<h2>Ohjaus</h2>" in glossed
    assert "<code>Ohjaus</code>" in glossed
    assert '<a href="x.md">Ohjaus</a>' in glossed


def test_definitions_are_text_for_the_theme(glosser: Glosser) -> None:
    """The theme puts a title into innerHTML: the decoded title must be escaped text."""
    text = glosser.text("Vaara!", plain)
    title = re.search(r'title="([^"]*)"', text)
    assert title is not None
    decoded = html.unescape(title.group(1))  # what the browser hands to the theme
    assert "<" not in decoded and ">" not in decoded
    # what a reader sees: the definition as text (Markdown marks such as ">" dropped)
    assert html.unescape(decoded) == "<img src=x onerror=alert(1) & Q&A"


def test_a_fragment_marked_up_again_comes_from_what_was_kept() -> None:
    glosser = Glosser(Glossary(terms=[Term(term="Ohjaus", definition="Tukea.")]))
    with_term = "<p>Ohjaus ja työ, Straße ü \ud800</p>"  # a lone surrogate is kept as it is
    without = "<p>Ei termiä.</p>"
    first = glosser.html(with_term), glosser.html(without)
    assert marked(first[0]) == ["Ohjaus"] and first[1] == without
    calls: list[str] = []
    mark_up = glosser._mark_up
    glosser._mark_up = lambda fragment: calls.append(fragment) or mark_up(fragment)  # type: ignore[method-assign]
    assert (glosser.html(with_term), glosser.html(without)) == first
    assert calls == []  # both from what was kept, packed
    assert glosser.html("<p>Ohjaus.</p>") != glosser.html("<p>Ohjaus!</p>")
    assert len(calls) == 2
    glosser.forget()
    assert glosser.html(with_term) == first[0] and len(calls) == 3

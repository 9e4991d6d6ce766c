"""Module pages carry only the glossary abbreviations they use, with the same HTML."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from conftest import FIXTURES
from polku.check import check
from polku.model import Glossary, Term
from polku.plugin import MARKDOWN_EXTENSIONS
from polku.render.site import SiteRenderer

TERMS = ["Ohjaus", "Note", "112", "Työ-kyky", "snake_case", "Kaksi sanaa", "Straße", "SMART"]

PAGES = [
    "Ohjaus on tärkeää. ohjaus myös.",
    "__Ohjaus__ ja _Ohjaus_ sekä Ohjaus**malli** ja [Ohjaus](x.md).",
    '!!! note\n    Teksti.\n\n!!! tip "Ohjaus"\n    x',
    "Teksti[^1].\n\n[^1]: Alaviite.",
    "Työ-kyky ja työ-kyky, snake_case, Kaksi sanaa, kaksi sanaa.",
    "STRASSE ja Straße, smart ja SMART.",
    "Ei yhtään termiä tässä.",
    "| Ohjaus | Note |\n| --- | --- |\n| 112 | x |",
    "Ohjaus\\_malli ja &auml;Ohjaus",
]


@pytest.fixture(scope="module")
def renderer() -> SiteRenderer:
    curriculum, _report = check(FIXTURES / "basic")
    curriculum.glossary = Glossary(
        terms=[Term(term=term, definition=f"Määritelmä: {term}.") for term in TERMS]
    )
    return SiteRenderer(curriculum)


def html(text: str) -> str:
    extensions = ["toc", "tables", "fenced_code", *MARKDOWN_EXTENSIONS]
    return markdown.Markdown(
        extensions=extensions, extension_configs={"toc": {"permalink": True}}
    ).convert(text)


@pytest.mark.parametrize("page", PAGES)
def test_same_html_as_with_every_term(renderer: SiteRenderer, page: str) -> None:
    every = renderer.abbreviations()
    used = renderer.abbreviations(page)
    assert len(used) <= len(every)
    assert html(page + "\n\n" + used + "\n") == html(page + "\n\n" + every + "\n")


def test_only_used_terms(renderer: SiteRenderer) -> None:
    assert renderer.abbreviations("Ei yhtään termiä tässä.") == ""
    used = renderer.abbreviations("Ohjaus ja note.")
    assert "*[Ohjaus]:" in used and "*[Note]:" in used and "SMART" not in used


def test_module_pages_have_the_glossary_terms(tmp_path: Path, renderer: SiteRenderer) -> None:
    module = next(iter(renderer.curriculum.modules.values()))
    page = renderer.module_page(module)
    assert page.endswith("\n")
    assert "*[" not in page or page.rstrip().splitlines()[-1].startswith("*[")

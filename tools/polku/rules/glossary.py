"""P5xx: the glossary defines each term once, and its cross-references lead to terms."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from .context import Context, suggest
from .registry import Finding, rule


@rule(
    "P501",
    Severity.ERROR,
    "A term is defined twice",
    """
    Each term of `curriculum/glossary.yml` is defined once; terms that differ only in
    capitals are the same term. Merge the two definitions into one.
    """,
)
def terms_defined_once(context: Context) -> Iterator[Finding]:
    glossary = context.curriculum.glossary
    if glossary is None:
        return
    source = context.source("glossary", "glossary")
    seen: set[str] = set()
    for index, term in enumerate(glossary.terms):
        key = term.term.casefold()
        if key in seen:
            yield context.at(
                source,
                ("terms", index, "term"),
                f"term '{term.term}' is defined twice; merge the definitions",
            )
        seen.add(key)


@rule(
    "P502",
    Severity.ERROR,
    "A cross-reference names no term",
    """
    Every entry of a term's `see` is another term of the glossary (capitals do not
    matter). Fix the spelling (the message suggests a close term) or add the term.
    """,
)
def see_terms_exist(context: Context) -> Iterator[Finding]:
    glossary = context.curriculum.glossary
    if glossary is None:
        return
    source = context.source("glossary", "glossary")
    names = [t.term for t in glossary.terms]
    known = {name.casefold() for name in names}
    for index, term in enumerate(glossary.terms):
        for s_index, other in enumerate(term.see):
            if other.casefold() not in known:
                yield context.at(
                    source,
                    ("terms", index, "see", s_index),
                    f"see: term '{other}' is not in the glossary" + suggest(other, names),
                )

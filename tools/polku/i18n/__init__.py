"""Interface labels: one translation table per language (fi, sv, en).

Each table also carries what a language needs beyond words: its plural rule
(``plural.rule``, in CLDR syntax, read with Babel) and its alphabetical order
(``collation.alphabet`` and ``collation.same``), so that counts read "25
tapaamista" and lists sort the way a reader of that language looks things up.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.plural import PluralRule
from ruamel.yaml import YAML

LANGUAGES = ("fi", "sv", "en")
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# Keys that hold a language's rules, not interface labels
RULE_KEYS = ("plural.rule", "collation.alphabet", "collation.same")


@cache
def table(language: str) -> dict[str, str]:
    """The labels of one language; unknown languages fall back to English."""
    if language not in LANGUAGES:
        language = "en"
    path = Path(__file__).with_name(f"{language}.yml")
    return {str(k): str(v) for k, v in YAML(typ="safe").load(path.read_text("utf-8")).items()}


@cache
def plural_rule(language: str) -> PluralRule:
    """The language's plural rule (CLDR): which form a count takes."""
    return PluralRule.parse(_rules(table(language).get("plural.rule", "")))


def _rules(text: str) -> dict[str, str]:
    """``"one: i = 1 and v = 0; few: ..."`` as {category: condition}."""
    found = {}
    for part in text.split(";"):
        category, _, condition = part.partition(":")
        if category.strip() and condition.strip():
            found[category.strip()] = condition.strip()
    return found


@cache
def collation_key(language: str) -> Callable[[str], tuple[tuple[int, ...], str]]:
    """A sort key that orders text the way the language's alphabet does.

    Letters of ``collation.alphabet`` sort in its order (Finnish and Swedish put å,
    ä and ö after z); ``collation.same`` lists letters that sort as another
    (``w=v``: in Finnish v and w are one letter). Any other accented letter sorts
    as its base letter. A space or punctuation ends a word, which sorts before
    longer words ("Työn räätälöinti" before "Työnantaja"); case only breaks ties.
    """
    rules = table(language)
    alphabet = rules.get("collation.alphabet") or "0123456789abcdefghijklmnopqrstuvwxyz"
    rank = {letter: index + 1 for index, letter in enumerate(alphabet)}  # 0: between words
    for pair in rules.get("collation.same", "").split():
        letter, _, same = pair.partition("=")
        if letter and same in rank:
            rank[letter] = rank[same]

    def weights(text: str) -> tuple[int, ...]:
        found: list[int] = []
        for char in unicodedata.normalize("NFC", text.casefold().strip()):
            parts = char if char in rank else unicodedata.normalize("NFKD", char)
            for part in parts:
                if part in rank:
                    found.append(rank[part])
                elif part.isalnum():  # a letter outside the alphabet: after it
                    found.append(len(alphabet) + 1 + ord(part))
                elif not unicodedata.combining(part) and found and found[-1] != 0:
                    found.append(0)
        return tuple(found)

    def key(text: str) -> tuple[tuple[int, ...], str]:
        return (weights(text), text)

    return key


@cache
def collation_initial(language: str) -> Callable[[str], str]:
    """The letter a text is filed under in the language's alphabet (upper case)."""
    rules = table(language)
    alphabet = rules.get("collation.alphabet") or "0123456789abcdefghijklmnopqrstuvwxyz"
    key = collation_key(language)

    def initial(text: str) -> str:
        weights = key(text)[0]
        if not weights:
            return "#"
        if weights[0] <= len(alphabet):
            return alphabet[weights[0] - 1].upper()
        return chr(weights[0] - len(alphabet) - 1).upper()

    return initial


class Labels:
    """Callable label lookup for one language, used by every renderer."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.table = table(language)

    def __call__(self, key: str, **values: object) -> str:
        text = self.table.get(key) or table("en").get(key) or key
        return text.format(**values) if values else text

    def plural(self, key: str, count: int, **values: object) -> str:
        """The form of ``key`` that goes with the number ``count``: ``key.one``, ``key.other``.

        ``{n}`` in the label is the count.
        """
        category = plural_rule(self.language)(count)
        name = f"{key}.{category}"
        if name not in self.table and name not in table("en"):
            name = f"{key}.other"
        return self(name, n=count, **values)

    def sort_key(self, text: str) -> tuple[tuple[int, ...], str]:
        """The key that sorts ``text`` in this language's alphabetical order."""
        return collation_key(self.language)(text)

    def initial(self, text: str) -> str:
        """The letter ``text`` is filed under: its first letter as the alphabet sorts it
        (in Finnish a W word is filed under V, an Ü word under Y)."""
        return collation_initial(self.language)(text)

    def date(self, day: dt.date) -> str:
        return self("date_format").format(
            weekday=self(f"weekday.{day.weekday()}"),
            day=day.day,
            month=day.month,
            month_name=_MONTHS_EN[day.month - 1],
            year=day.year,
        )

    def duration(self, minutes: int | None) -> str:
        if not minutes:
            return ""
        hours, rest = divmod(minutes, 60)
        parts = []
        if hours:
            parts.append(f"{hours} {self('hours_short')}")
        if rest:
            parts.append(f"{rest} {self('minutes_short')}")
        return " ".join(parts)

"""The translation tables: every language has every key, its plural rule is CLDR's, and
lists sort the way a reader of the language looks things up."""

from __future__ import annotations

import re

import pytest
from babel import Locale
from polku.i18n import LANGUAGES, Labels, collation_key, plural_rule, table
from polku.render.site import unnumbered


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_key(language: str) -> None:
    assert set(table(language)) == set(table("en"))
    placeholders = re.compile(r"\{(\w+)\}")
    date_parts = {"weekday", "day", "month", "month_name", "year"}
    for key, text in table("en").items():
        used = set(placeholders.findall(table(language)[key]))
        if key in ("date_format", "schedule.date_short"):  # each picks its parts of a date
            assert used <= date_parts, (language, key)
        else:  # a translation uses the same values as the English label
            assert used == set(placeholders.findall(text)), (language, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_rules_are_cldr_and_every_form_is_there(language: str) -> None:
    cldr = Locale.parse(language).plural_form
    rule = plural_rule(language)
    assert rule.rules == cldr.rules
    for count in (0, 1, 2, 5, 21, 25, 101):
        assert rule(count) == cldr(count), (language, count)
    plural_keys = {key.rpartition(".")[0] for key in table(language) if key.endswith(".other")}
    assert "count.sessions" in plural_keys and "learner.progress_count" in plural_keys
    for key in plural_keys:
        for category in rule.tags | {"other"}:
            assert f"{key}.{category}" in table(language), (language, key, category)


def test_counts_take_the_form_their_number_needs() -> None:
    fi, sv, en = Labels("fi"), Labels("sv"), Labels("en")
    assert fi.plural("count.sessions", 25) == "25 tapaamista"  # partitive after a numeral
    assert fi.plural("count.sessions", 1) == "1 tapaaminen"
    assert sv.plural("count.sessions", 25) == "25 träffar"
    assert sv.plural("count.sessions", 1) == "1 träff"
    assert en.plural("count.sessions", 1) == "1 session"
    assert en.plural("count.sessions", 0) == "0 sessions"
    assert fi.plural("learner.progress_count", 3, done=1, total=3) == "1 / 3 tehtävää tehty"


def test_finnish_order_puts_aao_last_and_v_with_w() -> None:
    words = ["Öljy", "Välityömarkkinat", "Yhteinen ymmärrys", "Wellness", "Vaihe", "Äly", "Åland"]
    words += ["Zeta", "Ohjaus", "ohjaus", "Über", "Aalto"]
    assert sorted(words, key=collation_key("fi")) == [
        "Aalto",
        "Ohjaus",
        "ohjaus",
        "Vaihe",
        "Wellness",  # w is v
        "Välityömarkkinat",  # vä after ve (w)
        "Über",  # ü is y
        "Yhteinen ymmärrys",
        "Zeta",
        "Åland",
        "Äly",
        "Öljy",
    ]
    # a word that ends sorts before a longer one, whatever the letters after the space
    words = ["Työnohjaus", "Työn räätälöinti", "Työnantajayhteistyö", "Työ"]
    assert sorted(words, key=collation_key("fi")) == [
        "Työ",
        "Työn räätälöinti",
        "Työnantajayhteistyö",
        "Työnohjaus",
    ]
    fi = Labels("fi")
    assert [fi.initial(w) for w in ("Wellness", "Über", "Äly", "éclair", "24/7")] == [
        "V",
        "Y",
        "Ä",
        "E",
        "2",
    ]


def test_swedish_and_english_order() -> None:
    words = ["Öga", "Ärende", "Ål", "Zon", "Vår", "Wiki", "Anna"]
    assert sorted(words, key=collation_key("sv")) == [
        "Anna",
        "Vår",
        "Wiki",
        "Zon",
        "Ål",
        "Ärende",
        "Öga",
    ]
    # in English the accented letters are their base letters
    assert sorted(words, key=collation_key("en")) == [
        "Ål",
        "Anna",
        "Ärende",
        "Öga",
        "Vår",
        "Wiki",
        "Zon",
    ]


def test_a_step_is_numbered_once() -> None:
    assert unnumbered("1. Valmistaudu kuuntelemaan", 1) == "Valmistaudu kuuntelemaan"
    assert unnumbered("2) Anna kertojan puhua", 2) == "Anna kertojan puhua"
    # another number, or a number that belongs to the title, stays
    assert unnumbered("3. Toista", 4) == "3. Toista"
    assert unnumbered("10-10-10 pohdinta", 10) == "10-10-10 pohdinta"
    assert unnumbered("Goal – tavoite", 1) == "Goal – tavoite"


@pytest.mark.parametrize("language", LANGUAGES)
def test_labels_use_typographic_quotes_and_apostrophes(language: str) -> None:
    # polku's own words go into print and pages as they are: ’ and ”, never ' or "
    for key, text in table(language).items():
        assert "'" not in text and '"' not in text, (language, key, text)

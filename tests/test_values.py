"""Value types authors write by hand: durations, clock times, ids, days."""

from __future__ import annotations

import datetime as dt

import pytest
from polku.model import (
    check_day,
    check_id,
    format_duration,
    parse_clock,
    parse_date,
    parse_duration,
)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90min", 90),
        ("1h", 60),
        ("1h 30min", 90),
        ("4h", 240),
        ("1h30min", 90),
        (" 2h ", 120),
        (45, 45),
        ("120", None),
    ],
)
def test_durations(text: object, minutes: int | None) -> None:
    if minutes is None:
        with pytest.raises(ValueError, match="not a duration"):
            parse_duration(text)
    else:
        assert parse_duration(text) == minutes


@pytest.mark.parametrize("bad", ["", "abc", "1 hour", "90 mins", "h", "min", "1.5h", True, 1.5])
def test_bad_durations(bad: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(bad)


@pytest.mark.parametrize("bad", [0, -5, "0min", "0h"])
def test_durations_must_be_positive(bad: object) -> None:
    with pytest.raises(ValueError, match="longer than 0"):
        parse_duration(bad)


@pytest.mark.parametrize(("minutes", "text"), [(90, "1h 30min"), (60, "1h"), (15, "15min")])
def test_format_duration_round_trips(minutes: int, text: str) -> None:
    assert format_duration(minutes) == text
    assert parse_duration(format_duration(minutes)) == minutes


def test_clock_times() -> None:
    assert parse_clock("09:00") == dt.time(9, 0)
    assert parse_clock("9:05") == dt.time(9, 5)
    assert parse_clock("23:59") == dt.time(23, 59)
    for bad in ("24:00", "9.00", "0900", "12:60", 900, "noon"):
        with pytest.raises(ValueError, match="clock time"):
            parse_clock(bad)


def test_ids() -> None:
    assert check_id("grow") == "grow"
    assert check_id("10-10-10") == "10-10-10"
    assert check_id(123) == "123"  # digits only: YAML reads it as a number
    for bad in ("GROW", "-grow", "kuuntelu_1", "äiti", "a b", "", -1, True, 1.5):
        with pytest.raises(ValueError, match="not a valid id"):
            check_id(bad)


def test_dates_are_written_yyyy_mm_dd() -> None:
    assert parse_date("2027-01-11") == dt.date(2027, 1, 11)
    assert parse_date(" 2027-01-11 ") == dt.date(2027, 1, 11)
    # Python reads these as ISO dates too; the format has one way to write a date
    for other in ("20270111", "2027-W02-1", "2027-011", "２０２７-01-11"):
        with pytest.raises(ValueError, match="write it as YYYY-MM-DD"):
            parse_date(other)


def test_day_zero_does_not_exist() -> None:
    assert check_day(1) == 1
    assert check_day(-3) == -3
    with pytest.raises(ValueError, match="day 0 does not exist"):
        check_day(0)

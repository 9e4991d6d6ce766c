"""Interface labels: one translation table per language (fi, sv, en)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from ruamel.yaml import YAML

LANGUAGES = ("fi", "sv", "en")
_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@cache
def table(language: str) -> dict[str, str]:
    """The labels of one language; unknown languages fall back to English."""
    if language not in LANGUAGES:
        language = "en"
    path = Path(__file__).with_name(f"{language}.yml")
    return {str(k): str(v) for k, v in YAML(typ="safe").load(path.read_text("utf-8")).items()}


class Labels:
    """Callable label lookup for one language, used by every renderer."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.table = table(language)

    def __call__(self, key: str, **values: object) -> str:
        text = self.table.get(key) or table("en").get(key) or key
        return text.format(**values) if values else text

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

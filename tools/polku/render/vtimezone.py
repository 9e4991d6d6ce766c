"""The VTIMEZONE of a calendar file, written from the time zone database.

icalendar 7.3 writes the daylight-saving onset one hour late (the ``DTSTART`` of
a DAYLIGHT part is the local time before the change: 03:00 in Helsinki, not
04:00), so clients that trust the VTIMEZONE misplace times on the morning the
clocks go forward. Here the transitions come from :mod:`zoneinfo` itself, the
same data that dates every session. Each transition is its own RDATE line:
a comma-separated list is valid RFC 5545, but ical.js (the parser of Thunderbird
and Nextcloud) reads only its first value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

UTC = dt.UTC


@dataclass(frozen=True)
class Transition:
    """A change of the zone's offset at ``moment`` (UTC)."""

    moment: dt.datetime
    before: dt.timedelta
    after: dt.timedelta
    name: str  # the abbreviation after the change (EEST, EET)
    daylight: bool  # daylight-saving time after the change

    @property
    def local_onset(self) -> dt.datetime:
        """The onset as RFC 5545 writes it: local time in the offset before the change."""
        return (self.moment + self.before).replace(tzinfo=None)


@lru_cache(maxsize=64)
def transitions(zone_name: str, first: dt.date, last: dt.date) -> tuple[Transition, ...]:
    """Every change of the zone's offset from ``first`` to ``last``, to the second."""
    zone = ZoneInfo(zone_name)
    found: list[Transition] = []
    moment = dt.datetime.combine(first, dt.time(), UTC)
    end = dt.datetime.combine(last, dt.time(), UTC)
    step = dt.timedelta(days=1)
    offset = _offset(zone, moment)
    while moment < end:
        following = moment + step
        after = _offset(zone, following)
        if after != offset:
            low, high = moment, following  # the change lies in (low, high]
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == offset:
                    low = middle
                else:
                    high = middle
            change = high.replace(microsecond=0)
            local = change.astimezone(zone)
            daylight = bool(local.dst())
            found.append(Transition(change, offset, after, local.tzname() or "", daylight))
            offset = after
        moment = following
    return tuple(found)


def _offset(zone: ZoneInfo, moment: dt.datetime) -> dt.timedelta:
    offset = moment.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def vtimezone(zone_name: str, first: dt.date, last: dt.date) -> Timezone:
    """A VTIMEZONE for ``zone_name`` that is right from ``first`` to ``last``."""
    zone = ZoneInfo(zone_name)
    component = Timezone()
    component.add("tzid", zone_name)
    local = dt.datetime.combine(first, dt.time(), zone)
    offset = local.utcoffset()
    assert offset is not None
    # what holds from the first date until the first change
    opening = TimezoneDaylight() if local.dst() else TimezoneStandard()
    opening.add("dtstart", local.replace(tzinfo=None))
    opening.add("tzname", local.tzname() or zone_name)
    opening.add("tzoffsetfrom", offset)
    opening.add("tzoffsetto", offset)
    component.add_component(opening)
    groups: dict[tuple[bool, str, dt.timedelta, dt.timedelta], list[Transition]] = {}
    for change in transitions(zone_name, first, last):
        groups.setdefault((change.daylight, change.name, change.before, change.after), []).append(
            change
        )
    for (daylight, name, before, after), changes in groups.items():
        part = TimezoneDaylight() if daylight else TimezoneStandard()
        part.add("dtstart", changes[0].local_onset)
        for change in changes[1:]:
            part.add("rdate", change.local_onset)
        part.add("tzname", name)
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        component.add_component(part)
    return component

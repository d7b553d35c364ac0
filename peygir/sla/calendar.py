"""Working-time arithmetic over a calendar loaded once (no database access here).

A ``WorkingCalendar`` holds the weekly hours and the holiday dates of one BusinessCalendar, so a scan
over thousands of cases computes every deadline from memory. Instants go in and come out as aware
datetimes (returned in UTC); the working day itself is defined in Tehran wall time.

Weekdays follow Python's ``date.weekday()``: Monday=0 … Thursday=3, Friday=4, Saturday=5, Sunday=6.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

TEHRAN = ZoneInfo("Asia/Tehran")
UTC = dt.UTC

# Iranian government offices: Saturday–Wednesday 07:30–14:30; Thursday and Friday off.
OFFICE_HOURS: dict[int, tuple[tuple[str, str], ...]] = {
    5: (("07:30", "14:30"),),
    6: (("07:30", "14:30"),),
    0: (("07:30", "14:30"),),
    1: (("07:30", "14:30"),),
    2: (("07:30", "14:30"),),
    3: (),
    4: (),
}

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
# A deadline further than this many days away means the calendar has (almost) no working time left.
_MAX_DAYS = 366 * 20
# Days whose intervals one calendar keeps (a bound for long scans over history).
_DAYS_KEPT = 4096

Intervals = tuple[tuple[int, int], ...]


def _minutes(text: Any) -> int:
    match = _TIME_RE.match(str(text).strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"not HH:MM: {text!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"not a time of day: {text!r}")
    return hours * 60 + minutes


def parse_hours(value: Any) -> dict[int, Intervals]:
    """``{"5": [["07:30", "14:30"]], …}`` → ``{5: ((450, 870),), …}`` (minutes after local midnight).

    Raises ValueError for a key outside 0–6, a malformed time, an empty or reversed interval, or
    overlapping intervals on one day.
    """
    if not isinstance(value, Mapping):
        raise ValueError("hours must be a mapping of weekday to intervals")
    parsed: dict[int, Intervals] = {}
    for key, intervals in value.items():
        try:
            weekday = int(key)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"weekday key {key!r} is not a number") from exc
        if not 0 <= weekday <= 6 or str(key).strip() != str(weekday):
            raise ValueError(f"weekday key {key!r} is not 0–6")
        if not isinstance(intervals, list | tuple):
            raise ValueError(f"day {key}: intervals must be a list")
        spans: list[tuple[int, int]] = []
        for interval in intervals:
            if not isinstance(interval, list | tuple) or len(interval) != 2:
                raise ValueError(f"day {key}: an interval is a pair [start, end]")
            start, end = _minutes(interval[0]), _minutes(interval[1])
            if start >= end:
                raise ValueError(f"day {key}: {interval[0]}–{interval[1]} ends before it starts")
            spans.append((start, end))
        spans.sort()
        for (_, previous_end), (next_start, _) in itertools.pairwise(spans):
            if next_start < previous_end:
                raise ValueError(f"day {key}: intervals overlap")
        parsed[weekday] = tuple(spans)
    return parsed


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("working-time arithmetic needs aware datetimes")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class WorkingCalendar:
    """One calendar's weekly hours and holidays, in memory.

    ``hours`` maps a Python weekday (Monday=0) to working intervals in minutes after Tehran midnight;
    ``holidays`` are Gregorian dates (of the Tehran day) that are off whatever the weekday.
    ``calendar_id``/``is_default`` say which BusinessCalendar it was loaded from. With
    ``around_the_clock`` every instant is working time and arithmetic is plain wall-clock time.
    """

    hours: Mapping[int, Intervals]
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    calendar_id: int | None = None
    name: str = ""
    is_default: bool = False
    around_the_clock: bool = False
    # Each Tehran day's intervals as UTC instants, computed once per day: every deadline of every
    # registration walks the same few weeks of days.
    _days: dict[dt.date, tuple[tuple[dt.datetime, dt.datetime], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @classmethod
    def from_definition(
        cls,
        hours: Any,
        holidays: frozenset[dt.date] | set[dt.date] = frozenset(),
        *,
        calendar_id: int | None = None,
        name: str = "",
        is_default: bool = False,
        around_the_clock: bool = False,
    ) -> WorkingCalendar:
        """Build from the stored JSON form of the hours. Raises ValueError for malformed hours."""
        return cls(
            hours=parse_hours(hours),
            holidays=frozenset(holidays),
            calendar_id=calendar_id,
            name=name,
            is_default=is_default,
            around_the_clock=around_the_clock,
        )

    def is_working_day(self, day: dt.date) -> bool:
        """Whether the Tehran day has any working time (not a holiday, not a day off)."""
        return day not in self.holidays and bool(self.hours.get(day.weekday()))

    def _intervals(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        known = self._days.get(day)
        if known is not None:
            return known
        if day in self.holidays:
            spans: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
        else:
            midnight = dt.datetime.combine(day, dt.time())
            spans = tuple(
                (
                    (midnight + dt.timedelta(minutes=start)).replace(tzinfo=TEHRAN).astimezone(UTC),
                    (midnight + dt.timedelta(minutes=end)).replace(tzinfo=TEHRAN).astimezone(UTC),
                )
                for start, end in self.hours.get(day.weekday(), ())
            )
        if len(self._days) >= _DAYS_KEPT:
            self._days.clear()
        self._days[day] = spans
        return spans

    def _has_working_time(self) -> bool:
        return any(self.hours.get(weekday) for weekday in range(7))

    def is_working(self, moment: dt.datetime) -> bool:
        """Whether the instant falls inside working time (interval start inclusive, end exclusive)."""
        moment = _aware(moment)
        if self.around_the_clock:
            return True
        day = moment.astimezone(TEHRAN).date()
        return any(start <= moment < end for start, end in self._intervals(day))

    def add_working_time(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The instant at which ``duration`` of working time has elapsed after ``start`` (UTC).

        Nights, days off and holidays are skipped; a start outside working hours counts from the next
        working moment. A zero duration returns ``start`` unchanged, and a deadline that uses up a day
        exactly lands on that day's closing time rather than the next opening. Raises ValueError for a
        naive datetime, a negative duration, or a calendar without any working time.
        """
        start = _aware(start)
        if duration < dt.timedelta(0):
            raise ValueError("duration must not be negative")
        if self.around_the_clock or not duration:
            return start + duration
        if not self._has_working_time():
            raise ValueError("the calendar has no working hours")
        remaining = duration
        day = start.astimezone(TEHRAN).date()
        for _ in range(_MAX_DAYS):
            for opens, closes in self._intervals(day):
                if closes <= start:
                    continue
                begin = max(opens, start)
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += dt.timedelta(days=1)
        raise ValueError("no working time within twenty years")

    def working_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Working time from ``a`` to ``b``; negative when ``b`` is before ``a``.

        Raises ValueError for naive datetimes.
        """
        a, b = _aware(a), _aware(b)
        if self.around_the_clock:
            return b - a
        if b < a:
            return -self.working_time_between(b, a)
        total = dt.timedelta(0)
        day, last = a.astimezone(TEHRAN).date(), b.astimezone(TEHRAN).date()
        while day <= last:
            for opens, closes in self._intervals(day):
                begin, end = max(opens, a), min(closes, b)
                if end > begin:
                    total += end - begin
            day += dt.timedelta(days=1)
        return total

"""Jalali (Solar Hijri) dates at the edges: formatting for people, parsing what they type.

Peygir stores UTC; these helpers convert to Tehran time and the Jalali calendar only where a person
reads or writes a date.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import jdatetime
from django.utils import timezone

from .text import to_latin_digits, to_persian_digits

MONTHS_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
# jdatetime numbers weekdays from Saturday = 0.
WEEKDAYS_FA = ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه")
SEASONS_FA = ("بهار", "تابستان", "پاییز", "زمستان")


class JalaliParseError(ValueError):
    """The text is not a Jalali date Peygir understands."""


def _local(value: dt.datetime) -> dt.datetime:
    # Tehran time for a stored (aware) instant; a naive value is taken as already local.
    return timezone.localtime(value) if timezone.is_aware(value) else value


def to_jalali(value: dt.datetime | dt.date) -> jdatetime.datetime | jdatetime.date:
    if isinstance(value, dt.datetime):
        return jdatetime.datetime.fromgregorian(datetime=_local(value))
    return jdatetime.date.fromgregorian(date=value)


@functools.lru_cache(maxsize=4096)
def _jalali_day(day: dt.date) -> tuple[int, int, int]:
    # (year, month, day): pages and answers format the same few days again and again.
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month, j.day


def _day_text(day: dt.date, long: bool) -> str:
    year, month, day_of_month = _jalali_day(day)
    return (
        f"{day_of_month} {MONTHS_FA[month - 1]} {year}"
        if long
        else f"{year:04d}/{month:02d}/{day_of_month:02d}"
    )


def format_date(
    value: dt.date | dt.datetime | None, *, persian_digits: bool = True, long: bool = False
) -> str:
    """1404/01/05, or "۵ فروردین ۱۴۰۴" with ``long``; Persian digits by default."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    text = _day_text(value, long)
    return to_persian_digits(text) if persian_digits else text


def format_datetime(value: dt.datetime | None, *, persian_digits: bool = True, long: bool = False) -> str:
    """1404/01/05 14:30 in Tehran time."""
    if value is None:
        return ""
    local = _local(value)
    text = f"{_day_text(local.date(), long)} {local.hour:02d}:{local.minute:02d}"
    return to_persian_digits(text) if persian_digits else text


_DATE_RE = re.compile(r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")


def parse_date(text: str) -> dt.date:
    """ "1404/1/5", "۱۴۰۴-۰۱-۰۵" or "1404.01.05" → the Gregorian date. Raises JalaliParseError."""
    match = _DATE_RE.match(to_latin_digits(text or ""))
    if not match:
        raise JalaliParseError(text)
    year, month, day = (int(part) for part in match.groups())
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError as exc:
        raise JalaliParseError(text) from exc


def jalali_month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First day of the Jalali month and first day of the next one, as Gregorian dates."""
    start = jdatetime.date(year, month, 1)
    nxt = jdatetime.date(year + 1, 1, 1) if month == 12 else jdatetime.date(year, month + 1, 1)
    return start.togregorian(), nxt.togregorian()


def gregorian_from_jalali(year: int, month: int, day: int) -> dt.date:
    return jdatetime.date(year, month, day).togregorian()


def jalali_parts(value: dt.date) -> tuple[int, int, int]:
    j = jdatetime.date.fromgregorian(date=value)
    return j.year, j.month, j.day

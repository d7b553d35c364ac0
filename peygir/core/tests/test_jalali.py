"""Jalali dates at the edges: formatting in Tehran time with Persian digits, and parsing what people type."""

from __future__ import annotations

import datetime as dt

import pytest

from peygir.core.jalali import (
    JalaliParseError,
    format_date,
    format_datetime,
    gregorian_from_jalali,
    jalali_month_bounds,
    jalali_parts,
    parse_date,
)


def test_format_date_uses_persian_digits_by_default():
    assert format_date(dt.date(2026, 3, 21)) == "۱۴۰۵/۰۱/۰۱"
    assert format_date(dt.date(2026, 3, 21), persian_digits=False) == "1405/01/01"


def test_format_date_long_form_names_the_month():
    assert format_date(dt.date(2026, 3, 25), long=True) == "۵ فروردین ۱۴۰۵"
    assert format_date(dt.date(2026, 3, 20), long=True, persian_digits=False) == "29 اسفند 1404"


def test_format_of_nothing_is_empty():
    assert format_date(None) == ""
    assert format_datetime(None) == ""


def test_an_instant_just_after_utc_evening_is_already_the_next_day_in_tehran():
    # 20:30 UTC is midnight in Tehran (UTC+03:30): the Jalali day turns before the UTC day does.
    before = dt.datetime(2026, 3, 20, 20, 29, tzinfo=dt.UTC)
    after = dt.datetime(2026, 3, 20, 21, 0, tzinfo=dt.UTC)
    assert format_datetime(before) == "۱۴۰۴/۱۲/۲۹ ۲۳:۵۹"
    assert format_datetime(after) == "۱۴۰۵/۰۱/۰۱ ۰۰:۳۰"
    assert format_date(after) == "۱۴۰۵/۰۱/۰۱"


def test_format_datetime_long_form():
    moment = dt.datetime(2026, 3, 25, 6, 0, tzinfo=dt.UTC)
    assert format_datetime(moment, long=True) == "۵ فروردین ۱۴۰۵ ۰۹:۳۰"
    assert format_datetime(moment, persian_digits=False) == "1405/01/05 09:30"


@pytest.mark.parametrize("text", ["۱۴۰۵/۰۱/۰۱", "1405/1/1", "١٤٠٥-٠١-٠١", "1405.01.01", " ۱۴۰۵ / ۰۱ / ۰۱ "])
def test_parse_date_accepts_persian_arabic_and_latin_digits_and_separators(text):
    assert parse_date(text) == dt.date(2026, 3, 21)


@pytest.mark.parametrize(
    "text", ["", "فردا", "1405/13/01", "1405/01/32", "1404/12/30", "05/01/01", "1405/01/01 10:00"]
)
def test_parse_date_rejects_what_is_not_a_jalali_date(text):
    with pytest.raises(JalaliParseError):
        parse_date(text)


def test_month_bounds_and_conversions():
    assert jalali_month_bounds(1405, 12) == (dt.date(2027, 2, 20), dt.date(2027, 3, 21))
    assert jalali_month_bounds(1405, 1) == (dt.date(2026, 3, 21), dt.date(2026, 4, 21))
    assert gregorian_from_jalali(1404, 12, 29) == dt.date(2026, 3, 20)
    assert jalali_parts(dt.date(2026, 3, 21)) == (1405, 1, 1)

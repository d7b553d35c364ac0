"""Jalali evaluation periods: a month (1404-05), a season (1404-S2) or a year (1404)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import jdatetime
from django.utils import timezone
from django.utils.translation import gettext as _

from peygir.core.errors import ValidationError
from peygir.core.jalali import MONTHS_FA
from peygir.core.text import to_latin_digits, to_persian_digits

_KEY_RE = re.compile(r"^(\d{4})(?:-(?:(\d{2})|S([1-4])))?$")


def _season_names() -> tuple[str, str, str, str]:
    return (_("بهار"), _("تابستان"), _("پاییز"), _("زمستان"))


@dataclass(frozen=True)
class Period:
    """A Jalali month, season or year; ``months`` are year × 100 + month (the rollup's key)."""

    kind: str  # "month" | "season" | "year"
    year: int
    number: int  # month 1–12, season 1–4, 0 for a year

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "season":
            return f"{self.year}-S{self.number}"
        return str(self.year)

    @property
    def month_numbers(self) -> list[int]:
        if self.kind == "month":
            return [self.number]
        if self.kind == "season":
            return [3 * (self.number - 1) + offset for offset in (1, 2, 3)]
        return list(range(1, 13))

    @property
    def months(self) -> list[int]:
        return [self.year * 100 + month for month in self.month_numbers]

    @property
    def start(self) -> dt.date:
        return jdatetime.date(self.year, self.month_numbers[0], 1).togregorian()

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        last = self.month_numbers[-1]
        nxt = jdatetime.date(self.year + 1, 1, 1) if last == 12 else jdatetime.date(self.year, last + 1, 1)
        return nxt.togregorian()

    @property
    def label(self) -> str:
        year = to_persian_digits(str(self.year))
        if self.kind == "month":
            return f"{MONTHS_FA[self.number - 1]} {year}"
        if self.kind == "season":
            return f"{_season_names()[self.number - 1]} {year}"
        return _("سال %(year)s") % {"year": year}

    def previous(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year - 1, 0)
        size = 12 if self.kind == "month" else 4
        if self.number == 1:
            return Period(self.kind, self.year - 1, size)
        return Period(self.kind, self.year, self.number - 1)


def period_parse(key: str) -> Period:
    """ "1404-05", "1404-S2" or "1404" (Persian digits accepted) → the Period. Raises ValidationError."""
    match = _KEY_RE.match(to_latin_digits(str(key or "").strip()).upper())
    if not match:
        raise ValidationError(_("دوره «%(key)s» شناخته نیست.") % {"key": key}, code="bad_period")
    year = int(match.group(1))
    if not 1300 <= year <= 1500:
        raise ValidationError(_("دوره «%(key)s» شناخته نیست.") % {"key": key}, code="bad_period")
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise ValidationError(_("دوره «%(key)s» شناخته نیست.") % {"key": key}, code="bad_period")
        return Period("month", year, month)
    if match.group(3):
        return Period("season", year, int(match.group(3)))
    return Period("year", year, 0)


def current_month(today: dt.date | None = None) -> Period:
    j = jdatetime.date.fromgregorian(date=today or timezone.localdate())
    return Period("month", j.year, j.month)


def recent_periods(today: dt.date | None = None) -> list[Period]:
    """What the period pickers offer: the last 12 months, 8 seasons and 3 years, newest first."""
    month = current_month(today)
    months = [month]
    for _i in range(11):
        months.append(months[-1].previous())
    season = Period("season", month.year, (month.number - 1) // 3 + 1)
    seasons = [season]
    for _i in range(7):
        seasons.append(seasons[-1].previous())
    years = [Period("year", month.year - offset, 0) for offset in range(3)]
    return months + seasons + years

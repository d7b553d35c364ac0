from __future__ import annotations

import datetime as dt

import jdatetime
import pytest

from peygir.sla.calendar import TEHRAN, WorkingCalendar
from peygir.sla.models import default_office_hours


def tehran(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A Tehran wall-clock instant (Gregorian date)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=TEHRAN)


def jalali(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A Tehran wall-clock instant given by its Jalali date."""
    gregorian = jdatetime.date(year, month, day).togregorian()
    return tehran(gregorian.year, gregorian.month, gregorian.day, hour, minute)


@pytest.fixture
def office() -> WorkingCalendar:
    """Saturday–Wednesday 07:30–14:30 with no holidays."""
    return WorkingCalendar.from_definition(default_office_hours())

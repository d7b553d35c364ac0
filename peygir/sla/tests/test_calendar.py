"""Working-time arithmetic on a calendar held in memory."""

from __future__ import annotations

import datetime as dt

import pytest

from peygir.sla.calendar import UTC, WorkingCalendar, parse_hours

from .conftest import tehran

H = dt.timedelta(hours=1)


def test_deadline_crossing_the_thursday_friday_weekend_resumes_on_saturday(office):
    # Wednesday 13:30 + 3 working hours: one hour on Wednesday, two on Saturday.
    deadline = office.add_working_time(tehran(2025, 5, 14, 13, 30), 3 * H)
    assert deadline == tehran(2025, 5, 17, 9, 30)
    assert deadline.tzinfo == UTC


def test_start_after_hours_counts_from_the_next_opening(office):
    assert office.add_working_time(tehran(2025, 5, 11, 18, 0), 2 * H) == tehran(2025, 5, 12, 9, 30)


def test_start_before_opening_counts_from_the_opening(office):
    assert office.add_working_time(tehran(2025, 5, 12, 6, 0), H) == tehran(2025, 5, 12, 8, 30)


def test_a_deadline_that_uses_up_the_day_lands_on_closing_time(office):
    assert office.add_working_time(tehran(2025, 5, 14, 7, 30), 7 * H) == tehran(2025, 5, 14, 14, 30)


def test_zero_duration_leaves_the_start_alone_even_after_hours(office):
    assert office.add_working_time(tehran(2025, 5, 15, 20, 0), dt.timedelta(0)) == tehran(2025, 5, 15, 20, 0)


def test_week_of_working_time_is_thirty_five_hours(office):
    start = tehran(2025, 5, 17, 7, 30)
    assert office.working_time_between(start, start + dt.timedelta(days=7)) == 35 * H
    assert office.add_working_time(start, 35 * H) == tehran(2025, 5, 21, 14, 30)


def test_working_time_between_skips_the_weekend_and_nights(office):
    assert office.working_time_between(tehran(2025, 5, 14, 13, 30), tehran(2025, 5, 17, 8, 30)) == 2 * H


def test_working_time_between_is_negative_when_reversed(office):
    assert office.working_time_between(tehran(2025, 5, 17, 8, 30), tehran(2025, 5, 14, 13, 30)) == -2 * H


def test_working_time_between_inside_one_day_off_is_zero(office):
    assert office.working_time_between(tehran(2025, 5, 15, 8, 0), tehran(2025, 5, 16, 12, 0)) == dt.timedelta(
        0
    )


def test_is_working_follows_hours_and_weekdays(office):
    assert office.is_working(tehran(2025, 5, 14, 7, 30)) is True
    assert office.is_working(tehran(2025, 5, 14, 14, 30)) is False
    assert office.is_working(tehran(2025, 5, 15, 10, 0)) is False  # Thursday
    assert office.is_working(tehran(2025, 5, 16, 10, 0)) is False  # Friday
    assert office.is_working(tehran(2025, 5, 17, 10, 0)) is True  # Saturday


def test_holiday_in_memory_is_skipped():
    calendar = WorkingCalendar.from_definition(
        {"5": [["07:30", "14:30"]], "6": [["07:30", "14:30"]]}, {dt.date(2025, 5, 18)}
    )
    # Saturday 14:00 + 1h: half an hour on Saturday, Sunday is a holiday, Monday–Friday have no hours.
    assert calendar.add_working_time(tehran(2025, 5, 17, 14, 0), H) == tehran(2025, 5, 24, 8, 0)
    assert calendar.is_working_day(dt.date(2025, 5, 18)) is False


def test_around_the_clock_is_plain_wall_clock_arithmetic(office):
    clock = WorkingCalendar(hours={}, around_the_clock=True)
    start = tehran(2025, 5, 15, 22, 0)
    assert clock.add_working_time(start, 4 * H) == tehran(2025, 5, 16, 2, 0)
    assert clock.working_time_between(start, tehran(2025, 5, 17, 22, 0)) == 48 * H
    assert clock.is_working(start) is True


def test_split_shifts_and_midnight_end_are_supported():
    calendar = WorkingCalendar.from_definition({"0": [["16:00", "24:00"], ["08:00", "12:00"]]})
    assert calendar.hours[0] == ((480, 720), (960, 1440))
    # Monday 11:00 + 3h: one hour before noon, two from 16:00.
    assert calendar.add_working_time(tehran(2025, 5, 12, 11, 0), 3 * H) == tehran(2025, 5, 12, 18, 0)


@pytest.mark.parametrize(
    "hours",
    [
        {"7": [["08:00", "12:00"]]},
        {"monday": [["08:00", "12:00"]]},
        {"0": [["12:00", "08:00"]]},
        {"0": [["08:00", "12:00"], ["11:00", "13:00"]]},
        {"0": [["8", "12:00"]]},
        {"0": [["08:00", "24:30"]]},
        {"0": "08:00-12:00"},
        [["08:00", "12:00"]],
    ],
)
def test_malformed_hours_are_rejected(hours):
    with pytest.raises(ValueError):
        parse_hours(hours)


def test_naive_datetimes_are_refused(office):
    with pytest.raises(ValueError):
        office.add_working_time(dt.datetime(2025, 5, 14, 10, 0), H)


def test_calendar_without_working_hours_refuses_to_count():
    with pytest.raises(ValueError):
        WorkingCalendar(hours={}).add_working_time(tehran(2025, 5, 14, 10, 0), H)

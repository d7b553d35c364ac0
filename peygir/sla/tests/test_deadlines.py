"""Deadlines on the seeded municipal calendar: holidays, priorities, policies and pauses."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import ProtectedError
from django.utils import timezone

from peygir.catalog.models import Category, Priority
from peygir.sla.calendar import UTC
from peygir.sla.models import BusinessCalendar, Holiday, SlaPolicy
from peygir.sla.services import Deadlines, calendar_load, compute_deadlines, deadline_after_pause

from .conftest import jalali, tehran

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


@pytest.fixture
def waste() -> Category:
    return Category.objects.get(code="waste")  # 24 working hours to respond


def priority(code: str) -> Priority:
    return Priority.objects.get(code=code)


def test_default_calendar_is_seeded_with_office_hours_and_solar_holidays():
    calendar = BusinessCalendar.objects.get(is_default=True)
    assert calendar.name == "تقویم اداری شهرداری تهران"
    assert calendar.hours["3"] == [] and calendar.hours["4"] == []
    assert calendar.hours["5"] == [["07:30", "14:30"]]
    assert calendar.holidays.count() == 30
    assert set(calendar.holidays.values_list("kind", flat=True)) == {Holiday.Kind.SOLAR}
    assert calendar.holidays.get(date=dt.date(2026, 3, 21)).name == "عید نوروز"
    assert calendar.holidays.get(date=dt.date(2027, 2, 11)).name == "پیروزی انقلاب اسلامی"  # 22 Bahman 1405


def test_nowruz_is_skipped_for_a_case_registered_on_29_esfand_afternoon(waste):
    deadlines = compute_deadlines(category=waste, start=jalali(1404, 12, 29, 15, 0))
    # 1–4 Farvardin off, 5 Farvardin (Wednesday) is the first working day; 24h = 7+7+7+3.
    assert deadlines == Deadlines(
        respond_by=jalali(1405, 1, 10, 10, 30), resolve_by=jalali(1405, 1, 22, 9, 30)
    )


def test_twelfth_and_thirteenth_of_farvardin_are_skipped():
    calendar = calendar_load()
    assert calendar.is_working(jalali(1405, 1, 12, 10, 0)) is False
    # Tuesday 11 Farvardin 14:00 + 1h: half an hour, then 12 (Wed) and 13 (Thu) Farvardin and Friday off.
    assert calendar.add_working_time(jalali(1405, 1, 11, 14, 0), H) == jalali(1405, 1, 15, 8, 0)


def test_a_lunar_holiday_entered_by_the_admin_is_skipped():
    calendar = BusinessCalendar.objects.get(is_default=True)
    Holiday.objects.create(
        calendar=calendar, date=dt.date(2026, 5, 27), name="تعطیلی قمری", kind=Holiday.Kind.LUNAR
    )
    loaded = calendar_load()
    assert loaded.add_working_time(tehran(2026, 5, 26, 14, 0), H) == tehran(2026, 5, 30, 8, 0)


def test_safety_is_counted_around_the_clock():
    safety = Category.objects.get(code="safety")
    deadlines = compute_deadlines(category=safety, start=tehran(2025, 5, 15, 22, 0))  # Thursday night
    assert deadlines == Deadlines(respond_by=tehran(2025, 5, 16, 2, 0), resolve_by=tehran(2025, 5, 16, 10, 0))


def test_priority_factor_scales_the_category_hours(waste):
    start = tehran(2025, 5, 17, 7, 30)  # Saturday opening
    emergency = compute_deadlines(category=waste, priority=priority("emergency"), start=start)
    assert emergency.respond_by == tehran(2025, 5, 17, 13, 30)  # 24h × 0.25 = 6h
    high = compute_deadlines(category=waste, priority=priority("high"), start=start)
    assert high.respond_by == tehran(2025, 5, 18, 12, 30)  # 12h = 7h Saturday + 5h Sunday
    normal = compute_deadlines(category=waste, priority=priority("normal"), start=start)
    assert normal == compute_deadlines(category=waste, start=start)


def test_resolution_defaults_to_three_times_the_response_time(waste):
    deadlines = compute_deadlines(category=waste, start=tehran(2025, 5, 17, 7, 30))
    # 72h = ten 7-hour days (Sat 17 … Wed 28 May, weekends off) + 2h on Saturday 31 May.
    assert deadlines.resolve_by == tehran(2025, 5, 31, 9, 30)


def test_category_resolve_hours_are_used_when_set(waste):
    waste.resolve_hours = 14
    deadlines = compute_deadlines(category=waste, start=tehran(2025, 5, 17, 7, 30))
    assert deadlines.resolve_by == tehran(2025, 5, 18, 14, 30)


def test_policy_for_any_priority_overrides_the_category_and_takes_the_factor(waste):
    SlaPolicy.objects.create(category=waste, respond_hours=7, resolve_hours=14)
    start = tehran(2025, 5, 17, 7, 30)
    assert compute_deadlines(category=waste, start=start) == Deadlines(
        respond_by=tehran(2025, 5, 17, 14, 30), resolve_by=tehran(2025, 5, 18, 14, 30)
    )
    high = compute_deadlines(category=waste, priority=priority("high"), start=start)
    assert high.respond_by == tehran(2025, 5, 17, 11, 0)  # 7h × 0.5


def test_policy_for_the_priority_wins_and_states_its_own_hours(waste):
    SlaPolicy.objects.create(category=waste, respond_hours=7, resolve_hours=14)
    SlaPolicy.objects.create(category=waste, priority=priority("emergency"), respond_hours=2, resolve_hours=5)
    deadlines = compute_deadlines(
        category=waste, priority=priority("emergency"), start=tehran(2025, 5, 17, 7, 30)
    )
    assert deadlines == Deadlines(
        respond_by=tehran(2025, 5, 17, 9, 30), resolve_by=tehran(2025, 5, 17, 12, 30)
    )


def test_policy_can_count_around_the_clock_and_use_its_own_calendar(waste):
    roads = Category.objects.get(code="roads")
    SlaPolicy.objects.create(category=roads, respond_hours=10, resolve_hours=20, around_the_clock=True)
    start = tehran(2025, 5, 15, 20, 0)  # Thursday evening
    assert compute_deadlines(category=roads, start=start).respond_by == tehran(2025, 5, 16, 6, 0)

    weekend_crew = BusinessCalendar.objects.create(name="نوبت‌کاری", hours={"3": [["08:00", "12:00"]]})
    SlaPolicy.objects.create(category=waste, respond_hours=2, resolve_hours=6, calendar=weekend_crew)
    deadlines = compute_deadlines(category=waste, start=tehran(2025, 5, 14, 9, 0))
    assert deadlines == Deadlines(
        respond_by=tehran(2025, 5, 15, 10, 0), resolve_by=tehran(2025, 5, 22, 10, 0)
    )
    with pytest.raises(ProtectedError):
        weekend_crew.delete()


def test_policy_can_switch_around_the_clock_off_for_safety():
    safety = Category.objects.get(code="safety")
    SlaPolicy.objects.create(category=safety, respond_hours=4, resolve_hours=8, around_the_clock=False)
    deadlines = compute_deadlines(category=safety, start=tehran(2025, 5, 14, 13, 30))
    assert deadlines.respond_by == tehran(2025, 5, 17, 10, 30)


def test_a_preloaded_calendar_spares_the_calendar_queries(waste, django_assert_num_queries):
    calendar = calendar_load()
    with django_assert_num_queries(1):  # the policy lookup only
        deadlines = compute_deadlines(
            category=waste, start=tehran(2025, 5, 17, 7, 30), working_calendar=calendar
        )
    assert deadlines.respond_by == tehran(2025, 5, 20, 10, 30)


def test_deadlines_from_now_are_aware_utc(waste):
    with time_machine.travel(tehran(2025, 5, 14, 13, 30), tick=False):
        deadlines = compute_deadlines(category=waste, start=timezone.now())
    assert deadlines.respond_by == tehran(2025, 5, 20, 9, 30)  # 1h Wed + 7h Sat, Sun, Mon + 2h Tue
    assert deadlines.respond_by.tzinfo == UTC


def test_pause_moves_the_deadline_by_exactly_the_working_time_paused(waste):
    deadline = tehran(2025, 5, 19, 10, 0)  # Monday
    moved = deadline_after_pause(
        deadline=deadline,
        paused_at=tehran(2025, 5, 14, 13, 30),  # Wednesday: one working hour left that day
        resumed_at=tehran(2025, 5, 17, 8, 30),  # Saturday: one working hour in
        category=waste,
    )
    assert moved == tehran(2025, 5, 19, 12, 0)


def test_pause_over_the_weekend_only_does_not_move_the_deadline(waste):
    deadline = tehran(2025, 5, 19, 10, 0)
    moved = deadline_after_pause(
        deadline=deadline,
        paused_at=tehran(2025, 5, 15, 9, 0),
        resumed_at=tehran(2025, 5, 16, 18, 0),
        category=waste,
    )
    assert moved == deadline


def test_pause_that_pushes_past_closing_continues_next_working_day(waste):
    moved = deadline_after_pause(
        deadline=tehran(2025, 5, 14, 14, 0),
        paused_at=tehran(2025, 5, 12, 7, 30),
        resumed_at=tehran(2025, 5, 12, 9, 30),
        category=waste,
    )
    assert moved == tehran(2025, 5, 17, 9, 0)


def test_pause_around_the_clock_moves_by_wall_time():
    safety = Category.objects.get(code="safety")
    moved = deadline_after_pause(
        deadline=tehran(2025, 5, 16, 2, 0),
        paused_at=tehran(2025, 5, 15, 22, 30),
        resumed_at=tehran(2025, 5, 16, 8, 30),
        category=safety,
    )
    assert moved == tehran(2025, 5, 16, 12, 0)


def test_resume_before_pause_leaves_the_deadline(waste):
    deadline = tehran(2025, 5, 19, 10, 0)
    moved = deadline_after_pause(
        deadline=deadline,
        paused_at=tehran(2025, 5, 17, 9, 0),
        resumed_at=tehran(2025, 5, 17, 8, 0),
        category=waste,
    )
    assert moved == deadline


# --- Inside transactions: the process's copies of policies and calendars ------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transaction_that_changed_no_sla_setting_counts_without_a_query(django_assert_num_queries):
    from django.db import transaction

    from peygir.core.cache import ProcessCache

    ProcessCache.clear_all()
    waste = Category.objects.get(code="waste")
    start = tehran(2025, 5, 5, 9, 0)
    expected = compute_deadlines(category=waste, start=start)  # loads the copies
    with transaction.atomic(), django_assert_num_queries(0):
        assert compute_deadlines(category=waste, start=start) == expected


def _unused_pk(model: type) -> int:
    # The restored rows of a serialized rollback keep their keys, and PostgreSQL's sequence may
    # still point below them: the rows these tests roll back take a key of their own.
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transaction_that_changed_a_policy_or_a_holiday_counts_on_its_own_change():
    from django.db import transaction

    from peygir.core.cache import ProcessCache

    ProcessCache.clear_all()
    waste = Category.objects.get(code="waste")
    start = tehran(2025, 5, 5, 9, 0)  # a Monday, 09:00
    before = compute_deadlines(category=waste, start=start)
    with transaction.atomic():
        SlaPolicy.objects.create(
            pk=_unused_pk(SlaPolicy), category=waste, respond_hours=2, resolve_hours=4, around_the_clock=True
        )
        assert compute_deadlines(category=waste, start=start) == Deadlines(
            respond_by=start + 2 * H, resolve_by=start + 4 * H
        )
        transaction.set_rollback(True)
    assert compute_deadlines(category=waste, start=start) == before

    calendar = BusinessCalendar.objects.get(is_default=True)
    with transaction.atomic():
        Holiday.objects.create(
            pk=_unused_pk(Holiday), calendar=calendar, date=dt.date(2025, 5, 5), name="تعطیل آزمایشی"
        )
        moved = compute_deadlines(category=waste, start=start)
        assert moved.respond_by > before.respond_by
        transaction.set_rollback(True)
    assert compute_deadlines(category=waste, start=start) == before

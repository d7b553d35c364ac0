from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db.models import Sum
from django.utils import timezone

from peygir.cases.escalation import sla_scan
from peygir.cases.models import Case
from peygir.cases.services import case_transition
from peygir.catalog.models import Category
from peygir.feedback.models import Rating
from peygir.org.models import Unit
from peygir.performance.models import (
    ALL_MEASURES,
    CityDay,
    Contribution,
    DailyRollup,
    MonthlyRollup,
    RollupCursor,
)
from peygir.performance.rollups import histogram_field, rollup_consume, rollup_consume_all, rollup_rebuild

from .conftest import POINT_7

NO_LAG = dt.timedelta(0)


def _snapshot() -> dict[str, Any]:
    def rows(model: Any, key: tuple[str, ...]) -> dict[tuple[Any, ...], tuple[int, ...]]:
        return {
            tuple(r[k] for k in key): tuple(r[m] for m in ALL_MEASURES)
            for r in model.objects.values(*key, *ALL_MEASURES)
            if any(r[m] for m in ALL_MEASURES)
        }

    return {
        "daily": rows(
            DailyRollup,
            ("day", "unit_id", "district_id", "area_id", "category_id", "channel", "message_type_id"),
        ),
        "monthly": rows(MonthlyRollup, ("month", "unit_id", "district_id", "area_id", "category_id")),
        "city": rows(CityDay, ("day",)),
        "contrib": sorted(
            Contribution.objects.values_list(
                "case_id",
                "metric",
                "day",
                "unit_id",
                "category_id",
                "channel",
                "message_type_id",
                "value",
                "flag",
            )
        ),
    }


def _rate(case: Case, score: int, fixed: bool, citizen: Any) -> None:
    Rating.objects.create(case=case, citizen=citizen, response_at=case.responded_at, score=score, fixed=fixed)


@pytest.mark.django_db
def test_rebuild_equals_incremental_on_a_mixed_history(
    submit: Any, officer6: Any, officer7: Any, supervisor: Any, citizen: Any
) -> None:
    start = timezone.make_aware(dt.datetime(2025, 3, 19, 9, 0))  # the last days of 1403 into 1404
    district7 = Unit.objects.get(code="district-7")
    with time_machine.travel(start, tick=False) as clock:
        fast = submit(citizen=citizen)  # answered on time, rated, closed
        late = submit(category="lighting", channel=Case.Channel.PHONE, contact_phone="09121110000")
        moved = submit()  # referred to district 7, then answered there
        back = submit(point=POINT_7, channel=Case.Channel.APP)  # returned to the center
        sms = submit(category="", unclassified=True, channel=Case.Channel.SMS)  # classified later
        objected = submit(citizen=citizen)
        rollup_consume_all(lag=NO_LAG)

        clock.shift(dt.timedelta(hours=2))
        fast = case_transition(case=fast, action="accept", actor=officer6)
        fast = case_transition(
            case=fast, action="respond", actor=officer6, resolution="fixed", note="رفع شد."
        )
        moved = case_transition(
            case=moved, action="refer", actor=officer6, unit=district7, note="در حوزه منطقه ۷ است."
        )
        back = case_transition(case=back, action="return_to_center", actor=officer7, note="مربوط به ما نیست.")
        sms = case_transition(
            case=sms, action="classify", actor=supervisor, category=Category.objects.get(code="waste")
        )
        objected = case_transition(case=objected, action="accept", actor=officer6)
        objected = case_transition(
            case=objected, action="respond", actor=officer6, resolution="answered", note="پاسخ داده شد."
        )
        rollup_consume_all(lag=NO_LAG)

        clock.shift(dt.timedelta(days=1))
        _rate(fast, 5, True, citizen)
        case_transition(case=Case.objects.get(pk=fast.pk), action="close", actor=supervisor)
        objected = case_transition(case=objected, action="object", actor=citizen, note="مشکل هنوز هست.")
        moved = case_transition(case=Case.objects.get(pk=moved.pk), action="accept", actor=officer7)
        rollup_consume_all(lag=NO_LAG)

        clock.shift(dt.timedelta(days=40))  # past every respond_by: the SLA scan marks the rest overdue
        sla_scan()
        late = case_transition(case=Case.objects.get(pk=late.pk), action="accept", actor=officer6)
        late = case_transition(
            case=late, action="respond", actor=officer6, resolution="not_possible", note="ممکن نیست."
        )
        moved = case_transition(
            case=Case.objects.get(pk=moved.pk),
            action="respond",
            actor=officer7,
            resolution="fixed",
            note="انجام شد.",
        )
        _rate(Case.objects.get(pk=moved.pk), 2, False, citizen)
        objected = case_transition(
            case=Case.objects.get(pk=objected.pk),
            action="respond",
            actor=officer6,
            resolution="fixed",
            note="این بار رفع شد.",
        )
        rollup_consume_all(lag=NO_LAG)

    incremental = _snapshot()
    rollup_rebuild()
    rebuilt = _snapshot()
    assert rebuilt == incremental
    # and the history is what it should be
    totals = MonthlyRollup.objects.aggregate(
        **{
            m: Sum(m)
            for m in (
                "registered",
                "responded",
                "referrals",
                "returned",
                "objections",
                "rating_count",
                "resolved",
            )
        }
    )
    assert totals == {
        "registered": 6,
        "responded": 4,  # fast, objected (first response), late, moved
        "referrals": 1,
        "returned": 1,
        "objections": 1,
        "rating_count": 2,
        "resolved": 4,
    }
    assert MonthlyRollup.objects.aggregate(s=Sum("responded_on_time"))["s"] == 2, (
        _debug()
    )  # fast and objected
    assert (
        Contribution.objects.get(case=moved, metric="referral").unit_id
        == Unit.objects.get(code="district-6").pk
    )
    assert Contribution.objects.get(case=moved, metric="responded").unit_id == district7.pk
    assert (
        Contribution.objects.get(case=sms, metric="registered").category_id
        == Category.objects.get(code="waste").pk
    )


@pytest.mark.django_db
def test_consume_is_idempotent_and_a_lost_claim_changes_nothing(submit: Any) -> None:
    submit()
    first = rollup_consume(lag=NO_LAG)
    assert (first.claimed, first.cases) == (True, 1)
    assert rollup_consume(lag=NO_LAG).events == 0  # nothing new: nothing read twice
    assert CityDay.objects.get().registered == 1

    submit()
    cursor = RollupCursor.objects.get()
    # Another worker claims the batch between our read and our claim: we must apply nothing.
    from peygir.performance import rollups

    real_claim = rollups._claim

    def racing_claim(c: RollupCursor, **changes: Any) -> bool:
        RollupCursor.objects.filter(pk=c.pk).update(version=c.version + 1)
        return real_claim(c, **changes)

    rollups._claim = racing_claim  # type: ignore[assignment]
    try:
        lost = rollup_consume(lag=NO_LAG)
    finally:
        rollups._claim = real_claim  # type: ignore[assignment]
    assert lost.claimed is False
    assert CityDay.objects.get().registered == 1
    assert RollupCursor.objects.get().last_event_id == cursor.last_event_id


@pytest.mark.django_db
def test_young_events_wait_for_the_lag(submit: Any) -> None:
    submit()
    assert rollup_consume(lag=dt.timedelta(minutes=5)).events == 0
    assert (
        rollup_consume(lag=dt.timedelta(minutes=5), now=timezone.now() + dt.timedelta(minutes=6)).events == 1
    )


@pytest.mark.django_db
def test_histogram_buckets_are_log_spaced_minutes() -> None:
    assert [histogram_field(m) for m in (0, 29, 30, 59, 60, 1439, 1440, 200000)] == [
        "h00",
        "h00",
        "h01",
        "h01",
        "h02",
        "h06",
        "h07",
        "h19",
    ]


def _debug() -> list[Any]:
    return list(
        Contribution.objects.filter(metric="responded").values_list(
            "case__tracking_code",
            "case__category__code",
            "flag",
            "case__respond_by",
            "case__overdue_at",
            "day",
        )
    )

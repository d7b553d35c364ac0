from __future__ import annotations

from typing import Any

import pytest

from peygir.org.models import Unit
from peygir.performance.kpis import Kpi, district_ranking, kpi_for_unit, quantile_minutes
from peygir.performance.models import KpiWeights, MonthlyRollup, UnitPopulation
from peygir.performance.periods import Period, period_parse


def _row(unit: Unit, month: int, **measures: int) -> MonthlyRollup:
    district = unit if unit.kind == Unit.Kind.DISTRICT else unit.parent
    assert district is not None
    return MonthlyRollup.objects.create(
        month=month,
        unit_id=unit.pk,
        district_id=district.pk,
        area_id=unit.pk if unit.kind == Unit.Kind.AREA else 0,
        category_id=1,
        **measures,
    )


@pytest.mark.django_db
def test_kpi_arithmetic_matches_a_hand_computed_example(district6: Any) -> None:
    area = Unit.objects.filter(parent=district6, kind=Unit.Kind.AREA).order_by("number").first()
    assert area is not None
    UnitPopulation.objects.create(unit=district6, residents=250000)
    KpiWeights.objects.create(
        pk=1, on_time_response=40, on_time_resolution=0, satisfaction=30, objection=20, fixed=10
    )
    # Mordad 1404 in two rows (the district itself and one of its areas); resolution times of
    # 10, 40 and 100 minutes and one of 1500 minutes (buckets h00, h01, h02, h07).
    _row(
        district6,
        140405,
        registered=30,
        responded=8,
        responded_on_time=6,
        resolved=3,
        resolved_on_time=2,
        h00=1,
        h01=1,
        h07=1,
        rating_count=3,
        rating_sum=12,
        fixed_count=2,
        objections=1,
    )
    _row(
        area,
        140405,
        registered=20,
        responded=2,
        responded_on_time=1,
        resolved=1,
        resolved_on_time=1,
        h02=1,
        rating_count=1,
        rating_sum=2,
        fixed_count=0,
        objections=1,
    )
    _row(district6, 140404, registered=99)  # another month: not in the period

    kpi = kpi_for_unit(unit=district6, period=period_parse("1404-05"))
    assert kpi.volume == 50
    assert kpi.per_10k == 2.0  # 50 / 250,000 × 10,000
    assert kpi.on_time_response == 0.7  # (6 + 1) / (8 + 2)
    assert kpi.on_time_resolution == 0.75  # 3 / 4
    # median: the 2nd of 4 → end of bucket 30–60 → 60 min; p90: 3.6th → 0.6 into 1440–2160 → 1872
    assert kpi.median_minutes == 60.0
    assert kpi.p90_minutes == pytest.approx(1872.0)
    assert kpi.satisfaction == 3.5  # 14 / 4
    assert kpi.objection_rate == 0.2  # 2 / 10
    assert kpi.fixed_rate == 0.5  # 2 / 4
    # score = 100 × (40×0.7 + 30×(3.5−1)/4 + 20×(1−0.2) + 10×0.5) / (40+30+20+10)
    #       = 100 × (28 + 18.75 + 16 + 5) / 100 = 67.75
    assert kpi.score == pytest.approx(67.75)

    area_kpi = kpi_for_unit(unit=area, period=period_parse("1404-05"))
    assert (area_kpi.volume, area_kpi.median_minutes) == (20, 90.0)  # one value in 60–120: the middle


def test_quantiles_of_an_empty_or_open_ended_histogram() -> None:
    assert quantile_minutes([0] * 20, 0.5) is None
    assert quantile_minutes([0] * 19 + [3], 0.9) == 129600.0


def test_composite_skips_components_without_data() -> None:
    kpi = Kpi(
        {"responded": 4, "responded_on_time": 3},
        None,
        {"on_time_response": 50, "on_time_resolution": 50, "satisfaction": 0, "objection": 0, "fixed": 0},
    )
    assert kpi.score == 75.0  # only on-time response has data (objection rate 0/4 has weight 0)


def test_periods_parse_and_step_back() -> None:
    assert period_parse("۱۴۰۴-۰۵") == Period("month", 1404, 5)
    assert period_parse("1404-s1").previous() == Period("season", 1403, 4)
    assert period_parse("1404").previous().key == "1403"
    assert period_parse("1404-01").previous().key == "1403-12"
    assert period_parse("1404-S2").months == [140404, 140405, 140406]
    assert str(period_parse("1404-07").start) == "2025-09-23"
    for bad in ("", "1404-13", "14-01", "1404-S5", "abcd"):
        with pytest.raises(Exception) as info:
            period_parse(bad)
        assert info.value.code == "bad_period"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_districts_are_ranked_by_score_with_the_change_since_the_previous_period(
    district6: Any, district7: Any
) -> None:
    _row(district6, 140405, registered=10, responded=10, responded_on_time=5)
    _row(district7, 140405, registered=10, responded=10, responded_on_time=9)
    _row(district6, 140404, registered=10, responded=10, responded_on_time=8)
    ranked = district_ranking(period_parse("1404-05"))
    assert len(ranked) == 22
    assert [(r.unit.code, r.rank) for r in ranked[:2]] == [("district-7", 1), ("district-6", 2)]
    six = ranked[1]
    # default weights, only on-time response (and objection rate 0 → component 1.0) have data
    assert six.kpi.score == pytest.approx(100 * (25 * 0.5 + 15 * 1.0) / 40)
    assert six.score_change == pytest.approx(100 * (25 * 0.5 + 15) / 40 - 100 * (25 * 0.8 + 15) / 40)
    assert ranked[2].rank is None and ranked[2].kpi.volume == 0

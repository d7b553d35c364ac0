"""KPIs of a unit over a Jalali period, read from the monthly rollup; composite score and rankings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum

from peygir.org.models import Unit

from .models import (
    ALL_MEASURES,
    HISTOGRAM_BOUNDS,
    HISTOGRAM_FIELDS,
    KpiWeights,
    MonthlyRollup,
    UnitPopulation,
)
from .periods import Period

COMPONENTS = ("on_time_response", "on_time_resolution", "satisfaction", "objection", "fixed")


def quantile_minutes(histogram: list[int], q: float) -> float | None:
    """The ``q`` quantile (0–1) of a resolution-time histogram, interpolated linearly in its bucket.

    The last bucket is open-ended: a quantile that falls in it is reported as its lower bound.
    None for an empty histogram.
    """
    total = sum(histogram)
    if total <= 0:
        return None
    target = q * total
    cumulative = 0
    for index, count in enumerate(histogram):
        if count and cumulative + count >= target:
            low = HISTOGRAM_BOUNDS[index - 1] if index else 0
            if index >= len(HISTOGRAM_BOUNDS):
                return float(low)
            high = HISTOGRAM_BOUNDS[index]
            return low + (target - cumulative) / count * (high - low)
        cumulative += count
    return float(HISTOGRAM_BOUNDS[-1])


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def default_weights() -> dict[str, int]:
    configured = getattr(settings, "PEYGIR_PERFORMANCE", {}).get("KPI_WEIGHTS", {})
    return {
        name: int(configured.get(name, getattr(KpiWeights._meta.get_field(name), "default", 0)))
        for name in COMPONENTS
    }


def kpi_weights() -> dict[str, int]:
    """The composite score's weights: the center's saved row, else the settings' defaults."""
    row = KpiWeights.objects.filter(pk=1).first()
    if row is None:
        return default_weights()
    return {name: int(getattr(row, name)) for name in COMPONENTS}


@dataclass
class Kpi:
    """The KPIs of one unit (or group) over one period, derived from summed rollup measures."""

    measures: dict[str, int]
    population: int | None = None
    weights: dict[str, int] = field(default_factory=default_weights)

    def __getattr__(self, name: str) -> Any:
        if name in ALL_MEASURES:
            return self.measures.get(name, 0)
        raise AttributeError(name)

    @property
    def volume(self) -> int:
        return self.measures.get("registered", 0)

    @property
    def per_10k(self) -> float | None:
        return self.volume * 10000 / self.population if self.population else None

    @property
    def on_time_response(self) -> float | None:
        return _ratio(self.responded_on_time, self.responded)

    @property
    def on_time_resolution(self) -> float | None:
        return _ratio(self.resolved_on_time, self.resolved)

    @property
    def histogram(self) -> list[int]:
        return [self.measures.get(name, 0) for name in HISTOGRAM_FIELDS]

    @property
    def median_minutes(self) -> float | None:
        return quantile_minutes(self.histogram, 0.5)

    @property
    def p90_minutes(self) -> float | None:
        return quantile_minutes(self.histogram, 0.9)

    @property
    def satisfaction(self) -> float | None:
        return _ratio(self.rating_sum, self.rating_count)

    @property
    def objection_rate(self) -> float | None:
        return _ratio(self.objections, self.responded)

    @property
    def fixed_rate(self) -> float | None:
        return _ratio(self.fixed_count, self.rating_count)

    def components(self) -> dict[str, float | None]:
        """Each component scaled to 0–1, higher is better (None without data)."""
        satisfaction = self.satisfaction
        objection = self.objection_rate
        return {
            "on_time_response": self.on_time_response,
            "on_time_resolution": self.on_time_resolution,
            "satisfaction": (satisfaction - 1) / 4 if satisfaction is not None else None,
            "objection": 1 - min(1.0, objection) if objection is not None else None,
            "fixed": self.fixed_rate,
        }

    @property
    def score(self) -> float | None:
        """The composite score 0–100: weighted mean of the components that have data."""
        total = weight_sum = 0.0
        for name, value in self.components().items():
            weight = self.weights.get(name, 0)
            if value is None or weight <= 0:
                continue
            total += weight * value
            weight_sum += weight
        return 100 * total / weight_sum if weight_sum else None


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in ALL_MEASURES}


def _clean(row: dict[str, Any]) -> dict[str, int]:
    return {name: int(row.get(name) or 0) for name in ALL_MEASURES}


def _monthly(period: Period) -> QuerySet[MonthlyRollup]:
    return MonthlyRollup.objects.filter(month__in=period.months)


def subtree_ids(unit: Unit) -> list[int]:
    return list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


def populations() -> dict[int, int]:
    return dict(UnitPopulation.objects.values_list("unit_id", "residents"))


def unit_filter(unit: Unit) -> Q:
    """The rollup rows of ``unit`` and everything under it."""
    if unit.kind == Unit.Kind.DISTRICT:
        return Q(district_id=unit.pk)
    if unit.kind == Unit.Kind.AREA:
        return Q(area_id=unit.pk)
    if unit.parent_id is None:
        return Q()
    return Q(unit_id__in=subtree_ids(unit))


def kpi_for_unit(*, unit: Unit, period: Period, weights: dict[str, int] | None = None) -> Kpi:
    """The KPIs of ``unit`` and everything under it over ``period`` (one query)."""
    rows = _monthly(period).filter(unit_filter(unit))
    measures = _clean(rows.aggregate(**_sums()))
    population = UnitPopulation.objects.filter(unit=unit).values_list("residents", flat=True).first()
    return Kpi(measures, population, weights or kpi_weights())


def kpi_by_group(
    *, period: Period, group: str, within: Q | None = None, weights: dict[str, int] | None = None
) -> dict[int, Kpi]:
    """KPIs per ``group`` column ("district_id", "area_id", "category_id", "month") over ``period``."""
    rows = _monthly(period)
    if within is not None:
        rows = rows.filter(within)
    if group in ("district_id", "area_id"):
        rows = rows.exclude(**{group: 0})
    people = populations() if group in ("district_id", "area_id") else {}
    chosen = weights or kpi_weights()
    return {
        row[group]: Kpi(_clean(row), people.get(row[group]), chosen)
        for row in rows.values(group).annotate(**_sums()).order_by()
    }


@dataclass
class Ranked:
    unit: Unit
    kpi: Kpi
    previous: Kpi
    rank: int | None = None

    @property
    def score_change(self) -> float | None:
        if self.kpi.score is None or self.previous.score is None:
            return None
        return self.kpi.score - self.previous.score

    @property
    def volume_change(self) -> int:
        return self.kpi.volume - self.previous.volume


def rank(rows: list[Ranked]) -> list[Ranked]:
    """Order by composite score (best first; no score last, by name) and number the ranks (ties share)."""
    scored = sorted((r for r in rows if r.kpi.score is not None), key=lambda r: -(r.kpi.score or 0))
    last_score: float | None = None
    last_rank = 0
    for position, row in enumerate(scored, start=1):
        score = round(row.kpi.score or 0, 6)
        row.rank = last_rank if score == last_score else position
        last_score, last_rank = score, row.rank
    unscored = [r for r in rows if r.kpi.score is None]
    return scored + unscored


def ranking_of(*, units: list[Unit], period: Period, group: str, within: Q | None = None) -> list[Ranked]:
    """Ranked KPIs of ``units`` (all districts, or the areas of one district) with the previous period."""
    weights = kpi_weights()
    now = kpi_by_group(period=period, group=group, within=within, weights=weights)
    before = kpi_by_group(period=period.previous(), group=group, within=within, weights=weights)
    people = populations()
    empty = dict.fromkeys(ALL_MEASURES, 0)
    return rank(
        [
            Ranked(
                unit,
                now.get(unit.pk) or Kpi(dict(empty), people.get(unit.pk), weights),
                before.get(unit.pk) or Kpi(dict(empty), people.get(unit.pk), weights),
            )
            for unit in units
        ]
    )


def district_ranking(period: Period) -> list[Ranked]:
    """The 22 districts (every active district unit), ranked for ``period``."""
    districts = list(Unit.objects.filter(kind=Unit.Kind.DISTRICT, is_active=True).order_by("number", "path"))
    return ranking_of(units=districts, period=period, group="district_id")


def area_ranking(district: Unit, period: Period) -> list[Ranked]:
    """The areas of ``district``, ranked for ``period``."""
    areas = list(
        Unit.objects.filter(parent=district, kind=Unit.Kind.AREA, is_active=True).order_by("number", "path")
    )
    return ranking_of(units=areas, period=period, group="area_id", within=Q(district_id=district.pk))

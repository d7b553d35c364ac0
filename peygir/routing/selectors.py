"""Deciding which unit answers a case: category × place × channel → unit."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db.models import Q

from peygir.catalog.models import Category
from peygir.core.cache import CONFIG_CACHE_SECONDS, ProcessCache
from peygir.org.models import Unit
from peygir.org.selectors import center_unit, district_and_area_for_point, in_city_extent
from peygir.routing.models import RoutingReason, RoutingRule


@dataclass(frozen=True)
class RoutingDecision:
    """Where a case goes and why: the chosen unit, the district and area of its point, the rule used."""

    unit: Unit
    district: Unit | None
    area: Unit | None
    rule: RoutingRule | None
    reason: str


def locate(*, lat: float | None, lon: float | None) -> tuple[Unit | None, Unit | None]:
    """The (district, area) holding a point; (None, None) without a point or outside the city.

    An area is only kept when it lies in the district found, so that a district boundary imported
    later than its areas never routes a case to another district's area.
    """
    if lat is None or lon is None or not in_city_extent(lat, lon):
        return None, None
    district, area = district_and_area_for_point(lat=lat, lon=lon)
    if area is not None and (district is None or area.parent_id != district.pk):
        area = None
    return district, area


def _precedence(rule: RoutingRule, channel: str) -> tuple[int, str] | None:
    """A matching rule's rank (lower wins) and reason, or None when it does not match."""
    if rule.channel and rule.channel != channel:
        return None
    exact_channel = bool(rule.channel)
    if rule.area_id is not None:
        return (0, RoutingReason.AREA_CHANNEL_RULE) if exact_channel else (1, RoutingReason.AREA_RULE)
    if rule.district_id is not None:
        return (2, RoutingReason.DISTRICT_CHANNEL_RULE) if exact_channel else (3, RoutingReason.DISTRICT_RULE)
    return (4, RoutingReason.CHANNEL_RULE) if exact_channel else (5, RoutingReason.CITY_RULE)


@dataclass(frozen=True)
class _RoutingTable:
    """The active rules (to active units) by category id, and the categories' default units by id."""

    rules: dict[int, list[RoutingRule]]
    default_units: dict[int, Unit]


def _load_routing_table() -> _RoutingTable:
    rules: dict[int, list[RoutingRule]] = {}
    for rule in RoutingRule.objects.filter(is_active=True, unit__is_active=True).select_related("unit"):
        rules.setdefault(rule.category_id, []).append(rule)
    defaults = Category.objects.filter(default_unit__isnull=False).values("default_unit_id")
    return _RoutingTable(
        rules=rules, default_units={unit.pk: unit for unit in Unit.objects.filter(pk__in=defaults)}
    )


# Outside a transaction the rules are read at most every CONFIG_CACHE_SECONDS per process.
_routing_table = ProcessCache(
    _load_routing_table,
    seconds=CONFIG_CACHE_SECONDS,
    models=(RoutingRule, Category, Unit),
    name="routing-table",
)


def _candidate_rules(
    category: Category, district: Unit | None, area: Unit | None, channel: str, table: _RoutingTable | None
) -> list[RoutingRule]:
    """The active rules of the category for this place (city-wide, the district, the area) and channel."""
    if table is None:
        place = Q(district__isnull=True, area__isnull=True)
        if district is not None:
            place |= Q(district_id=district.pk)
        if area is not None:
            place |= Q(area_id=area.pk)
        return list(
            RoutingRule.objects.filter(category=category, is_active=True, unit__is_active=True)
            .filter(place)
            .filter(Q(channel="") | Q(channel=channel))
            .select_related("unit")
        )
    return [
        copy.copy(rule)
        for rule in table.rules.get(category.pk, ())
        if rule.channel in ("", channel)
        and (
            (rule.district_id is None and rule.area_id is None)
            or (district is not None and rule.district_id == district.pk)
            or (area is not None and rule.area_id == area.pk)
        )
    ]


def decide_unit(*, category: Category, lat: float | None, lon: float | None, channel: str) -> RoutingDecision:
    """Choose the unit that answers a case of ``category`` at (lat, lon) registered on ``channel``.

    The most specific active rule wins: area+channel > area > district+channel > district >
    city-wide+channel > city-wide. Without a rule: a district category goes to the district holding
    the point; otherwise the category's default unit; failing all that (no point, a point outside
    Tehran, no default), the 137 center. Rules pointing at an inactive unit are ignored. Raises
    Unit.DoesNotExist only when the center itself is missing. Reads only.
    """
    district, area = locate(lat=lat, lon=lon)
    table = _routing_table.get()
    rules = _candidate_rules(category, district, area, channel, table)
    best: tuple[int, str, RoutingRule] | None = None
    for rule in rules:
        found = _precedence(rule, channel)
        if found is not None and (best is None or found[0] < best[0]):
            best = (found[0], found[1], rule)
    if best is not None:
        _, reason, rule = best
        unit = copy.copy(rule.unit) if table is not None else rule.unit  # not the cached instance
        return RoutingDecision(unit=unit, district=district, area=area, rule=rule, reason=reason)
    if category.unit_kind == Category.UnitKind.DISTRICT and district is not None:
        return RoutingDecision(
            unit=district, district=district, area=area, rule=None, reason=RoutingReason.DISTRICT_OF_POINT
        )
    default = None
    if category.default_unit_id is not None:
        cached = table.default_units.get(category.default_unit_id) if table is not None else None
        default = copy.copy(cached) if cached is not None else category.default_unit
    if default is not None and default.is_active:
        return RoutingDecision(
            unit=default, district=district, area=area, rule=None, reason=RoutingReason.CATEGORY_DEFAULT
        )
    return RoutingDecision(
        unit=center_unit(), district=district, area=area, rule=None, reason=RoutingReason.CENTER
    )

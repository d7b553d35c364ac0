"""Reads for the 137 center's supervisor boards: overdue cases, the returned queue, special cases and
the map of open cases (h3 hotspots and pins).

Every read is limited to the units in the user's scope (``selectors.units_in_scope``); whether a
person may open a board at all is the caller's decision.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, QuerySet
from django.utils.translation import gettext as _

from peygir.core.errors import ValidationError
from peygir.core.geo import h3_hotspots

from .models import Case
from .selectors import units_in_scope

HOTSPOT_RESOLUTION = 7
MAX_PINS = 500

_CASE_ROW_RELATED = ("category", "message_type", "unit", "district", "area", "priority")


def _open_in_scope(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(unit_id__in=units_in_scope(user).values("id"), phase__in=Case.OPEN_PHASES)


OVERDUE_ORDERS = {
    # Grouped by unit (tree order), the latest deadline first within each unit.
    "unit": ("unit__path", "respond_by", "id"),
    # The longest overdue first, whatever the unit.
    "late": ("respond_by", "id"),
}


def overdue_cases(*, user: Any, order: str = "unit") -> QuerySet[Case]:
    """Open cases in scope that the SLA scan marked overdue (``overdue_at`` set).

    ``order`` is "unit" (grouped by unit) or "late" (longest overdue first); anything else raises
    ValidationError.
    """
    if order not in OVERDUE_ORDERS:
        raise ValidationError(_("ترتیب مرتب‌سازی نامعتبر است."), code="bad_order")
    return (
        _open_in_scope(user)
        .filter(overdue_at__isnull=False)
        .select_related(*_CASE_ROW_RELATED)
        .order_by(*OVERDUE_ORDERS[order])
    )


def overdue_counts_by_unit(*, user: Any) -> list[dict[str, Any]]:
    """Per unit with overdue open cases: ``unit_id``, ``name``, ``code``, ``count`` and
    ``oldest_deadline`` (the earliest ``respond_by``), most overdue cases first. One query."""
    rows = (
        _open_in_scope(user)
        .filter(overdue_at__isnull=False)
        .values("unit_id", "unit__name", "unit__code")
        .annotate(count=Count("id"), oldest_deadline=Min("respond_by"))
        .order_by("-count", "unit__name")
    )
    return [
        {
            "unit_id": row["unit_id"],
            "name": row["unit__name"],
            "code": row["unit__code"],
            "count": row["count"],
            "oldest_deadline": row["oldest_deadline"],
        }
        for row in rows
    ]


def returned_cases(*, user: Any) -> QuerySet[Case]:
    """Cases returned to the 137 center (phase ``returned``) in scope, the longest waiting first."""
    return (
        Case.objects.filter(unit_id__in=units_in_scope(user).values("id"), phase=Case.Phase.RETURNED)
        .select_related(*_CASE_ROW_RELATED)
        .order_by("updated_at", "id")
    )


def special_cases(*, user: Any) -> QuerySet[Case]:
    """Special cases (پرونده ویژه) in scope: open ones first, then by financial stakes, largest first."""
    return (
        Case.objects.filter(unit_id__in=units_in_scope(user).values("id"), is_special=True)
        .select_related(*_CASE_ROW_RELATED)
        .order_by("closed_at", "-financial_stakes", "-created_at", "id")
    )


def open_case_hotspots(*, user: Any, resolution: int = HOTSPOT_RESOLUTION) -> dict[str, Any]:
    """Open cases in scope counted by h3 cell at ``resolution`` (parents of each case's own cell).

    Returns a GeoJSON FeatureCollection of cell polygons, each with ``properties`` ``cell`` and
    ``count``, largest count first, plus ``max_count`` on the collection. One query.
    """
    rows = _open_in_scope(user).exclude(h3_cell="").values("h3_cell").annotate(count=Count("id")).order_by()
    return h3_hotspots(((row["h3_cell"], row["count"]) for row in rows), resolution)


def open_case_pins(*, user: Any, limit: int = MAX_PINS) -> QuerySet[Case]:
    """The most recent open cases in scope that have a location, at most ``limit`` of them."""
    return (
        _open_in_scope(user)
        .filter(lat__isnull=False)
        .select_related("category")
        .order_by("-created_at", "-id")[:limit]
    )

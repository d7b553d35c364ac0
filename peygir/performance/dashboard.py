"""Reads of the center's live dashboard: today against the record day, per hour, categories, SLA, hotspots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractHour
from django.utils import timezone

from peygir.cases.models import Case
from peygir.catalog.models import Category
from peygir.core.geo import h3_hotspots

from .models import CityDay

HOTSPOT_RESOLUTION = 7


@dataclass
class Today:
    day: dt.date
    registered: int
    record_day: dt.date | None
    record_count: int
    per_hour: list[int]
    top_categories: list[tuple[str, int]]
    responded: int
    responded_on_time: int
    open_overdue: int

    @property
    def record_share(self) -> float | None:
        return self.registered / self.record_count if self.record_count else None

    @property
    def on_time_share(self) -> float | None:
        return self.responded_on_time / self.responded if self.responded else None


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def dashboard_today(*, now: dt.datetime | None = None) -> Today:
    """Today's figures: live counts from the cases (indexed on created_at), responses on time from
    the rollup (a minute behind), the record day from the city-day rollup. Five queries."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    start, end = _day_bounds(day)
    todays = Case.objects.filter(created_at__gte=start, created_at__lt=end)
    per_hour = [0] * 24
    for row in (
        todays.annotate(hour=ExtractHour("created_at")).values("hour").annotate(n=Count("id")).order_by()
    ):
        per_hour[row["hour"]] = row["n"]
    names = dict(Category.objects.values_list("pk", "name"))
    top = [
        (names.get(row["category_id"], ""), row["n"])
        for row in todays.filter(category__isnull=False)
        .values("category_id")
        .annotate(n=Count("id"))
        .order_by("-n", "category_id")[:8]
    ]
    record = (
        CityDay.objects.exclude(day=day).order_by("-registered", "-day").values("day", "registered").first()
    )
    found = CityDay.objects.filter(day=day).values("responded", "responded_on_time").first()
    city: dict[str, Any] = dict(found) if found else {}
    open_overdue = Case.objects.filter(phase__in=Case.OPEN_PHASES, overdue_at__isnull=False).count()
    return Today(
        day=day,
        registered=sum(per_hour),
        record_day=record["day"] if record else None,
        record_count=max(record["registered"] if record else 0, 0),
        per_hour=per_hour,
        top_categories=top,
        responded=city.get("responded", 0),
        responded_on_time=city.get("responded_on_time", 0),
        open_overdue=open_overdue,
    )


def hotspots_today(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """GeoJSON of today's cases counted per h3 cell (resolution 7), largest first, with ``max_count``."""
    now = now or timezone.now()
    start, end = _day_bounds(timezone.localtime(now).date())
    rows = (
        Case.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(h3_cell="")
        .values("h3_cell")
        .annotate(n=Count("id"))
        .order_by()
    )
    return h3_hotspots(((row["h3_cell"], row["n"]) for row in rows), HOTSPOT_RESOLUTION)

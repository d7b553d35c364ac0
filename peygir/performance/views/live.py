"""The center's live dashboard (polled by htmx) and its hotspot data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from peygir.core.jalali import format_date
from peygir.staff.decorators import supervisor_required
from peygir.staff.views.common import staff_render

from ..charts import bar_chart, meter
from ..dashboard import dashboard_today, hotspots_today
from ..format import fa_number, fa_percent
from ..spikes import recent_alerts

POLL_SECONDS = 30


def _context() -> dict[str, object]:
    today = dashboard_today()
    hours = [(fa_number(hour), count) for hour, count in enumerate(today.per_hour)]
    from django.utils import timezone

    current_hour = timezone.localtime().hour
    return {
        "today": today,
        "registered": fa_number(today.registered),
        "record": fa_number(today.record_count),
        "record_day": format_date(today.record_day) if today.record_day else "",
        "record_share": fa_percent(today.record_share),
        "record_meter": meter(today.record_share, title=_("امروز در برابر روز رکورد")),
        "hour_chart": bar_chart(
            hours, title=_("پیام‌های امروز در هر ساعت"), highlight=current_hour, label_every=2
        ),
        "categories": [(name, fa_number(count)) for name, count in today.top_categories],
        "on_time": fa_percent(today.on_time_share),
        "on_time_meter": meter(today.on_time_share, title=_("پاسخ نخست به‌موقع امروز")),
        "responded": fa_number(today.responded),
        "open_overdue": fa_number(today.open_overdue),
        "alerts": list(recent_alerts()[:20]),
        "poll_seconds": POLL_SECONDS,
    }


@supervisor_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Today against the record day, cases per hour, top categories, SLA, hotspot map, spike alerts."""
    return staff_render(request, "performance/dashboard.html", {**_context(), "nav_section": "dashboard"})


@supervisor_required
def dashboard_live(request: HttpRequest) -> HttpResponse:
    """The dashboard's figures alone: what htmx swaps in every POLL_SECONDS seconds."""
    return render(request, "performance/dashboard.html#live", _context())


@supervisor_required
def dashboard_hotspots(request: HttpRequest) -> JsonResponse:
    """GeoJSON of today's cases per h3 cell (resolution 7)."""
    return JsonResponse(hotspots_today())

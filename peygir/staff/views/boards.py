"""The 137 center's supervisor boards: overdue cases, the returned queue, special cases, the map."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from peygir.cases import boards
from peygir.org.models import Unit

from ..decorators import supervisor_required
from .common import staff_render

PAGE_SIZE = 50


@supervisor_required
def overdue(request: HttpRequest) -> HttpResponse:
    """City-wide overdue open cases, grouped by unit (or the longest overdue first), with a per-unit summary."""
    sort = request.GET.get("sort") or ""
    order = sort if sort in boards.OVERDUE_ORDERS else "unit"
    page = Paginator(boards.overdue_cases(user=request.user, order=order), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "sort": order,
        "by_unit": boards.overdue_counts_by_unit(user=request.user),
        "nav_section": "overdue",
    }
    return staff_render(request, "staff/overdue.html", context)


@supervisor_required
def returned(request: HttpRequest) -> HttpResponse:
    """Cases returned to the center, each with a one-step re-route form (unit + reason → refer)."""
    page = Paginator(boards.returned_cases(user=request.user), 20).get_page(request.GET.get("page"))
    # Areas are reached from their district's case page; the queue offers the units that own work.
    units = list(
        Unit.objects.filter(is_active=True)
        .exclude(kind__in=[Unit.Kind.CENTER, Unit.Kind.AREA])
        .order_by("path")
    )
    context = {"page": page, "units": units, "nav_section": "returned"}
    return staff_render(request, "staff/returned.html", context)


@supervisor_required
def special(request: HttpRequest) -> HttpResponse:
    """Special cases (high financial stakes) followed by the center: all of them, or those registered
    in a Jalali month, season or year (``kind``, ``year``, ``number``), with the stakes' totals and a
    form to flag a case by its tracking code."""
    # Imported here: this module's other boards do not need the feedback app.
    from peygir.feedback.forms import SpecialForm
    from peygir.feedback.specials import special_totals, specials_in_period

    from .feedback import jalali_months, jalali_seasons, period_from_request, period_kinds

    period, error = period_from_request(request, default_kind="all")
    cases = specials_in_period(boards.special_cases(user=request.user), period)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "period": period,
        "period_error": error,
        "totals": special_totals(cases),
        "kinds": period_kinds(),
        "months": jalali_months(),
        "seasons": jalali_seasons(),
        "flag_form": SpecialForm(initial={"is_special": "yes"}),
        "nav_section": "special",
    }
    return staff_render(request, "staff/special.html", context)


@supervisor_required
def case_map(request: HttpRequest) -> HttpResponse:
    """A map of open cases: h3 hotspots shaded by count and pins for the most recent ones."""
    return staff_render(request, "staff/map.html", {"nav_section": "map"})


@supervisor_required
def hotspots_json(request: HttpRequest) -> JsonResponse:
    """GeoJSON of open cases in scope counted by h3 cell (resolution 7)."""
    return JsonResponse(boards.open_case_hotspots(user=request.user))


@supervisor_required
def pins_json(request: HttpRequest) -> JsonResponse:
    """The most recent open cases with a location (at most 500), as pins for the map."""
    pins = [
        {
            "lat": case.lat,
            "lon": case.lon,
            "code": case.tracking_code,
            "category": case.category.name if case.category is not None else _("بی‌دسته"),
            "phase": case.get_phase_display(),
            "overdue": case.overdue_at is not None,
            "url": reverse("staff:case", args=[case.public_id]),
        }
        for case in boards.open_case_pins(user=request.user)
    ]
    return JsonResponse({"pins": pins})

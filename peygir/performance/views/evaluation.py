"""The center's evaluation table, unit scorecards, the cases behind a number, the weights page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from peygir.catalog.models import Category
from peygir.core.errors import ApplicationError, NotFound
from peygir.core.jalali import MONTHS_FA
from peygir.org.models import Unit
from peygir.staff.decorators import staff_required, supervisor_required
from peygir.staff.views.common import staff_render

from ..charts import bar_chart
from ..format import fa_number
from ..forms import PeriodForm, WeightsForm
from ..kpis import (
    COMPONENTS,
    area_ranking,
    district_ranking,
    kpi_by_group,
    kpi_for_unit,
    kpi_weights,
    unit_filter,
)
from ..periods import Period, period_parse
from ..selectors import DRILL_METRICS, access_unit, cases_behind, is_center_supervisor, managed_units
from ..services import kpi_weights_update
from .common import drill_url, kpi_cells, kpi_headers, ranking_rows


def _period(request: HttpRequest) -> tuple[PeriodForm, Period]:
    form = PeriodForm(request.GET or None)
    return form, form.chosen()


@supervisor_required
def evaluation(request: HttpRequest) -> HttpResponse:
    """The 22 districts ranked by composite score for a period, with every KPI and the change."""
    form, period = _period(request)
    rows = district_ranking(period)
    context = {
        "form": form,
        "period": period,
        "headers": kpi_headers(),
        "rows": ranking_rows(rows, period),
        "nav_section": "performance",
    }
    return staff_render(request, "performance/evaluation.html", context)


@staff_required
def mine(request: HttpRequest) -> HttpResponse:
    """A manager's own scorecard (the first unit they manage); supervisors go to the table."""
    if is_center_supervisor(request.user):
        return HttpResponseRedirect(reverse("performance:evaluation"))
    unit = managed_units(request.user).first()
    if unit is None:
        raise Http404
    return HttpResponseRedirect(reverse("performance:scorecard", args=[unit.code]))


@staff_required
def scorecard(request: HttpRequest, code: str) -> HttpResponse:
    """One unit's KPIs for a period against the previous one, its months, categories and areas."""
    try:
        unit = access_unit(user=request.user, code=code)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    form, period = _period(request)
    weights = kpi_weights()
    kpi = kpi_for_unit(unit=unit, period=period, weights=weights)
    previous = kpi_for_unit(unit=unit, period=period.previous(), weights=weights)
    year = Period("year", period.year, 0)
    by_month = kpi_by_group(period=year, group="month", within=unit_filter(unit), weights=weights)
    months = [
        (MONTHS_FA[m - 1], by_month[key].volume if (key := year.year * 100 + m) in by_month else 0)
        for m in range(1, 13)
    ]
    current_index = period.number - 1 if period.kind == "month" else None
    names = dict(Category.objects.values_list("pk", "name"))
    by_category = sorted(
        kpi_by_group(period=period, group="category_id", within=unit_filter(unit), weights=weights).items(),
        key=lambda item: -item[1].volume,
    )
    categories = [
        {"name": names.get(pk, _("بی‌دسته")), "cells": kpi_cells(k, unit, period)}
        for pk, k in by_category
        if k.volume or k.resolved
    ]
    rank = None
    areas: list[dict[str, Any]] = []
    if unit.kind == Unit.Kind.DISTRICT:
        rank = next((r.rank for r in district_ranking(period) if r.unit.pk == unit.pk), None)
        areas = ranking_rows(area_ranking(unit, period), period, scorecard=True)
    context = {
        "unit": unit,
        "form": form,
        "period": period,
        "headers": kpi_headers(),
        "now_cells": kpi_cells(kpi, unit, period),
        "before_cells": kpi_cells(previous, unit, period.previous()),
        "rank": fa_number(rank) if rank else "",
        "month_chart": bar_chart(
            months,
            title=_("پیام‌های ثبت‌شده در هر ماه سال %(year)s")
            % {"year": fa_number(period.year).replace("٬", "")},
            highlight=current_index,
        ),
        "categories": categories,
        "areas": areas,
        "counts": [
            (_("ارجاع به بیرون"), fa_number(kpi.referrals), drill_url(unit, period, "referral")),
            (_("بازگشت به مرکز"), fa_number(kpi.returned), drill_url(unit, period, "returned")),
            (_("تأخیرها"), fa_number(kpi.overdue), drill_url(unit, period, "overdue")),
            (_("اعتراض‌ها"), fa_number(kpi.objections), drill_url(unit, period, "objection")),
        ],
        "nav_section": "performance",
    }
    return staff_render(request, "performance/scorecard.html", context)


METRIC_LABELS = {
    "registered": _lazy("پیام‌های ثبت‌شده"),
    "responded": _lazy("پاسخ‌های نخست"),
    "responded_on_time": _lazy("پاسخ‌های نخست به‌موقع"),
    "responded_late": _lazy("پاسخ‌های نخست با تأخیر"),
    "resolved": _lazy("پیام‌های رسیدگی‌شده"),
    "resolved_on_time": _lazy("رسیدگی‌های به‌موقع"),
    "resolved_late": _lazy("رسیدگی‌های دیرهنگام"),
    "rated": _lazy("پیام‌های دارای امتیاز رضایت"),
    "fixed": _lazy("رفع تأییدشده از سوی شهروند"),
    "not_fixed": _lazy("رفع‌نشده به گفته شهروند"),
    "objection": _lazy("اعتراض‌ها"),
    "overdue": _lazy("تأخیرها"),
    "returned": _lazy("بازگشت‌ها به مرکز"),
    "referral": _lazy("ارجاع‌ها به بیرون"),
}


@staff_required
def cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one number: ?unit=<code>&period=<key>&metric=<name> (404 outside scope)."""
    try:
        unit = access_unit(user=request.user, code=request.GET.get("unit", ""))
        period = period_parse(request.GET.get("period", ""))
        metric = request.GET.get("metric", "")
        if metric not in DRILL_METRICS:
            raise NotFound(_("شاخص شناخته نیست."))
        rows = cases_behind(unit=unit, period=period, metric=metric)
    except ApplicationError as exc:
        raise Http404(str(exc.detail)) from exc
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "period": period,
        "metric_label": METRIC_LABELS[metric],
        "page": page,
        "back": reverse("performance:scorecard", args=[unit.code]) + f"?period={period.key}",
        "nav_section": "performance",
    }
    return staff_render(request, "performance/cases.html", context)


@supervisor_required
def weights(request: HttpRequest) -> HttpResponse:
    """The composite score's weights, editable by the center's supervisors."""
    if request.method == "POST":
        form = WeightsForm(request.POST)
        if form.is_valid():
            try:
                kpi_weights_update(actor=request.user, weights={n: form.cleaned_data[n] for n in COMPONENTS})
            except ApplicationError as exc:
                form.add_error(None, str(exc.detail))
            else:
                messages.success(request, _("وزن‌های امتیاز ترکیبی ذخیره شد."))
                return HttpResponseRedirect(reverse("performance:weights"))
        status = 400
    else:
        form = WeightsForm(initial=kpi_weights())
        status = 200
    return staff_render(
        request, "performance/weights.html", {"form": form, "nav_section": "performance"}, status=status
    )

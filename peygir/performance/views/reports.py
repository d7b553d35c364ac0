"""Report pages: the list of generated reports, making one, downloading one."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peygir.org.models import Unit
from peygir.staff.decorators import staff_required
from peygir.staff.views.common import staff_render

from ..forms import ReportForm
from ..periods import period_parse
from ..reports.services import report_generate, report_path
from ..selectors import can_see_unit, is_center_supervisor, managed_units, reports_for


def _units(user: object) -> list[tuple[str, str]]:
    if is_center_supervisor(user):
        units = Unit.objects.filter(
            is_active=True, kind__in=[Unit.Kind.CENTER, Unit.Kind.DISTRICT, Unit.Kind.AREA]
        )
    else:
        units = Unit.objects.none()
        for unit in managed_units(user):
            units = units | Unit.objects.filter(is_active=True, path__startswith=unit.path)
    return [(code, name) for code, name in units.order_by("path").values_list("code", "name")]


def _page(request: HttpRequest, form: ReportForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "reports": list(reports_for(request.user)[:100]), "nav_section": "performance"}
    return staff_render(request, "performance/reports.html", context, status=status)


@staff_required
def reports(request: HttpRequest) -> HttpResponse:
    """Reports of the units the person may see (supervisors: all; managers: their units)."""
    units = _units(request.user)
    if not units:
        raise Http404
    return _page(request, ReportForm(units=units))


@staff_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    """Make (or remake) the Excel or PDF report of a unit and period."""
    units = _units(request.user)
    if not units:
        raise Http404
    form = ReportForm(request.POST, units=units)
    if not form.is_valid():
        return _page(request, form, status=400)
    unit = Unit.objects.get(code=form.cleaned_data["unit"])
    report = report_generate(
        unit=unit,
        period=period_parse(form.cleaned_data["period"]),
        fmt=form.cleaned_data["format"],
        actor=request.user,
    )
    messages.success(request, _("گزارش آماده شد."))
    return HttpResponseRedirect(reverse("performance:reports") + f"#report-{report.pk}")


@staff_required
def report_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The report's file, for those who may see its unit (404 otherwise)."""
    report = reports_for(request.user).filter(pk=pk).first()
    if report is None or not can_see_unit(request.user, report.unit):
        raise Http404
    path = report_path(report)
    if not path.is_file():
        raise Http404
    content_type = (
        "application/pdf"
        if report.format == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"peygir-{report.unit.code}-{report.period}.{report.format}"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=content_type)

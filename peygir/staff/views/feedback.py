"""The 137 center's feedback pages: the review queue of low scores and comments, the quality review of
a response, flagging a case as special, and the per-period report of special cases (table + Excel).

Supervisors only (others get 404, like the other boards); every write goes through a service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peygir.cases import boards
from peygir.cases.models import Case
from peygir.cases.selectors import access_case, case_get_by_tracking_code
from peygir.cases.services import case_set_special
from peygir.core.errors import ApplicationError, NotFound
from peygir.core.jalali import MONTHS_FA, SEASONS_FA
from peygir.core.text import to_persian_digits
from peygir.feedback.forms import ReviewForm, SpecialForm
from peygir.feedback.selectors import REVIEW_STATUSES, review_counts, review_for_response, review_queue
from peygir.feedback.services import response_review_record
from peygir.feedback.specials import (
    PERIOD_KINDS,
    Period,
    period_current,
    period_parse,
    special_report,
    special_report_xlsx,
)

from ..decorators import supervisor_required
from .common import safe_next, staff_render

PAGE_SIZE = 30


def _load(request: HttpRequest, public_id: Any) -> Case:
    try:
        return access_case(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc


@supervisor_required
def feedback_queue(request: HttpRequest) -> HttpResponse:
    """Low scores and comments waiting for a supervisor's quality review (or already reviewed)."""
    status = request.GET.get("status") or "pending"
    if status not in REVIEW_STATUSES:
        status = "pending"
    page = Paginator(review_queue(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "counts": review_counts(),
        "verdicts": ReviewForm.base_fields["verdict"].choices,  # type: ignore[attr-defined]
        "nav_section": "feedback",
    }
    return staff_render(request, "staff/feedback_queue.html", context)


@supervisor_required
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_review(request: HttpRequest, public_id: str) -> HttpResponse:
    """Mark one response of a case as poor quality (or acceptable) after review; once per response."""
    case = _load(request, public_id)
    form = ReviewForm(request.POST or None)
    status = 200
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                response_review_record(
                    case=case,
                    reviewer=request.user,
                    verdict=form.cleaned_data["verdict"],
                    note=form.cleaned_data["note"],
                    response_at=form.cleaned_data["response_at"],
                )
            except NotFound as exc:
                raise Http404(str(exc.detail)) from exc
            except ApplicationError as exc:
                error, status = str(exc.detail), exc.status
            else:
                messages.success(
                    request,
                    _("بازبینی پاسخ پرونده %(code)s ثبت شد.")
                    % {"code": to_persian_digits(case.tracking_code)},
                )
                default = reverse("staff:feedback_queue")
                return HttpResponseRedirect(safe_next(request, request.POST.get("next"), default))
        else:
            status = 422
    context = {
        "case": case,
        "form": form,
        "error": error,
        "review": review_for_response(case, case.responded_at) if case.responded_at else None,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "nav_section": "feedback",
    }
    return staff_render(request, "staff/feedback_review.html", context, status=status)


def _special_page(
    request: HttpRequest, case: Case | None, form: SpecialForm, *, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "case": case,
        "form": form,
        "error": error,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "nav_section": "special",
    }
    return staff_render(request, "staff/feedback_special.html", context, status=status)


def _save_special(request: HttpRequest, case: Case, form: SpecialForm) -> HttpResponse:
    try:
        case_set_special(
            case=case,
            actor=request.user,
            is_special=form.cleaned_data["is_special"],
            estimated=form.cleaned_data["estimated"],
            realised=form.cleaned_data["realised"],
            note=form.cleaned_data["note"],
        )
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except ApplicationError as exc:
        return _special_page(request, case, form, error=str(exc.detail), status=exc.status)
    done = _("پرونده %(code)s ویژه شد.") if case.is_special else _("پرونده %(code)s از فهرست ویژه بیرون آمد.")
    messages.success(request, done % {"code": to_persian_digits(case.tracking_code)})
    default = reverse("staff:case", args=[case.public_id])
    return HttpResponseRedirect(safe_next(request, request.POST.get("next"), default))


@supervisor_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_special(request: HttpRequest, public_id: str) -> HttpResponse:
    """Flag or unflag one case as special, with its estimated and realised stakes (rials)."""
    case = _load(request, public_id)
    if request.method != "POST":
        initial = {
            "is_special": "yes" if case.is_special else "no",
            "estimated": case.financial_stakes if case.financial_stakes is not None else "",
            "realised": case.financial_realised if case.financial_realised is not None else "",
        }
        return _special_page(request, case, SpecialForm(initial=initial))
    form = SpecialForm(request.POST)
    if not form.is_valid():
        return _special_page(request, case, form, status=422)
    return _save_special(request, case, form)


@supervisor_required
@require_POST
def special_flag(request: HttpRequest) -> HttpResponse:
    """Flag a case from the special board by its tracking code."""
    form = SpecialForm(request.POST)
    try:
        case = case_get_by_tracking_code(request.POST.get("tracking_code", ""))
        case = _load(request, case.public_id)
    except (ApplicationError, Http404) as exc:
        detail = exc.detail if isinstance(exc, ApplicationError) else _("پرونده‌ای با این کد رهگیری پیدا نشد.")
        return _special_page(request, None, form, error=str(detail), status=422)
    if not form.is_valid():
        return _special_page(request, case, form, status=422)
    return _save_special(request, case, form)


def period_from_request(request: HttpRequest, default_kind: str = "month") -> tuple[Period | None, str]:
    """The Jalali period named by ``kind`` (month, season, year, or "all" for none), ``year`` and
    ``number``; without a year, the current one. Bad parameters give the default and an error text."""
    kind = request.GET.get("kind") or default_kind
    if kind == "all":
        return None, ""
    try:
        if kind in PERIOD_KINDS and not request.GET.get("year"):
            return period_current(kind), ""
        return period_parse(kind, request.GET.get("year"), request.GET.get("number")), ""
    except ApplicationError as exc:
        fallback = None if default_kind == "all" else period_current(default_kind)
        return fallback, str(exc.detail)


@supervisor_required
def special_report_page(request: HttpRequest) -> HttpResponse:
    """Special cases per Jalali month of a season or year (or a single month): count, open, stakes."""
    period, error = period_from_request(request, default_kind="year")
    if period is None:
        period = period_current("year")
    scope = boards.special_cases(user=request.user)
    if request.GET.get("format") == "xlsx":
        content = special_report_xlsx(scope, period)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"special-cases-{period.kind}-{period.year}-{period.number}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    rows, total = special_report(scope, period)
    context = {
        "period": period,
        "rows": rows,
        "total": total,
        "error": error,
        "kinds": period_kinds(),
        "months": jalali_months(),
        "seasons": jalali_seasons(),
        "nav_section": "special",
    }
    return staff_render(request, "staff/feedback_special_report.html", context, status=422 if error else 200)


def period_kinds() -> list[tuple[str, str]]:
    return [("month", _("ماه")), ("season", _("فصل")), ("year", _("سال"))]


def jalali_months() -> list[tuple[int, str]]:
    return list(enumerate(MONTHS_FA, start=1))


def jalali_seasons() -> list[tuple[int, str]]:
    return list(enumerate(SEASONS_FA, start=1))

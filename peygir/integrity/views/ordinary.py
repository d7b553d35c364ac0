"""Entries from the ordinary channels: an agent's phone report, a supervisor's moved case.

Both end on a page that shows the receipt once, to be read to the reporter on the phone; the
reporter must replace it at first use, so the person who filed it loses access.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peygir.cases.selectors import access_case, staff_scope
from peygir.core.errors import ApplicationError, NotFound
from peygir.org.models import Membership
from peygir.staff.decorators import staff_required, supervisor_required
from peygir.staff.views.common import staff_render

from .. import crypto
from ..forms import PhoneReportForm
from ..models import Report
from ..moves import case_move_to_integrity
from ..services import channel_ready, report_submit
from .common import encrypted_uploads, skipped_uploads, uploaded_blobs


def _is_agent(user: Any) -> bool:
    return bool(staff_scope(user).paths({Membership.Role.AGENT}))


def _receipt_page(request: HttpRequest, receipt: str, *, moved: bool) -> HttpResponse:
    return staff_render(
        request,
        "integrity/staff/handed_receipt.html",
        {"receipt_groups": crypto.receipt_groups(receipt), "moved": moved},
        status=201,
    )


@encrypted_uploads
@staff_required
@require_http_methods(["GET", "POST"])
def phone_report(request: HttpRequest) -> HttpResponse:
    """A call-center agent files a report for a caller (confidential: the caller's name is kept,
    encrypted, as identity). No call record is made for this line."""
    if not _is_agent(request.user):
        raise Http404
    form = PhoneReportForm(request.POST or None, request.FILES or None)
    error, status = "", 200
    if request.method == "POST":
        status = 422
        if skipped_uploads(request):
            error = _("برخی پرونده‌ها پذیرفته نشد: حداکثر ۵ پرونده و هر کدام تا ۲۰ مگابایت.")
        elif form.is_valid():
            try:
                _report, receipt = report_submit(
                    answers=form.answers(),
                    identity=form.identity(),
                    blobs=uploaded_blobs(request),
                    channel=Report.Channel.PHONE,
                    actor=request.user,
                )
            except ApplicationError as exc:
                error, status = str(exc.detail), exc.status
            else:
                return _receipt_page(request, receipt, moved=False)
    return staff_render(
        request,
        "integrity/staff/phone.html",
        {"form": form, "error": error, "ready": channel_ready(), "nav_section": "integrity"},
        status=status,
    )


@supervisor_required
@require_POST
def move_case(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A 137-center supervisor moves a case into the channel (confirmed by a checkbox)."""
    try:
        case = access_case(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc
    if request.POST.get("confirm") != "yes":
        return staff_render(
            request,
            "integrity/staff/move_error.html",
            {"error": _("انتقال را تأیید کنید."), "case": case},
            status=422,
        )
    try:
        _report, receipt = case_move_to_integrity(case=case, supervisor=request.user)
    except ApplicationError as exc:
        return staff_render(
            request,
            "integrity/staff/move_error.html",
            {"error": str(exc.detail), "case": case},
            status=exc.status,
        )
    return _receipt_page(request, receipt, moved=True)

"""The reporter's pages at /integrity/: no account, no third-party assets, nothing remembered.

These views never read ``request.user`` or the session: a reporter who is also signed in to the
portal or the staff pages in the same browser stays unconnected to the report.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peygir.core.errors import ApplicationError, ValidationError
from peygir.core.text import to_latin_digits

from .. import crypto, pow
from ..forms import EvidenceForm, MessageForm, ReceiptChangeForm, ReceiptForm, ReportForm
from ..selectors import report_deadlines, report_read
from ..services import (
    channel_ready,
    receipt_change,
    report_open,
    report_submit,
    reporter_evidence_add,
    reporter_message_post,
)
from .common import (
    encrypted_uploads,
    network,
    reporter_cookie_clear,
    reporter_cookie_set,
    reporter_opened,
    skipped_uploads,
    uploaded_blobs,
)


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"integrity/{template}", context, status=status)


def index(request: HttpRequest) -> HttpResponse:
    return _render(request, "index.html", {"ready": channel_ready()})


def _receipt_context(receipt: str) -> dict:
    return {"receipt_groups": crypto.receipt_groups(receipt)}


@encrypted_uploads
@require_http_methods(["GET", "POST"])
def new_report(request: HttpRequest) -> HttpResponse:
    """The questionnaire with its proof of work; on success the receipt, shown this once."""
    form = ReportForm(request.POST or None, request.FILES or None)
    error, status = "", 200
    if request.method == "POST":
        status = 422
        if not pow.verify(request.POST.get("pow_challenge", ""), request.POST.get("pow_solution", "")):
            error = _("بررسی امنیتی مرورگر انجام نشد؛ صفحه را دوباره باز کنید و کمی صبر کنید تا آماده شود.")
        elif skipped_uploads(request):
            error = _("برخی پرونده‌ها پذیرفته نشد: حداکثر ۵ پرونده و هر کدام تا ۲۰ مگابایت.")
        elif form.is_valid():
            try:
                _report, receipt = report_submit(
                    answers=form.answers(), identity=form.identity(), blobs=uploaded_blobs(request)
                )
            except ApplicationError as exc:
                error, status = str(exc.detail), exc.status
            else:
                return _render(request, "receipt.html", _receipt_context(receipt), status=201)
    challenge, bits = pow.challenge_new()
    return _render(
        request,
        "new.html",
        {"form": form, "error": error, "challenge": challenge, "bits": bits, "ready": channel_ready()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def return_(request: HttpRequest) -> HttpResponse:
    """Come back with the receipt. After phone intake or a moved case, a new receipt is made first."""
    form = ReceiptForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                opened = report_open(receipt=form.cleaned_data["receipt"], network=network(request))
            except ApplicationError as exc:
                error, status = str(exc.detail), exc.status
            else:
                if opened.report.receipt_change_required:
                    return _change_page(request, form.cleaned_data["receipt"], crypto.receipt_new())
                response = HttpResponseRedirect(reverse("integrity:report"))
                reporter_cookie_set(response, opened)
                return response
    return _render(request, "return.html", {"form": form, "error": error}, status=status)


def _change_page(
    request: HttpRequest, old: str, new: str, error: str = "", status: int = 200
) -> HttpResponse:
    form = ReceiptChangeForm(initial={"receipt": old, "new_receipt": new})
    return _render(
        request, "change.html", {"form": form, "error": error, **_receipt_context(new)}, status=status
    )


@require_POST
def change_receipt(request: HttpRequest) -> HttpResponse:
    """Confirm the new receipt (the last group typed back) and replace the old one with it."""
    form = ReceiptChangeForm(request.POST)
    if not form.is_valid():
        return HttpResponseRedirect(reverse("integrity:return"))
    old, new = form.cleaned_data["receipt"], form.cleaned_data["new_receipt"]
    digits = crypto.receipt_normalize(new)
    typed = "".join(ch for ch in to_latin_digits(form.cleaned_data["confirm"]) if ch.isdigit())
    try:
        opened = report_open(receipt=old, network=network(request))
        if digits is None or not crypto.constant_time_equal(typed, digits[-crypto.RECEIPT_GROUP :]):
            return _change_page(
                request, old, digits or crypto.receipt_new(), _("پنج رقم آخر با کد تازه یکی نیست."), 422
            )
        if not opened.report.receipt_change_required:
            raise ValidationError(_("این کد رسید پیش‌تر عوض شده است."))
        report = receipt_change(opened=opened, new_receipt=digits)
    except ApplicationError as exc:
        return _render(
            request, "return.html", {"form": ReceiptForm(), "error": str(exc.detail)}, status=exc.status
        )
    response = HttpResponseRedirect(reverse("integrity:report"))
    reporter_cookie_set(response, type(opened)(report, opened.private_key))
    return response


def _report_page(
    request: HttpRequest, *, error: str = "", status: int = 200, **forms: object
) -> HttpResponse:
    opened = reporter_opened(request)
    if opened is None or opened.report.receipt_change_required:
        response = HttpResponseRedirect(reverse("integrity:return"))
        reporter_cookie_clear(response)
        return response
    view = report_read(opened.report, opened.private_key, for_handler=False)
    context = {
        "view": view,
        "report": opened.report,
        "deadlines": report_deadlines(opened.report),
        "message_form": forms.get("message_form") or MessageForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "error": error,
    }
    return _render(request, "report.html", context, status=status)


def report(request: HttpRequest) -> HttpResponse:
    return _report_page(request)


@require_POST
def report_message(request: HttpRequest) -> HttpResponse:
    opened = reporter_opened(request)
    if opened is None:
        return HttpResponseRedirect(reverse("integrity:return"))
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            reporter_message_post(opened=opened, text=form.cleaned_data["text"])
        except ApplicationError as exc:
            return _report_page(request, error=str(exc.detail), status=exc.status, message_form=form)
        return HttpResponseRedirect(reverse("integrity:report"))
    return _report_page(request, status=422, message_form=form)


@encrypted_uploads
@require_POST
def report_evidence(request: HttpRequest) -> HttpResponse:
    opened = reporter_opened(request)
    if opened is None:
        return HttpResponseRedirect(reverse("integrity:return"))
    if skipped_uploads(request):
        return _report_page(
            request,
            error=_("برخی پرونده‌ها پذیرفته نشد: حداکثر ۵ پرونده و هر کدام تا ۲۰ مگابایت."),
            status=422,
        )
    try:
        reporter_evidence_add(opened=opened, blobs=uploaded_blobs(request))
    except ApplicationError as exc:
        return _report_page(request, error=str(exc.detail), status=exc.status)
    return HttpResponseRedirect(reverse("integrity:report"))


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    response = HttpResponseRedirect(reverse("integrity:index"))
    reporter_cookie_clear(response)
    return response

"""Webhooks of the SMS provider: delivery reports."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from peygir.notifications.backends import kavenegar_delivery_status
from peygir.notifications.services import sms_delivery_report


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_status(request: HttpRequest) -> HttpResponse:
    """Kavenegar-style delivery report: ``messageid`` and ``status`` (form, or query string), with
    the shared secret of ``PEYGIR["SMS_STATUS_SECRET"]`` as ``?secret=`` in the callback URL.

    Off (404) while no secret is set. Answers 200 for every well-formed report, known message or
    not, so the provider stops repeating it.
    """
    expected = str(getattr(settings, "PEYGIR", {}).get("SMS_STATUS_SECRET", ""))
    if not expected:
        raise Http404
    given = request.GET.get("secret", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return HttpResponseForbidden("forbidden", content_type="text/plain")
    data = request.POST if request.method == "POST" else request.GET
    message_id = (data.get("messageid") or "").strip()
    status = (data.get("status") or "").strip()
    if not message_id or not status:
        return HttpResponseBadRequest("messageid and status are required", content_type="text/plain")
    sms_delivery_report(message_id=message_id, status=kavenegar_delivery_status(status))
    return HttpResponse("OK", content_type="text/plain")

"""The SMS provider's receive webhook: a citizen's text to the short number."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from peygir.core.errors import ValidationError

from .services import sms_inbound_receive


def _fields(request: HttpRequest) -> dict[str, str]:
    if request.method == "GET":
        return {key: request.GET.get(key, "") for key in ("messageid", "from", "to", "message")}
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            raise ValidationError(_("بدنه درخواست JSON معتبر نیست."), code="bad_json")
        return {key: str(data.get(key) or "") for key in ("messageid", "from", "to", "message")}
    return {key: request.POST.get(key, "") for key in ("messageid", "from", "to", "message")}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_inbound(request: HttpRequest) -> HttpResponse:
    """Kavenegar-style receive callback: ``messageid``, ``from``, ``to``, ``message`` (form, JSON or
    query string), with the shared secret of ``PEYGIR["SMS_INBOUND_SECRET"]`` as ``?secret=``.

    Off (404) while no secret is set. 200 with the outcome for every stored message (also a repeated
    one, so the provider stops repeating it); 400 with a Persian message for a malformed one.
    """
    expected = str(settings.PEYGIR.get("SMS_INBOUND_SECRET", ""))
    if not expected:
        raise Http404
    if not hmac.compare_digest(request.GET.get("secret", "").encode(), expected.encode()):
        return HttpResponseForbidden("forbidden", content_type="text/plain")
    try:
        fields = _fields(request)
        result = sms_inbound_receive(
            message_id=fields["messageid"],
            sender=fields["from"],
            text=fields["message"],
            recipient=fields["to"],
        )
    except ValidationError as exc:
        return JsonResponse({"status": "error", "code": exc.code, "detail": str(exc.detail)}, status=400)
    message = result.message
    return JsonResponse(
        {
            "status": "ok",
            "outcome": message.outcome,
            "duplicate": not result.created,
            "tracking_code": message.case.tracking_code if message.case is not None else None,
        }
    )

"""The generic CTI webhook for PBXs other than Asterisk, and the agents' availability they may ask for.

Authentication: the shared secret ``PEYGIR["CTI_WEBHOOK_SECRET"]`` in the ``X-Peygir-Cti-Secret``
header (compared in constant time). The body is JSON: ``{"id": "<unique event id>", "source":
"<pbx name>", "event": "<AMI event name>", "linkedid": "...", "fields": {...}}``; the event names
and fields are Asterisk's (Newchannel, AgentCalled, AgentConnect, AgentComplete, Hangup, …).
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ..cti import HANDLED_EVENTS, cti_webhook_receive
from ..models import AgentExtension, AgentState

MAX_BODY = 64 * 1024


def _authorised(request: HttpRequest) -> bool:
    secret = str(settings.PEYGIR.get("CTI_WEBHOOK_SECRET", ""))
    given = request.headers.get("X-Peygir-Cti-Secret", "")
    return bool(secret) and hmac.compare_digest(secret.encode(), given.encode())


def _problem(status: int, detail: str) -> JsonResponse:
    return JsonResponse(
        {"title": detail, "status": status}, status=status, content_type="application/problem+json"
    )


@csrf_exempt
@require_POST
def cti_webhook(request: HttpRequest) -> JsonResponse:
    if not _authorised(request):
        return _problem(401, "bad or missing X-Peygir-Cti-Secret")
    if len(request.body) > MAX_BODY:
        return _problem(413, "body too large")
    try:
        body: Any = json.loads(request.body)
    except ValueError:
        return _problem(400, "body is not JSON")
    if not isinstance(body, dict):
        return _problem(400, "body must be a JSON object")
    event_id, name = str(body.get("id") or "").strip(), str(body.get("event") or "")
    fields = body.get("fields", {})
    if not event_id or len(event_id) > 120 or not isinstance(fields, dict):
        return _problem(422, "id (≤ 120 characters) and fields (an object) are required")
    if name not in HANDLED_EVENTS:
        return _problem(422, f"unknown event {name!r}")
    source = str(body.get("source") or "webhook")[:40]
    event = {str(k): str(v) for k, v in fields.items()}
    event["Event"] = name
    if body.get("linkedid"):
        event.setdefault("Linkedid", str(body["linkedid"]))
        event.setdefault("Uniqueid", str(body["linkedid"]))
    call, applied = cti_webhook_receive(source=f"webhook:{source}", event_id=event_id, event=event)
    return JsonResponse(
        {
            "applied": applied,
            "call": str(call.public_id) if call else None,
            "status": call.status if call else None,
        },
        status=202 if applied else 200,
    )


@csrf_exempt
@require_GET
def cti_agents(request: HttpRequest) -> JsonResponse:
    """Which extensions may be offered a call now (available, after-call work over)."""
    if not _authorised(request):
        return _problem(401, "bad or missing X-Peygir-Cti-Secret")
    now = timezone.now()
    states = {s.user_id: s for s in AgentState.objects.all()}
    rows = []
    for ext in AgentExtension.objects.filter(is_active=True).order_by("extension"):
        state = states.get(ext.user_id)
        ready = (
            state is not None
            and state.state == AgentState.State.AVAILABLE
            and not (state.wrap_until and state.wrap_until > now)
        )
        rows.append(
            {"extension": ext.extension, "state": state.state if state else "offline", "ready": ready}
        )
    return JsonResponse({"agents": rows})

"""The Bot API's webhook: ``POST /intake/bot/webhook/<secret>/`` with one update as JSON."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .client import BotApi, BotApiError
from .messages import update_id_of
from .services import bot_update_handle

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# One update is a few kilobytes; anything much larger is not from the Bot API.
MAX_BODY_BYTES = 256 * 1024


def _conf(name: str, default: object = "") -> object:
    return getattr(settings, "PEYGIR", {}).get(name, default)


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


@csrf_exempt
@require_POST
def bot_webhook(request: HttpRequest, secret: str) -> HttpResponse:
    """One update from the Bot API, at the URL ``manage.py bot_set_webhook`` registered.

    Off (404) unless ``PEYGIR["BOT_MODE"]`` is ``webhook`` and ``BOT_WEBHOOK_SECRET`` is set; a wrong
    secret in the path is 404 too (the endpoint is not revealed). The secret must also come in the
    ``X-Telegram-Bot-Api-Secret-Token`` header (403 otherwise), unless
    ``BOT_WEBHOOK_REQUIRE_HEADER`` is off for a server that does not send it. Both are compared in
    constant time. 200 for every update handled or seen before; 400 for a body that is not one.
    """
    expected = str(_conf("BOT_WEBHOOK_SECRET", ""))
    if _conf("BOT_MODE", "webhook") != "webhook" or not expected or not _same(secret, expected):
        raise Http404
    header = request.headers.get(SECRET_HEADER)
    if header is None and _conf("BOT_WEBHOOK_REQUIRE_HEADER", True):
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    if header is not None and not _same(header, expected):
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    if len(request.body) > MAX_BODY_BYTES:
        return HttpResponse("too large", status=413, content_type="text/plain")
    try:
        update = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        update = None
    if update_id_of(update) is None:
        return JsonResponse({"ok": False, "description": "not an update"}, status=400)
    try:
        api = BotApi.from_settings()
    except BotApiError:
        # Without a token nothing can be answered; the Bot API keeps the update and retries.
        return JsonResponse({"ok": False, "description": "bot not configured"}, status=503)
    result = bot_update_handle(update=update, api=api)
    return JsonResponse({"ok": True, "duplicate": not result.created})

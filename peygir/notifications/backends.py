"""Senders: how a notification leaves Peygir, one class per way.

The SMS (and bot) sender is chosen by ``settings.PEYGIR["SMS_BACKEND"]``: ``console`` logs a line,
``file`` appends a JSON line to ``VAR_DIR/outbox.log``, ``http`` posts to the gateway. E-mail goes
through Django's mail framework, whose ``EMAIL_BACKEND`` setting plays the same role.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from peygir.notifications.models import Notification

logger = logging.getLogger("peygir.notifications")

HTTP_TIMEOUT_SECONDS = 10


class DeliveryError(Exception):
    """The message could not be handed over; the outbox records it and tries again later."""


class Backend(Protocol):
    def send(self, notification: Notification) -> None:
        """Hand the message over or raise ``DeliveryError``."""


def mask_phone(phone: str) -> str:
    """09121234567 → 0912***4567: enough to tell messages apart in a log, not enough to call."""
    if len(phone) < 8:
        return "*" * len(phone)
    return f"{phone[:4]}***{phone[-4:]}"


class ConsoleBackend:
    """Writes one log line per message: for development, where a person reads the console."""

    def send(self, notification: Notification) -> None:
        to = mask_phone(notification.to_phone) if notification.to_phone else notification.recipient
        logger.info(
            "notification %s [%s/%s] to %s: %s",
            notification.public_id,
            notification.channel,
            notification.kind,
            to,
            notification.body,
        )


class FileBackend:
    """Appends one JSON line per message to ``VAR_DIR/outbox.log``: for demos and end-to-end tests."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or Path(settings.VAR_DIR) / "outbox.log"

    def send(self, notification: Notification) -> None:
        record = {
            "id": str(notification.public_id),
            "at": timezone.now().isoformat(),
            "channel": notification.channel,
            "kind": notification.kind,
            "to": notification.recipient,
            "subject": notification.subject,
            "text": notification.body,
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One write of one line in append mode, so lines from parallel workers do not interleave.
            with self.path.open("a", encoding="utf-8") as outbox:
                outbox.write(line)
        except OSError as exc:
            raise DeliveryError(f"cannot write {self.path}: {exc}") from exc


def _post_json(url: str, payload: dict[str, Any], headers: dict[str, str]) -> bytes:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            status = response.status
            body: bytes = response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"gateway answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"gateway unreachable: {exc}") from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"gateway answered HTTP {status}")
    return body


class HttpSmsBackend:
    """Posts ``{"to": phone, "text": body}`` with a bearer token to the SMS gateway."""

    def __init__(self, url: str, token: str) -> None:
        if not url:
            raise DeliveryError("SMS_GATEWAY_URL is not set")
        self.url = url
        self.token = token

    def send(self, notification: Notification) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        _post_json(self.url, {"to": notification.to_phone, "text": notification.body}, headers)


class BotApiBackend:
    """Sends through a Telegram-compatible Bot API (Bale, Telegram): ``sendMessage`` to a chat id."""

    def __init__(self, api_url: str, token: str) -> None:
        if not api_url or not token:
            raise DeliveryError("BOT_API_URL and BOT_TOKEN are not set")
        self.url = f"{api_url.rstrip('/')}/bot{token}/sendMessage"

    def send(self, notification: Notification) -> None:
        body = _post_json(self.url, {"chat_id": notification.to_address, "text": notification.body}, {})
        try:
            ok = json.loads(body).get("ok", False)
        except (ValueError, AttributeError):
            ok = False
        if not ok:
            raise DeliveryError("bot API did not accept the message")


class EmailBackend:
    """Sends through Django's mail framework (``EMAIL_BACKEND``, ``DEFAULT_FROM_EMAIL``)."""

    def send(self, notification: Notification) -> None:
        try:
            send_mail(notification.subject, notification.body, None, [notification.to_address])
        except OSError as exc:
            raise DeliveryError(f"mail not sent: {exc}") from exc


def _setting(name: str, default: str = "") -> str:
    return str(settings.PEYGIR.get(name, default))


def _by_name(name: str, http: Callable[[], Backend]) -> Backend:
    if name == "console":
        return ConsoleBackend()
    if name == "file":
        return FileBackend()
    if name == "http":
        return http()
    raise DeliveryError(f"unknown notification backend {name!r}")


def backend_for(channel: str) -> Backend:
    """The sender for a channel under the current settings; raises ``DeliveryError`` if misconfigured.

    SMS follows ``PEYGIR["SMS_BACKEND"]``; the bot channel ``PEYGIR["BOT_BACKEND"]`` (the SMS choice
    when unset), whose ``http`` is the Bot API at ``BOT_API_URL`` with ``BOT_TOKEN``.
    """
    sms_backend = _setting("SMS_BACKEND", "console")
    if channel == Notification.Channel.SMS:
        return _by_name(
            sms_backend, lambda: HttpSmsBackend(_setting("SMS_GATEWAY_URL"), _setting("SMS_GATEWAY_TOKEN"))
        )
    if channel == Notification.Channel.BOT:
        return _by_name(
            _setting("BOT_BACKEND", sms_backend),
            lambda: BotApiBackend(_setting("BOT_API_URL"), _setting("BOT_TOKEN")),
        )
    if channel == Notification.Channel.EMAIL:
        return EmailBackend()
    raise DeliveryError(f"channel {channel!r} has no sender")

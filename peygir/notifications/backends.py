"""Senders: how a notification leaves Peygir, one class per way.

The SMS (and bot) sender is chosen by ``settings.PEYGIR["SMS_BACKEND"]``: ``console`` logs a line,
``file`` appends a JSON line to ``VAR_DIR/outbox.log``, ``http`` posts JSON to a plain gateway,
``kavenegar`` speaks the REST API of Kavenegar and the Iranian providers that copy it. E-mail goes
through Django's mail framework, whose ``EMAIL_BACKEND`` setting plays the same role.

A sender returns a ``Receipt`` when the provider names the message (its id, its first status), or
None; it raises ``DeliveryError`` when the message was not handed over.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Receipt:
    """What a provider said when it took a message: its id for the message, and the first status."""

    message_id: str = ""
    delivery_status: str = ""


class Backend(Protocol):
    def send(self, notification: Notification) -> Receipt | None:
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


def _http(request: urllib.request.Request) -> bytes:
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            status = response.status
            body: bytes = response.read()
    except urllib.error.HTTPError as exc:
        # The URL is left out of every message: some providers put the API key in it.
        raise DeliveryError(f"gateway answered HTTP {exc.code}{_provider_message(exc)}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"gateway unreachable: {exc}") from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"gateway answered HTTP {status}")
    return body


def _provider_message(exc: urllib.error.HTTPError) -> str:
    """The provider's own words from an error answer in the Kavenegar shape (or the Bot API's
    ``description``, e.g. "Forbidden: bot was blocked by the user"), if it has them."""
    try:
        answer = json.loads(exc.read())
        message = answer["description"] if "description" in answer else answer["return"]["message"]
    except (ValueError, KeyError, TypeError, OSError):
        return ""
    return f": {message}" if message else ""


def _post_json(url: str, payload: dict[str, Any], headers: dict[str, str]) -> bytes:
    return _http(
        urllib.request.Request(
            url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                **headers,
            },
            method="POST",
        )
    )


def _post_form(url: str, fields: dict[str, str]) -> bytes:
    return _http(
        urllib.request.Request(
            url,
            data=urllib.parse.urlencode(fields).encode("ascii"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
            method="POST",
        )
    )


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


# Kavenegar's message states (https://kavenegar.com/rest.html, "وضعیت پیامک") in our terms.
KAVENEGAR_STATUS = {
    1: Notification.Delivery.QUEUED,
    2: Notification.Delivery.QUEUED,
    4: Notification.Delivery.OPERATOR,
    5: Notification.Delivery.OPERATOR,
    6: Notification.Delivery.UNDELIVERED,
    10: Notification.Delivery.DELIVERED,
    11: Notification.Delivery.UNDELIVERED,
    13: Notification.Delivery.UNDELIVERED,
    14: Notification.Delivery.UNDELIVERED,
}


def kavenegar_delivery_status(code: Any) -> str:
    """Our delivery status for a Kavenegar status code (``""`` for one we do not know, e.g. 100)."""
    try:
        return str(KAVENEGAR_STATUS.get(int(code), Notification.Delivery.UNKNOWN))
    except (TypeError, ValueError):
        return str(Notification.Delivery.UNKNOWN)


class KavenegarBackend:
    """The REST API of Kavenegar (and of the providers that copy it): ``{base}/{api_key}/sms/…``.

    ``send.json`` takes ``receptor``, ``sender``, ``message`` and ``localid``; the row's id is the
    ``localid``, so a message sent again after a lost answer or a dead worker is recognised by the
    provider, which answers with the first message's id instead of sending it twice. Answers look
    like ``{"return": {"status": 200, "message": …}, "entries": [{"messageid": …, "status": …}]}``.
    """

    def __init__(self, base_url: str, api_key: str, sender: str = "") -> None:
        if not base_url or not api_key:
            raise DeliveryError("SMS_PROVIDER_URL and SMS_PROVIDER_API_KEY are not set")
        self.base = f"{base_url.rstrip('/')}/{urllib.parse.quote(api_key, safe='')}/sms"
        self.sender = sender

    def _entries(self, body: bytes) -> list[dict[str, Any]]:
        try:
            answer = json.loads(body)
            status = int(answer["return"]["status"])
            entries = answer.get("entries") or []
        except (ValueError, KeyError, TypeError) as exc:
            raise DeliveryError("provider answer is not in the expected shape") from exc
        if status != 200:
            raise DeliveryError(f"provider refused ({status}): {answer['return'].get('message', '')}")
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            raise DeliveryError("provider answer is not in the expected shape")
        return entries

    def send(self, notification: Notification) -> Receipt:
        fields = {
            "receptor": notification.to_phone,
            "message": notification.body,
            "localid": str(notification.pk),
        }
        if self.sender:
            fields["sender"] = self.sender
        entries = self._entries(_post_form(f"{self.base}/send.json", fields))
        if not entries or "messageid" not in entries[0]:
            raise DeliveryError("provider accepted the message but named no message id")
        entry = entries[0]
        return Receipt(
            message_id=str(entry["messageid"]), delivery_status=kavenegar_delivery_status(entry.get("status"))
        )

    def statuses(self, message_ids: Iterable[str]) -> dict[str, str]:
        """The current delivery status of each message id the provider knows (``status.json``)."""
        ids = ",".join(message_ids)
        if not ids:
            return {}
        entries = self._entries(_post_form(f"{self.base}/status.json", {"messageid": ids}))
        return {
            str(entry["messageid"]): kavenegar_delivery_status(entry.get("status"))
            for entry in entries
            if "messageid" in entry
        }


class BotApiBackend:
    """Sends through a Telegram-compatible Bot API (Bale, Telegram): ``sendMessage`` to a chat id."""

    def __init__(self, api_url: str, token: str) -> None:
        if not api_url or not token:
            raise DeliveryError("BOT_API_URL and BOT_TOKEN are not set")
        self.url = f"{api_url.rstrip('/')}/bot{token}/sendMessage"

    def send(self, notification: Notification) -> Receipt:
        body = _post_json(self.url, {"chat_id": notification.to_address, "text": notification.body}, {})
        try:
            answer = json.loads(body)
            ok = bool(answer.get("ok", False))
        except (ValueError, AttributeError):
            answer, ok = {}, False
        if not ok:
            raise DeliveryError(f"bot API did not accept the message: {answer.get('description', '')}")
        # The Bot API names the message it sent (``result.message_id``), kept like an SMS provider's id.
        result = answer.get("result")
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return Receipt(message_id=str(message_id) if message_id is not None else "")


class EmailBackend:
    """Sends through Django's mail framework (``EMAIL_BACKEND``, ``DEFAULT_FROM_EMAIL``)."""

    def send(self, notification: Notification) -> None:
        try:
            send_mail(notification.subject, notification.body, None, [notification.to_address])
        except OSError as exc:
            raise DeliveryError(f"mail not sent: {exc}") from exc


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, "PEYGIR", {}).get(name, default))


def kavenegar_backend() -> KavenegarBackend:
    """The Kavenegar-style provider under the current settings (``SMS_PROVIDER_*``)."""
    return KavenegarBackend(
        _setting("SMS_PROVIDER_URL", "https://api.kavenegar.com/v1"),
        _setting("SMS_PROVIDER_API_KEY"),
        _setting("SMS_PROVIDER_SENDER"),
    )


def _by_name(name: str, http: Callable[[], Backend], sms: bool = False) -> Backend:
    if name == "console":
        return ConsoleBackend()
    if name == "file":
        return FileBackend()
    if name == "http":
        return http()
    if name == "kavenegar" and sms:
        return kavenegar_backend()
    raise DeliveryError(f"unknown notification backend {name!r}")


def backend_for(channel: str) -> Backend:
    """The sender for a channel under the current settings; raises ``DeliveryError`` if misconfigured.

    SMS follows ``PEYGIR["SMS_BACKEND"]`` (``console``, ``file``, ``http`` or ``kavenegar``); the bot
    channel ``PEYGIR["BOT_BACKEND"]``, whose ``http`` is the Bot API at ``BOT_API_URL`` with
    ``BOT_TOKEN`` (when unset or empty: ``http`` if a ``BOT_TOKEN`` is set, else the SMS choice,
    ``console`` for ``kavenegar``).
    """
    sms_backend = _setting("SMS_BACKEND", "console")
    if channel == Notification.Channel.SMS:
        return _by_name(
            sms_backend,
            lambda: HttpSmsBackend(_setting("SMS_GATEWAY_URL"), _setting("SMS_GATEWAY_TOKEN")),
            sms=True,
        )
    if channel == Notification.Channel.BOT:
        fallback = (
            "http" if _setting("BOT_TOKEN") else "console" if sms_backend == "kavenegar" else sms_backend
        )
        return _by_name(
            _setting("BOT_BACKEND") or fallback,
            lambda: BotApiBackend(_setting("BOT_API_URL"), _setting("BOT_TOKEN")),
        )
    if channel == Notification.Channel.EMAIL:
        return EmailBackend()
    raise DeliveryError(f"channel {channel!r} has no sender")

"""A small client of the Telegram Bot API, which Bale (``https://tapi.bale.ai``) implements too.

Every method is ``POST {base}/bot{token}/{method}`` with a JSON body, answered by
``{"ok": true, "result": …}`` or ``{"ok": false, "error_code": …, "description": …}``; files are
downloaded from ``{base}/file/bot{token}/{file_path}``. The token is part of every URL, so no URL is
ever written into a log line or an error message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings

# Long polling holds a request open this long; the socket waits a little longer than the server.
POLL_TIMEOUT_SECONDS = 25
HTTP_TIMEOUT_SECONDS = 10
# Larger files are refused before they are downloaded (the attachment limit is 5 MB).
MAX_DOWNLOAD_BYTES = 5 * 1024 * 1024


class BotApiError(Exception):
    """The Bot API could not be reached, refused the call, or answered in an unexpected shape."""


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, "PEYGIR", {}).get(name, default) or default)


class BotApi:
    """One bot (one token) on one Bot API server."""

    def __init__(self, base_url: str, token: str) -> None:
        if not base_url or not token:
            raise BotApiError("BOT_API_URL and BOT_TOKEN are not set")
        self.base = base_url.rstrip("/")
        self.token = token

    @classmethod
    def from_settings(cls) -> BotApi:
        """The bot under the current settings (``PEYGIR["BOT_API_URL"]``, ``PEYGIR["BOT_TOKEN"]``)."""
        return cls(_setting("BOT_API_URL"), _setting("BOT_TOKEN"))

    def _open(self, request: urllib.request.Request, timeout: float) -> bytes:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body: bytes = response.read(MAX_DOWNLOAD_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise BotApiError(f"bot API answered HTTP {exc.code}{_description(exc)}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise BotApiError(f"bot API unreachable: {type(exc).__name__}") from exc
        return body

    def call(self, method: str, payload: dict[str, Any] | None = None, *, timeout: float = 0) -> Any:
        """Call one Bot API method and return its ``result``; raises ``BotApiError``."""
        request = urllib.request.Request(
            f"{self.base}/bot{self.token}/{method}",
            data=json.dumps(payload or {}, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
            method="POST",
        )
        body = self._open(request, timeout or HTTP_TIMEOUT_SECONDS)
        try:
            answer = json.loads(body)
        except ValueError as exc:
            raise BotApiError(f"{method}: the answer is not JSON") from exc
        if not isinstance(answer, dict) or not answer.get("ok"):
            description = answer.get("description", "") if isinstance(answer, dict) else ""
            raise BotApiError(f"{method} refused: {description}")
        return answer.get("result")

    def send_message(self, chat_id: str, text: str, reply_markup: dict[str, Any] | None = None) -> Any:
        payload: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if reply_markup is not None:
            payload["reply_markup"] = reply_markup
        return self.call("sendMessage", payload)

    def get_updates(self, *, offset: int | None, timeout: int = POLL_TIMEOUT_SECONDS) -> list[dict[str, Any]]:
        """The updates after ``offset`` (which confirms every earlier one), waiting up to ``timeout``."""
        payload: dict[str, Any] = {"timeout": timeout}
        if offset is not None:
            payload["offset"] = offset
        result = self.call("getUpdates", payload, timeout=timeout + HTTP_TIMEOUT_SECONDS)
        if not isinstance(result, list) or not all(isinstance(update, dict) for update in result):
            raise BotApiError("getUpdates: the answer is not a list of updates")
        return result

    def download_file(self, file_id: str) -> bytes:
        """The bytes of a file the citizen sent: ``getFile`` names its path, then it is fetched.

        Raises ``BotApiError`` when it cannot be fetched or is larger than ``MAX_DOWNLOAD_BYTES``.
        """
        info = self.call("getFile", {"file_id": file_id})
        if not isinstance(info, dict) or not isinstance(info.get("file_path"), str):
            raise BotApiError("getFile: no file_path in the answer")
        size = info.get("file_size")
        if isinstance(size, int) and size > MAX_DOWNLOAD_BYTES:
            raise BotApiError("file too large")
        path = urllib.parse.quote(info["file_path"].lstrip("/"), safe="/")
        request = urllib.request.Request(f"{self.base}/file/bot{self.token}/{path}", method="GET")
        data = self._open(request, HTTP_TIMEOUT_SECONDS)
        if len(data) > MAX_DOWNLOAD_BYTES:
            raise BotApiError("file too large")
        return data

    def set_webhook(self, url: str, secret_token: str = "") -> Any:
        payload: dict[str, Any] = {"url": url, "allowed_updates": ["message"]}
        if secret_token:
            payload["secret_token"] = secret_token
        return self.call("setWebhook", payload)

    def delete_webhook(self) -> Any:
        return self.call("deleteWebhook", {})


def _description(exc: urllib.error.HTTPError) -> str:
    """The Bot API's own words from an error answer (``description``), if it has them."""
    try:
        description = json.loads(exc.read()).get("description", "")
    except (ValueError, AttributeError, OSError):
        return ""
    return f": {description}" if description else ""

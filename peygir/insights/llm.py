"""The optional LLM assistant: an OpenAI-compatible ``/v1/chat/completions`` endpoint that the
municipality hosts itself (``INSIGHTS["LLM_BASE_URL"]``). Off by default; everything works without it.

It only reads: it summarises a long message and drafts a reply that the officer edits before sending
(nothing it writes reaches a citizen by itself). No personal contact data is sent to it: only the
message text, the category name and the unit name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from .store import insights_setting

MAX_INPUT = 4000


class AssistantError(Exception):
    """The LLM endpoint failed or answered something unusable; the message says what."""


SUMMARY_PROMPT = (
    "تو دستیار کارشناسان سامانه ۱۳۷ شهرداری تهران هستی. پیام شهروند را در یک تا سه جمله کوتاه فارسی "
    "خلاصه کن: چه مشکلی، کجا، از چه زمانی. چیزی از خودت اضافه نکن."
)
DRAFT_PROMPT = (
    "تو دستیار کارشناسان سامانه ۱۳۷ شهرداری تهران هستی. برای پیام شهروند یک پاسخ مؤدبانه، کوتاه و "
    "رسمی به فارسی پیش‌نویس کن که کارشناس پیش از فرستادن ویرایش می‌کند. قولی نده که معلوم نیست "
    "انجام شود؛ جای تاریخ یا اقدام مشخص را با [...] خالی بگذار."
)


@dataclass
class ChatAssistant:
    base_url: str
    api_key: str = ""
    model: str = ""
    timeout: float = 20.0
    name: str = "openai"
    transport: Any = None

    @classmethod
    def from_settings(cls) -> ChatAssistant | None:
        base_url = str(insights_setting("LLM_BASE_URL", "") or "").rstrip("/")
        if not base_url:
            return None
        return cls(
            base_url=base_url,
            api_key=str(insights_setting("LLM_API_KEY", "") or ""),
            model=str(insights_setting("LLM_MODEL", "") or ""),
            timeout=float(insights_setting("LLM_TIMEOUT", 20.0)),
        )

    def _url(self) -> str:
        # Accept the base with or without its /v1 (both are common in OpenAI-compatible servers).
        base = self.base_url[:-3] if self.base_url.endswith("/v1") else self.base_url
        return f"{base}/v1/chat/completions"

    def _chat(self, system: str, user: str) -> str:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        body = {
            "model": self.model or "default",
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user[:MAX_INPUT]},
            ],
            "temperature": 0.2,
        }
        try:
            with httpx.Client(timeout=self.timeout, transport=self.transport, trust_env=False) as client:
                response = client.post(self._url(), json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise AssistantError(f"LLM endpoint unreachable: {exc.__class__.__name__}") from exc
        if response.status_code != 200:
            raise AssistantError(f"LLM endpoint answered HTTP {response.status_code}")
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise AssistantError("LLM endpoint answered without choices[0].message.content") from exc
        text = str(content or "").strip()
        if not text:
            raise AssistantError("LLM endpoint answered an empty text")
        return text

    def summarise(self, text: str) -> str:
        return self._chat(SUMMARY_PROMPT, text)

    def draft_reply(self, *, text: str, category: str, unit: str) -> str:
        return self._chat(DRAFT_PROMPT, f"موضوع: {category}\nواحد پاسخگو: {unit}\nپیام شهروند:\n{text}")

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PIL import Image

from peygir.intake.channels.bot.client import BotApi
from peygir.intake.channels.bot.services import bot_update_handle

from .fake_bot_api import TOKEN, FakeBotApi

CHAT = 7001001
OTHER_CHAT = 7002002
SECRET = "webhook-secret_0123456789abcdef"
# A point inside district 6's demo polygon.
POINT_6 = (35.72617, 51.40322)


@pytest.fixture
def fake_bot(settings: Any) -> Iterator[FakeBotApi]:
    fake = FakeBotApi()
    fake.start()
    settings.PEYGIR = {
        **settings.PEYGIR,
        "BOT_API_URL": fake.url,
        "BOT_TOKEN": TOKEN,
        "BOT_MODE": "webhook",
        "BOT_WEBHOOK_SECRET": SECRET,
        "BOT_WEBHOOK_REQUIRE_HEADER": True,
        "BOT_BACKEND": "",
        "SITE_URL": "https://137.example.ir",
    }
    yield fake
    fake.stop()


@pytest.fixture
def api(fake_bot: FakeBotApi) -> BotApi:
    return BotApi.from_settings()


_ids = itertools.count(1000)


def message(
    *,
    chat: int = CHAT,
    sender: int | None = None,
    update_id: int | None = None,
    chat_type: str = "private",
    **body: Any,
) -> dict[str, Any]:
    """An update carrying one message of ``chat`` (text=…, location=…, contact=…, photo=…, sticker=…)."""
    sender_id = chat if sender is None else sender
    return {
        "update_id": next(_ids) if update_id is None else update_id,
        "message": {
            "message_id": next(_ids),
            "date": 1767000000,
            "chat": {"id": chat, "type": chat_type, "first_name": "مریم"},
            "from": {"id": sender_id, "is_bot": False, "first_name": "مریم"},
            **body,
        },
    }


def own_contact(phone: str, chat: int = CHAT) -> dict[str, Any]:
    return {"contact": {"phone_number": phone, "first_name": "مریم", "user_id": chat}}


def photo_bytes(gps: bool = True) -> bytes:
    image = Image.new("RGB", (320, 240), (30, 120, 200))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        exif[0x8825] = {1: "N", 2: (35.0, 42.0, 0.0), 3: "E", 4: (51.0, 24.0, 0.0)}
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def deliver(api: BotApi, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Hand one update to the bot as the webhook or the poller would, answers sent after commit."""

    def _deliver(update: dict[str, Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return bot_update_handle(update=update, api=api)

    return _deliver


@pytest.fixture
def say(deliver: Callable[..., Any], fake_bot: FakeBotApi) -> Callable[..., list[str]]:
    """Send one message body in the main chat; returns the texts the bot answered with."""

    def _say(chat: int = CHAT, **body: Any) -> list[str]:
        before = len(fake_bot.sent())
        deliver(message(chat=chat, **body))
        return [payload["text"] for payload in fake_bot.sent()[before:]]

    return _say


@pytest.fixture
def linked(say: Callable[..., list[str]], org_tree: Any) -> Any:
    """The main chat linked to the persona citizen (09120000001) by sharing their own contact."""
    from django.contrib.auth import get_user_model

    say(**own_contact("+989120000001"))
    return get_user_model().objects.get(mobile="09120000001")

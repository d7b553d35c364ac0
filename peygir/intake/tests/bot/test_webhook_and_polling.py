from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from peygir.intake.channels.bot.client import BotApiError
from peygir.intake.channels.bot.services import bot_chats_expire, bot_poll_once
from peygir.intake.models import BotChat, InboundMessage

from .conftest import CHAT, SECRET, message

pytestmark = pytest.mark.usefixtures("org_tree")

URL = f"/intake/bot/webhook/{SECRET}/"


def _post(client: Any, update: Any, *, url: str = URL, header: str | None = SECRET, **extra: Any) -> Any:
    headers = {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": header} if header is not None else {}
    body = update if isinstance(update, (bytes, str)) else json.dumps(update)
    return client.post(url, data=body, content_type="application/json", **headers, **extra)


def test_webhook_answers_an_update(client, fake_bot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, message(text="/start"))

    assert response.status_code == 200
    assert response.json() == {"ok": True, "duplicate": False}
    assert InboundMessage.objects.get().outcome == "help"
    assert fake_bot.texts()[0].startswith("سلام!")


def test_webhook_repeated_update_is_a_duplicate(client, fake_bot, django_capture_on_commit_callbacks):
    update = message(text="/start")
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, update)
        response = _post(client, update)

    assert response.json() == {"ok": True, "duplicate": True}
    assert InboundMessage.objects.count() == 1
    assert len(fake_bot.sent()) == 1


@pytest.mark.parametrize(
    ("url", "header", "status"),
    [
        (f"/intake/bot/webhook/{SECRET[:-1]}x/", SECRET, 404),
        ("/intake/bot/webhook/guess/", SECRET, 404),
        (URL, "wrong-header-secret", 403),
        (URL, None, 403),
    ],
)
def test_webhook_with_a_wrong_secret_stores_and_sends_nothing(client, fake_bot, url, header, status):
    response = _post(client, message(text="/start"), url=url, header=header)

    assert response.status_code == status
    assert InboundMessage.objects.count() == 0
    assert BotChat.objects.count() == 0
    assert fake_bot.calls == []


def test_webhook_without_the_header_when_the_server_sends_none(client, fake_bot, settings):
    settings.PEYGIR = {**settings.PEYGIR, "BOT_WEBHOOK_REQUIRE_HEADER": False}

    assert _post(client, message(text="/start"), header=None).status_code == 200
    # A header that is sent must still be right.
    assert _post(client, message(text="/start"), header="nope").status_code == 403
    assert InboundMessage.objects.count() == 1


@pytest.mark.parametrize("change", [{"BOT_WEBHOOK_SECRET": ""}, {"BOT_MODE": "polling"}])
def test_webhook_is_off_without_a_secret_or_in_polling_mode(client, fake_bot, settings, change):
    settings.PEYGIR = {**settings.PEYGIR, **change}

    assert _post(client, message(text="/start")).status_code == 404
    assert InboundMessage.objects.count() == 0


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"update_id": "x"}', b'{"message": {}}'])
def test_webhook_refuses_what_is_not_an_update(client, fake_bot, body):
    response = _post(client, body)

    assert response.status_code == 400
    assert InboundMessage.objects.count() == 0


def test_webhook_only_takes_post(client, fake_bot):
    assert client.get(URL, HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=SECRET).status_code == 405


def test_webhook_without_a_token_asks_for_a_retry(client, fake_bot, settings):
    settings.PEYGIR = {**settings.PEYGIR, "BOT_TOKEN": ""}

    assert _post(client, message(text="/start")).status_code == 503
    assert InboundMessage.objects.count() == 0


def test_polling_confirms_handled_updates_with_the_next_offset(
    api, fake_bot, django_capture_on_commit_callbacks
):
    fake_bot.pending = [message(text="/start", update_id=501), message(text="/help", update_id=502)]

    with django_capture_on_commit_callbacks(execute=True):
        offset = bot_poll_once(api=api, offset=None, timeout=0)
        again = bot_poll_once(api=api, offset=offset, timeout=0)

    assert (offset, again) == (503, 503)
    get_updates = [payload for method, payload in fake_bot.calls if method == "getUpdates"]
    assert get_updates == [{"timeout": 0}, {"timeout": 0, "offset": 503}]
    assert sorted(InboundMessage.objects.values_list("external_id", flat=True)) == ["501", "502"]
    assert len(fake_bot.sent()) == 2
    assert fake_bot.pending == []


def test_a_poller_restarted_from_an_old_offset_registers_nothing_twice(
    api, fake_bot, django_capture_on_commit_callbacks
):
    update = message(text="/start", update_id=601)
    fake_bot.pending = [update]
    with django_capture_on_commit_callbacks(execute=True):
        bot_poll_once(api=api, offset=None, timeout=0)
        # The confirmation was lost (the process died): the server delivers the update again.
        fake_bot.pending = [update]
        offset = bot_poll_once(api=api, offset=None, timeout=0)

    assert offset == 602
    assert InboundMessage.objects.count() == 1
    assert len(fake_bot.sent()) == 1


def test_polling_stops_at_an_update_it_could_not_handle(api, fake_bot, monkeypatch):
    from peygir.intake.channels.bot import services

    fake_bot.pending = [message(text="/start", update_id=701), message(text="/start", update_id=702)]
    real = services.bot_update_handle

    def flaky(*, update: Any, api: Any) -> Any:
        if update["update_id"] == 702:
            raise RuntimeError("database went away")
        return real(update=update, api=api)

    monkeypatch.setattr(services, "bot_update_handle", flaky)

    assert bot_poll_once(api=api, offset=None, timeout=0) == 702


def test_polling_raises_when_the_bot_api_is_unreachable(api, fake_bot):
    fake_bot.failing.add("getUpdates")

    with pytest.raises(BotApiError, match="bot API answered HTTP 500: Internal Server Error"):
        bot_poll_once(api=api, offset=None, timeout=0)


def test_run_bot_once_deletes_the_webhook_and_polls(fake_bot, settings):
    settings.PEYGIR = {**settings.PEYGIR, "BOT_MODE": "polling"}
    fake_bot.pending = [message(text="/start", update_id=801)]
    out = StringIO()

    call_command("run_bot", "--once", "--timeout", "0", stdout=out, stderr=StringIO())

    assert out.getvalue() == "next offset: 802\n"
    assert fake_bot.methods()[:2] == ["deleteWebhook", "getUpdates"]
    assert InboundMessage.objects.get().external_id == "801"


def test_run_bot_refuses_in_webhook_mode(fake_bot):
    with pytest.raises(CommandError, match="BOT_MODE is not 'polling'"):
        call_command("run_bot", "--once")
    assert fake_bot.calls == []


def test_bot_set_webhook_registers_the_url_with_the_secret(fake_bot):
    out = StringIO()
    call_command("bot_set_webhook", stdout=out, stderr=StringIO())

    assert fake_bot.calls == [
        (
            "setWebhook",
            {
                "url": f"https://137.example.ir/intake/bot/webhook/{SECRET}/",
                "allowed_updates": ["message"],
                "secret_token": SECRET,
            },
        )
    ]
    assert SECRET not in out.getvalue()


def test_bot_set_webhook_refuses_a_weak_secret(fake_bot, settings):
    settings.PEYGIR = {**settings.PEYGIR, "BOT_WEBHOOK_SECRET": "short"}

    with pytest.raises(CommandError, match="BOT_WEBHOOK_SECRET must be"):
        call_command("bot_set_webhook", stdout=StringIO(), stderr=StringIO())
    assert fake_bot.calls == []


def test_bot_set_webhook_delete(fake_bot):
    call_command("bot_set_webhook", "--delete", stdout=StringIO())

    assert fake_bot.methods() == ["deleteWebhook"]


def test_a_wrong_token_is_reported_without_the_token(settings, fake_bot):
    settings.PEYGIR = {**settings.PEYGIR, "BOT_TOKEN": "999:wrong"}

    with pytest.raises(CommandError) as raised:
        call_command("bot_set_webhook", "--delete", stdout=StringIO())
    assert str(raised.value) == "bot API answered HTTP 401: Unauthorized"


def test_unfinished_conversations_expire_after_a_day(say, linked):
    say(text="/new")
    stale = BotChat.objects.get(chat_id=str(CHAT))
    BotChat.objects.filter(pk=stale.pk).update(
        updated_at=timezone.now() - dt.timedelta(hours=25), draft_category="roads", draft_photo=b"x"
    )
    fresh = BotChat.objects.create(chat_id="42", state="description", draft_category="waste")

    assert bot_chats_expire() == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.state, stale.draft_category, stale.draft_photo) == ("idle", "", None)
    assert (fresh.state, fresh.draft_category) == ("description", "waste")

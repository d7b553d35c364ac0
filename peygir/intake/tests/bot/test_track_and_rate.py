from __future__ import annotations

from typing import Any

import pytest

from peygir.cases.models import Case
from peygir.core.text import to_persian_digits
from peygir.feedback.models import Rating
from peygir.intake.models import BotChat, InboundMessage
from peygir.notifications.models import Notification

from .conftest import CHAT, POINT_6

pytestmark = pytest.mark.usefixtures("org_tree")


@pytest.fixture
def bot_case(submit: Any, linked: Any) -> Case:
    """A pothole in district 6 registered on the bot by the linked citizen."""
    return submit(channel="bot", external_id="5000", citizen=linked, point=POINT_6)


@pytest.fixture
def responded(bot_case: Case, respond: Any, officer6: Any, django_capture_on_commit_callbacks: Any) -> Case:
    with django_capture_on_commit_callbacks(execute=True):
        respond(bot_case, officer6, "چاله با آسفالت گرم پر شد.")
    bot_case.refresh_from_db()
    return bot_case


def test_tracking_by_code_shows_the_public_status(say, bot_case):
    say(text="🔎 پیگیری با کد رهگیری")
    texts = say(text=to_persian_digits(bot_case.tracking_code))

    code = to_persian_digits(bot_case.tracking_code)
    assert texts[0].splitlines()[0] == f"کد رهگیری: {code}"
    assert "وضعیت: پیام شما ثبت شد و به واحد مسئول فرستاده شده است." in texts[0]
    assert texts[0].splitlines()[-1] == f"جزئیات: https://137.example.ir/track/{bot_case.tracking_code}/"
    row = InboundMessage.objects.order_by("id").last()
    assert (row.outcome, row.case) == ("tracked", bot_case)
    assert BotChat.objects.get(chat_id=str(CHAT)).state == "idle"


def test_a_code_typed_at_the_menu_is_tracked(say, bot_case):
    texts = say(text=f"پیگیری {bot_case.tracking_code}")

    assert texts[0].startswith(f"کد رهگیری: {to_persian_digits(bot_case.tracking_code)}")


def test_a_mistyped_or_unknown_code_is_explained(say, bot_case):
    say(text="/track")
    assert say(text="12345")[0] == "کد رهگیری نادرست است؛ لطفاً آن را دوباره بررسی کنید."
    wrong = bot_case.tracking_code[:-1] + str((int(bot_case.tracking_code[-1]) + 1) % 10)
    texts = say(text=wrong)
    assert texts[0] in (
        "کد رهگیری نادرست است؛ لطفاً آن را دوباره بررسی کنید.",
        "پرونده‌ای با این کد رهگیری پیدا نشد.",
    )
    assert BotChat.objects.get(chat_id=str(CHAT)).state == "track"


def test_track_command_with_the_code(say, bot_case):
    texts = say(text=f"/track {bot_case.tracking_code}")

    assert texts[0].startswith(f"کد رهگیری: {to_persian_digits(bot_case.tracking_code)}")


def test_my_cases_needs_the_contact_first(say, submit, citizen):
    submit(channel="web", citizen=citizen)
    texts = say(text="📂 پیام‌های من")
    assert texts[0].startswith("برای ثبت و پیگیری پیام‌هایتان، شماره همراه خود را")

    texts = say(contact={"phone_number": "09120000001", "user_id": CHAT})

    assert texts[0] == "شماره همراه شما ثبت شد. از این پس خبر پیام‌هایتان را اینجا هم می‌گیرید."
    assert texts[1].startswith("آخرین پیام‌های شما:")
    assert texts[1].count("کد رهگیری:") == 1


def test_my_cases_lists_only_the_linked_citizens_cases(say, linked, submit, citizen_b):
    mine = submit(channel="bot", citizen=linked)
    theirs = submit(channel="web", citizen=citizen_b)

    texts = say(text="/mycases")

    assert to_persian_digits(mine.tracking_code) in texts[0]
    assert to_persian_digits(theirs.tracking_code) not in texts[0]


def test_my_cases_when_there_are_none(say, linked):
    assert say(text="/mycases") == ["هنوز پیامی با شماره شما در سامانه ۱۳۷ ثبت نشده است."]


def test_the_response_is_told_on_the_bot_through_the_outbox(responded, fake_bot):
    bot_note = Notification.objects.get(channel="bot")
    assert (bot_note.kind, bot_note.to_address, bot_note.status) == ("case_responded", str(CHAT), "sent")
    assert bot_note.provider_message_id != ""
    sms = Notification.objects.get(channel="sms", kind="case_responded")
    assert sms.to_phone == "09120000001"
    assert fake_bot.sent()[-1]["chat_id"] == str(CHAT)
    assert fake_bot.sent()[-1]["text"] == bot_note.body


def test_a_case_from_another_channel_is_not_told_on_the_bot(submit, linked, respond, officer6):
    case = submit(channel="web", citizen=linked)
    respond(case, officer6)

    assert not Notification.objects.filter(channel="bot").exists()


def test_rating_a_responded_case(say, responded, fake_bot, linked):
    code = to_persian_digits(responded.tracking_code)
    texts = say(text="⭐ امتیاز به پاسخ")
    assert texts == ["به پاسخ کدام پیام امتیاز می‌دهید؟ کد رهگیری آن را انتخاب کنید."]
    assert fake_bot.sent()[-1]["reply_markup"]["keyboard"][0] == [{"text": code}]

    assert say(text=code) == ["به پاسخ داده‌شده از ۱ تا ۵ چه امتیازی می‌دهید؟"]
    assert say(text="خوب")[0] == "امتیاز را از ۱ تا ۵ با دکمه‌ها انتخاب کنید."
    assert say(text="⭐⭐⭐⭐ ۴") == ["آیا مشکل شما برطرف شد؟"]
    assert say(text="شاید")[0] == "با یکی از دکمه‌های «بله» یا «خیر» پاسخ دهید."
    texts = say(text="👍 بله، مشکل رفع شد")

    # The answer first, then the closure the confirmation set off, told on the bot by the outbox.
    assert texts == [
        "از نظر شما سپاسگزاریم؛ امتیاز شما ثبت شد.",
        f"پیام {code} در سامانه ۱۳۷ بسته شد. از همراهی شما سپاسگزاریم.",
    ]
    rating = Rating.objects.get()
    assert (rating.case, rating.citizen, rating.score, rating.fixed, rating.source) == (
        responded,
        linked,
        4,
        True,
        "bot",
    )
    responded.refresh_from_db()
    assert responded.phase == "closed"
    # Rated once: nothing left to rate.
    assert say(text="/rate") == ["پاسخی که هنوز به آن امتیاز نداده باشید پیدا نشد."]


def test_rating_a_code_that_is_not_in_the_list_is_refused(
    say, responded, submit, citizen_b, respond, officer6
):
    other = submit(channel="web", citizen=citizen_b)
    respond(other, officer6)
    say(text="/rate")
    texts = say(text=other.tracking_code)

    assert texts[0] == "این کد در فهرست پاسخ‌های شما نیست."
    assert BotChat.objects.get(chat_id=str(CHAT)).state == "rate_case"
    assert Rating.objects.count() == 0


def test_a_not_fixed_rating_with_persian_digits_reopens_the_case(say, responded, linked):
    say(text="/rate")
    say(text=responded.tracking_code)
    say(text="۲")
    texts = say(text="خیر")

    assert texts[0] == "از نظر شما سپاسگزاریم؛ امتیاز شما ثبت شد و پیام شما دوباره برای رسیدگی باز شد."
    rating = Rating.objects.get()
    assert (rating.score, rating.fixed, rating.objected) == (2, False, True)
    responded.refresh_from_db()
    assert responded.phase != "responded"

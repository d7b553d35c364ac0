from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from peygir.audit.models import AuditEntry
from peygir.cases.models import Case
from peygir.intake.models import BotChat, InboundMessage
from peygir.notifications.models import Notification

from .conftest import CHAT, OTHER_CHAT, POINT_6, message, own_contact, photo_bytes

pytestmark = pytest.mark.usefixtures("org_tree")

User = get_user_model()


def _keyboard_labels(payload: dict[str, Any]) -> list[str]:
    return [button["text"] for row in payload["reply_markup"]["keyboard"] for button in row]


def test_start_welcomes_in_persian_with_the_main_keyboard(say, fake_bot):
    texts = say(text="/start")

    assert len(texts) == 1
    assert texts[0].startswith("سلام! به بازوی سامانه ۱۳۷ شهرداری تهران خوش آمدید.")
    assert _keyboard_labels(fake_bot.sent()[0]) == [
        "📝 ثبت پیام تازه",
        "🔎 پیگیری با کد رهگیری",
        "📂 پیام‌های من",
        "⭐ امتیاز به پاسخ",
        "❓ راهنما",
    ]
    row = InboundMessage.objects.get()
    assert (row.channel, row.sender, row.text, row.outcome) == ("bot", str(CHAT), "/start", "help")
    assert BotChat.objects.get().state == "idle"


def test_registering_asks_for_the_own_contact_then_walks_through_every_step(say, fake_bot, deliver):
    fake_bot.files["photo-big"] = photo_bytes(gps=True)

    texts = say(text="📝 ثبت پیام تازه")
    assert texts == [
        "برای ثبت و پیگیری پیام‌هایتان، شماره همراه خود را با دکمه «فرستادن شماره همراه من» بفرستید. "
        "این شماره فقط برای خبر دادن از پیام‌های شما به کار می‌رود."
    ]
    contact_button = fake_bot.sent()[-1]["reply_markup"]["keyboard"][0][0]
    assert contact_button == {"text": "📱 فرستادن شماره همراه من", "request_contact": True}

    texts = say(**own_contact("989121112233"))
    assert texts[0] == "شماره همراه شما ثبت شد. از این پس خبر پیام‌هایتان را اینجا هم می‌گیرید."
    assert texts[1] == "موضوع پیام شما در کدام دسته است؟ دسته را از صفحه‌کلید زیر انتخاب کنید."
    labels = _keyboard_labels(fake_bot.sent()[-1])
    assert len(labels) == 18 and labels[-1] == "❌ انصراف"
    user = User.objects.get(mobile="09121112233")
    assert (user.bot_chat_id, user.username, user.mobile_verified_at is not None) == (
        str(CHAT),
        "citizen-09121112233",
        True,
    )

    roads = _category_name("roads")
    assert roads in labels
    assert say(text=roads)[0].startswith("مشکل یا درخواست خود را در یک پیام متنی شرح دهید")
    assert say(text="چاله بزرگ جلوی مدرسه خطرناک است.")[0].startswith("محل را با دکمه «فرستادن موقعیت من»")
    lat, lon = POINT_6
    assert say(location={"latitude": lat, "longitude": lon})[0] == (
        "اگر عکسی از موضوع دارید، آن را بفرستید؛ وگرنه «رد شدن» را بزنید."
    )
    texts = say(
        photo=[
            {"file_id": "photo-small", "width": 90, "height": 67, "file_size": 1000},
            {"file_id": "photo-big", "width": 320, "height": 240, "file_size": 5000},
        ]
    )
    assert texts[0].startswith("پیام شما آماده ثبت است:\n")
    assert "شرح: چاله بزرگ جلوی مدرسه خطرناک است." in texts[0]
    assert "عکس: دارد" in texts[0]
    assert ("getFile", {"file_id": "photo-big"}) in fake_bot.calls
    assert ("file", {"path": "photos/photo-big.jpg"}) in fake_bot.calls
    assert Case.objects.count() == 0

    confirm = message(text="✅ تأیید و ثبت")
    result = deliver(confirm)

    case = Case.objects.get()
    assert (case.channel, case.external_id, case.citizen, case.contact_phone) == (
        "bot",
        str(confirm["update_id"]),
        user,
        "09121112233",
    )
    assert (case.category.code, case.description, case.lat, case.lon) == (
        "roads",
        "چاله بزرگ جلوی مدرسه خطرناک است.",
        lat,
        lon,
    )
    photo = case.attachments.get()
    with Image.open(photo.file.open("rb")) as stored:
        assert stored.getexif() == {}
    assert (result.message.outcome, result.message.case) == ("registered", case)
    from peygir.core.text import to_persian_digits

    assert fake_bot.texts()[-1] == (
        "پیام شما در سامانه ۱۳۷ ثبت شد.\n"
        f"کد رهگیری: {to_persian_digits(case.tracking_code)}\n"
        "خبر رسیدگی را همین‌جا و با پیامک می‌گیرید."
    )
    chat = BotChat.objects.get()
    assert (chat.state, chat.draft_category, chat.draft_description, chat.draft_photo) == (
        "idle",
        "",
        "",
        None,
    )
    # The registration SMS goes out; on the bot the conversation itself gave the code.
    assert list(Notification.objects.values_list("channel", "kind", "to_phone")) == [
        ("sms", "case_registered", "09121112233")
    ]
    assert InboundMessage.objects.filter(channel="bot").count() == 7


def _draft_to_confirm(say, roads_label: str = "roads") -> None:
    from peygir.catalog.models import Category

    say(text="📝 ثبت پیام تازه")
    say(text=Category.objects.get(code=roads_label).name)
    say(text="چراغ کوچه سه شب است خاموش است.")
    say(text="⏭ رد شدن")
    say(text="⏭ رد شدن")


def test_a_repeated_confirming_update_registers_one_case(linked, say, deliver, fake_bot):
    _draft_to_confirm(say)
    confirm = message(text="✅ تأیید و ثبت")

    first = deliver(confirm)
    sent = len(fake_bot.sent())
    again = deliver(confirm)

    assert (first.created, again.created) == (True, False)
    assert again.message.pk == first.message.pk
    assert Case.objects.count() == 1
    assert len(fake_bot.sent()) == sent
    assert InboundMessage.objects.filter(external_id=str(confirm["update_id"])).count() == 1


def test_any_repeated_update_does_nothing_new(deliver, fake_bot):
    update = message(text="/start")
    deliver(update)
    deliver(update)

    assert InboundMessage.objects.count() == 1
    assert len(fake_bot.sent()) == 1


def test_a_skipped_location_and_photo_register_without_them(linked, say):
    _draft_to_confirm(say)
    texts = say(text="تایید و ثبت")

    case = Case.objects.get()
    assert (case.lat, case.lon, case.address, case.attachments.count()) == (None, None, "", 0)
    assert texts[0].startswith("پیام شما در سامانه ۱۳۷ ثبت شد.")


def test_a_typed_address_is_kept(linked, say):
    from peygir.catalog.models import Category

    say(text="/new")
    say(text=Category.objects.get(code="lighting").name)
    say(text="چراغ کوچه سه شب است خاموش است.")
    say(text="خیابان ولیعصر، کوچه نسترن")
    say(text="⏭ رد شدن")
    say(text="✅ تأیید و ثبت")

    assert Case.objects.get().address == "خیابان ولیعصر، کوچه نسترن"


def test_someone_elses_contact_is_refused_and_links_nothing(say, fake_bot):
    say(text="📝 ثبت پیام تازه")
    forwarded = {"contact": {"phone_number": "+989123334455", "first_name": "علی", "user_id": OTHER_CHAT}}
    texts = say(**forwarded)

    assert texts == [
        "فقط شماره همراه خودتان را با دکمه «فرستادن شماره همراه من» بفرستید.",
        "برای ثبت و پیگیری پیام‌هایتان، شماره همراه خود را با دکمه «فرستادن شماره همراه من» بفرستید. "
        "این شماره فقط برای خبر دادن از پیام‌های شما به کار می‌رود.",
    ]
    assert not User.objects.filter(mobile="09123334455").exists()
    assert not User.objects.filter(bot_chat_id=str(CHAT)).exists()
    assert BotChat.objects.get().state == "link"
    assert InboundMessage.objects.order_by("id").last().outcome == "rejected"
    # A contact typed in by hand carries no user id at all.
    say(contact={"phone_number": "09123334455", "first_name": "علی"})
    assert not User.objects.filter(mobile="09123334455").exists()


def test_a_non_iranian_number_is_refused(say):
    texts = say(**own_contact("+447700900123"))

    assert texts[0] == "این شماره یک شماره همراه ایران نیست؛ سامانه ۱۳۷ فقط شماره‌های همراه ایران را می‌پذیرد."
    assert not User.objects.filter(bot_chat_id=str(CHAT)).exists()


def test_the_own_contact_finds_the_existing_citizen_and_is_audited(say, citizen):
    say(**own_contact("+98 912 000 0001"))

    citizen.refresh_from_db()
    assert citizen.bot_chat_id == str(CHAT)
    entry = AuditEntry.objects.get(action="accounts.bot_link")
    assert (entry.object_id, entry.after) == (str(citizen.pk), {"bot_chat_id": str(CHAT)})


def test_linking_a_chat_again_moves_it_to_the_new_number(say, citizen, citizen_b):
    say(**own_contact("09120000001"))
    say(**own_contact("09120000002"))

    citizen.refresh_from_db()
    citizen_b.refresh_from_db()
    assert (citizen.bot_chat_id, citizen_b.bot_chat_id) == (None, str(CHAT))


@pytest.mark.parametrize(
    "body",
    [
        {"sticker": {"file_id": "st1", "emoji": "😀"}},
        {"voice": {"file_id": "v1", "duration": 3}},
        {"document": {"file_id": "d1", "mime_type": "application/pdf"}},
    ],
)
def test_a_sticker_voice_or_file_where_text_is_expected_gets_a_helpful_reply(linked, say, body):
    say(text="/new")
    say(text=_category_name("waste"))
    texts = say(**body)

    assert texts[0] == "شرح پیام را به صورت متن بنویسید؛ پیام صوتی، برچسب یا پرونده پذیرفته نمی‌شود."
    assert texts[1].startswith("مشکل یا درخواست خود را در یک پیام متنی شرح دهید")
    assert BotChat.objects.get().state == "description"
    assert InboundMessage.objects.order_by("id").last().outcome == "rejected"


def _category_name(code: str) -> str:
    from peygir.catalog.models import Category

    return Category.objects.get(code=code).name


def test_a_too_short_description_is_asked_for_again(linked, say):
    say(text="/new")
    say(text=_category_name("waste"))
    texts = say(text="زباله")

    assert texts[0] == "شرح بسیار کوتاه است؛ لطفاً بنویسید چه مشکلی، کجا و از چه زمانی وجود دارد."
    chat = BotChat.objects.get()
    assert (chat.state, chat.draft_description) == ("description", "")


def test_an_unknown_category_is_asked_for_again(linked, say):
    say(text="/new")
    texts = say(text="هواشناسی")

    assert texts[0] == "این دسته را نمی‌شناسم."
    assert BotChat.objects.get().state == "category"


def test_an_unknown_command_keeps_the_step(linked, say):
    say(text="/new")
    say(text=_category_name("waste"))
    texts = say(text="/weather")

    assert (
        texts[0] == "این دستور را نمی‌شناسم. دستورهای پذیرفته: /start /new /track /mycases /rate /help /cancel"
    )
    assert BotChat.objects.get().state == "description"


def test_a_location_outside_tehran_is_refused(linked, say):
    say(text="/new")
    say(text=_category_name("waste"))
    say(text="زباله‌ها سه روز است جمع نشده‌اند.")
    texts = say(location={"latitude": 32.65, "longitude": 51.67})

    assert texts[0] == "این موقعیت در محدوده شهر تهران نیست."
    chat = BotChat.objects.get()
    assert (chat.state, chat.draft_lat) == ("location", None)


def test_something_that_is_not_a_photo_is_refused_at_the_photo_step(linked, say, fake_bot):
    fake_bot.files["fake-photo"] = b"%PDF-1.4 not an image"
    say(text="/new")
    say(text=_category_name("waste"))
    say(text="زباله‌ها سه روز است جمع نشده‌اند.")
    say(text="⏭ رد شدن")
    texts = say(photo=[{"file_id": "fake-photo", "width": 10, "height": 10}])

    assert texts[0] == "این پرونده یک عکس سالم نیست."
    assert BotChat.objects.get().state == "photo"
    texts = say(photo=[{"file_id": "missing", "width": 10, "height": 10}])
    assert texts[0] == "دریافت عکس ممکن نشد؛ دوباره بفرستید یا «رد شدن» را بزنید."


def test_cancel_forgets_the_draft(linked, say):
    say(text="/new")
    say(text=_category_name("waste"))
    texts = say(text="انصراف")

    assert texts[0] == "لغو شد."
    chat = BotChat.objects.get()
    assert (chat.state, chat.draft_category) == ("idle", "")


def test_a_group_chat_is_recorded_and_not_answered(deliver, fake_bot):
    result = deliver(message(chat=-100123, sender=CHAT, chat_type="group", text="/start"))

    assert (result.created, result.message.sender, result.message.reply) == (True, "-100123", "")
    assert fake_bot.sent() == []
    assert BotChat.objects.count() == 0


def test_an_edited_message_is_recorded_once_and_not_answered(deliver, fake_bot):
    update = {"update_id": 99, "edited_message": {"message_id": 1, "chat": {"id": CHAT, "type": "private"}}}
    deliver(update)
    deliver(update)

    row = InboundMessage.objects.get()
    assert (row.external_id, row.sender, row.text) == ("99", str(CHAT), "[edited_message]")
    assert fake_bot.sent() == []


def test_a_failure_inside_the_conversation_answers_and_keeps_the_update(deliver, fake_bot, monkeypatch):
    from peygir.intake.channels.bot import services

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(services, "converse", broken)
    result = deliver(message(text="/start"))

    assert result.message.outcome == "rejected"
    assert fake_bot.texts() == ["متأسفانه خطایی پیش آمد و پیام شما ثبت نشد؛ لطفاً دوباره تلاش کنید."]


def test_an_unsent_answer_keeps_the_turn(deliver, fake_bot):
    fake_bot.failing.add("sendMessage")
    result = deliver(message(text="/start"))

    assert result.message.reply.startswith("سلام!")
    assert fake_bot.methods() == ["sendMessage"]


def test_idle_text_gets_the_menu(say, fake_bot):
    texts = say(text="سلام")

    assert texts == ["برای شروع، یکی از گزینه‌های زیر را انتخاب کنید."]
    assert fake_bot.sent()[0]["reply_markup"]["keyboard"][0] == [{"text": "📝 ثبت پیام تازه"}]

"""Messages citizens text to the city's short number: register a case, or ask about one.

A text like «پیگیری ۱۲۳۴۵۶۷۸۹۰» (or "status 1234567890") is answered with the case's status; «راهنما»
or "help" with how to use the number; anything else of a few words is registered as a case without a
category, which waits at the 137 center until staff or the classifier classify it. Every message is
kept once per provider message id: a repeated delivery registers nothing new and answers nothing new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from peygir.cases.schemas import PUBLIC_STATUS
from peygir.cases.selectors import case_track
from peygir.cases.services import case_submit
from peygir.core.errors import ApplicationError, RateLimited, ValidationError
from peygir.core.jalali import format_datetime
from peygir.core.text import normalize_mobile, normalize_text, to_latin_digits, to_persian_digits
from peygir.notifications.models import Notification
from peygir.notifications.services import notification_enqueue

from ...models import InboundMessage

MAX_TEXT = 1000
# A registration needs at least this many characters of description (case_submit's own rule).
MIN_DESCRIPTION = 5
# The keyword, then the code: «پیگیری 1234567890», «وضعیت: ۱۲۳۴۵۶۷۸۹۰», "status 1234567890".
_TRACK = re.compile(
    r"^\s*(?:پیگیری|پیگیر|وضعیت|رهگیری|status|track)\s*[:：\-]?\s*([0-9\s\-]{6,20})\s*$", re.I
)
_HELP = re.compile(r"^\s*(?:راهنما|راهنمایی|کمک|help|\?|؟)\s*$", re.I)


@dataclass(frozen=True)
class InboundResult:
    message: InboundMessage
    created: bool


def _help_text() -> str:
    return _(
        "سامانه ۱۳۷ شهرداری تهران: شرح مشکل را بفرستید تا ثبت شود و کد رهگیری بگیرید. "
        "برای پیگیری بنویسید: پیگیری و کد رهگیری"
    )


def _track_reply(code: str, sender: str) -> str:
    try:
        case = case_track(code=code, client=f"sms:{sender}")
    except RateLimited:
        return _("تعداد پرسش‌های نادرست زیاد بوده است؛ کمی بعد دوباره تلاش کنید. سامانه ۱۳۷")
    except ApplicationError:
        return _("پیامی با کد رهگیری %(code)s پیدا نشد؛ کد را دوباره بررسی کنید. سامانه ۱۳۷") % {
            "code": to_persian_digits(code)
        }
    status = str(PUBLIC_STATUS[case.phase])  # type: ignore[index]
    reply = _("پیام %(code)s: %(status)s") % {"code": to_persian_digits(case.tracking_code), "status": status}
    if case.is_open and case.respond_by is not None:
        reply += " " + _("مهلت پاسخ: %(when)s") % {"when": format_datetime(case.respond_by)}
    return reply


def _reply(message: InboundMessage, text: str) -> None:
    # A reply to the citizen's own message is expected now, even at night: urgent, no quiet hours.
    notification_enqueue(
        channel=Notification.Channel.SMS,
        to_phone=message.sender,
        kind="sms_reply",
        body=text,
        urgent=True,
        dedupe_key=f"sms_reply:{message.pk}",
    )
    message.reply = text


def sms_inbound_receive(*, message_id: str, sender: str, text: str, recipient: str = "") -> InboundResult:
    """Take one SMS from the provider's receive webhook: register, answer a status question, or help.

    Idempotent per provider ``message_id``: a repeated delivery returns the stored message with
    ``created=False`` and changes nothing. Raises ValidationError (Persian) for a missing message id
    or a sender that is not a mobile number; nothing is stored then. Sets off: the reply SMS (the
    registration confirmation with the tracking code comes from the case's own notification).
    """
    message_id = (message_id or "").strip()
    if not message_id or len(message_id) > 100:
        raise ValidationError(_("شناسه پیامک نامعتبر است."), code="bad_message_id")
    phone = normalize_mobile(sender or "")
    if phone is None:
        raise ValidationError(_("شماره فرستنده پیامک نامعتبر است."), code="bad_sender")
    body = normalize_text(text or "")[:MAX_TEXT]
    existing = InboundMessage.objects.filter(
        channel=InboundMessage.Channel.SMS, external_id=message_id
    ).first()
    if existing is not None:
        return InboundResult(existing, False)
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                channel=InboundMessage.Channel.SMS,
                external_id=message_id,
                sender=phone,
                recipient=(recipient or "").strip()[:32],
                text=body,
            )
            _handle(message)
            message.save(update_fields=["outcome", "case", "reply"])
    except IntegrityError:
        # The same message delivered twice at once: the other delivery stored it.
        return InboundResult(
            InboundMessage.objects.get(channel=InboundMessage.Channel.SMS, external_id=message_id), False
        )
    return InboundResult(message, True)


def _handle(message: InboundMessage) -> None:
    body = message.text
    track = _TRACK.match(to_latin_digits(body))
    if track:
        code = re.sub(r"[\s\-]", "", track.group(1))
        message.outcome = InboundMessage.Outcome.TRACKED
        _reply(message, _track_reply(code, message.sender))
        return
    if not body or _HELP.match(body):
        message.outcome = InboundMessage.Outcome.HELP
        _reply(message, _help_text())
        return
    if len(body) < MIN_DESCRIPTION:
        message.outcome = InboundMessage.Outcome.REJECTED
        _reply(message, _("پیام شما کوتاه بود و ثبت نشد. ") + _help_text())
        return
    try:
        # A savepoint: a refused registration must leave the message and its reply stored.
        with transaction.atomic():
            result = case_submit(
                channel="sms",
                message_type="request",
                category="",
                unclassified=True,
                description=body,
                contact_phone=message.sender,
                external_id=message.external_id,
            )
    except ValidationError as exc:
        message.outcome = InboundMessage.Outcome.REJECTED
        _reply(message, f"{exc.detail} {_help_text()}")
        return
    message.outcome = InboundMessage.Outcome.REGISTERED
    message.case = result.case
    # The confirmation with the tracking code is the case's own registration SMS (see cases.notify).
    message.reply = _("ثبت شد؛ کد رهگیری %(code)s") % {"code": to_persian_digits(result.case.tracking_code)}

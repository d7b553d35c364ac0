"""The writes a bot conversation ends in: linking a chat to a citizen, registering the drafted case."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peygir.accounts.signals import mobile_verified
from peygir.audit.services import audit_record
from peygir.cases.attachments import attachment_add
from peygir.cases.models import Case
from peygir.cases.services import SubmitResult, case_submit
from peygir.catalog.selectors import message_types_all
from peygir.core.errors import ValidationError
from peygir.core.text import normalize_mobile
from peygir.intake.models import BotChat

# The message type of a case registered on the bot, which does not ask for one: the first in
# display order ("request"), as the portal's form preselects.
DEFAULT_MESSAGE_TYPE = "request"


def bot_citizen(chat_id: str) -> Any:
    """The active citizen whose linked chat this is, or None."""
    return get_user_model().objects.filter(bot_chat_id=chat_id, is_active=True).first()


def bot_chat_link(*, chat_id: str, sender_id: str, contact_user_id: str, phone: str) -> Any:
    """Link the chat to the citizen who owns the shared contact's mobile number, creating the
    citizen's user (with the number verified) as the portal's OTP sign-in does.

    The messenger has verified the number of its own user: a contact counts only when its
    ``user_id`` is the sender's own id (a contact picked from the address book, or forwarded,
    carries someone else's id, or none). A chat linked before to another number is moved to this
    one. Raises ValidationError (Persian) for someone else's contact, a non-Iranian mobile number
    or a deactivated account; audited. Sets off nothing.
    """
    if not contact_user_id or contact_user_id != sender_id:
        raise ValidationError(
            _("فقط شماره همراه خودتان را با دکمه «فرستادن شماره همراه من» بفرستید."), code="foreign_contact"
        )
    number = normalize_mobile(phone)
    if number is None:
        raise ValidationError(
            _("این شماره یک شماره همراه ایران نیست؛ سامانه ۱۳۷ فقط شماره‌های همراه ایران را می‌پذیرد."),
            code="bad_phone",
        )
    User = get_user_model()
    with transaction.atomic():
        user, _created = User.objects.select_for_update().get_or_create(
            mobile=number, defaults={"username": f"citizen-{number}"}
        )
        if not user.is_active:
            raise ValidationError(_("این حساب غیرفعال است؛ با سامانه ۱۳۷ تماس بگیرید."), code="inactive")
        before = user.bot_chat_id
        User.objects.filter(bot_chat_id=chat_id).exclude(pk=user.pk).update(bot_chat_id=None)
        user.bot_chat_id = chat_id
        fields = ["bot_chat_id"]
        if user.mobile_verified_at is None:
            user.mobile_verified_at = timezone.now()
            fields.append("mobile_verified_at")
        user.save(update_fields=fields)
        audit_record(
            actor=user,
            action="accounts.bot_link",
            object_type="accounts.user",
            object_id=str(user.pk),
            before={"bot_chat_id": before},
            after={"bot_chat_id": chat_id},
        )
        # The number is proven: the citizen's earlier guest cases join them (see cases.apps).
        transaction.on_commit(partial(mobile_verified.send, sender=User, user=user))
    return user


def _message_type() -> str:
    first = message_types_all().values_list("code", flat=True).first()
    return first or DEFAULT_MESSAGE_TYPE


def bot_case_register(*, chat: BotChat, citizen: Any, external_id: str) -> SubmitResult:
    """Register the chat's drafted case for the linked citizen, with its photo, all or nothing.

    ``external_id`` is the id of the update that confirmed it: a repeated delivery returns the first
    case (``created=False``) and attaches nothing again. Raises ValidationError (Persian) from
    ``case_submit`` or ``attachment_add``; then nothing is stored. Sets off the confirmation
    notifications (after commit, by ``case_submit``).
    """
    with transaction.atomic():
        result = case_submit(
            channel=Case.Channel.BOT,
            external_id=external_id,
            message_type=_message_type(),
            category=chat.draft_category,
            description=chat.draft_description,
            lat=chat.draft_lat,
            lon=chat.draft_lon,
            address=chat.draft_address,
            citizen=citizen,
            actor=citizen,
        )
        if result.created and chat.draft_photo:
            attachment_add(case=result.case, data=bytes(chat.draft_photo), actor=citizen, is_public=True)
    return result

"""The messenger bot's entry points: one update in (webhook or long polling), its answers out.

Every update is stored once as an ``InboundMessage`` (channel ``bot``, external id = the update's
``update_id``, sender = the chat id); a repeated delivery finds that row and does nothing new, so
the Bot API's retries and a poller restarted from an older offset are harmless. The conversation's
state is the chat's ``BotChat`` row, locked while one message is handled. Answers are sent after
commit: a rolled-back turn says nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from peygir.core.errors import ValidationError
from peygir.intake.models import BotChat, InboundMessage

from . import keyboards as kb
from .client import POLL_TIMEOUT_SECONDS, BotApi, BotApiError
from .conversation import Reply, Turn, converse
from .messages import chat_id_of, incoming_from, summary_of, update_id_of

logger = logging.getLogger("peygir.intake.bot")

# A conversation left in the middle for this long starts again from the menu (and its photo goes).
DRAFT_TTL = dt.timedelta(hours=24)


@dataclass(frozen=True)
class UpdateResult:
    message: InboundMessage
    created: bool


def _send(api: BotApi, chat_id: str, replies: list[Reply]) -> None:
    for reply in replies:
        try:
            api.send_message(chat_id, reply.text, reply.keyboard)
        except BotApiError as exc:
            # The turn is stored (with its reply text) whatever happens here; the citizen can ask
            # again, and what matters most — the tracking code — also goes out through the outbox.
            logger.warning("bot reply to chat %s not sent: %s", chat_id, exc)
            return


def _locked_chat(chat_id: str) -> BotChat:
    BotChat.objects.get_or_create(chat_id=chat_id)
    return BotChat.objects.select_for_update().get(chat_id=chat_id)


def _failure_turn() -> Turn:
    turn = Turn(outcome=InboundMessage.Outcome.REJECTED)
    return turn.say(
        _("متأسفانه خطایی پیش آمد و پیام شما ثبت نشد؛ لطفاً دوباره تلاش کنید."), kb.main_keyboard()
    )


def bot_update_handle(*, update: Any, api: BotApi) -> UpdateResult:
    """Record one Bot API update (once per ``update_id``) and answer it.

    A private-chat message moves that chat's conversation (``conversation.converse``): it may link
    the chat to a citizen, register a case (``case_submit`` with ``channel="bot"`` and the update id
    as external id), or rate a response. Other updates (edits, groups, membership changes) are
    recorded and left unanswered. A repeated ``update_id`` returns the first row with
    ``created=False`` and does nothing else. Raises ValidationError for something that is not an
    update. Sets off the answers (``sendMessage``, after commit) and whatever the services it calls
    set off (the registration notifications).
    """
    update_id = update_id_of(update)
    if update_id is None:
        raise ValidationError(_("به‌روزرسانی نامعتبر است."), code="bad_update")
    incoming = incoming_from(update)
    chat_id = incoming.chat_id if incoming is not None else chat_id_of(update)
    with override(settings.LANGUAGE_CODE), transaction.atomic():
        try:
            with transaction.atomic():
                inbound = InboundMessage.objects.create(
                    channel=InboundMessage.Channel.BOT,
                    external_id=str(update_id),
                    sender=chat_id,
                    text=summary_of(update, incoming),
                )
        except IntegrityError:
            first = InboundMessage.objects.get(channel=InboundMessage.Channel.BOT, external_id=str(update_id))
            return UpdateResult(message=first, created=False)
        if incoming is None:
            return UpdateResult(message=inbound, created=True)
        chat = _locked_chat(chat_id)
        # Registered before the turn, so the answer goes out before the notifications the turn
        # sets off (a rating that closes the case: "thank you" first, then "closed").
        replies: list[Reply] = []
        transaction.on_commit(partial(_send, api, chat_id, replies))
        try:
            with transaction.atomic():
                turn = converse(chat, incoming, api)
                chat.save()
        except Exception:
            # A bug or an outage must not leave the citizen without an answer, nor the Bot API
            # repeating the update forever: the turn's writes are rolled back, the update is kept.
            logger.exception("bot update %s of chat %s failed", update_id, chat_id)
            turn = _failure_turn()
            BotChat.objects.filter(pk=chat.pk).update(state=BotChat.State.IDLE)
        replies.extend(turn.replies)
        inbound.outcome = turn.outcome
        inbound.case = turn.case
        inbound.reply = "\n\n".join(reply.text for reply in turn.replies)
        inbound.save(update_fields=["outcome", "case", "reply"])
    return UpdateResult(message=inbound, created=True)


def bot_poll_once(*, api: BotApi, offset: int | None, timeout: int = POLL_TIMEOUT_SECONDS) -> int | None:
    """Fetch the updates after ``offset`` with ``getUpdates`` (long polling) and handle them in order.

    Returns the offset for the next call: one past the last update handled, which also confirms
    those updates to the Bot API. An update that could not be handled (the database is down) stops
    the batch there, so the next call fetches it again. Raises BotApiError when the Bot API cannot
    be reached. Sets off what ``bot_update_handle`` sets off.
    """
    next_offset = offset
    for update in api.get_updates(offset=offset, timeout=timeout):
        update_id = update_id_of(update)
        if update_id is None:
            continue
        try:
            bot_update_handle(update=update, api=api)
        except Exception:
            logger.exception("bot update %s not handled; it will be fetched again", update_id)
            return next_offset
        next_offset = max(next_offset or 0, update_id + 1)
    return next_offset


def bot_chats_expire(*, now: dt.datetime | None = None) -> int:
    """Send every conversation left unfinished for ``DRAFT_TTL`` back to the menu, forgetting its
    draft (and the photo in it). Returns how many. Sets off nothing; meant to run periodically."""
    cutoff = (now or timezone.now()) - DRAFT_TTL
    return (
        BotChat.objects.filter(updated_at__lt=cutoff)
        .exclude(state=BotChat.State.IDLE, draft_photo__isnull=True)
        .update(
            state=BotChat.State.IDLE,
            after_link="",
            draft_category="",
            draft_description="",
            draft_lat=None,
            draft_lon=None,
            draft_address="",
            draft_photo=None,
            rate_case=None,
            rate_score=None,
        )
    )

"""Writing to the outbox and delivering from it."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from peygir.core.db import compare_and_swap, insert_row
from peygir.core.errors import ValidationError
from peygir.notifications.backends import backend_for
from peygir.notifications.models import MAX_ATTEMPTS, Notification

logger = logging.getLogger("peygir.notifications")

# Wait before attempt n+1 after n failures: 30 s, 1, 2, 4 minutes (where the task backend can defer).
RETRY_BASE_DELAY = timedelta(seconds=30)
ERROR_MAX_LENGTH = 2000


def _enqueue_delivery(notification_id: int, delay: timedelta | None = None) -> None:
    # Imported here: the task module imports this one.
    from peygir.notifications.tasks import deliver_notification

    task = deliver_notification
    if delay is not None and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(notification_id)


def _enqueue_is_transactional() -> bool:
    """True when tasks are rows in this same database (django-tasks-db): enqueuing inside the
    caller's transaction then commits the task with the notification, or neither."""
    from django_tasks import task_backends

    return type(task_backends["default"]).__module__.startswith("django_tasks_db")


def _check_recipient(channel: str, to_phone: str, to_user: Any, to_address: str) -> None:
    Channel = Notification.Channel
    if channel not in Channel.values:
        raise ValidationError(f"unknown channel {channel!r}")
    missing = (
        (channel == Channel.SMS and not to_phone)
        or (channel == Channel.INAPP and to_user is None)
        or (channel in (Channel.EMAIL, Channel.BOT) and not to_address)
    )
    if missing:
        raise ValidationError(f"a {channel} notification needs a recipient")


def notification_enqueue(
    *,
    channel: str,
    body: str,
    kind: str,
    to_phone: str | None = None,
    to_user: Any = None,
    to_address: str = "",
    subject: str = "",
    dedupe_key: str = "",
) -> Notification:
    """Put one message in the outbox and have it delivered once the current transaction commits.

    With a ``dedupe_key`` the call is idempotent: a key seen before returns the row it created and
    enqueues nothing. Raises ``ValidationError`` for an unknown channel or a missing recipient
    (``to_phone`` for sms, ``to_user`` for inapp, ``to_address`` for email and bot). Sets off the
    ``deliver_notification`` task on commit.
    """
    to_phone = to_phone or ""
    _check_recipient(channel, to_phone, to_user, to_address)
    fields = {
        "channel": channel,
        "body": body,
        "kind": kind,
        "to_phone": to_phone,
        "to_user": to_user,
        "to_address": to_address,
        "subject": subject,
        "dedupe_key": dedupe_key,
    }
    if dedupe_key:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
        try:
            # A savepoint, so that losing a race to a concurrent enqueue leaves the caller's
            # transaction usable (PostgreSQL aborts the whole transaction otherwise).
            with transaction.atomic():
                notification = Notification.objects.create(**fields)
        except IntegrityError:
            return Notification.objects.get(dedupe_key=dedupe_key)
    else:
        notification = insert_row(Notification(**fields))
    if _enqueue_is_transactional():
        _enqueue_delivery(notification.pk)
    else:
        transaction.on_commit(partial(_enqueue_delivery, notification.pk))
    return notification


def notification_deliver(*, notification_id: int) -> None:
    """Send one pending notification, at most once at a time.

    Does nothing for a row that is missing or no longer pending (sent, failed, cancelled), so a
    repeated task is harmless. The attempt is claimed with a compare-and-swap on
    ``(status, attempts)``: of two workers holding the same row only one sends. In-app notices are
    sent by being marked so. A failed attempt is recorded in ``last_error``; after
    ``MAX_ATTEMPTS`` failures the row is marked failed, before that another delivery is enqueued
    (after a growing delay where the task backend can defer). Raises nothing for a failed send.
    Must not run inside a transaction that outlives the send: the gateway call may take seconds.
    """
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.status != Notification.Status.PENDING:
        return
    attempt = notification.attempts + 1
    claimed = compare_and_swap(
        Notification,
        pk=notification.pk,
        expected={"status": Notification.Status.PENDING, "attempts": notification.attempts},
        changes={"attempts": attempt},
    )
    if not claimed:
        return
    if notification.channel != Notification.Channel.INAPP:
        try:
            backend_for(notification.channel).send(notification)
        except Exception as exc:
            # Any failure of the sender (gateway, disk, configuration) counts as a failed attempt:
            # the row carries the error and the retry; the task itself must not fail.
            logger.warning("notification %s attempt %d failed: %s", notification.public_id, attempt, exc)
            _record_failure(notification, attempt, f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH])
            return
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.PENDING).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def _record_failure(notification: Notification, attempt: int, error: str) -> None:
    if attempt >= MAX_ATTEMPTS:
        compare_and_swap(
            Notification,
            pk=notification.pk,
            expected={"status": Notification.Status.PENDING, "attempts": attempt},
            changes={"status": Notification.Status.FAILED, "last_error": error},
        )
        return
    retried = compare_and_swap(
        Notification,
        pk=notification.pk,
        expected={"status": Notification.Status.PENDING, "attempts": attempt},
        changes={"last_error": error},
    )
    if retried:
        delay = RETRY_BASE_DELAY * 2 ** (attempt - 1)
        transaction.on_commit(partial(_enqueue_delivery, notification.pk, delay))


def notification_retry(*, notification: Notification) -> bool:
    """Give a failed or stuck pending notification a fresh set of attempts and enqueue its delivery.

    Returns False (and does nothing) for a sent or cancelled one. Sets off ``deliver_notification``
    on commit.
    """
    if notification.status == Notification.Status.FAILED:
        reset = compare_and_swap(
            Notification,
            pk=notification.pk,
            expected={"status": Notification.Status.FAILED},
            changes={"status": Notification.Status.PENDING, "attempts": 0},
        )
        if not reset:
            return False
    elif notification.status != Notification.Status.PENDING:
        return False
    transaction.on_commit(partial(_enqueue_delivery, notification.pk))
    return True


def notification_mark_read(*, user: Any, public_id: Any) -> bool:
    """Mark one of ``user``'s in-app notices read; False if it is not theirs or was read already."""
    updated = Notification.objects.filter(
        public_id=public_id, to_user=user, channel=Notification.Channel.INAPP, read_at__isnull=True
    ).update(read_at=timezone.now())
    return updated == 1


def notification_mark_all_read(*, user: Any) -> int:
    """Mark all of ``user``'s unread in-app notices read; returns how many."""
    return Notification.objects.filter(
        to_user=user, channel=Notification.Channel.INAPP, read_at__isnull=True
    ).update(read_at=timezone.now())

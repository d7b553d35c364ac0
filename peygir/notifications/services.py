"""Writing to the outbox and delivering from it."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case as SqlCase
from django.db.models import F, Q, Value, When
from django.utils import timezone

from peygir.core.db import compare_and_swap, insert_row
from peygir.core.errors import ValidationError
from peygir.core.tasks import tasks_are_rows_here
from peygir.notifications.backends import DeliveryError, Receipt, backend_for, kavenegar_backend
from peygir.notifications.models import MAX_ATTEMPTS, TEMPLATE_VARIABLE_RE, Notification
from peygir.notifications.selectors import notification_template_for
from peygir.notifications.sms import quiet_hours_end, sms_fit, sms_parts

logger = logging.getLogger("peygir.notifications")

# Wait before attempt n+1 after n failures: 30 s, 1, 2, 4 minutes (where the task backend can defer).
RETRY_BASE_DELAY = timedelta(seconds=30)
ERROR_MAX_LENGTH = 2000
# A claim older than this belongs to a worker that died: the gateway call times out long before.
CLAIM_TIMEOUT = timedelta(minutes=5)
# A pending row this long past its time has lost its task (a crash, a lost queue): the sweep
# enqueues it again. Generous, so that a busy queue is not flooded with duplicates.
SWEEP_GRACE = timedelta(minutes=10)
SWEEP_BATCH = 500
# How many due messages the relay claims at a time, and after how many sent ones it records them
# (see notifications_relay).
RELAY_BATCH = 100
RELAY_MARK_EVERY = 25
# Kinds that go out at any hour: a sign-in code is useless at 07:00.
URGENT_KINDS = frozenset({"otp"})
# How far delivery reports are polled for after sending.
POLL_WINDOW = timedelta(days=2)

_DELIVERY_RANK: dict[str, int] = {
    Notification.Delivery.UNKNOWN: 0,
    Notification.Delivery.QUEUED: 1,
    Notification.Delivery.OPERATOR: 2,
    Notification.Delivery.DELIVERED: 3,
    Notification.Delivery.UNDELIVERED: 3,
}


def _conf(name: str, default: Any) -> Any:
    return getattr(settings, "PEYGIR", {}).get(name, default)


def _quiet_until(channel: str, urgent: bool, now: datetime) -> datetime | None:
    """The end of the quiet hours if a message of this sort must wait for it now, else None."""
    if channel != Notification.Channel.SMS or urgent:
        return None
    return quiet_hours_end(now, str(_conf("SMS_QUIET_HOURS", "22:00-07:00")))


def _enqueue_delivery(
    notification_id: int, delay: timedelta | None = None, at: datetime | None = None
) -> None:
    # Imported here: the task module imports this one.
    from peygir.notifications.tasks import deliver_notification

    task = deliver_notification
    supports_defer = task.get_backend().supports_defer
    if at is not None:
        # Not before ``at``: a backend that cannot defer leaves it to notification_requeue_due.
        if not supports_defer:
            return
        task = task.using(run_after=at)
    elif delay is not None and supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(notification_id)


def _enqueue_is_transactional() -> bool:
    return tasks_are_rows_here()


def _relay_sends(kind: str) -> bool:
    """Whether the relay (``notifications_relay``) sends this message without a task of its own:
    where tasks are rows in this database the outbox is its own queue, sent within seconds, and
    only the kinds a person waits for at the screen (``URGENT_KINDS``: sign-in codes) get a
    delivery task, to go out at once."""
    return kind not in URGENT_KINDS and tasks_are_rows_here()


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


def notification_template_render(*, body: str, payload: Mapping[str, Any]) -> str | None:
    """``body`` with every ``{name}`` replaced by ``str()`` of ``payload[name]``, or None when a
    name has no value in ``payload`` (the caller then falls back to its built-in text).

    One pass over bare ``{identifier}`` names: values are never re-scanned, there is no attribute
    access, indexing or format spec, and other braces are left as written. Raises nothing.
    """
    missing: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        value = payload.get(name)
        if value is None:
            missing.append(name)
            return match.group(0)
        return str(value)

    rendered = TEMPLATE_VARIABLE_RE.sub(substitute, body)
    return None if missing else rendered


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
    payload: Mapping[str, Any] | None = None,
    keep: Iterable[str] = (),
    urgent: bool | None = None,
    fresh_event: bool = False,
) -> Notification:
    """Put one message in the outbox, in the caller's transaction, and have it delivered after commit.

    With a ``payload`` the active ``NotificationTemplate`` of (``kind``, ``channel``) is rendered with
    it; ``body`` is the built-in text used when there is no such template or it names a variable the
    payload lacks. An SMS is fitted into ``PEYGIR["SMS_MAX_PARTS"]`` parts (``sms_fit``), keeping every
    string of ``keep`` (the tracking code, a link) whole. Non-urgent SMS written in quiet hours
    (``PEYGIR["SMS_QUIET_HOURS"]``, Tehran time) wait until they end; ``urgent`` defaults to whether
    the kind is one of ``URGENT_KINDS`` (sign-in codes).

    ``dedupe_key`` names the (event, recipient, channel): a key seen before returns the row it
    created and enqueues nothing. ``fresh_event`` says the event was created in this very
    transaction, so the key cannot exist yet and is not looked up. Raises ``ValidationError`` for an
    unknown channel or a missing recipient (``to_phone`` for sms, ``to_user`` for inapp,
    ``to_address`` for email and bot). Sets off the ``deliver_notification`` task.
    """
    to_phone = to_phone or ""
    _check_recipient(channel, to_phone, to_user, to_address)
    if dedupe_key and not fresh_event:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    values = {name: str(value) for name, value in (payload or {}).items() if value is not None}
    template = notification_template_for(kind=kind, channel=channel) if payload is not None else None
    if template is not None:
        rendered = notification_template_render(body=template.body, payload=values)
        if rendered and rendered.strip():
            body = rendered
        else:
            logger.warning("template %s lacks a value; the built-in text of %s is sent", template.pk, kind)
            template = None
    is_urgent = kind in URGENT_KINDS if urgent is None else urgent
    parts = 0
    if channel == Notification.Channel.SMS:
        body = sms_fit(body, max_parts=int(_conf("SMS_MAX_PARTS", 2)), keep=keep)
        parts = sms_parts(body)
    now = timezone.now()
    wait_until = _quiet_until(channel, is_urgent, now)
    fields = {
        "channel": channel,
        "body": body,
        "kind": kind,
        "template": template,
        "payload": values,
        "urgent": is_urgent,
        "sms_parts": parts,
        "to_phone": to_phone,
        "to_user": to_user,
        "to_address": to_address,
        "subject": subject,
        "dedupe_key": dedupe_key,
        "created_at": now,
        "next_attempt_at": wait_until or now,
    }
    if dedupe_key and not fresh_event:
        try:
            # A savepoint, so that losing a race to a concurrent enqueue leaves the caller's
            # transaction usable (PostgreSQL aborts the whole transaction otherwise).
            with transaction.atomic():
                notification = Notification.objects.create(**fields)
        except IntegrityError:
            return Notification.objects.get(dedupe_key=dedupe_key)
    else:
        notification = insert_row(Notification(**fields))
    if _relay_sends(kind):
        pass  # the relay sends it once it is due
    elif _enqueue_is_transactional():
        _enqueue_delivery(notification.pk, at=wait_until)
    else:
        transaction.on_commit(partial(_enqueue_delivery, notification.pk, at=wait_until))
    return notification


def notification_deliver(*, notification_id: int) -> None:
    """Send one notification, at most once at a time.

    Does nothing for a row that is missing, finished (sent, failed, cancelled) or being sent by
    another worker, so a repeated task is harmless. A non-urgent SMS in quiet hours is put off to
    their end (its task deferred where the backend can defer). The attempt is claimed with a
    compare-and-swap on ``(status, attempts)`` that marks the row ``sending``: of two workers
    holding the same row only one sends. A claim older than ``CLAIM_TIMEOUT`` (its worker died
    between the send and the bookkeeping) is taken over and the message sent again under the same
    idempotency key, which an idempotent provider collapses. In-app notices are sent by being
    marked so. A failed attempt is recorded in ``last_error``; after ``MAX_ATTEMPTS`` failures the
    row is marked failed, before that another delivery is enqueued after a growing delay
    (``next_attempt_at``). Raises nothing for a failed send. Must not run inside a transaction that
    outlives the send: the gateway call may take seconds.
    """
    now = timezone.now()
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return
    expected: dict[str, Any] = {"status": notification.status, "attempts": notification.attempts}
    if notification.status == Notification.Status.SENDING:
        if notification.claimed_at is None or notification.claimed_at > now - CLAIM_TIMEOUT:
            return
        expected["claimed_at"] = notification.claimed_at
        logger.warning(
            "notification %s: taking over a claim left since %s",
            notification.public_id,
            notification.claimed_at,
        )
    elif notification.status != Notification.Status.PENDING:
        return
    wait_until = _quiet_until(notification.channel, notification.urgent, now)
    if wait_until is not None:
        put_off = compare_and_swap(
            Notification,
            pk=notification.pk,
            expected=expected,
            changes={
                "status": Notification.Status.PENDING,
                "claimed_at": None,
                "next_attempt_at": wait_until,
            },
        )
        if put_off and not _relay_sends(notification.kind):
            transaction.on_commit(partial(_enqueue_delivery, notification.pk, at=wait_until))
        return
    attempt = notification.attempts + 1
    claimed = compare_and_swap(
        Notification,
        pk=notification.pk,
        expected=expected,
        changes={"status": Notification.Status.SENDING, "attempts": attempt, "claimed_at": now},
    )
    if claimed:
        sent, receipt = _send_claimed(notification, attempt)
        if sent:
            _mark_sent(notification, attempt, receipt)


def _send_claimed(notification: Notification, attempt: int) -> tuple[bool, Receipt | None]:
    """Send a message this worker has claimed (attempt ``attempt``). Returns whether it went out
    and the provider's receipt; a failed send is recorded on the row (error, retry) and raises
    nothing. The caller records a sent one (``_mark_sent``)."""
    receipt: Receipt | None = None
    if notification.channel != Notification.Channel.INAPP:
        try:
            receipt = backend_for(notification.channel).send(notification)
        except Exception as exc:
            # Any failure of the sender (gateway, disk, configuration) counts as a failed attempt:
            # the row carries the error and the retry; the task itself must not fail.
            logger.warning("notification %s attempt %d failed: %s", notification.public_id, attempt, exc)
            _record_failure(notification, attempt, f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH])
            return False, None
    return True, receipt


def _due(now: datetime) -> Q:
    """Messages whose time has come: pending and past ``next_attempt_at``, or ``sending`` under a
    claim older than ``CLAIM_TIMEOUT`` (their worker died)."""
    return (
        Q(status=Notification.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Notification.Status.PENDING, next_attempt_at__isnull=True)
        | Q(status=Notification.Status.SENDING, claimed_at__lte=now - CLAIM_TIMEOUT)
    )


def notifications_relay(*, limit: int = 1000, batch: int = RELAY_BATCH) -> int:
    """Send what is due in the outbox, oldest first, at most ``limit`` messages; returns how many
    went out. Meant to run every few seconds (``PERIODIC_TASKS``) where tasks are rows in this
    database, so that a message costs no task row and no task run of its own.

    Each batch of up to ``batch`` due messages (``_due``) is claimed in one short transaction with
    ``FOR UPDATE SKIP LOCKED``, so that two relays running at once take different messages: each
    row is marked ``sending`` with its attempt counted, as ``notification_deliver`` claims one. A
    non-urgent SMS that falls in quiet hours is put off to their end instead. The claimed messages
    are then sent one by one outside any transaction (the gateway call may take seconds) and each
    outcome is recorded as ``notification_deliver`` records it: sent, or failed with its retry time
    (the relay picks the retry up when it is due). A relay that dies mid-batch leaves claims that
    the next relays take over after ``CLAIM_TIMEOUT``.
    """
    sent = seen = 0
    while seen < limit:
        now = timezone.now()
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(_due(now))
                .order_by("next_attempt_at", "id")[: min(batch, limit - seen)]
            )
            if not rows:
                break
            for row in rows:
                if row.status == Notification.Status.SENDING:
                    logger.warning(
                        "notification %s: taking over a claim left since %s", row.public_id, row.claimed_at
                    )
            # The end of the quiet hours is the same for every message that must wait for it.
            quiet = {row.pk: until for row in rows if (until := _quiet_until(row.channel, row.urgent, now))}
            if quiet:
                Notification.objects.filter(pk__in=quiet).update(
                    status=Notification.Status.PENDING,
                    claimed_at=None,
                    next_attempt_at=next(iter(quiet.values())),
                )
            claimed = [row for row in rows if row.pk not in quiet]
            Notification.objects.filter(pk__in=[row.pk for row in claimed]).update(
                status=Notification.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
            )
        seen += len(rows)
        done: list[tuple[Notification, int, Receipt | None]] = []
        for row in claimed:
            row.status, row.attempts, row.claimed_at = Notification.Status.SENDING, row.attempts + 1, now
            went, receipt = _send_claimed(row, row.attempts)
            if went:
                done.append((row, row.attempts, receipt))
            if len(done) >= RELAY_MARK_EVERY:
                sent += _mark_sent_many(done)
                done = []
        sent += _mark_sent_many(done)
    return sent


def _mark_sent_many(done: list[tuple[Notification, int, Receipt | None]]) -> int:
    """Record sent messages, each given with the attempt that sent it and the provider's receipt:
    one UPDATE per attempt number (usually one), each row only if it is still ``sending`` under that
    attempt (a row another worker took over meanwhile is its; a warning says so). Returns how many
    were marked."""
    marked = 0
    now = timezone.now()
    by_attempt: dict[int, list[tuple[Notification, Receipt | None]]] = {}
    for notification, attempt, receipt in done:
        by_attempt.setdefault(attempt, []).append((notification, receipt))
    for attempt, group in by_attempt.items():
        ids = [notification.pk for notification, _receipt in group]
        changes: dict[str, Any] = {
            "status": Notification.Status.SENT,
            "sent_at": now,
            "last_error": "",
            "claimed_at": None,
            "next_attempt_at": None,
        }
        message_ids = [When(pk=n.pk, then=Value(r.message_id[:64])) for n, r in group if r and r.message_id]
        if message_ids:
            changes["provider_message_id"] = SqlCase(*message_ids, default=F("provider_message_id"))
        reported = [When(pk=n.pk, then=Value(r.delivery_status)) for n, r in group if r and r.delivery_status]
        if reported:
            changes["delivery_status"] = SqlCase(*reported, default=F("delivery_status"))
            changes["delivery_status_at"] = SqlCase(
                When(pk__in=[n.pk for n, r in group if r and r.delivery_status], then=Value(now)),
                default=F("delivery_status_at"),
            )
        count = Notification.objects.filter(
            pk__in=ids, status=Notification.Status.SENDING, attempts=attempt
        ).update(**changes)
        marked += count
        if count < len(ids):
            kept = set(Notification.objects.filter(pk__in=ids, sent_at=now).values_list("pk", flat=True))
            for notification, _receipt in group:
                if notification.pk not in kept:
                    logger.warning(
                        "notification %s: attempt %d was taken over while sending",
                        notification.public_id,
                        attempt,
                    )
    return marked


def _mark_sent(notification: Notification, attempt: int, receipt: Receipt | None) -> None:
    _mark_sent_many([(notification, attempt, receipt)])


def _record_failure(notification: Notification, attempt: int, error: str) -> None:
    expected = {"status": Notification.Status.SENDING, "attempts": attempt}
    if attempt >= MAX_ATTEMPTS:
        compare_and_swap(
            Notification,
            pk=notification.pk,
            expected=expected,
            changes={
                "status": Notification.Status.FAILED,
                "last_error": error,
                "claimed_at": None,
                "next_attempt_at": None,
            },
        )
        return
    delay = RETRY_BASE_DELAY * 2 ** (attempt - 1)
    retried = compare_and_swap(
        Notification,
        pk=notification.pk,
        expected=expected,
        changes={
            "status": Notification.Status.PENDING,
            "last_error": error,
            "claimed_at": None,
            "next_attempt_at": timezone.now() + delay,
        },
    )
    if retried and not _relay_sends(notification.kind):
        transaction.on_commit(partial(_enqueue_delivery, notification.pk, delay))


def _claim_is_stale(notification: Notification) -> bool:
    return (
        notification.status == Notification.Status.SENDING
        and notification.claimed_at is not None
        and notification.claimed_at <= timezone.now() - CLAIM_TIMEOUT
    )


def notification_retry(*, notification: Notification) -> bool:
    """Give a failed notification a fresh set of attempts, or nudge a stuck one, and enqueue its delivery.

    Stuck means pending, or ``sending`` under a claim older than ``CLAIM_TIMEOUT``. Returns False
    (and does nothing) for a sent or cancelled one and for one being sent right now. Sets off
    ``deliver_notification`` on commit.
    """
    if notification.status == Notification.Status.FAILED:
        reset = compare_and_swap(
            Notification,
            pk=notification.pk,
            expected={"status": Notification.Status.FAILED},
            changes={"status": Notification.Status.PENDING, "attempts": 0, "next_attempt_at": timezone.now()},
        )
        if not reset:
            return False
    elif notification.status != Notification.Status.PENDING and not _claim_is_stale(notification):
        return False
    transaction.on_commit(partial(_enqueue_delivery, notification.pk))
    return True


def notification_requeue_due() -> int:
    """Enqueue the delivery of every notification whose task was lost: pending and more than
    ``SWEEP_GRACE`` past its ``next_attempt_at`` (or, on a backend that cannot defer, waiting for
    the end of quiet hours), or ``sending`` under a claim older than ``CLAIM_TIMEOUT``.

    Returns how many (at most ``SWEEP_BATCH`` per call). Idempotent: a delivery enqueued twice
    sends once. Sets off ``deliver_notification`` on commit; meant to run periodically. Where tasks
    are rows in this database nothing is lost this way (a task commits with its message, and the
    relay sends every due message): it does nothing there and returns 0.
    """
    if tasks_are_rows_here():
        return 0
    now = timezone.now()
    lost_after = now - SWEEP_GRACE
    if not _deliveries_can_wait():
        lost_after = now
    due = list(
        Notification.objects.filter(
            Q(status=Notification.Status.PENDING, next_attempt_at__lte=lost_after)
            | Q(status=Notification.Status.PENDING, next_attempt_at__isnull=True, created_at__lte=lost_after)
            | Q(status=Notification.Status.SENDING, claimed_at__lte=now - CLAIM_TIMEOUT)
        )
        .order_by("id")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in due:
        transaction.on_commit(partial(_enqueue_delivery, pk))
    return len(due)


def _deliveries_can_wait() -> bool:
    from peygir.notifications.tasks import deliver_notification

    return bool(deliver_notification.get_backend().supports_defer)


def sms_delivery_report(*, message_id: str, status: str) -> bool:
    """Record what the SMS provider reported about the message it named ``message_id``.

    A report never moves a message back (a late "queued" after "delivered" is ignored); an unknown
    id or status changes nothing. Returns whether a row changed. Sets off nothing.
    """
    if not message_id or status not in _DELIVERY_RANK or status == Notification.Delivery.UNKNOWN:
        return False
    below = [value for value, rank in _DELIVERY_RANK.items() if rank < _DELIVERY_RANK[status]]
    updated = Notification.objects.filter(
        channel=Notification.Channel.SMS, provider_message_id=message_id, delivery_status__in=below
    ).update(delivery_status=status, delivery_status_at=timezone.now())
    return updated > 0


def sms_delivery_poll(*, limit: int = 100) -> int:
    """Ask the Kavenegar-style provider (``status.json``) for the delivery state of recent SMS whose
    fate is not known yet, and record the answers.

    Only with ``PEYGIR["SMS_BACKEND"] == "kavenegar"``; returns how many rows changed (0 when the
    provider cannot be reached: the next poll asks again). Raises nothing; sets off nothing.
    """
    if str(_conf("SMS_BACKEND", "console")) != "kavenegar":
        return 0
    open_states = [
        Notification.Delivery.UNKNOWN,
        Notification.Delivery.QUEUED,
        Notification.Delivery.OPERATOR,
    ]
    ids = list(
        Notification.objects.filter(
            channel=Notification.Channel.SMS,
            status=Notification.Status.SENT,
            sent_at__gte=timezone.now() - POLL_WINDOW,
            delivery_status__in=open_states,
        )
        .exclude(provider_message_id="")
        .order_by("sent_at")
        .values_list("provider_message_id", flat=True)[:limit]
    )
    if not ids:
        return 0
    try:
        statuses = kavenegar_backend().statuses(dict.fromkeys(ids))
    except DeliveryError as exc:
        logger.warning("delivery status poll failed: %s", exc)
        return 0
    return sum(sms_delivery_report(message_id=mid, status=status) for mid, status in statuses.items())


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

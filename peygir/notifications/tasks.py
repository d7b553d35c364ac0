"""Background tasks of the outbox: thin, idempotent, by id."""

from __future__ import annotations

from django_tasks import task

from peygir.core.tasks import tasks_are_rows_here
from peygir.notifications.services import (
    notification_deliver,
    notification_requeue_due,
    notifications_relay,
    sms_delivery_poll,
)


@task()
def deliver_notification(notification_id: int) -> None:
    notification_deliver(notification_id=notification_id)


@task()
def relay_notifications_task() -> int:
    """Send the outbox's due messages (every few seconds). Only where tasks are rows in this
    database: elsewhere each message has its delivery task and the relay would only race it."""
    return notifications_relay() if tasks_are_rows_here() else 0


@task()
def requeue_notifications_task() -> int:
    return notification_requeue_due()


@task()
def poll_sms_delivery_task() -> int:
    return sms_delivery_poll()

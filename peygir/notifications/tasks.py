"""Background tasks of the outbox: thin, idempotent, by id."""

from __future__ import annotations

from django_tasks import task

from peygir.notifications.services import notification_deliver, notification_requeue_due, sms_delivery_poll


@task()
def deliver_notification(notification_id: int) -> None:
    notification_deliver(notification_id=notification_id)


@task()
def requeue_notifications_task() -> int:
    return notification_requeue_due()


@task()
def poll_sms_delivery_task() -> int:
    return sms_delivery_poll()

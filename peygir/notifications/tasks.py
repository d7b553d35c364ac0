"""Background tasks of the outbox: thin, idempotent, by id."""

from __future__ import annotations

from django_tasks import task

from peygir.notifications.services import notification_deliver


@task()
def deliver_notification(notification_id: int) -> None:
    notification_deliver(notification_id=notification_id)

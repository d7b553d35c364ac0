"""Reading the outbox."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peygir.core.cache import CONFIG_CACHE_SECONDS, ProcessCache
from peygir.notifications.models import Notification, NotificationTemplate


def notifications_for_user(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The in-app notices delivered to ``user``, newest first; only unread ones if asked."""
    notices = Notification.objects.filter(
        to_user=user, channel=Notification.Channel.INAPP, status=Notification.Status.SENT
    )
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices.order_by("-id")


def last_notification_to_phone(phone: str, kind: str) -> Notification | None:
    """The newest SMS of ``kind`` written for ``phone``, whatever its delivery state, or None."""
    return (
        Notification.objects.filter(channel=Notification.Channel.SMS, to_phone=phone, kind=kind)
        .order_by("-id")
        .first()
    )


def _load_templates() -> dict[tuple[str, str], NotificationTemplate]:
    return {
        (template.kind, template.channel): template
        for template in NotificationTemplate.objects.filter(is_active=True)
    }


_templates = ProcessCache(
    _load_templates,
    seconds=CONFIG_CACHE_SECONDS,
    models=(NotificationTemplate,),
    name="notification-templates",
)


def notification_template_for(*, kind: str, channel: str) -> NotificationTemplate | None:
    """The active template staff have written for this kind of message on this channel, or None.

    Served from the process's copy, also inside a transaction (every registration writes its SMS in
    its own): a change reaches other processes within CONFIG_CACHE_SECONDS. Read-only: do not change
    the template returned.
    """
    templates = _templates.shared()
    if templates is None:
        return NotificationTemplate.objects.filter(kind=kind, channel=channel, is_active=True).first()
    return templates.get((kind, channel))

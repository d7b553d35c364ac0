"""The outbox: every message Peygir sends to a citizen or a member of staff."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Failed attempts after which a notification is given up on (status "failed").
MAX_ATTEMPTS = 5


class Notification(models.Model):
    """One message to one recipient on one channel, with its delivery state.

    ``body`` is the final text, rendered by whoever enqueued it. A row is written first and
    delivered by a background task after the enqueuing transaction commits, so a message is never
    sent for a change that rolled back, and a failed delivery can be retried from the row alone.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("پیامک")
        EMAIL = "email", _("رایانامه")
        BOT = "bot", _("بازو (پیام‌رسان)")
        INAPP = "inapp", _("درون‌برنامه‌ای")

    class Status(models.TextChoices):
        PENDING = "pending", _("در انتظار ارسال")
        SENT = "sent", _("ارسال‌شده")
        FAILED = "failed", _("ناموفق")
        CANCELLED = "cancelled", _("لغوشده")

    public_id = models.UUIDField(_("شناسه عمومی"), default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("کانال"), max_length=8, choices=Channel.choices)
    to_phone = models.CharField(_("تلفن گیرنده"), max_length=20, blank=True)
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر گیرنده"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # E-mail address, or the chat id on the bot channel.
    to_address = models.CharField(_("نشانی گیرنده"), max_length=254, blank=True)
    subject = models.CharField(_("عنوان"), max_length=200, blank=True)
    body = models.TextField(_("متن"))
    kind = models.CharField(_("نوع"), max_length=40)
    dedupe_key = models.CharField(_("کلید یکتایی"), max_length=200, blank=True)
    status = models.CharField(_("وضعیت"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("تعداد تلاش"), default=0)
    last_error = models.TextField(_("آخرین خطا"), blank=True)
    created_at = models.DateTimeField(_("زمان ایجاد"), default=timezone.now)
    sent_at = models.DateTimeField(_("زمان ارسال"), null=True, blank=True)
    read_at = models.DateTimeField(_("زمان خواندن"), null=True, blank=True)

    class Meta:
        verbose_name = _("اعلان")
        verbose_name_plural = _("اعلان‌ها")
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notifications_notification_dedupe_key_unique",
            ),
            models.CheckConstraint(
                condition=(
                    Q(channel="sms", to_phone__gt="")
                    | Q(channel="inapp", to_user__isnull=False)
                    | Q(channel__in=["email", "bot"], to_address__gt="")
                ),
                name="notifications_notification_has_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["to_user", "read_at"], name="notif_user_read_idx"),
            models.Index(fields=["to_phone", "kind", "id"], name="notif_phone_kind_idx"),
            models.Index(fields=["status", "created_at"], name="notif_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.kind} → {self.recipient}"

    @property
    def recipient(self) -> str:
        """Whom the message is for, as one line of text."""
        if self.channel == self.Channel.SMS:
            return self.to_phone
        if self.channel == self.Channel.INAPP:
            return str(self.to_user_id)
        return self.to_address

"""The outbox: every message Peygir sends to a citizen or a member of staff."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Failed attempts after which a notification is given up on (status "failed").
MAX_ATTEMPTS = 5

# The variables a notification template may use, with what they stand for (shown in the admin).
TEMPLATE_VARIABLES: dict[str, Any] = {
    "tracking_code": _("کد رهگیری پرونده"),
    "track_url": _("نشانی صفحه پیگیری پرونده (پاسخ و نظرسنجی)"),
    "unit": _("نام واحد مسئول"),
    "code": _("کد یک‌بارمصرف ورود"),
}
TEMPLATE_VARIABLE_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Notification(models.Model):
    """One message to one recipient on one channel, with its delivery state.

    ``body`` is the final text: the active ``template`` of the kind and channel rendered with
    ``payload``, or the caller's built-in text. A row is written in the transaction of the event
    that causes it and delivered by a background task after commit, so a message is never sent for
    a change that rolled back, and a failed delivery can be retried from the row alone.
    ``dedupe_key`` names the (event, recipient, channel): a repeated event writes nothing new.
    Delivery claims the row (``sending``, ``claimed_at``) before calling the provider; a claim left
    behind by a worker that died is taken over after a timeout, and the provider's idempotency key
    (the row's id) collapses the repeat. ``provider_message_id`` and ``delivery_status`` are what
    the SMS provider reported afterwards.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("پیامک")
        EMAIL = "email", _("رایانامه")
        BOT = "bot", _("بازو (پیام‌رسان)")
        INAPP = "inapp", _("درون‌برنامه‌ای")

    class Status(models.TextChoices):
        PENDING = "pending", _("در انتظار ارسال")
        SENDING = "sending", _("در حال ارسال")
        SENT = "sent", _("ارسال‌شده")
        FAILED = "failed", _("ناموفق")
        CANCELLED = "cancelled", _("لغوشده")

    class Delivery(models.TextChoices):
        UNKNOWN = "", _("نامعلوم")
        QUEUED = "queued", _("در صف ارائه‌دهنده")
        OPERATOR = "operator", _("تحویل به مخابرات")
        DELIVERED = "delivered", _("رسیده به گیرنده")
        UNDELIVERED = "undelivered", _("نرسیده")

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
    template = models.ForeignKey(
        "NotificationTemplate",
        verbose_name=_("الگو"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    payload = models.JSONField(_("داده‌های متن"), default=dict, blank=True)
    # Urgent messages (sign-in codes) ignore quiet hours.
    urgent = models.BooleanField(_("فوری"), default=False)
    sms_parts = models.PositiveSmallIntegerField(_("تعداد بخش پیامک"), default=0)
    dedupe_key = models.CharField(_("کلید یکتایی"), max_length=200, blank=True)
    status = models.CharField(_("وضعیت"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("تعداد تلاش"), default=0)
    last_error = models.TextField(_("آخرین خطا"), blank=True)
    next_attempt_at = models.DateTimeField(_("زمان تلاش بعدی"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("زمان شروع ارسال"), null=True, blank=True)
    provider_message_id = models.CharField(_("شناسه پیام نزد ارائه‌دهنده"), max_length=64, blank=True)
    delivery_status = models.CharField(
        _("وضعیت تحویل"), max_length=12, choices=Delivery.choices, default=Delivery.UNKNOWN, blank=True
    )
    delivery_status_at = models.DateTimeField(_("زمان گزارش تحویل"), null=True, blank=True)
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
            models.Index(fields=["status", "next_attempt_at"], name="notif_status_next_idx"),
            models.Index(fields=["provider_message_id"], name="notif_provider_msg_idx"),
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


class NotificationTemplate(models.Model):
    """The wording of one kind of message on one channel, editable by the city's staff.

    ``body`` is plain text with ``{variable}`` placeholders (``TEMPLATE_VARIABLES``). The outbox
    uses the active template of a message's kind and channel, and the built-in text where there is
    none or where a variable has no value.
    """

    kind = models.CharField(_("نوع"), max_length=40)
    channel = models.CharField(_("کانال"), max_length=8, choices=Notification.Channel.choices)
    body = models.TextField(_("متن"))
    is_active = models.BooleanField(_("فعال"), default=True)
    updated_at = models.DateTimeField(_("آخرین تغییر"), auto_now=True)

    class Meta:
        verbose_name = _("الگوی اعلان")
        verbose_name_plural = _("الگوهای اعلان")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "channel"], name="notifications_notificationtemplate_kind_channel_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_channel_display()})"

    def clean(self) -> None:
        unknown = sorted(set(TEMPLATE_VARIABLE_RE.findall(self.body)) - set(TEMPLATE_VARIABLES))
        if unknown:
            raise ValidationError(
                {
                    "body": _("متغیر ناشناخته: %(names)s. متغیرهای مجاز: %(allowed)s")
                    % {
                        "names": "، ".join("{" + name + "}" for name in unknown),
                        "allowed": "، ".join("{" + name + "}" for name in TEMPLATE_VARIABLES),
                    }
                }
            )

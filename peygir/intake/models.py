"""What the intake channels keep of their own: Open311 client applications and what they sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Client(models.Model):
    """An outside application (a city app, FixMyStreet, a partner's CRM) allowed to POST to Open311.

    Its API key is shown once when issued and stored only as a SHA-256 hash; ``prefix`` (the part of
    the key before the dot) finds the row. ``agent`` is the staff account (with a call-center agent
    membership) in whose name the client's citizen updates enter a case's timeline; without one the
    client may register cases but not post updates.
    """

    name = models.CharField(_("نام برنامه"), max_length=150)
    prefix = models.CharField(_("پیشوند کلید"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("فعال"), default=True)
    rate_limit_per_minute = models.PositiveIntegerField(_("سقف درخواست در دقیقه"), default=60)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("کاربر ثبت به‌روزرسانی‌ها"),
    )
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)

    class Meta:
        verbose_name = _("برنامه Open311")
        verbose_name_plural = _("برنامه‌های Open311")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate_limit_per_minute__gt=0),
                name="intake_open311client_positive_rate_limit",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Open311Request(models.Model):
    """Which client registered a case through Open311, with what the case itself has no field for.

    ``email`` is the reporter's address as the client sent it (the case keeps only a mobile number);
    ``media_url`` is kept as sent and never fetched. Never shown in any public response.
    """

    client = models.ForeignKey(Open311Client, on_delete=models.PROTECT, related_name="requests")
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(blank=True, default="")
    device_id = models.CharField(max_length=100, blank=True, default="")
    account_id = models.CharField(max_length=100, blank=True, default="")
    media_url = models.URLField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("درخواست Open311")
        verbose_name_plural = _("درخواست‌های Open311")

    def __str__(self) -> str:
        return f"{self.client_id}:{self.case_id}"


class Open311Update(models.Model):
    """A mySociety ``servicerequestupdates`` POST already applied: a retry with the same
    ``update_id`` from the same client returns the first answer instead of acting twice."""

    client = models.ForeignKey(Open311Client, on_delete=models.PROTECT, related_name="updates")
    update_id = models.CharField(max_length=100)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey("cases.CaseEvent", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("به‌روزرسانی Open311")
        verbose_name_plural = _("به‌روزرسانی‌های Open311")
        constraints = [
            models.UniqueConstraint(fields=["client", "update_id"], name="intake_open311update_unique_id")
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.update_id}"


class InboundMessage(models.Model):
    """A message a citizen sent to the city on a messaging channel (an SMS to the short number, a bot
    update), stored once per (channel, external id): a provider that delivers the same message twice
    finds the first row and its answer, and nothing is registered twice.

    ``sender`` is the mobile number (SMS) or the chat id (bot); ``case`` is the case it registered or
    asked about; ``reply`` is what the city answered.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("پیامک")
        BOT = "bot", _("پیام‌رسان")

    class Outcome(models.TextChoices):
        RECEIVED = "received", _("دریافت‌شده")
        REGISTERED = "registered", _("ثبت پیام")
        TRACKED = "tracked", _("پیگیری")
        HELP = "help", _("راهنما")
        REJECTED = "rejected", _("نپذیرفته")

    channel = models.CharField(_("کانال"), max_length=8, choices=Channel.choices)
    external_id = models.CharField(_("شناسه پیام"), max_length=100)
    sender = models.CharField(_("فرستنده"), max_length=64)
    recipient = models.CharField(_("گیرنده"), max_length=32, blank=True, default="")
    text = models.TextField(_("متن"), blank=True, default="")
    outcome = models.CharField(_("نتیجه"), max_length=12, choices=Outcome.choices, default=Outcome.RECEIVED)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reply = models.TextField(_("پاسخ"), blank=True, default="")
    received_at = models.DateTimeField(_("زمان دریافت"), auto_now_add=True)

    class Meta:
        verbose_name = _("پیام دریافتی")
        verbose_name_plural = _("پیام‌های دریافتی")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="intake_inboundmessage_unique_channel_message"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"


class BotChat(models.Model):
    """A private chat with the city's messenger bot (Bale or Telegram) and where its conversation is.

    ``state`` is the step the bot waits on; the ``draft_*`` fields hold the message being composed
    (the photo already checked and stripped of metadata) until it is confirmed or cancelled, and the
    ``rate_*`` fields the rating being given. The citizen the chat belongs to is the user whose
    ``bot_chat_id`` is this chat (set by sharing their own contact); ``after_link`` is what the
    citizen asked for before being asked to share it.
    """

    class State(models.TextChoices):
        IDLE = "idle", _("آماده")
        LINK = "link", _("در انتظار شماره همراه")
        CATEGORY = "category", _("انتخاب دسته")
        DESCRIPTION = "description", _("نوشتن شرح")
        LOCATION = "location", _("فرستادن موقعیت")
        PHOTO = "photo", _("فرستادن عکس")
        CONFIRM = "confirm", _("تأیید ثبت")
        TRACK = "track", _("در انتظار کد رهگیری")
        RATE_CASE = "rate_case", _("انتخاب پیام برای امتیاز")
        RATE_SCORE = "rate_score", _("انتخاب امتیاز")
        RATE_FIXED = "rate_fixed", _("پرسش رفع مشکل")

    chat_id = models.CharField(_("شناسه گفت‌وگو"), max_length=32, unique=True)
    state = models.CharField(_("مرحله"), max_length=12, choices=State.choices, default=State.IDLE)
    after_link = models.CharField(max_length=12, blank=True, default="")
    draft_category = models.CharField(max_length=32, blank=True, default="")
    draft_description = models.TextField(blank=True, default="")
    draft_lat = models.FloatField(null=True, blank=True)
    draft_lon = models.FloatField(null=True, blank=True)
    draft_address = models.CharField(max_length=500, blank=True, default="")
    draft_photo = models.BinaryField(null=True, blank=True, editable=False)
    rate_case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rate_score = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)
    updated_at = models.DateTimeField(_("آخرین پیام"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("گفت‌وگوی پیام‌رسان")
        verbose_name_plural = _("گفت‌وگوهای پیام‌رسان")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(draft_lat__isnull=True, draft_lon__isnull=True)
                | models.Q(draft_lat__isnull=False, draft_lon__isnull=False),
                name="intake_botchat_lat_lon_together",
            ),
        ]

    def __str__(self) -> str:
        return self.chat_id

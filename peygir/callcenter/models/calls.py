"""Calls and the agents who answer them: queues, extensions, presence, call records, CTI receipts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Queue(models.Model):
    """A call-center queue as the PBX names it (an Asterisk ``queues.conf`` section, e.g. ``137``)."""

    name = models.CharField(_("نام در مرکز تلفن"), max_length=80, unique=True)
    title = models.CharField(_("عنوان"), max_length=150)
    is_active = models.BooleanField(_("فعال"), default=True)

    class Meta:
        verbose_name = _("صف تماس")
        verbose_name_plural = _("صف‌های تماس")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.title or self.name


class AgentExtension(models.Model):
    """Which staff user answers at a PBX extension (``PJSIP/1001`` → the agent ``agent``)."""

    extension = models.CharField(_("داخلی"), max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cti_extensions",
        verbose_name=_("کاربر"),
    )
    is_active = models.BooleanField(_("فعال"), default=True)

    class Meta:
        verbose_name = _("داخلی کارشناس")
        verbose_name_plural = _("داخلی‌های کارشناسان")
        ordering = ["extension"]

    def __str__(self) -> str:
        return f"{self.extension} → {self.user}"


class AgentState(models.Model):
    """An agent's presence on the console: available, on a call, after-call work, on a break, offline.

    ``wrap_until`` is the earliest moment the agent may be offered the next call after a call ends
    (after-call work); ``talk_since_break`` counts talk seconds since the last break or sign-in (the
    long unbroken talk warning). ``version`` makes every change a compare-and-swap.
    """

    class State(models.TextChoices):
        OFFLINE = "offline", _("خارج از سامانه")
        AVAILABLE = "available", _("آماده پاسخ")
        ON_CALL = "on_call", _("در تماس")
        WRAP_UP = "wrap_up", _("کار پس از تماس")
        BREAK = "break", _("استراحت")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_state"
    )
    state = models.CharField(_("وضعیت"), max_length=16, choices=State.choices, default=State.OFFLINE)
    since = models.DateTimeField(_("از"))
    wrap_until = models.DateTimeField(_("پایان کار پس از تماس"), null=True, blank=True)
    talk_since_break = models.PositiveIntegerField(_("مکالمه از آخرین استراحت (ثانیه)"), default=0)
    long_talk_warned_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("وضعیت کارشناس")
        verbose_name_plural = _("وضعیت کارشناسان")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_state_display()}"


class AgentStateChange(models.Model):
    """One stretch of an agent in one state (the workload, break and occupancy reports read these)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=16, choices=AgentState.State.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("دوره وضعیت کارشناس")
        verbose_name_plural = _("دوره‌های وضعیت کارشناسان")
        indexes = [models.Index(fields=["user", "started_at"], name="callcenter_statechange_user")]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(ended_at__isnull=True),
                name="callcenter_agentstatechange_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.state} @ {self.started_at:%Y-%m-%d %H:%M}"


class Call(models.Model):
    """One inbound call to 137 (تماس), from entering the queue to the agent's disposition.

    Assembled from CTI events tied together by the PBX's ``linkedid``; the times are the facts the KPIs
    are computed from. ``is_repeat`` marks a caller who called within the repeat window before.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("در صف")
        RINGING = "ringing", _("در حال زنگ")
        ANSWERED = "answered", _("در مکالمه")
        COMPLETED = "completed", _("پایان‌یافته")
        ABANDONED = "abandoned", _("رهاشده")

    class Disposition(models.TextChoices):
        CASE_REGISTERED = "case_registered", _("ثبت پیام")
        INFORMATION = "information", _("اطلاع‌رسانی")
        FOLLOW_UP = "follow_up", _("پیگیری پرونده موجود")
        TRANSFERRED = "transferred", _("انتقال تماس")
        NUISANCE = "nuisance", _("تماس مزاحم")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(_("منبع"), max_length=40, default="ami")
    linkedid = models.CharField(_("شناسه تماس در مرکز تلفن"), max_length=100)
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, null=True, blank=True, related_name="calls")
    caller_number = models.CharField(_("شماره تماس‌گیرنده"), max_length=32, blank=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls_answered",
        verbose_name=_("کارشناس"),
    )
    status = models.CharField(_("وضعیت"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    offered_at = models.DateTimeField(_("ورود به صف"))
    answered_at = models.DateTimeField(_("پاسخ"), null=True, blank=True)
    ended_at = models.DateTimeField(_("پایان"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ثبت نتیجه"), null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(_("انتظار (ثانیه)"), null=True, blank=True)
    talk_seconds = models.PositiveIntegerField(_("مکالمه (ثانیه)"), null=True, blank=True)
    hold_seconds = models.PositiveIntegerField(_("نگه‌داشت (ثانیه)"), default=0)
    wrap_seconds = models.PositiveIntegerField(_("کار پس از تماس (ثانیه)"), null=True, blank=True)
    hold_started_at = models.DateTimeField(null=True, blank=True)
    disposition = models.CharField(_("نتیجه تماس"), max_length=20, choices=Disposition.choices, blank=True)
    note = models.TextField(_("یادداشت"), blank=True)
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="+", verbose_name=_("پرونده‌ها"))
    is_repeat = models.BooleanField(_("تماس تکراری"), default=False)
    previous_call = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transferred_to = models.CharField(_("انتقال به"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("تماس")
        verbose_name_plural = _("تماس‌ها")
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "linkedid"], name="callcenter_call_unique_linkedid"),
        ]
        indexes = [
            models.Index(fields=["caller_number", "offered_at"], name="callcenter_call_caller"),
            models.Index(fields=["offered_at"], name="callcenter_call_offered"),
            models.Index(fields=["agent", "offered_at"], name="callcenter_call_agent"),
        ]

    def __str__(self) -> str:
        return f"{self.linkedid} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RINGING, self.Status.ANSWERED)


class ConsoleEvent(models.Model):
    """Something an agent's open console must show at once (a ringing call, its end): the SSE feed."""

    class Kind(models.TextChoices):
        RING = "ring", _("زنگ")
        ANSWER = "answer", _("پاسخ")
        HANGUP = "hangup", _("قطع")
        STATE = "state", _("وضعیت")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    call = models.ForeignKey(Call, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # When the PBX event behind it was read (the screen-pop delay is measured from here).
    event_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "id"], name="callcenter_consoleevent_user")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind}"


class CtiReceipt(models.Model):
    """A webhook event already taken in: the same (source, event id) is never applied twice."""

    source = models.CharField(max_length=40)
    event_id = models.CharField(max_length=120)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "event_id"], name="callcenter_ctireceipt_unique_event"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.event_id}"


class PbxCommand(models.Model):
    """An action for the PBX (pause or unpause a queue member, transfer a call), sent by ``run_ami``.

    An outbox: written in the transaction of the change that causes it, sent once, its answer kept.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("در انتظار")
        SENT = "sent", _("ارسال‌شده")
        FAILED = "failed", _("ناموفق")

    action = models.CharField(max_length=40)
    fields = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    response = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "id"], name="callcenter_pbxcommand_pending")]

    def __str__(self) -> str:
        return f"{self.action} ({self.status})"

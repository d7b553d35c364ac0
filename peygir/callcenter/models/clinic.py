"""The telephone consultation clinic (کلینیک مشاوره تلفنی): experts, their slots, bookings."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Expert(models.Model):
    """A member of staff who gives phone consultations on one topic (legal, urban planning, …)."""

    class Topic(models.TextChoices):
        LEGAL = "legal", _("حقوقی")
        URBAN_PLANNING = "urban_planning", _("شهرسازی")
        ARCHITECTURE = "architecture", _("معماری")
        FEES_TAXES = "fees_taxes", _("عوارض و مالیات")
        ENVIRONMENT = "environment", _("محیط زیست")
        TRAFFIC = "traffic", _("حمل‌ونقل و ترافیک")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_expert"
    )
    topic = models.CharField(_("موضوع"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("عنوان"), max_length=150)
    is_active = models.BooleanField(_("فعال"), default=True)

    class Meta:
        verbose_name = _("کارشناس مشاوره")
        verbose_name_plural = _("کارشناسان مشاوره")
        ordering = ["topic", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_topic_display()})"


class ClinicSlot(models.Model):
    """A time an expert offers for one phone consultation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("شروع"))
    minutes = models.PositiveSmallIntegerField(_("مدت (دقیقه)"), default=20)
    is_withdrawn = models.BooleanField(_("لغو از سوی کارشناس"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("نوبت مشاوره")
        verbose_name_plural = _("نوبت‌های مشاوره")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "starts_at"], name="callcenter_clinicslot_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=120), name="callcenter_clinicslot_minutes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} @ {self.starts_at:%Y-%m-%d %H:%M}"


class Booking(models.Model):
    """A citizen's booking of one slot. At most one live booking per slot (a database constraint)."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("رزروشده")
        DONE = "done", _("انجام‌شده")
        NO_SHOW = "no_show", _("عدم پاسخ شهروند")
        CANCELLED = "cancelled", _("لغوشده")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("درگاه شهروندی")
        AGENT = "agent", _("کارشناس ۱۳۷")

    # A cancelled booking frees its slot; every other status holds it.
    HOLDING = (Status.BOOKED, Status.DONE, Status.NO_SHOW)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(ClinicSlot, on_delete=models.PROTECT, related_name="bookings")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    phone = models.CharField(_("تلفن همراه"), max_length=11)
    name = models.CharField(_("نام"), max_length=150, blank=True)
    subject = models.TextField(_("موضوع مشاوره"))
    channel = models.CharField(_("کانال"), max_length=10, choices=Channel.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("وضعیت"), max_length=12, choices=Status.choices, default=Status.BOOKED)
    outcome = models.TextField(_("نتیجه مشاوره"), blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("رزرو مشاوره")
        verbose_name_plural = _("رزروهای مشاوره")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["booked", "done", "no_show"]),
                name="callcenter_booking_one_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.get_status_display()}"

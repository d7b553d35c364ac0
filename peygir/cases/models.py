"""The case aggregate: one registered citizen matter, its timeline, and its photos."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Case(models.Model):
    """A citizen contact registered in Peygir (ارتباط شهروندی), from registration to closure.

    ``phase`` is written only by ``services.case_transition`` (compare-and-swap on ``version``);
    ``public_id`` is what URLs carry, ``tracking_code`` is what the citizen says on the phone.
    """

    class Phase(models.TextChoices):
        REGISTERED = "registered", _("ثبت‌شده")
        ASSIGNED = "assigned", _("تخصیص‌یافته")
        IN_PROGRESS = "in_progress", _("در حال رسیدگی")
        AWAITING_CITIZEN = "awaiting_citizen", _("در انتظار پاسخ شهروند")
        RETURNED = "returned", _("بازگشته به مرکز")
        RESPONDED = "responded", _("پاسخ داده‌شده")
        CLOSED = "closed", _("بسته‌شده")

    class Resolution(models.TextChoices):
        FIXED = "fixed", _("رفع شد")
        ANSWERED = "answered", _("پاسخ داده شد")
        NOT_POSSIBLE = "not_possible", _("امکان‌پذیر نیست")
        NOT_RESPONSIBLE = "not_responsible", _("خارج از حیطه مسئولیت")
        DUPLICATE = "duplicate", _("تکراری")
        INVALID = "invalid", _("نامعتبر")

    class Channel(models.TextChoices):
        PHONE = "phone", _("تلفن ۱۳۷")
        WEB = "web", _("وب")
        APP = "app", _("اپلیکیشن")
        SMS = "sms", _("پیامک")
        BOT = "bot", _("پیام‌رسان")
        OPEN311 = "open311", _("Open311")
        STAFF = "staff", _("کارکنان")

    OPEN_PHASES = (
        Phase.REGISTERED,
        Phase.ASSIGNED,
        Phase.IN_PROGRESS,
        Phase.AWAITING_CITIZEN,
        Phase.RETURNED,
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tracking_code = models.CharField(_("کد رهگیری"), max_length=12, unique=True, editable=False)

    message_type = models.ForeignKey(
        "catalog.MessageType", on_delete=models.PROTECT, verbose_name=_("نوع پیام"), db_index=False
    )
    # Empty only while a message that came without one (an inbound SMS) waits at the 137 center to
    # be classified by staff or by the classifier (Action.CLASSIFY).
    # Indexed by cases_case_category (category, phase, respond_by, id), which also serves the key.
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("دسته"),
        db_index=False,
    )
    # Rarely filtered on: no index of their own (each index costs every registration).
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )
    priority = models.ForeignKey(
        "catalog.Priority", on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )
    channel = models.CharField(_("کانال"), max_length=16, choices=Channel.choices)
    # The channel's own id for the message (SMS id, bot update id, Idempotency-Key): a retried
    # submission with the same id returns the first case instead of registering a second one.
    external_id = models.CharField(max_length=100, blank=True, default="")

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    is_anonymous = models.BooleanField(_("بی‌نام"), default=False)
    contact_name = models.CharField(_("نام"), max_length=150, blank=True)
    contact_phone = models.CharField(_("تلفن همراه"), max_length=11, blank=True)

    description = models.TextField(_("شرح"))
    # normalize_for_search(description + address): what the kartable search matches against.
    search_text = models.TextField(blank=True, default="")
    attributes = models.JSONField(default=dict, blank=True)

    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    h3_cell = models.CharField(max_length=16, blank=True, default="", db_index=True)
    address = models.CharField(_("نشانی"), max_length=500, blank=True)
    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="district_cases"
    )
    area = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="area_cases"
    )

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="cases", verbose_name=_("واحد")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    phase = models.CharField(_("وضعیت"), max_length=20, choices=Phase.choices, default=Phase.REGISTERED)
    resolution = models.CharField(
        _("نتیجه"), max_length=20, choices=Resolution.choices, blank=True, default=""
    )
    response_text = models.TextField(_("متن پاسخ"), blank=True, default="")
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )

    # SLA: deadlines on the working calendar; warn_at is 80 % of the way to respond_by.
    sla_started_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateTimeField(_("مهلت پاسخ"), null=True, blank=True)
    resolve_by = models.DateTimeField(_("مهلت رفع"), null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    sla_paused_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(_("زمان تأخیر"), null=True, blank=True)

    is_special = models.BooleanField(_("پرونده ویژه"), default=False)
    financial_stakes = models.DecimalField(
        _("ارزش مالی (ریال)"), max_digits=20, decimal_places=0, null=True, blank=True
    )
    # What a special case actually brought in or saved, recorded when it is known (rials).
    financial_realised = models.DecimalField(
        _("ارزش مالی تحقق‌یافته (ریال)"), max_digits=20, decimal_places=0, null=True, blank=True
    )
    # The citizen objected to a response (Action.OBJECT): the kartable marks the case until it is
    # answered again; the count is what the unit's evaluation holds against it.
    objected_at = models.DateTimeField(_("زمان اعتراض"), null=True, blank=True)
    objection_count = models.PositiveSmallIntegerField(_("تعداد اعتراض"), default=0)

    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        # Case.OPEN_PHASES (the class body is not in scope here).
        _open = Q(phase__in=["registered", "assigned", "in_progress", "awaiting_citizen", "returned"])
        verbose_name = _("پرونده")
        verbose_name_plural = _("پرونده‌ها")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~Q(external_id=""),
                name="cases_case_unique_channel_message",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True) | Q(lat__isnull=False, lon__isnull=False),
                name="cases_case_lat_lon_together",
            ),
        ]
        indexes = [
            # The kartable within a tab, by deadline or by date (range, newest first); id last so
            # that a page's ids come from the index alone (see the staff kartable's paginator).
            models.Index(fields=["unit", "phase", "respond_by", "id"], name="cases_case_kartable"),
            # respond_by included: a date range sorted by deadline is read from this index alone.
            models.Index(
                fields=["unit", "phase", "created_at", "id"],
                include=["respond_by"],
                name="cases_case_kartable_created",
            ),
            # A category across the whole city: its counts per tab and its deadline order from
            # the index alone (replaces the plain foreign-key index on category).
            models.Index(fields=["category", "phase", "respond_by", "id"], name="cases_case_category"),
            models.Index(fields=["phase", "warn_at"], name="cases_case_warn_scan"),
            # Every case by deadline (phase included for the tabs): the city-wide lists of the
            # finished tabs and of the referred-out one walk it in order. The SLA scan reads
            # cases_case_open_deadline; counts by phase read cases_case_warn_scan.
            models.Index(fields=["respond_by", "id"], include=["phase"], name="cases_case_deadline"),
            models.Index(fields=["citizen", "created_at"], name="cases_case_citizen"),
            # Open cases only (a few percent of the table): the kartable's open-tab counts read
            # this index alone, and the city-wide open list walks it in deadline order.
            # created_at and category included: the counts under a date range or a category
            # filter are read from this index alone too.
            models.Index(
                fields=["unit", "phase", "overdue_at"],
                include=["created_at", "category"],
                condition=_open,
                name="cases_case_open_counts",
            ),
            models.Index(
                fields=["respond_by", "id"],
                condition=_open,
                name="cases_case_open_deadline",
            ),
            # Special cases are a handful among millions: their board and reports read this alone.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(is_special=True),
                name="cases_case_special",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return self.phase in self.OPEN_PHASES


class CaseEvent(models.Model):
    """One entry on a case's timeline. Public entries are shown to the citizen; internal ones are not."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("ثبت")
        ASSIGNED = "assigned", _("تخصیص به کارشناس")
        ACCEPTED = "accepted", _("پذیرش")
        REFERRED = "referred", _("ارجاع")
        RETURNED = "returned", _("بازگشت به مرکز")
        INFO_REQUESTED = "info_requested", _("درخواست اطلاعات تکمیلی")
        CITIZEN_REPLIED = "citizen_replied", _("پاسخ شهروند")
        RESPONDED = "responded", _("پاسخ")
        CLOSED = "closed", _("بسته شد")
        OBJECTED = "objected", _("اعتراض شهروند")
        REJECTED = "rejected", _("رد")
        MERGED = "merged", _("ادغام")
        SLA_WARNING = "sla_warning", _("هشدار مهلت")
        OVERDUE = "overdue", _("تأخیر")
        NOTE = "note", _("یادداشت داخلی")
        CLASSIFIED = "classified", _("تعیین دسته")
        PRIORITY_CHANGED = "priority_changed", _("تغییر اولویت")
        SPECIAL = "special", _("پرونده ویژه")
        WITHDRAWN = "withdrawn", _("خروج از جریان عادی")

    # Indexed by cases_caseevent_timeline (case, created_at), which also serves the foreign key.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )
    is_public = models.BooleanField(default=False)
    from_phase = models.CharField(max_length=20, blank=True, default="")
    to_phase = models.CharField(max_length=20, blank=True, default="")
    from_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    # Shown to the citizen when the event is public.
    public_note = models.TextField(blank=True, default="")
    # Staff only: never leaves the staff side.
    internal_note = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("رویداد پرونده")
        verbose_name_plural = _("رویدادهای پرونده")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="cases_caseevent_timeline"),
            # The kartable's "referred out" tab: referrals by from_unit, without reading the table.
            models.Index(
                fields=["from_unit", "case"],
                condition=Q(kind="referred"),
                name="cases_caseevent_referred",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"


class Attachment(models.Model):
    """A photo attached to a case, re-encoded on upload so no EXIF/GPS metadata is ever stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="cases/%Y/%m/", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    # Photos the citizen sent are shown on their own tracking page; staff photos may be internal.
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("پیوست")
        verbose_name_plural = _("پیوست‌ها")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.public_id}"

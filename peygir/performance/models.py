"""The read side of evaluation: rollups of the case stream, KPI weights, spike alerts, reports.

Nothing here changes a case. ``Contribution`` rows say what each case adds to the evaluation (one
row per measured fact: its registration, its first response, each referral, each rating …);
the rollup tables are sums of those rows at three grains, kept up to date incrementally by
``rollups.rollup_consume`` and rebuilt from the cases by ``rollups.rollup_rebuild``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Upper bounds (minutes, exclusive) of the resolution-time histogram buckets; the last bucket is
# open-ended. Roughly log-spaced (×1.3–2): a median or p90 read from it is within a bucket's width.
HISTOGRAM_BOUNDS: tuple[int, ...] = (
    30,
    60,
    120,
    240,
    480,
    720,
    1440,
    2160,
    2880,
    4320,
    5760,
    7200,
    10080,
    14400,
    20160,
    30240,
    43200,
    64800,
    129600,
)
HISTOGRAM_FIELDS: tuple[str, ...] = tuple(f"h{i:02d}" for i in range(len(HISTOGRAM_BOUNDS) + 1))

# The summed measures of every rollup row (the histogram fields come after these).
MEASURE_FIELDS: tuple[str, ...] = (
    "registered",
    "responded",
    "responded_on_time",
    "resolved",
    "resolved_on_time",
    "resolution_minutes",
    "overdue",
    "objections",
    "returned",
    "referrals",
    "rating_count",
    "rating_sum",
    "fixed_count",
)
ALL_MEASURES: tuple[str, ...] = MEASURE_FIELDS + HISTOGRAM_FIELDS


class Measures(models.Model):
    """The counters every rollup grain carries (see MEASURE_FIELDS and HISTOGRAM_FIELDS)."""

    registered = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    responded_on_time = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolution_minutes = models.BigIntegerField(default=0)
    overdue = models.IntegerField(default=0)
    objections = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    referrals = models.IntegerField(default=0)
    rating_count = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)
    fixed_count = models.IntegerField(default=0)
    for _name in HISTOGRAM_FIELDS:
        locals()[_name] = models.IntegerField(default=0)
    del _name

    class Meta:
        abstract = True


class Contribution(models.Model):
    """One fact a case adds to the evaluation, attributed to the unit that owned it at that moment.

    ``metric`` says which (``registered``, ``responded`` with ``flag`` = on time, ``resolved`` with
    ``value`` = minutes and ``flag`` = on time, ``rating`` with ``value`` = score and ``flag`` =
    fixed, ``overdue``, ``objection``, ``returned``, ``referral``). The rows of a case are replaced
    whenever the case changes; the drill-down lists ("the cases behind this number") read them.
    Ids of units, categories and types are plain integers (0: none): this table is derived data.
    """

    class Metric(models.TextChoices):
        REGISTERED = "registered", _("ثبت")
        RESPONDED = "responded", _("پاسخ نخست")
        RESOLVED = "resolved", _("رسیدگی")
        RATING = "rating", _("امتیاز رضایت")
        OVERDUE = "overdue", _("تأخیر")
        OBJECTION = "objection", _("اعتراض")
        RETURNED = "returned", _("بازگشت به مرکز")
        REFERRAL = "referral", _("ارجاع")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=12, choices=Metric.choices)
    day = models.DateField()
    unit_id = models.IntegerField()
    category_id = models.IntegerField(default=0)
    channel = models.CharField(max_length=16)
    message_type_id = models.IntegerField()
    value = models.IntegerField(default=0)
    flag = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("سهم پرونده در ارزیابی")
        verbose_name_plural = _("سهم پرونده‌ها در ارزیابی")
        indexes = [
            models.Index(fields=["metric", "unit_id", "day"], name="performance_contrib_drill"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.metric}:{self.day}"


class DailyRollup(Measures):
    """Sums per local (Tehran) day × owning unit × category × channel × message type.

    ``district_id`` / ``area_id`` are the unit's district and area (0 when it has none), copied so
    that a district's figures need no join with the unit tree.
    """

    day = models.DateField()
    unit_id = models.IntegerField()
    district_id = models.IntegerField(default=0)
    area_id = models.IntegerField(default=0)
    category_id = models.IntegerField(default=0)
    channel = models.CharField(max_length=16)
    message_type_id = models.IntegerField()

    class Meta:
        verbose_name = _("جمع روزانه")
        verbose_name_plural = _("جمع‌های روزانه")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit_id", "category_id", "channel", "message_type_id"],
                name="performance_dailyrollup_unique_key",
            )
        ]
        indexes = [
            models.Index(fields=["district_id", "day"], name="performance_daily_district"),
        ]

    def __str__(self) -> str:
        return f"{self.day}:{self.unit_id}:{self.category_id}:{self.channel}:{self.message_type_id}"


class MonthlyRollup(Measures):
    """Sums per Jalali month (``month`` = year × 100 + month, e.g. 140405) × owning unit × category.

    What KPIs of a month, season or year read: a year of the whole city is a few thousand rows.
    """

    month = models.IntegerField()
    unit_id = models.IntegerField()
    district_id = models.IntegerField(default=0)
    area_id = models.IntegerField(default=0)
    category_id = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("جمع ماهانه")
        verbose_name_plural = _("جمع‌های ماهانه")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "unit_id", "category_id"], name="performance_monthlyrollup_unique_key"
            )
        ]
        indexes = [
            models.Index(fields=["month", "district_id"], name="performance_monthly_district"),
        ]

    def __str__(self) -> str:
        return f"{self.month}:{self.unit_id}:{self.category_id}"


class CityDay(Measures):
    """City-wide sums of one local day: the dashboard's record day and daily series."""

    day = models.DateField(unique=True)

    class Meta:
        verbose_name = _("جمع روزانه شهر")
        verbose_name_plural = _("جمع‌های روزانه شهر")

    def __str__(self) -> str:
        return str(self.day)


class RollupCursor(models.Model):
    """How far the incremental rollup has read the event and rating streams (ids, exclusive).

    Claimed by compare-and-swap on ``version``: two workers never consume the same batch.
    """

    name = models.CharField(max_length=32, primary_key=True)
    last_event_id = models.BigIntegerField(default=0)
    last_rating_id = models.BigIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("نشانگر جمع‌بندی")
        verbose_name_plural = _("نشانگرهای جمع‌بندی")

    def __str__(self) -> str:
        return f"{self.name}:{self.last_event_id}/{self.last_rating_id}"


class KpiWeights(models.Model):
    """The weights of the composite score, set by the 137 center (one row, pk=1).

    Each weight is 0–100; the score is the weighted mean of the component scores that have data.
    """

    on_time_response = models.PositiveSmallIntegerField(_("پاسخ نخست به‌موقع"), default=25)
    on_time_resolution = models.PositiveSmallIntegerField(_("رسیدگی به‌موقع"), default=20)
    satisfaction = models.PositiveSmallIntegerField(_("رضایت شهروندان"), default=25)
    objection = models.PositiveSmallIntegerField(_("کمی اعتراض"), default=15)
    fixed = models.PositiveSmallIntegerField(_("رفع تأییدشده"), default=15)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("وزن‌های امتیاز ترکیبی")
        verbose_name_plural = _("وزن‌های امتیاز ترکیبی")
        constraints = [
            models.CheckConstraint(
                condition=Q(on_time_response__lte=100)
                & Q(on_time_resolution__lte=100)
                & Q(satisfaction__lte=100)
                & Q(objection__lte=100)
                & Q(fixed__lte=100),
                name="performance_kpiweights_at_most_100",
            )
        ]

    def __str__(self) -> str:
        return f"weights:{self.pk}"


class UnitPopulation(models.Model):
    """Residents of a district or area (for volume per 10,000 residents), entered by the center."""

    unit = models.OneToOneField(
        "org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("واحد")
    )
    residents = models.PositiveIntegerField(_("جمعیت"))
    source = models.CharField(_("منبع"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("جمعیت واحد")
        verbose_name_plural = _("جمعیت واحدها")
        constraints = [
            models.CheckConstraint(condition=Q(residents__gt=0), name="performance_unitpopulation_positive")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.residents}"


class SpikeAlert(models.Model):
    """A category far above its usual level in a district for this hour of the week (mean + kσ)."""

    district = models.ForeignKey(
        "org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("منطقه")
    )
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.CASCADE, related_name="+", verbose_name=_("دسته")
    )
    hour_start = models.DateTimeField(_("ساعت"))
    count = models.PositiveIntegerField(_("تعداد"))
    mean = models.FloatField(_("میانگین"))
    std = models.FloatField(_("انحراف معیار"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("هشدار جهش")
        verbose_name_plural = _("هشدارهای جهش")
        ordering = ["-hour_start", "-count"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "category", "hour_start"], name="performance_spikealert_once_per_hour"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district_id}:{self.category_id}:{self.hour_start}"


class Report(models.Model):
    """A generated evaluation report (Excel or PDF) of one unit and one Jalali period."""

    class Format(models.TextChoices):
        XLSX = "xlsx", _("اکسل")
        PDF = "pdf", _("پی‌دی‌اف")

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("واحد"))
    period = models.CharField(_("دوره"), max_length=10)
    format = models.CharField(_("قالب"), max_length=4, choices=Format.choices)
    file = models.CharField(max_length=300)
    size = models.PositiveIntegerField(default=0)
    automatic = models.BooleanField(_("خودکار"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("گزارش ارزیابی")
        verbose_name_plural = _("گزارش‌های ارزیابی")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "format"], name="performance_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.period}.{self.format}"

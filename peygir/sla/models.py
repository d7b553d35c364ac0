"""Service-level agreements: the municipality's working calendar, its holidays, and the response and
resolution times per category and priority."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .calendar import OFFICE_HOURS, parse_hours


def default_office_hours() -> dict[str, list[list[str]]]:
    """Saturday–Wednesday 07:30–14:30; Thursday and Friday off (keys are Python weekdays, Monday=0)."""
    return {str(day): [list(interval) for interval in intervals] for day, intervals in OFFICE_HOURS.items()}


def validate_hours(value: Any) -> None:
    try:
        parse_hours(value)
    except ValueError as exc:
        raise ValidationError(
            _(
                "ساعات کاری نامعتبر است: کلید هر روز عدد ۰ (دوشنبه) تا ۶ (یکشنبه) و مقدار آن "
                'فهرستی از بازه‌های ["HH:MM", "HH:MM"] بدون هم‌پوشانی باشد. (%(problem)s)'
            ),
            params={"problem": str(exc)},
        ) from exc


class BusinessCalendar(models.Model):
    """The working week of a set of units, plus its holidays (see Holiday).

    ``hours`` maps a weekday to the working intervals of that day, in Tehran wall time. Weekdays follow
    Python's ``date.weekday()``: Monday=0, Tuesday=1, Wednesday=2, Thursday=3, Friday=4, Saturday=5,
    Sunday=6 (JSON keys are the digits as strings). A day with no key or an empty list is a day off.
    Example (the default): ``{"5": [["07:30", "14:30"]], "6": [...], "0": [...], "1": [...], "2": [...],
    "3": [], "4": []}``. An interval may end at "24:00".
    """

    name = models.CharField(_("نام"), max_length=150, unique=True)
    is_default = models.BooleanField(_("پیش‌فرض"), default=False)
    hours = models.JSONField(
        _("ساعات کاری"),
        default=default_office_hours,
        validators=[validate_hours],
        help_text=_(
            "کلید: شماره روز هفته به شیوه پایتون (۰ دوشنبه، ۱ سه‌شنبه، ۲ چهارشنبه، ۳ پنجشنبه، ۴ جمعه، ۵ شنبه، "
            '۶ یکشنبه)؛ مقدار: فهرست بازه‌ها مانند [["07:30", "14:30"]]. روز بدون بازه تعطیل است.'
        ),
    )

    class Meta:
        verbose_name = _("تقویم کاری")
        verbose_name_plural = _("تقویم‌های کاری")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="sla_businesscalendar_one_default",
                violation_error_message=_("تنها یک تقویم کاری می‌تواند پیش‌فرض باشد."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Holiday(models.Model):
    """A day off in a calendar. Stored as the Gregorian date; entered and shown as Jalali.

    Solar (Jalali-fixed) official holidays are seeded for several years; lunar (Hijri) holidays move
    about eleven days a year and are announced officially, so the administrator enters them each year.
    """

    class Kind(models.TextChoices):
        SOLAR = "solar", _("مناسبت شمسی")
        LUNAR = "lunar", _("مناسبت قمری")
        OTHER = "other", _("سایر")

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="holidays", verbose_name=_("تقویم")
    )
    date = models.DateField(_("تاریخ"))
    name = models.CharField(_("مناسبت"), max_length=150)
    kind = models.CharField(_("نوع"), max_length=10, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        verbose_name = _("تعطیلی")
        verbose_name_plural = _("تعطیلات")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"],
                name="sla_holiday_unique_date",
                violation_error_message=_("این روز قبلاً در این تقویم تعطیل ثبت شده است."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date.isoformat()})"


class SlaPolicy(models.Model):
    """Response and resolution times for a category, optionally for one priority only.

    Lookup order (see services.compute_deadlines): the policy for (category, priority), then the one for
    (category, any priority), then the category's own hours. Hours are working hours on ``calendar``
    (the default calendar when empty) unless the work is counted around the clock.
    """

    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.CASCADE,
        related_name="sla_policies",
        verbose_name=_("دسته موضوعی"),
    )
    priority = models.ForeignKey(
        "catalog.Priority",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sla_policies",
        verbose_name=_("اولویت"),
        help_text=_("خالی یعنی همه اولویت‌ها (با اعمال ضریب اولویت)."),
    )
    respond_hours = models.PositiveIntegerField(_("مهلت پاسخ (ساعت)"))
    resolve_hours = models.PositiveIntegerField(_("مهلت رفع (ساعت)"))
    # None: follow the category's setting.
    around_the_clock = models.BooleanField(_("شبانه‌روزی"), null=True, blank=True)
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
        verbose_name=_("تقویم کاری"),
        help_text=_("خالی یعنی تقویم پیش‌فرض."),
    )

    class Meta:
        verbose_name = _("سیاست مهلت")
        verbose_name_plural = _("سیاست‌های مهلت")
        ordering = ["category", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "priority"],
                name="sla_slapolicy_unique_category_priority",
                violation_error_message=_("برای این دسته و اولویت قبلاً سیاست تعریف شده است."),
            ),
            # NULL never equals NULL in a unique index, so "any priority" needs its own constraint.
            models.UniqueConstraint(
                fields=["category"],
                condition=models.Q(priority__isnull=True),
                name="sla_slapolicy_one_any_priority",
                violation_error_message=_("برای این دسته قبلاً سیاست همه اولویت‌ها تعریف شده است."),
            ),
            models.CheckConstraint(
                condition=models.Q(respond_hours__gt=0, resolve_hours__gte=models.F("respond_hours")),
                name="sla_slapolicy_resolve_after_respond",
                violation_error_message=_("مهلت رفع باید دست‌کم برابر مهلت پاسخ و مهلت‌ها بیشتر از صفر باشد."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} / {self.priority or '*'}"

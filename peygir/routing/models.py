"""Routing configuration: which unit answers a category, in a district or area, on a channel."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class RoutingRule(models.Model):
    """A rule "cases of this category (in this district or area, from this channel) go to this unit".

    With neither district nor area the rule holds city-wide; a blank channel matches every channel.
    The most specific matching rule wins (see ``routing.selectors.decide_unit``).
    """

    class Channel(models.TextChoices):
        # Keep in step with the intake channels; blank means "any channel".
        PHONE = "phone", _("تلفن ۱۳۷")
        WEB = "web", _("وبگاه")
        APP = "app", _("اپلیکیشن")
        SMS = "sms", _("پیامک")
        BOT = "bot", _("پیام‌رسان")
        OPEN311 = "open311", _("Open311")
        STAFF = "staff", _("ثبت کارکنان")

    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("دسته موضوعی"),
    )
    district = models.ForeignKey(
        "org.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "district"},
        verbose_name=_("منطقه"),
    )
    area = models.ForeignKey(
        "org.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "area"},
        verbose_name=_("ناحیه"),
    )
    channel = models.CharField(_("کانال"), max_length=20, choices=Channel.choices, blank=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="routing_rules", verbose_name=_("واحد پاسخگو")
    )
    is_active = models.BooleanField(_("فعال"), default=True)
    note = models.CharField(_("یادداشت"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)

    class Meta:
        verbose_name = _("قاعده مسیریابی")
        verbose_name_plural = _("قواعد مسیریابی")
        ordering = ["category", "district", "area", "channel"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(district__isnull=True) | models.Q(area__isnull=True),
                name="routing_routingrule_district_or_area",
                violation_error_message=_("قاعده یا برای منطقه است یا برای ناحیه، نه هر دو."),
            ),
            # NULL never equals NULL in a unique index, so the "anywhere" keys are folded to 0.
            models.UniqueConstraint(
                "category",
                Coalesce("district", 0),
                Coalesce("area", 0),
                "channel",
                condition=models.Q(is_active=True),
                name="routing_routingrule_unique_active",
                violation_error_message=_("برای این دسته، محدوده و کانال یک قاعده فعال وجود دارد."),
            ),
        ]

    def __str__(self) -> str:
        where = self.area or self.district or _("همه شهر")
        channel = self.get_channel_display() if self.channel else _("همه کانال‌ها")
        return f"{self.category} · {where} · {channel} → {self.unit}"


class RoutingReason(models.TextChoices):
    """Why ``decide_unit`` chose the unit it chose; stored beside the case's routing event."""

    AREA_CHANNEL_RULE = "area_channel_rule", _("قاعده ناحیه و کانال")
    AREA_RULE = "area_rule", _("قاعده ناحیه")
    DISTRICT_CHANNEL_RULE = "district_channel_rule", _("قاعده منطقه و کانال")
    DISTRICT_RULE = "district_rule", _("قاعده منطقه")
    CHANNEL_RULE = "channel_rule", _("قاعده کانال در همه شهر")
    CITY_RULE = "city_rule", _("قاعده همه شهر")
    DISTRICT_OF_POINT = "district_of_point", _("منطقه محل گزارش")
    CATEGORY_DEFAULT = "category_default", _("واحد پیش‌فرض دسته")
    CENTER = "center", _("مرکز ۱۳۷ (مسیر دیگری نبود)")

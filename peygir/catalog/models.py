"""What citizens can write about: message types, topic categories, Open311 services, priorities,
and the response templates officers answer with."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageType(models.Model):
    """The kind of message (request, complaint, report, …); codes fixed by spec/taxonomy.json."""

    code = models.SlugField(_("کد"), max_length=32, unique=True)
    name = models.CharField(_("نام"), max_length=100)
    name_en = models.CharField(_("نام انگلیسی"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("نوع پیام")
        verbose_name_plural = _("انواع پیام")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """One of the 17 fixed topic categories (waste, roads, …); every report uses these codes."""

    class UnitKind(models.TextChoices):
        DISTRICT = "district", _("منطقه")
        DEPUTY = "deputy", _("معاونت")
        ORGANIZATION = "organization", _("سازمان")

    code = models.SlugField(_("کد"), max_length=32, unique=True)
    name = models.CharField(_("نام"), max_length=150)
    name_en = models.CharField(_("نام انگلیسی"), max_length=150)
    unit_kind = models.CharField(_("نوع واحد پاسخگو"), max_length=20, choices=UnitKind.choices)
    # The city-wide owner (organization or deputy) used when no routing rule applies.
    default_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("واحد پیش‌فرض"),
    )
    sla_hours = models.PositiveIntegerField(_("مهلت پاسخ (ساعت کاری)"))
    resolve_hours = models.PositiveIntegerField(_("مهلت رفع (ساعت کاری)"), null=True, blank=True)
    around_the_clock = models.BooleanField(_("شبانه‌روزی"), default=False)
    allows_anonymous = models.BooleanField(_("ثبت بی‌نام مجاز است"), default=True)
    examples = models.JSONField(_("نمونه‌ها"), default=list, blank=True)
    is_active = models.BooleanField(_("فعال"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("دسته موضوعی")
        verbose_name_plural = _("دسته‌های موضوعی")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A specific service under a category, published to Open311 as a ``service_code``."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="services")
    service_code = models.SlugField(_("کد خدمت"), max_length=64, unique=True)
    name = models.CharField(_("نام"), max_length=200)
    name_en = models.CharField(_("نام انگلیسی"), max_length=200, blank=True)
    description = models.TextField(_("توضیح"), blank=True)
    keywords = models.CharField(_("کلیدواژه‌ها"), max_length=300, blank=True)
    is_active = models.BooleanField(_("فعال"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("خدمت")
        verbose_name_plural = _("خدمات")
        ordering = ["category__order", "order", "service_code"]

    def __str__(self) -> str:
        return self.name


class ServiceAttribute(models.Model):
    """An extra question a service asks, typed as an Open311 attribute datatype."""

    class Datatype(models.TextChoices):
        STRING = "string", _("متن کوتاه")
        NUMBER = "number", _("عدد")
        DATETIME = "datetime", _("تاریخ و زمان")
        TEXT = "text", _("متن بلند")
        SINGLEVALUELIST = "singlevaluelist", _("یک گزینه")
        MULTIVALUELIST = "multivaluelist", _("چند گزینه")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("کد"), max_length=64)
    datatype = models.CharField(_("نوع داده"), max_length=20, choices=Datatype.choices)
    description = models.CharField(_("پرسش"), max_length=300)
    datatype_description = models.CharField(_("راهنما"), max_length=300, blank=True)
    required = models.BooleanField(_("الزامی"), default=False)
    # False: shown to the citizen as information only (Open311 "variable").
    variable = models.BooleanField(default=True)
    # For list types: [{"key": "...", "name": "..."}].
    values = models.JSONField(default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("ویژگی خدمت")
        verbose_name_plural = _("ویژگی‌های خدمت")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="catalog_serviceattribute_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.service.service_code}:{self.code}"


class Priority(models.Model):
    """How urgent a case is; ``sla_factor`` shortens (or lengthens) the category's deadlines."""

    code = models.SlugField(_("کد"), max_length=32, unique=True)
    name = models.CharField(_("نام"), max_length=100)
    name_en = models.CharField(_("نام انگلیسی"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("وزن"), default=0)
    sla_factor = models.DecimalField(_("ضریب مهلت"), max_digits=4, decimal_places=2, default=1)
    is_default = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("اولویت")
        verbose_name_plural = _("اولویت‌ها")
        ordering = ["-weight"]
        constraints = [
            # A case registered without a priority gets the one default; two would make it arbitrary.
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="catalog_priority_one_default",
                violation_error_message=_("تنها یک اولویت می‌تواند پیش‌فرض باشد."),
            ),
            models.CheckConstraint(
                condition=models.Q(sla_factor__gt=0),
                name="catalog_priority_positive_factor",
                violation_error_message=_("ضریب مهلت باید بزرگ‌تر از صفر باشد."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResponseTemplate(models.Model):
    """A reusable answer with ``{variables}`` (tracking_code, category, unit, date …)."""

    code = models.SlugField(_("کد"), max_length=64, unique=True)
    title = models.CharField(_("عنوان"), max_length=200)
    body = models.TextField(_("متن"))
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="templates"
    )
    resolution = models.CharField(_("نتیجه"), max_length=32, blank=True)
    is_active = models.BooleanField(_("فعال"), default=True)

    class Meta:
        verbose_name = _("الگوی پاسخ")
        verbose_name_plural = _("الگوهای پاسخ")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

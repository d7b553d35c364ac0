"""Reads of the catalog that carry rules: only active categories and services are offered to citizens."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peygir.core.errors import ValidationError

from .models import Category, MessageType, Priority, Service


def category_get(code: str) -> Category:
    """The active category with this code.

    Raises ValidationError (Persian message) when the code is unknown or the category is inactive.
    """
    category = Category.objects.filter(code=(code or "").strip(), is_active=True).first()
    if category is None:
        raise ValidationError(_("دسته موضوعی «%(code)s» وجود ندارد یا فعال نیست.") % {"code": code})
    return category


def message_type_get(code: str) -> MessageType:
    """The message type with this code. Raises ValidationError (Persian message) when unknown."""
    message_type = MessageType.objects.filter(code=(code or "").strip()).first()
    if message_type is None:
        raise ValidationError(_("نوع پیام «%(code)s» وجود ندارد.") % {"code": code})
    return message_type


def service_get(service_code: str) -> Service:
    """The active Open311 service with this code, its category and attributes loaded.

    A service under an inactive category counts as inactive. Raises ValidationError (Persian message)
    when unknown or inactive.
    """
    service = (
        Service.objects.filter(
            service_code=(service_code or "").strip(), is_active=True, category__is_active=True
        )
        .select_related("category")
        .prefetch_related("attributes")
        .first()
    )
    if service is None:
        raise ValidationError(_("خدمت «%(code)s» وجود ندارد یا فعال نیست.") % {"code": service_code})
    return service


def priority_default() -> Priority:
    """The priority a case gets when none is chosen (``normal`` in the seeded catalog).

    Raises Priority.DoesNotExist when the catalog has no default priority (a configuration error:
    the catalog migration seeds one and a constraint keeps it single).
    """
    return Priority.objects.get(is_default=True)


def priority_get(code: str) -> Priority:
    """The priority with this code. Raises ValidationError (Persian message) when unknown."""
    priority = Priority.objects.filter(code=(code or "").strip()).first()
    if priority is None:
        raise ValidationError(_("اولویت «%(code)s» وجود ندارد.") % {"code": code})
    return priority


def categories_active() -> QuerySet[Category]:
    """Active categories in display order."""
    return Category.objects.filter(is_active=True).order_by("order", "code")


def services_active(*, category: Category | None = None) -> QuerySet[Service]:
    """Active services under active categories (optionally one category), with attributes prefetched."""
    services = Service.objects.filter(is_active=True, category__is_active=True)
    if category is not None:
        services = services.filter(category=category)
    return services.select_related("category").prefetch_related("attributes")

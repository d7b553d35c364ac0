"""Reads of the catalog that carry rules: only active categories and services are offered to citizens."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peygir.core.cache import CONFIG_CACHE_SECONDS, ProcessCache
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


def message_types_all() -> QuerySet[MessageType]:
    """The message types in display order (request, complaint, …)."""
    return MessageType.objects.order_by("order", "code")


def categories_active() -> QuerySet[Category]:
    """Active categories in display order."""
    return Category.objects.filter(is_active=True).order_by("order", "code")


def services_active(*, category: Category | None = None) -> QuerySet[Service]:
    """Active services under active categories (optionally one category), with attributes prefetched."""
    services = Service.objects.filter(is_active=True, category__is_active=True)
    if category is not None:
        services = services.filter(category=category)
    return services.select_related("category").prefetch_related("attributes")


# --- Per-process caches of rarely changing configuration -----------------------------------------


@dataclass(frozen=True)
class _CatalogSnapshot:
    message_type_ids: dict[str, int]
    active_categories: dict[str, Category]
    priorities: dict[str, Priority]


def _load_catalog() -> _CatalogSnapshot:
    return _CatalogSnapshot(
        message_type_ids=dict(MessageType.objects.values_list("code", "id")),
        active_categories={category.code: category for category in Category.objects.filter(is_active=True)},
        priorities={priority.code: priority for priority in Priority.objects.all()},
    )


_catalog = ProcessCache(
    _load_catalog, seconds=CONFIG_CACHE_SECONDS, models=(MessageType, Category, Priority), name="catalog"
)


def message_type_id_find(code: str) -> int | None:
    """The id of the message type with this exact code, or None. Served from the process's cache."""
    snapshot = _catalog.get()
    if snapshot is None:
        return MessageType.objects.filter(code=code).values_list("id", flat=True).first()
    return snapshot.message_type_ids.get(code)


def category_active_find(code: str) -> Category | None:
    """The active category with this exact code (a copy the caller may change), or None.

    Served from the process's cache (see ProcessCache, CONFIG_CACHE_SECONDS).
    """
    snapshot = _catalog.get()
    if snapshot is None:
        return Category.objects.filter(code=code, is_active=True).first()
    category = snapshot.active_categories.get(code)
    return copy.copy(category) if category is not None else None


def priority_find(code: str) -> Priority | None:
    """The priority with this exact code (a copy the caller may change), or None.

    Served from the process's cache (see ProcessCache, CONFIG_CACHE_SECONDS).
    """
    snapshot = _catalog.get()
    if snapshot is None:
        return Priority.objects.filter(code=code).first()
    priority = snapshot.priorities.get(code)
    return copy.copy(priority) if priority is not None else None

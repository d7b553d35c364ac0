from __future__ import annotations

import pytest

from peygir.catalog.models import Category, Service
from peygir.catalog.selectors import (
    categories_active,
    category_get,
    message_type_get,
    priority_default,
    priority_get,
    service_get,
    services_active,
)
from peygir.core.errors import ValidationError

pytestmark = pytest.mark.django_db


def test_category_get_returns_the_active_category():
    assert category_get("roads").name == "آسفالت، معابر و پیاده‌رو"


def test_category_get_rejects_an_unknown_code_in_persian():
    with pytest.raises(ValidationError) as raised:
        category_get("weather")
    assert str(raised.value.detail) == "دسته موضوعی «weather» وجود ندارد یا فعال نیست."


def test_category_get_rejects_an_inactive_category():
    Category.objects.filter(code="culture").update(is_active=False)
    with pytest.raises(ValidationError):
        category_get("culture")
    assert "culture" not in set(categories_active().values_list("code", flat=True))
    assert categories_active().count() == 16


def test_message_type_get():
    assert message_type_get("complaint").name == "شکایت"
    with pytest.raises(ValidationError) as raised:
        message_type_get("rumour")
    assert str(raised.value.detail) == "نوع پیام «rumour» وجود ندارد."


def test_service_get_loads_the_service_with_its_category():
    service = service_get("roads-pothole")
    assert service.category.code == "roads"
    assert [attribute.code for attribute in service.attributes.all()] == ["pothole_size", "lane"]


def test_service_get_rejects_inactive_services_and_services_of_inactive_categories():
    Service.objects.filter(service_code="roads-sidewalk").update(is_active=False)
    Category.objects.filter(code="waste").update(is_active=False)
    for code in ("roads-sidewalk", "waste-bin", "no-such-service"):
        with pytest.raises(ValidationError):
            service_get(code)
    assert services_active(category=Category.objects.get(code="roads")).count() == 4


def test_priority_default_is_normal():
    assert priority_default().code == "normal"
    assert priority_get("emergency").name == "فوری"
    with pytest.raises(ValidationError):
        priority_get("whenever")

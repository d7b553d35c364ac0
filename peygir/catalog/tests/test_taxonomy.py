"""The seeded catalog matches spec/taxonomy.json and the brief's services, priorities and templates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count

from peygir.catalog.models import Category, MessageType, Priority, ResponseTemplate, Service, ServiceAttribute

pytestmark = pytest.mark.django_db


def test_the_seven_message_types_exist_with_exact_names():
    assert list(MessageType.objects.values_list("code", "name", "name_en")) == [
        ("request", "درخواست", "Request"),
        ("complaint", "شکایت", "Complaint"),
        ("report", "گزارش", "Report"),
        ("suggestion", "پیشنهاد", "Suggestion"),
        ("criticism", "انتقاد", "Criticism"),
        ("appreciation", "قدردانی", "Appreciation"),
        ("inquiry", "استعلام و پرسش", "Inquiry"),
    ]


def test_the_seventeen_categories_exist_with_exact_names_units_and_hours():
    assert list(Category.objects.values_list("code", "name", "unit_kind", "sla_hours")) == [
        ("waste", "پسماند و نظافت شهری", "district", 24),
        ("roads", "آسفالت، معابر و پیاده‌رو", "district", 72),
        ("green", "فضای سبز و درختان", "district", 72),
        ("lighting", "روشنایی معابر و اماکن عمومی", "district", 48),
        ("drainage", "آب‌های سطحی، جوی و کانال", "district", 24),
        ("construction", "ساخت‌وساز و شهرسازی", "district", 168),
        ("obstruction", "سد معبر و مشاغل مزاحم", "district", 72),
        ("traffic", "ترافیک، علائم و پارکینگ", "deputy", 72),
        ("transit", "حمل‌ونقل عمومی", "organization", 120),
        ("animals", "حیوانات و جانوران موذی", "district", 48),
        ("social", "آسیب‌های اجتماعی", "deputy", 24),
        ("furniture", "مبلمان شهری و اماکن عمومی", "district", 120),
        ("pollution", "آلودگی و مزاحمت", "district", 72),
        ("safety", "ایمنی و حوادث", "organization", 4),
        ("finance", "عوارض و امور مالی", "deputy", 168),
        ("staff", "عملکرد کارکنان و خدمات اداری", "district", 168),
        ("culture", "فرهنگی، ورزشی و گردشگری", "organization", 168),
    ]
    waste = Category.objects.get(code="waste")
    assert waste.name_en == "Waste and street cleaning"
    assert waste.examples == [
        "جمع‌آوری زباله",
        "مخزن و سطل زباله",
        "رفت‌وروب معابر",
        "نخاله و پسماند ساختمانی",
        "بازیافت و پسماند خشک",
    ]


def test_only_safety_is_around_the_clock_and_only_staff_needs_a_contact():
    assert list(Category.objects.filter(around_the_clock=True).values_list("code", flat=True)) == ["safety"]
    assert list(Category.objects.filter(allows_anonymous=False).values_list("code", flat=True)) == ["staff"]


def test_every_category_has_two_to_five_services():
    counts = dict(Category.objects.annotate(n=Count("services")).values_list("code", "n"))
    assert len(counts) == 17
    assert all(2 <= n <= 5 for n in counts.values()), counts


def test_services_carry_typed_open311_attributes():
    pothole = ServiceAttribute.objects.get(service__service_code="roads-pothole", code="pothole_size")
    assert (pothole.datatype, pothole.required) == ("singlevaluelist", True)
    assert [value["key"] for value in pothole.values] == ["small", "medium", "large"]
    lamps = ServiceAttribute.objects.get(service__service_code="lighting-streetlight-out", code="lamp_count")
    assert lamps.datatype == "number"
    plate = ServiceAttribute.objects.get(service__service_code="traffic-illegal-parking", code="plate")
    assert plate.datatype == "string"
    noticed = ServiceAttribute.objects.get(service__service_code="waste-collection", code="date_noticed")
    assert noticed.datatype == "datetime"
    assert set(ServiceAttribute.objects.values_list("datatype", flat=True)) == {
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
    }
    assert Service.objects.get(service_code="waste-collection").name == "جمع‌آوری زباله"


def test_priorities_and_their_factors():
    assert list(Priority.objects.values_list("code", "sla_factor", "is_default")) == [
        ("emergency", Decimal("0.25"), False),
        ("high", Decimal("0.50"), False),
        ("normal", Decimal("1.00"), True),
        ("low", Decimal("1.50"), False),
    ]


def test_response_templates_cover_the_resolutions():
    resolutions = set(ResponseTemplate.objects.values_list("resolution", flat=True))
    assert resolutions == {"", "fixed", "answered", "not_possible", "not_responsible"}
    assert ResponseTemplate.objects.get(code="roads-pothole-fixed").category == Category.objects.get(
        code="roads"
    )

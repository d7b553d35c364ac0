"""Response templates: safe substitution of the five variables, and admin checks on the body."""

from __future__ import annotations

import pytest

from peygir.catalog.admin import ResponseTemplateForm, ServiceAttributeForm
from peygir.catalog.models import ResponseTemplate
from peygir.catalog.services import response_template_render, template_variables_unknown

CONTEXT = {
    "tracking_code": "۱۳۷-۴۵۸۲۱",
    "category": "پسماند و نظافت شهری",
    "unit": "منطقه ۶",
    "date": "۱۴۰۵/۰۱/۱۰",
    "citizen_name": "مریم احمدی",
}


@pytest.mark.django_db
def test_seeded_template_renders_every_variable():
    text = response_template_render(template=ResponseTemplate.objects.get(code="registered"), context=CONTEXT)
    assert text == (
        "مریم احمدی گرامی، پیام شما در موضوع «پسماند و نظافت شهری» با کد رهگیری ۱۳۷-۴۵۸۲۱ "
        "در تاریخ ۱۴۰۵/۰۱/۱۰ ثبت شد و برای رسیدگی به منطقه ۶ فرستاده شد."
    )


def test_unknown_and_missing_variables_stay_visible():
    text = response_template_render(
        template="{citizen_name}: {secret} {unit}", context={"citizen_name": "علی"}
    )
    assert text == "علی: {secret} {unit}"


def test_attribute_access_index_and_format_spec_are_not_evaluated():
    body = "{unit.__class__} {unit[0]} {date:%Y} {tracking_code!r}"
    assert response_template_render(template=body, context=CONTEXT) == body


def test_substituted_values_are_not_rescanned():
    text = response_template_render(
        template="{citizen_name} {tracking_code}",
        context={"citizen_name": "{tracking_code}", "tracking_code": "X1"},
    )
    assert text == "{tracking_code} X1"


def test_non_string_values_are_converted():
    assert response_template_render(template="کد {tracking_code}", context={"tracking_code": 42}) == "کد 42"


def test_unknown_variables_are_listed_once_in_order():
    assert template_variables_unknown("{a} {unit} {b} {a} {date}") == ["a", "b"]


@pytest.mark.django_db
def test_template_form_rejects_unknown_variables_in_persian():
    form = ResponseTemplateForm(
        data={"code": "x", "title": "x", "body": "سلام {name} {unit}", "resolution": ""}
    )
    assert form.is_valid() is False
    assert form.errors["body"] == [
        "متغیرهای ناشناخته: {name}. "
        "متغیرهای مجاز: {category}، {citizen_name}، {date}، {tracking_code}، {unit}."
    ]


@pytest.mark.django_db
def test_attribute_form_requires_values_for_list_types_only():
    base = {"code": "size", "description": "اندازه", "order": 0, "variable": True}
    form = ServiceAttributeForm(data={**base, "datatype": "singlevaluelist", "values": "[]"})
    assert form.is_valid() is False
    assert form.errors["values"] == [
        'برای این نوع داده، فهرستی از گزینه‌ها به شکل {"key": …, "name": …} لازم است.'
    ]
    form = ServiceAttributeForm(
        data={**base, "datatype": "number", "values": '[{"key": "a", "name": "الف"}]'}
    )
    assert form.errors["values"] == ["فقط ویژگی‌های چندگزینه‌ای گزینه دارند."]
    form = ServiceAttributeForm(
        data={
            **base,
            "datatype": "singlevaluelist",
            "values": '[{"key": "a", "name": "الف"}, {"key": "a", "name": "ب"}]',
        }
    )
    assert form.errors["values"] == ["کلید گزینه‌ها نباید تکراری باشد."]
    form = ServiceAttributeForm(
        data={**base, "datatype": "singlevaluelist", "values": '[{"key": "a", "name": "الف"}]'}
    )
    assert form.is_valid(), form.errors

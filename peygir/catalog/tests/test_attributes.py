"""Open311 attribute answers are checked and cleaned, with Persian messages for every kind of mistake."""

from __future__ import annotations

import datetime as dt

import pytest

from peygir.catalog.models import Service
from peygir.catalog.services import service_attributes_validate
from peygir.core.errors import ValidationError

pytestmark = pytest.mark.django_db


def validate(service_code: str, values: dict) -> dict:
    return service_attributes_validate(service=Service.objects.get(service_code=service_code), values=values)


def problems(service_code: str, values: dict) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        validate(service_code, values)
    assert raised.value.code == "invalid_attributes"
    errors: dict[str, str] = raised.value.extra["errors"]
    assert str(raised.value.detail) == "\n".join(errors.values())
    return errors


def test_good_answers_come_back_cleaned():
    assert validate("roads-pothole", {"pothole_size": "large", "lane": "roadway"}) == {
        "pothole_size": "large",
        "lane": "roadway",
    }
    assert validate(
        "finance-refund",
        {"amount": "۱۲٬۵۰۰٬۰۰۰", "payment_date": "2026-03-21T10:30:00+03:30", "reason": "  پرداخت  دوباره "},
    ) == {"amount": 12500000, "payment_date": "2026-03-21T07:00:00+00:00", "reason": "پرداخت دوباره"}


def test_numbers_accept_persian_arabic_and_latin_forms():
    assert validate("lighting-streetlight-out", {"lamp_count": "۳"}) == {"lamp_count": 3}
    assert validate("lighting-streetlight-out", {"lamp_count": "٤"}) == {"lamp_count": 4}
    assert validate("lighting-streetlight-out", {"lamp_count": 5}) == {"lamp_count": 5}
    assert validate("waste-construction-debris", {"volume_m3": "۲٫۵"}) == {"volume_m3": 2.5}


def test_datetime_without_offset_is_tehran_time_and_date_alone_is_midnight():
    assert validate("finance-refund", {"amount": 1, "payment_date": "۲۰۲۶-۰۳-۲۱ ۱۰:۳۰"})["payment_date"] == (
        "2026-03-21T07:00:00+00:00"
    )
    assert validate("finance-refund", {"amount": 1, "payment_date": "2026-03-21"})["payment_date"] == (
        "2026-03-20T20:30:00+00:00"
    )
    aware = dt.datetime(2026, 3, 21, 7, 0, tzinfo=dt.UTC)
    assert validate("finance-refund", {"amount": 1, "payment_date": aware})["payment_date"] == (
        "2026-03-21T07:00:00+00:00"
    )


def test_multivaluelist_takes_several_known_keys_once():
    assert validate("furniture-playground", {"equipment": ["swing", "slide", "swing"]}) == {
        "equipment": ["swing", "slide"]
    }
    assert validate("furniture-playground", {"equipment": "seesaw"}) == {"equipment": ["seesaw"]}


def test_empty_optional_answers_are_dropped():
    assert validate("roads-pothole", {"pothole_size": "small", "lane": ""}) == {"pothole_size": "small"}


def test_missing_required_answer_is_rejected():
    assert problems("roads-pothole", {"lane": "roadway"}) == {
        "pothole_size": "پاسخ به «اندازه چاله» الزامی است."
    }
    assert problems("furniture-playground", {"equipment": []}) == {
        "equipment": "پاسخ به «کدام وسیله آسیب دیده است؟» الزامی است."
    }


def test_value_outside_the_list_is_rejected():
    assert problems("roads-pothole", {"pothole_size": "huge"}) == {
        "pothole_size": "«اندازه چاله»: «huge» از گزینه‌های مجاز نیست."
    }
    assert problems("furniture-playground", {"equipment": ["swing", "trampoline"]}) == {
        "equipment": "«کدام وسیله آسیب دیده است؟»: «trampoline» از گزینه‌های مجاز نیست."
    }


@pytest.mark.parametrize("value", ["سه", "3.5.1", "1e3", True, [3]])
def test_non_number_is_rejected(value):
    assert problems("lighting-streetlight-out", {"lamp_count": value}) == {
        "lamp_count": "«تعداد چراغ‌های خاموش»: باید عدد باشد."
    }


@pytest.mark.parametrize("value", ["دیروز", "2026-13-01T10:00", "21/03/2026", 20260321])
def test_non_iso_datetime_is_rejected(value):
    assert problems("finance-refund", {"amount": 1, "payment_date": value}) == {
        "payment_date": "«تاریخ پرداخت»: باید تاریخ و زمان به قالب ISO 8601 باشد، "
        "مانند 2026-03-21T10:30:00+03:30."
    }


def test_unknown_keys_are_rejected():
    assert problems("roads-pothole", {"pothole_size": "small", "colour": "black"}) == {
        "colour": "ویژگی «colour» برای این خدمت تعریف نشده است."
    }
    assert problems("roads-sidewalk", {"anything": "x"}) == {
        "anything": "ویژگی «anything» برای این خدمت تعریف نشده است."
    }


def test_too_long_string_and_wrong_shape_are_rejected():
    assert problems("traffic-illegal-parking", {"plate": "۱" * 301}) == {
        "plate": "«پلاک خودرو»: حداکثر ۳۰۰ نویسه مجاز است."
    }
    assert problems("traffic-illegal-parking", {"plate": {"a": 1}}) == {
        "plate": "«پلاک خودرو»: باید متن باشد."
    }


def test_every_problem_is_reported_at_once():
    errors = problems("finance-refund", {"payment_date": "دیروز", "extra": 1})
    assert set(errors) == {"extra", "amount", "payment_date"}


def test_information_only_attributes_take_no_answer():
    service = Service.objects.get(service_code="roads-pothole")
    service.attributes.filter(code="lane").update(variable=False)
    with pytest.raises(ValidationError):
        service_attributes_validate(service=service, values={"pothole_size": "small", "lane": "roadway"})

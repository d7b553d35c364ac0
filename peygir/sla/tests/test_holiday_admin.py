"""Holidays are typed as Jalali dates (Persian digits welcome) in the form and the calendar admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from peygir.sla.admin import BusinessCalendarAdmin, HolidayAdmin
from peygir.sla.forms import HolidayForm
from peygir.sla.models import BusinessCalendar, Holiday

pytestmark = pytest.mark.django_db

BAD_DATE = "تاریخ شمسی معتبر نیست؛ آن را به شکل ۱۴۰۵/۰۱/۰۱ بنویسید."


@pytest.fixture
def calendar() -> BusinessCalendar:
    return BusinessCalendar.objects.get(is_default=True)


def test_form_accepts_a_jalali_date_in_persian_digits(calendar):
    form = HolidayForm(
        data={"calendar": calendar.pk, "date": "۱۴۰۵/۰۳/۰۶", "name": "تعطیلی قمری", "kind": "lunar"}
    )
    assert form.is_valid(), form.errors
    holiday = form.save()
    assert Holiday.objects.get(pk=holiday.pk).date == dt.date(2026, 5, 27)


@pytest.mark.parametrize("text", ["۱۴۰۵/۱۳/۰۱", "۱۴۰۵/۰۱/۳۲", "فردا", "2026-05-27x"])
def test_form_rejects_a_bad_jalali_date_in_persian(calendar, text):
    form = HolidayForm(data={"calendar": calendar.pk, "date": text, "name": "آزمون", "kind": "other"})
    assert form.is_valid() is False
    assert form.errors["date"] == [BAD_DATE]
    assert Holiday.objects.filter(name="آزمون").exists() is False


def test_form_rejects_a_second_holiday_on_the_same_day(calendar):
    form = HolidayForm(
        data={"calendar": calendar.pk, "date": "۱۴۰۵/۰۱/۰۱", "name": "تکراری", "kind": "solar"}
    )
    assert form.is_valid() is False
    assert form.errors["__all__"] == ["این روز قبلاً در این تقویم تعطیل ثبت شده است."]


def test_form_shows_the_stored_date_as_jalali(calendar):
    holiday = calendar.holidays.get(date=dt.date(2026, 3, 21))
    assert 'value="۱۴۰۵/۰۱/۰۱"' in str(HolidayForm(instance=holiday)["date"])
    data = {"calendar": calendar.pk, "date": "1405/1/1", "name": holiday.name, "kind": holiday.kind}
    assert HolidayForm(data=data, instance=holiday).has_changed() is False


@pytest.fixture
def admin_request():
    user = get_user_model().objects.create_superuser(
        username="sla-calendar-admin", password="x-secret-123", email=""
    )
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_calendar_admin_inline_saves_holidays_typed_in_jalali(calendar, admin_request):
    inline = BusinessCalendarAdmin(BusinessCalendar, admin.site).get_inline_instances(
        admin_request, calendar
    )[0]
    formset_class = inline.get_formset(admin_request, calendar)
    prefix = formset_class.get_default_prefix()
    existing = list(formset_class(instance=calendar, prefix=prefix).get_queryset())
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(existing) + 2),
        f"{prefix}-INITIAL_FORMS": str(len(existing)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, holiday in enumerate(existing):
        # An untouched row posts back what it showed: the Jalali text.
        data |= {
            f"{prefix}-{index}-id": str(holiday.pk),
            f"{prefix}-{index}-date": HolidayForm(instance=holiday)["date"].value(),
            f"{prefix}-{index}-name": holiday.name,
            f"{prefix}-{index}-kind": holiday.kind,
        }
    new = len(existing)
    data |= {
        f"{prefix}-{new}-date": "۱۴۰۵/۰۳/۰۶",
        f"{prefix}-{new}-name": "تعطیلی قمری",
        f"{prefix}-{new}-kind": "lunar",
        f"{prefix}-{new + 1}-date": "۱۴۰۵/۱۲/۳۰",  # 1405 is not a leap year
        f"{prefix}-{new + 1}-name": "نادرست",
        f"{prefix}-{new + 1}-kind": "other",
    }
    formset = formset_class(data=data, instance=calendar, prefix=prefix)
    assert formset.is_valid() is False
    assert formset.forms[new + 1].errors["date"] == [BAD_DATE]

    for field in ("date", "name", "kind"):
        del data[f"{prefix}-{new + 1}-{field}"]
    data[f"{prefix}-TOTAL_FORMS"] = str(len(existing) + 1)
    formset = formset_class(data=data, instance=calendar, prefix=prefix)
    assert formset.is_valid(), formset.errors
    formset.save()
    assert formset.forms[0].has_changed() is False
    assert calendar.holidays.get(date=dt.date(2026, 5, 27)).kind == Holiday.Kind.LUNAR
    assert calendar.holidays.count() == 31


def test_holiday_admin_lists_the_date_in_jalali(calendar):
    holiday_admin = HolidayAdmin(Holiday, admin.site)
    assert holiday_admin.jalali_date(calendar.holidays.get(date=dt.date(2026, 3, 20))) == "۱۴۰۴/۱۲/۲۹"

"""The whole life of a case in the browser: a citizen's phone, the district officer's desk, the rating."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import expect

from peygir.cases.models import Case
from peygir.core.text import to_persian_digits
from peygir.feedback.models import Rating

from .conftest import DESKTOP, PHONE
from .steps import (
    POINT_6,
    RESPONSE,
    citizen_sign_in,
    fill_registration,
    jpeg_with_gps,
    kartable_search,
    staff_sign_in,
    submit_registration,
)

MOBILE = "09123456789"


def test_a_waste_report_from_a_phone_is_answered_by_district_6_and_rated_by_the_citizen(
    new_page: Any, tmp_path: Path, officer6: Any, district6: Any
) -> None:
    citizen = new_page(PHONE)
    citizen.goto("/")
    citizen.locator(".portal-hero").get_by_role("link", name="ثبت پیام").click()
    expect(citizen.get_by_role("heading", name="ثبت پیام در سامانه ۱۳۷")).to_be_visible()

    # The citizen gives their mobile by signing in from the form (a case is theirs to rate only when
    # registered signed in) and comes back to the form.
    citizen.get_by_role("link", name="ورود با تلفن همراه").click()
    citizen_sign_in(citizen, MOBILE)
    expect(citizen).to_have_url(re.compile(r"/register/$"))
    expect(citizen.locator("bdi.ltr")).to_have_text(to_persian_digits(MOBILE))

    fill_registration(citizen, photo=jpeg_with_gps(tmp_path / "kooche.jpg"))
    registered = submit_registration(citizen)
    expect(citizen.locator(".confirmation dl.facts")).to_contain_text("منطقه ۶")

    officer = new_page(DESKTOP)
    staff_sign_in(officer, "officer6")
    rows = kartable_search(officer, registered.tracking_code)
    expect(rows).to_have_count(1)
    expect(rows).to_have_text(to_persian_digits(registered.tracking_code))
    rows.click()
    expect(officer.locator(".case-code")).to_have_text(to_persian_digits(registered.tracking_code))
    expect(officer.locator(".photos img")).to_have_count(1)
    officer.locator("button[data-action=accept]").click()
    expect(officer.locator(".case-head .badge").first).to_have_text("در حال رسیدگی")
    officer.locator("summary[data-action=respond]").click()
    officer.get_by_label("نتیجه رسیدگی").select_option("fixed")
    officer.get_by_label("متن پاسخ به شهروند").fill(RESPONSE)
    officer.locator("form[action$='/actions/respond/']").get_by_role("button").click()
    expect(officer.locator(".case-head .badge").first).to_have_text("پاسخ داده‌شده")

    citizen.locator(".site-nav").get_by_role("link", name="پیگیری پیام").click()
    citizen.get_by_label("کد رهگیری").fill(to_persian_digits(registered.tracking_code))
    citizen.get_by_role("button", name="پیگیری", exact=True).click()
    expect(citizen.locator(".response-text")).to_have_text(RESPONSE)
    expect(citizen.locator(".response")).to_contain_text("رفع شد")

    citizen.get_by_role("link", name="امتیاز، اعتراض و پاسخ").click()
    citizen.locator(".rating-stars label", has_text="۴ ستاره").click()
    citizen.get_by_label("بله").check()
    citizen.get_by_role("button", name="ثبت نظر").click()
    expect(citizen.get_by_text("از نظر شما سپاسگزاریم.")).to_be_visible()
    expect(citizen.get_by_role("region", name="نظر شما درباره این پاسخ")).to_contain_text("۴ از ۵")

    case = Case.objects.get(tracking_code=registered.tracking_code)
    # The citizen confirmed the fix with a good score: the case closes at once.
    assert case.phase == Case.Phase.CLOSED
    assert case.resolution == Case.Resolution.FIXED
    assert case.response_text == RESPONSE
    assert case.district_id == district6.pk
    # Where the click put the pin: within a pixel or two of the point at the map's zoom.
    assert case.lat is not None and case.lon is not None
    assert abs(case.lat - POINT_6[0]) < 0.002 and abs(case.lon - POINT_6[1]) < 0.002, (case.lat, case.lon)
    assert case.citizen is not None and case.citizen.mobile == MOBILE
    photo = case.attachments.get()
    with Image.open(photo.file.path) as stored:
        assert (stored.format, dict(stored.getexif()), "exif" in stored.info) == ("JPEG", {}, False)
    rating = Rating.objects.get(case=case)
    assert (rating.score, rating.fixed, rating.citizen_id) == (4, True, case.citizen_id)
    assert citizen.errors == officer.errors == []

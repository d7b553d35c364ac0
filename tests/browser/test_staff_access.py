"""Who reaches what on the staff pages, in the browser: scope and the supervisor's second factor."""

from __future__ import annotations

import re
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE
from .steps import authenticator_code, kartable_search, register_case, staff_password, staff_sign_in


def test_an_officer_of_district_7_cannot_open_or_list_a_district_6_case(new_page: Any, officer7: Any) -> None:
    registered = register_case(new_page(PHONE))

    officer = new_page(DESKTOP)
    staff_sign_in(officer, "officer7")
    expect(officer.locator("#kartable-rows")).not_to_contain_text(registered.tracking_code)
    rows = kartable_search(officer, registered.tracking_code)
    expect(rows).to_have_count(0)
    expect(officer.locator("#kartable-rows")).to_have_text("پرونده‌ای با این شرایط نیست.")

    response = officer.goto(f"/staff/cases/{registered.public_id}/")
    assert response is not None and response.status == 404
    expect(officer.get_by_role("heading", name="صفحه‌ای که دنبالش هستید پیدا نشد.")).to_be_visible()
    expect(officer.locator("html")).to_have_attribute("lang", "fa")
    expect(officer.locator(".case-code")).to_have_count(0)
    assert officer.errors == []


def test_a_supervisor_must_enrol_an_authenticator_before_the_kartable_and_the_overdue_board(
    new_page: Any, supervisor: Any
) -> None:
    page = new_page(DESKTOP)
    staff_password(page, "supervisor")
    expect(page).to_have_url(re.compile(r"/staff/2fa/setup/"))
    expect(page.get_by_role("heading", name="فعال‌سازی ورود دومرحله‌ای")).to_be_visible()
    qr = page.get_by_role("img", name="کد QR برای افزودن حساب به برنامه احراز هویت")
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert qr.evaluate("img => img.complete && img.naturalWidth") > 0

    # The password alone opens no staff page; enrolment then goes on to the page that was asked for.
    page.goto("/staff/overdue/")
    expect(page).to_have_url(re.compile(r"/staff/2fa/setup/\?next=%2Fstaff%2Foverdue%2F$"))

    page.get_by_label("کد شش‌رقمی برنامه").fill(authenticator_code(supervisor))
    page.get_by_role("button", name="تأیید و فعال‌سازی").click()
    expect(page.get_by_text("ورود دومرحله‌ای فعال شد.")).to_be_visible()
    expect(page.get_by_role("heading", name="پرونده‌های دارای تأخیر در سطح شهر")).to_be_visible()
    page.locator(".site-nav").get_by_role("link", name="کارتابل").click()
    expect(page.get_by_role("heading", name="کارتابل", exact=True)).to_be_visible()

    assert TOTPDevice.objects.get(user=supervisor).confirmed is True
    assert page.errors == []

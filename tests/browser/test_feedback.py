"""The satisfaction survey on a phone, and the supervisor's feedback pages, in the browser."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from peygir.cases.models import Case
from peygir.cases.services import case_submit, case_transition
from peygir.cases.survey import survey_token
from peygir.feedback.models import Rating

from .conftest import DESKTOP, PHONE, screenshot
from .steps import supervisor_sign_in


def _responded(officer: Any) -> Case:
    case = case_submit(
        channel=Case.Channel.WEB,
        message_type="request",
        category="waste",
        description="زباله‌های کوچه سه روز است جمع‌آوری نشده است.",
        lat=35.72617,
        lon=51.40322,
        contact_phone="09121110000",
    ).case
    case = case_transition(case=case, action="accept", actor=officer)
    return case_transition(
        case=case, action="respond", actor=officer, resolution="fixed", note="پسماند کوچه امروز جمع‌آوری شد."
    )


def test_a_citizen_answers_the_survey_on_a_phone_and_the_supervisor_reviews_it(
    new_page: Any, officer6: Any, supervisor: Any
) -> None:
    case = _responded(officer6)
    page = new_page(PHONE)
    page.goto(f"/survey/{survey_token(case)}/")
    expect(page.get_by_role("heading", name="نظر شما درباره پاسخ")).to_be_visible()
    expect(page.get_by_text("پسماند کوچه امروز جمع‌آوری شد.")).to_be_visible()
    screenshot(page, "feedback-survey-phone")
    page.locator(".rating-stars label").nth(1).click()  # two stars
    page.locator(".choice", has_text="نه").click()
    page.get_by_label("توضیح (اختیاری)").fill("هنوز کیسه‌ها کنار کوچه است.")
    page.get_by_role("button", name="ثبت نظر").click()
    expect(page.get_by_text("نظر شما ثبت شد و پیام دوباره برای رسیدگی باز شد.")).to_be_visible()
    expect(page.locator("#survey-used")).to_be_visible()
    screenshot(page, "feedback-survey-answered-phone")
    rating = Rating.objects.get()
    assert (rating.score, rating.fixed, rating.objected) == (2, False, True)
    assert Case.objects.get(pk=case.pk).phase == "in_progress"
    assert page.errors == [] and page.csp_violations == []

    staff = new_page(DESKTOP)
    supervisor_sign_in(staff, supervisor)
    staff.locator(".nav-more > summary").click()
    staff.locator(".site-nav").get_by_role("link", name="نظرهای شهروندان").click()
    expect(staff.get_by_role("heading", name="بازبینی نظرهای شهروندان")).to_be_visible()
    expect(staff.locator("#feedback-queue")).to_contain_text("هنوز کیسه‌ها کنار کوچه است.")
    screenshot(staff, "feedback-queue-desktop")
    staff.get_by_role("button", name="پاسخ بی‌کیفیت").click()
    expect(staff.get_by_text("نظری برای بازبینی نیست.")).to_be_visible()

    staff.goto(f"/staff/cases/{case.public_id}/")
    expect(staff.locator("#feedback-panel")).to_contain_text("پاسخ بی‌کیفیت")
    staff.locator("#feedback-panel summary", has_text="ویژه کردن پرونده").click()
    staff.locator("#feedback-panel .choice", has_text="ویژه است").click()
    staff.locator("#feedback-panel").get_by_label("ارزش مالی برآوردی (ریال)").fill("۲۵۰۰۰۰۰۰۰۰")
    staff.locator("#feedback-panel").get_by_role("button", name="ثبت").click()
    expect(staff.get_by_text("ویژه شد.")).to_be_visible()
    screenshot(staff, "feedback-case-panel-desktop")
    staff.locator(".nav-more > summary").click()
    staff.locator(".site-nav").get_by_role("link", name="پرونده‌های ویژه").click()
    expect(staff.locator("#special-totals")).to_contain_text("۲٬۵۰۰٬۰۰۰٬۰۰۰")
    screenshot(staff, "feedback-special-board-desktop")
    staff.get_by_role("link", name="گزارش دوره‌ای").click()
    expect(staff.locator("#special-report tfoot")).to_contain_text("۲٬۵۰۰٬۰۰۰٬۰۰۰")
    screenshot(staff, "feedback-special-report-desktop")
    assert staff.errors == [] and staff.csp_violations == []

"""The evaluation pages in Chromium: the table, a scorecard and the live dashboard, screenshotted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from peygir.cases.models import Case
from peygir.cases.services import case_submit
from peygir.performance.rollups import rollup_consume_all

from .conftest import DESKTOP, screenshot
from .steps import check_page, supervisor_sign_in


def test_supervisor_reads_the_evaluation_scorecard_and_dashboard(new_page: Any, org_tree: Any) -> None:
    for lat, lon, category in (
        (35.72617, 51.40322, "waste"),
        (35.72193, 51.44392, "lighting"),
        (35.72617, 51.40322, "waste"),
    ):
        case_submit(
            channel=Case.Channel.PHONE,
            message_type="request",
            category=category,
            description="چراغ‌های کوچه خاموش است و زباله جمع نشده.",
            lat=lat,
            lon=lon,
            contact_phone="09121112233",
        )
    rollup_consume_all(lag=dt.timedelta(0))
    page = new_page(DESKTOP)
    supervisor_sign_in(page, get_user_model().objects.get(username="supervisor"))

    page.locator(".nav-more > summary").click()
    page.get_by_role("link", name="ارزیابی", exact=True).click()
    expect(page.locator("#evaluation-table tbody tr")).to_have_count(22)
    check_page(page, phone=False)
    screenshot(page, "performance-evaluation")

    page.locator('#evaluation-table tr[data-unit="district-6"] th a').click()
    expect(page.locator("#scorecard-table")).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(1)
    check_page(page, phone=False)
    screenshot(page, "performance-scorecard")

    page.get_by_role("link", name="داشبورد", exact=True).click()
    expect(page.locator("#today-count")).to_have_text("۳")
    expect(page.locator("#dashboard-map .leaflet-interactive")).to_have_count(2)
    check_page(page, phone=False)
    screenshot(page, "performance-dashboard")

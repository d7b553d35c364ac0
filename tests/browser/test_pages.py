"""The main pages at phone and desktop widths (screenshots in var/screenshots/), the keyboard, English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from peygir.core.text import to_persian_digits

from .conftest import DESKTOP, PHONE, screenshot
from .steps import (
    check_page,
    fill_registration,
    jpeg_with_gps,
    kartable_search,
    staff_sign_in,
    submit_registration,
    supervisor_sign_in,
)


@pytest.mark.parametrize(
    ("width", "viewport"),
    [pytest.param("phone", PHONE, id="phone"), pytest.param("desktop", DESKTOP, id="desktop")],
)
def test_the_main_pages_are_persian_right_to_left_clean_and_fit_the_screen(
    new_page: Any, tmp_path: Path, supervisor: Any, officer6: Any, width: str, viewport: dict[str, int]
) -> None:
    phone = width == "phone"

    def shot(page: Any, name: str) -> None:
        check_page(page, phone=phone)
        screenshot(page, f"{name}-{width}")

    citizen = new_page(viewport)
    citizen.goto("/")
    expect(citizen.locator(".home-categories li")).to_have_count(17)
    shot(citizen, "home")

    citizen.locator(".portal-hero").get_by_role("link", name="ثبت پیام").click()
    fill_registration(
        citizen, photo=jpeg_with_gps(tmp_path / "photo.jpg"), name="سارا محمدی", phone="۰۹۱۲۱۱۱۰۰۰۰"
    )
    shot(citizen, "register-filled")

    registered = submit_registration(citizen)
    shot(citizen, "confirmation")

    citizen.get_by_role("link", name="پیگیری این پیام").click()
    expect(citizen.locator(".photos img")).to_have_count(1)
    expect(citizen.locator(".timeline li")).not_to_have_count(0)
    shot(citizen, "tracking")

    officer = new_page(viewport)
    staff_sign_in(officer, "officer6")
    expect(officer.locator("#kartable-rows a.code-link")).to_have_text(
        [to_persian_digits(registered.tracking_code)]
    )
    shot(officer, "kartable")

    kartable_search(officer, registered.tracking_code).click()
    expect(officer.locator("#case-map.leaflet-container")).to_be_visible()
    expect(officer.locator(".photos img")).to_have_count(1)
    shot(officer, "case")

    chief = new_page(viewport)
    supervisor_sign_in(chief, supervisor)
    chief.locator(".site-nav").get_by_role("link", name="نقشه").click()
    expect(chief.locator("#map-status")).to_contain_text("کانون‌ها")
    expect(chief.locator("#cases-map .leaflet-interactive").first).to_be_attached()
    shot(chief, "supervisor-map")


def test_the_register_form_is_reached_in_order_from_the_keyboard_with_visible_focus(new_page: Any) -> None:
    page = new_page(DESKTOP)
    page.goto("/register/")
    expect(page.locator("#location-map.leaflet-container")).to_be_attached()
    # What has focus, and whether it shows: a category's radio is invisible, its card shows the ring.
    describe = """() => {
        const el = document.activeElement;
        const shown = el.matches('.category-option input') ? el.labels[0] : el;
        const style = getComputedStyle(shown);
        const stop = el.id === 'category-search' ? 'search'
            : el.name === 'category' ? 'category'
            : el.id === 'id_description' ? 'description'
            : el.closest('.submit-row') ? 'submit' : '';
        return {stop, visible: style.boxShadow !== 'none' || style.outlineStyle !== 'none',
                where: el.tagName + '#' + el.id};
    }"""
    stops: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focus = page.evaluate(describe)
        if focus["stop"]:
            assert focus["visible"], f"no visible focus on {focus['where']}"
            stops.append(focus["stop"])
            if focus["stop"] == "category":
                page.keyboard.press("Space")  # choose the category without a mouse
                expect(page.locator("#category-list input:checked")).to_have_count(1)
        if focus["stop"] == "submit":
            break
    assert stops == ["search", "category", "description", "submit"]
    assert page.errors == []


def test_the_language_button_switches_the_home_page_to_english_left_to_right(new_page: Any) -> None:
    page = new_page(PHONE)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("button", name="فارسی")).to_be_visible()
    assert page.url.endswith("/")
    assert page.errors == page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "home-english-phone")

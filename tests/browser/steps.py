"""What a person does in the browser, step by step, shared by the browser tests.

Everything goes through the pages as a person would; the database is read only for what a person
could not type (the SMS code, the authenticator's code) and by the tests' final assertions.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import expect

from peygir.core.text import to_persian_digits
from peygir.notifications.selectors import last_notification_to_phone

DEMO_PASSWORD = "peygir-demo"
# Well inside the demo (approximate) boundaries of districts 6 and 7.
POINT_6 = (35.72617, 51.40322)
POINT_7 = (35.72193, 51.44392)
DESCRIPTION = "زباله‌های کوچه از سه روز پیش جمع‌آوری نشده و بوی بد همه‌جا را گرفته است."
RESPONSE = "مأموران خدمات شهری امروز صبح زباله‌های کوچه را جمع‌آوری و محل را شست‌وشو کردند."


@dataclass(frozen=True)
class Registered:
    tracking_code: str
    public_id: str


def jpeg_with_gps(path: Path) -> Path:
    """A real JPEG photo with camera and GPS EXIF tags, as a phone would take it."""
    image = Image.new("RGB", (640, 480), (196, 120, 48))
    for x in range(0, 640, 40):  # some structure, so the encoder has something to keep
        image.paste((40, 90, 120), (x, 0, x + 20, 480))
    exif = image.getexif()
    exif[0x010F] = "PeygirCam"  # Make
    exif[0x0110] = "Model 137"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (35.0, 43.0, 34.2)
    gps[3] = "E"
    gps[4] = (51.0, 24.0, 11.6)
    image.save(path, "JPEG", exif=exif, quality=90)
    assert Image.open(path).getexif().get_ifd(0x8825)[1] == "N"  # the photo really carries a location
    return path


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _pin_at(page: Any, x: float, y: float) -> tuple[float, float]:
    before = page.locator("#id_lat").input_value()
    page.locator("#location-map").click(position={"x": x, "y": y})
    expect(page.locator("#id_lat")).not_to_have_value(before)
    return float(page.locator("#id_lat").input_value()), float(page.locator("#id_lon").input_value())


def place_pin(page: Any, lat: float, lon: float) -> tuple[float, float]:
    """Click the location map where (lat, lon) is; returns what the page filled in.

    The map shows no tiles in the tests, so the spot is found as a person with a grid would: two
    clicks read off the map's scale (the pin moves each time), then a click on the computed pixel.
    """
    box = page.locator("#location-map")
    box.scroll_into_view_if_needed()
    expect(box).to_have_class(re.compile(r"leaflet-container"))
    size = box.bounding_box()
    ax, ay = size["width"] / 2, size["height"] / 2
    bx, by = ax - 60, ay + 60  # away from where the target and the pin's icon will be
    lat_a, lon_a = _pin_at(page, ax, ay)
    lat_b, lon_b = _pin_at(page, bx, by)
    x = ax + (lon - lon_a) * (bx - ax) / (lon_b - lon_a)
    y = ay + (_mercator_y(lat) - _mercator_y(lat_a)) * (by - ay) / (_mercator_y(lat_b) - _mercator_y(lat_a))
    assert 0 < x < size["width"] and 0 < y < size["height"], (x, y, size)
    _pin_at(page, x, y)
    expect(page.locator("#map-status")).to_have_text("مکان روی نقشه مشخص شد.")
    return float(page.locator("#id_lat").input_value()), float(page.locator("#id_lon").input_value())


def fill_registration(
    page: Any,
    *,
    photo: Path | None = None,
    point: tuple[float, float] = POINT_6,
    name: str = "",
    phone: str = "",
) -> None:
    """On the register page: the waste category through the search, a description, a pin, a photo."""
    page.get_by_label("جست‌وجوی موضوع").fill("زباله")
    waste = page.locator(".category-option", has=page.locator("#cat-waste"))
    expect(waste).to_be_visible()
    expect(page.locator(".category-option:not(.hidden)")).not_to_have_count(17)
    waste.locator("label").click()
    expect(page.locator("#cat-waste")).to_be_checked()
    page.get_by_label("شرح پیام").fill(DESCRIPTION)
    place_pin(page, *point)
    if photo is not None:
        page.locator("#id_photos").set_input_files(str(photo))
    if name:
        page.get_by_label("نام و نام خانوادگی").fill(name)
    if phone:
        page.get_by_label("تلفن همراه").fill(phone)


def submit_registration(page: Any) -> Registered:
    """Send the filled register form; returns the tracking code the confirmation page shows."""
    page.locator(".submit-row").get_by_role("button", name="ثبت پیام").click()
    expect(page.get_by_role("heading", name="پیام شما ثبت شد")).to_be_visible()
    code = page.locator(".tracking-code-latin").inner_text().strip()
    expect(page.locator(".confirmation .tracking-code")).to_have_text(to_persian_digits(code))
    public_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    return Registered(tracking_code=code, public_id=public_id)


def register_case(page: Any, *, photo: Path | None = None, phone: str = "09121110000") -> Registered:
    """A citizen registers a waste case in district 6 with a photo, as a guest giving a mobile."""
    page.goto("/register/")
    fill_registration(page, photo=photo, name="سارا محمدی", phone=phone)
    return submit_registration(page)


def citizen_sign_in(page: Any, mobile: str) -> None:
    """Sign in on the login page in front of the browser, with the code from the SMS outbox."""
    page.get_by_label("شماره تلفن همراه").fill(mobile)
    page.get_by_role("button", name="دریافت کد").click()
    expect(page.get_by_role("heading", name="کد ورود را وارد کنید")).to_be_visible()
    sms = last_notification_to_phone(mobile, "otp")
    assert sms is not None
    code = re.search(r"[0-9۰-۹]{6}", sms.body)
    assert code is not None, sms.body
    page.get_by_label("کد شش‌رقمی").fill(code.group())  # as the SMS shows it, in Persian digits
    page.get_by_role("button", name="ورود", exact=True).click()
    expect(page.get_by_text("خوش آمدید؛ وارد شدید.")).to_be_visible()


def staff_password(page: Any, username: str) -> None:
    page.goto("/staff/login/")
    page.get_by_label("نام کاربری").fill(username)
    page.get_by_label("گذرواژه").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()


def staff_sign_in(page: Any, username: str) -> None:
    """An officer signs in with the password alone and lands on the kartable."""
    staff_password(page, username)
    expect(page.get_by_role("heading", name="کارتابل", exact=True)).to_be_visible()


def authenticator_code(user: Any) -> str:
    """What the supervisor's authenticator app shows now, for the device being enrolled."""
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def supervisor_sign_in(page: Any, user: Any) -> None:
    """A supervisor signs in: password, then enrols the authenticator, then reaches the kartable."""
    staff_password(page, user.username)
    expect(page.get_by_role("heading", name="فعال‌سازی ورود دومرحله‌ای")).to_be_visible()
    page.get_by_label("کد شش‌رقمی برنامه").fill(authenticator_code(user))
    page.get_by_role("button", name="تأیید و فعال‌سازی").click()
    expect(page.get_by_role("heading", name="کارتابل", exact=True)).to_be_visible()


def kartable_search(page: Any, code: str) -> Any:
    """Search the kartable for a tracking code; returns the rows' case links."""
    page.get_by_label("جست‌وجو در شرح، نشانی یا کد رهگیری").fill(code)
    page.get_by_role("button", name="اعمال").click()
    expect(page.get_by_label("جست‌وجو در شرح، نشانی یا کد رهگیری")).to_have_value(code)
    return page.locator("#kartable-rows a.code-link")


def check_page(page: Any, *, phone: bool) -> None:
    """What every page must be: Persian and right to left, no script errors, nothing blocked by the
    Content-Security-Policy, and on a phone no sideways scrolling."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")
    assert page.errors == []
    assert page.csp_violations == []
    if phone:
        # Measured once the stylesheets (Leaflet's among them) have applied, not while they load.
        page.wait_for_load_state("load")
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width + 1, f"{page.url}: {scroll_width}px wide in {inner_width}px"

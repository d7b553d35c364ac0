from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from peygir.audit.models import AuditEntry
from peygir.staff.selectors import two_factor_required

from .conftest import sign_in

PASSWORD = "peygir-demo"


def _post_login(client: Client, username: str, password: str = PASSWORD, next_url: str = ""):
    return client.post("/staff/login/", {"username": username, "password": password, "next": next_url})


def _token(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


@pytest.mark.django_db
def test_two_factor_is_required_for_managers_supervisors_admins_and_superusers_only(
    officer6, officer7, manager6, supervisor, agent, admin_user_persona, integrity_handler, citizen
):
    assert [
        two_factor_required(user)
        for user in (
            officer6,
            officer7,
            manager6,
            supervisor,
            agent,
            admin_user_persona,
            integrity_handler,
            citizen,
        )
    ] == [False, False, True, True, False, True, False, False]


@pytest.mark.django_db
def test_superuser_without_membership_needs_two_factor(integrity_handler):
    integrity_handler.is_superuser = True
    assert two_factor_required(integrity_handler) is True


@pytest.mark.django_db
def test_sign_in_page_renders_with_csrf_token():
    response = Client(enforce_csrf_checks=True).get("/staff/login/")
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert "ورود کارکنان" in response.content.decode()


@pytest.mark.django_db
def test_officer_signs_in_with_password_and_lands_on_the_kartable(officer6):
    client = Client()
    response = _post_login(client, "officer6")
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_refused_in_persian_and_nobody_is_signed_in(officer6):
    client = Client()
    response = _post_login(client, "officer6", "wrong-password")
    assert response.status_code == 401
    assert "نام کاربری یا گذرواژه درست نیست." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failed_passwords_are_rate_limited(officer6):
    client = Client()
    for _attempt in range(10):
        _post_login(client, "officer6", "wrong-password")
    response = _post_login(client, "officer6")
    assert response.status_code == 429
    assert "تلاش‌های ناموفق زیاد بوده است" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_next_is_followed_only_on_this_site(officer6):
    assert (
        _post_login(Client(), "officer6", next_url="/staff/notifications/")["Location"]
        == "/staff/notifications/"
    )
    assert _post_login(Client(), "officer6", next_url="https://evil.example/")["Location"] == "/staff/"


@pytest.mark.django_db
def test_manager_without_device_is_sent_to_enrolment_and_cannot_see_the_kartable(manager6):
    client = Client()
    response = _post_login(client, "manager6")
    assert response.status_code == 302
    assert response["Location"] == "/staff/2fa/setup/?next=%2Fstaff%2F"
    kartable = client.get("/staff/")
    assert kartable.status_code == 302
    assert kartable["Location"] == "/staff/2fa/setup/?next=%2Fstaff%2F"
    assert client.get("/staff/overdue/").status_code == 302


@pytest.mark.django_db
def test_enrolment_shows_the_qr_code_and_secret_and_confirms_with_a_code(manager6):
    client = Client()
    _post_login(client, "manager6")
    page = client.get("/staff/2fa/setup/")
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=manager6)
    assert device.confirmed is False
    assert 'src="data:image/svg+xml;base64,' in body
    from base64 import b32encode

    assert f'data-copy="{b32encode(device.bin_key).decode()}"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    # Reloading keeps the same secret (a scanned QR code stays valid).
    client.get("/staff/2fa/setup/")
    assert TOTPDevice.objects.get(user=manager6).key == device.key

    response = client.post("/staff/2fa/setup/", {"code": _token(device), "next": "/staff/"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/staff/").status_code == 200
    assert AuditEntry.objects.filter(action="staff.totp_enrol", object_id=str(device.pk)).count() == 1


@pytest.mark.django_db
def test_enrolment_with_a_wrong_code_confirms_nothing(manager6):
    client = Client()
    _post_login(client, "manager6")
    client.get("/staff/2fa/setup/")
    device = TOTPDevice.objects.get(user=manager6)
    wrong = f"{(int(_token(device)) + 1) % 1_000_000:06d}"
    response = client.post("/staff/2fa/setup/", {"code": wrong})
    assert response.status_code == 422
    assert "کد واردشده درست نیست" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/staff/")["Location"].startswith("/staff/2fa/setup/")


@pytest.mark.django_db
def test_manager_with_a_device_enters_a_code_and_a_wrong_one_is_refused(manager6):
    device = TOTPDevice.objects.create(user=manager6, name="phone", confirmed=True)
    client = Client()
    response = _post_login(client, "manager6")
    assert response["Location"] == "/staff/login/verify/?next=%2Fstaff%2F"
    # With a confirmed device the enrolment page cannot replace it.
    assert client.get("/staff/2fa/setup/")["Location"].startswith("/staff/login/verify/")
    assert TOTPDevice.objects.filter(user=manager6).count() == 1

    wrong = f"{(int(_token(device)) + 1) % 1_000_000:06d}"
    refused = client.post("/staff/login/verify/", {"code": wrong, "next": "/staff/"})
    assert refused.status_code == 422
    assert "کد واردشده درست نیست" in refused.content.decode()
    assert client.get("/staff/")["Location"].startswith("/staff/login/verify/")

    # django-otp makes the next try wait after a failure; a little later the right code works.
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5)):
        accepted = client.post("/staff/login/verify/", {"code": _token(device), "next": "/staff/"})
        assert accepted.status_code == 302
        assert accepted["Location"] == "/staff/"
        assert client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_code_right_after_a_failure_is_refused_as_too_fast(manager6):
    device = TOTPDevice.objects.create(user=manager6, name="phone", confirmed=True)
    client = Client()
    _post_login(client, "manager6")
    client.post("/staff/login/verify/", {"code": "000000"})
    response = client.post("/staff/login/verify/", {"code": _token(device)})
    assert response.status_code == 429
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_many_wrong_codes_lock_the_second_factor_for_a_while(manager6):
    device = TOTPDevice.objects.create(user=manager6, name="phone", confirmed=True)
    client = Client()
    _post_login(client, "manager6")
    start = timezone.now()
    for attempt in range(5):
        with time_machine.travel(start + timezone.timedelta(seconds=40 * (attempt + 1))):
            client.post("/staff/login/verify/", {"code": "000000"})
    with time_machine.travel(start + timezone.timedelta(seconds=600)):
        response = client.post("/staff/login/verify/", {"code": _token(device)})
    assert response.status_code == 429
    assert "کدهای نادرست زیادی وارد شده است" in response.content.decode()


@pytest.mark.django_db
def test_second_factor_pages_send_people_who_need_none_onwards(officer6):
    client = sign_in(Client(), officer6)
    assert client.get("/staff/login/verify/")["Location"] == "/staff/"
    assert client.get("/staff/2fa/setup/")["Location"] == "/staff/"
    assert Client().get("/staff/login/verify/")["Location"] == "/staff/login/"


@pytest.mark.django_db
def test_sign_out_is_a_post_and_ends_the_session(officer6):
    client = sign_in(Client(), officer6)
    assert client.get("/staff/logout/").status_code == 405
    response = client.post("/staff/logout/")
    assert response["Location"] == "/staff/login/"
    assert client.get("/staff/")["Location"] == "/staff/login/?next=/staff/"


@pytest.mark.django_db
def test_sessions_expire_after_eight_hours(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600

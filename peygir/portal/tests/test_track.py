from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from peygir.cases.attachments import attachment_add
from peygir.cases.services import case_add_note, case_transition

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


def _wrong_check_digit(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def test_confirmation_of_someone_elses_case_is_404(client, case6):
    response = client.get(reverse("portal:registered", kwargs={"public_id": case6.public_id}))
    assert response.status_code == 404


def test_confirmation_of_an_unknown_case_is_404(client, org_tree):
    response = client.get(reverse("portal:registered", kwargs={"public_id": uuid.uuid4()}))
    assert response.status_code == 404


def test_confirmation_opens_for_the_signed_in_owner(client, citizen, case6):
    client.force_login(citizen)
    response = client.get(reverse("portal:registered", kwargs={"public_id": case6.public_id}))
    html = response.content.decode()
    assert response.status_code == 200
    assert case6.tracking_code in html
    assert case6.unit.name in html


def test_confirmation_is_404_for_another_signed_in_citizen(client, citizen_b, case6):
    client.force_login(citizen_b)
    response = client.get(reverse("portal:registered", kwargs={"public_id": case6.public_id}))
    assert response.status_code == 404


def test_tracking_form_renders(client, org_tree):
    response = client.get(reverse("portal:track"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_tracking_form_redirects_a_good_code_with_persian_digits(client, case6):
    persian = case6.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = client.get(reverse("portal:track"), {"code": persian})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:track_case", kwargs={"code": case6.tracking_code})


def test_a_mistyped_code_shows_the_form_with_a_persian_message(client, case6):
    response = client.get(reverse("portal:track"), {"code": _wrong_check_digit(case6.tracking_code)})
    assert response.status_code == 422
    assert "کد رهگیری نادرست است؛ لطفاً آن را دوباره بررسی کنید." in response.content.decode()
    page = client.get(reverse("portal:track_case", kwargs={"code": _wrong_check_digit(case6.tracking_code)}))
    assert page.status_code == 422
    assert "کد رهگیری نادرست است" in page.content.decode()


def test_an_unknown_valid_code_is_not_found(client, case6):
    from peygir.cases.tracking import damm_digit

    body = "12345678" if not case6.tracking_code.startswith("12345678") else "87654321"
    response = client.get(reverse("portal:track_case", kwargs={"code": body + str(damm_digit(body))}))
    assert response.status_code == 404
    assert "پرونده‌ای با این کد رهگیری پیدا نشد." in response.content.decode()


def test_tracking_shows_status_and_response_but_no_personal_data(client, submit, officer6, respond):
    case = submit(contact_name="پرویز رازدار", contact_phone="09351112233")
    case = case_transition(case=case, action="accept", actor=officer6, internal_note="همسایه مزاحم است")
    case_add_note(case=case, actor=officer6, internal_note="یادداشت محرمانه کارشناس")
    case = case_transition(
        case=case, action="respond", actor=officer6, resolution="fixed", note="مخزن تخلیه شد."
    )
    response = client.get(reverse("portal:track_case", kwargs={"code": case.tracking_code}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "به پیام شما پاسخ داده شده است." in html
    assert "مخزن تخلیه شد." in html
    assert "رفع شد" in html
    for secret in (
        "پرویز رازدار",
        "09351112233",
        "۰۹۳۵۱۱۱۲۲۳۳",
        officer6.username,
        "همسایه مزاحم است",
        "یادداشت محرمانه",
    ):
        assert secret not in html


def test_tracking_shows_only_public_photos_and_serves_them(client, case6, officer6):
    public = attachment_add(case=case6, data=jpeg_with_gps())
    internal = attachment_add(case=case6, data=jpeg_with_gps((30, 30)), actor=officer6, is_public=False)
    html = client.get(reverse("portal:track_case", kwargs={"code": case6.tracking_code})).content.decode()
    assert str(public.public_id) in html
    assert str(internal.public_id) not in html
    served = client.get(
        reverse("portal:track_photo", kwargs={"code": case6.tracking_code, "photo_id": public.public_id})
    )
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    with public.file.open("rb") as stored:
        assert b"".join(served.streaming_content) == stored.read()
    hidden = client.get(
        reverse("portal:track_photo", kwargs={"code": case6.tracking_code, "photo_id": internal.public_id})
    )
    assert hidden.status_code == 404


def test_a_photo_is_not_served_through_another_cases_code(client, case6, case7):
    photo = attachment_add(case=case6, data=jpeg_with_gps())
    response = client.get(
        reverse("portal:track_photo", kwargs={"code": case7.tracking_code, "photo_id": photo.public_id})
    )
    assert response.status_code == 404
    wrong = client.get(
        reverse(
            "portal:track_photo",
            kwargs={"code": _wrong_check_digit(case6.tracking_code), "photo_id": photo.public_id},
        )
    )
    assert wrong.status_code == 404


def test_guessing_codes_on_the_tracking_page_is_slowed_down(client, db):
    from peygir.cases.selectors import TRACK_FAILURES_ALLOWED

    for index in range(TRACK_FAILURES_ALLOWED):
        client.get("/track/", {"code": str(100000000 + index)})
    response = client.get("/track/", {"code": "123456789"})
    assert response.status_code == 429
    assert "چند دقیقه دیگر" in response.content.decode()

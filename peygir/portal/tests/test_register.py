from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from peygir.audit.models import AuditEntry
from peygir.cases.models import Attachment, Case

from .conftest import POINT_6, jpeg_with_gps

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "token": str(uuid.uuid4()),
        "category": "waste",
        "message_type": "request",
        "description": "سطل زباله سر کوچه سه روز است خالی نشده.",
        "lat": str(POINT_6[0]),
        "lon": str(POINT_6[1]),
        "address": "خیابان فاطمی، کوچه دوم",
        "contact_name": "زهرا احمدی",
        "contact_phone": "۰۹۱۲۳۴۵۶۷۸۹",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _photo(name="photo.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else jpeg_with_gps(), content_type=content_type)


def _counts():
    return (Case.objects.count(), Attachment.objects.count(), AuditEntry.objects.count())


def test_register_page_renders_categories_map_and_csrf(client, org_tree):
    response = client.get(reverse("portal:register"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in html
    assert html.count('class="category-option"') == 17
    assert 'data-filter="#category-list"' in html
    assert 'id="location-map"' in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html
    assert "مرکز ۱۳۷" in html  # without a location the message goes to the center first


def test_register_with_a_gps_photo_stores_the_case_and_a_photo_without_exif(client, org_tree):
    response = client.post(reverse("portal:register"), {**_form(), "photos": [_photo()]})
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:registered", kwargs={"public_id": case.public_id})
    assert case.channel == "web"
    assert case.contact_phone == "09123456789"
    assert case.contact_name == "زهرا احمدی"
    assert case.unit.code.startswith("district-6")
    attachment = Attachment.objects.get()
    assert attachment.case == case
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert dict(image.getexif()) == {}
        assert image.info.get("exif") is None
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert case.tracking_code in page.content.decode()
    assert 'class="tracking-code"' in page.content.decode()
    assert 'data-copied="کپی شد"' in page.content.decode()


def test_register_without_location_goes_to_the_center(client, org_tree):
    response = client.post(reverse("portal:register"), _form(lat=None, lon=None))
    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.lat, case.lon) == (None, None)
    assert case.address == "خیابان فاطمی، کوچه دوم"


def test_double_submit_with_the_same_token_registers_once(client, org_tree):
    data = _form()
    first = client.post(reverse("portal:register"), {**data, "photos": [_photo()]})
    second = client.post(reverse("portal:register"), {**data, "photos": [_photo()]})
    case = Case.objects.get()
    assert first["Location"] == second["Location"]
    assert Attachment.objects.filter(case=case).count() == 1


def test_signed_in_citizen_registers_with_the_verified_mobile(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("portal:register"), _form(contact_name="", contact_phone=""))
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.citizen == citizen
    assert case.contact_phone == "09120000001"


def test_anonymous_registration_keeps_no_contact(client, org_tree):
    response = client.post(reverse("portal:register"), _form(anonymous="on"))
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.is_anonymous is True
    assert (case.contact_name, case.contact_phone) == ("", "")


@pytest.mark.parametrize(
    ("overrides", "files", "message"),
    [
        ({"category": None}, 0, "موضوع پیام را انتخاب کنید."),
        ({"description": "بد"}, 0, "شرح پیام را کامل‌تر بنویسید"),
        ({"contact_phone": "12345"}, 0, "شماره تلفن همراه نامعتبر است"),
        ({}, 4, "حداکثر سه عکس"),
        ({"category": "staff", "anonymous": "on"}, 0, "ثبت بی‌نام ممکن نیست"),
        ({"lat": "35.7", "lon": None}, 0, "مکان روی نقشه ناقص است"),
    ],
)
def test_bad_input_shows_a_persian_error_and_stores_nothing(client, org_tree, overrides, files, message):
    before = _counts()
    payload = _form(**overrides)
    if files:
        payload["photos"] = [_photo(f"p{i}.jpg") for i in range(files)]
    response = client.post(reverse("portal:register"), payload)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert _counts() == before


def test_a_pdf_renamed_jpg_registers_nothing(client, org_tree):
    before = _counts()
    pdf = _photo(
        "scan.jpg", data=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="image/jpeg"
    )
    response = client.post(reverse("portal:register"), {**_form(), "photos": [_photo("ok.jpg"), pdf]})
    assert response.status_code == 422
    assert "این پرونده یک عکس سالم نیست." in response.content.decode()
    assert _counts() == before


def test_a_failing_photo_after_registration_rolls_everything_back(client, org_tree, monkeypatch):
    from peygir.core.errors import ValidationError
    from peygir.portal import services

    def broken(**kwargs):
        raise ValidationError("دیسک پر است.", code="photo_invalid")

    monkeypatch.setattr(services, "attachment_add", broken)
    before = _counts()
    response = client.post(reverse("portal:register"), {**_form(), "photos": [_photo()]})
    assert response.status_code == 422
    assert "دیسک پر است." in response.content.decode()
    assert _counts() == before


def test_a_png_photo_is_accepted(client, org_tree):
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 120, 0)).save(out, format="PNG")
    response = client.post(
        reverse("portal:register"), {**_form(), "photos": [_photo("a.png", out.getvalue(), "image/png")]}
    )
    assert response.status_code == 302
    assert Attachment.objects.get().content_type == "image/png"


def test_category_from_the_home_page_is_preselected(client, org_tree):
    html = client.get(reverse("portal:register") + "?category=roads").content.decode()
    assert 'value="roads" data-anonymous="1" checked' in html

"""POST Service Request: a real case registered through case_submit, and every refusal."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from peygir.cases.models import Attachment, Case
from peygir.intake.models import Open311Client, Open311Request

from .conftest import BASE, POINT_6, jpeg_with_gps, json_of, request_form, xml_of, xml_shape

pytestmark = pytest.mark.django_db


def test_post_registers_a_case_routed_to_district_6_like_any_channel(client, api_key):
    response = client.post(f"{BASE}/requests.xml", request_form(api_key))
    root = xml_of(response)
    case = Case.objects.get()
    assert response.status_code == 200
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == case.tracking_code
    assert case.tracking_code in root.findtext("request/service_notice")
    assert root.find("request/account_id").text is None
    assert root.find("request/token") is None
    assert case.channel == "open311"
    assert case.unit.code.startswith("district-6")
    assert case.district.code == "district-6"
    assert (case.lat, case.lon) == POINT_6
    assert case.service.service_code == "roads-pothole"
    assert case.category.code == "roads"
    assert case.message_type.code == "request"
    assert case.attributes == {"pothole_size": "large"}
    assert case.contact_name == "زهرا احمدی"
    assert case.contact_phone == "09123456789"
    assert case.external_id == ""
    record = Open311Request.objects.get()
    assert (record.case, record.email, record.client.name) == (case, "zahra@example.com", "اپ شهر من")


def test_post_answer_has_the_spec_shape(client, api_key, shared_data):
    ours = xml_of(client.post(f"{BASE}/requests.xml", request_form(api_key)))
    # Boston answers with a token (a batch server); we are realtime, so the id replaces it.
    theirs = ET.parse(shared_data / "open311_fixtures" / "boston-submitrequest-token.xml").getroot()
    assert ours.tag == theirs.tag
    assert set(xml_shape(ours)["request"]) == {"service_request_id", "service_notice", "account_id"}
    assert set(xml_shape(theirs)["request"]) == {"token"}


def test_post_json_answer_is_a_bare_array(client, api_key):
    answer = json_of(client.post(f"{BASE}/requests.json", request_form(api_key)))
    case = Case.objects.get()
    assert answer == [
        {
            "service_request_id": case.tracking_code,
            "service_notice": f"پیام شما با کد رهگیری {case.tracking_code} ثبت شد؛ پیگیری در سامانه ۱۳۷ یا با همین کد.",
            "account_id": None,
        }
    ]


def test_api_key_in_the_query_string_is_accepted(client, api_key):
    form = request_form(api_key, api_key=None)
    response = client.post(f"{BASE}/requests.json?api_key={api_key}", form)
    assert response.status_code == 200
    assert Case.objects.count() == 1


@pytest.mark.parametrize("key", [None, "", "deadbeef.wrong", "no-dot-at-all"])
def test_missing_or_unknown_api_key_is_a_403_and_nothing_is_stored(client, api_key, key):
    response = client.post(f"{BASE}/requests.xml", request_form(api_key, api_key=key))
    root = xml_of(response)
    assert response.status_code == 403
    assert root.findtext("error/code") == "403"
    assert Case.objects.count() == 0


def test_revoked_client_is_refused(client, api_key):
    Open311Client.objects.update(is_active=False)
    response = client.post(f"{BASE}/requests.json", request_form(api_key))
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_the_rate_limit_per_key_answers_429_in_the_spec_shape(client, api_key):
    Open311Client.objects.update(rate_limit_per_minute=2)
    for _ in range(2):
        assert client.post(f"{BASE}/requests.json", request_form(api_key)).status_code == 200
    response = client.post(f"{BASE}/requests.xml", request_form(api_key))
    root = xml_of(response)
    assert response.status_code == 429
    assert root.findtext("error/code") == "429"
    assert Case.objects.count() == 2


def test_unknown_service_is_a_404(client, api_key):
    response = client.post(f"{BASE}/requests.json", request_form(api_key, service_code="unicorns"))
    assert response.status_code == 404
    assert json_of(response)[0]["code"] == 404
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"service_code": None}, "service_code فرستاده نشده است."),
        ({"lat": None, "long": None, "address_string": None}, "مکان لازم است"),
        ({"long": None}, "lat و long باید با هم فرستاده شوند."),
        ({"lat": "north"}, "«lat» باید عدد باشد."),
        ({"lat": "95", "long": "51.4"}, "مختصات جغرافیایی نامعتبر است."),
        ({"description": "ا" * 4001}, "description نباید بیش از ۴۰۰۰ نویسه باشد."),
        ({"email": "not-an-email"}, "نشانی email نامعتبر است."),
        ({"phone": "12345"}, "شماره تلفن همراه نامعتبر است"),
        ({"attribute[pothole_size]": None}, "پاسخ به «اندازه چاله» الزامی است."),
        ({"attribute[pothole_size]": "huge"}, "«huge» از گزینه‌های مجاز نیست."),
        ({"attribute[colour]": "red"}, "ویژگی «colour» برای این خدمت تعریف نشده است."),
        ({"client_request_id": "has space"}, "client_request_id باید"),
        ({"message_type": "poem"}, "نوع پیام «poem» شناخته نیست."),
        ({"media_url": "ftp://example.com/x.jpg"}, "media_url باید نشانی http یا https باشد."),
    ],
)
def test_bad_input_is_a_400_with_a_persian_description(client, api_key, overrides, fragment):
    response = client.post(f"{BASE}/requests.xml", request_form(api_key, **overrides))
    root = xml_of(response)
    assert response.status_code == 400
    assert {error.findtext("code") for error in root.findall("error")} == {"400"}
    assert any(fragment in error.findtext("description") for error in root.findall("error"))
    assert Case.objects.count() == 0


def test_every_form_problem_is_listed(client, api_key):
    form = request_form(api_key, service_code=None, lat=None, long=None, address_string=None, email="x")
    root = xml_of(client.post(f"{BASE}/requests.xml", form))
    assert len(root.findall("error")) == 3


def test_an_address_alone_is_a_location(client, api_key):
    form = request_form(api_key, lat=None, long=None)
    assert client.post(f"{BASE}/requests.json", form).status_code == 200
    case = Case.objects.get()
    assert (case.lat, case.lon, case.address) == (None, None, "خیابان کارگر شمالی، نبش کوچه دوم")
    assert case.unit.code == "center"


def test_without_a_description_the_service_name_describes_the_request(client, api_key):
    assert client.post(f"{BASE}/requests.json", request_form(api_key, description=None)).status_code == 200
    assert Case.objects.get().description == "چاله و دست‌انداز"


def test_multivaluelist_attributes_are_read_from_bracketed_fields(client, api_key):
    from peygir.catalog.models import Service, ServiceAttribute

    service = Service.objects.get(service_code="roads-pothole")
    ServiceAttribute.objects.create(
        service=service,
        code="hazards",
        datatype="multivaluelist",
        description="خطرها",
        values=[{"key": "cars", "name": "خودرو"}, {"key": "people", "name": "عابر"}],
        order=9,
    )
    form = request_form(api_key)
    form["attribute[hazards][]"] = ["cars", "people"]
    assert client.post(f"{BASE}/requests.json", form).status_code == 200
    assert Case.objects.get().attributes == {"pothole_size": "large", "hazards": ["cars", "people"]}


def test_message_type_extension_chooses_the_type(client, api_key):
    client.post(f"{BASE}/requests.json", request_form(api_key, message_type="complaint"))
    assert Case.objects.get().message_type.code == "complaint"


def test_a_repeated_client_request_id_returns_the_first_case(client, api_key):
    form = request_form(api_key, client_request_id="app-42")
    first = json_of(client.post(f"{BASE}/requests.json", form))
    second = json_of(client.post(f"{BASE}/requests.json", form))
    case = Case.objects.get()
    prefix = api_key.split(".")[0]
    assert first == second
    assert first[0]["service_request_id"] == case.tracking_code
    assert case.external_id == f"{prefix}-app-42"
    assert Open311Request.objects.count() == 1


def test_the_same_request_id_from_two_clients_is_two_cases(client, api_key):
    from peygir.intake.channels.open311.services import open311_client_create

    _other, other_key = open311_client_create(name="اپ دیگر")
    client.post(f"{BASE}/requests.json", request_form(api_key, client_request_id="7"))
    client.post(f"{BASE}/requests.json", request_form(other_key, client_request_id="7"))
    assert Case.objects.count() == 2


def test_fixmystreet_id_attribute_is_the_client_request_id(client, api_key):
    form = request_form(api_key, **{"attribute[fixmystreet_id]": "1234"})
    client.post(f"{BASE}/requests.json", form)
    client.post(f"{BASE}/requests.json", form)
    case = Case.objects.get()
    assert case.external_id.endswith("-1234")
    assert "fixmystreet_id" not in case.attributes


def test_uploaded_media_is_stored_without_exif_in_the_same_registration(client, api_key):
    form = request_form(api_key)
    form["media"] = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(f"{BASE}/requests.json", form)
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.case == Case.objects.get()
    assert attachment.is_public is True
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert dict(image.getexif()) == {}
        assert image.info.get("exif") is None


def test_a_bad_upload_stores_neither_case_nor_photo(client, api_key):
    form = request_form(api_key)
    form["media"] = SimpleUploadedFile("p.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = client.post(f"{BASE}/requests.xml", form)
    assert response.status_code == 400
    assert xml_of(response).findtext("error/description") == "این پرونده یک عکس سالم نیست."
    assert (Case.objects.count(), Attachment.objects.count(), Open311Request.objects.count()) == (0, 0, 0)


def test_post_needs_no_csrf_token(api_key):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(f"{BASE}/requests.json", request_form(api_key))
    assert response.status_code == 200


def test_anonymous_request_without_phone_is_registered_anonymously(client, api_key):
    form = request_form(api_key, phone=None, first_name=None, last_name=None, email=None)
    assert client.post(f"{BASE}/requests.json", form).status_code == 200
    case = Case.objects.get()
    assert (case.is_anonymous, case.contact_phone, case.contact_name) == (True, "", "")

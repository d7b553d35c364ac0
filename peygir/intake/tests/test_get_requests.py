"""GET Service Requests and GET Service Request: filters, windows, shapes and privacy."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from peygir.cases.attachments import attachment_add
from peygir.cases.models import Case
from peygir.cases.services import case_transition

from .conftest import BASE, jpeg_with_gps, json_of, json_shape, request_form, xml_of, xml_shape

pytestmark = pytest.mark.django_db

W3C = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$"


def _age(case, days):
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


def test_request_list_has_the_shape_of_the_spec_example(client, shared_data, submit, officer6, respond):
    respond(submit(), officer6)
    submit()
    ours = xml_of(client.get(f"{BASE}/requests.xml"))
    theirs = ET.parse(shared_data / "open311_fixtures" / "service-requests.xml").getroot()
    assert ours.tag == theirs.tag == "service_requests"
    assert xml_shape(ours) == xml_shape(theirs)
    assert [child.tag for child in ours[0]] == [child.tag for child in theirs[0]]


def test_single_request_has_the_shape_of_the_spec_example(client, shared_data, submit):
    case = submit()
    ours = xml_of(client.get(f"{BASE}/requests/{case.tracking_code}.xml"))
    theirs = ET.parse(shared_data / "open311_fixtures" / "service-request.xml").getroot()
    assert xml_shape(ours) == xml_shape(theirs)
    assert ours.findtext("request/service_request_id") == case.tracking_code


def test_json_requests_carry_chicagos_keys_and_its_extensions(client, shared_data, submit, officer6, respond):
    respond(submit(), officer6)
    theirs = json.loads(
        (shared_data / "open311_fixtures" / "chicago_open311_v2_requests_real_sample.json").read_text()
    )
    their_shape = json_shape(theirs)["[]"]
    plain = json_of(client.get(f"{BASE}/requests.json"))
    extended = json_of(client.get(f"{BASE}/requests.json", {"extensions": "true"}))
    extension_keys = {"attributes", "extended_attributes", "notes"}
    assert set(their_shape) - extension_keys <= set(json_shape(plain)["[]"])
    assert not set(json_shape(plain)["[]"]) & extension_keys
    ours = json_shape(extended)["[]"]
    assert set(their_shape["notes"]["[]"]) - {"extended_attributes"} == set(ours["notes"]["[]"])
    assert {"channel"} <= set(ours["extended_attributes"])


def test_request_fields_are_the_public_ones(client, submit, officer6, respond):
    case = respond(submit(), officer6)
    item = json_of(client.get(f"{BASE}/requests/{case.tracking_code}.json"))[0]
    case.refresh_from_db()
    assert item == {
        "service_request_id": case.tracking_code,
        "status": "closed",
        "status_notes": "چاله با آسفالت گرم پر شد.",
        "service_name": "چاله و دست‌انداز",
        "service_code": "roads-pothole",
        "description": "چاله جلوی مدرسه پر نشده است.",
        "agency_responsible": case.unit.name,
        "service_notice": None,
        "requested_datetime": timezone.localtime(case.created_at).replace(microsecond=0).isoformat(),
        "updated_datetime": timezone.localtime(case.updated_at).replace(microsecond=0).isoformat(),
        "expected_datetime": timezone.localtime(case.respond_by).replace(microsecond=0).isoformat(),
        "address": "خیابان فاطمی",
        "address_id": None,
        "zipcode": None,
        "lat": case.lat,
        "long": case.lon,
        "media_url": None,
    }
    assert item["requested_datetime"].endswith("+03:30")


def test_every_datetime_has_a_timezone_and_no_fraction(client, submit, officer6, respond):
    import re

    respond(submit(), officer6)
    root = xml_of(client.get(f"{BASE}/requests.xml", {"extensions": "true"}))
    stamps = [el.text for el in root.iter() if el.tag.endswith("datetime") and el.text]
    assert len(stamps) == 3 + 3  # three on the request, three notes
    assert all(re.match(W3C, stamp) for stamp in stamps)


def test_status_open_and_closed_follow_the_phases(client, submit, officer6, respond):
    open_case = submit()
    closed_case = respond(submit(), officer6)
    awaiting = case_transition(case=submit(), action="accept", actor=officer6)
    awaiting = case_transition(case=awaiting, action="request_info", actor=officer6, note="پلاک دقیق؟")
    opened = json_of(client.get(f"{BASE}/requests.json", {"status": "open"}))
    closed = json_of(client.get(f"{BASE}/requests.json", {"status": "closed"}))
    both = json_of(client.get(f"{BASE}/requests.json", {"status": "open,closed"}))
    assert {item["service_request_id"] for item in opened} == {
        open_case.tracking_code,
        awaiting.tracking_code,
    }
    assert [item["service_request_id"] for item in closed] == [closed_case.tracking_code]
    assert len(both) == 3
    assert (
        next(i for i in opened if i["service_request_id"] == awaiting.tracking_code)["status_notes"] is None
    )


def test_unknown_status_is_a_400(client, org_tree):
    response = client.get(f"{BASE}/requests.json", {"status": "pending"})
    assert response.status_code == 400


def test_newest_first_and_service_code_filter(client, submit):
    older = submit()
    _age(older, 2)
    newer = submit()
    other = submit(category="waste", service_code="waste-bin", attributes={"bin_problem": "full"})
    items = json_of(client.get(f"{BASE}/requests.json"))
    assert [i["service_request_id"] for i in items] == [
        other.tracking_code,
        newer.tracking_code,
        older.tracking_code,
    ]
    pothole = json_of(client.get(f"{BASE}/requests.json", {"service_code": "roads-pothole"}))
    assert [i["service_request_id"] for i in pothole] == [newer.tracking_code, older.tracking_code]
    several = json_of(client.get(f"{BASE}/requests.json", {"service_code": "roads-pothole,waste-bin"}))
    assert len(several) == 3


def test_default_window_is_the_last_90_days(client, submit):
    recent, old = submit(), submit()
    _age(old, 91)
    items = json_of(client.get(f"{BASE}/requests.json"))
    assert [i["service_request_id"] for i in items] == [recent.tracking_code]


def test_date_window_selects_on_requested_datetime(client, submit):
    case = submit()
    _age(case, 30)
    now = timezone.now()
    inside = {
        "start_date": (now - dt.timedelta(days=40)).isoformat(),
        "end_date": (now - dt.timedelta(days=20)).isoformat(),
    }
    outside = {"start_date": (now - dt.timedelta(days=20)).isoformat(), "end_date": now.isoformat()}
    assert len(json_of(client.get(f"{BASE}/requests.json", inside))) == 1
    assert json_of(client.get(f"{BASE}/requests.json", outside)) == []
    zulu = {"start_date": "2020-01-01T00:00:00Z", "end_date": "2020-02-01T00:00:00Z"}
    assert client.get(f"{BASE}/requests.json", zulu).status_code == 200


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ({"start_date": "2024-01-01T00:00:00Z", "end_date": "2024-06-01T00:00:00Z"}, "۹۰ روز"),
        ({"start_date": "2024-02-01T00:00:00Z", "end_date": "2024-01-01T00:00:00Z"}, "نباید پیش از"),
        ({"start_date": "yesterday"}, "«start_date» باید تاریخ و زمان W3C باشد"),
        ({"page_size": "5000"}, "«page_size» باید عددی از ۱ تا 1000 باشد."),
    ],
)
def test_bad_date_window_or_page_is_a_400(client, org_tree, args, fragment):
    response = client.get(f"{BASE}/requests.xml", args)
    root = xml_of(response)
    assert response.status_code == 400
    assert fragment in root.findtext("error/description")


def test_service_request_id_list_overrides_other_filters(client, submit):
    first, second = submit(), submit()
    _age(first, 200)
    args = {
        "service_request_id": f"{first.tracking_code}, {second.tracking_code},123",
        "status": "closed",
        "service_code": "nothing",
    }
    items = json_of(client.get(f"{BASE}/requests.json", args))
    assert {i["service_request_id"] for i in items} == {first.tracking_code, second.tracking_code}


def test_unknown_request_id_is_a_404(client, org_tree):
    response = client.get(f"{BASE}/requests/123456789.xml")
    assert response.status_code == 404
    assert xml_of(response).findtext("error/code") == "404"


def test_no_name_phone_or_email_ever_appears(client, api_key, officer6, respond):
    form = request_form(
        api_key, description="چاله بزرگ؛ با من تماس بگیرید ۰۹۱۲ ۳۴۵ ۶۷۸۹ یا zahra@example.com زهرا احمدی"
    )
    client.post(f"{BASE}/requests.json", form)
    case = Case.objects.get()
    respond(case, officer6, text="زهرا احمدی گرامی، چاله پر شد.")
    bodies = [
        client.get(f"{BASE}/requests.xml", {"extensions": "true"}).content.decode(),
        client.get(f"{BASE}/requests.json", {"extensions": "true"}).content.decode(),
        client.get(f"{BASE}/requests/{case.tracking_code}.json", {"extensions": "true"}).content.decode(),
        client.get(f"{BASE}/servicerequestupdates.xml").content.decode(),
    ]
    for body in bodies:
        for secret in ("زهرا", "احمدی", "09123456789", "۰۹۱۲ ۳۴۵ ۶۷۸۹", "zahra@example.com", "example.com"):
            assert secret not in body
    item = json_of(client.get(f"{BASE}/requests/{case.tracking_code}.json"))[0]
    assert item["description"] == "چاله بزرگ؛ با من تماس بگیرید […] یا […] […]"
    assert item["status_notes"] == "[…] گرامی، چاله پر شد."


def test_internal_notes_never_appear(client, submit, officer6):
    from peygir.cases.services import case_add_note

    case = submit()
    case_add_note(case=case, actor=officer6, internal_note="محرمانه: پیمانکار را جریمه کنید")
    case_transition(
        case=case,
        action="refer",
        actor=officer6,
        unit=case.unit.children.first() or case.unit.parent,
        note="یادداشت ارجاع داخلی",
    )
    for suffix in (
        "requests.xml?extensions=true",
        f"requests/{case.tracking_code}.json?extensions=true",
        "servicerequestupdates.json",
    ):
        body = client.get(f"{BASE}/{suffix}").content.decode()
        assert "محرمانه" not in body
        assert "یادداشت ارجاع داخلی" not in body


def test_staff_conduct_cases_are_listed_without_their_description(client, submit):
    case = submit(
        category="staff",
        service_code=None,
        attributes=None,
        description="مأمور فلانی رشوه خواست.",
        contact_phone="09121112233",
    )
    item = json_of(client.get(f"{BASE}/requests/{case.tracking_code}.json"))[0]
    assert item["description"] == ""
    assert item["service_code"] is None
    assert item["service_name"] == case.category.name


def test_media_url_is_the_public_tracking_photo(client, submit):
    case = submit()
    photo = attachment_add(case=case, data=jpeg_with_gps())
    attachment_add(case=case, data=jpeg_with_gps(), is_public=False)
    item = json_of(client.get(f"{BASE}/requests/{case.tracking_code}.json", {"extensions": "true"}))[0]
    url = f"http://testserver/track/{case.tracking_code}/photo/{photo.public_id}/"
    assert item["media_url"] == url
    assert item["extended_attributes"]["media_urls"] == [url]
    assert client.get(url).status_code == 200


def test_extensions_give_the_detailed_status_and_public_notes(client, submit, officer6):
    case = case_transition(case=submit(), action="accept", actor=officer6)
    case = case_transition(case=case, action="request_info", actor=officer6, note="عکس چاله را بفرستید.")
    item = json_of(client.get(f"{BASE}/requests/{case.tracking_code}.json", {"extensions": "true"}))[0]
    assert item["status"] == "open"
    assert item["extended_attributes"]["detailed_status"] == "awaiting_citizen"
    assert [(note["type"], note["description"]) for note in item["notes"]] == [
        ("registered", None),
        ("accepted", None),
        ("info_requested", "عکس چاله را بفرستید."),
    ]
    assert item["notes"][2]["summary"] == "درخواست اطلاعات تکمیلی"


def test_pagination_extension(client, submit):
    cases = [submit() for _ in range(5)]
    page1 = json_of(client.get(f"{BASE}/requests.json", {"page_size": "2"}))
    page3 = json_of(client.get(f"{BASE}/requests.json", {"page_size": "2", "page": "3"}))
    newest_first = [case.tracking_code for case in reversed(cases)]
    assert [i["service_request_id"] for i in page1] == newest_first[:2]
    assert [i["service_request_id"] for i in page3] == newest_first[4:]


def test_updated_after_finds_old_requests_changed_recently(client, submit, officer6):
    old = submit()
    _age(old, 200)
    Case.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=150))
    old.refresh_from_db()
    case_transition(case=old, action="accept", actor=officer6)
    since = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    items = json_of(client.get(f"{BASE}/requests.json", {"updated_after": since}))
    assert [i["service_request_id"] for i in items] == [old.tracking_code]
    assert json_of(client.get(f"{BASE}/requests.json", {"updated_before": since})) == []


def test_token_lookup_finds_a_request_by_the_clients_own_id(client, api_key, shared_data):
    client.post(f"{BASE}/requests.json", request_form(api_key, client_request_id="app-9"))
    case = Case.objects.get()
    token = f"{api_key.split('.')[0]}-app-9"
    ours = xml_of(client.get(f"{BASE}/tokens/{token}.xml"))
    theirs = ET.parse(shared_data / "open311_fixtures" / "token.xml").getroot()
    assert xml_shape(ours) == xml_shape(theirs)
    assert (ours.findtext("request/service_request_id"), ours.findtext("request/token")) == (
        case.tracking_code,
        token,
    )
    assert client.get(f"{BASE}/tokens/nothing-here.json").status_code == 404


def test_an_unencoded_plus_in_an_offset_is_still_read(client, submit):
    case = submit()
    _age(case, 1)
    day = timezone.localtime(timezone.now() - dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S")
    response = client.get(f"{BASE}/requests.json?start_date={day}+03:30")
    assert [i["service_request_id"] for i in json_of(response)] == [case.tracking_code]

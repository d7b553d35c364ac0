"""The HTTP API: citizens, staff, and everyone who must be refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from peygir.accounts.services import api_token_create
from peygir.audit.models import AuditEntry
from peygir.cases.models import Case, CaseEvent

from .conftest import POINT_6, POINT_7

API = "/api/v1"


def post(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(API + path, data=json.dumps(body), content_type="application/json", headers=headers)


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_create(user=user)}"}


def register_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "type": "request",
        "category": "waste",
        "description": "زباله‌های کوچه دو روز است جمع نشده",
        "lat": POINT_6[0],
        "lon": POINT_6[1],
        "contact_phone": "09123334455",
        "contact_name": "رضا احمدی",
    }
    body.update(overrides)
    return body


def staff_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _state(case: Case) -> tuple[Any, ...]:
    fresh = Case.objects.get(pk=case.pk)
    return fresh.phase, fresh.version, fresh.unit_id, CaseEvent.objects.filter(case=case).count()


# --- Registration and tracking -------------------------------------------------------------------


def test_anonymous_citizen_registers_and_gets_a_tracking_code(client, org_tree, district6):
    response = post(client, "/cases", register_body())
    assert response.status_code == 201
    data = response.json()
    case = Case.objects.get(tracking_code=data["tracking_code"])
    assert case.unit == district6
    assert data["unit"] == district6.name
    assert data["created"] is True
    assert data["respond_by_jalali"].startswith("۱۴")


def test_retry_with_the_same_idempotency_key_returns_the_first_case(client, org_tree):
    first = post(client, "/cases", register_body(), **{"Idempotency-Key": "app-7f3a"})
    second = post(client, "/cases", register_body(), **{"Idempotency-Key": "app-7f3a"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["tracking_code"] == second.json()["tracking_code"]
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"category": "unknown"}, 422, None),
        ({"description": ""}, 422, None),
        ({"lat": "north"}, 422, "lat"),
        ({"lat": 95}, 422, "lat"),
        ({"type": None}, 422, "type"),
        ({"contact_phone": "0912"}, 422, None),
    ],
)
def test_bad_registration_gets_a_persian_problem_and_stores_nothing(client, org_tree, body, status, field):
    response = post(client, "/cases", register_body(**body))
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    assert any("\u0600" <= char <= "\u06ff" for char in problem["title"] + problem["detail"])
    if field:
        assert field in {error["field"] for error in problem["errors"]}
    assert Case.objects.count() == 0


def test_malformed_json_is_refused(client, org_tree):
    response = client.post(API + "/cases", data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert Case.objects.count() == 0


def test_citizens_cannot_pick_the_phone_channel(client, org_tree):
    response = post(client, "/cases", register_body(channel="phone"))
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_agent_registers_a_phone_call_for_the_caller(org_tree, agent):
    response = post(staff_client(agent), "/cases", register_body(channel="phone"))
    assert response.status_code == 201
    case = Case.objects.get()
    assert (case.channel, case.citizen, case.contact_phone) == ("phone", None, "09123334455")


def test_tracking_shows_the_public_timeline_without_personal_data(client, submit, officer6, district7):
    from peygir.cases.services import case_transition

    case = submit(contact_phone="09125556677", contact_name="زهرا کریمی")
    case_transition(case=case, action="accept", actor=officer6, internal_note="تماس گرفتم")
    case_transition(case=case, action="refer", actor=officer6, unit=district7, note="محل در منطقه ۷ است")
    response = client.get(f"{API}/track/{case.tracking_code}")
    assert response.status_code == 200
    body = response.content.decode()
    for secret in (
        "09125556677",
        "زهرا",
        "کریمی",
        officer6.username,
        "تماس گرفتم",
        "محل در منطقه ۷ است",
        str(case.public_id),
    ):
        assert secret not in body
    data = response.json()
    assert [event["kind"] for event in data["timeline"]] == ["registered", "accepted", "referred"]
    assert data["timeline"][-1]["unit"] == district7.name
    assert data["status"] != ""


def test_tracking_shows_the_answer_and_times_as_recorded(client, submit, officer6):
    from django.utils.dateparse import parse_datetime

    from peygir.cases.services import case_transition

    def at(value: str) -> Any:  # the JSON carries milliseconds
        return parse_datetime(value)

    def ms(value: Any) -> Any:
        return value.replace(microsecond=value.microsecond // 1000 * 1000)

    case = submit()
    open_data = client.get(f"{API}/track/{case.tracking_code}").json()
    assert at(open_data["respond_by"]) == ms(case.respond_by)
    assert open_data["respond_by_jalali"] != ""
    assert (open_data["type"], open_data["category"]) == (case.message_type.name, case.category.name)

    case_transition(case=case, action="accept", actor=officer6)
    case_transition(case=case, action="respond", actor=officer6, resolution="fixed", note="مخزن تخلیه شد.")
    data = client.get(f"{API}/track/{case.tracking_code}").json()
    case.refresh_from_db()
    events = list(case.events.filter(is_public=True).order_by("created_at", "id"))
    assert at(data["created_at"]) == ms(case.created_at)
    assert (data["phase"], data["resolution"], data["response"]) == ("responded", "fixed", "مخزن تخلیه شد.")
    assert data["resolution_label"] != "" and data["respond_by"] is None
    assert [(e["kind"], at(e["at"])) for e in data["timeline"]] == [
        (event.kind, ms(event.created_at)) for event in events
    ]
    # The unit is named where the case went to one (registered, referred), never for other steps.
    assert [e["unit"] for e in data["timeline"]] == [case.unit.name, "", ""]
    assert data["timeline"][-1]["note"] == "مخزن تخلیه شد."


def test_tracking_a_case_without_category_or_public_events(client, submit):
    case = submit()
    Case.objects.filter(pk=case.pk).update(category=None)
    CaseEvent.objects.filter(case=case).update(is_public=False)
    data = client.get(f"{API}/track/{case.tracking_code}").json()
    assert (data["tracking_code"], data["category"], data["timeline"]) == (case.tracking_code, "", [])


def test_tracking_an_unknown_code_is_not_found(client, submit):
    from peygir.cases.tracking import damm_digit

    case = submit()
    stem = str(int(case.tracking_code[:-1]) + 1)
    response = client.get(f"{API}/track/{stem}{damm_digit(stem)}")
    assert response.status_code == 404
    assert "پیدا نشد" in response.json()["detail"]


def test_tracking_with_a_mistyped_code_is_a_clear_error(client, submit):
    case = submit()
    wrong = case.tracking_code[:-1] + str((int(case.tracking_code[-1]) + 1) % 10)
    response = client.get(f"{API}/track/{wrong}")
    assert response.status_code == 422
    assert response.json()["code"] == "bad_tracking_code"


def test_tracking_accepts_persian_digits(client, submit):
    case = submit()
    persian = case.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert client.get(f"{API}/track/{persian}").json()["tracking_code"] == case.tracking_code


# --- Citizen sign-in ---------------------------------------------------------------------------


def _last_code(mobile: str) -> str:
    from peygir.core.text import to_latin_digits
    from peygir.notifications.selectors import last_notification_to_phone

    body = last_notification_to_phone(mobile, "otp").body
    return "".join(ch for ch in to_latin_digits(body) if ch.isdigit())[-6:]


def test_citizen_signs_in_with_a_code_and_lists_only_their_cases(client, org_tree, submit, citizen_b):
    assert post(client, "/auth/otp/request", {"mobile": "۰۹۱۲۷۷۷۸۸۹۹"}).status_code == 202
    code = _last_code("09127778899")
    response = post(client, "/auth/otp/verify", {"mobile": "09127778899", "code": code})
    assert response.status_code == 200
    token = response.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}

    mine = post(Client(), "/cases", register_body(), **headers).json()
    submit(citizen=citizen_b)
    listed = Client().get(f"{API}/me/cases", headers=headers).json()
    assert [item["tracking_code"] for item in listed["items"]] == [mine["tracking_code"]]


def test_a_code_works_once(client, org_tree):
    post(client, "/auth/otp/request", {"mobile": "09127778899"})
    code = _last_code("09127778899")
    assert post(client, "/auth/otp/verify", {"mobile": "09127778899", "code": code}).status_code == 200
    again = post(Client(), "/auth/otp/verify", {"mobile": "09127778899", "code": code})
    assert again.status_code == 422


def test_wrong_code_and_bad_number_are_refused(client, org_tree):
    post(client, "/auth/otp/request", {"mobile": "09127778899"})
    assert post(client, "/auth/otp/verify", {"mobile": "09127778899", "code": "12345"}).status_code == 422
    assert post(client, "/auth/otp/request", {"mobile": "12"}).status_code == 422


def test_code_requests_are_rate_limited_per_phone(client, org_tree, settings):
    limit = settings.PEYGIR["OTP_PER_PHONE_PER_HOUR"]
    for _ in range(limit):
        assert post(client, "/auth/otp/request", {"mobile": "09127778899"}).status_code == 202
    response = post(client, "/auth/otp/request", {"mobile": "09127778899"})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"


def test_code_requests_are_rate_limited_per_address(client, org_tree, settings):
    settings.PEYGIR = {**settings.PEYGIR, "OTP_PER_IP_PER_HOUR": 3}
    for index in range(3):
        assert post(client, "/auth/otp/request", {"mobile": f"0912000100{index}"}).status_code == 202
    assert post(client, "/auth/otp/request", {"mobile": "09120001009"}).status_code == 429


def test_expired_code_is_refused(client, org_tree):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    post(client, "/auth/otp/request", {"mobile": "09127778899"})
    code = _last_code("09127778899")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=121), tick=False):
        assert post(client, "/auth/otp/verify", {"mobile": "09127778899", "code": code}).status_code == 422


def test_codes_are_stored_hashed(client, org_tree):
    from peygir.accounts.models import OneTimeCode

    post(client, "/auth/otp/request", {"mobile": "09127778899"})
    code = _last_code("09127778899")
    assert code not in OneTimeCode.objects.get().code_hash


# --- Staff ------------------------------------------------------------------------------------


def test_officer_works_a_case_from_the_kartable_to_the_response(submit, officer6):
    case = submit()
    client = staff_client(officer6)
    listed = client.get(f"{API}/kartable?tab=new").json()
    assert [item["tracking_code"] for item in listed["items"]] == [case.tracking_code]
    detail = client.get(f"{API}/cases/{case.public_id}").json()
    assert detail["actions"] == [
        "assign",
        "accept",
        "refer",
        "return_to_center",
        "reject",
        "merge",
        "classify",
    ]
    accepted = post(client, f"/cases/{case.public_id}/actions/accept", {})
    assert accepted.status_code == 200
    responded = post(
        client, f"/cases/{case.public_id}/actions/respond", {"resolution": "fixed", "note": "مخزن تخلیه شد."}
    )
    assert responded.status_code == 200
    assert responded.json()["phase"] == "responded"


def test_kartable_search_matches_arabic_letters_typed_by_staff(submit, officer6):
    case = submit(description="درخت خشک کنار کوچه افتاده است")
    submit(description="چراغ خیابان خاموش است")
    found = staff_client(officer6).get(f"{API}/kartable", {"q": "درخت خشك"}).json()
    assert [item["tracking_code"] for item in found["items"]] == [case.tracking_code]


def test_kartable_rejects_a_bad_jalali_date(officer6):
    response = staff_client(officer6).get(f"{API}/kartable", {"created_from": "1405/13/40"})
    assert response.status_code == 422


def test_stale_version_gets_a_conflict(submit, officer6):
    case = submit()
    response = post(staff_client(officer6), f"/cases/{case.public_id}/actions/accept", {"version": 7})
    assert response.status_code == 409
    assert _state(case)[0] == "registered"


def test_action_not_possible_in_the_phase_is_a_conflict(submit, officer6):
    case = submit()
    before = _state(case)
    response = post(
        staff_client(officer6),
        f"/cases/{case.public_id}/actions/respond",
        {"resolution": "fixed", "note": "x"},
    )
    assert response.status_code == 409
    assert _state(case) == before


def test_unknown_action_is_not_found(submit, officer6):
    case = submit()
    assert post(staff_client(officer6), f"/cases/{case.public_id}/actions/delete", {}).status_code == 404


# --- Permission matrix -------------------------------------------------------------------------


def test_officer_of_district_6_cannot_see_or_act_on_a_district_7_case(submit, officer6):
    case = submit(point=POINT_7)
    before = _state(case)
    client = staff_client(officer6)
    assert client.get(f"{API}/cases/{case.public_id}").status_code == 404
    assert post(client, f"/cases/{case.public_id}/actions/accept", {}).status_code == 404
    assert post(client, f"/cases/{case.public_id}/notes", {"internal_note": "x"}).status_code == 404
    assert client.get(f"{API}/kartable").json()["count"] == 0
    assert _state(case) == before


def test_citizen_a_cannot_see_citizen_bs_case(submit, citizen, citizen_b):
    case = submit(citizen=citizen_b)
    before = _state(case)
    client = Client()
    headers = bearer(citizen)
    assert client.get(f"{API}/cases/{case.public_id}", headers=headers).status_code == 404
    assert (
        post(client, f"/cases/{case.public_id}/actions/object", {"note": "x"}, **headers).status_code == 404
    )
    assert _state(case) == before


def test_citizen_sees_own_case_without_internal_notes(submit, citizen, officer6):
    from peygir.cases.services import case_transition

    case = submit(citizen=citizen)
    case_transition(case=case, action="accept", actor=officer6, internal_note="شهروند پرتوقع است")
    response = Client().get(f"{API}/cases/{case.public_id}", headers=bearer(citizen))
    assert response.status_code == 200
    body = response.content.decode()
    assert "پرتوقع" not in body
    assert officer6.username not in body


def test_citizen_cannot_take_staff_actions_on_own_case(submit, citizen):
    case = submit(citizen=citizen)
    before = _state(case)
    response = post(Client(), f"/cases/{case.public_id}/actions/accept", {}, **bearer(citizen))
    assert response.status_code == 403
    assert _state(case) == before


def test_citizen_is_not_a_staff_member(citizen):
    assert Client().get(f"{API}/kartable", headers=bearer(citizen)).status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/kartable"),
        ("get", "/me/cases"),
        ("get", "/cases/{id}"),
        ("post", "/cases/{id}/actions/accept"),
    ],
)
def test_anonymous_callers_must_sign_in(client, submit, method, path):
    case = submit()
    before = _state(case)
    url = API + path.format(id=case.public_id)
    response = (
        client.get(url) if method == "get" else client.post(url, data="{}", content_type="application/json")
    )
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert _state(case) == before


def test_invalid_token_is_refused(client, submit):
    case = submit()
    response = client.get(f"{API}/cases/{case.public_id}", headers={"Authorization": "Bearer pg_forged"})
    assert response.status_code == 401


def test_integrity_handler_has_no_case_scope(submit, integrity_handler):
    case = submit()
    assert staff_client(integrity_handler).get(f"{API}/cases/{case.public_id}").status_code == 404


def test_supervisor_sees_every_district(submit, supervisor):
    a, b = submit(), submit(point=POINT_7)
    listed = staff_client(supervisor).get(f"{API}/kartable").json()
    assert {item["tracking_code"] for item in listed["items"]} == {a.tracking_code, b.tracking_code}


def test_denied_actions_leave_no_audit_trace(submit, officer7):
    case = submit()
    entries = AuditEntry.objects.count()
    post(staff_client(officer7), f"/cases/{case.public_id}/actions/accept", {})
    assert AuditEntry.objects.count() == entries


def test_garbage_public_id_is_not_found(officer6):
    assert staff_client(officer6).get(f"{API}/cases/not-a-uuid").status_code == 404


def test_openapi_schema_is_served(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/cases/{public_id}/actions/{action}" in response.json()["paths"]


def test_guessing_tracking_codes_is_slowed_down(client, submit):
    from peygir.cases.selectors import TRACK_FAILURES_ALLOWED

    case = submit()
    for index in range(TRACK_FAILURES_ALLOWED):
        assert client.get(f"{API}/track/{100000000 + index}").status_code in (404, 422)
    refused = client.get(f"{API}/track/{case.tracking_code}")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    other_client = Client(REMOTE_ADDR="10.0.0.9")
    assert other_client.get(f"{API}/track/{case.tracking_code}").status_code == 200


def test_staff_classify_through_the_api_and_cannot_withdraw_there(submit, officer6, supervisor):
    case = submit()
    client = staff_client(officer6)
    bad = post(client, f"/cases/{case.public_id}/actions/classify", {"category": "nope"})
    assert (bad.status_code, bad.json()["code"]) == (422, "bad_category")
    missing = post(client, f"/cases/{case.public_id}/actions/classify", {})
    assert (missing.status_code, missing.json()["code"]) == (422, "category_required")
    done = post(client, f"/cases/{case.public_id}/actions/classify", {"category": "lighting"})
    assert done.status_code == 200
    assert done.json()["category"] == "lighting"
    before = _state(case)
    refused = post(staff_client(supervisor), f"/cases/{case.public_id}/actions/withdraw", {})
    assert refused.status_code == 404
    assert _state(case) == before

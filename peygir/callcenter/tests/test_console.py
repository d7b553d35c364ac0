"""The console pages: the pop, registering a case for the caller, closing the call, the permission matrix."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peygir.audit.models import AuditEntry
from peygir.callcenter.cti import cti_event_apply
from peygir.callcenter.models import AgentState, Call, ConsoleEvent
from peygir.cases.models import Case
from peygir.cases.services import case_submit

from .amiserver import recording

pytestmark = pytest.mark.django_db


def _answered_call() -> Call:
    for event in recording("ami_answered_call.ami")[:6]:  # up to AgentConnect: the call is in progress
        cti_event_apply(event=event)
    return Call.objects.get()


def test_console_shows_the_call_in_progress_with_the_callers_open_cases(
    agent_ext: Any, as_agent: Client, citizen: Any
) -> None:
    case = case_submit(
        channel="web",
        message_type="request",
        category="waste",
        description="زباله‌ها جمع نشده است.",
        citizen=citizen,
    ).case
    _answered_call()
    response = as_agent.get("/staff/console/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "مریم شهروند" in body
    assert f'href="/staff/cases/{case.public_id}/"' in body
    assert 'id="register-form"' in body


def test_the_event_stream_sends_the_ring_to_its_agent(
    agent_ext: Any, as_agent: Client, settings: Any
) -> None:
    settings.PEYGIR = {**settings.PEYGIR, "CALLCENTER_SSE_SECONDS": 1}
    call = _answered_call()
    response = as_agent.get("/staff/console/events/?after=0")
    assert response["Content-Type"] == "text/event-stream"
    text = "".join(chunk.decode() for chunk in response.streaming_content)
    ring = ConsoleEvent.objects.get(call=call, kind="ring")
    assert f"id: {ring.pk}\nevent: ring\n" in text
    assert f'"call": "{call.public_id}"' in text


def test_agent_registers_a_case_for_the_caller_and_closes_the_call(
    agent: Any, agent_ext: Any, as_agent: Client, citizen: Any
) -> None:
    call = _answered_call()
    response = as_agent.post(
        f"/staff/console/calls/{call.public_id}/case/",
        {
            "category": "waste",
            "message_type": "complaint",
            "place": "district-6",
            "address": "خیابان فاطمی، کوچه دوم",
            "description": "زباله‌های کوچه سه روز است جمع‌آوری نشده است.",
            "contact_name": "مریم شهروند",
            "contact_phone": "",
        },
    )
    assert response.status_code == 200
    case = Case.objects.get(channel="phone")
    assert (case.citizen, case.contact_phone, case.category.code, case.district.code) == (
        citizen,
        "09120000001",
        "waste",
        "district-6",
    )
    assert list(call.cases.all()) == [case]
    assert "پیام ثبت شد" in response.content.decode()
    # A double-submitted form registers nothing more.
    as_agent.post(
        f"/staff/console/calls/{call.public_id}/case/",
        {
            "category": "waste",
            "message_type": "complaint",
            "place": "district-6",
            "description": "زباله‌های کوچه سه روز است جمع‌آوری نشده است.",
        },
    )
    assert Case.objects.filter(channel="phone").count() == 1

    response = as_agent.post(
        f"/staff/console/calls/{call.public_id}/close/", {"disposition": "case_registered"}
    )
    assert response.status_code == 200
    call.refresh_from_db()
    assert call.disposition == "case_registered" and call.closed_at is not None
    assert (
        AuditEntry.objects.filter(action="callcenter.call_close", object_id=str(call.public_id)).count() == 1
    )


def test_bad_registration_input_changes_nothing(agent_ext: Any, as_agent: Client) -> None:
    call = _answered_call()
    response = as_agent.post(
        f"/staff/console/calls/{call.public_id}/case/",
        {"category": "nope", "message_type": "request", "description": "کوتاه"},
    )
    assert response.status_code == 422
    assert "دسته را از فهرست انتخاب کنید." in response.content.decode()
    assert Case.objects.filter(channel="phone").count() == 0
    assert call.cases.count() == 0


def test_closing_as_case_registered_needs_a_case(agent_ext: Any, as_agent: Client) -> None:
    call = _answered_call()
    response = as_agent.post(
        f"/staff/console/calls/{call.public_id}/close/", {"disposition": "case_registered"}
    )
    assert response.status_code == 422
    call.refresh_from_db()
    assert call.closed_at is None and call.disposition == ""


def test_follow_up_note_links_the_case(agent_ext: Any, as_agent: Client, citizen: Any) -> None:
    case = case_submit(
        channel="web",
        message_type="request",
        category="waste",
        description="زباله‌ها جمع نشده است.",
        citizen=citizen,
    ).case
    call = _answered_call()
    response = as_agent.post(
        f"/staff/console/calls/{call.public_id}/follow-up/",
        {"case": str(case.public_id), "note": "شهروند پیگیری کرد."},
    )
    assert response.status_code == 200
    assert list(call.cases.all()) == [case]
    assert case.events.get(kind="note").internal_note == "شهروند پیگیری کرد."


def test_lookup_by_tracking_code_and_by_phone(as_agent: Client, citizen: Any) -> None:
    case = case_submit(
        channel="web",
        message_type="request",
        category="waste",
        description="زباله‌ها جمع نشده است.",
        citizen=citizen,
    ).case
    by_code = as_agent.get("/staff/console/lookup/", {"q": case.tracking_code})
    by_phone = as_agent.get("/staff/console/lookup/", {"q": "۰۹۱۲۰۰۰۰۰۰۱"})
    bad = as_agent.get("/staff/console/lookup/", {"q": "xx"})
    assert str(case.public_id) in by_code.content.decode()
    assert str(case.public_id) in by_phone.content.decode()
    assert bad.status_code == 422


def test_state_changes_and_after_call_work_is_respected(agent: Any, as_agent: Client, settings: Any) -> None:
    settings.PEYGIR = {**settings.PEYGIR, "CALLCENTER_WRAP_UP_SECONDS": 600}
    response = as_agent.post("/staff/console/state/", {"state": "available"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert AgentState.objects.get(user=agent).state == "available"
    bad = as_agent.post("/staff/console/state/", {"state": "on_call"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422
    assert AgentState.objects.get(user=agent).state == "available"


def test_transfer_queues_a_redirect_for_the_pbx(agent_ext: Any, as_agent: Client) -> None:
    from peygir.callcenter.models import PbxCommand

    call = _answered_call()
    response = as_agent.post(f"/staff/console/calls/{call.public_id}/transfer/", {"target": "۲۰۰۱"})
    assert response.status_code == 200
    command = PbxCommand.objects.get(action="Redirect")
    assert command.fields["Exten"] == "2001" and command.fields["Channel"] == f"linkedid:{call.linkedid}"
    bad = as_agent.post(f"/staff/console/calls/{call.public_id}/transfer/", {"target": "abc"})
    assert bad.status_code == 422
    assert PbxCommand.objects.filter(action="Redirect").count() == 1


# --- permission matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/staff/console/", "/staff/callcenter/calls/", "/staff/callcenter/wallboard/"]
)
def test_anonymous_is_sent_to_sign_in(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


def test_a_citizen_and_an_officer_get_no_console(as_citizen: Client, as_officer6: Client) -> None:
    assert as_citizen.get("/staff/console/").status_code == 403
    assert as_officer6.get("/staff/console/").status_code == 404
    assert as_officer6.get("/staff/console/events/").status_code == 404


def test_another_agent_cannot_see_or_act_on_the_call(
    agent_ext: Any, as_agent_b: Client, as_supervisor: Client
) -> None:
    call = _answered_call()
    for path in (f"/staff/console/calls/{call.public_id}/", f"/staff/callcenter/calls/{call.public_id}/"):
        assert as_agent_b.get(path).status_code == 404
    response = as_agent_b.post(
        f"/staff/console/calls/{call.public_id}/close/", {"disposition": "information"}
    )
    assert response.status_code == 404
    call.refresh_from_db()
    assert call.closed_at is None
    assert "09120000001" not in as_agent_b.get("/staff/callcenter/calls/").content.decode()
    # The supervisor sees it.
    assert as_supervisor.get(f"/staff/callcenter/calls/{call.public_id}/").status_code == 200
    assert "۰۹۱۲۰۰۰۰۰۰۱" in as_supervisor.get("/staff/callcenter/calls/").content.decode()


def test_agents_do_not_see_the_supervisors_boards(as_agent: Client, as_supervisor: Client) -> None:
    for path in (
        "/staff/callcenter/wallboard/",
        "/staff/callcenter/kpis/",
        "/staff/callcenter/agents/",
        "/staff/callcenter/kb/",
        "/staff/callcenter/clinic/",
    ):
        assert as_agent.get(path).status_code == 404, path
        assert as_supervisor.get(path).status_code == 200, path
    assert as_supervisor.get("/staff/callcenter/wallboard/panel/").status_code == 200
    assert as_supervisor.get("/staff/callcenter/kpis/", {"start": "bad"}).status_code == 422

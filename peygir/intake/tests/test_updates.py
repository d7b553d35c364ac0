"""mySociety's servicerequestupdates: public timeline out, a reporter's reply or objection in."""

from __future__ import annotations

import pytest
from django.utils import timezone

from peygir.cases.models import Case, CaseEvent
from peygir.cases.services import case_transition
from peygir.intake.models import Open311Client, Open311Update

from .conftest import BASE, json_of, request_form, xml_of, xml_shape

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(client, api_key, agent):
    """A case registered by the client, whose updates are recorded in the name of the agent."""
    Open311Client.objects.update(agent=agent)
    client.post(f"{BASE}/requests.json", request_form(api_key))
    return Case.objects.get()


def _update(key, case, /, **overrides):
    form = {
        "api_key": key,
        "service_request_id": case.tracking_code,
        "update_id": "u-1",
        "status": "OPEN",
        "updated_datetime": "2026-03-21T10:30:00+03:30",
        "description": "عکس چاله فرستاده شد؛ کنار ایستگاه اتوبوس است.",
    }
    form.update(overrides)
    return form


def _awaiting(case, officer):
    case = case_transition(case=case, action="accept", actor=officer)
    return case_transition(case=case, action="request_info", actor=officer, note="دقیقاً کجای خیابان؟")


def test_get_updates_lists_public_events_with_extended_statuses(client, submit, officer6):
    case = _awaiting(submit(), officer6)
    root = xml_of(client.get(f"{BASE}/servicerequestupdates.xml"))
    assert root.tag == "service_request_updates"
    assert set(xml_shape(root)["request_update"]) == {
        "update_id",
        "service_request_id",
        "status",
        "description",
        "updated_datetime",
        "media_url",
        "external_status_code",
    }
    rows = [
        (u.findtext("update_id"), u.findtext("status"), u.findtext("description"))
        for u in root.findall("request_update")
    ]
    code = case.tracking_code
    assert rows == [
        (f"{code}-1", "open", ""),
        (f"{code}-2", "in_progress", ""),
        (f"{code}-3", "investigating", "دقیقاً کجای خیابان؟"),
    ]


def test_get_updates_of_a_response_carry_its_resolution(client, submit, officer6, respond):
    respond(submit(), officer6)
    updates = json_of(client.get(f"{BASE}/servicerequestupdates.json"))
    assert [u["status"] for u in updates] == ["open", "in_progress", "fixed"]
    assert updates[-1]["description"] == "چاله با آسفالت گرم پر شد."


def test_get_updates_window_is_limited_to_90_days(client, org_tree):
    args = {"start_date": "2024-01-01T00:00:00Z", "end_date": "2024-12-01T00:00:00Z"}
    response = client.get(f"{BASE}/servicerequestupdates.json", args)
    assert response.status_code == 400


def test_reporter_reply_to_a_question_resumes_the_case(client, api_key, registered, officer6):
    _awaiting(registered, officer6)
    answer = json_of(client.post(f"{BASE}/servicerequestupdates.json", _update(api_key, registered)))
    case = Case.objects.get()
    event = case.events.latest("created_at", "id")
    assert case.phase == "in_progress"
    assert (event.kind, event.public_note, event.actor.username) == (
        "citizen_replied",
        "عکس چاله فرستاده شد؛ کنار ایستگاه اتوبوس است.",
        "agent",
    )
    assert answer == [{"update_id": f"{case.tracking_code}-4"}]
    assert Open311Update.objects.get().event == event


def test_a_retried_update_id_acts_once(client, api_key, registered, officer6):
    _awaiting(registered, officer6)
    first = json_of(client.post(f"{BASE}/servicerequestupdates.json", _update(api_key, registered)))
    second = json_of(client.post(f"{BASE}/servicerequestupdates.json", _update(api_key, registered)))
    assert first == second
    assert CaseEvent.objects.filter(kind="citizen_replied").count() == 1


def test_reopen_after_a_response_is_an_objection(client, api_key, registered, officer6, respond):
    respond(registered, officer6)
    form = _update(api_key, registered, status="REOPEN", description="چاله هنوز هست.")
    assert client.post(f"{BASE}/servicerequestupdates.json", form).status_code == 200
    case = Case.objects.get()
    assert case.phase == "in_progress"
    assert case.events.latest("created_at", "id").kind == "objected"


def test_an_update_that_does_not_fit_the_workflow_is_refused_and_nothing_is_written(
    client, api_key, registered
):
    before = CaseEvent.objects.count()
    response = client.post(f"{BASE}/servicerequestupdates.xml", _update(api_key, registered, status="FIXED"))
    assert response.status_code == 400
    assert "FIXED" in xml_of(response).findtext("error/description")
    assert (CaseEvent.objects.count(), Open311Update.objects.count()) == (before, 0)


def test_updates_need_the_registering_client(client, api_key, submit, agent, officer6):
    from peygir.intake.channels.open311.services import open311_client_create

    case = _awaiting(submit(), officer6)  # registered on the web, not by this client
    Open311Client.objects.update(agent=agent)
    response = client.post(f"{BASE}/servicerequestupdates.json", _update(api_key, case))
    assert response.status_code == 404
    _other, other_key = open311_client_create(name="اپ دیگر")
    assert client.post(f"{BASE}/servicerequestupdates.json", _update(other_key, case)).status_code == 404
    assert Case.objects.get(pk=case.pk).phase == "awaiting_citizen"


def test_a_client_without_an_agent_account_may_not_post_updates(client, api_key, registered, officer6):
    Open311Client.objects.update(agent=None)
    _awaiting(registered, officer6)
    response = client.post(f"{BASE}/servicerequestupdates.json", _update(api_key, registered))
    assert response.status_code == 403
    assert Case.objects.get().phase == "awaiting_citizen"


def test_updates_need_an_api_key_and_every_field(client, api_key, registered):
    response = client.post(f"{BASE}/servicerequestupdates.json", _update(api_key, registered, api_key=""))
    assert response.status_code == 403
    form = _update(api_key, registered)
    del form["update_id"], form["status"]
    response = client.post(f"{BASE}/servicerequestupdates.json", form)
    assert response.status_code == 400
    assert [e["description"] for e in json_of(response)] == [
        "«update_id» فرستاده نشده است.",
        "«status» فرستاده نشده است.",
    ]
    bad = client.post(f"{BASE}/servicerequestupdates.json", _update(api_key, registered, status="MAYBE"))
    assert bad.status_code == 400


def test_updated_datetime_must_be_a_date(client, api_key, registered):
    form = _update(api_key, registered, updated_datetime="soon")
    assert client.post(f"{BASE}/servicerequestupdates.json", form).status_code == 400


def test_update_window_defaults_to_the_last_90_days(client, submit):
    case = submit()
    CaseEvent.objects.filter(case=case).update(created_at=timezone.now() - timezone.timedelta(days=100))
    assert json_of(client.get(f"{BASE}/servicerequestupdates.json")) == []

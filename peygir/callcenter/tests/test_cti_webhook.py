"""The generic CTI webhook (shared secret, idempotent by event id), agents' support and warnings."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from peygir.callcenter.agents import agent_state_set, agent_wrap_up_release, long_talk_scan
from peygir.callcenter.models import AgentState, Call, PbxCommand
from peygir.core.errors import ValidationError
from peygir.notifications.models import Notification

pytestmark = pytest.mark.django_db
SECRET = "webhook-secret-123"


@pytest.fixture(autouse=True)
def _secret(settings: Any) -> None:
    settings.PEYGIR = {**settings.PEYGIR, "CTI_WEBHOOK_SECRET": SECRET}


def post(body: Any, secret: str = SECRET) -> Any:
    return Client().post(
        "/callcenter/cti/webhook/",
        json.dumps(body),
        content_type="application/json",
        HTTP_X_PEYGIR_CTI_SECRET=secret,
    )


def test_webhook_needs_the_secret_and_applies_each_event_once(agent_ext: Any) -> None:
    event = {
        "id": "evt-1",
        "source": "issabel",
        "event": "Newchannel",
        "linkedid": "L-1",
        "fields": {"CallerIDNum": "09120000001"},
    }
    assert post(event, secret="wrong").status_code == 401
    assert Call.objects.count() == 0
    first = post(event)
    again = post(event)
    assert (first.status_code, first.json()["applied"]) == (202, True)
    assert (again.status_code, again.json()["applied"]) == (200, False)
    call = Call.objects.get()
    assert (call.source, call.linkedid, call.caller_number) == ("webhook:issabel", "L-1", "09120000001")
    post(
        {
            "id": "evt-2",
            "source": "issabel",
            "event": "QueueCallerJoin",
            "linkedid": "L-1",
            "fields": {"Queue": "137"},
        }
    )
    post(
        {
            "id": "evt-3",
            "source": "issabel",
            "event": "AgentConnect",
            "linkedid": "L-1",
            "fields": {"Interface": "SIP/1001", "HoldTime": "7"},
        }
    )
    call.refresh_from_db()
    assert (call.status, call.wait_seconds, call.agent.username) == ("answered", 7, "agent")


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"id": "", "event": "Hangup"},
        {"id": "x", "event": "Originate", "fields": {}},
        {"id": "x", "event": "Hangup", "fields": []},
    ],
)
def test_webhook_refuses_bad_bodies(body: Any) -> None:
    assert post(body).status_code == 422 if isinstance(body, dict) else post(body).status_code == 400
    assert Call.objects.count() == 0


def test_agents_endpoint_says_who_may_be_offered_a_call(agent: Any, agent_ext: Any) -> None:
    assert Client().get("/callcenter/cti/agents/").status_code == 401
    agent_state_set(user=agent, state="available")
    AgentState.objects.filter(user=agent).update(
        state="wrap_up", wrap_until=timezone.now() + dt.timedelta(seconds=30)
    )
    body = Client().get("/callcenter/cti/agents/", HTTP_X_PEYGIR_CTI_SECRET=SECRET).json()
    assert body == {"agents": [{"extension": "1001", "state": "wrap_up", "ready": False}]}


def test_after_call_work_holds_the_agent_until_it_is_over(agent: Any, agent_ext: Any) -> None:
    agent_state_set(user=agent, state="available")
    AgentState.objects.filter(user=agent).update(
        state="wrap_up", wrap_until=timezone.now() + dt.timedelta(seconds=30)
    )
    with pytest.raises(ValidationError):
        agent_state_set(user=agent, state="available")
    assert agent_wrap_up_release() == 0
    assert agent_wrap_up_release(now=timezone.now() + dt.timedelta(seconds=31)) == 1
    assert AgentState.objects.get(user=agent).state == "available"
    assert [c.fields["Paused"] for c in PbxCommand.objects.order_by("id")] == ["false", "false"]


def test_long_unbroken_talk_warns_the_supervisors_once(agent: Any, supervisor: Any, settings: Any) -> None:
    settings.PEYGIR = {**settings.PEYGIR, "CALLCENTER_LONG_TALK_MINUTES": 60}
    agent_state_set(user=agent, state="available")
    AgentState.objects.filter(user=agent).update(talk_since_break=59 * 60)
    assert long_talk_scan() == 0
    AgentState.objects.filter(user=agent).update(talk_since_break=61 * 60)
    assert long_talk_scan() == 1
    assert long_talk_scan() == 0
    notice = Notification.objects.get(kind="callcenter_long_talk", to_user=supervisor)
    assert "۶۱" in notice.body or "61" in notice.body
    agent_state_set(user=agent, state="break")
    state = AgentState.objects.get(user=agent)
    assert (state.talk_since_break, state.long_talk_warned_at) == (0, None)

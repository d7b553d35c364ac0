"""The AMI client against a loopback server speaking the protocol, replaying recorded streams."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from asgiref.sync import async_to_sync

from peygir.callcenter.agents import agent_state_set
from peygir.callcenter.ami.client import AmiClient, AmiLoginError
from peygir.callcenter.ami.protocol import Message, StreamParser, encode, parse_block
from peygir.callcenter.cti import cti_event_apply
from peygir.callcenter.models import AgentState, Call, ConsoleEvent, PbxCommand
from peygir.callcenter.pbx import AmiBridge

from .amiserver import FakeAsterisk, recording


def test_parser_splits_messages_across_reads_and_keeps_the_banner() -> None:
    parser = StreamParser()
    data = b"Asterisk Call Manager/9.0.0\r\nResponse: Success\r\nActionID: a1\r\nMess"
    assert list(parser.feed(data)) == []
    assert parser.banner == "Asterisk Call Manager/9.0.0"
    messages = list(parser.feed(b"age: ok\r\n\r\nEvent: Hangup\r\nCause-txt: Normal Clearing\r\n\r\n"))
    assert messages == [
        {"Response": "Success", "ActionID": "a1", "Message": "ok"},
        {"Event": "Hangup", "Cause-txt": "Normal Clearing"},
    ]


def test_encode_strips_line_breaks_from_values() -> None:
    assert encode({"Action": "Login", "Secret": "a\r\nAction: Originate"}) == (
        b"Action: Login\r\nSecret: a  Action: Originate\r\n\r\n"
    )
    assert parse_block("Event: X\nchanvariable: a=1\nchanvariable: b=2").get_ci("ChanVariable") == "a=1\nb=2"


def test_recordings_use_asterisk_field_names() -> None:
    answered = recording("ami_answered_call.ami")
    assert [m.event for m in answered] == [
        "Newchannel",
        "QueueCallerJoin",
        "AgentCalled",
        "Newchannel",
        "DialBegin",
        "AgentConnect",
        "Hold",
        "Unhold",
        "Hangup",
        "AgentComplete",
        "Hangup",
    ]
    assert {m["Linkedid"] for m in answered} == {"1764403200.1"}
    assert answered[2]["Interface"] == "PJSIP/1001"


async def _session(server: FakeAsterisk, *, secret: str = "s3cret") -> tuple[list[Message], AmiClient]:
    port = await server.start()
    received: list[Message] = []
    client = AmiClient(
        host="127.0.0.1", port=port, username="peygir", secret=secret, on_event=received.append
    )
    try:
        await client.connect()
        response = await client.action("QueuePause", Interface="PJSIP/1001", Paused="true")
        assert response.response == "Success"
        assert response.action_id == "peygir-2"  # Login was peygir-1
        await asyncio.sleep(0.05)
    finally:
        await client.close()
        await server.stop()
    return received, client


def test_client_logs_in_receives_events_and_matches_action_responses() -> None:
    server = FakeAsterisk(events_on_login=recording("ami_abandoned_call.ami"))
    received, client = async_to_sync(_session)(server)
    assert client.banner == "Asterisk Call Manager/9.0.0"
    assert server.logins == 1
    assert [m.event for m in received] == [
        "FullyBooted",
        "Newchannel",
        "QueueCallerJoin",
        "QueueCallerAbandon",
        "QueueCallerLeave",
        "Hangup",
    ]
    assert [
        (a["Action"], a["Interface"], a["Paused"]) for a in server.actions if a["Action"] == "QueuePause"
    ] == [("QueuePause", "PJSIP/1001", "true")]


def test_client_reports_a_refused_login() -> None:
    server = FakeAsterisk()
    with pytest.raises(AmiLoginError, match="Authentication failed"):
        async_to_sync(_session)(server, secret="wrong")
    assert server.failed_logins == 1 and server.logins == 0


def test_backoff_doubles_up_to_the_cap() -> None:
    client = AmiClient(host="h", port=1, username="u", secret="s", backoff_start=1, backoff_max=30)
    delays = [client.next_delay(n) for n in (1, 2, 3, 4, 5, 6, 9)]
    for delay, base in zip(delays, (1, 2, 4, 8, 16, 30, 30), strict=True):
        assert base * 0.8 <= delay <= base * 1.2


def test_client_reconnects_after_the_server_drops_the_connection() -> None:
    async def scenario() -> tuple[int, int]:
        server = FakeAsterisk(events_on_login=[], drop_after_events=True)
        port = await server.start()
        client = AmiClient(
            host="127.0.0.1",
            port=port,
            username="peygir",
            secret="s3cret",
            backoff_start=0.01,
            backoff_max=0.05,
        )
        stop = asyncio.Event()
        runner = asyncio.create_task(client.run_forever(stop))
        for _ in range(200):
            if server.logins >= 3:
                break
            await asyncio.sleep(0.01)
        stop.set()
        await runner
        await server.stop()
        return server.logins, client.sessions

    logins, sessions = async_to_sync(scenario)()
    assert logins >= 3 and sessions == logins


def _replay_through_bridge(events: list[Message], *, until: Any) -> FakeAsterisk:
    async def scenario() -> FakeAsterisk:
        server = FakeAsterisk()
        port = await server.start()
        bridge = AmiBridge(
            {"host": "127.0.0.1", "port": port, "username": "peygir", "secret": "s3cret"}, poll_seconds=0.02
        )
        stop = asyncio.Event()
        runner = asyncio.create_task(bridge.run(stop))
        await bridge.client.connected.wait()
        await server.send(events)
        for _ in range(300):
            await asyncio.sleep(0.01)
            if bridge.applied >= len([e for e in events if e.event != "QueueCallerLeave"]) and await until():
                break
        stop.set()
        await runner
        await server.stop()
        return server

    return async_to_sync(scenario)()


@pytest.mark.django_db
def test_replayed_answered_call_becomes_a_call_record_with_pops_and_a_queue_pause(
    agent: Any, agent_ext: Any, citizen: Any, settings: Any
) -> None:
    settings.PEYGIR = {**settings.PEYGIR, "CALLCENTER_WRAP_UP_SECONDS": 3600}
    agent_state_set(user=agent, state=AgentState.State.AVAILABLE)
    PbxCommand.objects.all().delete()  # the unpause of signing in

    from asgiref.sync import sync_to_async

    @sync_to_async
    def paused() -> bool:
        return PbxCommand.objects.filter(status=PbxCommand.Status.SENT).exists()

    server = _replay_through_bridge(recording("ami_answered_call.ami"), until=paused)

    call = Call.objects.get()
    assert call.linkedid == "1764403200.1"
    assert call.queue.name == "137"
    assert call.caller_number == "09120000001"
    assert call.citizen == citizen
    assert call.agent == agent
    assert call.status == Call.Status.COMPLETED
    assert call.offered_at == dt.datetime(2025, 11, 29, 8, 0, 1, tzinfo=dt.UTC)
    assert call.answered_at == dt.datetime(2025, 11, 29, 8, 0, 13, tzinfo=dt.UTC)
    assert (call.wait_seconds, call.talk_seconds, call.hold_seconds) == (12, 95, 10)
    assert list(
        ConsoleEvent.objects.filter(user=agent, call=call).values_list("kind", flat=True).order_by("id")
    ) == [
        "ring",
        "answer",
        "hangup",
    ]
    state = AgentState.objects.get(user=agent)
    assert state.state == AgentState.State.WRAP_UP
    assert state.talk_since_break == 95
    # After-call work: the PBX was told to pause the agent's queue membership.
    assert [
        (a["Action"], a["Interface"], a["Paused"]) for a in server.actions if a["Action"] == "QueuePause"
    ] == [("QueuePause", "PJSIP/1001", "true")]


@pytest.mark.django_db
def test_replayed_abandoned_call_counts_its_wait(agent_ext: Any) -> None:
    for event in recording("ami_abandoned_call.ami"):
        cti_event_apply(event=event)
    call = Call.objects.get()
    assert (call.status, call.wait_seconds, call.caller_number, call.agent) == (
        Call.Status.ABANDONED,
        41,
        "02188776655",
        None,
    )
    assert call.ended_at == dt.datetime(2025, 11, 29, 8, 5, 43, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_replaying_the_same_stream_twice_changes_nothing_more(agent: Any, agent_ext: Any) -> None:
    events = recording("ami_answered_call.ami")
    for event in events + events:
        cti_event_apply(event=event)
    call = Call.objects.get()
    assert (call.status, call.talk_seconds) == (Call.Status.COMPLETED, 95)
    assert ConsoleEvent.objects.filter(call=call, kind="ring").count() == 1


@pytest.mark.django_db
def test_a_second_call_from_the_same_number_within_a_week_is_a_repeat(agent_ext: Any) -> None:
    events = recording("ami_answered_call.ami")
    for event in events:
        cti_event_apply(event=event)
    later = [
        Message({**e, "Linkedid": "1764490000.9", "Uniqueid": "1764490000.9", "Timestamp": "1764490000"})
        for e in events[:2]
    ]
    for event in later:
        cti_event_apply(event=event)
    first, second = Call.objects.order_by("offered_at")
    assert (second.is_repeat, second.previous_call) == (True, first)
    assert first.is_repeat is False


@pytest.mark.django_db
def test_an_ivr_only_call_leaves_no_record() -> None:
    events = recording("ami_abandoned_call.ami")
    cti_event_apply(event=events[0])
    assert Call.objects.count() == 1
    cti_event_apply(event=events[-1])
    assert Call.objects.count() == 0

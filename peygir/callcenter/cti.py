"""Computer-telephony integration: PBX events in, call records and screen pops out.

``cti_event_apply`` takes one event in Asterisk's AMI vocabulary (the AMI consumer passes them as
they come; the webhook maps other PBXs' events onto the same names) and updates the ``Call`` its
``Linkedid`` names. Events of one call arrive in order on one connection; each is applied in its own
transaction, so a screen pop is visible to the console as soon as its event is.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from peygir.audit.services import audit_record
from peygir.core.text import normalize_mobile, to_latin_digits

from .agents import agent_call_ended, agent_call_started
from .models import AgentExtension, Call, ConsoleEvent, CtiReceipt, Queue

logger = logging.getLogger(__name__)

# The events that change a call; everything else the PBX sends is ignored.
HANDLED_EVENTS = frozenset(
    {
        "Newchannel",
        "QueueCallerJoin",
        "DialBegin",
        "AgentCalled",
        "AgentConnect",
        "AgentComplete",
        "AgentRingNoAnswer",
        "Hold",
        "Unhold",
        "QueueCallerAbandon",
        "Hangup",
    }
)
_INTERFACE = re.compile(r"^(?:[A-Za-z0-9_]+/)?([^@/\-;]+)")


def caller_key(number: str) -> str:
    """How a caller number is stored: a mobile as 09xxxxxxxxx, anything else as its digits."""
    number = to_latin_digits(number or "").strip()
    if number in ("", "<unknown>", "anonymous"):
        return ""
    return normalize_mobile(number) or re.sub(r"\D", "", number)[:32]


def extension_of(value: str) -> str:
    """``PJSIP/1001`` · ``PJSIP/1001-0000002a`` · ``Local/1001@agents/n`` · ``1001`` → ``1001``."""
    match = _INTERFACE.match((value or "").strip())
    return match.group(1) if match else ""


def agent_for(event: Mapping[str, str]) -> Any:
    """The staff user behind the event's queue member or dialled channel, or None."""
    for key in ("Interface", "DestChannel", "MemberName"):
        extension = extension_of(_get(event, key))
        if extension:
            row = (
                AgentExtension.objects.filter(extension=extension, is_active=True)
                .select_related("user")
                .first()
            )
            if row is not None:
                return row.user
    return None


def _get(event: Mapping[str, str], key: str) -> str:
    value = event.get(key)
    if value is None:
        lowered = key.lower()
        value = next((v for k, v in event.items() if k.lower() == lowered), "")
    return str(value)


def _int(value: str) -> int | None:
    try:
        return max(0, int(float(value)))
    except (TypeError, ValueError):
        return None


def _queue(name: str) -> Queue | None:
    if not name:
        return None
    queue, _created = Queue.objects.get_or_create(name=name[:80], defaults={"title": name[:150]})
    return queue


def _find_previous(call: Call) -> Call | None:
    if not call.caller_number:
        return None
    window = dt.timedelta(days=int(settings.PEYGIR["CALLCENTER_REPEAT_DAYS"]))
    return (
        Call.objects.filter(
            caller_number=call.caller_number,
            offered_at__gte=call.offered_at - window,
            offered_at__lt=call.offered_at,
        )
        .exclude(pk=call.pk)
        .order_by("-offered_at", "-id")
        .first()
    )


def _new_call(*, source: str, linkedid: str, number: str, at: dt.datetime) -> Call:
    caller = caller_key(number)
    citizen = None
    if caller.startswith("09"):
        citizen = get_user_model().objects.filter(mobile=caller, is_active=True).first()
    call = Call(source=source, linkedid=linkedid, caller_number=caller, citizen=citizen, offered_at=at)
    previous = _find_previous(call)
    if previous is not None:
        call.is_repeat, call.previous_call = True, previous
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError:
        return Call.objects.get(source=source, linkedid=linkedid)
    return call


def _call_for(event: Mapping[str, str], *, source: str, at: dt.datetime, create: bool) -> Call | None:
    linkedid = _get(event, "Linkedid") or _get(event, "Uniqueid")
    if not linkedid:
        return None
    call = Call.objects.filter(source=source, linkedid=linkedid).first()
    if call is None and create:
        call = _new_call(source=source, linkedid=linkedid, number=_get(event, "CallerIDNum"), at=at)
    return call


def _pop(user: Any, call: Call, kind: str, at: dt.datetime) -> None:
    if (
        kind == ConsoleEvent.Kind.RING
        and ConsoleEvent.objects.filter(user=user, call=call, kind=kind).exists()
    ):
        return  # AgentCalled and DialBegin both announce the same ring
    ConsoleEvent.objects.create(user=user, call=call, kind=kind, event_at=at)


def _finish(call: Call, at: dt.datetime, *, abandoned: bool) -> None:
    if call.status in (Call.Status.COMPLETED, Call.Status.ABANDONED):
        return
    ringing_agent = call.agent
    if abandoned:
        call.status = Call.Status.ABANDONED
        if call.wait_seconds is None:
            call.wait_seconds = max(0, int((at - call.offered_at).total_seconds()))
        call.agent = None
    else:
        call.status = Call.Status.COMPLETED
        if call.talk_seconds is None and call.answered_at is not None:
            call.talk_seconds = max(0, int((at - call.answered_at).total_seconds()) - call.hold_seconds)
    call.ended_at = call.ended_at or at
    call.save()
    if ringing_agent is not None:
        _pop(ringing_agent, call, ConsoleEvent.Kind.HANGUP, at)
        if not abandoned:
            agent_call_ended(user=ringing_agent, now=at, talk_seconds=call.talk_seconds or 0)
    audit_record(
        actor="callcenter.cti",
        action="callcenter.call_abandoned" if abandoned else "callcenter.call_completed",
        object_type="callcenter.call",
        object_id=str(call.public_id),
        after={"status": call.status, "wait": call.wait_seconds, "talk": call.talk_seconds},
    )


def _apply(name: str, event: Mapping[str, str], *, source: str, at: dt.datetime) -> Call | None:
    creating = name in ("Newchannel", "QueueCallerJoin", "AgentCalled", "DialBegin")
    if name == "Newchannel" and _get(event, "Uniqueid") != _get(event, "Linkedid"):
        creating = False  # a leg of a call already known (the agent's channel)
    call = _call_for(event, source=source, at=at, create=creating)
    if call is None:
        return None
    if name == "QueueCallerJoin":
        call.queue = _queue(_get(event, "Queue"))
        call.offered_at = at
        call.save(update_fields=["queue", "offered_at", "updated_at"])
    elif name in ("AgentCalled", "DialBegin"):
        agent = agent_for(event)
        if agent is None or call.status not in (Call.Status.QUEUED, Call.Status.RINGING):
            return call
        if name == "AgentCalled" and call.queue is None:
            call.queue = _queue(_get(event, "Queue"))
        call.status, call.agent = Call.Status.RINGING, agent
        call.save(update_fields=["queue", "status", "agent", "updated_at"])
        _pop(agent, call, ConsoleEvent.Kind.RING, at)
    elif name == "AgentRingNoAnswer":
        agent = agent_for(event)
        if agent is not None and call.agent_id == agent.pk and call.status == Call.Status.RINGING:
            call.status, call.agent = Call.Status.QUEUED, None
            call.save(update_fields=["status", "agent", "updated_at"])
            _pop(agent, call, ConsoleEvent.Kind.HANGUP, at)
    elif name == "AgentConnect" and call.status in (Call.Status.QUEUED, Call.Status.RINGING):
        agent = agent_for(event) or call.agent
        call.status, call.agent, call.answered_at = Call.Status.ANSWERED, agent, at
        call.queue = call.queue or _queue(_get(event, "Queue"))
        wait = _int(_get(event, "HoldTime"))
        call.wait_seconds = wait if wait is not None else max(0, int((at - call.offered_at).total_seconds()))
        call.save()
        if agent is not None:
            _pop(agent, call, ConsoleEvent.Kind.ANSWER, at)
            agent_call_started(user=agent, now=at)
    elif name == "Hold" and call.hold_started_at is None and call.status == Call.Status.ANSWERED:
        call.hold_started_at = at
        call.save(update_fields=["hold_started_at", "updated_at"])
    elif name == "Unhold" and call.hold_started_at is not None and call.status == Call.Status.ANSWERED:
        held = max(0, int((at - call.hold_started_at).total_seconds()))
        Call.objects.filter(pk=call.pk).update(hold_seconds=F("hold_seconds") + held, hold_started_at=None)
        call.refresh_from_db()
    elif name == "AgentComplete":
        talk = _int(_get(event, "TalkTime"))
        wait = _int(_get(event, "HoldTime"))
        if talk is not None:
            call.talk_seconds = max(0, talk - call.hold_seconds)
        if wait is not None:
            call.wait_seconds = wait
        already = call.status == Call.Status.COMPLETED
        _finish(call, at, abandoned=False)
        if already and call.agent is not None:
            call.save(update_fields=["talk_seconds", "wait_seconds", "updated_at"])
    elif name == "QueueCallerAbandon":
        wait = _int(_get(event, "HoldTime"))
        if wait is not None:
            call.wait_seconds = wait
        _finish(call, at, abandoned=True)
    elif name == "Hangup" and _get(event, "Uniqueid") == call.linkedid:
        if call.status == Call.Status.ANSWERED:
            _finish(call, at, abandoned=False)
        elif call.status in (Call.Status.QUEUED, Call.Status.RINGING):
            if call.queue_id is None and call.agent_id is None:
                call.delete()  # never reached the call center (IVR only, an internal call)
                return None
            _finish(call, at, abandoned=True)
    return call


def event_time(event: Mapping[str, str]) -> dt.datetime:
    """The event's ``Timestamp`` (AMI with ``timestampevents=yes``) or now."""
    stamp = _get(event, "Timestamp")
    if stamp:
        try:
            return dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            pass
    return timezone.now()


def cti_event_apply(
    *, event: Mapping[str, str], source: str = "ami", at: dt.datetime | None = None
) -> Call | None:
    """Apply one PBX event to its call; returns the call (None for an event about no call).

    Unknown events are ignored. Raises nothing for odd input: a PBX must never be able to stop the
    consumer. Sets off: console events (screen pops) for the agent, agent state changes.
    """
    name = _get(event, "Event")
    if name not in HANDLED_EVENTS:
        return None
    at = at or event_time(event)
    with transaction.atomic():
        return _apply(name, event, source=source, at=at)


def cti_webhook_receive(*, source: str, event_id: str, event: Mapping[str, str]) -> tuple[Call | None, bool]:
    """A webhook event, applied once per (source, event id). Returns (call, applied)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                CtiReceipt.objects.create(source=source[:40], event_id=event_id[:120])
        except IntegrityError:
            return None, False
        call = cti_event_apply(event=event, source=source[:40])
    return call, True

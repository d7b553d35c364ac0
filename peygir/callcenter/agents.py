"""Writes about agents: their presence on the console, after-call work, the long-talk warning.

Every state change closes the open ``AgentStateChange`` stretch and opens the next one, and tells the
PBX (through the ``PbxCommand`` outbox) to pause or unpause the agent's queue membership, so that
an agent in after-call work, on a break or offline is not offered the next call.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from peygir.audit.services import audit_record
from peygir.core.errors import ValidationError
from peygir.notifications.models import Notification
from peygir.notifications.services import notification_enqueue
from peygir.org.models import Membership

from .models import AgentExtension, AgentState, AgentStateChange, ConsoleEvent, PbxCommand

State = AgentState.State
# States the agent may choose on the console; on_call and wrap_up follow the calls themselves.
CHOOSABLE = (State.AVAILABLE, State.BREAK, State.OFFLINE)
PAUSED_STATES = (State.WRAP_UP, State.BREAK, State.OFFLINE, State.ON_CALL)


def _conf(name: str) -> Any:
    return settings.PEYGIR[name]


def agent_state_get(user: Any) -> AgentState:
    """The agent's presence row (created offline on first use)."""
    state, _created = AgentState.objects.get_or_create(user=user, defaults={"since": timezone.now()})
    return state


def _queue_pause_commands(user: Any, paused: bool, reason: str) -> None:
    for extension in AgentExtension.objects.filter(user=user, is_active=True).values_list(
        "extension", flat=True
    ):
        PbxCommand.objects.create(
            action="QueuePause",
            fields={
                "Interface": f"PJSIP/{extension}",
                "Paused": "true" if paused else "false",
                "Reason": reason,
            },
        )


def _apply(user: Any, current: AgentState, new_state: str, now: dt.datetime, **changes: Any) -> AgentState:
    """Move the agent to ``new_state`` (inside a transaction): the row, the stretch, the PBX pause."""
    updated = AgentState.objects.filter(pk=current.pk, version=current.version).update(
        state=new_state, since=now, version=F("version") + 1, **changes
    )
    if not updated:
        raise ValidationError(_("وضعیت شما هم‌زمان تغییر کرد؛ دوباره تلاش کنید."), code="state_changed")
    AgentStateChange.objects.filter(user=user, ended_at__isnull=True).update(ended_at=now)
    if new_state != State.OFFLINE:
        AgentStateChange.objects.create(user=user, state=new_state, started_at=now)
    was_paused = current.state in PAUSED_STATES
    now_paused = new_state in PAUSED_STATES
    if was_paused != now_paused and new_state != State.ON_CALL and current.state != State.ON_CALL:
        _queue_pause_commands(user, now_paused, new_state)
    ConsoleEvent.objects.create(user=user, kind=ConsoleEvent.Kind.STATE, event_at=now)
    current.refresh_from_db()
    return current


def agent_state_set(
    *, user: Any, state: str, actor: Any = None, now: dt.datetime | None = None
) -> AgentState:
    """The agent chooses a state on the console (available, break, offline).

    Raises ValidationError for a state the agent cannot choose, for "available" while a call is in
    progress or before the after-call work time is over. Sets off: a QueuePause/unpause for the PBX.
    """
    now = now or timezone.now()
    if state not in CHOOSABLE:
        raise ValidationError(_("این وضعیت را نمی‌توان انتخاب کرد."), code="bad_state")
    with transaction.atomic():
        current = agent_state_get(user)
        if current.state == state:
            return current
        if current.state == State.ON_CALL:
            raise ValidationError(_("در میانه تماس نمی‌توان وضعیت را تغییر داد."), code="on_call")
        if state == State.AVAILABLE and current.wrap_until and current.wrap_until > now:
            seconds = int((current.wrap_until - now).total_seconds()) + 1
            raise ValidationError(
                _("زمان کار پس از تماس هنوز تمام نشده است (%(seconds)s ثانیه دیگر).") % {"seconds": seconds},
                code="wrap_up",
            )
        changes: dict[str, Any] = {}
        if state in (State.BREAK, State.OFFLINE):
            changes = {"talk_since_break": 0, "long_talk_warned_at": None}
        if state == State.AVAILABLE:
            changes["wrap_until"] = None
        before = current.state
        result = _apply(user, current, state, now, **changes)
        audit_record(
            actor=actor or user,
            action="callcenter.agent_state",
            object_type="accounts.user",
            object_id=str(user.pk),
            before={"state": before},
            after={"state": state},
        )
    return result


def agent_call_started(*, user: Any, now: dt.datetime) -> None:
    """The PBX connected a call to the agent (inside the CTI transaction)."""
    current = agent_state_get(user)
    if current.state != State.ON_CALL:
        _apply(user, current, State.ON_CALL, now, wrap_until=None)


def agent_call_ended(*, user: Any, now: dt.datetime, talk_seconds: int) -> None:
    """The agent's call ended: after-call work until ``now + CALLCENTER_WRAP_UP_SECONDS``."""
    current = agent_state_get(user)
    AgentState.objects.filter(pk=current.pk).update(
        talk_since_break=F("talk_since_break") + max(0, talk_seconds)
    )
    current.refresh_from_db()
    if current.state == State.ON_CALL:
        # From the wall clock, not the event's own stamp: a late or replayed event still gets its wrap-up.
        start = max(now, timezone.now())
        wrap_until = start + dt.timedelta(seconds=int(_conf("CALLCENTER_WRAP_UP_SECONDS")))
        _apply(user, current, State.WRAP_UP, now, wrap_until=wrap_until)
        # The PBX must not offer a call during after-call work, whatever its own wrap-up setting says.
        _queue_pause_commands(user, True, State.WRAP_UP)


def agent_wrap_up_release(*, now: dt.datetime | None = None) -> int:
    """Agents whose after-call work is over become available again; returns how many.

    Run every few seconds by ``run_ami`` and by the periodic task. Sets off: unpause for the PBX.
    """
    now = now or timezone.now()
    released = 0
    for state in AgentState.objects.filter(state=State.WRAP_UP, wrap_until__lte=now).select_related("user"):
        with transaction.atomic():
            try:
                _apply(state.user, state, State.AVAILABLE, now, wrap_until=None)
            except ValidationError:
                continue
            audit_record(
                actor="callcenter.wrap_up",
                action="callcenter.agent_state",
                object_type="accounts.user",
                object_id=str(state.user_id),
                before={"state": State.WRAP_UP},
                after={"state": State.AVAILABLE},
            )
        released += 1
    return released


def _supervisors() -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(
            is_active=True, memberships__role=Membership.Role.SUPERVISOR, memberships__is_active=True
        )
        .distinct()
    )


def long_talk_seconds(state: AgentState, now: dt.datetime) -> int:
    """Talk seconds since the agent's last break, the call in progress included."""
    total = state.talk_since_break
    if state.state == State.ON_CALL:
        total += int((now - state.since).total_seconds())
    return total


def long_talk_scan(*, now: dt.datetime | None = None) -> int:
    """Warn the supervisors (in-app notice) about each agent past ``CALLCENTER_LONG_TALK_MINUTES`` of
    talk since their last break; once per stretch. Returns how many agents were reported."""
    now = now or timezone.now()
    limit = int(_conf("CALLCENTER_LONG_TALK_MINUTES")) * 60
    warned = 0
    supervisors: list[Any] | None = None
    states = AgentState.objects.filter(
        state__in=[State.ON_CALL, State.WRAP_UP, State.AVAILABLE], long_talk_warned_at__isnull=True
    ).select_related("user")
    for state in states:
        if long_talk_seconds(state, now) < limit:
            continue
        supervisors = supervisors if supervisors is not None else _supervisors()
        with transaction.atomic(), override(settings.LANGUAGE_CODE):
            if not AgentState.objects.filter(pk=state.pk, long_talk_warned_at__isnull=True).update(
                long_talk_warned_at=now
            ):
                continue
            minutes = long_talk_seconds(state, now) // 60
            text = _("%(agent)s %(minutes)s دقیقه بدون استراحت مکالمه کرده است.") % {
                "agent": state.user,
                "minutes": minutes,
            }
            for supervisor in supervisors:
                notification_enqueue(
                    channel=Notification.Channel.INAPP,
                    to_user=supervisor,
                    kind="callcenter_long_talk",
                    subject=_("مکالمه طولانی بدون استراحت"),
                    body=text,
                    dedupe_key=f"callcenter_long_talk:{state.user_id}:{now:%Y%m%d%H%M%S}:{supervisor.pk}",
                )
            audit_record(
                actor="callcenter.long_talk",
                action="callcenter.long_talk_warning",
                object_type="accounts.user",
                object_id=str(state.user_id),
                after={"talk_seconds": long_talk_seconds(state, now)},
            )
        warned += 1
    return warned

"""Reads with rules: who may use the console and see which calls, the caller's 360° view."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from peygir.cases.models import Case
from peygir.cases.selectors import staff_scope
from peygir.core.errors import NotFound
from peygir.feedback.models import Rating
from peygir.org.models import Membership

from .models import Call, ConsoleEvent

CONSOLE_ROLES = frozenset({Membership.Role.AGENT, Membership.Role.SUPERVISOR})


def is_agent(user: Any) -> bool:
    """True for a member of staff with an active agent membership."""
    return bool(staff_scope(user).paths({Membership.Role.AGENT}))


def is_callcenter_supervisor(user: Any) -> bool:
    return bool(staff_scope(user).paths({Membership.Role.SUPERVISOR}))


def can_use_console(user: Any) -> bool:
    """Agents and supervisors (who stand in for agents) work the console."""
    return bool(staff_scope(user).paths(set(CONSOLE_ROLES)))


def calls_visible_to(user: Any) -> QuerySet[Call]:
    """Calls whose personal data (number, citizen, notes) the user may see: a supervisor all of
    them, an agent only the calls they answered (or that are ringing for them)."""
    qs = Call.objects.select_related("queue", "agent", "citizen")
    if is_callcenter_supervisor(user):
        return qs
    if is_agent(user):
        return qs.filter(agent=user)
    return qs.none()


def access_call(*, user: Any, public_id: Any) -> Call:
    """The call, if ``user`` may see its personal data; NotFound otherwise (never reveal it exists)."""
    not_found = NotFound(_("تماسی با این شناسه پیدا نشد."))
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise not_found from exc
    call = calls_visible_to(user).filter(public_id=key).first()
    if call is None:
        raise not_found
    return call


def console_events_after(user: Any, after_id: int, *, limit: int = 20) -> list[ConsoleEvent]:
    """The agent's console events with id > ``after_id``, oldest first (the SSE feed)."""
    return list(
        ConsoleEvent.objects.filter(user=user, id__gt=after_id).select_related("call").order_by("id")[:limit]
    )


def console_last_event_id(user: Any) -> int:
    last = ConsoleEvent.objects.filter(user=user).order_by("-id").values_list("id", flat=True).first()
    return int(last or 0)


def current_call_for(user: Any) -> Call | None:
    """The agent's call that is ringing, in progress or waiting for its disposition."""
    return (
        Call.objects.filter(agent=user)
        .filter(
            Q(status__in=[Call.Status.RINGING, Call.Status.ANSWERED])
            | Q(status=Call.Status.COMPLETED, closed_at__isnull=True)
        )
        .select_related("queue", "citizen")
        .order_by("-offered_at", "-id")
        .first()
    )


@dataclass
class CallerProfile:
    """The 360° view of a caller: who they are, their cases, their last satisfaction, their calls."""

    number: str
    citizen: Any = None
    open_cases: list[Case] = field(default_factory=list)
    recent_cases: list[Case] = field(default_factory=list)
    last_rating: Rating | None = None
    previous_calls: list[Call] = field(default_factory=list)
    repeat_within_window: bool = False


def caller_profile(*, call: Call, limit: int = 5) -> CallerProfile:
    """Everything the agent should see when ``call`` pops: cases by the citizen account or by the
    contact phone, the last rating they gave, their earlier calls (newest first)."""
    profile = CallerProfile(number=call.caller_number, citizen=call.citizen)
    if not call.caller_number and call.citizen_id is None:
        return profile
    who = Q()
    if call.citizen_id is not None:
        who |= Q(citizen_id=call.citizen_id)
    if call.caller_number:
        who |= Q(contact_phone=call.caller_number)
    cases = (
        Case.objects.filter(who).select_related("category", "unit", "message_type").order_by("-created_at")
    )
    profile.open_cases = list(cases.filter(phase__in=Case.OPEN_PHASES)[:limit])
    profile.recent_cases = list(cases.exclude(phase__in=Case.OPEN_PHASES)[:limit])
    rating_who = Q(case__contact_phone=call.caller_number) if call.caller_number else Q()
    if call.citizen_id is not None:
        rating_who |= Q(citizen_id=call.citizen_id)
    profile.last_rating = (
        Rating.objects.filter(rating_who).select_related("case").order_by("-created_at").first()
    )
    if call.caller_number:
        profile.previous_calls = list(
            Call.objects.filter(caller_number=call.caller_number, offered_at__lt=call.offered_at)
            .select_related("agent", "queue")
            .order_by("-offered_at")[:limit]
        )
    window = dt.timedelta(days=int(settings.PEYGIR["CALLCENTER_REPEAT_DAYS"]))
    profile.repeat_within_window = any(
        c.offered_at >= call.offered_at - window for c in profile.previous_calls
    )
    return profile


def cases_by_phone(phone: str, *, limit: int = 10) -> list[Case]:
    """Cases whose contact phone (or whose citizen's mobile) is ``phone`` (agents see the whole city)."""
    return list(
        Case.objects.filter(Q(contact_phone=phone) | Q(citizen__mobile=phone))
        .select_related("category", "unit")
        .order_by("-created_at")[:limit]
    )


def calls_today(now: dt.datetime | None = None) -> QuerySet[Call]:
    now = timezone.localtime(now or timezone.now())
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return Call.objects.filter(offered_at__gte=start)

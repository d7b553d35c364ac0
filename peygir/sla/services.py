"""Deadlines: when a case must be answered and resolved, and how a pause for the citizen moves them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peygir.catalog.models import Category, Priority

from .calendar import WorkingCalendar
from .models import SlaPolicy
from .selectors import calendar_cached, calendar_load, sla_policy_find

__all__ = ["Deadlines", "calendar_load", "compute_deadlines", "deadline_after_pause", "warning_time"]

# With no resolution time configured, resolving may take three times the time to first response.
DEFAULT_RESOLVE_MULTIPLIER = 3
_AROUND_THE_CLOCK = WorkingCalendar(hours={}, around_the_clock=True)


@dataclass(frozen=True)
class Deadlines:
    """Aware UTC instants by which a case must get its first response and be resolved."""

    respond_by: dt.datetime
    resolve_by: dt.datetime


def _hours(hours: int | Decimal, factor: Decimal) -> dt.timedelta:
    return dt.timedelta(seconds=int((Decimal(hours) * factor * 3600).to_integral_value()))


def _clock(
    *, category: Category, policy: SlaPolicy | None, working_calendar: WorkingCalendar | None
) -> WorkingCalendar:
    """The calendar to count on: around the clock, the policy's calendar, or the default one."""
    if policy is not None and policy.around_the_clock is not None:
        around = policy.around_the_clock
    else:
        around = category.around_the_clock
    if around:
        return _AROUND_THE_CLOCK
    wanted = policy.calendar if policy is not None and policy.calendar_id else None
    if working_calendar is not None and (
        (wanted is None and working_calendar.is_default)
        or (wanted is not None and working_calendar.calendar_id == wanted.pk)
    ):
        return working_calendar
    return calendar_cached(wanted)


def compute_deadlines(
    *,
    category: Category,
    priority: Priority | None = None,
    start: dt.datetime,
    working_calendar: WorkingCalendar | None = None,
) -> Deadlines:
    """The response and resolution deadlines of a case in ``category`` registered at ``start``.

    Hours come from the policy for (category, priority); else the policy for (category, any priority);
    else the category (``sla_hours`` to respond, ``resolve_hours`` or 3 × ``sla_hours`` to resolve).
    The priority's ``sla_factor`` scales the last two (a priority-specific policy already states that
    priority's hours). They are counted on the policy's calendar or the default one, or around the clock
    when the policy (or, if it does not say, the category) is around the clock. Pass a preloaded
    ``working_calendar`` to spare the calendar queries in a batch; it is used only when it is the one
    required. Raises ValueError for a naive ``start``. Sets off nothing.
    """
    policy = sla_policy_find(category=category, priority=priority)
    factor = Decimal(priority.sla_factor) if priority is not None else Decimal(1)
    if policy is not None and policy.priority_id is not None:
        respond, resolve, factor = policy.respond_hours, policy.resolve_hours, Decimal(1)
    elif policy is not None:
        respond, resolve = policy.respond_hours, policy.resolve_hours
    else:
        respond = category.sla_hours
        resolve = category.resolve_hours or category.sla_hours * DEFAULT_RESOLVE_MULTIPLIER
    clock = _clock(category=category, policy=policy, working_calendar=working_calendar)
    return Deadlines(
        respond_by=clock.add_working_time(start, _hours(respond, factor)),
        resolve_by=clock.add_working_time(start, _hours(resolve, factor)),
    )


def deadline_after_pause(
    *,
    deadline: dt.datetime,
    paused_at: dt.datetime,
    resumed_at: dt.datetime,
    category: Category,
    priority: Priority | None = None,
    working_calendar: WorkingCalendar | None = None,
) -> dt.datetime:
    """``deadline`` moved later by the working time that elapsed while the case awaited the citizen.

    The SLA clock stops during the pause: a pause over a weekend or a holiday moves the deadline only by
    the working time inside it; for around-the-clock work, by the wall time. The same policy and calendar
    as compute_deadlines apply. A resume at or before the pause returns ``deadline`` unchanged (UTC).
    Raises ValueError for naive datetimes. Sets off nothing.
    """
    policy = sla_policy_find(category=category, priority=priority)
    clock = _clock(category=category, policy=policy, working_calendar=working_calendar)
    paused = clock.working_time_between(paused_at, resumed_at)
    if paused <= dt.timedelta(0):
        return clock.add_working_time(deadline, dt.timedelta(0))
    return clock.add_working_time(deadline, paused)


def warning_time(
    *,
    category: Category,
    start: dt.datetime,
    deadline: dt.datetime,
    ratio: float,
    priority: Priority | None = None,
    working_calendar: WorkingCalendar | None = None,
) -> dt.datetime:
    """The moment ``ratio`` (e.g. 0.8) of the working time between ``start`` and ``deadline`` has passed.

    Counted on the same calendar as the deadline, so a warning never falls on a Friday night for
    work that only counts office hours. Sets off nothing.
    """
    policy = sla_policy_find(category=category, priority=priority)
    clock = _clock(category=category, policy=policy, working_calendar=working_calendar)
    total = clock.working_time_between(start, deadline)
    if total <= dt.timedelta(0):
        return deadline
    return clock.add_working_time(start, total * ratio)

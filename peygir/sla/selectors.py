"""Reads of SLA configuration: the working calendar in memory, and the policy that applies to a case."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from peygir.catalog.models import Category, Priority
from peygir.core.cache import CONFIG_CACHE_SECONDS, ProcessCache

from .calendar import WorkingCalendar
from .models import BusinessCalendar, Holiday, SlaPolicy


def calendar_load(calendar: BusinessCalendar | None = None) -> WorkingCalendar:
    """The calendar (the default one when None) with all its holidays, loaded into memory.

    Two queries at most (the default calendar, its holiday dates); load once and reuse the result for a
    whole scan. Raises BusinessCalendar.DoesNotExist when there is no default calendar (the sla data
    migration creates one) and ValueError when the stored hours are malformed.
    """
    if calendar is None:
        calendar = BusinessCalendar.objects.get(is_default=True)
    holidays = frozenset(calendar.holidays.values_list("date", flat=True))
    return WorkingCalendar.from_definition(
        calendar.hours,
        holidays,
        calendar_id=calendar.pk,
        name=calendar.name,
        is_default=calendar.is_default,
    )


def sla_policy_find(*, category: Category, priority: Priority | None = None) -> SlaPolicy | None:
    """The policy for (category, priority), else for (category, any priority), else None.

    From the process's copy of the policies (read at most every CONFIG_CACHE_SECONDS; a returned
    policy is a copy the caller may change), inside a transaction too unless that transaction has
    itself saved or deleted a policy or a calendar (``ProcessCache.shared``): then one query, which
    sees its own change.
    """
    cached = _policies.shared()
    if cached is not None:
        policy = (cached.get((category.pk, priority.pk)) if priority is not None else None) or cached.get(
            (category.pk, None)
        )
        return copy.copy(policy) if policy is not None else None
    condition = Q(priority__isnull=True)
    if priority is not None:
        condition |= Q(priority=priority)
    policies = list(SlaPolicy.objects.filter(condition, category=category).select_related("calendar"))
    policies.sort(key=lambda policy: policy.priority_id is None)
    return policies[0] if policies else None


# --- Per-process copies for the registration path (see core.cache.ProcessCache) ----------


@dataclass(frozen=True)
class _LoadedCalendars:
    by_id: dict[int, tuple[Any, WorkingCalendar]]  # id -> (stored hours, calendar)
    default_id: int | None


def _load_calendars() -> _LoadedCalendars:
    holidays: dict[int, set[Any]] = {}
    for calendar_id, date in Holiday.objects.values_list("calendar_id", "date"):
        holidays.setdefault(calendar_id, set()).add(date)
    by_id: dict[int, tuple[Any, WorkingCalendar]] = {}
    default_id = None
    for calendar in BusinessCalendar.objects.all():
        if calendar.is_default:
            default_id = calendar.pk
        try:
            working = WorkingCalendar.from_definition(
                calendar.hours,
                frozenset(holidays.get(calendar.pk, ())),
                calendar_id=calendar.pk,
                name=calendar.name,
                is_default=calendar.is_default,
            )
        except ValueError:
            continue  # left out: calendar_load raises for it, as without the cache
        by_id[calendar.pk] = (calendar.hours, working)
    return _LoadedCalendars(by_id=by_id, default_id=default_id)


_calendars = ProcessCache(
    _load_calendars, seconds=CONFIG_CACHE_SECONDS, models=(BusinessCalendar, Holiday), name="sla-calendars"
)


def calendar_cached(calendar: BusinessCalendar | None = None) -> WorkingCalendar:
    """Like calendar_load, but from the process's copy when there is one (no query then).

    A calendar is read at most every CONFIG_CACHE_SECONDS, inside a transaction too unless that
    transaction has itself saved or deleted a calendar or a holiday (``ProcessCache.shared``); then,
    and for a calendar whose hours differ from the stored ones, this is calendar_load.
    """
    loaded = _calendars.shared()
    if loaded is not None:
        wanted = loaded.default_id if calendar is None else calendar.pk
        found = loaded.by_id.get(wanted) if wanted is not None else None
        if found is not None and (calendar is None or found[0] == calendar.hours):
            return found[1]
    return calendar_load(calendar)


def _load_policies() -> dict[tuple[int, int | None], SlaPolicy]:
    return {
        (policy.category_id, policy.priority_id): policy
        for policy in SlaPolicy.objects.select_related("calendar")
    }


_policies = ProcessCache(
    _load_policies,
    seconds=CONFIG_CACHE_SECONDS,
    models=(SlaPolicy, BusinessCalendar),
    name="sla-policies",
)

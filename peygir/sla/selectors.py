"""Reads of SLA configuration: the working calendar in memory, and the policy that applies to a case."""

from __future__ import annotations

from django.db.models import Q

from peygir.catalog.models import Category, Priority

from .calendar import WorkingCalendar
from .models import BusinessCalendar, SlaPolicy


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
    """The policy for (category, priority), else for (category, any priority), else None. One query."""
    condition = Q(priority__isnull=True)
    if priority is not None:
        condition |= Q(priority=priority)
    policies = list(SlaPolicy.objects.filter(condition, category=category).select_related("calendar"))
    policies.sort(key=lambda policy: policy.priority_id is None)
    return policies[0] if policies else None

"""Who may see which evaluation, and the case lists behind the numbers."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from peygir.cases.models import Case
from peygir.cases.selectors import staff_scope
from peygir.core.errors import NotFound
from peygir.org.models import Membership, Unit

from .kpis import subtree_ids
from .models import Contribution, Report
from .periods import Period

# metric in the URL → (contribution metric, flag filter or None)
DRILL_METRICS: dict[str, tuple[str, bool | None]] = {
    "registered": (Contribution.Metric.REGISTERED, None),
    "responded": (Contribution.Metric.RESPONDED, None),
    "responded_on_time": (Contribution.Metric.RESPONDED, True),
    "responded_late": (Contribution.Metric.RESPONDED, False),
    "resolved": (Contribution.Metric.RESOLVED, None),
    "resolved_on_time": (Contribution.Metric.RESOLVED, True),
    "resolved_late": (Contribution.Metric.RESOLVED, False),
    "rated": (Contribution.Metric.RATING, None),
    "fixed": (Contribution.Metric.RATING, True),
    "not_fixed": (Contribution.Metric.RATING, False),
    "objection": (Contribution.Metric.OBJECTION, None),
    "overdue": (Contribution.Metric.OVERDUE, None),
    "returned": (Contribution.Metric.RETURNED, None),
    "referral": (Contribution.Metric.REFERRAL, None),
}


def is_center_supervisor(user: Any) -> bool:
    return bool(staff_scope(user).paths({Membership.Role.SUPERVISOR}))


def can_see_unit(user: Any, unit: Unit) -> bool:
    """Supervisors see every unit; a manager sees their unit and everything under it."""
    scope = staff_scope(user)
    if scope.paths({Membership.Role.SUPERVISOR}):
        return True
    return any(unit.path.startswith(path) for path in scope.paths({Membership.Role.MANAGER}))


def access_unit(*, user: Any, code: str) -> Unit:
    """The unit whose evaluation ``user`` may see, by code; NotFound otherwise (never revealed)."""
    unit = Unit.objects.filter(code=str(code)[:64], is_active=True).first()
    if unit is None or not can_see_unit(user, unit):
        raise NotFound(_("واحدی با این شناسه پیدا نشد."))
    return unit


def managed_units(user: Any) -> QuerySet[Unit]:
    """The units where ``user`` is an active manager (their own scorecards), top first."""
    return Unit.objects.filter(
        memberships__user=user,
        memberships__role=Membership.Role.MANAGER,
        memberships__is_active=True,
        is_active=True,
    ).order_by("path")


def cases_behind(*, unit: Unit, period: Period, metric: str) -> QuerySet[Case]:
    """The cases that make up ``metric`` of ``unit`` (and its subtree) over ``period``, newest first.

    Raises NotFound for an unknown metric.
    """
    if metric not in DRILL_METRICS:
        raise NotFound(_("شاخص «%(metric)s» شناخته نیست.") % {"metric": metric})
    name, flag = DRILL_METRICS[metric]
    rows = Contribution.objects.filter(
        metric=name, day__gte=period.start, day__lt=period.end, case_id=OuterRef("pk")
    )
    if unit.parent_id is not None:
        rows = rows.filter(unit_id__in=subtree_ids(unit))
    if flag is not None:
        rows = rows.filter(flag=flag)
    return (
        Case.objects.filter(Exists(rows))
        .select_related("category", "message_type", "unit", "district")
        .order_by("-created_at", "-id")
    )


def reports_for(user: Any) -> QuerySet[Report]:
    """The reports of the units ``user`` may see, newest first."""
    reports = Report.objects.select_related("unit")
    if is_center_supervisor(user):
        return reports
    paths = staff_scope(user).paths({Membership.Role.MANAGER})
    if not paths:
        return reports.none()
    from django.db.models import Q

    condition = Q()
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return reports.filter(condition)

"""The SLA watch: warn before a deadline, mark and escalate after it.

Run periodically by the worker (``tasks.sla_scan_task``). Every mark is a compare-and-swap on a
still-empty column, so running the scan twice, or in two workers at once, changes nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from peygir.audit.services import audit_record
from peygir.core.db import compare_and_swap

from . import notify
from .models import Case, CaseEvent

# While the case awaits the citizen the clock is paused; responded/closed cases owe nothing more.
WATCHED_PHASES = (Case.Phase.REGISTERED, Case.Phase.ASSIGNED, Case.Phase.IN_PROGRESS, Case.Phase.RETURNED)


@dataclass(frozen=True)
class ScanResult:
    warned: int
    overdue: int


def _mark(case_id: int, *, column: str, kind: str, now: dt.datetime, notice: Callable[[Case], None]) -> bool:
    with transaction.atomic():
        if not compare_and_swap(
            Case, pk=case_id, expected={f"{column}__isnull": True}, changes={column: now}
        ):
            return False
        case = Case.objects.select_related("unit", "assignee").get(pk=case_id)
        CaseEvent.objects.create(
            case_id=case_id,
            kind=kind,
            is_public=False,
            to_unit_id=case.unit_id,
            data={"respond_by": case.respond_by.isoformat() if case.respond_by else None},
        )
        notice(case)
        audit_record(
            actor=None,
            action=f"case.{kind}",
            object_type="cases.case",
            object_id=str(case.public_id),
            after={column: now},
        )
    return True


def sla_scan(*, now: dt.datetime | None = None, batch_size: int = 500) -> ScanResult:
    """Warn officers of cases past 80 % of their response time and escalate cases past it.

    Escalation marks the case overdue (it then shows on the center's overdue board), records it on
    the timeline and notifies the unit's managers and the center's supervisors. Idempotent.
    """
    now = now or timezone.now()
    base = Case.objects.filter(phase__in=WATCHED_PHASES, sla_paused_at__isnull=True)
    warned = overdue = 0
    due_warning = base.filter(
        warned_at__isnull=True, overdue_at__isnull=True, warn_at__lte=now, respond_by__gt=now
    )
    for case_id in list(due_warning.order_by("warn_at").values_list("pk", flat=True)[:batch_size]):
        warned += _mark(
            case_id,
            column="warned_at",
            kind=CaseEvent.Kind.SLA_WARNING,
            now=now,
            notice=notify.sla_warning,
        )
    due_overdue = base.filter(overdue_at__isnull=True, respond_by__lte=now)
    for case_id in list(due_overdue.order_by("respond_by").values_list("pk", flat=True)[:batch_size]):
        overdue += _mark(
            case_id,
            column="overdue_at",
            kind=CaseEvent.Kind.OVERDUE,
            now=now,
            notice=notify.case_overdue,
        )
    return ScanResult(warned=warned, overdue=overdue)

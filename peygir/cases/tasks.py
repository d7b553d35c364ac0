"""Background tasks of the cases app: thin wrappers that call services."""

from __future__ import annotations

from django_tasks import task

from .escalation import sla_scan


@task()
def sla_scan_task() -> dict[str, int]:
    result = sla_scan()
    return {"warned": result.warned, "overdue": result.overdue}

"""Periodic tasks of the performance app: thin wrappers around its services."""

from __future__ import annotations

from django_tasks import task

from .reports.services import monthly_reports_ensure
from .rollups import rollup_consume_all
from .spikes import spike_scan


@task()
def rollup_consume_task() -> dict[str, int]:
    return {"read": rollup_consume_all()}


@task()
def spike_scan_task() -> dict[str, int]:
    return {"alerts": len(spike_scan())}


@task()
def monthly_reports_task() -> dict[str, int]:
    # The month's last events first, so that the report holds them.
    rollup_consume_all()
    return {"reports": len(monthly_reports_ensure())}

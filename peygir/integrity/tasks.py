"""Background tasks of the integrity channel: thin wrappers that call services."""

from __future__ import annotations

from django_tasks import task

from .retention import integrity_daily


@task()
def integrity_daily_task() -> dict[str, int]:
    result = integrity_daily()
    return {
        "deadline_warnings": result.deadline_warnings,
        "retention_warnings": result.retention_warnings,
        "erased": result.erased,
    }

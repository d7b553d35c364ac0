"""Background tasks of the feedback app: thin wrappers that call services."""

from __future__ import annotations

from django_tasks import task

from .services import survey_close_unanswered


@task()
def close_unanswered_task() -> dict[str, int]:
    """Close responded cases whose objection window ended (periodic; idempotent)."""
    return {"closed": survey_close_unanswered()}

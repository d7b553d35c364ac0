"""Housekeeping tasks of the platform itself, run by the worker on the scheduler's clock."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .tasks import tasks_are_rows_here


def task_results_prune(*, keep_days: int | None = None) -> int:
    """Delete the rows of tasks that finished (successfully or not) more than ``keep_days`` ago
    (``PEYGIR["TASK_RESULTS_KEEP_DAYS"]``); waiting and running tasks are never touched. Returns
    how many rows went. Nothing to do where tasks are not rows in this database."""
    if not tasks_are_rows_here():
        return 0
    from django_tasks_db.models import DBTaskResult

    days = settings.PEYGIR["TASK_RESULTS_KEEP_DAYS"] if keep_days is None else keep_days
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted


@task()
def prune_task_results_task() -> int:
    """Daily: finished task rows would otherwise pile up (every SMS, every periodic scan)."""
    return task_results_prune()

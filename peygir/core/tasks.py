"""What the rest of Peygir needs to know about the task queue (django-tasks)."""

from __future__ import annotations

from typing import Any

from django_tasks_db.backend import DatabaseBackend as _DatabaseBackend
from django_tasks_db.backend import TaskResult
from django_tasks_db.compat import TaskResultStatus, normalize_json, task_enqueued
from django_tasks_db.utils import normalize_uuid


def tasks_are_rows_here() -> bool:
    """True when tasks are rows in this same database (django-tasks-db): a task enqueued inside a
    transaction then commits with it, or not at all, and costs no commit of its own."""
    from django_tasks import task_backends

    return isinstance(task_backends["default"], _DatabaseBackend)


def task_waiting(task: Any) -> bool:
    """Whether a run of ``task`` is already queued and waiting for a worker (tasks as rows in this
    database only; elsewhere the queue cannot be asked, and the answer is False)."""
    if not tasks_are_rows_here():
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=task.module_path).exists()


class DatabaseBackend(_DatabaseBackend):
    """django-tasks-db's backend, writing each task row with one prepared INSERT.

    Every registration enqueues tasks (the citizen's SMS, the classifier), so the ORM's per-call
    compilation of ``objects.create`` is taken out of that path: the same row, the same defaults
    (``run_after`` "whenever" as the package's ``pre_save`` handler sets it), the same
    ``task_enqueued`` signal, the same result object (built from the task in hand rather than by
    importing it again from the row). The worker (``manage.py db_worker``) and everything that
    reads the table are the package's own.
    """

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        self.validate_task(task)
        row = self._task_to_db_task(task, args, kwargs)
        result: Any = TaskResult(
            db_result=row,
            task=task,
            id=normalize_uuid(row.id),
            status=TaskResultStatus.READY,
            enqueued_at=row.enqueued_at,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=row.args_kwargs["args"],
            kwargs=row.args_kwargs["kwargs"],
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        task_enqueued.send(type(self), task_result=result)
        return result

    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        from django_tasks_db.models import DBTaskResult, get_date_max

        from peygir.core.db import insert_row

        # Deferred where the caller allows it (core.db.deferred_inserts): the key is made here.
        return insert_row(
            DBTaskResult(
                id=self._get_id(),
                args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
                priority=task.priority,
                task_path=task.module_path,
                queue_name=task.queue_name,
                run_after=task.run_after if task.run_after is not None else get_date_max(),
                backend_name=self.alias,
            ),
            defer=True,
        )

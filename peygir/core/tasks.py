"""What the rest of Peygir needs to know about the task queue (django-tasks)."""

from __future__ import annotations


def tasks_are_rows_here() -> bool:
    """True when tasks are rows in this same database (django-tasks-db): a task enqueued inside a
    transaction then commits with it, or not at all, and costs no commit of its own."""
    from django_tasks import task_backends

    return type(task_backends["default"]).__module__.startswith("django_tasks_db")

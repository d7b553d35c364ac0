"""Background tasks of the call center: thin wrappers around services."""

from __future__ import annotations

from django_tasks import task

from .agents import agent_wrap_up_release, long_talk_scan
from .clinic import clinic_reminders_send


@task()
def agent_wrap_up_release_task() -> int:
    return agent_wrap_up_release()


@task()
def long_talk_scan_task() -> int:
    return long_talk_scan()


@task()
def clinic_reminders_task() -> int:
    return clinic_reminders_send()

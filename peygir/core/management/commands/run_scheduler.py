"""Enqueue the periodic tasks named in settings.PERIODIC_TASKS on their intervals.

The worker (``db_worker``) runs what this enqueues. The tasks themselves are idempotent, so a
scheduler restarted mid-interval, or two schedulers, do no harm. A task whose last run still
waits in the queue (a busy worker) is not enqueued again: the waiting run will do the work, and a
backlog does not fill the queue with copies of the 2-second relay.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from peygir.core.tasks import task_waiting


class Command(BaseCommand):
    help = "Enqueue periodic tasks (SLA scan, …) for the task worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue every periodic task once and exit.")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        schedule = [(import_string(path), seconds) for path, seconds in settings.PERIODIC_TASKS]
        next_run = dict.fromkeys(range(len(schedule)), 0.0)
        while True:
            now = time.monotonic()
            for index, (task, seconds) in enumerate(schedule):
                if now >= next_run[index]:
                    if not task_waiting(task):
                        task.enqueue()
                    next_run[index] = now + float(seconds)
            if once:
                return
            time.sleep(1)

"""The task backend: django-tasks-db's rows, written with one prepared INSERT."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult, get_date_max

from peygir.core.tasks import tasks_are_rows_here

DB_TASKS = {"default": {"BACKEND": "peygir.core.tasks.DatabaseBackend", "QUEUES": []}}


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def tick() -> int:
    return 1


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DB_TASKS


@pytest.mark.django_db
def test_a_task_row_is_what_the_package_writes_and_its_worker_runs(db_tasks):
    result = add.enqueue(2, b=3)

    row = DBTaskResult.objects.get()
    assert str(row.id) == str(result.id)
    assert row.task_path == "peygir.core.tests.test_tasks.add"
    assert row.args_kwargs == {"args": [2], "kwargs": {"b": 3}}
    assert (row.status, row.queue_name, row.priority) == ("READY", "default", 0)
    assert row.run_after == get_date_max()
    assert list(DBTaskResult.objects.ready()) == [row]
    assert row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]) == 5
    assert tasks_are_rows_here()


@pytest.mark.django_db
def test_a_deferred_task_waits_for_its_time(db_tasks):
    later = timezone.now() + dt.timedelta(minutes=5)

    add.using(run_after=later).enqueue(1, 1)

    row = DBTaskResult.objects.get()
    assert row.run_after == later
    assert not DBTaskResult.objects.ready().exists()


def test_other_backends_are_not_rows_here(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    assert not tasks_are_rows_here()


@pytest.mark.django_db
def test_the_result_of_enqueue_is_the_one_read_back_from_the_row(db_tasks):
    result = add.using(priority=5).enqueue(4, 5)

    stored = DBTaskResult.objects.get().task_result
    for name in ("id", "status", "enqueued_at", "args", "kwargs", "backend", "errors", "worker_ids"):
        assert getattr(result, name) == getattr(stored, name), name
    assert (result.task.priority, result.task.module_path) == (stored.task.priority, stored.task.module_path)
    assert result.task.priority == 5


@pytest.mark.django_db
def test_finished_task_rows_are_pruned_after_the_days_kept(db_tasks, settings):
    from peygir.core.jobs import prune_task_results_task

    settings.PEYGIR = {**settings.PEYGIR, "TASK_RESULTS_KEEP_DAYS": 14}
    now = timezone.now()
    rows = {
        name: DBTaskResult.objects.get(id=add.enqueue(1, 2).id)
        for name in ("old", "failed", "recent", "waiting")
    }
    DBTaskResult.objects.filter(pk=rows["old"].pk).update(
        status="SUCCESSFUL", finished_at=now - dt.timedelta(days=15)
    )
    DBTaskResult.objects.filter(pk=rows["failed"].pk).update(
        status="FAILED", finished_at=now - dt.timedelta(days=20)
    )
    DBTaskResult.objects.filter(pk=rows["recent"].pk).update(
        status="SUCCESSFUL", finished_at=now - dt.timedelta(days=2)
    )

    assert prune_task_results_task.call() == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {rows["recent"].pk, rows["waiting"].pk}
    assert ("peygir.core.jobs.prune_task_results_task", 24 * 3600) in settings.PERIODIC_TASKS


@pytest.mark.django_db
def test_pruning_does_nothing_where_tasks_are_not_rows(settings):
    from peygir.core.jobs import task_results_prune

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert task_results_prune(keep_days=0) == 0


@pytest.mark.django_db
def test_the_scheduler_does_not_queue_a_periodic_task_whose_last_run_still_waits(db_tasks, settings):
    from django.core.management import call_command

    settings.PERIODIC_TASKS = [("peygir.core.tests.test_tasks.tick", 1)]
    call_command("run_scheduler", once=True)
    call_command("run_scheduler", once=True)
    assert DBTaskResult.objects.filter(task_path="peygir.core.tests.test_tasks.tick").count() == 1

    # Once that run has finished (or when it waits for a later time), the next one is queued.
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=timezone.now())
    call_command("run_scheduler", once=True)
    assert DBTaskResult.objects.filter(status="READY").count() == 1

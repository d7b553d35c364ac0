"""Where tasks are rows in this database, a registration leaves a PendingCase row instead of a task
row, and the periodic scan classifies it."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from peygir.cases.models import Case, CaseEvent
from peygir.insights import services
from peygir.insights.models import PendingCase, Prediction
from peygir.insights.services import cases_pending_insights_run
from peygir.insights.tasks import pending_cases_insights_task

pytestmark = pytest.mark.django_db
LIGHTING_TEXT = "چراغ‌های کوچه ما یک هفته است خاموش است و شب‌ها تاریک است"


@pytest.fixture
def db_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "peygir.core.tasks.DatabaseBackend", "QUEUES": []}}


def test_registration_leaves_a_pending_case_and_no_classifier_task(db_tasks, submit):
    case = submit(description=LIGHTING_TEXT)  # with a phone: the SMS has its task row
    assert list(PendingCase.objects.values_list("case_id", flat=True)) == [case.pk]
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "peygir.notifications.tasks.deliver_notification"
    ]


def test_the_scan_classifies_each_pending_case_once(db_tasks, model, submit):
    first = submit(channel=Case.Channel.SMS, category="", unclassified=True, description=LIGHTING_TEXT)
    second = submit(description=LIGHTING_TEXT)

    assert pending_cases_insights_task.call() == {"classified": 2, "failed": 0}
    assert PendingCase.objects.count() == 0
    assert Prediction.objects.filter(case__in=[first, second]).count() == 2
    first.refresh_from_db()
    assert first.category.code == "lighting"
    assert CaseEvent.objects.filter(case=first, kind=CaseEvent.Kind.CLASSIFIED).count() == 1
    # Nothing pending: a second scan does nothing.
    assert cases_pending_insights_run() == {"classified": 0, "failed": 0}
    assert Prediction.objects.filter(case__in=[first, second]).count() == 2


def test_a_case_whose_run_fails_is_dropped_and_the_others_go_on(db_tasks, model, submit, monkeypatch, caplog):
    broken = submit(description=LIGHTING_TEXT)
    fine = submit(description=LIGHTING_TEXT)
    real = services.case_insights_run

    def run(*, case_id: int) -> Any:
        if case_id == broken.pk:
            raise RuntimeError("classifier exploded")
        return real(case_id=case_id)

    monkeypatch.setattr(services, "case_insights_run", run)
    assert cases_pending_insights_run() == {"classified": 1, "failed": 1}
    assert PendingCase.objects.count() == 0
    assert Prediction.objects.filter(case=fine).exists()
    assert not Prediction.objects.filter(case=broken).exists()
    assert f"insights for case {broken.pk} failed" in caplog.text


def test_a_failed_run_rolls_back_what_it_wrote_for_that_case(db_tasks, model, submit, monkeypatch):
    case = submit(channel=Case.Channel.SMS, category="", unclassified=True, description=LIGHTING_TEXT)
    real_apply = services.prediction_apply

    def apply(*, prediction: Any) -> Any:
        real_apply(prediction=prediction)
        raise RuntimeError("after writing")

    monkeypatch.setattr(services, "prediction_apply", apply)
    assert cases_pending_insights_run() == {"classified": 0, "failed": 1}
    case.refresh_from_db()
    assert case.category is None
    assert not Prediction.objects.filter(case=case).exists()


def test_the_scan_runs_every_few_seconds(settings):
    assert ("peygir.insights.tasks.pending_cases_insights_task", 5) in settings.PERIODIC_TASKS


def test_with_another_backend_a_task_runs_after_commit(model, submit, django_capture_on_commit_callbacks):
    # The app's tests use the immediate backend: no pending row, the case is classified on commit.
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(description=LIGHTING_TEXT)
    assert not PendingCase.objects.exists()
    assert Prediction.objects.filter(case=case).exists()

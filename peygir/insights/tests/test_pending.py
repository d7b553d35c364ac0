"""Where tasks are rows in this database, a registration leaves a PendingCase row instead of a task
row, and the periodic scan classifies it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from peygir.cases.models import Case, CaseEvent
from peygir.core.testing.locks import row_locked
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
    case = submit(description=LIGHTING_TEXT)  # with a phone: the SMS waits in the outbox for the relay
    assert list(PendingCase.objects.values_list("case_id", flat=True)) == [case.pk]
    assert not DBTaskResult.objects.exists()


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
    broken = submit(description=LIGHTING_TEXT + " (خراب)")
    fine = submit(description=LIGHTING_TEXT)
    real = services.danger_hits

    def hits(text: str, *args: Any) -> Any:
        if "خراب" in text:
            raise RuntimeError("detector exploded")
        return real(text, *args)

    monkeypatch.setattr(services, "danger_hits", hits)
    assert cases_pending_insights_run() == {"classified": 1, "failed": 1}
    assert PendingCase.objects.count() == 0
    assert Prediction.objects.filter(case=fine).exists()
    assert not Prediction.objects.filter(case=broken).exists()
    assert "insights for 2 cases failed together" in caplog.text
    assert f"insights for case {broken.pk} failed" in caplog.text


def test_the_scan_works_in_batches_whatever_their_size(
    db_tasks, model, submit, supervisor, django_assert_max_num_queries
):
    cases = [submit(description=LIGHTING_TEXT) for _ in range(12)]
    urgent = submit(category="safety", description="بوی گاز شدید توی کوچه پیچیده، فوری بیایید")
    unclassified = submit(channel=Case.Channel.SMS, category="", unclassified=True, description=LIGHTING_TEXT)

    # 14 cases in batches of 5, and a limit that stops the scan after 10 of them.
    assert cases_pending_insights_run(limit=10, batch=5) == {"classified": 10, "failed": 0}
    assert PendingCase.objects.count() == 4
    assert set(Prediction.objects.values_list("case_id", flat=True)) == {case.pk for case in cases[:10]}
    # The rest in one batch: the calm cases cost no queries of their own, only the two the AI
    # acts on (the urgent one and the one without a category) do.
    with django_assert_max_num_queries(80):
        assert cases_pending_insights_run(batch=200) == {"classified": 4, "failed": 0}
    assert PendingCase.objects.count() == 0
    urgent.refresh_from_db()
    assert urgent.priority.code == "emergency"
    assert Prediction.objects.get(case=urgent).priority_raised is True
    unclassified.refresh_from_db()
    assert unclassified.category.code == "lighting"
    assert not Prediction.objects.filter(case__in=cases[10:]).exclude(urgent=False, applied=False).exists()


def test_the_scan_queries_the_same_for_few_cases_and_many(db_tasks, model, submit):
    def queries_for(count: int) -> int:
        for _ in range(count):
            submit(description=LIGHTING_TEXT)
        with CaptureQueriesContext(connection) as queries:
            assert cases_pending_insights_run() == {"classified": count, "failed": 0}
        return len(queries)

    assert queries_for(2) == queries_for(20)


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
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CLASSIFIED).exists()
    # What the model said is kept; what the AI did with it is not.
    assert Prediction.objects.get(case=case).applied is False
    assert not PendingCase.objects.exists()


def test_the_ai_acts_on_a_case_after_its_batch_has_committed(db_tasks, model, submit, monkeypatch):
    calm = submit(description=LIGHTING_TEXT)
    urgent = submit(category="safety", description="بوی گاز شدید توی کوچه پیچیده، فوری بیایید")
    real_apply = services.prediction_apply
    seen: list[tuple[int, bool, bool]] = []

    def apply(*, prediction: Any) -> Any:
        # The batch (the calm case's row deleted) is done; this case's row goes with its action.
        seen.append(
            (
                prediction.case_id,
                PendingCase.objects.filter(case_id=calm.pk).exists(),
                PendingCase.objects.filter(case_id=urgent.pk).exists(),
            )
        )
        return real_apply(prediction=prediction)

    monkeypatch.setattr(services, "prediction_apply", apply)
    assert cases_pending_insights_run() == {"classified": 2, "failed": 0}
    assert seen == [(urgent.pk, False, False)]
    assert Prediction.objects.get(case=urgent).priority_raised is True


def test_the_scan_runs_every_few_seconds(settings):
    assert ("peygir.insights.tasks.pending_cases_insights_task", 5) in settings.PERIODIC_TASKS


def test_with_another_backend_a_task_runs_after_commit(model, submit, django_capture_on_commit_callbacks):
    # The app's tests use the immediate backend: no pending row, the case is classified on commit.
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(description=LIGHTING_TEXT)
    assert not PendingCase.objects.exists()
    assert Prediction.objects.filter(case=case).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL; SQLite has one writer"
)
def test_a_scan_skips_the_cases_another_scan_holds(db_tasks, model, submit):
    held, other = submit(description=LIGHTING_TEXT), submit(description=LIGHTING_TEXT)
    with row_locked(PendingCase.objects.filter(case_id=held.pk)):
        # Without waiting for the held row: the other case only.
        assert cases_pending_insights_run() == {"classified": 1, "failed": 0}
        assert list(PendingCase.objects.values_list("case_id", flat=True)) == [held.pk]
        assert list(Prediction.objects.values_list("case_id", flat=True)) == [other.pk]
    assert cases_pending_insights_run() == {"classified": 1, "failed": 0}
    assert not PendingCase.objects.exists()

"""Background tasks of the insights app: thin wrappers that fetch by id and call services."""

from __future__ import annotations

from django_tasks import task

from .services import case_insights_run, cases_pending_insights_run, prediction_feedback_scan


@task()
def case_insights_task(case_id: int) -> dict[str, object]:
    """Classify a newly registered case and act on it (idempotent: a re-run stores nothing new)."""
    prediction = case_insights_run(case_id=case_id)
    if prediction is None:
        return {"case": case_id, "prediction": None}
    return {
        "case": case_id,
        "prediction": prediction.pk,
        "category": prediction.category_code,
        "applied": prediction.applied,
        "urgent": prediction.urgent,
    }


@task()
def pending_cases_insights_task() -> dict[str, int]:
    """Classify the cases registered since the last scan (periodic, every few seconds)."""
    return cases_pending_insights_run()


@task()
def prediction_feedback_scan_task() -> dict[str, int]:
    return prediction_feedback_scan()

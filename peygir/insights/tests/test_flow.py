from __future__ import annotations

import pytest

from peygir.cases.models import Case, CaseEvent
from peygir.cases.services import case_transition
from peygir.catalog.models import Category
from peygir.core.errors import NotFound, PermissionDenied, ValidationError
from peygir.core.text import to_persian_digits
from peygir.insights.models import Prediction, PredictionFeedback
from peygir.insights.selectors import accuracy_by_week
from peygir.insights.services import (
    AI_USERNAME,
    ai_user,
    case_insights_run,
    prediction_accept,
    prediction_feedback_scan,
)
from peygir.insights.training import db_examples
from peygir.notifications.models import Notification

pytestmark = pytest.mark.django_db
LIGHTING_TEXT = "چراغ‌های کوچه ما یک هفته است خاموش است و شب‌ها تاریک است"


def _register(submit, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(**fields)
    case.refresh_from_db()
    return case


def test_a_case_without_category_is_classified_by_the_ai_after_commit(
    model, submit, django_capture_on_commit_callbacks
):
    case = _register(
        submit,
        django_capture_on_commit_callbacks,
        channel=Case.Channel.SMS,
        category="",
        unclassified=True,
        description=LIGHTING_TEXT,
    )
    prediction = Prediction.objects.get(case=case)
    assert prediction.category_code == "lighting"
    assert prediction.model_version == model.version
    assert prediction.applied is True
    assert prediction.category_before == ""
    assert next(item["label"] for item in prediction.top) == "lighting"
    assert len(prediction.top) == 3
    assert case.category.code == "lighting"
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.CLASSIFIED)
    assert event.actor.username == AI_USERNAME
    assert str(event.actor) == "دستیار هوشمند"
    assert event.actor.is_active is False
    assert event.data["to_category"] == "lighting"


def test_the_task_is_idempotent(model, submit, django_capture_on_commit_callbacks):
    case = _register(submit, django_capture_on_commit_callbacks, description=LIGHTING_TEXT)
    first = Prediction.objects.get(case=case)
    again = case_insights_run(case_id=case.pk)
    assert again.pk == first.pk
    assert Prediction.objects.filter(case=case).count() == 1


def test_a_case_already_at_its_district_is_not_rerouted(model, submit, django_capture_on_commit_callbacks):
    case = _register(submit, django_capture_on_commit_callbacks, category="waste", description=LIGHTING_TEXT)
    prediction = Prediction.objects.get(case=case)
    assert prediction.category_code == "lighting"
    assert prediction.applied is False
    case.refresh_from_db()
    assert case.category.code == "waste"
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CLASSIFIED).exists()


def test_a_miscategorised_case_waiting_at_the_center_is_corrected(
    model, submit, django_capture_on_commit_callbacks
):
    case = submit(category="waste", description=LIGHTING_TEXT, point=(None, None))
    assert (case.unit.code, case.category.code) == ("center", "waste")
    with django_capture_on_commit_callbacks(execute=True):
        case_insights_run(case_id=case.pk)
    case.refresh_from_db()
    assert Prediction.objects.get(case=case).applied is True
    assert case.category.code == "lighting"


def test_a_case_staff_already_classified_is_left_alone(model, submit, supervisor, settings):
    settings.INSIGHTS = {**settings.INSIGHTS, "AUTO_CLASSIFY_THRESHOLD": 0.5}
    case = submit(
        channel=Case.Channel.SMS,
        category="",
        unclassified=True,
        description=LIGHTING_TEXT,
        point=(None, None),
    )
    case_transition(
        case=case, action="classify", category=Category.objects.get(code="waste"), actor=supervisor
    )
    case.refresh_from_db()
    assert case.unit.code == "center"
    prediction = case_insights_run(case_id=case.pk)
    assert prediction.category_code == "lighting"
    assert prediction.applied is False
    case.refresh_from_db()
    assert case.category.code == "waste"


def test_below_the_threshold_only_suggestions_are_stored(
    model, submit, settings, django_capture_on_commit_callbacks
):
    settings.INSIGHTS = {**settings.INSIGHTS, "AUTO_CLASSIFY_THRESHOLD": 0.999}
    case = _register(
        submit,
        django_capture_on_commit_callbacks,
        channel=Case.Channel.SMS,
        category="",
        unclassified=True,
        description=LIGHTING_TEXT,
    )
    assert Prediction.objects.get(case=case).applied is False
    assert case.category is None


def test_danger_raises_the_priority_and_alerts_the_center(
    model, submit, supervisor, django_capture_on_commit_callbacks
):
    case = _register(
        submit,
        django_capture_on_commit_callbacks,
        category="safety",
        description="بوی گاز شدید توی کوچه پیچیده، فوری بیایید",
    )
    prediction = Prediction.objects.get(case=case)
    assert prediction.urgent is True
    assert prediction.priority_raised is True
    assert [reason["code"] for reason in prediction.urgency_reasons] == ["gas"]
    assert case.priority.code == "emergency"
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.PRIORITY_CHANGED)
    assert event.actor.username == AI_USERNAME
    alert = Notification.objects.get(kind="insights_urgent", to_user=supervisor)
    assert alert.channel == Notification.Channel.INAPP
    assert alert.payload["tracking_code"] == to_persian_digits(case.tracking_code)
    assert "بوی گاز" in alert.body
    # Running again raises nothing and alerts no one twice.
    case_insights_run(case_id=case.pk)
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.PRIORITY_CHANGED).count() == 1
    assert Notification.objects.filter(kind="insights_urgent", to_user=supervisor).count() == 1


def test_a_calm_message_keeps_its_priority(model, submit, django_capture_on_commit_callbacks):
    case = _register(
        submit, django_capture_on_commit_callbacks, description="زباله‌های کوچه سه روز است جمع‌آوری نشده"
    )
    assert Prediction.objects.get(case=case).urgent is False
    assert case.priority is None
    assert not Notification.objects.filter(kind="insights_urgent").exists()


def test_corruption_is_flagged_on_the_prediction(model, submit, django_capture_on_commit_callbacks):
    case = _register(
        submit,
        django_capture_on_commit_callbacks,
        category="staff",
        description="مامور شهرداری برای صدور مجوز رشوه خواست",
    )
    prediction = Prediction.objects.get(case=case)
    assert prediction.corruption is True
    assert [reason["code"] for reason in prediction.corruption_reasons] == ["bribe"]


def test_without_a_model_registration_goes_on_and_nothing_is_stored(
    submit, django_capture_on_commit_callbacks
):
    case = _register(submit, django_capture_on_commit_callbacks, description=LIGHTING_TEXT)
    assert Prediction.objects.filter(case=case).count() == 0
    assert case.phase == Case.Phase.REGISTERED


def test_staff_accept_a_suggestion(model, submit, officer6, settings):
    settings.INSIGHTS = {**settings.INSIGHTS, "AUTO_CLASSIFY_THRESHOLD": 0.999}
    case = submit(category="waste", description=LIGHTING_TEXT)
    case_insights_run(case_id=case.pk)
    case = prediction_accept(case=case, actor=officer6, category_code="lighting")
    assert case.category.code == "lighting"
    feedback = PredictionFeedback.objects.get(case=case)
    assert (feedback.kind, feedback.predicted_code, feedback.final_code, feedback.actor) == (
        "accepted",
        "lighting",
        "lighting",
        officer6,
    )
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.CLASSIFIED)
    assert event.actor == officer6


def test_accepting_something_not_suggested_or_out_of_scope_changes_nothing(
    model, submit, officer6, officer7, citizen, settings
):
    settings.INSIGHTS = {**settings.INSIGHTS, "AUTO_CLASSIFY_THRESHOLD": 0.999}
    case = submit(category="waste", description=LIGHTING_TEXT, citizen=citizen)
    case_insights_run(case_id=case.pk)
    top_codes = {item["label"] for item in Prediction.objects.get(case=case).top}
    outsider = next(code for code in ["finance", "culture", "transit"] if code not in top_codes)
    with pytest.raises(NotFound):
        prediction_accept(case=case, actor=officer7, category_code="lighting")
    with pytest.raises(PermissionDenied):
        prediction_accept(case=case, actor=citizen, category_code="lighting")
    with pytest.raises(ValidationError):
        prediction_accept(case=case, actor=officer6, category_code=outsider)
    case.refresh_from_db()
    assert case.category.code == "waste"
    assert PredictionFeedback.objects.count() == 0


def test_the_override_loop_feeds_accuracy_and_training(model, submit, officer6, manager6, settings):
    settings.INSIGHTS = {**settings.INSIGHTS, "AUTO_CLASSIFY_THRESHOLD": 0.999}
    case = submit(category="waste", description=LIGHTING_TEXT)
    prediction = case_insights_run(case_id=case.pk)
    assert prediction.category_code == "lighting"
    # Staff decide it is about roads (an override of the AI's suggestion).
    case = case_transition(
        case=case, action="classify", category=Category.objects.get(code="roads"), actor=officer6
    )
    assert prediction_feedback_scan() == {"overridden": 1, "final": 0}
    override = PredictionFeedback.objects.get(kind="overridden")
    assert (override.predicted_code, override.final_code, override.actor) == ("lighting", "roads", officer6)
    # Work it to closure.
    case.refresh_from_db()
    case = case_transition(case=case, action="accept", actor=officer6)
    case = case_transition(case=case, action="respond", actor=officer6, resolution="fixed", note="ترمیم شد.")
    case = case_transition(case=case, action="close", actor=manager6)
    assert prediction_feedback_scan() == {"overridden": 0, "final": 1}
    assert prediction_feedback_scan() == {"overridden": 0, "final": 0}
    final = PredictionFeedback.objects.get(kind="final")
    assert (final.predicted_code, final.final_code, final.is_correct) == ("lighting", "roads", False)
    week = accuracy_by_week(weeks=1)[0]
    assert (week.predictions, week.judged, week.correct, week.overridden, week.accuracy) == (1, 1, 0, 1, 0.0)
    categories, kinds = db_examples()
    assert [(example.label, example.text) for example in categories] == [("roads", case.description)]
    assert [example.label for example in kinds] == ["request"]


def test_ai_user_is_created_once():
    first = ai_user()
    assert ai_user().pk == first.pk
    assert first.has_usable_password() is False

"""Writes of the insights app: predictions, what the AI does with them, and staff feedback."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _
from django.utils.translation import override

from peygir.audit.services import audit_record
from peygir.cases.models import Case, CaseEvent
from peygir.cases.selectors import actor_roles_for_case
from peygir.cases.services import case_set_priority, case_transition
from peygir.cases.workflow import Action, ActorRole
from peygir.catalog.models import Category, Priority
from peygir.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationError
from peygir.core.text import to_persian_digits
from peygir.notifications.models import Notification
from peygir.notifications.services import notification_enqueue
from peygir.org.models import Membership, Unit

from .classifier import input_hash
from .lexicon import corruption_hits, danger_hits
from .models import PendingCase, Prediction, PredictionFeedback
from .registry import classifier
from .store import insights_setting

logger = logging.getLogger(__name__)

AI_USERNAME = "peygir-ai"
AI_DISPLAY_NAME = "دستیار هوشمند"
STAFF_ROLES = frozenset({ActorRole.OFFICER, ActorRole.MANAGER, ActorRole.SUPERVISOR, ActorRole.AGENT})


def ai_user() -> Any:
    """The service account the AI acts as (shown on the timeline); it can never sign in."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=AI_USERNAME, defaults={"display_name": AI_DISPLAY_NAME, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _prediction_new(case: Case, model: Any, result: Any, digest: str) -> Prediction:
    """The unsaved Prediction row for ``result``, the model's answer on ``case``'s text."""
    best = result.best
    kind = result.message_type[0] if result.message_type else None
    danger = danger_hits(case.description, result.category)
    corrupt = corruption_hits(case.description)
    return Prediction(
        case=case,
        model_name=model.name,
        model_version=model.version,
        input_hash=digest,
        category_code=best.label,
        confidence=min(1.0, max(0.0, best.probability)),
        top=[asdict(scored) for scored in result.category],
        message_type_code=kind.label if kind else "",
        message_type_confidence=kind.probability if kind else None,
        category_before=case.category.code if case.category is not None else "",
        urgent=bool(danger),
        urgency_reasons=[asdict(hit) for hit in danger],
        corruption=bool(corrupt),
        corruption_reasons=[asdict(hit) for hit in corrupt],
    )


def prediction_record(*, case: Case) -> Prediction | None:
    """Run the classifier and the written detectors on the case's text and store the result.

    Idempotent: the same model on the same text returns the stored row. Returns None when there is
    no model (nothing to train on yet). Raises nothing else; sets off nothing.
    """
    model = classifier()
    if model is None or not case.description:
        return None
    digest = input_hash(case.description)
    existing = Prediction.objects.filter(case=case, model_version=model.version, input_hash=digest).first()
    if existing is not None:
        return existing
    prediction = _prediction_new(case, model, model.predict([case.description])[0], digest)
    try:
        with transaction.atomic():
            prediction.save(force_insert=True)
            return prediction
    except IntegrityError:
        # A concurrent run of the same task stored it first.
        return Prediction.objects.get(case=case, model_version=model.version, input_hash=digest)


def _could_auto_classify(case: Case, prediction: Prediction, threshold: float) -> bool:
    """The conditions of ``_may_auto_classify`` that need no query: not applied yet, confident
    enough, and either the case has no category and is open, or it has another one and still waits
    at the 137 center unassigned."""
    if prediction.applied or prediction.confidence < threshold:
        return False
    if case.category_id is None:
        return case.phase in Case.OPEN_PHASES
    if case.category is not None and case.category.code == prediction.category_code:
        return False
    at_center = case.unit.kind == Unit.Kind.CENTER and case.unit.parent_id is None
    return (
        at_center and case.assignee_id is None and case.phase in (Case.Phase.REGISTERED, Case.Phase.RETURNED)
    )


def _may_auto_classify(case: Case, prediction: Prediction) -> Category | None:
    """The category the AI may set: confident enough, and either the case has none, or it differs
    from the citizen's choice while the case still waits at the 137 center unassigned (a case staff
    already took up is theirs to re-route)."""
    if not _could_auto_classify(case, prediction, float(insights_setting("AUTO_CLASSIFY_THRESHOLD", 0.85))):
        return None
    category = Category.objects.filter(code=prediction.category_code, is_active=True).first()
    if category is None or category.pk == case.category_id:
        return None
    if case.category_id is None:
        return category
    already_handled = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CLASSIFIED).exists()
    return None if already_handled else category


def _center_supervisors() -> list[Any]:
    return [
        membership.user
        for membership in Membership.objects.filter(
            unit__kind=Unit.Kind.CENTER,
            unit__parent__isnull=True,
            role=Membership.Role.SUPERVISOR,
            is_active=True,
            user__is_active=True,
        ).select_related("user")
    ]


def _alert_center(case: Case, prediction: Prediction) -> None:
    reasons = "، ".join(reason["label"] for reason in prediction.urgency_reasons)
    payload = {"tracking_code": to_persian_digits(case.tracking_code), "reasons": reasons}
    with override("fa"):
        subject = _("هشدار خطر در پیام شهروند")
        body = _("پرونده %(tracking_code)s نشانه خطر دارد (%(reasons)s) و اولویت آن فوری شد.") % payload
    for user in _center_supervisors():
        notification_enqueue(
            channel=Notification.Channel.INAPP,
            to_user=user,
            kind="insights_urgent",
            subject=subject,
            body=body,
            payload=payload,
            urgent=True,
            dedupe_key=f"insights_urgent:{case.public_id}:{user.pk}",
        )


def _raise_priority(case: Case, prediction: Prediction, ai: Any) -> bool:
    target = Priority.objects.filter(code=insights_setting("URGENT_PRIORITY", "emergency")).first()
    if target is None or not case.is_open:
        return False
    current = case.priority.weight if case.priority is not None else -1
    reasons = "، ".join(reason["label"] for reason in prediction.urgency_reasons)
    with transaction.atomic():
        raised = False
        if current < target.weight:
            with override("fa"):
                note = _("نشانه خطر در متن پیام: %(reasons)s") % {"reasons": reasons}
            case_set_priority(case=case, priority=target, actor=ai, reason=note, system=True)
            raised = True
        _alert_center(case, prediction)
        Prediction.objects.filter(pk=prediction.pk).update(priority_raised=raised)
    return raised


def prediction_apply(*, prediction: Prediction) -> Prediction:
    """Act on a stored prediction, each step at most once:

    - confident enough (``AUTO_CLASSIFY_THRESHOLD``) and allowed (see ``_may_auto_classify``): set
      the category through ``case_transition(action="classify")`` with the AI as actor, which
      re-routes the case and recomputes its deadlines;
    - urgent: raise the priority to ``URGENT_PRIORITY`` (``case_set_priority``) and alert the 137
      center's supervisors in the app.

    A case that changed meanwhile (Conflict) is left as it is. Sets off the notifications' delivery.
    """
    case = Case.objects.select_related("unit", "category", "priority").get(pk=prediction.case_id)
    ai = ai_user()
    if not prediction.applied:
        category = _may_auto_classify(case, prediction)
        if category is not None:
            with override("fa"):
                note = _("تعیین خودکار دسته با اطمینان %(p)s٪ (مدل %(version)s)") % {
                    "p": to_persian_digits(round(prediction.confidence * 100)),
                    "version": prediction.model_version,
                }
            try:
                with transaction.atomic():
                    case = case_transition(
                        case=case,
                        action=Action.CLASSIFY,
                        category=category,
                        system=True,
                        actor=ai,
                        internal_note=note,
                    )
                    Prediction.objects.filter(pk=prediction.pk).update(applied=True)
                    prediction.applied = True
            except ApplicationError as exc:
                logger.info("case %s not classified by the AI: %s", case.pk, exc)
    if prediction.urgent and not prediction.priority_raised:
        try:
            prediction.priority_raised = _raise_priority(case, prediction, ai)
        except ApplicationError as exc:
            logger.info("case %s priority not raised: %s", case.pk, exc)
    return prediction


def case_insights_run(*, case_id: int) -> Prediction | None:
    """What the task does after a registration commits: predict, store, act. Idempotent by case id."""
    case = Case.objects.select_related("unit", "category").filter(pk=case_id).first()
    if case is None:
        return None
    prediction = prediction_record(case=case)
    if prediction is None:
        return None
    return prediction_apply(prediction=prediction)


def _may_act(case: Case, prediction: Prediction, threshold: float) -> bool:
    """Whether ``prediction_apply`` could change anything on ``case``, decided without a query: a
    prediction it would ignore is not worth its queries."""
    if prediction.urgent and not prediction.priority_raised:
        return True
    return _could_auto_classify(case, prediction, threshold)


def cases_predict(*, case_ids: list[int]) -> list[Prediction]:
    """``prediction_record`` for many cases at once, in the caller's transaction: the cases read in
    one query, the model run once on all their texts, the new predictions written in one INSERT.
    Returns the predictions the AI could act on (``_may_act``: classify, raise the priority), for
    ``prediction_apply``; the others need nothing more. Idempotent like ``prediction_record``; sets
    off nothing."""
    model = classifier()
    if model is None:
        return []
    cases = [
        case
        for case in Case.objects.select_related("unit", "category").filter(pk__in=case_ids).order_by("pk")
        if case.description
    ]
    digests = {case.pk: input_hash(case.description) for case in cases}
    stored = {
        (prediction.case_id, prediction.input_hash): prediction
        for prediction in Prediction.objects.filter(case_id__in=digests, model_version=model.version)
    }
    fresh = [case for case in cases if (case.pk, digests[case.pk]) not in stored]
    results = model.predict([case.description for case in fresh]) if fresh else []
    created = Prediction.objects.bulk_create(
        [
            _prediction_new(case, model, result, digests[case.pk])
            for case, result in zip(fresh, results, strict=True)
        ]
    )
    stored.update(((prediction.case_id, prediction.input_hash), prediction) for prediction in created)
    threshold = float(insights_setting("AUTO_CLASSIFY_THRESHOLD", 0.85))
    found = ((case, stored[(case.pk, digests[case.pk])]) for case in cases)
    return [prediction for case, prediction in found if _may_act(case, prediction, threshold)]


def _pending_one_by_one(case_ids: list[int]) -> tuple[int, int]:
    """Each case in its own transaction with the deletion of its row; a case whose run raises is
    logged and dropped from the queue, as a failed task would be."""
    done = failed = 0
    for case_id in case_ids:
        try:
            with transaction.atomic():
                if not PendingCase.objects.filter(case_id=case_id).delete()[0]:
                    continue  # another scan took it
                case_insights_run(case_id=case_id)
            done += 1
        except Exception:
            logger.exception("insights for case %s failed; it is not retried", case_id)
            PendingCase.objects.filter(case_id=case_id).delete()
            failed += 1
    return done, failed


def cases_pending_insights_run(*, limit: int = 5000, batch: int = 200) -> dict[str, int]:
    """Classify the cases with a ``PendingCase`` row, oldest first, at most ``limit`` (run every 5
    seconds: the default keeps up with 1,000 registrations a second; a scan costs about 0.6 ms of
    CPU per case).

    Each batch of up to ``batch`` cases is one transaction: its rows are claimed with ``FOR UPDATE
    SKIP LOCKED`` (a scan that overlaps another takes the next cases instead of waiting), the
    predictions are stored (``cases_predict``) and the rows of the cases that need nothing more are
    deleted. The cases the AI may act on (classify, raise the priority) are then run one by one,
    each in its own transaction with the deletion of its row, so that their audited changes hold
    the audit chain's lock for one case and never for a whole batch (every registration waits for
    that lock). A case is thus classified once and never forgotten by a scan that stops half-way.
    When a batch raises, it is rolled back and its cases are run one by one: the one that fails is
    logged and dropped, the others are kept.
    """
    done = failed = 0
    while done + failed < limit:
        claimed: list[int] = []
        try:
            with transaction.atomic():
                claimed = list(
                    PendingCase.objects.select_for_update(skip_locked=True)
                    .order_by("case_id")
                    .values_list("case_id", flat=True)[: min(batch, limit - done - failed)]
                )
                if not claimed:
                    break
                acting = [prediction.case_id for prediction in cases_predict(case_ids=claimed)]
                PendingCase.objects.filter(case_id__in=claimed).exclude(case_id__in=acting).delete()
        except Exception:
            if not claimed:
                raise
            logger.warning("insights for %s cases failed together; running them one by one", len(claimed))
            acting = claimed
        done += len(claimed) - len(acting)
        one_done, one_failed = _pending_one_by_one(acting)
        done += one_done
        failed += one_failed
    return {"classified": done, "failed": failed}


def prediction_accept(*, case: Case, actor: Any, category_code: str) -> Case:
    """Staff accept one of the AI's suggested categories for ``case``.

    Classifies the case with it (unless it already has it) through ``case_transition`` with the
    staff member as actor, and records a ``PredictionFeedback`` (accepted) for the next training.
    Raises NotFound (case outside the actor's scope), PermissionDenied (not staff), ValidationError
    (not one of the suggestions), Conflict (the case changed or cannot be classified now).
    """
    roles = actor_roles_for_case(actor, case)
    if not roles:
        raise NotFound(_("پرونده‌ای با این شناسه پیدا نشد."))
    if not roles & STAFF_ROLES:
        raise PermissionDenied(_("شما اجازه این اقدام را روی این پرونده ندارید."))
    prediction = Prediction.objects.filter(case=case).first() or prediction_record(case=case)
    if prediction is None:
        raise ValidationError(_("برای این پرونده پیشنهادی وجود ندارد."), code="no_prediction")
    if category_code not in {item["label"] for item in prediction.top}:
        raise ValidationError(_("این دسته از پیشنهادهای دستیار نیست."), code="not_suggested")
    category = Category.objects.filter(code=category_code, is_active=True).first()
    if category is None:
        raise ValidationError(_("دسته موضوعی را انتخاب کنید."), code="category_required")
    with transaction.atomic():
        if case.category_id != category.pk:
            case = case_transition(case=case, action=Action.CLASSIFY, category=category, actor=actor)
        _feedback, created = PredictionFeedback.objects.get_or_create(
            prediction=prediction,
            kind=PredictionFeedback.Kind.ACCEPTED,
            defaults={
                "case": case,
                "predicted_code": prediction.category_code,
                "final_code": category.code,
                "actor": actor,
            },
        )
        if created:
            audit_record(
                actor=actor,
                action="insights.accept",
                object_type="cases.case",
                object_id=str(case.public_id),
                after={"prediction": prediction.pk, "category": category.code},
            )
    return case


def prediction_feedback_scan(*, limit: int = 5000) -> dict[str, int]:
    """Record what became of predictions, for accuracy and training (the periodic task).

    - overridden: a later ``classified`` event by a person (not the AI) to another category;
    - final: the category of the case when it closed (not for cases withdrawn or rejected as invalid).
    Idempotent (one row per prediction and kind). Sets off nothing.
    """
    ai = ai_user()
    counts = {"overridden": 0, "final": 0}
    open_overrides = (
        Prediction.objects.filter(
            Exists(
                CaseEvent.objects.filter(
                    case_id=OuterRef("case_id"),
                    kind=CaseEvent.Kind.CLASSIFIED,
                    created_at__gte=OuterRef("created_at"),
                    actor__isnull=False,
                )
                .exclude(actor=ai)
                # KT: the key as text, so the comparison is text = text on PostgreSQL too.
                .annotate(to_category=KT("data__to_category"))
                .exclude(to_category=OuterRef("category_code"))
            )
        )
        .exclude(feedback__kind=PredictionFeedback.Kind.OVERRIDDEN)
        .order_by("id")[:limit]
    )
    for prediction in open_overrides:
        event = (
            CaseEvent.objects.filter(
                case_id=prediction.case_id,
                kind=CaseEvent.Kind.CLASSIFIED,
                created_at__gte=prediction.created_at,
                actor__isnull=False,
            )
            .exclude(actor=ai)
            .order_by("-created_at", "-id")
            .first()
        )
        if event is None or event.data.get("to_category") == prediction.category_code:
            continue
        _, created = PredictionFeedback.objects.get_or_create(
            prediction=prediction,
            kind=PredictionFeedback.Kind.OVERRIDDEN,
            defaults={
                "case_id": prediction.case_id,
                "predicted_code": prediction.category_code,
                "final_code": str(event.data.get("to_category", "")),
                "actor_id": event.actor_id,
            },
        )
        counts["overridden"] += int(created)
    closed = (
        Prediction.objects.filter(case__phase=Case.Phase.CLOSED, case__category__isnull=False)
        .exclude(case__resolution__in=["", Case.Resolution.INVALID])
        .exclude(feedback__kind=PredictionFeedback.Kind.FINAL)
        .select_related("case__category")
        .order_by("id")[:limit]
    )
    for prediction in closed:
        _, created = PredictionFeedback.objects.get_or_create(
            prediction=prediction,
            kind=PredictionFeedback.Kind.FINAL,
            defaults={
                "case_id": prediction.case_id,
                "predicted_code": prediction.category_code,
                "final_code": prediction.case.category.code,  # type: ignore[union-attr]
            },
        )
        counts["final"] += int(created)
    return counts

"""Reads of the insights app: the case panel, ranked response templates, accuracy per week, scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from peygir.cases.models import Case
from peygir.cases.selectors import (
    access_case,
    actor_roles_for_case,
    case_actions_for,
    response_template_context,
    staff_scope,
)
from peygir.cases.workflow import ActorRole
from peygir.catalog.models import Category, ResponseTemplate
from peygir.catalog.services import response_template_render
from peygir.core.errors import NotFound
from peygir.org.models import Membership, Unit

from .classifier import make_vectorizer, prepare
from .duplicates import Candidate, duplicate_candidates
from .lexicon import corruption_hits, danger_hits
from .models import Prediction, PredictionFeedback
from .registry import assistant, classifier
from .trends import week_start

PANEL_ROLES = frozenset({ActorRole.OFFICER, ActorRole.MANAGER, ActorRole.SUPERVISOR, ActorRole.AGENT})


def access_insights_case(*, user: Any, public_id: Any) -> Case:
    """The case, for staff who may work it (officers, managers, supervisors of its unit, agents).

    Anyone else, the citizen who wrote it included, gets NotFound.
    """
    case = access_case(user=user, public_id=public_id)
    if not actor_roles_for_case(user, case) & PANEL_ROLES:
        raise NotFound(_("پرونده‌ای با این شناسه پیدا نشد."))
    return case


@dataclass
class Suggestion:
    code: str
    name: str
    probability: float
    is_current: bool


@dataclass
class Panel:
    prediction: Prediction | None
    suggestions: list[Suggestion] = field(default_factory=list)
    urgency: list[dict[str, str]] = field(default_factory=list)
    corruption: list[dict[str, str]] = field(default_factory=list)
    duplicates: list[Candidate] = field(default_factory=list)
    templates: list[tuple[ResponseTemplate, float]] = field(default_factory=list)
    can_classify: bool = False
    can_merge: bool = False
    has_model: bool = False
    llm_enabled: bool = False


def prediction_latest(case: Case) -> Prediction | None:
    return Prediction.objects.filter(case=case).order_by("-created_at", "-id").first()


def response_templates_ranked(case: Case, *, limit: int = 3) -> list[tuple[ResponseTemplate, float]]:
    """Active templates for the case's category (or for every category), most similar to its text
    first (TF-IDF cosine; a template written for this very category breaks ties upwards)."""
    templates = list(
        ResponseTemplate.objects.filter(
            Q(category__isnull=True) | Q(category_id=case.category_id), is_active=True
        )
        .select_related("category")
        .order_by("title")
    )
    if not templates:
        return []
    texts = [case.description, *[f"{t.title} {t.body}" for t in templates]]
    model = classifier()
    vectors = (
        model.similarity_vectors(texts)
        if model is not None
        else make_vectorizer(max_features=None).fit_transform([prepare(text) for text in texts])
    )
    scores = np.asarray((vectors[1:] @ vectors[0].T).toarray()).ravel()
    ranked = [
        (template, round(float(score) + (0.05 if template.category_id else 0.0), 3))
        for template, score in zip(templates, scores, strict=True)
    ]
    ranked.sort(key=lambda pair: (-pair[1], pair[0].title))
    return ranked[:limit]


def _rendered(
    case: Case, ranked: list[tuple[ResponseTemplate, float]]
) -> list[tuple[ResponseTemplate, float]]:
    """The templates with ``rendered``: their text filled in for this case, as the officer will send it."""
    variables = response_template_context(case)
    for template, _score in ranked:
        template.rendered = response_template_render(template=template, context=variables)  # type: ignore[attr-defined]
    return ranked


def case_panel(*, case: Case, user: Any) -> Panel:
    """What the insights panel shows ``user`` on the case page: the stored prediction (or, before
    the task has run, a live one that is not stored), flags, possible duplicates the user may see,
    ranked response templates. Read only."""
    prediction = prediction_latest(case)
    model = classifier()
    # Category names in the page's language (English names where the catalog has them).
    english = not (get_language() or "fa").startswith("fa")
    names = {
        code: (name_en or name) if english else name
        for code, name, name_en in Category.objects.values_list("code", "name", "name_en")
    }
    current = case.category.code if case.category is not None else ""
    if prediction is not None:
        top = prediction.top
        urgency, corruption = prediction.urgency_reasons, prediction.corruption_reasons
    elif model is not None:
        result = model.predict([case.description])[0]
        top = [asdict(scored) for scored in result.category]
        urgency = [asdict(hit) for hit in danger_hits(case.description, result.category)]
        corruption = [asdict(hit) for hit in corruption_hits(case.description)]
    else:
        top = []
        urgency = [asdict(hit) for hit in danger_hits(case.description)]
        corruption = [asdict(hit) for hit in corruption_hits(case.description)]
    actions = set(case_actions_for(user, case))
    roles = actor_roles_for_case(user, case)
    duplicates = duplicate_candidates(
        text=case.description,
        lat=case.lat,
        lon=case.lon,
        categories=[current, *[item["label"] for item in top]],
        exclude=case,
        visible_to=lambda other: bool(actor_roles_for_case(user, other) & PANEL_ROLES),
    )
    return Panel(
        prediction=prediction,
        suggestions=[
            Suggestion(
                item["label"],
                names.get(item["label"], item["label"]),
                item["probability"],
                item["label"] == current,
            )
            for item in top
        ],
        urgency=urgency,
        corruption=corruption,
        duplicates=duplicates,
        templates=_rendered(case, response_templates_ranked(case)) if case.category_id else [],
        can_classify="classify" in actions or bool(roles & {ActorRole.AGENT} and case.is_open),
        can_merge="merge" in actions,
        has_model=model is not None,
        llm_enabled=assistant() is not None,
    )


@dataclass(frozen=True)
class WeekAccuracy:
    week: dt.date
    predictions: int
    applied: int
    judged: int
    correct: int
    accepted: int
    overridden: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.judged if self.judged else None


def accuracy_by_week(*, weeks: int = 12, now: dt.datetime | None = None) -> list[WeekAccuracy]:
    """Per (Saturday-starting) week of prediction, newest first: how many predictions, how many the AI
    applied, and of those whose case has closed, how many named the final category."""
    now = now or timezone.now()
    first = week_start(timezone.localtime(now).date()) - dt.timedelta(weeks=weeks - 1)
    since = dt.datetime.combine(first, dt.time(), tzinfo=timezone.get_current_timezone())
    buckets: dict[dt.date, dict[str, int]] = {
        first + dt.timedelta(weeks=i): dict.fromkeys(
            ("predictions", "applied", "judged", "correct", "accepted", "overridden"), 0
        )
        for i in range(weeks)
    }
    for created_at, applied in Prediction.objects.filter(created_at__gte=since).values_list(
        "created_at", "applied"
    ):
        bucket = buckets.get(week_start(timezone.localtime(created_at).date()))
        if bucket is not None:
            bucket["predictions"] += 1
            bucket["applied"] += int(applied)
    feedback = PredictionFeedback.objects.filter(prediction__created_at__gte=since).values_list(
        "prediction__created_at", "kind", "predicted_code", "final_code"
    )
    for created_at, kind, predicted, final in feedback:
        bucket = buckets.get(week_start(timezone.localtime(created_at).date()))
        if bucket is None:
            continue
        if kind == PredictionFeedback.Kind.FINAL:
            bucket["judged"] += 1
            bucket["correct"] += int(predicted == final)
        elif kind == PredictionFeedback.Kind.ACCEPTED:
            bucket["accepted"] += 1
        else:
            bucket["overridden"] += 1
    return [WeekAccuracy(week=week, **counts) for week, counts in sorted(buckets.items(), reverse=True)]


def trend_districts_for(user: Any) -> QuerySet[Unit]:
    """Districts whose trends ``user`` may read: every district for 137-center supervisors, their
    own districts for district managers; none for anyone else."""
    scope = staff_scope(user)
    districts = Unit.objects.filter(kind=Unit.Kind.DISTRICT, is_active=True).order_by("number", "code")
    supervisor_paths = scope.paths({Membership.Role.SUPERVISOR})
    if supervisor_paths:
        return districts
    manager_paths = scope.paths({Membership.Role.MANAGER})
    if not manager_paths:
        return districts.none()
    condition = Q()
    for path in manager_paths:
        condition |= Q(path__startswith=path)
    return districts.filter(condition)

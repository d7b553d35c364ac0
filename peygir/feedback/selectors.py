"""Reads about feedback: whether a response may still be objected to or rated, the survey link's
state, and the supervisors' review queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from peygir.cases.models import Case
from peygir.cases.selectors import objection_deadline
from peygir.cases.survey import survey_token_matches, survey_token_parse

from .conf import feedback_setting
from .models import Rating, ResponseReview

RATEABLE_PHASES = (Case.Phase.RESPONDED, Case.Phase.CLOSED)

__all__ = [
    "RATEABLE_PHASES",
    "SurveyState",
    "is_low_score",
    "objection_deadline",
    "objection_open",
    "rating_allowed",
    "rating_for_response",
    "ratings_of_case",
    "review_for_response",
    "review_queue",
    "reviews_of_case",
    "survey_state",
]


def objection_open(case: Case, *, now: dt.datetime | None = None) -> bool:
    """True while the citizen may still object to the current response."""
    deadline = objection_deadline(case)
    return deadline is not None and (now or timezone.now()) <= deadline


def rating_for_response(case: Case) -> Rating | None:
    """The rating already given to the case's current response, or None."""
    if case.responded_at is None:
        return None
    return Rating.objects.filter(case=case, response_at=case.responded_at).first()


def rating_allowed(case: Case) -> bool:
    """True when the current response has not been rated yet and the case is responded or closed."""
    return (
        case.phase in RATEABLE_PHASES and case.responded_at is not None and rating_for_response(case) is None
    )


def is_low_score(score: int) -> bool:
    """True for a score at or below ``FEEDBACK["LOW_SCORE"]`` (default 2)."""
    return score <= int(feedback_setting("LOW_SCORE"))


@dataclass(frozen=True)
class SurveyState:
    """What a survey link leads to.

    ``status``: ``open`` (answer it), ``used`` (this response was rated already), ``reopened`` (the
    citizen objected some other way; the case is being worked again), ``expired`` (past
    ``FEEDBACK["SURVEY_VALID_DAYS"]``) or ``bad`` (no such link, or one for an earlier response).
    ``in_window``: a negative answer would still reopen the case.
    """

    status: str
    case: Case | None = None
    rating: Rating | None = None
    in_window: bool = False


def survey_state(token: str, *, now: dt.datetime | None = None) -> SurveyState:
    """Resolve a survey token (see ``tokens``). Raises nothing: a bad token is a state."""
    parsed = survey_token_parse(token)
    if parsed is None:
        return SurveyState("bad")
    case = (
        Case.objects.select_related("category", "message_type", "unit")
        .filter(tracking_code=parsed.tracking_code)
        .first()
    )
    if case is None or not survey_token_matches(case, parsed.signature):
        return SurveyState("bad")
    assert case.responded_at is not None  # survey_token_matches holds it
    now = now or timezone.now()
    rating = rating_for_response(case)
    if rating is not None:
        return SurveyState("used", case, rating)
    if case.phase not in RATEABLE_PHASES:
        return SurveyState("reopened", case)
    if now > case.responded_at + dt.timedelta(days=int(feedback_setting("SURVEY_VALID_DAYS"))):
        return SurveyState("expired", case)
    return SurveyState("open", case, in_window=objection_open(case, now=now))


def ratings_of_case(case: Case) -> list[Rating]:
    """Every rating of the case's responses, newest first."""
    return list(Rating.objects.filter(case=case).order_by("-response_at", "-id"))


def reviews_of_case(case: Case) -> list[ResponseReview]:
    """Every supervisor review of the case's responses, newest first."""
    return list(ResponseReview.objects.filter(case=case).select_related("reviewer").order_by("-response_at"))


def review_for_response(case: Case, response_at: dt.datetime) -> ResponseReview | None:
    return ResponseReview.objects.filter(case=case, response_at=response_at).first()


REVIEW_STATUSES = ("pending", "reviewed", "all")


def review_queue(*, status: str = "pending") -> QuerySet[Rating]:
    """Flagged ratings (a low score or a comment) for the 137 center's supervisors, newest first.

    ``status``: ``pending`` (no review of that response yet), ``reviewed`` or ``all``; each row is
    annotated with ``review_verdict`` (None while pending). Who may read it is the caller's decision.
    """
    same_response = ResponseReview.objects.filter(
        case_id=OuterRef("case_id"), response_at=OuterRef("response_at")
    )
    rows: QuerySet[Rating] = (
        Rating.objects.filter(flagged=True)
        .select_related("case", "case__unit", "case__category")
        .annotate(review_verdict=Subquery(same_response.values("verdict")[:1]))
        .order_by("-created_at", "-id")
    )
    if status == "pending":
        rows = rows.filter(~Exists(same_response))
    elif status == "reviewed":
        rows = rows.filter(Exists(same_response))
    return rows


def review_counts() -> dict[str, Any]:
    """How many flagged ratings wait for review, and how many responses were judged poor so far."""
    return {
        "pending": review_queue(status="pending").count(),
        "poor": ResponseReview.objects.filter(verdict=ResponseReview.Verdict.POOR).count(),
    }

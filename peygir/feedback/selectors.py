"""Reads about feedback: whether a response may still be objected to or rated."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from peygir.cases.models import Case
from peygir.cases.selectors import objection_deadline

from .models import Rating

RATEABLE_PHASES = (Case.Phase.RESPONDED, Case.Phase.CLOSED)


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

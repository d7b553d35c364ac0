"""Writes of citizen feedback: rating a response."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from peygir.audit.services import audit_record
from peygir.cases.models import Case
from peygir.core.errors import NotFound, ValidationError
from peygir.core.text import normalize_text

from .models import MAX_COMMENT, Rating
from .selectors import RATEABLE_PHASES


def rating_submit(*, case: Case, citizen: Any, score: int, fixed: bool, comment: str = "") -> Rating:
    """Record the citizen's rating of the case's current response (once per response), audited.

    Raises NotFound when ``citizen`` is not the case's own citizen (nothing about the case is
    revealed), ValidationError (Persian) when the case has no response to rate, the score is not 1–5,
    the comment is too long, or this response was already rated. Sets off nothing.
    """
    if (
        citizen is None
        or not getattr(citizen, "is_authenticated", False)
        or case.citizen_id is None
        or case.citizen_id != citizen.pk
    ):
        raise NotFound(_("پرونده‌ای با این شناسه پیدا نشد."))
    if case.phase not in RATEABLE_PHASES or case.responded_at is None:
        raise ValidationError(_("هنوز پاسخی برای امتیازدادن به این پیام ثبت نشده است."), code="not_responded")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError(_("امتیاز باید عددی از ۱ تا ۵ باشد."), code="bad_score")
    text = normalize_text(comment)
    if len(text) > MAX_COMMENT:
        raise ValidationError(_("توضیح نباید بیشتر از ۱۰۰۰ نویسه باشد."), code="comment_too_long")
    already = ValidationError(_("شما پیش‌تر به این پاسخ امتیاز داده‌اید."), code="already_rated")
    if Rating.objects.filter(case=case, response_at=case.responded_at).exists():
        raise already
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                case=case,
                citizen=citizen,
                response_at=case.responded_at,
                score=score,
                fixed=bool(fixed),
                comment=text,
            )
            audit_record(
                actor=citizen,
                action="feedback.rate",
                object_type="cases.case",
                object_id=str(case.public_id),
                after={
                    "rating": rating.pk,
                    "score": score,
                    "fixed": bool(fixed),
                    "response_at": case.responded_at,
                },
            )
    except IntegrityError as exc:
        # Two submits of the same response raced past the check above; the constraint kept one.
        raise already from exc
    return rating

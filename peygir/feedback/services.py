"""Writes of citizen feedback: rating a response (portal, bot or the survey link), what a rating sets
off (an objection that reopens the case, a closure, a flag to the 137 center), closing responses
nobody answered, and supervisors' quality reviews of responses."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from peygir.audit.services import audit_record
from peygir.cases.models import Case
from peygir.cases.selectors import actor_roles_for_case
from peygir.cases.services import case_transition
from peygir.cases.workflow import Action, ActorRole
from peygir.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from peygir.core.text import normalize_text, to_persian_digits
from peygir.notifications.models import Notification
from peygir.notifications.services import notification_enqueue
from peygir.org.models import Membership

from .conf import feedback_setting
from .models import MAX_COMMENT, MAX_REVIEW_NOTE, Rating, ResponseReview
from .selectors import RATEABLE_PHASES, is_low_score, objection_open, survey_state

logger = logging.getLogger("peygir.feedback")


@dataclass(frozen=True)
class AnswerResult:
    """A recorded rating and what it set off: ``objected`` (the case reopened) or ``closed``."""

    rating: Rating
    case: Case
    objected: bool
    closed: bool


def _not_found() -> NotFound:
    return NotFound(_("پرونده‌ای با این شناسه پیدا نشد."))


def _check_answer(case: Case, score: Any, comment: str) -> str:
    if case.phase not in RATEABLE_PHASES or case.responded_at is None:
        raise ValidationError(_("هنوز پاسخی برای امتیازدادن به این پیام ثبت نشده است."), code="not_responded")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError(_("امتیاز باید عددی از ۱ تا ۵ باشد."), code="bad_score")
    text = normalize_text(comment)
    if len(text) > MAX_COMMENT:
        raise ValidationError(_("توضیح نباید بیشتر از ۱۰۰۰ نویسه باشد."), code="comment_too_long")
    return text


def _supervisors() -> list[Any]:
    rows = Membership.objects.filter(
        role=Membership.Role.SUPERVISOR, is_active=True, user__is_active=True, unit__is_active=True
    ).select_related("user")
    return list({row.user_id: row.user for row in rows}.values())


def _flag_to_supervisors(rating: Rating, case: Case) -> None:
    """In-app notices to the 137 center's supervisors, in the caller's transaction (the outbox)."""
    with override("fa"):
        payload = {
            "tracking_code": to_persian_digits(case.tracking_code),
            "score": to_persian_digits(str(rating.score)),
            "unit": case.unit.name,
        }
        subject = _("نظر شهروند برای بازبینی")
        body = _("امتیاز %(score)s از ۵ برای پاسخ پرونده %(tracking_code)s (%(unit)s).") % payload
        if not rating.fixed:
            body += " " + _("شهروند گفته است مشکل رفع نشده است.")
        if rating.comment:
            body += " " + _("نظر: «%(comment)s»") % {"comment": rating.comment[:200]}
    for user in _supervisors():
        notification_enqueue(
            channel=Notification.Channel.INAPP,
            to_user=user,
            kind="feedback_flagged",
            subject=subject,
            body=body,
            payload=payload,
            dedupe_key=f"feedback_flagged:{rating.pk}:{user.pk}",
        )


def _objection_note(score: int, fixed: bool, comment: str) -> str:
    if comment:
        return comment
    if not fixed:
        return _("پاسخ نظرسنجی: مشکل رفع نشده است (امتیاز %(score)s از ۵).") % {
            "score": to_persian_digits(str(score))
        }
    return _("پاسخ نظرسنجی: امتیاز %(score)s از ۵.") % {"score": to_persian_digits(str(score))}


def _record_answer(
    *, case: Case, citizen: Any, score: Any, fixed: bool, comment: str, source: str
) -> AnswerResult:
    """Store the rating of the case's current response and act on it, all in one transaction.

    Inside the objection window a "not fixed" or a low score reopens the case (Action.OBJECT as the
    system, the comment as the reason); a "fixed" with a good score closes a responded case (the
    citizen confirmed it). A low score or any comment is flagged to the supervisors.
    """
    text = _check_answer(case, score, comment)
    assert case.responded_at is not None  # _check_answer holds it
    fixed = bool(fixed)
    already = ValidationError(_("شما پیش‌تر به این پاسخ امتیاز داده‌اید."), code="already_rated")
    if Rating.objects.filter(case=case, response_at=case.responded_at).exists():
        raise already
    now = timezone.now()
    negative = not fixed or is_low_score(score)
    reopen = negative and objection_open(case, now=now)
    close = not negative and case.phase == Case.Phase.RESPONDED
    user = citizen if getattr(citizen, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                case=case,
                citizen=user,
                response_at=case.responded_at,
                score=score,
                fixed=fixed,
                comment=text,
                source=source,
                objected=reopen,
                flagged=is_low_score(score) or bool(text),
            )
            audit_record(
                actor=user,
                action="feedback.rate",
                object_type="cases.case",
                object_id=str(case.public_id),
                after={
                    "rating": rating.pk,
                    "score": score,
                    "fixed": fixed,
                    "source": source,
                    "response_at": case.responded_at,
                },
            )
            if rating.flagged:
                _flag_to_supervisors(rating, case)
            if reopen:
                case = case_transition(
                    case=case,
                    action=Action.OBJECT,
                    actor=user,
                    note=_objection_note(score, fixed, text),
                    system=True,
                )
            elif close:
                case = case_transition(
                    case=case,
                    action=Action.CLOSE,
                    actor=user,
                    note=_("شهروند رفع مشکل را تأیید کرد."),
                    system=True,
                )
    except IntegrityError as exc:
        # Two answers to the same response raced past the check above; the constraint kept one.
        raise already from exc
    return AnswerResult(rating=rating, case=case, objected=reopen, closed=close)


def rating_submit(*, case: Case, citizen: Any, score: int, fixed: bool, comment: str = "") -> Rating:
    """Record the signed-in citizen's rating of the case's current response (once per response).

    Raises NotFound when ``citizen`` is not the case's own citizen (nothing about the case is
    revealed), ValidationError (Persian) when the case has no response to rate, the score is not 1–5,
    the comment is too long, or this response was already rated; Conflict when the case changed at
    the same moment. Sets off what ``survey_answer`` sets off.
    """
    if (
        citizen is None
        or not getattr(citizen, "is_authenticated", False)
        or case.citizen_id is None
        or case.citizen_id != citizen.pk
    ):
        raise _not_found()
    return _record_answer(
        case=case, citizen=citizen, score=score, fixed=fixed, comment=comment, source=Rating.Source.PORTAL
    ).rating


def survey_answer(
    *,
    score: int,
    fixed: bool,
    comment: str = "",
    token: str | None = None,
    case: Case | None = None,
    citizen: Any = None,
    source: str | None = None,
) -> AnswerResult:
    """Answer the satisfaction survey of a case's current response, once.

    Either ``token`` (the single-use link of the response SMS, no sign-in) or ``case`` with the
    signed-in ``citizen`` who owns it (the bot, the portal). Raises NotFound for a bad link or a case
    that is not the citizen's, ValidationError (Persian) for an expired link (code
    ``survey_expired``), an already answered response (``already_rated``), a reopened case
    (``not_responded``), a score outside 1–5 or a long comment; Conflict when the case changed at
    the same moment (nothing is kept; try again).

    Sets off, in the same transaction: inside the objection window, "not fixed" or a score at or
    below ``FEEDBACK["LOW_SCORE"]`` reopens the case (``object``, as the system, counted against the
    unit); a "fixed" with a good score closes a responded case; a low score or a comment notifies
    the 137 center's supervisors and waits in their review queue.
    """
    if token is not None:
        state = survey_state(token)
        if state.status == "bad" or state.case is None:
            raise NotFound(_("این پیوند نظرسنجی معتبر نیست."))
        if state.status == "expired":
            raise ValidationError(_("مهلت پاسخ به این نظرسنجی گذشته است."), code="survey_expired")
        if state.status == "used":
            raise ValidationError(_("به این نظرسنجی پیش‌تر پاسخ داده شده است."), code="already_rated")
        target = state.case
        user = None
        source = source or Rating.Source.SURVEY
    else:
        if case is None or citizen is None or not getattr(citizen, "is_authenticated", False):
            raise _not_found()
        if case.citizen_id is None or case.citizen_id != citizen.pk:
            raise _not_found()
        target, user = case, citizen
        source = source or Rating.Source.BOT
    if source not in Rating.Source.values:
        raise ValidationError(f"unknown rating source {source!r}")
    return _record_answer(case=target, citizen=user, score=score, fixed=fixed, comment=comment, source=source)


def survey_close_unanswered(*, now: dt.datetime | None = None, batch_size: int | None = None) -> int:
    """Close responded cases whose objection window ended without an objection (as the system).

    Batched (``FEEDBACK["CLOSE_BATCH"]`` per run, oldest first); every close is ``case_transition``'s
    compare-and-swap, so a case that moved meanwhile (an objection, a staff close) is skipped and a
    second worker running at the same time closes nothing twice. Returns how many it closed. Sets
    off the closing SMS of each case.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.PEYGIR["OBJECTION_WINDOW_DAYS"])
    limit = int(batch_size or feedback_setting("CLOSE_BATCH"))
    ids = list(
        Case.objects.filter(phase=Case.Phase.RESPONDED, responded_at__lt=cutoff)
        .order_by("responded_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    closed = 0
    for case in Case.objects.filter(pk__in=ids).select_related("unit"):
        if case.phase != Case.Phase.RESPONDED:
            continue
        try:
            case_transition(
                case=case,
                action=Action.CLOSE,
                note=_("مهلت اعتراض به پاسخ به پایان رسید."),
                system=True,
            )
        except Conflict:
            # Someone moved the case between the read and the swap: it is no longer ours to close.
            logger.info("auto-close skipped case %s: it changed meanwhile", case.pk)
            continue
        closed += 1
    return closed


def response_review_record(
    *, case: Case, reviewer: Any, verdict: str, note: str = "", response_at: dt.datetime | None = None
) -> ResponseReview:
    """A supervisor's verdict on the quality of one response of the case (by default the current one).

    137-center supervisors only. Raises NotFound when the reviewer may not see the case,
    PermissionDenied when they are not a supervisor, ValidationError for an unknown verdict, a
    response that does not exist, a note that is too long, or a response already reviewed. Audited;
    sets off nothing.
    """
    roles = actor_roles_for_case(reviewer, case)
    if not roles:
        raise _not_found()
    if ActorRole.SUPERVISOR not in roles:
        raise PermissionDenied(_("فقط ناظران مرکز ۱۳۷ کیفیت پاسخ‌ها را بازبینی می‌کنند."))
    if verdict not in ResponseReview.Verdict.values:
        raise ValidationError(_("نتیجه بازبینی را انتخاب کنید."), code="bad_verdict")
    response_at = response_at or case.responded_at
    known = response_at is not None and (
        response_at == case.responded_at or Rating.objects.filter(case=case, response_at=response_at).exists()
    )
    if response_at is None or not known:
        raise ValidationError(_("این پرونده پاسخی برای بازبینی ندارد."), code="no_response")
    text = normalize_text(note)
    if len(text) > MAX_REVIEW_NOTE:
        raise ValidationError(_("توضیح نباید بیشتر از ۲۰۰۰ نویسه باشد."), code="note_too_long")
    already = ValidationError(_("این پاسخ پیش‌تر بازبینی شده است."), code="already_reviewed")
    if ResponseReview.objects.filter(case=case, response_at=response_at).exists():
        raise already
    try:
        with transaction.atomic():
            review = ResponseReview.objects.create(
                case=case,
                response_at=response_at,
                unit_id=case.unit_id,
                reviewer=reviewer,
                verdict=verdict,
                note=text,
            )
            audit_record(
                actor=reviewer,
                action="feedback.review",
                object_type="cases.case",
                object_id=str(case.public_id),
                after={"review": review.pk, "verdict": verdict, "response_at": response_at},
            )
    except IntegrityError as exc:
        raise already from exc
    return review

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from peygir.audit.models import AuditEntry
from peygir.cases.models import Case
from peygir.cases.services import case_transition
from peygir.core.errors import NotFound, ValidationError
from peygir.feedback.models import Rating
from peygir.feedback.selectors import objection_deadline, objection_open, rating_allowed, rating_for_response
from peygir.feedback.services import rating_submit

pytestmark = pytest.mark.django_db


def test_rating_a_response_stores_it_and_audits_it(responded, citizen):
    rating = rating_submit(
        case=responded, citizen=citizen, score=5, fixed=True, comment="  ممنون از  پيگيري "
    )
    assert Rating.objects.get() == rating
    assert (rating.score, rating.fixed, rating.comment) == (5, True, "ممنون از پیگیری")
    assert rating.response_at == responded.responded_at
    entry = AuditEntry.objects.filter(action="feedback.rate").get()
    assert entry.object_id == str(responded.public_id)
    assert entry.actor_id == citizen.pk
    assert rating_for_response(responded) == rating
    assert rating_allowed(responded) is False


def test_a_second_rating_of_the_same_response_is_refused(responded, citizen):
    rating_submit(case=responded, citizen=citizen, score=3, fixed=True)
    responded.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        rating_submit(case=responded, citizen=citizen, score=5, fixed=True)
    assert exc.value.detail == "شما پیش‌تر به این پاسخ امتیاز داده‌اید."
    assert Rating.objects.get().score == 3


def test_a_new_response_after_an_objection_can_be_rated_again(responded, citizen, officer6):
    rating = rating_submit(case=responded, citizen=citizen, score=1, fixed=False)
    # A "not fixed" inside the window is itself the objection: the case is being worked again.
    case = Case.objects.get(pk=responded.pk)
    assert (rating.objected, case.phase, case.objection_count) == (True, "in_progress", 1)
    assert rating_allowed(case) is False
    case = case_transition(
        case=case, action="respond", actor=officer6, resolution="fixed", note="این بار رفع شد."
    )
    assert rating_allowed(case) is True
    rating_submit(case=case, citizen=citizen, score=4, fixed=True)
    assert sorted(Rating.objects.values_list("score", flat=True)) == [1, 4]


@pytest.mark.parametrize("score", [0, 6, -1, True])
def test_a_score_outside_one_to_five_is_refused(responded, citizen, score):
    with pytest.raises(ValidationError) as exc:
        rating_submit(case=responded, citizen=citizen, score=score, fixed=True)
    assert exc.value.code == "bad_score"
    assert Rating.objects.count() == 0


def test_the_database_refuses_a_score_outside_the_range(responded, citizen):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            case=responded, citizen=citizen, response_at=responded.responded_at, score=7, fixed=True
        )


def test_only_the_cases_own_citizen_may_rate(responded, citizen_b, officer6):
    before = AuditEntry.objects.count()
    for person in (citizen_b, officer6, None):
        with pytest.raises(NotFound):
            rating_submit(case=responded, citizen=person, score=5, fixed=True)
    assert Rating.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_a_case_without_a_response_cannot_be_rated(case6, citizen):
    with pytest.raises(ValidationError) as exc:
        rating_submit(case=case6, citizen=citizen, score=5, fixed=True)
    assert exc.value.code == "not_responded"
    assert rating_allowed(case6) is False


def test_a_long_comment_is_refused(responded, citizen):
    with pytest.raises(ValidationError) as exc:
        rating_submit(case=responded, citizen=citizen, score=2, fixed=False, comment="ب" * 1001)
    assert exc.value.code == "comment_too_long"
    assert Rating.objects.count() == 0


def test_the_objection_window_follows_the_setting(responded, settings):
    settings.PEYGIR = {**settings.PEYGIR, "OBJECTION_WINDOW_DAYS": 3}
    deadline = objection_deadline(responded)
    assert deadline == responded.responded_at + dt.timedelta(days=3)
    assert objection_open(responded, now=deadline) is True
    assert objection_open(responded, now=deadline + dt.timedelta(seconds=1)) is False


def test_an_open_case_has_no_objection_deadline(case6):
    assert objection_deadline(case6) is None
    assert objection_open(case6, now=timezone.now()) is False

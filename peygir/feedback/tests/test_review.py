"""Supervisors' review of low scores and comments, and their poor-quality verdicts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from peygir.audit.models import AuditEntry
from peygir.cases.survey import survey_token
from peygir.core.errors import NotFound, PermissionDenied, ValidationError
from peygir.feedback.models import ResponseReview
from peygir.feedback.selectors import review_counts, review_queue
from peygir.feedback.services import response_review_record, survey_answer

from .conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(responded):
    return survey_answer(token=survey_token(responded), score=1, fixed=False, comment="کسی نیامد").rating


def test_the_queue_lists_flagged_answers_until_they_are_reviewed(as_supervisor, flagged):
    html = as_supervisor.get(reverse("staff:feedback_queue")).content.decode()
    assert "کسی نیامد" in html
    assert reverse("staff:feedback_review", args=[flagged.case.public_id]) in html
    assert list(review_queue(status="pending")) == [flagged]
    assert review_counts() == {"pending": 1, "poor": 0}


def test_a_supervisor_marks_a_response_as_poor_quality(as_supervisor, flagged, supervisor):
    url = reverse("staff:feedback_review", args=[flagged.case.public_id])
    response = as_supervisor.post(
        url,
        {
            "verdict": "poor",
            "note": "پاسخ کلیشه‌ای",
            "response_at": flagged.response_at.isoformat(),
            "next": "/staff/feedback/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/feedback/"
    review = ResponseReview.objects.get()
    assert (review.verdict, review.note, review.reviewer_id, review.unit_id, review.response_at) == (
        "poor",
        "پاسخ کلیشه‌ای",
        supervisor.pk,
        flagged.case.unit_id,
        flagged.response_at,
    )
    assert AuditEntry.objects.filter(action="feedback.review").get().actor_id == supervisor.pk
    assert list(review_queue(status="pending")) == []
    assert [r.review_verdict for r in review_queue(status="reviewed")] == ["poor"]
    assert review_counts() == {"pending": 0, "poor": 1}
    queue = as_supervisor.get(reverse("staff:feedback_queue") + "?status=reviewed").content.decode()
    assert "پاسخ بی‌کیفیت" in queue


def test_a_response_is_reviewed_once(flagged, supervisor):
    response_review_record(case=flagged.case, reviewer=supervisor, verdict="acceptable")
    with pytest.raises(ValidationError) as exc:
        response_review_record(case=flagged.case, reviewer=supervisor, verdict="poor")
    assert exc.value.code == "already_reviewed"
    assert ResponseReview.objects.get().verdict == "acceptable"


@pytest.mark.parametrize("verdict", ["", "terrible", "POOR"])
def test_a_bad_verdict_is_refused_and_nothing_is_stored(as_supervisor, flagged, verdict):
    before = AuditEntry.objects.count()
    response = as_supervisor.post(
        reverse("staff:feedback_review", args=[flagged.case.public_id]), {"verdict": verdict}
    )
    assert response.status_code == 422
    assert "نتیجه بازبینی را انتخاب کنید." in response.content.decode()
    assert ResponseReview.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_a_case_without_a_response_cannot_be_reviewed(as_supervisor, case6):
    response = as_supervisor.post(
        reverse("staff:feedback_review", args=[case6.public_id]), {"verdict": "poor"}
    )
    assert response.status_code == 422
    assert "این پرونده پاسخی برای بازبینی ندارد." in response.content.decode()
    assert ResponseReview.objects.count() == 0


def test_only_supervisors_review(flagged, officer6, manager6, officer7):
    with pytest.raises(PermissionDenied):
        response_review_record(case=flagged.case, reviewer=officer6, verdict="poor")
    with pytest.raises(PermissionDenied):
        response_review_record(case=flagged.case, reviewer=manager6, verdict="poor")
    with pytest.raises(NotFound):
        response_review_record(case=flagged.case, reviewer=officer7, verdict="poor")
    assert ResponseReview.objects.count() == 0


def test_the_case_page_shows_the_rating_and_offers_the_review_to_supervisors(
    client, flagged, supervisor, officer6
):
    url = reverse("staff:case", args=[flagged.case.public_id])
    html = sign_in(client, supervisor).get(url).content.decode()
    assert 'id="feedback-panel"' in html
    assert "کسی نیامد" in html
    assert reverse("staff:feedback_review", args=[flagged.case.public_id]) in html
    assert reverse("staff:case_special", args=[flagged.case.public_id]) in html
    client.logout()
    html = sign_in(client, officer6).get(url).content.decode()
    assert "کسی نیامد" in html
    assert "اعتراض شهروند" in html
    assert reverse("staff:feedback_review", args=[flagged.case.public_id]) not in html
    assert reverse("staff:case_special", args=[flagged.case.public_id]) not in html

"""Who may open each feedback page: supervisors only (404 for other staff, 403 for non-staff, the
sign-in page for anonymous), and a refused write changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from peygir.audit.models import AuditEntry
from peygir.cases.models import Case, CaseEvent
from peygir.cases.survey import survey_token
from peygir.feedback.models import ResponseReview
from peygir.feedback.services import survey_answer

from .conftest import sign_in

pytestmark = pytest.mark.django_db

OTHERS = [
    ("officer6", 404),
    ("officer7", 404),
    ("manager6", 404),
    ("agent", 404),
    ("admin_user_persona", 404),
    ("integrity_handler", 403),
    ("citizen", 403),
]


def _pages(case: Case) -> list[tuple[str, str, dict]]:
    return [
        ("get", reverse("staff:feedback_queue"), {}),
        ("get", reverse("staff:feedback_review", args=[case.public_id]), {}),
        ("post", reverse("staff:feedback_review", args=[case.public_id]), {"verdict": "poor"}),
        ("get", reverse("staff:case_special", args=[case.public_id]), {}),
        (
            "post",
            reverse("staff:case_special", args=[case.public_id]),
            {"is_special": "yes", "estimated": "9"},
        ),
        ("post", reverse("staff:special_flag"), {"tracking_code": case.tracking_code, "is_special": "yes"}),
        ("get", reverse("staff:special_report"), {}),
        ("get", reverse("staff:special_report") + "?kind=year&year=1404&format=xlsx", {}),
        ("get", reverse("staff:special"), {}),
    ]


@pytest.fixture
def reviewed_case(responded):
    survey_answer(token=survey_token(responded), score=1, fixed=False, comment="بد")
    return Case.objects.get(pk=responded.pk)


def _changes(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        case.is_special,
        case.financial_stakes,
        case.version,
        ResponseReview.objects.count(),
        CaseEvent.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(("persona", "status"), OTHERS)
def test_other_people_are_turned_away_and_nothing_changes(client, request, reviewed_case, persona, status):
    sign_in(client, request.getfixturevalue(persona))
    before = _changes(reviewed_case)
    for method, url, data in _pages(reviewed_case):
        response = getattr(client, method)(url, data)
        assert (url, response.status_code) == (url, status)
    assert _changes(reviewed_case) == before


def test_anonymous_visitors_are_sent_to_sign_in(client, reviewed_case):
    before = _changes(reviewed_case)
    for method, url, data in _pages(reviewed_case):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("staff:login"))
    assert _changes(reviewed_case) == before


def test_supervisors_open_every_page(as_supervisor, reviewed_case):
    for method, url, _data in _pages(reviewed_case):
        if method == "get":
            assert (url, as_supervisor.get(url).status_code) == (url, 200)


def test_the_nav_offers_the_review_queue_to_supervisors_only(client, as_supervisor, officer6, reviewed_case):
    queue = reverse("staff:feedback_queue")
    assert queue in as_supervisor.get(reverse("staff:kartable")).content.decode()
    as_supervisor.logout()
    assert queue not in sign_in(client, officer6).get(reverse("staff:kartable")).content.decode()


def test_the_survey_page_needs_no_sign_in_but_only_answers_get_and_post(client, responded):
    url = reverse("feedback:survey", kwargs={"token": survey_token(responded)})
    assert client.get(url).status_code == 200
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405

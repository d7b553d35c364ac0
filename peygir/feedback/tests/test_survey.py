"""The satisfaction survey: the link in the response SMS, the page, and what an answer sets off."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from peygir.audit.models import AuditEntry
from peygir.cases.models import Case, CaseEvent
from peygir.cases.services import case_transition
from peygir.cases.survey import survey_token
from peygir.core.errors import NotFound, ValidationError
from peygir.feedback.models import Rating
from peygir.feedback.selectors import survey_state
from peygir.feedback.services import survey_answer
from peygir.notifications.models import Notification
from peygir.notifications.sms import sms_parts

from .conftest import respond_case

pytestmark = pytest.mark.django_db


def _url(case: Case) -> str:
    return reverse("feedback:survey", kwargs={"token": survey_token(case)})


def _snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        Rating.objects.count(),
        CaseEvent.objects.filter(case=case).count(),
        AuditEntry.objects.count(),
        case.phase,
        case.version,
        case.objection_count,
    )


def test_the_response_sms_carries_the_survey_link_within_two_parts(responded):
    sms = Notification.objects.get(kind="case_responded")
    url = "https://137.tehran.ir" + _url(responded)
    assert sms.body.endswith(f"دیدن پاسخ و نظرسنجی: {url}")
    assert sms.payload["track_url"] == url
    assert sms_parts(sms.body) == 2


def test_the_link_opens_the_survey_without_signing_in(client, responded):
    response = client.get(_url(responded))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="survey-form"' in html
    assert "رفع شد." in html  # the response text itself
    assert html.count('name="score"') == 5
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_good_answer_is_stored_once_and_closes_the_case(client, responded):
    url = _url(responded)
    response = client.post(url, {"score": "5", "fixed": "yes", "comment": " عالي بود "})
    assert response.status_code == 302
    assert response["Location"] == url
    rating = Rating.objects.get()
    assert (rating.score, rating.fixed, rating.comment, rating.source, rating.citizen) == (
        5,
        True,
        "عالی بود",
        "survey",
        None,
    )
    assert (rating.objected, rating.flagged) == (False, True)  # a comment is always read
    case = Case.objects.get(pk=responded.pk)
    assert case.phase == "closed"
    assert (
        CaseEvent.objects.filter(case=case, kind="closed").get().public_note
        == "شهروند رفع مشکل را تأیید کرد."
    )
    assert AuditEntry.objects.filter(action="feedback.rate").get().actor_id is None


def test_the_link_is_single_use(client, responded):
    url = _url(responded)
    client.post(url, {"score": "4", "fixed": "yes"})
    before = _snapshot(responded)
    second = client.post(url, {"score": "1", "fixed": "no", "comment": "دوباره"})
    html = second.content.decode()
    assert second.status_code == 200
    assert 'id="survey-used"' in html
    assert 'id="survey-form"' not in html
    assert _snapshot(responded) == before
    with pytest.raises(ValidationError) as exc:
        survey_answer(token=survey_token(responded), score=1, fixed=False)
    assert exc.value.code == "already_rated"


def test_not_fixed_inside_the_window_reopens_the_case_in_the_same_unit(client, responded, district6):
    client.post(_url(responded), {"score": "4", "fixed": "no", "comment": "چاله هنوز هست."})
    case = Case.objects.get(pk=responded.pk)
    assert (case.phase, case.unit_id, case.objection_count, case.resolution) == (
        "in_progress",
        responded.unit_id,
        1,
        "",
    )
    assert case.objected_at is not None
    event = CaseEvent.objects.filter(case=case, kind="objected").get()
    assert (event.public_note, event.actor_id) == ("چاله هنوز هست.", None)
    assert Rating.objects.get().objected is True


def test_a_low_score_without_a_comment_reopens_with_a_written_reason(responded):
    result = survey_answer(token=survey_token(responded), score=2, fixed=True)
    assert (result.objected, result.closed, result.case.phase) == (True, False, "in_progress")
    event = CaseEvent.objects.filter(case=responded, kind="objected").get()
    assert event.public_note == "پاسخ نظرسنجی: امتیاز ۲ از ۵."


def test_the_low_score_threshold_follows_the_setting(responded, settings):
    settings.FEEDBACK = {**settings.FEEDBACK, "LOW_SCORE": 3}
    result = survey_answer(token=survey_token(responded), score=3, fixed=True)
    assert result.objected is True


def test_an_objected_case_is_marked_in_the_units_kartable(client, responded, officer6):
    from .conftest import sign_in

    survey_answer(token=survey_token(responded), score=1, fixed=False)
    html = sign_in(client, officer6).get(reverse("staff:kartable")).content.decode()
    assert 'class="badge badge-objected"' in html


def test_an_answer_after_the_objection_window_is_kept_but_reopens_nothing(client, responded):
    later = responded.responded_at + dt.timedelta(days=8)
    with time_machine.travel(later, tick=False):
        page = client.get(_url(responded)).content.decode()
        assert "مهلت اعتراض به این پاسخ گذشته است" in page
        response = client.post(_url(responded), {"score": "1", "fixed": "no"})
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.score, rating.objected, rating.flagged) == (1, False, True)
    case = Case.objects.get(pk=responded.pk)
    assert (case.phase, case.objection_count) == ("responded", 0)


def test_an_expired_link_says_so_and_changes_nothing(client, responded):
    before = _snapshot(responded)
    with time_machine.travel(responded.responded_at + dt.timedelta(days=31), tick=False):
        response = client.post(_url(responded), {"score": "5", "fixed": "yes"})
        with pytest.raises(ValidationError) as exc:
            survey_answer(token=survey_token(responded), score=5, fixed=True)
    assert response.status_code == 410
    assert 'id="survey-expired"' in response.content.decode()
    assert exc.value.code == "survey_expired"
    assert _snapshot(responded) == before


@pytest.mark.parametrize(
    "token",
    ["nonsense", "123456789-AAAAAAAAAAAAAAAA", "12-short", "abc-AAAAAAAAAAAAAAAA", "", "-"],
)
def test_a_bad_link_is_404_and_changes_nothing(client, responded, token):
    before = _snapshot(responded)
    url = "/survey/" + (token or "x") + "/"
    response = client.post(url, {"score": "5", "fixed": "yes"})
    assert response.status_code == 404
    assert 'id="survey-bad"' in response.content.decode()
    assert _snapshot(responded) == before


def test_a_tampered_signature_is_bad(client, responded):
    token = survey_token(responded)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert survey_state(forged).status == "bad"
    assert client.get(f"/survey/{forged}/").status_code == 404


def test_the_link_of_an_earlier_response_stops_working_after_a_new_one(client, responded, officer6):
    old = survey_token(responded)
    case = case_transition(case=responded, action="object", actor=None, note="رفع نشده", system=True)
    assert survey_state(old).status == "reopened"
    case = case_transition(
        case=case, action="respond", actor=officer6, resolution="fixed", note="این بار رفع شد."
    )
    assert survey_state(old).status == "bad"
    assert survey_state(survey_token(case)).status == "open"
    assert client.get(f"/survey/{old}/").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fixed": "yes"}, "امتیازی از ۱ تا ۵ ستاره انتخاب کنید."),
        ({"score": "6", "fixed": "yes"}, "امتیاز باید عددی از ۱ تا ۵ باشد."),
        ({"score": "x", "fixed": "yes"}, "امتیاز باید عددی از ۱ تا ۵ باشد."),
        ({"score": "3"}, "بگویید مشکل رفع شد یا نه."),
        ({"score": "3", "fixed": "yes", "comment": "ب" * 1001}, "توضیح نباید بیشتر از ۱۰۰۰ نویسه باشد."),
    ],
)
def test_bad_answers_are_refused_with_a_persian_message(client, responded, data, message):
    before = _snapshot(responded)
    response = client.post(_url(responded), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert _snapshot(responded) == before


def test_low_scores_and_comments_notify_the_centers_supervisors(responded, supervisor):
    survey_answer(token=survey_token(responded), score=1, fixed=False, comment="کسی نیامد")
    notice = Notification.objects.get(kind="feedback_flagged")
    assert (notice.channel, notice.to_user_id, notice.subject) == (
        "inapp",
        supervisor.pk,
        "نظر شهروند برای بازبینی",
    )
    assert "امتیاز ۱ از ۵" in notice.body
    assert "«کسی نیامد»" in notice.body


def test_a_good_score_without_a_comment_is_not_flagged(responded):
    survey_answer(token=survey_token(responded), score=5, fixed=True)
    assert Rating.objects.get().flagged is False
    assert not Notification.objects.filter(kind="feedback_flagged").exists()


def test_the_bot_answers_for_the_signed_in_owner_only(responded, citizen, citizen_b):
    before = _snapshot(responded)
    for person in (citizen_b, None):
        with pytest.raises(NotFound):
            survey_answer(case=responded, citizen=person, score=5, fixed=True)
    assert _snapshot(responded) == before
    result = survey_answer(case=responded, citizen=citizen, score=5, fixed=True)
    assert (result.rating.source, result.rating.citizen_id, result.closed) == ("bot", citizen.pk, True)


def test_a_case_without_a_response_has_no_survey(case6):
    with pytest.raises(ValueError):
        survey_token(case6)
    with pytest.raises(ValidationError) as exc:
        survey_answer(case=case6, citizen=case6.citizen, score=5, fixed=True)
    assert exc.value.code == "not_responded"


def test_a_case_reopened_another_way_shows_that_it_is_being_worked(client, responded, citizen):
    url = _url(responded)
    case_transition(case=responded, action="object", actor=citizen, note="رفع نشده است.")
    response = client.get(url)
    assert response.status_code == 200
    assert 'id="survey-reopened"' in response.content.decode()
    assert client.post(url, {"score": "5", "fixed": "yes"}).status_code == 200
    assert Rating.objects.count() == 0


def test_an_sms_only_case_gets_the_survey_too(client, submit, officer6):
    case = respond_case(submit(), officer6)
    assert case.citizen_id is None
    client.post(_url(case), {"score": "2", "fixed": "no"})
    assert Case.objects.get(pk=case.pk).phase == "in_progress"

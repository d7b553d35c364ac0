from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from peygir.audit.models import AuditEntry
from peygir.cases.models import Case, CaseEvent
from peygir.cases.services import case_transition
from peygir.core.text import to_latin_digits
from peygir.feedback.models import Rating
from peygir.notifications.selectors import last_notification_to_phone

pytestmark = pytest.mark.django_db


def _code_sent_to(mobile: str) -> str:
    body = to_latin_digits(last_notification_to_phone(mobile, "otp").body)
    return next(word for word in body.split() if word.isdigit() and len(word) == 6)


def test_otp_sign_in_end_to_end_honours_a_safe_next(client, citizen, case6):
    target = reverse("portal:my_case", kwargs={"public_id": case6.public_id})
    page = client.get(reverse("portal:login"), {"next": target})
    assert "csrfmiddlewaretoken" in page.content.decode()
    response = client.post(reverse("portal:login"), {"mobile": "۰۹۱۲۰۰۰۰۰۰۱", "next": target})
    assert response["Location"] == reverse("portal:login_code")
    code_page = client.get(reverse("portal:login_code"))
    assert "csrfmiddlewaretoken" in code_page.content.decode()
    assert "۰۹۱۲***۰۰۰۱" in code_page.content.decode()
    response = client.post(reverse("portal:login_code"), {"code": _code_sent_to("09120000001")})
    assert response.status_code == 302
    assert response["Location"] == target
    assert client.get(target).status_code == 200


def test_an_unsafe_next_is_ignored(client, citizen):
    client.post(reverse("portal:login"), {"mobile": "09120000001", "next": "https://evil.example/x"})
    response = client.post(reverse("portal:login_code"), {"code": _code_sent_to("09120000001")})
    assert response["Location"] == reverse("portal:my_cases")


def test_a_wrong_code_and_a_bad_phone_show_persian_errors(client, citizen):
    bad = client.post(reverse("portal:login"), {"mobile": "12345"})
    assert bad.status_code == 422
    assert "شماره تلفن همراه نامعتبر است" in bad.content.decode()
    client.post(reverse("portal:login"), {"mobile": "09120000001"})
    wrong = client.post(
        reverse("portal:login_code"),
        {"code": "000000" if _code_sent_to("09120000001") != "000000" else "111111"},
    )
    assert wrong.status_code == 422
    assert "کد واردشده درست نیست یا منقضی شده است." in wrong.content.decode()
    assert "_auth_user_id" not in client.session


def test_too_many_code_requests_are_refused_with_a_message(client, citizen, settings):
    settings.PEYGIR = {**settings.PEYGIR, "OTP_PER_PHONE_PER_HOUR": 1}
    client.post(reverse("portal:login"), {"mobile": "09120000001"})
    response = client.post(reverse("portal:login"), {"mobile": "09120000001"})
    assert response.status_code == 422
    assert "بیش از حد کد درخواست شده است" in response.content.decode()


def test_code_page_without_a_requested_code_goes_back_to_the_phone_form(client, org_tree):
    response = client.get(reverse("portal:login_code"))
    assert response["Location"] == reverse("portal:login")


def test_sign_out_is_a_post(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("portal:logout")).status_code == 405
    response = client.post(reverse("portal:logout"))
    assert response["Location"] == reverse("portal:home")
    assert "_auth_user_id" not in client.session


def test_my_cases_needs_sign_in(client, org_tree):
    response = client.get(reverse("portal:my_cases"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:login") + "?next=/my/"


def test_my_cases_lists_only_my_cases(client, citizen, case6, case7):
    client.force_login(citizen)
    html = client.get(reverse("portal:my_cases")).content.decode()
    assert str(case6.public_id) in html
    assert str(case7.public_id) not in html


def test_citizen_cannot_open_or_act_on_another_citizens_case(client, citizen, case7, officer7, respond):
    case = respond(case7, officer7)
    client.force_login(citizen)
    before = (Rating.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count(), case.version)
    assert client.get(reverse("portal:my_case", kwargs={"public_id": case.public_id})).status_code == 404
    kwargs = {"public_id": case.public_id}
    assert (
        client.post(reverse("portal:my_case_rate", kwargs=kwargs), {"score": 5, "fixed": "yes"}).status_code
        == 404
    )
    assert (
        client.post(reverse("portal:my_case_object", kwargs=kwargs), {"note": "رفع نشده"}).status_code == 404
    )
    assert client.post(reverse("portal:my_case_close", kwargs=kwargs)).status_code == 404
    case.refresh_from_db()
    assert (
        Rating.objects.count(),
        CaseEvent.objects.count(),
        AuditEntry.objects.count(),
        case.version,
    ) == before
    assert case.phase == "responded"


def test_staff_who_see_the_case_still_get_404_on_the_citizen_page(client, officer6, case6):
    client.force_login(officer6)
    assert client.get(reverse("portal:my_case", kwargs={"public_id": case6.public_id})).status_code == 404


def test_case_page_offers_rating_objection_and_close_after_a_response(
    client, citizen, case6, officer6, respond
):
    case = respond(case6, officer6)
    client.force_login(citizen)
    html = client.get(reverse("portal:my_case", kwargs={"public_id": case.public_id})).content.decode()
    assert html.count("csrfmiddlewaretoken") >= 4  # sign-out, rate, object, close (+ language switch)
    assert 'name="score"' in html
    assert reverse("portal:my_case_object", kwargs={"public_id": case.public_id}) in html
    assert reverse("portal:my_case_close", kwargs={"public_id": case.public_id}) in html
    assert "مخزن تخلیه و کوچه شسته شد." in html


def test_rating_once_per_response(client, citizen, case6, officer6, respond):
    case = respond(case6, officer6)
    client.force_login(citizen)
    url = reverse("portal:my_case_rate", kwargs={"public_id": case.public_id})
    first = client.post(url, {"score": "4", "fixed": "yes", "comment": "سريع بود"})
    assert first.status_code == 302
    rating = Rating.objects.get()
    assert (rating.score, rating.fixed, rating.comment, rating.citizen) == (4, True, "سریع بود", citizen)
    second = client.post(url, {"score": "1", "fixed": "no"}, follow=True)
    assert "شما پیش‌تر به این پاسخ امتیاز داده‌اید." in second.content.decode()
    assert Rating.objects.get().score == 4


@pytest.mark.parametrize("score", ["0", "6", "x"])
def test_a_score_outside_one_to_five_is_refused(client, citizen, case6, officer6, respond, score):
    case = respond(case6, officer6)
    client.force_login(citizen)
    response = client.post(
        reverse("portal:my_case_rate", kwargs={"public_id": case.public_id}), {"score": score, "fixed": "yes"}
    )
    assert response.status_code == 422
    assert "امتیاز باید عددی از ۱ تا ۵ باشد." in response.content.decode()
    assert Rating.objects.count() == 0


def test_objection_inside_the_window_reopens_the_case(client, citizen, case6, officer6, respond):
    case = respond(case6, officer6)
    client.force_login(citizen)
    response = client.post(
        reverse("portal:my_case_object", kwargs={"public_id": case.public_id}), {"note": "چاله هنوز هست."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == "in_progress"
    assert CaseEvent.objects.filter(case=case, kind="objected").get().public_note == "چاله هنوز هست."


def test_objection_after_the_window_is_refused_and_the_button_is_gone(
    client, citizen, case6, officer6, respond, settings
):
    case = respond(case6, officer6)
    client.force_login(citizen)
    url = reverse("portal:my_case", kwargs={"public_id": case.public_id})
    later = timezone.now() + dt.timedelta(days=settings.PEYGIR["OBJECTION_WINDOW_DAYS"], hours=1)
    with time_machine.travel(later, tick=False):
        client.force_login(citizen)  # the session of a week ago has expired
        html = client.get(url).content.decode()
        assert reverse("portal:my_case_object", kwargs={"public_id": case.public_id}) not in html
        assert "مهلت اعتراض به این پاسخ در" in html
        response = client.post(
            reverse("portal:my_case_object", kwargs={"public_id": case.public_id}),
            {"note": "رفع نشده"},
            follow=True,
        )
    assert "مهلت اعتراض به این پاسخ گذشته است." in response.content.decode()
    case.refresh_from_db()
    assert case.phase == "responded"
    assert not CaseEvent.objects.filter(case=case, kind="objected").exists()


def test_an_empty_objection_is_refused(client, citizen, case6, officer6, respond):
    case = respond(case6, officer6)
    client.force_login(citizen)
    response = client.post(
        reverse("portal:my_case_object", kwargs={"public_id": case.public_id}), {"note": " "}
    )
    assert response.status_code == 422
    assert "این بخش را بنویسید." in response.content.decode()
    case.refresh_from_db()
    assert case.phase == "responded"


def test_citizen_replies_when_asked_for_more_information(client, citizen, case6, officer6):
    case = case_transition(case=case6, action="accept", actor=officer6)
    case = case_transition(case=case, action="request_info", actor=officer6, note="پلاک دقیق را بفرستید.")
    client.force_login(citizen)
    html = client.get(reverse("portal:my_case", kwargs={"public_id": case.public_id})).content.decode()
    assert "پلاک دقیق را بفرستید." in html
    response = client.post(
        reverse("portal:my_case_reply", kwargs={"public_id": case.public_id}), {"note": "پلاک ۱۲"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == "in_progress"


def test_citizen_closes_a_responded_case(client, citizen, case6, officer6, respond):
    case = respond(case6, officer6)
    client.force_login(citizen)
    response = client.post(reverse("portal:my_case_close", kwargs={"public_id": case.public_id}))
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).phase == "closed"


def test_closing_an_open_case_is_refused_with_a_message(client, citizen, case6):
    client.force_login(citizen)
    response = client.post(
        reverse("portal:my_case_close", kwargs={"public_id": case6.public_id}), follow=True
    )
    assert "ممکن نیست" in response.content.decode()
    assert Case.objects.get(pk=case6.pk).phase == "registered"

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from peygir.cases.models import Case
from peygir.insights.models import Prediction, PredictionFeedback
from peygir.insights.services import case_insights_run

from .conftest import POINT_6, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
ROAD = "یک چاله بزرگ وسط خیابان است و ماشین‌ها داخلش می‌افتند"
ROAD_AGAIN = "چاله بزرگ وسط خیابان ایجاد شده و ماشین‌ها آسیب می‌بینند"


@pytest.fixture
def pair(model, submit, settings):
    settings.INSIGHTS = {**settings.INSIGHTS, "AUTO_CLASSIFY_THRESHOLD": 0.999}
    first = submit(category="roads", description=ROAD, contact_name="رضا رضایی")
    second = submit(category="roads", description=ROAD_AGAIN)
    case_insights_run(case_id=second.pk)
    return first, second


def _urls(case: Case) -> dict[str, str]:
    base = f"/staff/insights/cases/{case.public_id}/"
    return {"panel": base, "accept": base + "accept/", "merge": base + "merge/", "assist": base + "assist/"}


def test_anonymous_is_sent_to_sign_in(pair):
    _, case = pair
    client = Client()
    for name, url in _urls(case).items():
        response = client.get(url) if name == "panel" else client.post(url, {"category": "roads"})
        assert response.status_code == 302, name
        assert response["Location"].startswith("/staff/login/"), name
    for url in ["/staff/insights/accuracy/", "/staff/insights/trends/"]:
        assert Client().get(url).status_code == 302


def test_a_citizen_cannot_reach_staff_endpoints_even_for_their_own_case(model, submit, citizen):
    case = submit(category="roads", description=ROAD, citizen=citizen)
    client = sign_in(Client(), citizen)
    for name, url in _urls(case).items():
        response = (
            client.get(url) if name == "panel" else client.post(url, {"category": "roads", "kind": "summary"})
        )
        assert response.status_code == 403, name
    assert client.get("/staff/insights/accuracy/").status_code == 403
    assert client.get("/staff/insights/trends/").status_code == 403
    case.refresh_from_db()
    assert case.phase == Case.Phase.REGISTERED


def test_officer7_does_not_see_district6_panel_and_changes_nothing(pair, officer7):
    first, case = pair
    client = sign_in(Client(), officer7)
    assert client.get(_urls(case)["panel"]).status_code == 404
    assert client.post(_urls(case)["accept"], {"category": "roads"}).status_code == 404
    assert client.post(_urls(case)["merge"], {"target": str(first.public_id)}).status_code == 404
    assert client.post(_urls(case)["assist"], {"kind": "summary"}).status_code == 404
    case.refresh_from_db()
    assert (case.phase, case.duplicate_of_id) == (Case.Phase.REGISTERED, None)
    assert PredictionFeedback.objects.count() == 0


def test_officer6_sees_suggestions_flags_duplicates_and_templates(pair, officer6):
    first, case = pair
    response = sign_in(Client(), officer6).get(_urls(case)["panel"])
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="insights-panel"' in html
    assert 'data-accept="roads"' in html
    assert f'data-merge="{first.tracking_code}"' in html
    assert "رضا رضایی" not in html
    assert "ترمیم آسفالت انجام شد" in html  # the roads response template ranks first
    assert "دستیار زبانی" not in html  # the LLM is off by default


def test_accept_records_feedback(pair, officer6):
    _, case = pair
    response = sign_in(Client(), officer6).post(_urls(case)["accept"], {"category": "roads"})
    assert response.status_code == 302
    feedback = PredictionFeedback.objects.get(case=case)
    assert (feedback.kind, feedback.final_code, feedback.actor) == ("accepted", "roads", officer6)


def test_accept_of_a_category_not_suggested_is_refused(pair, officer6):
    _, case = pair
    top = {item["label"] for item in Prediction.objects.get(case=case).top}
    outsider = next(code for code in ["finance", "culture", "transit"] if code not in top)
    response = sign_in(Client(), officer6).post(_urls(case)["accept"], {"category": outsider})
    assert response.status_code == 422
    assert "این دسته از پیشنهادهای دستیار نیست." in response.content.decode()
    case.refresh_from_db()
    assert case.category.code == "roads"
    assert PredictionFeedback.objects.count() == 0


def test_merge_in_one_step(pair, officer6):
    first, case = pair
    response = sign_in(Client(), officer6).post(_urls(case)["merge"], {"target": str(first.public_id)})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.phase, case.resolution, case.duplicate_of_id) == (Case.Phase.CLOSED, "duplicate", first.pk)


def test_merge_into_an_unknown_case_changes_nothing(pair, officer6):
    _, case = pair
    response = sign_in(Client(), officer6).post(_urls(case)["merge"], {"target": "not-a-uuid"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert (case.phase, case.duplicate_of_id) == (Case.Phase.REGISTERED, None)


def test_assist_is_not_found_while_the_llm_is_off(pair, officer6):
    _, case = pair
    assert sign_in(Client(), officer6).post(_urls(case)["assist"], {"kind": "summary"}).status_code == 404


def test_get_is_refused_on_post_endpoints(pair, officer6):
    _, case = pair
    client = sign_in(Client(), officer6)
    assert client.get(_urls(case)["accept"]).status_code == 405
    assert client.get(_urls(case)["merge"]).status_code == 405


def test_accuracy_page_is_for_supervisors_only(model, officer6, manager6, supervisor):
    assert sign_in(Client(), officer6).get("/staff/insights/accuracy/").status_code == 404
    assert sign_in(Client(), manager6).get("/staff/insights/accuracy/").status_code == 404
    response = sign_in(Client(), supervisor).get("/staff/insights/accuracy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="accuracy-weeks"' in html
    assert model.version in html


def test_trends_page_for_managers_and_supervisors(model, officer6, manager6, supervisor):
    assert sign_in(Client(), officer6).get("/staff/insights/trends/").status_code == 404
    assert sign_in(Client(), manager6).get("/staff/insights/trends/").status_code == 200
    assert sign_in(Client(), supervisor).get("/staff/insights/trends/").status_code == 200
    bad = sign_in(Client(), supervisor).get("/staff/insights/trends/?week=xyz")
    assert bad.status_code == 422
    assert "تاریخ را به شکل" in bad.content.decode()


def test_check_offers_nearby_duplicates_without_personal_data(pair):
    first, _second = pair
    response = Client().get(
        "/insights/check/",
        {"description": ROAD_AGAIN, "lat": POINT_6[0], "lon": POINT_6[1], "category": "roads"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("portal:track_case", args=[first.tracking_code]) in html
    assert "رضا رضایی" not in html
    assert "09121112233" not in html
    assert "integrity" not in html


def test_check_offers_the_integrity_channel_for_a_corruption_report(model):
    response = Client().get("/insights/check/", {"description": "کارمند ناحیه برای امضای پرونده رشوه خواست"})
    assert response.status_code == 200
    assert 'href="/integrity/"' in response.content.decode()


def test_check_refuses_bad_input(model):
    response = Client().get("/insights/check/", {"description": "چاله بزرگ", "lat": "abc", "lon": "51.4"})
    assert response.status_code == 422
    assert "مختصات نامعتبر است." in response.content.decode()
    assert Client().get("/insights/check/", {"description": "چاله", "lat": "35.7"}).status_code == 422


def test_check_is_rate_limited(model, settings):
    from peygir.insights import views

    client = Client()
    for _ in range(views.CHECKS_ALLOWED):
        assert client.get("/insights/check/", {"description": "سلام"}).status_code == 200
    assert client.get("/insights/check/", {"description": "سلام"}).status_code == 429


def test_suggested_templates_are_filled_in_for_the_case(pair, officer6):
    from peygir.catalog.models import Category, ResponseTemplate
    from peygir.core.text import to_persian_digits

    _, case = pair
    ResponseTemplate.objects.create(
        code="pothole-filled",
        title="چاله پر شد",
        body="چاله گزارش‌شده با کد {tracking_code} پر شد.",
        category=Category.objects.get(code="roads"),
    )
    html = sign_in(Client(), officer6).get(_urls(case)["panel"]).content.decode()
    assert f"چاله گزارش‌شده با کد {to_persian_digits(case.tracking_code)} پر شد." in html
    assert "{tracking_code}" not in html


SUGGEST = "/staff/insights/suggest/"


def test_the_agent_console_gets_category_suggestions_for_what_the_caller_said(model, agent):
    response = sign_in(Client(), agent).get(SUGGEST, {"text": ROAD})

    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert 1 <= len(suggestions) <= 3
    assert suggestions[0]["code"] == "roads"
    assert suggestions[0]["name"] == "آسفالت، معابر و پیاده‌رو"
    assert all(0 <= item["probability"] <= 1 for item in suggestions)


def test_suggestions_are_empty_without_a_trained_model(officer6):
    response = sign_in(Client(), officer6).get(SUGGEST, {"text": ROAD})

    assert (response.status_code, response.json()) == (200, {"suggestions": []})


@pytest.mark.parametrize("text", ["", "کوتاه", "ا" * 5001], ids=["empty", "short", "too-long"])
def test_suggestions_refuse_a_text_too_short_or_too_long_in_persian(model, officer6, text):
    response = sign_in(Client(), officer6).get(SUGGEST, {"text": text})

    assert response.status_code == 422
    assert response.json()["suggestions"] == []
    assert "نویسه" in response.json()["error"]


def test_suggestions_are_for_staff_only(model, citizen):
    assert Client().get(SUGGEST, {"text": ROAD}).status_code == 302
    assert sign_in(Client(), citizen).get(SUGGEST, {"text": ROAD}).status_code == 403

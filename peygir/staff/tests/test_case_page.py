from __future__ import annotations

import re

import pytest
from django.test import Client

from peygir.cases.models import Case, CaseEvent
from peygir.cases.services import case_add_note, case_transition
from peygir.core.text import to_persian_digits

from .conftest import sign_in


def _actions(response) -> list[str]:
    return re.findall(r'data-action="([a-z_]+)"', response.content.decode())


def _url(case: Case, action: str = "") -> str:
    return f"/staff/cases/{case.public_id}/actions/{action}/" if action else f"/staff/cases/{case.public_id}/"


def _state(case: Case) -> tuple:
    case.refresh_from_db()
    return (case.phase, case.version, case.unit_id, case.assignee_id, case.resolution, case.events.count())


@pytest.mark.django_db
def test_officer6_sees_exactly_the_actions_for_a_new_case(as_officer6, case6):
    response = as_officer6.get(_url(case6))
    assert response.status_code == 200
    assert _actions(response) == [
        "assign",
        "accept",
        "refer",
        "return_to_center",
        "reject",
        "merge",
        "classify",
        "note",
    ]


@pytest.mark.django_db
def test_supervisor_sees_exactly_the_actions_for_a_new_case(as_supervisor, case6):
    # The center does not return cases to itself.
    assert _actions(as_supervisor.get(_url(case6))) == [
        "assign",
        "accept",
        "refer",
        "reject",
        "merge",
        "classify",
        "note",
    ]


@pytest.mark.django_db
def test_actions_follow_the_phase(as_officer6, as_manager6, as_supervisor, case6, officer6):
    case_transition(case=case6, action="accept", actor=officer6)
    assert _actions(as_officer6.get(_url(case6))) == [
        "refer",
        "return_to_center",
        "request_info",
        "respond",
        "reject",
        "merge",
        "classify",
        "note",
    ]
    case6.refresh_from_db()
    case_transition(case=case6, action="respond", actor=officer6, resolution="fixed", note="رفع شد.")
    assert _actions(as_officer6.get(_url(case6))) == ["note"]
    assert _actions(as_manager6.get(_url(case6))) == ["close", "note"]
    assert _actions(as_supervisor.get(_url(case6))) == ["close", "note"]


@pytest.mark.django_db
def test_case_page_shows_the_facts_map_and_forms_with_csrf(as_officer6, submit):
    case = submit(contact_name="رضا محمدی", address="خیابان فاطمی، کوچه ۳")
    body = as_officer6.get(_url(case)).content.decode()
    for text in ("رضا محمدی", "۰۹۱۲۱۱۱۲۲۳۳", "خیابان فاطمی، کوچه ۳", "وب", "پسماند", "هنوز سپرده نشده"):
        assert text in body, text
    assert 'id="case-map"' in body
    assert 'data-lat="35.726170"' in body
    assert (
        body.count('name="csrfmiddlewaretoken"') == len(_actions(as_officer6.get(_url(case)))) + 2
    )  # + sign-out, language
    assert f'name="version" value="{case.version}"' in body


@pytest.mark.django_db
def test_anonymous_contact_is_not_shown(as_officer6, submit):
    case = submit(anonymous=True, contact_phone="", contact_name="")
    body = as_officer6.get(_url(case)).content.decode()
    assert "بی‌نام" in body
    assert "tel:" not in body


@pytest.mark.django_db
def test_timeline_tells_internal_entries_apart(as_officer6, case6, officer6):
    case_add_note(case=case6, actor=officer6, internal_note="با پیمانکار هماهنگ شد")
    body = as_officer6.get(_url(case6)).content.decode()
    items = re.findall(r'<li class="(internal)?">(.*?)</li>', body, re.S)
    assert [bool(internal) for internal, _text in items] == [False, True]
    assert "داخلی" in items[1][1]
    assert "با پیمانکار هماهنگ شد" in items[1][1]


@pytest.mark.django_db
def test_accept_works_end_to_end(as_officer6, case6, officer6):
    response = as_officer6.post(_url(case6, "accept"), {"version": case6.version})
    assert response.status_code == 302
    assert response["Location"] == _url(case6)
    case6.refresh_from_db()
    assert (case6.phase, case6.assignee_id, case6.version) == (Case.Phase.IN_PROGRESS, officer6.pk, 2)
    page = as_officer6.get(response["Location"]).content.decode()
    assert f"پرونده را پذیرفتید. ({to_persian_digits(case6.tracking_code)})" in page


@pytest.mark.django_db
def test_assign_works_end_to_end(as_officer6, case6, manager6):
    response = as_officer6.post(_url(case6, "assign"), {"version": case6.version, "assignee": manager6.pk})
    assert response.status_code == 302
    case6.refresh_from_db()
    assert (case6.phase, case6.assignee_id) == (Case.Phase.ASSIGNED, manager6.pk)


@pytest.mark.django_db
def test_respond_with_a_resolution_works_end_to_end(as_officer6, case6, officer6):
    case6 = case_transition(case=case6, action="accept", actor=officer6)
    response = as_officer6.post(
        _url(case6, "respond"), {"version": case6.version, "resolution": "fixed", "note": "زباله‌ها جمع شد."}
    )
    assert response.status_code == 302
    case6.refresh_from_db()
    assert (case6.phase, case6.resolution, case6.response_text) == (
        Case.Phase.RESPONDED,
        "fixed",
        "زباله‌ها جمع شد.",
    )
    event = case6.events.get(kind=CaseEvent.Kind.RESPONDED)
    assert (event.is_public, event.public_note, event.actor_id) == (True, "زباله‌ها جمع شد.", officer6.pk)


@pytest.mark.django_db
def test_respond_without_text_shows_a_persian_error_and_changes_nothing(as_officer6, case6, officer6):
    case6 = case_transition(case=case6, action="accept", actor=officer6)
    before = _state(case6)
    response = as_officer6.post(
        _url(case6, "respond"), {"version": case6.version, "resolution": "fixed", "note": ""}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "«متن پاسخ» را بنویسید." in body
    # The failed form is open again with what was chosen.
    assert re.search(r'<details class="action" open>\s*<summary[^>]*data-action="respond"', body)
    assert '<option value="fixed" selected>' in body
    assert _state(case6) == before


@pytest.mark.django_db
def test_response_templates_are_filled_in_for_the_case(as_officer6, case6, officer6):
    case6 = case_transition(case=case6, action="accept", actor=officer6)
    body = as_officer6.get(_url(case6)).content.decode()
    assert 'data-template-for="respond-note"' in body
    fixed = re.search(r'<option value="fixed" data-body="([^"]+)" data-resolution="fixed">', body)
    assert fixed is not None
    assert to_persian_digits(case6.tracking_code) in fixed.group(1)
    assert "{tracking_code}" not in fixed.group(1)
    assert case6.unit.name in fixed.group(1)


@pytest.mark.django_db
def test_refer_with_a_reason_works_end_to_end_and_leaves_the_officers_scope(as_officer6, case6, district7):
    response = as_officer6.post(
        _url(case6, "refer"), {"version": case6.version, "unit": district7.code, "note": "در محدوده منطقه ۷"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    case6.refresh_from_db()
    assert (case6.phase, case6.unit_id) == (Case.Phase.REGISTERED, district7.pk)
    event = case6.events.get(kind=CaseEvent.Kind.REFERRED)
    assert (event.internal_note, event.public_note) == ("در محدوده منطقه ۷", "")
    assert as_officer6.get(_url(case6)).status_code == 404


@pytest.mark.django_db
def test_refer_offers_a_searchable_unit_picker(as_officer6, case6, district7):
    body = as_officer6.get(_url(case6)).content.decode()
    assert 'data-filter="#refer-unit"' in body
    assert f'<option value="{district7.code}" data-search="{district7.name}"' in body


@pytest.mark.django_db
def test_refer_without_a_reason_changes_nothing(as_officer6, case6, district7):
    before = _state(case6)
    response = as_officer6.post(
        _url(case6, "refer"), {"version": case6.version, "unit": district7.code, "note": ""}
    )
    assert response.status_code == 422
    assert "«دلیل ارجاع» را بنویسید." in response.content.decode()
    assert _state(case6) == before


@pytest.mark.django_db
def test_request_info_works_end_to_end(as_officer6, case6, officer6):
    case6 = case_transition(case=case6, action="accept", actor=officer6)
    response = as_officer6.post(_url(case6, "request_info"), {"version": case6.version, "note": "پلاک دقیق؟"})
    assert response.status_code == 302
    case6.refresh_from_db()
    assert case6.phase == Case.Phase.AWAITING_CITIZEN
    assert case6.sla_paused_at is not None
    assert case6.events.get(kind=CaseEvent.Kind.INFO_REQUESTED).public_note == "پلاک دقیق؟"


@pytest.mark.django_db
def test_return_to_center_works_end_to_end(as_officer6, case6, center):
    response = as_officer6.post(
        _url(case6, "return_to_center"), {"version": case6.version, "note": "مربوط به شرکت گاز"}
    )
    assert response["Location"] == "/staff/"
    case6.refresh_from_db()
    assert (case6.phase, case6.unit_id) == (Case.Phase.RETURNED, center.pk)


@pytest.mark.django_db
def test_reject_and_merge_work_end_to_end(as_officer6, submit):
    first, second, third = submit(), submit(), submit()
    as_officer6.post(_url(first, "reject"), {"version": 1, "resolution": "invalid", "note": "نامفهوم"})
    first.refresh_from_db()
    assert (first.phase, first.resolution) == (Case.Phase.CLOSED, "invalid")
    response = as_officer6.post(_url(second, "merge"), {"version": 1, "target": third.tracking_code})
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.phase, second.duplicate_of_id) == (Case.Phase.CLOSED, third.pk)


@pytest.mark.django_db
def test_merge_with_an_unknown_code_is_a_persian_error(as_officer6, case6):
    before = _state(case6)
    from peygir.cases.tracking import generate_tracking_code

    response = as_officer6.post(_url(case6, "merge"), {"version": 1, "target": generate_tracking_code()})
    assert response.status_code == 422
    assert "پرونده اصلی با این کد رهگیری پیدا نشد." in response.content.decode()
    mistyped = as_officer6.post(_url(case6, "merge"), {"version": 1, "target": "12"})
    assert mistyped.status_code == 422
    assert "کد رهگیری نادرست است" in mistyped.content.decode()
    assert _state(case6) == before


@pytest.mark.django_db
def test_close_by_the_manager(as_manager6, case6, officer6):
    case6 = case_transition(case=case6, action="accept", actor=officer6)
    case6 = case_transition(case=case6, action="respond", actor=officer6, resolution="answered", note="پاسخ")
    response = as_manager6.post(_url(case6, "close"), {"version": case6.version, "note": ""})
    assert response.status_code == 302
    case6.refresh_from_db()
    assert case6.phase == Case.Phase.CLOSED


@pytest.mark.django_db
def test_internal_note_works_end_to_end(as_officer6, case6, officer6):
    response = as_officer6.post(_url(case6, "note"), {"internal_note": "تماس گرفته شد"})
    assert response.status_code == 302
    note = case6.events.get(kind=CaseEvent.Kind.NOTE)
    assert (note.internal_note, note.is_public, note.actor_id) == ("تماس گرفته شد", False, officer6.pk)


@pytest.mark.django_db
def test_empty_internal_note_is_refused(as_officer6, case6):
    response = as_officer6.post(_url(case6, "note"), {"internal_note": "  "})
    assert response.status_code == 422
    assert "«یادداشت» را بنویسید." in response.content.decode()
    assert case6.events.filter(kind=CaseEvent.Kind.NOTE).count() == 0


@pytest.mark.django_db
def test_stale_version_is_a_conflict_and_changes_nothing(as_officer6, case6, officer6):
    seen = case6.version
    case_add_note(case=case6, actor=officer6, internal_note="x")
    Case.objects.filter(pk=case6.pk).update(version=seen + 1)  # someone else changed it meanwhile
    before = _state(case6)
    response = as_officer6.post(_url(case6, "accept"), {"version": seen})
    assert response.status_code == 409
    assert "پرونده پس از آخرین بار که آن را دیدید تغییر کرده است" in response.content.decode()
    assert _state(case6) == before


@pytest.mark.django_db
def test_action_not_allowed_now_is_a_conflict(as_officer6, case6):
    before = _state(case6)
    response = as_officer6.post(
        _url(case6, "respond"), {"version": case6.version, "resolution": "fixed", "note": "x"}
    )
    assert response.status_code == 409
    assert "ممکن نیست" in response.content.decode()
    assert _state(case6) == before


@pytest.mark.django_db
def test_officer_may_not_close_a_responded_case(as_officer6, case6, officer6):
    case6 = case_transition(case=case6, action="accept", actor=officer6)
    case6 = case_transition(case=case6, action="respond", actor=officer6, resolution="fixed", note="رفع شد")
    before = _state(case6)
    response = as_officer6.post(_url(case6, "close"), {"version": case6.version})
    assert response.status_code == 403
    assert "شما اجازه این اقدام را روی این پرونده ندارید." in response.content.decode()
    assert _state(case6) == before


@pytest.mark.django_db
def test_actions_are_posts_only(as_officer6, case6):
    assert as_officer6.get(_url(case6, "accept")).status_code == 405


@pytest.mark.django_db
def test_manager_needs_the_second_factor_for_the_case_page(manager6, case6):
    client = sign_in(Client(), manager6, verified=False)
    assert client.get(_url(case6))["Location"].startswith("/staff/2fa/setup/")
    assert client.post(_url(case6, "accept"), {"version": 1})["Location"].startswith("/staff/2fa/setup/")
    case6.refresh_from_db()
    assert case6.phase == Case.Phase.REGISTERED


@pytest.mark.django_db
def test_officer_corrects_the_category_from_the_case_page(as_officer6, as_officer7, case6):
    page = as_officer6.get(_url(case6)).content.decode()
    assert 'name="category"' in page
    before = _state(case6)
    assert (
        as_officer7.post(_url(case6, "classify"), {"version": 1, "category": "lighting"}).status_code == 404
    )
    bad = as_officer6.post(_url(case6, "classify"), {"version": 1, "category": "nope"})
    assert bad.status_code == 422
    assert "دسته را از فهرست انتخاب کنید." in bad.content.decode()
    assert _state(case6) == before
    response = as_officer6.post(_url(case6, "classify"), {"version": 1, "category": "lighting"})
    assert response.status_code == 302
    case6.refresh_from_db()
    assert case6.category.code == "lighting"


@pytest.mark.django_db
def test_withdrawal_is_not_a_button_on_the_case_page(as_supervisor, case6):
    page = as_supervisor.get(_url(case6)).content.decode()
    assert 'data-action="withdraw"' not in page
    before = _state(case6)
    assert as_supervisor.post(_url(case6, "withdraw"), {"version": 1}).status_code == 404
    assert _state(case6) == before


@pytest.mark.django_db
def test_the_case_page_names_units_and_categories_in_english_in_english(as_officer6, case6):
    as_officer6.cookies["django_language"] = "en"
    body = as_officer6.get(_url(case6)).content.decode()
    assert case6.category.name_en in body
    assert case6.unit.name_en in body
    assert case6.category.name not in body

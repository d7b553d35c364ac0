"""Who may open which staff page: anonymous, a citizen, officers of two districts, a supervisor."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from peygir.cases.attachments import attachment_add
from peygir.cases.models import Case, CaseEvent

from .conftest import sign_in

PAGES = [
    "/staff/",
    "/staff/notifications/",
    "/staff/overdue/",
    "/staff/returned/",
    "/staff/special/",
    "/staff/map/",
    "/staff/map/hotspots.json",
    "/staff/map/cases.json",
]
BOARDS = PAGES[2:]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def photo6(case6):
    return attachment_add(case=case6, data=_png())


def _case_urls(case: Case, photo) -> list[str]:
    return [
        f"/staff/cases/{case.public_id}/",
        f"/staff/cases/{case.public_id}/photos/{photo.public_id}/",
    ]


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_from_every_staff_page(case6, photo6):
    client = Client()
    for url in [*PAGES, *_case_urls(case6, photo6)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/staff/login/?next="), url
    response = client.post(f"/staff/cases/{case6.public_id}/actions/accept/", {"version": case6.version})
    assert response["Location"].startswith("/staff/login/")
    case6.refresh_from_db()
    assert case6.phase == Case.Phase.REGISTERED


@pytest.mark.django_db
def test_citizen_without_membership_is_refused_everywhere(citizen, case6, photo6):
    case6.citizen = citizen
    case6.save(update_fields=["citizen"])
    client = sign_in(Client(), citizen)
    for url in [*PAGES, *_case_urls(case6, photo6)]:
        assert client.get(url).status_code == 403, url
    response = client.post(f"/staff/cases/{case6.public_id}/actions/note/", {"internal_note": "سلام"})
    assert response.status_code == 403
    assert (
        client.post("/staff/assign/", {"cases": [str(case6.public_id)], "assignee": "1"}).status_code == 403
    )
    assert CaseEvent.objects.filter(case=case6, kind=CaseEvent.Kind.NOTE).count() == 0


@pytest.mark.django_db
def test_integrity_handler_without_membership_is_refused(integrity_handler):
    assert sign_in(Client(), integrity_handler).get("/staff/").status_code == 403


@pytest.mark.django_db
def test_officer7_gets_404_for_a_district6_case_its_photo_and_its_actions(as_officer7, case6, photo6):
    for url in _case_urls(case6, photo6):
        assert as_officer7.get(url).status_code == 404, url
    for action, data in [
        ("accept", {"version": case6.version}),
        ("return_to_center", {"version": case6.version, "note": "مال ما نیست"}),
        ("note", {"internal_note": "یادداشت"}),
        ("nonsense", {}),
    ]:
        response = as_officer7.post(f"/staff/cases/{case6.public_id}/actions/{action}/", data)
        assert response.status_code == 404, action
    case6.refresh_from_db()
    assert (case6.phase, case6.version, case6.unit.code) == (Case.Phase.REGISTERED, 1, "district-6")
    assert list(case6.events.values_list("kind", flat=True)) == [CaseEvent.Kind.REGISTERED]


@pytest.mark.django_db
def test_officer6_sees_the_district6_case_and_its_photo(as_officer6, case6, photo6):
    assert as_officer6.get(f"/staff/cases/{case6.public_id}/").status_code == 200
    response = as_officer6.get(f"/staff/cases/{case6.public_id}/photos/{photo6.public_id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == photo6.file.open("rb").read()


@pytest.mark.django_db
def test_a_photo_of_another_case_is_not_served_through_this_case(as_officer6, case6, submit, photo6):
    other = submit()
    assert as_officer6.get(f"/staff/cases/{other.public_id}/photos/{photo6.public_id}/").status_code == 404


@pytest.mark.django_db
def test_officer_and_manager_cannot_open_supervisor_boards(as_officer6, as_manager6, as_supervisor):
    for url in BOARDS:
        assert as_officer6.get(url).status_code == 404, url
        assert as_manager6.get(url).status_code == 404, url
        assert as_supervisor.get(url).status_code == 200, url


@pytest.mark.django_db
def test_supervisor_nav_shows_the_boards_and_officer_nav_does_not(as_officer6, as_supervisor):
    officer_page = as_officer6.get("/staff/").content.decode()
    supervisor_page = as_supervisor.get("/staff/").content.decode()
    for url in ("/staff/overdue/", "/staff/returned/", "/staff/special/", "/staff/map/"):
        assert f'href="{url}"' not in officer_page
        assert f'href="{url}"' in supervisor_page
    assert "کارشناس منطقه ۶" in officer_page
    assert 'action="/staff/logout/"' in officer_page


@pytest.mark.django_db
def test_managers_find_their_scorecard_and_officers_do_not(as_manager6, as_officer6):
    page = as_manager6.get("/staff/").content.decode()
    assert 'href="/staff/performance/mine/"' in page
    assert 'href="/staff/performance/mine/"' not in as_officer6.get("/staff/").content.decode()

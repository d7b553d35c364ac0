from __future__ import annotations

import datetime as dt
import re

import h3
import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from peygir.cases.models import Case, CaseEvent
from peygir.cases.services import case_transition
from peygir.core.text import to_latin_digits

from .conftest import POINT_7


def _overdue(case: Case, hours: int) -> Case:
    Case.objects.filter(pk=case.pk).update(
        overdue_at=timezone.now(), respond_by=timezone.now() - dt.timedelta(hours=hours)
    )
    case.refresh_from_db()
    return case


def _codes(html: str) -> list[str]:
    return [
        to_latin_digits(code)
        for code in re.findall(r'class="code-link" href="/staff/cases/[^/]+/">([^<]+)</a>', html)
    ]


@pytest.mark.django_db
def test_overdue_board_groups_by_unit_with_exact_counts(as_supervisor, submit, officer6):
    a = _overdue(submit(), 5)
    b = _overdue(submit(), 30)
    c = _overdue(submit(point=POINT_7), 2)
    closed = case_transition(case=submit(), action="reject", actor=officer6, resolution="invalid", note="x")
    _overdue(closed, 50)
    submit()  # on time
    response = as_supervisor.get("/staff/overdue/")
    assert response.status_code == 200
    body = response.content.decode()
    summary = re.findall(
        r'<tr data-unit="([^"]+)"><td><a [^>]+>[^<]+</a></td><td class="count-cell">([^<]+)</td>', body
    )
    assert a.unit_id == b.unit_id != c.unit_id
    assert summary == [(a.unit.code, "۲"), (c.unit.code, "۱")]
    listed = _codes(body)
    assert sorted(listed) == sorted([a.tracking_code, b.tracking_code, c.tracking_code])
    assert "۱ روز و ۶ ساعت تأخیر" in body
    # Longest overdue first when asked.
    late_first = _codes(as_supervisor.get("/staff/overdue/?sort=late").content.decode())
    assert late_first == [b.tracking_code, a.tracking_code, c.tracking_code]


@pytest.mark.django_db
def test_returned_queue_reroutes_in_one_step(as_supervisor, case6, officer6, district7):
    case6 = case_transition(case=case6, action="return_to_center", actor=officer6, note="مال ما نیست")
    page = as_supervisor.get("/staff/returned/").content.decode()
    assert _codes(page) == [case6.tracking_code]
    assert f'action="/staff/cases/{case6.public_id}/actions/refer/"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    response = as_supervisor.post(
        f"/staff/cases/{case6.public_id}/actions/refer/",
        {
            "version": case6.version,
            "unit": district7.code,
            "note": "منطقه ۷ مسئول است",
            "next": "/staff/returned/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/returned/"
    case6.refresh_from_db()
    assert (case6.phase, case6.unit_id) == (Case.Phase.REGISTERED, district7.pk)
    assert case6.events.filter(kind=CaseEvent.Kind.REFERRED).count() == 1
    assert _codes(as_supervisor.get("/staff/returned/").content.decode()) == []


@pytest.mark.django_db
def test_returned_queue_reroute_without_reason_reports_and_changes_nothing(
    as_supervisor, case6, officer6, district7
):
    case6 = case_transition(case=case6, action="return_to_center", actor=officer6, note="مال ما نیست")
    response = as_supervisor.post(
        f"/staff/cases/{case6.public_id}/actions/refer/",
        {"version": case6.version, "unit": district7.code, "note": "", "next": "/staff/returned/"},
    )
    assert response["Location"] == "/staff/returned/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["«دلیل ارجاع» را بنویسید."]
    case6.refresh_from_db()
    assert case6.phase == Case.Phase.RETURNED


@pytest.mark.django_db
def test_special_board_lists_only_special_cases(as_supervisor, submit):
    special = submit()
    Case.objects.filter(pk=special.pk).update(is_special=True, financial_stakes=12_500_000_000)
    submit()
    body = as_supervisor.get("/staff/special/").content.decode()
    assert _codes(body) == [special.tracking_code]
    assert "۱۲٬۵۰۰٬۰۰۰٬۰۰۰" in body


@pytest.mark.django_db
def test_hotspots_count_open_cases_by_h3_cell_at_resolution_7(as_supervisor, submit, officer6):
    six = [submit(), submit(), submit()]
    seven = submit(point=POINT_7)
    case_transition(case=submit(), action="reject", actor=officer6, resolution="invalid", note="x")
    submit(point=(None, None))  # no location: no cell
    data = as_supervisor.get("/staff/map/hotspots.json").json()
    cell6 = h3.cell_to_parent(six[0].h3_cell, 7)
    cell7 = h3.cell_to_parent(seven.h3_cell, 7)
    assert cell6 != cell7
    assert [(f["properties"]["cell"], f["properties"]["count"]) for f in data["features"]] == [
        (cell6, 3),
        (cell7, 1),
    ]
    assert data["max_count"] == 3
    ring = data["features"][0]["geometry"]["coordinates"][0]
    assert len(ring) == 7 and ring[0] == ring[-1]
    lng, lat = ring[0]
    assert 51.3 < lng < 51.5 and 35.6 < lat < 35.8


@pytest.mark.django_db
def test_pins_are_the_open_located_cases(as_supervisor, submit, officer6):
    first = submit()
    case_transition(case=submit(), action="reject", actor=officer6, resolution="invalid", note="x")
    pins = as_supervisor.get("/staff/map/cases.json").json()["pins"]
    assert [(pin["code"], pin["url"]) for pin in pins] == [
        (first.tracking_code, f"/staff/cases/{first.public_id}/")
    ]


@pytest.mark.django_db
def test_map_page_points_at_its_data(as_supervisor):
    body = as_supervisor.get("/staff/map/").content.decode()
    assert 'data-hotspots="/staff/map/hotspots.json"' in body
    assert 'data-pins="/staff/map/cases.json"' in body
    assert "leaflet/leaflet.js" in body

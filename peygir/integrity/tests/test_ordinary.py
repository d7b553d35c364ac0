"""Phone intake by an agent and cases moved by a supervisor."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from peygir.cases.attachments import attachment_add
from peygir.cases.models import Attachment, Case, CaseEvent
from peygir.cases.services import case_submit
from peygir.core.testing.auth import sign_in
from peygir.insights.models import Prediction
from peygir.intake.models import InboundMessage
from peygir.integrity.models import EvidenceFile, Report
from peygir.notifications.models import Notification

from .conftest import unlocked

PHONE_FIELDS = {"what": "درخواست پول برای صدور مجوز", "name": "تماس‌گیرنده محترم", "contact": "09127654321"}


def _staff(user):
    from peygir.staff.tests.conftest import sign_in

    return sign_in(Client(), user)


@pytest.mark.django_db
def test_only_agents_file_phone_reports(handler_a, officer6, supervisor, citizen):
    for user in (officer6, supervisor):
        assert _staff(user).post("/staff/integrity/phone/", PHONE_FIELDS).status_code == 404
    client = Client()
    sign_in(client, citizen)
    assert client.post("/staff/integrity/phone/", PHONE_FIELDS).status_code == 403
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_phone_report_forces_the_caller_to_change_the_receipt(handler_a, agent):
    as_agent = _staff(agent)
    assert as_agent.post("/staff/integrity/phone/", {"what": "x"}).status_code == 422  # a name is required
    response = as_agent.post("/staff/integrity/phone/", PHONE_FIELDS)
    assert response.status_code == 201
    old = "".join(response.context["receipt_groups"])
    report = Report.objects.get()
    assert (report.channel, report.receipt_change_required, report.has_identity) == ("phone", True, True)

    caller = Client()
    page = caller.post("/integrity/return/", {"receipt": old})
    assert page.status_code == 200 and "integrity_reporter" not in page.cookies
    new = "".join(page.context["receipt_groups"])
    assert new != old
    # The report page stays closed until the change is confirmed.
    assert caller.get("/integrity/report/").status_code == 302
    wrong = caller.post("/integrity/return/change/", {"receipt": old, "new_receipt": new, "confirm": "00000"})
    assert wrong.status_code == 422
    done = caller.post("/integrity/return/change/", {"receipt": old, "new_receipt": new, "confirm": new[-5:]})
    assert done.status_code == 302
    assert caller.get("/integrity/report/").status_code == 200
    # The agent's receipt no longer opens anything.
    assert Client().post("/integrity/return/", {"receipt": old}).status_code == 422
    assert Client().post("/integrity/return/", {"receipt": new}).status_code == 302


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 200, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def corrupt_case(org_tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = case_submit(
        channel=Case.Channel.WEB,
        message_type="request",
        category="waste",
        description="مأمور شهرداری برای جمع‌آوری زباله پول خواست",
        lat=35.72617,
        lon=51.40322,
        address="خیابان نمونه پلاک ۱۲",
        contact_phone="09121112233",
        contact_name="شهروند نگران",
    ).case
    attachment_add(case=case, data=_png())
    Prediction.objects.create(
        case=case,
        model_name="tfidf",
        model_version="t",
        input_hash="x" * 64,
        category_code="staff",
        confidence=0.4,
        corruption=True,
        corruption_reasons=["پول خواست"],
    )
    InboundMessage.objects.create(
        channel="sms", external_id="m-1", sender="09121112233", text="پیامک درباره رشوه", case=case
    )
    return case


@pytest.mark.django_db
def test_a_supervisor_moves_a_case_and_no_content_stays_behind(
    corrupt_case, handler_a, supervisor, officer6, django_capture_on_commit_callbacks
):
    url = f"/staff/integrity/move/{corrupt_case.public_id}/"
    assert _staff(officer6).post(url, {"confirm": "yes"}).status_code == 404
    as_supervisor = _staff(supervisor)
    assert as_supervisor.post(url, {}).status_code == 422
    photo = Path(Attachment.objects.get(case=corrupt_case).file.path)
    assert photo.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_supervisor.post(url, {"confirm": "yes"})
    assert response.status_code == 201
    assert len("".join(response.context["receipt_groups"])) == 25

    case = Case.objects.get(pk=corrupt_case.pk)
    assert case.phase == Case.Phase.CLOSED
    assert (case.description, case.search_text, case.address, case.attributes) == ("", "", "", {})
    assert (case.lat, case.lon, case.h3_cell, case.contact_phone, case.contact_name, case.citizen_id) == (
        None,
        None,
        "",
        "",
        "",
        None,
    )
    assert Attachment.objects.filter(case=case).count() == 0 and not photo.exists()
    assert InboundMessage.objects.get(external_id="m-1").text == ""
    assert not Prediction.objects.filter(case=case).exists()
    events = CaseEvent.objects.filter(case=case)
    assert [e.public_note for e in events if e.kind != CaseEvent.Kind.WITHDRAWN] == [""] * (
        events.count() - 1
    )
    assert all(not e.internal_note for e in events)
    for notice in Notification.objects.filter(dedupe_key__contains=str(case.public_id)):
        assert (notice.body, notice.subject, notice.payload) == ("", "", {})

    report = Report.objects.get()
    assert (report.channel, report.receipt_change_required, report.has_identity) == ("case", True, True)
    assert EvidenceFile.objects.filter(report=report).count() == 1
    page = unlocked(handler_a).get(f"/staff/integrity/r/{report.public_id}/").content.decode()
    assert "مأمور شهرداری برای جمع‌آوری زباله پول خواست" in page and "پیامک درباره رشوه" in page


@pytest.mark.django_db
def test_a_closed_case_cannot_be_moved_and_nothing_changes(corrupt_case, handler_a, supervisor):
    Case.objects.filter(pk=corrupt_case.pk).update(phase=Case.Phase.CLOSED)
    response = _staff(supervisor).post(f"/staff/integrity/move/{corrupt_case.public_id}/", {"confirm": "yes"})
    assert response.status_code == 409
    assert Report.objects.count() == 0
    assert Case.objects.get(pk=corrupt_case.pk).description == "مأمور شهرداری برای جمع‌آوری زباله پول خواست"


@pytest.mark.django_db
def test_moving_fails_whole_when_no_handler_has_keys(corrupt_case, supervisor, settings):
    response = _staff(supervisor).post(f"/staff/integrity/move/{corrupt_case.public_id}/", {"confirm": "yes"})
    assert response.status_code == 409
    case = Case.objects.get(pk=corrupt_case.pk)
    assert case.phase != Case.Phase.CLOSED and case.description
    assert list((Path(settings.MEDIA_ROOT) / "integrity").glob("*")) == []

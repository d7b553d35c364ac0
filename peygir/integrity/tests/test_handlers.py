from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from peygir.core.errors import ValidationError
from peygir.core.testing.auth import sign_in
from peygir.integrity.keys import keypair_recover
from peygir.integrity.models import IntegrityAuditEntry, Report, ReportAccess
from peygir.integrity.services import report_submit
from peygir.notifications.models import Notification

from .conftest import PASSWORD, make_user, unlocked


@pytest.fixture
def report(handler_a):
    report, _receipt = report_submit(
        answers={"what": "قرارداد صوری با پیمانکار"}, identity={"name": "ناشناس"}
    )
    return report


def _urls(report):
    base = f"/staff/integrity/r/{report.public_id}/"
    return base, [base, f"{base}files/{report.public_id}/"]


@pytest.mark.django_db
def test_only_assigned_handlers_list_and_open_a_report(
    report, handler_a, handler_b, supervisor, officer6, citizen
):
    base, gets = _urls(report)
    assert report.reference in unlocked(handler_a).get("/staff/integrity/").content.decode()
    as_b = unlocked(handler_b)
    assert report.reference not in as_b.get("/staff/integrity/").content.decode()
    for user in (handler_b, supervisor, officer6, citizen):
        client = unlocked(user) if user is handler_b else Client()
        if user is not handler_b:
            sign_in(client, user)
        for url in gets:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"{base}message/", {"text": "x"}).status_code == 404
        assert client.post(f"{base}status/", {"status": "acknowledged"}).status_code == 404
    for user in (supervisor, officer6, citizen):
        client = Client()
        sign_in(client, user)
        assert client.get("/staff/integrity/").status_code == 404
    assert Client().get(base)["Location"].startswith("/staff/login/")
    report.refresh_from_db()
    assert report.status == Report.Status.NEW


@pytest.mark.django_db
def test_a_locked_key_sends_the_handler_to_unlock_first(report, handler_a):
    client = Client()
    sign_in(client, handler_a)
    response = client.get(f"/staff/integrity/r/{report.public_id}/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/integrity/keys/?next=")
    bad = client.post("/staff/integrity/keys/unlock/", {"password": "wrong"})
    assert bad.status_code == 422
    # The session copy of the key is useless without the browser's cookie.
    as_a = unlocked(handler_a)
    as_a.cookies.pop("integrity_key")
    assert as_a.get(f"/staff/integrity/r/{report.public_id}/").status_code == 302


@pytest.mark.django_db
def test_status_flow_dates_acknowledgment_feedback_and_retention(report, handler_a):
    client = unlocked(handler_a)
    base = f"/staff/integrity/r/{report.public_id}/"
    assert client.post(f"{base}status/", {"status": "closed"}).status_code == 422  # outcome needed
    assert client.post(f"{base}status/", {"status": "acknowledged"}).status_code == 302
    assert client.post(f"{base}status/", {"status": "new"}).status_code == 409
    assert client.post(f"{base}status/", {"status": "closed", "outcome": "insufficient"}).status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.CLOSED
    assert report.acknowledged_on == report.feedback_on == report.closed_on
    assert report.expires_on == report.closed_on + dt.timedelta(days=90)
    assert list(
        IntegrityAuditEntry.objects.filter(action="report.status").values_list("data", flat=True)
    ) == [
        {"from": "new", "to": "acknowledged", "outcome": ""},
        {"from": "acknowledged", "to": "closed", "outcome": "insufficient"},
    ]


@pytest.mark.django_db
def test_granting_access_reseals_the_report_key_for_another_handler(report, handler_a, handler_b):
    client = unlocked(handler_a)
    base = f"/staff/integrity/r/{report.public_id}/"
    assert client.post(f"{base}grant/", {"username": "supervisor"}).status_code == 422
    no_keys = make_user("nokeys")
    from peygir.integrity.models import IntegrityRole

    IntegrityRole.objects.create(user=no_keys, role="handler")
    assert client.post(f"{base}grant/", {"username": "nokeys"}).status_code == 422
    assert client.post(f"{base}grant/", {"username": "handler_b"}).status_code == 302
    assert client.post(f"{base}grant/", {"username": "handler_b"}).status_code == 409
    assert ReportAccess.objects.filter(report=report).count() == 2
    page = unlocked(handler_b).get(base)
    assert page.status_code == 200
    assert "قرارداد صوری با پیمانکار" in page.content.decode()


@pytest.mark.django_db
def test_a_referral_decision_is_recorded_sealed_and_moves_the_report(report, handler_a):
    client = unlocked(handler_a)
    base = f"/staff/integrity/r/{report.public_id}/"
    client.post(f"{base}status/", {"status": "acknowledged"})
    assert client.post(f"{base}decision/", {"kind": "referral", "text": "ارجاع"}).status_code == 422
    response = client.post(
        f"{base}decision/",
        {"kind": "referral", "authority": "سازمان بازرسی کل کشور", "text": "ارجاع به بازرسی"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.REFERRED
    assert "سازمان بازرسی کل کشور" in client.get(base).content.decode()


@pytest.mark.django_db
def test_feedback_message_meets_the_feedback_deadline(report, handler_a):
    client = unlocked(handler_a)
    client.post(
        f"/staff/integrity/r/{report.public_id}/message/", {"text": "در حال بررسی است", "is_feedback": "on"}
    )
    report.refresh_from_db()
    assert report.feedback_on == report.created_on


@pytest.mark.django_db
def test_new_reports_notify_intake_handlers_in_app_without_content(report, handler_a, handler_b):
    notice = Notification.objects.get(kind="integrity_new")
    assert notice.to_user == handler_a and notice.channel == Notification.Channel.INAPP
    assert "قرارداد" not in notice.body and report.reference in notice.body


@pytest.mark.django_db
def test_key_setup_shows_a_recovery_key_that_survives_a_password_change(org_tree):
    from peygir.integrity.models import IntegrityRole

    user = make_user("fresh")
    IntegrityRole.objects.create(user=user, role="handler")
    client = Client()
    sign_in(client, user)
    assert client.post("/staff/integrity/keys/setup/", {"password": "wrong"}).status_code == 422
    response = client.post("/staff/integrity/keys/setup/", {"password": PASSWORD})
    assert response.status_code == 201
    recovery = "".join(response.context["recovery_groups"])
    assert client.post("/staff/integrity/keys/setup/", {"password": PASSWORD}).status_code == 409
    user.set_password("another-long-passphrase-42")
    user.save()
    with pytest.raises(ValidationError):
        keypair_recover(user=user, recovery_key="AAAA" * 8, password="another-long-passphrase-42")
    keypair_recover(user=user, recovery_key=recovery.lower(), password="another-long-passphrase-42")
    client = Client()
    sign_in(client, user)
    assert (
        client.post("/staff/integrity/keys/unlock/", {"password": "another-long-passphrase-42"}).status_code
        == 302
    )


@pytest.mark.django_db
def test_evidence_downloads_decrypt_and_are_logged(handler_a):
    client = Client()
    from .conftest import submit_web

    submit_web(client, files=[SimpleUploadedFile("photo.jpg", b"\xff\xd8 jpeg bytes")])
    report = Report.objects.get()
    evidence = report.files.get()
    response = unlocked(handler_a).get(f"/staff/integrity/r/{report.public_id}/files/{evidence.public_id}/")
    assert b"".join(response.streaming_content) == b"\xff\xd8 jpeg bytes"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert IntegrityAuditEntry.objects.filter(action="evidence.download").count() == 1


def test_handlers_need_the_second_factor(handler_a):
    client = Client()
    client.force_login(handler_a)
    response = client.get("/staff/integrity/")
    assert response.status_code == 302
    # No authenticator enrolled yet: to enrolment, and back here afterwards.
    assert response["Location"] == "/staff/2fa/setup/?next=%2Fstaff%2Fintegrity%2F"
    assert sign_in(Client(), handler_a).get("/staff/integrity/").status_code == 200

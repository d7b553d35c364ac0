from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from peygir.integrity.models import EvidenceFile, IntegrityAuditEntry, Report, ReportAccess
from peygir.integrity.retention import integrity_daily
from peygir.integrity.tasks import integrity_daily_task
from peygir.notifications.models import Notification

from .conftest import submit_web, unlocked


@pytest.mark.django_db
def test_closed_reports_are_warned_then_erased_with_their_keys_and_files(
    handler_a, settings, django_capture_on_commit_callbacks
):
    submit_web(Client(), files=[SimpleUploadedFile("a.txt", b"evidence")])
    report = Report.objects.get()
    blob = Path(settings.MEDIA_ROOT) / EvidenceFile.objects.get().blob.name
    assert blob.exists()
    client = unlocked(handler_a)
    client.post(
        f"/staff/integrity/r/{report.public_id}/status/", {"status": "closed", "outcome": "out_of_scope"}
    )
    report.refresh_from_db()
    today = timezone.localdate()
    assert report.expires_on == today + dt.timedelta(days=90)

    assert integrity_daily(today + dt.timedelta(days=80)).retention_warnings == 0
    assert integrity_daily(today + dt.timedelta(days=84)).retention_warnings == 1
    assert integrity_daily(today + dt.timedelta(days=85)).retention_warnings == 0  # warned once
    notice = Notification.objects.get(kind="integrity_retention")
    assert notice.to_user == handler_a
    assert integrity_daily(today + dt.timedelta(days=89)).erased == 0

    when = dt.datetime.combine(
        today + dt.timedelta(days=90), dt.time(3), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(when, tick=False), django_capture_on_commit_callbacks(execute=True):
        result = integrity_daily_task.call()
    assert result["erased"] == 1
    assert Report.objects.count() == 0
    assert ReportAccess.objects.count() == 0 and EvidenceFile.objects.count() == 0
    assert not blob.exists()
    assert (
        IntegrityAuditEntry.objects.filter(action="report.erased", report_ref=str(report.public_id)).count()
        == 1
    )


@pytest.mark.django_db
def test_open_reports_are_never_erased_and_deadlines_are_warned(handler_a):
    submit_web(Client())
    report = Report.objects.get()
    created = report.created_on
    assert integrity_daily(created + dt.timedelta(days=4)).deadline_warnings == 0
    integrity_daily(created + dt.timedelta(days=5))
    assert Notification.objects.filter(kind="integrity_ack_due", to_user=handler_a).count() == 1
    integrity_daily(created + dt.timedelta(days=6))  # still "near": no second notice
    assert Notification.objects.filter(kind="integrity_ack_due").count() == 1
    integrity_daily(created + dt.timedelta(days=8))  # now late: one more
    assert Notification.objects.filter(kind="integrity_ack_due").count() == 2
    integrity_daily(created + dt.timedelta(days=400))
    assert Report.objects.count() == 1
    assert Notification.objects.filter(kind="integrity_feedback_due").count() == 1

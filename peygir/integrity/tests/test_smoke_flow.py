from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from peygir.integrity.models import EvidenceFile, Report

from .conftest import receipt_of, submit_web, unlocked


@pytest.mark.django_db
def test_a_web_report_reaches_its_handler_and_the_reporter_comes_back(handler_a):
    client = Client()
    response = submit_web(
        client,
        {"who": "کارمند واحد پروانه", "identify": "on", "name": "پرستو"},
        files=[
            SimpleUploadedFile("سند.pdf", b"%PDF-secret-evidence" * 10000, content_type="application/pdf")
        ],
    )
    assert response.status_code == 201
    receipt = receipt_of(response)
    report = Report.objects.get()
    assert report.has_identity is True
    assert EvidenceFile.objects.filter(report=report).count() == 1

    staff = unlocked(handler_a)
    page = staff.get(f"/staff/integrity/r/{report.public_id}/")
    assert page.status_code == 200
    assert "رشوه در صدور پروانه" in page.content.decode()
    file_id = EvidenceFile.objects.get().public_id
    download = staff.get(f"/staff/integrity/r/{report.public_id}/files/{file_id}/")
    assert b"".join(download.streaming_content) == b"%PDF-secret-evidence" * 10000
    assert (
        staff.post(
            f"/staff/integrity/r/{report.public_id}/message/", {"text": "لطفاً تاریخ را بگویید."}
        ).status_code
        == 302
    )

    back = client.post("/integrity/return/", {"receipt": receipt})
    assert back.status_code == 302
    page = client.get("/integrity/report/")
    assert "لطفاً تاریخ را بگویید." in page.content.decode()

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from peygir.core.testing.auth import sign_in
from peygir.integrity.models import EvidenceFile, IntegrityAuditEntry, Message, Report

from .conftest import receipt_of, submit_web


@pytest.mark.django_db
def test_the_receipt_is_shown_once_in_groups_and_pages_forbid_caching(handler_a):
    response = submit_web(Client())
    assert response.status_code == 201
    assert [len(g) for g in response.context["receipt_groups"]] == [5, 5, 5, 5, 5]
    assert response["Cache-Control"] == "no-store, max-age=0"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "فقط همین یک بار" in response.content.decode()
    entry = IntegrityAuditEntry.objects.get(action="report.submit.web")
    assert (entry.actor_id, entry.actor_label) == (None, "reporter")


@pytest.mark.django_db
def test_a_report_without_proof_of_work_is_refused_and_nothing_is_stored(handler_a):
    client = Client()
    response = client.post(
        "/integrity/new/", {"what": "رشوه", "pow_challenge": "1.2.4.x", "pow_solution": "1"}
    )
    assert response.status_code == 422
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_proof_of_work_is_spent_once(handler_a):
    client = Client()
    page = client.get("/integrity/new/")
    from peygir.integrity import pow

    challenge = page.context["challenge"]
    fields = {"what": "رشوه", "pow_challenge": challenge, "pow_solution": pow.solve(challenge, 4)}
    assert client.post("/integrity/new/", fields).status_code == 201
    assert client.post("/integrity/new/", fields).status_code == 422
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_an_empty_report_is_refused(handler_a):
    response = submit_web(Client(), {"what": "  "})
    assert response.status_code == 422
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_no_report_is_accepted_while_no_handler_has_keys(org_tree, tmp_path, settings):
    response = submit_web(Client(), files=[SimpleUploadedFile("a.txt", b"evidence")])
    assert response.status_code == 409
    assert Report.objects.count() == 0
    assert list((settings.MEDIA_ROOT / "integrity").glob("*")) == []


@pytest.mark.django_db
def test_the_reporter_reads_answers_writes_and_adds_evidence(handler_a):
    client = Client()
    receipt = receipt_of(submit_web(client))
    assert client.get("/integrity/report/").status_code == 302  # not opened yet
    assert client.post("/integrity/return/", {"receipt": receipt}).status_code == 302
    assert client.post("/integrity/report/message/", {"text": "یک نکته دیگر"}).status_code == 302
    assert client.post("/integrity/report/message/", {"text": ""}).status_code == 422
    response = client.post(
        "/integrity/report/evidence/", {"evidence": [SimpleUploadedFile("b.txt", b"more")]}
    )
    assert response.status_code == 302
    page = client.get("/integrity/report/")
    body = page.content.decode()
    assert "یک نکته دیگر" in body and "b.txt" in body and "رشوه در صدور پروانه" in body
    assert Message.objects.filter(author=Message.Author.REPORTER).count() == 1
    assert EvidenceFile.objects.count() == 1
    client.post("/integrity/report/leave/")
    assert client.get("/integrity/report/").status_code == 302


@pytest.mark.django_db
def test_a_wrong_receipt_opens_nothing(handler_a):
    client = Client()
    receipt_of(submit_web(client))
    response = client.post("/integrity/return/", {"receipt": "1" * 25})
    assert response.status_code == 422
    assert "integrity_reporter" not in response.cookies


@pytest.mark.django_db
def test_receipt_guessing_is_throttled_per_network_and_per_ipv6_64(handler_a, settings):
    settings.INTEGRITY = {**settings.INTEGRITY, "RECEIPT_ATTEMPTS": 3}
    client = Client()
    receipt = receipt_of(submit_web(client))
    attacker = {"REMOTE_ADDR": "2001:db8:1:2::10"}
    for _ in range(3):
        assert client.post("/integrity/return/", {"receipt": "2" * 25}, **attacker).status_code == 422
    # Even the right receipt is refused now, from anywhere in the same /64.
    same_64 = {"REMOTE_ADDR": "2001:db8:1:2:ffff::1"}
    assert client.post("/integrity/return/", {"receipt": receipt}, **same_64).status_code == 429
    other = {"REMOTE_ADDR": "2001:db8:1:3::10"}
    assert client.post("/integrity/return/", {"receipt": receipt}, **other).status_code == 302


@pytest.mark.django_db
def test_reporter_pages_never_touch_the_signed_in_user(handler_a, citizen):
    client = Client()
    sign_in(client, citizen)
    submit_web(client)
    entry = IntegrityAuditEntry.objects.get(action="report.submit.web")
    assert entry.actor_id is None
    assert str(citizen.pk) not in str(entry.data)

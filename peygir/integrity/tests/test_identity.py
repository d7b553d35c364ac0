from __future__ import annotations

import pytest
from django.test import Client

from peygir.integrity.models import IdentityRequest, IntegrityAuditEntry, IntegrityRole
from peygir.integrity.services import report_submit

from .conftest import unlocked, with_role


@pytest.fixture
def report(handler_a, custodian):
    report, _receipt = report_submit(
        answers={"what": "تبانی در مناقصه"}, identity={"name": "مهسا رازقی", "contact": "09351234567"}
    )
    return report


@pytest.mark.django_db
def test_identity_needs_a_reason_and_a_custodians_approval(report, handler_a, custodian):
    base = f"/staff/integrity/r/{report.public_id}/"
    as_handler = unlocked(handler_a)
    assert "مهسا رازقی" not in as_handler.get(base).content.decode()
    assert as_handler.post(f"{base}identity/", {"reason": ""}).status_code == 422
    assert as_handler.post(f"{base}identity/", {"reason": "برای گرفتن شهادت رسمی"}).status_code == 302
    assert as_handler.post(f"{base}identity/", {"reason": "دوباره"}).status_code == 409
    request = IdentityRequest.objects.get()
    assert request.status == IdentityRequest.Status.PENDING
    assert "مهسا رازقی" not in as_handler.get(base).content.decode()

    # The handler cannot approve, even by posting to the custodian's page.
    assert (
        as_handler.post(f"/staff/integrity/custody/{request.public_id}/", {"decision": "approve"}).status_code
        == 404
    )
    as_custodian = unlocked(custodian)
    custody = as_custodian.get("/staff/integrity/custody/").content.decode()
    assert "برای گرفتن شهادت رسمی" in custody
    # The custodian has no access to the report itself.
    assert as_custodian.get(base).status_code == 404
    assert (
        as_custodian.post(
            f"/staff/integrity/custody/{request.public_id}/", {"decision": "approve"}
        ).status_code
        == 302
    )
    page = as_handler.get(base).content.decode()
    assert "مهسا رازقی" in page and "09351234567" in page
    assert list(
        IntegrityAuditEntry.objects.filter(report_ref=str(report.public_id))
        .exclude(action__startswith="report.submit")
        .values_list("action", flat=True)
    ) == ["identity.request", "identity.approved", "identity.viewed"]


@pytest.mark.django_db
def test_a_denied_request_reveals_nothing(report, handler_a, custodian):
    as_handler = unlocked(handler_a)
    as_handler.post(f"/staff/integrity/r/{report.public_id}/identity/", {"reason": "کنجکاوی"})
    request = IdentityRequest.objects.get()
    unlocked(custodian).post(f"/staff/integrity/custody/{request.public_id}/", {"decision": "deny"})
    assert "مهسا رازقی" not in as_handler.get(f"/staff/integrity/r/{report.public_id}/").content.decode()
    # A decided request cannot be decided again.
    assert (
        unlocked(custodian)
        .post(f"/staff/integrity/custody/{request.public_id}/", {"decision": "approve"})
        .status_code
        == 409
    )


@pytest.mark.django_db
def test_a_custodian_cannot_approve_their_own_request(report, handler_a, custodian):
    with_role(handler_a, IntegrityRole.Role.CUSTODIAN, keys=False)
    as_handler = unlocked(handler_a)
    as_handler.post(f"/staff/integrity/r/{report.public_id}/identity/", {"reason": "لازم است"})
    request = IdentityRequest.objects.get()
    assert (
        as_handler.post(f"/staff/integrity/custody/{request.public_id}/", {"decision": "approve"}).status_code
        == 403
    )
    request.refresh_from_db()
    assert request.status == IdentityRequest.Status.PENDING


@pytest.mark.django_db
def test_an_anonymous_report_has_no_identity_to_request(handler_a, custodian):
    report, _receipt = report_submit(answers={"what": "رشوه"})
    response = unlocked(handler_a).post(f"/staff/integrity/r/{report.public_id}/identity/", {"reason": "x"})
    assert response.status_code == 409
    assert IdentityRequest.objects.count() == 0
    assert Client().get("/staff/integrity/custody/").status_code == 302

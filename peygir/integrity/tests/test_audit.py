from __future__ import annotations

import pytest
from django.db import transaction

from peygir.integrity.audit import integrity_audit_record, integrity_audit_verify
from peygir.integrity.models import IntegrityAuditEntry


@pytest.mark.django_db
def test_the_log_is_a_hash_chain_dated_to_the_day_and_append_only(org_tree):
    with transaction.atomic():
        first = integrity_audit_record(actor="reporter", action="a")
        second = integrity_audit_record(actor=None, action="b")
    assert second.prev_hash == first.hash
    assert integrity_audit_verify() is None
    assert first.day.isoformat() == str(first.day)
    with pytest.raises(PermissionError):
        IntegrityAuditEntry.objects.filter(pk=first.pk).update(action="x")
    with pytest.raises(PermissionError):
        first.save()
    with pytest.raises(PermissionError):
        IntegrityAuditEntry.objects.all().delete()

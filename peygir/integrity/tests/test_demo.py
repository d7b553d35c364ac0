"""The demo roles of the integrity persona: granted once, safe to repeat."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from peygir.integrity.models import IntegrityAuditEntry, IntegrityRole


@pytest.mark.django_db
def test_the_integrity_demo_roles_are_granted_once(integrity_handler, capsys):
    call_command("seed_integrity_demo")
    call_command("seed_integrity_demo")
    assert set(IntegrityRole.objects.filter(user=integrity_handler).values_list("role", flat=True)) == {
        "handler",
        "custodian",
    }
    assert IntegrityAuditEntry.objects.count() == 2
    assert "granted: none" in capsys.readouterr().out

"""Demo only: make the ``integrity`` persona a handler (who receives new reports) and a custodian.

Safe to repeat: a role already held is left alone and writes nothing to the integrity audit log.
The handler still sets up their keys at /staff/integrity/keys/ and enrols a second factor, as a real
handler would.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from peygir.integrity.audit import integrity_audit_record
from peygir.integrity.models import IntegrityRole

DEMO_USERNAME = "integrity"


class Command(BaseCommand):
    help = "Give the demo persona 'integrity' the handler and custodian roles (demo data only)."

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=DEMO_USERNAME).first()
        if user is None:
            self.stdout.write("No 'integrity' persona: run seed_demo first.")
            return
        granted = []
        with transaction.atomic():
            for role in (IntegrityRole.Role.HANDLER, IntegrityRole.Role.CUSTODIAN):
                if IntegrityRole.objects.filter(user=user, role=role, is_active=True).exists():
                    continue
                IntegrityRole.objects.update_or_create(
                    user=user, role=role, defaults={"is_active": True, "receives_new": True}
                )
                integrity_audit_record(
                    actor="manage.py", action="role.grant", data={"user": user.pk, "role": role}
                )
                granted.append(role.value)
        self.stdout.write(
            self.style.SUCCESS(f"Integrity demo roles ready (granted: {', '.join(granted) or 'none'}).")
        )

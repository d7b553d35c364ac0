"""Give or take an integrity role: ``manage.py integrity_role grant handler alice``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from peygir.integrity.audit import integrity_audit_record
from peygir.integrity.models import IntegrityRole


class Command(BaseCommand):
    help = "Grant or revoke an integrity-channel role (handler or custodian)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["grant", "revoke"])
        parser.add_argument("role", choices=IntegrityRole.Role.values)
        parser.add_argument("username")
        parser.add_argument(
            "--no-new", action="store_true", help="a handler who does not receive new reports"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        with transaction.atomic():
            if options["action"] == "grant":
                IntegrityRole.objects.update_or_create(
                    user=user,
                    role=options["role"],
                    defaults={"is_active": True, "receives_new": not options["no_new"]},
                )
            else:
                IntegrityRole.objects.filter(user=user, role=options["role"]).update(is_active=False)
            integrity_audit_record(
                actor="manage.py",
                action=f"role.{options['action']}",
                data={"user": user.pk, "role": options["role"]},
            )
        self.stdout.write(f"{options['action']} {options['role']} {user.get_username()}")

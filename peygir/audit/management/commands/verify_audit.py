from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peygir.audit.selectors import audit_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; exits non-zero at the first broken entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify(batch_size=options["batch_size"])
        if not result.ok:
            message = (
                f"BROKEN: entry {result.broken_id}: {result.reason} "
                f"({result.checked} entries verified before it)"
            )
            raise CommandError(message, returncode=1)
        self.stdout.write(f"OK: {result.checked} entries verified")

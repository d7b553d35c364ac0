"""manage.py rebuild_rollups: recompute the evaluation rollups from the cases."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from peygir.performance.rollups import rollup_rebuild


class Command(BaseCommand):
    help = "Rebuild the performance rollups (contributions, daily, monthly, city-day) from the cases."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        count = rollup_rebuild()
        self.stdout.write(f"rebuilt rollups of {count} cases in {time.monotonic() - started:.1f} s")

"""Load the demo data: Tehran's units and staff personas, routing defaults, and sample cases."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from peygir.cases.demo import seed_cases
from peygir.org.demo import seed_org
from peygir.routing.demo import seed_routing


class Command(BaseCommand):
    help = (
        "Load demo data (idempotent): 22 districts with approximate boundaries, staff personas, sample cases."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cases", type=int, default=120, help="How many sample cases to register.")

    def handle(self, *args: Any, cases: int = 120, **options: Any) -> None:
        seed_org()
        seed_routing()
        created = seed_cases(cases)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new sample cases)."))

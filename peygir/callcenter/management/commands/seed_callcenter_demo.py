"""Demo data of the call center (knowledge base, clinic experts and slots); safe to repeat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from peygir.callcenter.demo import seed_callcenter_demo


class Command(BaseCommand):
    help = "Load the call center's demo data: knowledge-base articles, two clinic experts, their slots."

    def handle(self, *args: Any, **options: Any) -> None:
        created = seed_callcenter_demo()
        self.stdout.write(self.style.SUCCESS(f"Call-center demo data ready ({created})."))

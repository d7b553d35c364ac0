"""``manage.py create_api_key NAME``: register an Open311 client application and print its key once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peygir.core.errors import ValidationError
from peygir.intake.channels.open311.services import open311_client_create


class Command(BaseCommand):
    help = "Create an Open311 client application and print its API key (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the client application's name")
        parser.add_argument("--rate-limit", type=int, default=60, help="POSTs allowed per minute (60)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            client, key = open311_client_create(
                name=options["name"], rate_limit_per_minute=options["rate_limit"], actor="create_api_key"
            )
        except ValidationError as exc:
            raise CommandError(str(exc.detail)) from exc
        self.stderr.write(f"Open311 client {client.name!r} created (prefix {client.prefix}).")
        self.stdout.write(key)

"""``manage.py run_bot``: the messenger bot in long-polling mode (``PEYGIR["BOT_MODE"] = "polling"``)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peygir.intake.channels.bot.client import POLL_TIMEOUT_SECONDS, BotApi, BotApiError
from peygir.intake.channels.bot.services import bot_poll_once

# After a failed poll, wait this long, doubling up to the maximum, before asking again.
BACKOFF_FIRST_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0


class Command(BaseCommand):
    help = "Fetch and answer the bot's updates with getUpdates (long polling) until interrupted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="poll once and exit (for tests and cron)")
        parser.add_argument("--timeout", type=int, default=POLL_TIMEOUT_SECONDS, help="long-poll seconds")
        parser.add_argument(
            "--keep-webhook",
            action="store_true",
            help="do not call deleteWebhook first (getUpdates fails while a webhook is set)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PEYGIR.get("BOT_MODE", "webhook") != "polling":
            raise CommandError("BOT_MODE is not 'polling'; in webhook mode the Bot API calls Peygir itself.")
        try:
            api = BotApi.from_settings()
            if not options["keep_webhook"]:
                api.delete_webhook()
        except BotApiError as exc:
            raise CommandError(str(exc)) from exc
        offset: int | None = None
        backoff = BACKOFF_FIRST_SECONDS
        self.stderr.write("bot: polling for updates")
        while True:
            try:
                offset = bot_poll_once(api=api, offset=offset, timeout=options["timeout"])
                backoff = BACKOFF_FIRST_SECONDS
            except BotApiError as exc:
                self.stderr.write(f"bot: poll failed ({exc}); retrying in {backoff:.0f} s")
                if options["once"]:
                    raise CommandError(str(exc)) from exc
                time.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_SECONDS)
            if options["once"]:
                self.stdout.write(f"next offset: {offset if offset is not None else '-'}")
                return

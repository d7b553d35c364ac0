"""``manage.py bot_set_webhook``: tell the Bot API where to deliver updates (or stop, ``--delete``)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from peygir.intake.channels.bot.client import BotApi, BotApiError

# What the Bot API accepts as a secret_token: 1–256 of A–Z, a–z, 0–9, "_" and "-".
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{16,256}$")


class Command(BaseCommand):
    help = "Register SITE_URL/intake/bot/webhook/<BOT_WEBHOOK_SECRET>/ as the bot's webhook (setWebhook)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="remove the webhook (deleteWebhook)")
        parser.add_argument("--url", default="", help="the public base URL (default: PEYGIR['SITE_URL'])")

    def handle(self, *args: Any, **options: Any) -> None:
        conf = settings.PEYGIR
        try:
            api = BotApi.from_settings()
            if options["delete"]:
                api.delete_webhook()
                self.stdout.write("webhook deleted")
                return
            secret = str(conf.get("BOT_WEBHOOK_SECRET", ""))
            if not SECRET_RE.match(secret):
                raise CommandError("BOT_WEBHOOK_SECRET must be 16–256 characters of A–Z, a–z, 0–9, _ and -.")
            base = (options["url"] or str(conf.get("SITE_URL", ""))).rstrip("/")
            if not base.startswith("https://"):
                self.stderr.write("warning: the Bot API delivers webhooks only to https:// addresses")
            url = base + reverse("intake:bot_webhook", kwargs={"secret": secret})
            api.set_webhook(url, secret_token=secret)
        except BotApiError as exc:
            raise CommandError(str(exc)) from exc
        # The secret is part of the URL: print only where it was registered.
        self.stdout.write(f"webhook set: {base}/intake/bot/webhook/…/")

"""Consume the Asterisk Manager Interface: calls, screen pops, queue pauses (see docs/operations/asterisk.md)."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from peygir.callcenter.pbx import AmiBridge


class Command(BaseCommand):
    help = "Connect to Asterisk's AMI and keep call records and agents' consoles up to date."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=None)
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        conf = settings.PEYGIR
        host = options["host"] or conf.get("AMI_HOST", "")
        if not host:
            raise CommandError("AMI_HOST is not set: no PBX to connect to.")
        kwargs = {
            "host": host,
            "port": options["port"] or int(conf.get("AMI_PORT", 5038)),
            "username": conf.get("AMI_USERNAME", ""),
            "secret": conf.get("AMI_SECRET", ""),
        }
        self.stdout.write(f"AMI: connecting to {kwargs['host']}:{kwargs['port']} as {kwargs['username']}")
        asyncio.run(self._run(kwargs))

    async def _run(self, kwargs: dict[str, Any]) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await AmiBridge(kwargs).run(stop)

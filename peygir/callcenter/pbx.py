"""The bridge between the AMI session (asyncio) and the database (Django's synchronous ORM)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from .agents import agent_wrap_up_release
from .ami.client import AmiClient, AmiError
from .ami.protocol import Message
from .cti import HANDLED_EVENTS, cti_event_apply
from .models import PbxCommand

logger = logging.getLogger(__name__)


def _fresh_connection() -> None:
    """Drop a connection the database closed meanwhile (a long-lived consumer sees restarts and
    CONN_MAX_AGE expiry); never inside a transaction (the tests wrap everything in one)."""
    if not connection.in_atomic_block:
        close_old_connections()


def _apply_event(message: Message, received_at: float) -> None:
    _fresh_connection()
    at = timezone.now() if not message.get_ci("Timestamp") else None
    cti_event_apply(event=dict(message), source="ami", at=at)
    logger.debug("AMI %s applied in %.1f ms", message.event, (time.monotonic() - received_at) * 1000)


def _pending_commands(limit: int = 20) -> list[PbxCommand]:
    _fresh_connection()
    return list(PbxCommand.objects.filter(status=PbxCommand.Status.PENDING).order_by("id")[:limit])


def _mark(command: PbxCommand, ok: bool, text: str) -> None:
    with transaction.atomic():
        PbxCommand.objects.filter(pk=command.pk).update(
            status=PbxCommand.Status.SENT if ok else PbxCommand.Status.FAILED,
            response=text[:2000],
            sent_at=timezone.now(),
        )


class AmiBridge:
    """Feeds AMI events to ``cti_event_apply`` in order, sends pending ``PbxCommand`` rows as actions,
    and releases agents whose after-call work is over."""

    def __init__(self, client_kwargs: dict[str, Any], poll_seconds: float = 0.5) -> None:
        self.queue: asyncio.Queue[tuple[Message, float]] = asyncio.Queue()
        self.client = AmiClient(on_event=self._on_event, **client_kwargs)
        self.poll_seconds = poll_seconds
        self.applied = 0
        self.channels: dict[str, str] = {}  # linkedid -> the caller's channel (for Redirect)

    def _on_event(self, message: Message) -> None:
        if message.event == "Newchannel" and message.get_ci("Uniqueid") == message.get_ci("Linkedid"):
            self.channels[message.get_ci("Linkedid")] = message.get_ci("Channel")
        if message.event in HANDLED_EVENTS:
            self.queue.put_nowait((message, time.monotonic()))
        if message.event == "Hangup" and message.get_ci("Uniqueid") == message.get_ci("Linkedid"):
            self.channels.pop(message.get_ci("Linkedid"), None)

    async def _consume(self) -> None:
        apply = sync_to_async(_apply_event, thread_sensitive=True)
        while True:
            message, received = await self.queue.get()
            try:
                await apply(message, received)
                self.applied += 1
            except Exception:
                logger.exception("AMI event %s failed", message.event)
            finally:
                self.queue.task_done()

    async def _send_commands(self) -> None:
        pending = await sync_to_async(_pending_commands, thread_sensitive=True)()
        for command in pending:
            fields = dict(command.fields)
            if command.action == "Redirect" and str(fields.get("Channel", "")).startswith("linkedid:"):
                linkedid = str(fields["Channel"]).split(":", 1)[1]
                channel = self.channels.get(linkedid)
                if channel is None:
                    await sync_to_async(_mark, thread_sensitive=True)(command, False, "call is gone")
                    continue
                fields["Channel"] = channel
            try:
                response = await self.client.action(command.action, **fields)
                await sync_to_async(_mark, thread_sensitive=True)(command, True, response.get_ci("Message"))
            except AmiError as exc:
                await sync_to_async(_mark, thread_sensitive=True)(command, False, str(exc))

    async def _housekeeping(self, stop: asyncio.Event) -> None:
        release = sync_to_async(agent_wrap_up_release, thread_sensitive=True)
        while not stop.is_set():
            try:
                await release()
                if self.client.connected.is_set():
                    await self._send_commands()
            except Exception:
                logger.exception("AMI housekeeping failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.poll_seconds)

    async def run(self, stop: asyncio.Event) -> None:
        consumer = asyncio.create_task(self._consume())
        housekeeping = asyncio.create_task(self._housekeeping(stop))
        try:
            await self.client.run_forever(stop)
            await self.queue.join()
        finally:
            consumer.cancel()
            housekeeping.cancel()
            await asyncio.gather(consumer, housekeeping, return_exceptions=True)

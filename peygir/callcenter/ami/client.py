"""An asyncio client of the Asterisk Manager Interface: login, events, actions, reconnection.

It knows nothing of Django: events go to an ``on_event`` callback, actions return their response.
``run_forever`` keeps a session up, reconnecting with exponential backoff (1 s doubling to 30 s, with
jitter) whenever the connection drops or the login fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

from .protocol import Message, StreamParser, encode

logger = logging.getLogger(__name__)

EventHandler = Callable[[Message], Awaitable[None] | None]


class AmiError(Exception):
    """The manager refused or failed an action (``Response: Error``) or the connection is gone."""


class AmiLoginError(AmiError):
    """The manager refused our credentials."""


class AmiClient:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        username: str,
        secret: str,
        on_event: EventHandler | None = None,
        events: str = "on",
        action_timeout: float = 10.0,
        backoff_start: float = 1.0,
        backoff_max: float = 30.0,
    ) -> None:
        self.host, self.port = host, port
        self.username, self.secret = username, secret
        self.on_event = on_event
        self.events = events
        self.action_timeout = action_timeout
        self.backoff_start, self.backoff_max = backoff_start, backoff_max
        self.banner: str | None = None
        self.connected = asyncio.Event()
        self._ids = itertools.count(1)
        self._pending: dict[str, asyncio.Future[Message]] = {}
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._read_task: asyncio.Task[None] | None = None
        self.sessions = 0  # successful logins so far (reconnections = sessions - 1)

    # --- one session -------------------------------------------------------------------------

    async def connect(self) -> None:
        """Open the connection, read the banner and log in. Raises AmiLoginError, OSError, AmiError."""
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        parser = StreamParser()
        while parser.banner is None:
            data = await asyncio.wait_for(self._reader.read(4096), self.action_timeout)
            if not data:
                raise AmiError("connection closed before the banner")
            leftovers = list(parser.feed(data))
            if leftovers:
                raise AmiError("unexpected data before login")
        self.banner = parser.banner
        if not (self.banner or "").startswith("Asterisk Call Manager"):
            raise AmiError(f"not an AMI server: {self.banner!r}")
        self._read_task = asyncio.create_task(self._read_loop(parser))
        response = await self.action(
            "Login", Username=self.username, Secret=self.secret, Events=self.events, _raise=False
        )
        if response.response != "Success":
            await self.close()
            raise AmiLoginError(response.get_ci("Message") or "login refused")
        self.sessions += 1
        self.connected.set()
        logger.info("AMI connected to %s:%s (%s)", self.host, self.port, self.banner)

    async def action(self, name: str, _raise: bool = True, **fields: Any) -> Message:
        """Send an action with a fresh ActionID and wait for its response. Raises AmiError on
        ``Response: Error`` (unless ``_raise=False``), on a timeout and when the connection is gone."""
        if self._writer is None:
            raise AmiError("not connected")
        action_id = f"peygir-{next(self._ids)}"
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._pending[action_id] = future
        try:
            self._writer.write(encode({"Action": name, "ActionID": action_id, **fields}))
            await self._writer.drain()
            response = await asyncio.wait_for(future, self.action_timeout)
        except (TimeoutError, ConnectionError) as exc:
            raise AmiError(f"{name}: no response ({exc.__class__.__name__})") from exc
        finally:
            self._pending.pop(action_id, None)
        if _raise and response.response == "Error":
            raise AmiError(f"{name}: {response.get_ci('Message')}")
        return response

    async def _read_loop(self, parser: StreamParser) -> None:
        assert self._reader is not None
        try:
            while True:
                data = await self._reader.read(65536)
                if not data:
                    break
                for message in parser.feed(data):
                    await self._dispatch(message)
        except (ConnectionError, OSError) as exc:
            logger.warning("AMI connection lost: %s", exc)
        finally:
            self.connected.clear()
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(AmiError("connection lost"))

    async def _dispatch(self, message: Message) -> None:
        action_id = message.action_id
        if message.response and action_id in self._pending:
            future = self._pending[action_id]
            if not future.done():
                future.set_result(message)
            return
        if message.event and self.on_event is not None:
            try:
                result = self.on_event(message)
                if inspect.isawaitable(result):
                    await result
            except Exception:  # a bad event must not end the session
                logger.exception("AMI event %s could not be handled", message.event)

    async def wait_closed(self) -> None:
        """Until the server closes the connection (the read loop ends)."""
        if self._read_task is not None:
            await asyncio.shield(self._read_task)

    async def close(self) -> None:
        if self._writer is not None:
            try:
                if self.connected.is_set():
                    self._writer.write(encode({"Action": "Logoff", "ActionID": f"peygir-{next(self._ids)}"}))
                self._writer.close()
                await self._writer.wait_closed()
            except (ConnectionError, OSError):
                pass
        if self._read_task is not None:
            self._read_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._read_task
        self._writer = self._reader = None
        self._read_task = None
        self.connected.clear()

    # --- supervision --------------------------------------------------------------------------

    def next_delay(self, failures: int) -> float:
        """Exponential backoff with ±20 % jitter: 1, 2, 4, … seconds, at most ``backoff_max``."""
        base = min(self.backoff_max, self.backoff_start * (2 ** max(0, failures - 1)))
        return float(base * random.uniform(0.8, 1.2))

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Stay connected until ``stop`` is set, reconnecting with backoff after every failure."""
        failures = 0
        while not stop.is_set():
            try:
                await self.connect()
                failures = 0
                closed = asyncio.create_task(self.wait_closed())
                stopping = asyncio.create_task(stop.wait())
                await asyncio.wait({closed, stopping}, return_when=asyncio.FIRST_COMPLETED)
                for task in (closed, stopping):
                    task.cancel()
            except (OSError, AmiError, TimeoutError) as exc:
                logger.warning("AMI %s:%s: %s", self.host, self.port, exc)
            await self.close()
            if stop.is_set():
                break
            failures += 1
            delay = self.next_delay(failures)
            logger.info("AMI reconnecting in %.1f s", delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)

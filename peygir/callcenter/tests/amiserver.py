"""A loopback TCP server that speaks AMI like Asterisk does, for replaying recorded event streams.

It sends the banner, answers ``Login`` (checking the secret), answers every other action with
``Response: Success`` and its ActionID (recording it), and streams events given to it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from pathlib import Path

from peygir.callcenter.ami.protocol import Message, StreamParser, encode, load_recording

DATA = Path(__file__).parent / "data"


def recording(name: str) -> list[Message]:
    return load_recording((DATA / name).read_text(encoding="utf-8"))


class FakeAsterisk:
    def __init__(
        self,
        *,
        username: str = "peygir",
        secret: str = "s3cret",
        banner: str = "Asterisk Call Manager/9.0.0",
        events_on_login: Iterable[Message] = (),
        drop_after_events: bool = False,
    ) -> None:
        self.username, self.secret, self.banner = username, secret, banner
        self.events_on_login = list(events_on_login)
        self.drop_after_events = drop_after_events
        self.actions: list[Message] = []
        self.logins = 0
        self.failed_logins = 0
        self.port = 0
        self._server: asyncio.base_events.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self.loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> int:
        self.loop = asyncio.get_running_loop()
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def send(self, events: Iterable[Message]) -> None:
        """Stream events to every logged-in connection."""
        for writer in list(self._writers):
            for event in events:
                writer.write(encode(event))
            await writer.drain()

    def send_threadsafe(self, events: Iterable[Message]) -> None:
        assert self.loop is not None
        asyncio.run_coroutine_threadsafe(self.send(list(events)), self.loop).result(5)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(f"{self.banner}\r\n".encode())
        await writer.drain()
        parser = StreamParser()
        parser.banner = "client"  # the client sends no banner
        try:
            while True:
                data = await reader.read(4096)
                if not data:
                    break
                for action in parser.feed(data):
                    await self._answer(action, writer)
        except ConnectionError:
            pass
        finally:
            if writer in self._writers:
                self._writers.remove(writer)
            writer.close()

    async def _answer(self, action: Message, writer: asyncio.StreamWriter) -> None:
        name = action.get_ci("Action")
        action_id = action.action_id
        if name == "Login":
            if action.get_ci("Username") == self.username and action.get_ci("Secret") == self.secret:
                self.logins += 1
                writer.write(
                    encode(
                        {"Response": "Success", "ActionID": action_id, "Message": "Authentication accepted"}
                    )
                )
                writer.write(
                    encode({"Event": "FullyBooted", "Privilege": "system,all", "Status": "Fully Booted"})
                )
                self._writers.append(writer)
                for event in self.events_on_login:
                    writer.write(encode(event))
                await writer.drain()
                if self.drop_after_events:
                    self._writers.remove(writer)
                    writer.close()
            else:
                self.failed_logins += 1
                writer.write(
                    encode({"Response": "Error", "ActionID": action_id, "Message": "Authentication failed"})
                )
                await writer.drain()
            return
        self.actions.append(action)
        if name == "Logoff":
            writer.write(
                encode({"Response": "Goodbye", "ActionID": action_id, "Message": "Thanks for all the fish."})
            )
        else:
            writer.write(
                encode({"Response": "Success", "ActionID": action_id, "Message": f"{name} accepted"})
            )
        await writer.drain()


class ServerThread:
    """FakeAsterisk on its own event loop in a background thread (for live-server browser tests)."""

    def __init__(self, **kwargs: object) -> None:
        self.server = FakeAsterisk(**kwargs)  # type: ignore[arg-type]
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            self._stop = asyncio.Event()
            await self.server.start()
            self._ready.set()
            await self._stop.wait()
            await self.server.stop()

        asyncio.run(main())

    def start(self) -> int:
        self._thread.start()
        self._ready.wait(5)
        return self.server.port

    def stop(self) -> None:
        if self.server.loop is not None and self._stop is not None:
            self.server.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(5)

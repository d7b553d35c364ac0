"""The Asterisk Manager Interface wire format: ``Key: Value`` lines, a blank line ends a message.

Pure functions, no I/O: the client and the tests' loopback server both use them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

EOL = "\r\n"


class Message(dict[str, str]):
    """One AMI message (event, response or action). Keys keep their case; lookups ignore it."""

    def get_ci(self, key: str, default: str = "") -> str:
        if key in self:
            return self[key]
        lowered = key.lower()
        for name, value in self.items():
            if name.lower() == lowered:
                return value
        return default

    @property
    def event(self) -> str:
        return self.get_ci("Event")

    @property
    def response(self) -> str:
        return self.get_ci("Response")

    @property
    def action_id(self) -> str:
        return self.get_ci("ActionID")


def encode(fields: Mapping[str, object]) -> bytes:
    """An action (or, in the test server, an event) as bytes; CR and LF in values are dropped."""
    lines = []
    for key, value in fields.items():
        text = str(value).replace("\r", " ").replace("\n", " ")
        lines.append(f"{key}: {text}")
    return (EOL.join(lines) + EOL + EOL).encode("utf-8")


def parse_block(block: str) -> Message:
    """One message from its lines. A line without ``:`` (Asterisk's command output) goes to ``Output``."""
    message = Message()
    for line in block.splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            message["Output"] = (message.get("Output", "") + "\n" + line).lstrip("\n")
            continue
        key = key.strip()
        value = value.strip()
        if key in message:
            # Repeated keys (ChanVariable, Output) are kept, joined by newlines.
            message[key] = message[key] + "\n" + value
        else:
            message[key] = value
    return message


class StreamParser:
    """Feeds bytes in, yields whole messages out; the banner line is reported once as ``banner``."""

    def __init__(self) -> None:
        self._buffer = ""
        self.banner: str | None = None

    def feed(self, data: bytes) -> Iterator[Message]:
        self._buffer += data.decode("utf-8", errors="replace")
        if self.banner is None:
            if "\n" not in self._buffer:
                return
            first, _, rest = self._buffer.partition("\n")
            self.banner = first.strip()
            self._buffer = rest
        while True:
            self._buffer = self._buffer.replace("\r\n", "\n")
            end = self._buffer.find("\n\n")
            if end < 0:
                return
            block, self._buffer = self._buffer[:end], self._buffer[end + 2 :]
            if block.strip():
                yield parse_block(block)


def load_recording(text: str) -> list[Message]:
    """AMI messages from a recording (blocks separated by blank lines; ``#`` lines are comments)."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    blocks = "\n".join(lines).split("\n\n")
    return [parse_block(block) for block in blocks if block.strip()]

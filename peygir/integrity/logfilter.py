"""A logging filter that keeps integrity requests out of the logs' network data.

Attached to the handlers in ``settings.LOGGING``. For a record emitted while an integrity request
is being handled, or one that names an integrity path (Django's request and server loggers), it
drops the ``request`` attribute (which carries the client address and headers) and replaces
anything shaped like an IP address in the message with ``[redacted]``. Records are never dropped.
"""

from __future__ import annotations

import ipaddress
import logging
import re

from .middleware import PREFIXES, in_integrity_request

# Runs of hex digits, dots and colons: each is checked with ``ipaddress`` (IPv4, every IPv6 form).
CANDIDATE = re.compile(r"[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*")


def redact(text: str) -> str:
    """``text`` with every IP address in it replaced by ``[redacted]``."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        core = token.strip(".:")
        try:
            ipaddress.ip_address(core)
        except ValueError:
            return token
        return token.replace(core, "[redacted]")

    return CANDIDATE.sub(replace, text)


def _mentions_integrity(record: logging.LogRecord) -> bool:
    request = getattr(record, "request", None)
    path = getattr(request, "path", None)
    if isinstance(path, str) and path.startswith(PREFIXES):
        return True
    try:
        message = record.getMessage()
    except Exception:
        return False
    return any(prefix in message for prefix in PREFIXES)


class IntegrityLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not (in_integrity_request.get() or _mentions_integrity(record)):
            return True
        if hasattr(record, "request"):
            record.request = None
        message = redact(record.getMessage())
        record.msg, record.args = message, None
        record.exc_text = redact(record.exc_text) if record.exc_text else record.exc_text
        return True

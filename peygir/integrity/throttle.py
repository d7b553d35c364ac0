"""Receipt guessing, slowed down in memory only.

Counters are kept per network (an IPv4 address, an IPv6 /64) in this process's memory, under a
keyed hash whose key is random per process: no address is ever written to the database, the cache
or a log, and a restart forgets everything. A global counter caps guessing spread over many
networks. With several processes each keeps its own counters, which only multiplies the limit by
the number of processes; a 25-digit receipt (83 bits) is out of reach either way.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import threading
import time
from collections import OrderedDict

from django.conf import settings

_KEY = secrets.token_bytes(32)
_LOCK = threading.Lock()
_COUNTS: OrderedDict[str, tuple[int, float]] = OrderedDict()
_MAX_TRACKED = 100_000
GLOBAL = "*"


def _conf(name: str, default: int) -> int:
    return int(getattr(settings, "INTEGRITY", {}).get(name, default))


def network_key(remote_addr: str | None) -> str:
    """A keyed hash of the requester's network: the address for IPv4, its /64 for IPv6."""
    try:
        address = ipaddress.ip_address((remote_addr or "").strip())
    except ValueError:
        network = "unknown"
    else:
        mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
        if isinstance(address, ipaddress.IPv6Address) and mapped is None:
            network = str(ipaddress.ip_network(f"{address}/64", strict=False))
        else:
            network = str(mapped or address)
    return hashlib.blake2b(network.encode(), key=_KEY, digest_size=16).hexdigest()


def _count(key: str, now: float, window: int) -> int:
    count, started = _COUNTS.get(key, (0, now))
    if now - started >= window:
        return 0
    return count


def blocked(network: str) -> bool:
    """True when this network (or everyone together) has failed too often in the window."""
    window = _conf("RECEIPT_WINDOW_SECONDS", 600)
    now = time.monotonic()
    with _LOCK:
        return _count(network, now, window) >= _conf("RECEIPT_ATTEMPTS", 10) or _count(
            GLOBAL, now, window
        ) >= _conf("RECEIPT_GLOBAL_ATTEMPTS", 1000)


def failure(network: str) -> None:
    """Count one failed receipt from this network (and globally)."""
    window = _conf("RECEIPT_WINDOW_SECONDS", 600)
    now = time.monotonic()
    with _LOCK:
        for key in (network, GLOBAL):
            count, started = _COUNTS.get(key, (0, now))
            if now - started >= window:
                count, started = 0, now
            _COUNTS[key] = (count + 1, started)
            _COUNTS.move_to_end(key)
        while len(_COUNTS) > _MAX_TRACKED:
            _COUNTS.popitem(last=False)


def reset() -> None:
    """Forget every counter (tests)."""
    with _LOCK:
        _COUNTS.clear()

"""Counting attempts in the shared cache (database cache, or Redis in production).

Each counter keeps its own reset time, so a window is measured from the first attempt whatever the
cache backend does with timeouts on update (the database cache's ``incr`` would reset it).
"""

from __future__ import annotations

import time

from django.core.cache import cache

from .errors import RateLimited


def _read(key: str) -> tuple[int, float]:
    value = cache.get(f"rl:{key}")
    if not value:
        return 0, 0.0
    count, reset_at = value
    if reset_at <= time.time():
        return 0, 0.0
    return int(count), float(reset_at)


def attempts_exceeded(key: str, *, limit: int) -> bool:
    return _read(key)[0] >= limit


def attempt_record(key: str, *, window_seconds: int) -> int:
    """Count one more attempt under ``key``; the window runs from the first attempt. Returns the count."""
    count, reset_at = _read(key)
    now = time.time()
    if not count:
        reset_at = now + window_seconds
    count += 1
    cache.set(f"rl:{key}", (count, reset_at), timeout=max(1, int(reset_at - now) + 1))
    return count


def attempts_clear(key: str) -> None:
    cache.delete(f"rl:{key}")


def check_not_exceeded(key: str, *, limit: int, message: str) -> None:
    if attempts_exceeded(key, limit=limit):
        raise RateLimited(message)

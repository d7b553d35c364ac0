"""Counting attempts in the shared cache (database cache, or Redis in production)."""

from __future__ import annotations

from django.core.cache import cache

from .errors import RateLimited


def attempts_exceeded(key: str, *, limit: int) -> bool:
    return int(cache.get(f"rl:{key}") or 0) >= limit


def attempt_record(key: str, *, window_seconds: int) -> int:
    """Count one more attempt under ``key`` for ``window_seconds`` (from the first attempt)."""
    full = f"rl:{key}"
    cache.add(full, 0, window_seconds)
    try:
        return int(cache.incr(full))
    except ValueError:  # expired between add and incr
        cache.set(full, 1, window_seconds)
        return 1


def check_not_exceeded(key: str, *, limit: int, message: str) -> None:
    if attempts_exceeded(key, limit=limit):
        raise RateLimited(message)

"""Holding a row lock from another connection, as a second worker would (PostgreSQL tests)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction


@contextmanager
def row_locked(queryset: Any) -> Iterator[None]:
    """Inside the block, the rows of ``queryset`` are locked ``FOR UPDATE`` by a transaction on
    another thread's connection; it ends (and the connection closes) when the block does."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                list(queryset.select_for_update())
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        if not locked.wait(10):
            raise TimeoutError("the other connection could not lock the rows")
        yield
    finally:
        release.set()
        thread.join()

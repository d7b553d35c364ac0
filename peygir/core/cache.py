"""Per-process copies of rarely changing configuration (catalog, SLA policies, routing rules,
notification templates) for the paths that read it on every request."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

# How long a process may answer from its copy of rarely changing configuration before reading it
# again; see ProcessCache.
CONFIG_CACHE_SECONDS = 15.0


class ProcessCache(Generic[T]):
    """A value read from the database and kept by this process for at most ``seconds``.

    ``get()`` returns None inside a transaction: the caller then reads the database itself, so that
    a transaction sees its own uncommitted changes and nothing it later rolls back is ever kept.
    ``shared()`` also serves (and loads) inside a transaction that has not itself saved or deleted
    one of ``models``: under READ COMMITTED such a transaction reads the same committed rows as one
    outside; it returns None once the transaction has changed them. A save or delete of any of
    ``models`` (classes or "app.Model" labels) in this process drops the value at once and again
    after commit; other processes (web workers, the task worker) see a change within ``seconds``.
    Changes that send no signals (``update()``, ``bulk_create()``, raw SQL) are seen after
    ``seconds`` only.
    """

    _instances: weakref.WeakSet[ProcessCache[Any]] = weakref.WeakSet()

    def __init__(self, load: Callable[[], T], *, seconds: float, models: Iterable[Any], name: str):
        ProcessCache._instances.add(self)
        self._load = load
        self.seconds = seconds
        self._lock = threading.Lock()
        self._value: tuple[float, T] | None = None
        self._generation = 0
        # The outermost atomic block in which this thread changed one of the models, if any.
        self._local = threading.local()
        for model in models:
            label = model if isinstance(model, str) else model._meta.label
            post_save.connect(self._changed, sender=model, weak=False, dispatch_uid=f"{name}-{label}-save")
            post_delete.connect(
                self._changed, sender=model, weak=False, dispatch_uid=f"{name}-{label}-delete"
            )

    def get(self) -> T | None:
        if connection.in_atomic_block:
            return None
        return self._fresh_or_load()

    def shared(self) -> T | None:
        """``get()``, also inside a transaction that has not changed the models (see above)."""
        if connection.in_atomic_block:
            blocks = connection.atomic_blocks
            if not blocks or getattr(self._local, "changed_in", None) is blocks[0]:
                return None
        return self._fresh_or_load()

    def _fresh_or_load(self) -> T:
        now = time.monotonic()
        cached = self._value
        if cached is not None and now - cached[0] < self.seconds:
            return cached[1]
        generation = self._generation
        value = self._load()
        with self._lock:
            if generation == self._generation:  # nothing changed while it was being read
                self._value = (now, value)
        return value

    @classmethod
    def clear_all(cls) -> None:
        """Drop every cache's value in this process (tests, after a bulk change of configuration)."""
        for cache in list(cls._instances):
            cache.clear()

    def clear(self) -> None:
        with self._lock:
            self._value = None
            self._generation += 1

    def _changed(self, **kwargs: Any) -> None:
        self.clear()
        if connection.in_atomic_block and connection.atomic_blocks:
            # A block reused later (``@transaction.atomic`` on a function) only costs a read.
            self._local.changed_in = connection.atomic_blocks[0]
        # Once more after commit: another thread may have read the old rows in between.
        transaction.on_commit(self.clear)

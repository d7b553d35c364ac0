"""Database helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django.db import models


def compare_and_swap(
    model: type[models.Model], *, pk: Any, expected: dict[str, Any], changes: dict[str, Any]
) -> bool:
    """Apply ``changes`` to row ``pk`` only if its columns still hold ``expected``.

    One UPDATE … WHERE id = … AND <expected>; returns whether the row was changed. The caller
    decides what a lost race means (usually: reload and report a conflict). No lock is held, so it
    behaves the same on SQLite and PostgreSQL.
    """
    return model._default_manager.filter(pk=pk, **expected).update(**changes) == 1


def is_postgres(using: str = "default") -> bool:
    from django.db import connections

    return connections[using].vendor == "postgresql"

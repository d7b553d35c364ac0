"""Django's ``flush``, taught that the audit table refuses DELETE.

On SQLite ``flush`` empties tables with ``DELETE FROM``, which the append-only triggers refuse; on
PostgreSQL it uses ``TRUNCATE``, which row triggers do not see. So on SQLite the triggers are
dropped, the database is flushed and the triggers are created again, all in one transaction.
Transactional tests flush between tests, which is why this exists.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

_triggers = importlib.import_module("peygir.audit.migrations.0002_append_only_triggers")


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options.get("database") or DEFAULT_DB_ALIAS
        connection = connections[database]
        if connection.vendor != "sqlite" or "audit_auditentry" not in connection.introspection.table_names():
            super().handle(**options)
            return
        with transaction.atomic(using=database):
            with connection.cursor() as cursor:
                for statement in _triggers.SQLITE_DOWN:
                    cursor.execute(statement)
            super().handle(**options)
            with connection.cursor() as cursor:
                for statement in _triggers.SQLITE_UP:
                    cursor.execute(statement)

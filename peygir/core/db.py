"""Database helpers shared by every app."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


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


_INSERT_SQL: dict[tuple[str, str], tuple[str, list[Any], Any]] = {}


def insert_row(instance: M, *, using: str = "default") -> M:
    """INSERT one new model instance with a prepared statement and set its primary key.

    The same row ``instance.save(force_insert=True)`` writes (field defaults, ``auto_now_add``,
    database preparation of every value), for the few rows written on every registration, without
    the ORM's per-call SQL compilation. No signals are sent: use it only for models that have no
    receivers and no multi-table inheritance. Works on SQLite (3.35+) and PostgreSQL (RETURNING).
    """
    from django.db import connections

    meta = instance._meta
    connection = connections[using]
    key = (meta.label, connection.vendor)
    cached = _INSERT_SQL.get(key)
    if cached is None:
        pk_field = meta.pk
        assert pk_field is not None
        fields = [f for f in meta.concrete_fields if not (f is pk_field and f.db_returning)]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(str(f.column)) for f in fields)
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(str(pk_field.column))}"
        )
        cached = (sql, fields, pk_field)
        _INSERT_SQL[key] = cached
    sql, fields, pk_field = cached
    values = insert_values(instance, fields, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if pk_field.db_returning:
        setattr(instance, pk_field.attname, row[0])
    instance._state.adding = False
    instance._state.db = using
    return instance


def insert_values(instance: models.Model, fields: Any, connection: Any) -> list[Any]:
    """The values ``save(force_insert=True)`` would write for ``fields`` of a new ``instance``
    (defaults, ``auto_now_add``, the database's own preparation), for hand-written INSERTs."""
    return [field.get_db_prep_save(field.pre_save(instance, True), connection=connection) for field in fields]

"""Database helpers shared by every app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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


_INSERT_SQL: dict[tuple[str, str], tuple[str, str, Any, Any]] = {}
# Rows waiting to be written (see deferred_inserts), kept on the connection wrapper they belong to.
_PENDING = "_peygir_deferred_inserts"


def _insert_sql(meta: Any, connection: Any) -> tuple[str, str, Any, Any]:
    """The INSERT of every concrete column but a database-generated key: without and with
    RETURNING the key, the ``insert_plan`` of its fields, and the key field."""
    key = (meta.label, connection.vendor)
    cached = _INSERT_SQL.get(key)
    if cached is None:
        pk_field = meta.pk
        assert pk_field is not None
        fields = [f for f in meta.concrete_fields if not (f is pk_field and f.db_returning)]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(str(f.column)) for f in fields)
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        cached = (sql, f"{sql} RETURNING {quote(str(pk_field.column))}", insert_plan(fields), pk_field)
        _INSERT_SQL[key] = cached
    return cached


def insert_row(instance: M, *, using: str = "default", defer: bool = False) -> M:
    """INSERT one new model instance with a prepared statement and set its primary key.

    The same row ``instance.save(force_insert=True)`` writes (field defaults, ``auto_now_add``,
    database preparation of every value), for the few rows written on every registration, without
    the ORM's per-call SQL compilation. No signals are sent: use it only for models that have no
    receivers and no multi-table inheritance. Works on SQLite (3.35+) and PostgreSQL (RETURNING).

    With ``defer=True`` inside ``deferred_inserts()`` the row waits to be written with the block's
    next statement; a primary key the database generates is then never set on ``instance``.
    """
    from django.db import connections

    connection = connections[using]
    sql, returning, plan, pk_field = _insert_sql(instance._meta, connection)
    values = insert_values(instance, plan, connection)
    pending = getattr(connection, _PENDING, None) if defer else None
    if pending is not None:
        pending.append((sql, values))
    else:
        with connection.cursor() as cursor:
            cursor.execute(returning, values)
            row = cursor.fetchone()
        if pk_field.db_returning:
            setattr(instance, pk_field.attname, row[0])
    instance._state.adding = False
    instance._state.db = using
    return instance


@contextmanager
def deferred_inserts(using: str = "default") -> Iterator[None]:
    """Let ``insert_row(..., defer=True)`` rows wait and reach the database together.

    On PostgreSQL they ride along with the next statement run through ``execute_after_deferred``
    (as data-modifying CTEs: one round trip for all of them); whatever is still waiting when the
    block ends is written then. Use it inside ``transaction.atomic()``: the rows commit or roll back
    with the rest. A block nested in another leaves the waiting to the outer one; a block that
    raises writes nothing more.
    """
    from django.db import connections

    connection = connections[using]
    if getattr(connection, _PENDING, None) is not None:
        yield
        return
    pending: list[tuple[str, list[Any]]] = []
    setattr(connection, _PENDING, pending)
    try:
        yield
        if pending:
            with connection.cursor() as cursor:
                execute_after_deferred(cursor, None, [], using=using)
    finally:
        setattr(connection, _PENDING, None)


def execute_after_deferred(
    cursor: Any, sql: str | None, params: list[Any], *, using: str = "default"
) -> None:
    """Write the rows waiting in ``deferred_inserts`` and run ``sql`` (a SELECT, or nothing).

    On PostgreSQL: one statement, the waiting INSERTs as CTEs in front of ``sql`` (they run whether
    or not ``sql`` reads them). Elsewhere: one INSERT each, then ``sql``.
    """
    from django.db import connections

    connection = connections[using]
    pending = getattr(connection, _PENDING, None) or []
    rows, pending[:] = list(pending), []
    if rows and connection.vendor == "postgresql":
        ctes = ", ".join(f"deferred_{index} AS ({insert})" for index, (insert, _) in enumerate(rows))
        cursor.execute(
            f"WITH {ctes} {sql or 'SELECT 1'}", [value for _, values in rows for value in values] + params
        )
        return
    for insert, values in rows:
        cursor.execute(insert, values)
    if sql is not None:
        cursor.execute(sql, params)


# Value types that fields of these exact classes write as they are: get_db_prep_save() would hand the
# same object to the driver (on SQLite and PostgreSQL), so insert_values() skips it for them.
_NONE = type(None)
_WRITTEN_AS_IS: dict[type, tuple[type, ...]] = {
    **dict.fromkeys((models.CharField, models.TextField), (str, _NONE)),
    **dict.fromkeys(
        (
            models.IntegerField,
            models.BigIntegerField,
            models.SmallIntegerField,
            models.PositiveIntegerField,
            models.PositiveSmallIntegerField,
            models.PositiveBigIntegerField,
            models.AutoField,
            models.BigAutoField,
        ),
        (int, _NONE),
    ),
    models.BooleanField: (bool, _NONE),
    models.FloatField: (float, _NONE),
}


def _as_is(field: Any) -> tuple[type, ...] | None:
    """The types of value ``field`` writes unchanged, or None where every value must be prepared."""
    kind = type(field)
    if kind is models.ForeignKey:
        return _as_is(field.target_field)
    if kind is models.DateTimeField:
        # Only an empty value: a datetime is adapted (a string on SQLite); auto_now sets one.
        return None if field.auto_now or field.auto_now_add else (_NONE,)
    return _WRITTEN_AS_IS.get(kind)


def insert_plan(fields: Any) -> tuple[tuple[str, tuple[type, ...] | None, Any], ...]:
    """What ``insert_values`` needs to know of ``fields``, worked out once per statement."""
    return tuple((field.attname, _as_is(field), field) for field in fields)


def insert_values(instance: models.Model, plan: Any, connection: Any) -> list[Any]:
    """The values ``save(force_insert=True)`` would write for a new ``instance`` (defaults,
    ``auto_now_add``, the database's own preparation), for hand-written INSERTs; ``plan`` from
    ``insert_plan``. A value its field would pass through unchanged is taken as it is."""
    values = []
    for attname, as_is, field in plan:
        if as_is is None:
            values.append(field.get_db_prep_save(field.pre_save(instance, True), connection=connection))
            continue
        value = getattr(instance, attname)  # Field.pre_save, which these classes keep
        values.append(value if type(value) in as_is else field.get_db_prep_save(value, connection=connection))
    return values

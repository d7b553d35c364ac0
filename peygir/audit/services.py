"""Writing to the audit trail."""

from __future__ import annotations

import functools
import ipaddress
import json
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from peygir.audit.models import GENESIS_HASH, AuditEntry, AuditJSONEncoder, canonical_json
from peygir.core.db import execute_after_deferred, insert_plan, insert_row, insert_values

# Key of the PostgreSQL transaction-level advisory lock that serialises appends to the chain
# (an arbitrary constant: "audit" in ASCII).
CHAIN_LOCK_KEY = 0x6175646974


def _plain_json(value: dict[str, Any] | None) -> dict[str, Any] | None:
    # Round-trip through the encoder so that what is stored (and read back) equals what is hashed.
    if value is None:
        return None
    text = json.dumps(value, cls=AuditJSONEncoder, allow_nan=False)
    result: dict[str, Any] = json.loads(text, parse_float=_parse_float)
    return result


def _parse_float(text: str) -> float | int:
    # PostgreSQL's jsonb gives 1e+20 back as the integer 100000000000000000000; store it as that
    # integer from the start so that the value read back hashes the same.
    value = float(text)
    return int(value) if "e+" in text.lower() else value


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None:
        return None, "system"
    if isinstance(actor, str):
        return None, actor
    if not getattr(actor, "is_authenticated", False):
        return None, "anonymous"
    return actor.pk, actor.get_username()


def audit_record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry to the audit trail and return it.

    ``actor`` is a user, ``None`` for the system itself, or a label (str) for a named system actor
    such as a scheduled job. ``before``/``after`` may hold datetimes, dates, Decimals and UUIDs;
    they are stored as plain JSON.

    Must run inside the caller's ``transaction.atomic()`` so that the entry and the mutation it
    describes commit or roll back together; raises ``TransactionManagementError`` otherwise. Any
    failure propagates, never swallowed, so the caller's mutation is rolled back with it. Raises
    ``ValueError`` for an invalid ``ip`` and ``TypeError`` for values JSON cannot hold.

    Appends are serialised: on PostgreSQL by a transaction-level advisory lock held until the
    caller commits (so call this late in the transaction), on SQLite by the IMMEDIATE transactions
    the settings use. A unique ``prev_hash`` makes a fork impossible even if that ever failed.
    """
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "audit_record must be called inside transaction.atomic()"
        )
    actor_id, actor_label = _actor_fields(actor)
    entry = AuditEntry(
        created_at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_plain_json(before),
        after=_plain_json(after),
        ip=str(ipaddress.ip_address(ip)) if ip else None,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Rows the caller deferred (core.db.deferred_inserts) are written by this statement too.
            execute_after_deferred(cursor, "SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        _insert_chained(entry)
        return entry
    # A plain cursor: this runs on every write in the system, and the ORM would triple its cost.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT hash FROM {AuditEntry._meta.db_table} ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    last_hash = row[0] if row else None
    entry.prev_hash = last_hash or GENESIS_HASH
    entry.hash = entry.compute_hash()
    insert_row(entry)
    return entry


@functools.cache
def _chained_sql() -> tuple[str, tuple[Any, ...]]:
    """The INSERT that reads the chain's head and hashes the new entry in the same statement, and
    the ``insert_plan`` of the fields whose values it takes first (PostgreSQL only)."""
    fields = tuple(
        f for f in AuditEntry._meta.concrete_fields if f.attname not in ("id", "prev_hash", "hash")
    )
    quote = connection.ops.quote_name
    table = quote(AuditEntry._meta.db_table)
    head = f"(SELECT COALESCE((SELECT hash FROM {table} ORDER BY id DESC LIMIT 1), %s))"
    columns = ", ".join(quote(str(f.column)) for f in fields)
    sql = (
        f"INSERT INTO {table} ({columns}, prev_hash, hash) "
        f"VALUES ({', '.join(['%s'] * len(fields))}, {head}, "
        f"encode(sha256(convert_to(%s || {head} || %s, 'UTF8')), 'hex')) "
        "RETURNING id, prev_hash, hash"
    )
    return sql, insert_plan(fields)


def _insert_chained(entry: AuditEntry) -> None:
    """PostgreSQL, with the chain's lock held: one statement instead of reading the head first.

    The statement starts after the lock was granted, so its snapshot holds the head the previous
    holder committed. The hash is the one ``compute_hash`` gives: the canonical JSON sorts its keys
    and ``prev_hash`` is the last of them, so the text hashed is the canonical JSON of the other
    fields, then ``"prev_hash":"<head>"``; a hex digest needs no escaping.
    """
    payload = entry.hash_payload()
    del payload["prev_hash"]
    if max(payload) > "prev_hash":  # pragma: no cover - a new field must keep this true
        raise AssertionError("prev_hash must sort last in the audit hash payload")
    body = canonical_json(payload)
    prefix, suffix = body[:-1] + ',"prev_hash":"', '"}'
    sql, plan = _chained_sql()
    values = insert_values(entry, plan, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, GENESIS_HASH, prefix, GENESIS_HASH, suffix])
        entry.pk, entry.prev_hash, entry.hash = cursor.fetchone()
    entry._state.adding = False
    entry._state.db = connection.alias

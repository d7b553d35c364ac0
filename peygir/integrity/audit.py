"""The integrity channel's audit log: every step, dated to the day, hash-chained, append-only."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import IntegrityAuditEntry, Report

GENESIS = "0" * 64
# PostgreSQL advisory lock key serialising appends ("integ" in ASCII).
CHAIN_LOCK_KEY = 0x696E746567
REPORTER = "reporter"
SYSTEM = "system"


def _payload(entry: IntegrityAuditEntry) -> str:
    return json.dumps(
        {
            "day": entry.day.isoformat(),
            "actor_id": entry.actor_id,
            "actor_label": entry.actor_label,
            "action": entry.action,
            "report_ref": entry.report_ref,
            "data": entry.data,
            "prev_hash": entry.prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def entry_hash(entry: IntegrityAuditEntry) -> str:
    return hashlib.sha256(_payload(entry).encode("utf-8")).hexdigest()


def integrity_audit_record(
    *, actor: Any, action: str, report: Report | None = None, data: dict[str, Any] | None = None
) -> IntegrityAuditEntry:
    """Append one entry. ``actor`` is a user, ``"reporter"`` (kept without any identity) or None for
    the system. ``data`` must hold no content of a report (ids, statuses, counts only).

    Must run inside the caller's ``transaction.atomic()`` (raises TransactionManagementError
    otherwise) so the entry commits or rolls back with the change; failures propagate."""
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("integrity_audit_record needs transaction.atomic()")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    if actor is None:
        actor_id, label = None, SYSTEM
    elif isinstance(actor, str):
        actor_id, label = None, actor
    else:
        actor_id, label = actor.pk, actor.get_username()
    last = IntegrityAuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
    entry = IntegrityAuditEntry(
        day=timezone.localdate(),
        actor_id=actor_id,
        actor_label=label[:150],
        action=action,
        report_ref=str(report.public_id) if report is not None else "",
        data=json.loads(json.dumps(data or {}, sort_keys=True)),
        prev_hash=last or GENESIS,
    )
    entry.hash = entry_hash(entry)
    entry.save()
    return entry


def integrity_audit_verify() -> int | None:
    """The id of the first entry whose chain is broken, or None when the whole log holds."""
    previous = GENESIS
    for entry in IntegrityAuditEntry.objects.order_by("id").iterator():
        if entry.prev_hash != previous or entry.hash != entry_hash(entry):
            return entry.pk
        previous = entry.hash
    return None

"""Reading and checking the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from peygir.audit.models import GENESIS_HASH, AuditEntry

HASH_MISMATCH = "hash_mismatch"
BROKEN_LINK = "broken_link"


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of walking the chain: ``ok``, how many entries were checked, and where it broke."""

    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def _entries_in_id_order(batch_size: int) -> Iterator[AuditEntry]:
    # Keyset pagination: each batch is one indexed range scan, and memory stays at one batch.
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return
        yield from batch
        last_id = batch[-1].pk


def audit_verify(*, batch_size: int = 5000) -> VerifyResult:
    """Walk the whole chain in id order and report the first entry that does not hold.

    An entry is broken when its stored hash differs from the hash of its contents
    (``hash_mismatch``: the row was changed) or when its ``prev_hash`` is not the hash of the entry
    before it (``broken_link``: a row before it was removed or inserted). ``checked`` counts the
    entries that held. Constant memory; raises nothing for a broken chain. Removing the newest
    entries cannot be seen from the chain alone.
    """
    expected_prev = GENESIS_HASH
    checked = 0
    for entry in _entries_in_id_order(batch_size):
        if entry.prev_hash != expected_prev:
            return VerifyResult(ok=False, checked=checked, broken_id=entry.pk, reason=BROKEN_LINK)
        if entry.compute_hash() != entry.hash:
            return VerifyResult(ok=False, checked=checked, broken_id=entry.pk, reason=HASH_MISMATCH)
        expected_prev = entry.hash
        checked += 1
    return VerifyResult(ok=True, checked=checked)


def audit_for_object(object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    """Every entry about one object, oldest first."""
    return AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("id")

"""The audit trail: an append-only, hash-chained record of every mutation."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, NoReturn
from uuid import UUID

from django.db import models
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The prev_hash of the first entry: the chain starts from a fixed, well-known value.
GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditJSONEncoder(json.JSONEncoder):
    """Turns the values services put into before/after into plain JSON, deterministically.

    Datetimes become ISO 8601 in UTC with microseconds (naive ones keep their wall time), dates and
    times ISO 8601, Decimals and UUIDs their string form. Unlike DjangoJSONEncoder nothing is
    truncated, so the stored JSON is exactly the JSON that was hashed.
    """

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            if o.tzinfo is not None:
                o = o.astimezone(UTC)
            return o.isoformat(timespec="microseconds")
        if isinstance(o, date):
            return o.isoformat()
        if isinstance(o, time):
            return o.isoformat(timespec="microseconds")
        if isinstance(o, timedelta):
            return duration_iso_string(o)
        if isinstance(o, Decimal | UUID | Promise):
            return str(o)
        if isinstance(o, set | frozenset):
            return sorted(o, key=str)
        return super().default(o)


def canonical_json(value: Any) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(
        value,
        cls=AuditJSONEncoder,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries are append-only")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("audit entries are append-only")


class AuditEntry(models.Model):
    """One thing somebody did: who, what, to which object, the state before and after.

    Entries are never changed or removed (the database refuses it too, with triggers). Each entry
    holds the hash of the one before it, so a changed or missing row breaks the chain, which
    ``manage.py verify_audit`` reports. The actor is kept as a plain id plus a label rather than a
    foreign key so that nothing done to users can ever reach back into the trail.
    """

    created_at = models.DateTimeField(_("زمان"))
    actor_id = models.PositiveBigIntegerField(_("شناسه کاربر"), null=True, blank=True)
    actor_label = models.CharField(_("انجام‌دهنده"), max_length=150)
    action = models.CharField(_("کار"), max_length=64)
    object_type = models.CharField(_("نوع شیء"), max_length=64)
    object_id = models.CharField(_("شناسه شیء"), max_length=64)
    before = models.JSONField(_("پیش از"), null=True, blank=True)
    after = models.JSONField(_("پس از"), null=True, blank=True)
    # Text, not inet: PostgreSQL rewrites IPv6 addresses, and the hashed text must come back unchanged.
    ip = models.CharField(_("نشانی IP"), max_length=45, null=True, blank=True)
    prev_hash = models.CharField(_("درهم‌نگار پیشین"), max_length=64)
    hash = models.CharField(_("درهم‌نگار"), max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("رویداد ممیزی")
        verbose_name_plural = _("رویدادهای ممیزی")
        constraints = [
            # Two writers that read the same tail would fork the chain; the second INSERT fails instead.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_auditentry_prev_hash_unique"),
        ]
        indexes = [
            models.Index(fields=["object_type", "object_id", "id"], name="audit_entry_object_idx"),
            models.Index(fields=["actor_id", "id"], name="audit_entry_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries are append-only")

    def hash_payload(self) -> dict[str, Any]:
        """The fields covered by ``hash``, in the form they are hashed."""
        created_at = self.created_at
        if created_at.tzinfo is not None:
            created_at = created_at.astimezone(UTC)
        return {
            "created_at": created_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "before": self.before,
            "after": self.after,
            "ip": self.ip,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        """sha256 (hex) of the canonical JSON of the covered fields, prev_hash included."""
        return hashlib.sha256(canonical_json(self.hash_payload()).encode("utf-8")).hexdigest()
